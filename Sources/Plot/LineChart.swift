/// A multi-series line chart: markers, error bars or shaded bands (mean ± spread),
/// reference lines, linear or log axes. Used for H(d) curves, loss curves, bandwidths.
///
/// ```swift
/// let chart = try LineChart(title: "Entropy of the codes", xLabel: "code dimension d",
///                           yLabel: "H(d) (nats)", series: [.init(name: "H(d)", x: d, y: h)],
///                           referenceLines: [.vertical(3, label: "true k = 3")])
/// let png = try chart.png(size: .report)
/// ```
public struct LineChart: DrawableChart {
    /// One curve: y against x, optionally with lower/upper values per point.
    public struct Series: Sendable, Hashable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var lower: [Double]?
        public var upper: [Double]?
        public var uncertainty: UncertaintyStyle
        /// Marker shape; nil chooses automatically (markers when the series has ≤ 40 points).
        public var marker: MarkerShape?
        /// Whether to draw markers at all (overrides the automatic choice when set).
        public var showsMarkers: Bool?
        /// Colour; nil takes the next palette colour.
        public var color: Color?

        public init(name: String, x: [Double], y: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
                    uncertainty: UncertaintyStyle = .band, marker: MarkerShape? = nil, showsMarkers: Bool? = nil,
                    color: Color? = nil) {
            self.name = name
            self.x = x
            self.y = y
            self.lower = lower
            self.upper = upper
            self.uncertainty = uncertainty
            self.marker = marker
            self.showsMarkers = showsMarkers
            self.color = color
        }

        /// Checks lengths; throws for an empty series or arrays of different lengths.
        func validate() throws {
            guard !x.isEmpty || !y.isEmpty else { throw PlotError.emptySeries("“\(name)”") }
            guard x.count == y.count else {
                throw PlotError.lengthMismatch("series “\(name)” has \(x.count) x values but \(y.count) y values")
            }
            for (label, values) in [("lower", lower), ("upper", upper)] {
                if let values, values.count != x.count {
                    throw PlotError.lengthMismatch("series “\(name)” has \(x.count) points but \(values.count) \(label) values")
                }
            }
            if (lower == nil) != (upper == nil) {
                throw PlotError.invalidArgument("series “\(name)” needs both lower and upper values, or neither")
            }
        }
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var series: [Series]
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var referenceLines: [ReferenceLine]
    /// Fixed axis ranges (nil: from the data with 5 % margins).
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?

    /// Throws `PlotError` when there is no series, a series is empty, or lengths differ.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, series: [Series],
                xScale: AxisScale = .linear, yScale: AxisScale = .linear, referenceLines: [ReferenceLine] = [],
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) throws {
        guard !series.isEmpty else { throw PlotError.emptySeries("list (a line chart needs at least one series)") }
        for s in series { try s.validate() }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xScale = xScale
        self.yScale = yScale
        self.referenceLines = referenceLines
        self.xRange = xRange
        self.yRange = yRange
    }

    static func layers(for series: [Series], offset: Int = 0) -> [any PlotLayer] {
        series.enumerated().map { i, s in
            let index = i + offset
            let markers = s.showsMarkers ?? (s.x.count <= 40)
            return LineLayer(name: s.name, x: s.x, y: s.y, lower: s.lower, upper: s.upper, uncertainty: s.uncertainty,
                             color: s.color ?? Palette.color(index), dash: Palette.dash(index),
                             marker: markers ? (s.marker ?? MarkerShape.automatic(index)) : nil)
        }
    }

    public func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout {
        let spec = FigureSpec(title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                              xRange: xRange, yRange: yRange,
                              panels: [PanelSpec(layers: Self.layers(for: series), referenceLines: referenceLines)],
                              showLegend: series.count > 1)
        return try FigureRenderer(spec: spec, canvas: canvas, theme: theme).render()
    }

    /// Long format: one row per point, `series,x,y,lower,upper` (empty when absent).
    public func csv() -> String {
        CSV.lines(header: ["series", "x", "y", "lower", "upper"], rows: series.flatMap(Self.rows))
    }

    /// CSV rows of one series: name, x, y, lower, upper.
    static func rows(_ s: Series) -> [[String]] {
        s.x.indices.map { i in
            [s.name, CSV.number(s.x[i]), CSV.number(s.y[i]),
             s.lower.map { CSV.number($0[i]) } ?? "", s.upper.map { CSV.number($0[i]) } ?? ""]
        }
    }
}
