import Notebook
import Plot

extension Figure {
    /// Renders `chart` at report and slide size, with the CSV behind it. Here rather than in
    /// the engine, whose `Figure` is plain data (PNG bytes and CSV), so the engine and the
    /// report need no charting library.
    public init(name: String, caption: String, chart: any Chart) throws {
        self.init(name: name, caption: caption, reportPNG: try chart.png(size: .report),
                  slidePNG: try chart.png(size: .slide), csv: chart.csv())
    }
}
