import Notebook
import Plot

extension Figure {
    /// Renders `chart` at report, phone (narrow) and slide size, with the CSV behind it.
    /// Here rather than in the engine, whose `Figure` is plain data (PNG bytes and CSV), so
    /// the engine and the report need no charting library. A chart that does not fit the
    /// narrow size (too many rows of panels) has no narrow variant: phones show the report's.
    public init(name: String, caption: String, chart: any Chart) throws {
        self.init(name: name, caption: caption, reportPNG: try chart.png(size: .report),
                  narrowPNG: (try? chart.png(size: .narrow)) ?? [], slidePNG: try chart.png(size: .slide), csv: chart.csv())
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
