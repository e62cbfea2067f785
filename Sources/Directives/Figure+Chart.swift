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

extension LineChart.Series {
    /// The chart's series for a curve value's series: the one place the engine's plain-data
    /// `Series` becomes a drawable one (band or error bars from `lower`/`upper`).
    init(_ series: Series, uncertainty: UncertaintyStyle = .band) {
        self.init(name: series.name, x: series.x, y: series.y, lower: series.lower, upper: series.upper, uncertainty: uncertainty)
    }
}

extension LineChart {
    /// A line chart of a curve value with its own title and axis labels.
    init(curve: CurveValue, uncertainty: UncertaintyStyle = .band, yScale: AxisScale = .linear,
         referenceLines: [ReferenceLine] = []) throws {
        try self.init(title: curve.title, xLabel: curve.xLabel, yLabel: curve.yLabel,
                      series: curve.series.map { LineChart.Series($0, uncertainty: uncertainty) },
                      yScale: yScale, referenceLines: referenceLines)
    }
}
