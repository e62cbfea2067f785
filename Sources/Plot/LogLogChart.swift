import Foundation

/// A log-log plot with a straight-line fit over a highlighted range, its slope in the
/// legend: correlation integrals C(r) (slope = correlation dimension), k-NN distances.
///
/// The fit is least squares of log10 y on log10 x over the points with x in `fitRange`
/// (both positive and finite); slope = Σ(u−ū)(v−v̄) / Σ(u−ū)².
public struct LogLogChart: DrawableChart {
    /// A fitted line log10 y = intercept + slope · log10 x over `range`.
    public struct Fit: Sendable, Hashable {
        public var series: String
        public var slope: Double
        public var intercept: Double
        public var range: ClosedRange<Double>
        /// Points the fit used.
        public var pointCount: Int
        /// y on the fitted line at `x`.
        public func value(at x: Double) -> Double { pow(10, intercept + slope * log10(x)) }
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var series: [LineChart.Series]
    public var fitRange: ClosedRange<Double>?
    public var referenceLines: [ReferenceLine]
    /// The fits, one per series with at least two usable points in `fitRange`.
    public private(set) var fits: [Fit] = []

    /// Throws for no series, an empty series or mismatched lengths, and a fit range that
    /// is not positive.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, series: [LineChart.Series],
                fitRange: ClosedRange<Double>? = nil, referenceLines: [ReferenceLine] = []) throws {
        guard !series.isEmpty else { throw PlotError.emptySeries("list (a log-log plot needs at least one series)") }
        for s in series { try s.validate() }
        if let fitRange, !(fitRange.lowerBound > 0 && fitRange.upperBound.isFinite) {
            throw PlotError.invalidArgument("the fit range of a log-log plot must be positive and finite, got \(fitRange)")
        }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.fitRange = fitRange
        self.referenceLines = referenceLines
        if let fitRange { fits = series.compactMap { Self.fit($0, over: fitRange) } }
    }

    static func fit(_ s: LineChart.Series, over range: ClosedRange<Double>) -> Fit? {
        let pairs = zip(s.x, s.y).filter { range.contains($0.0) && $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
            .map { (log10($0.0), log10($0.1)) }
        guard pairs.count >= 2 else { return nil }
        let n = Double(pairs.count)
        let mu = pairs.reduce(0) { $0 + $1.0 } / n, mv = pairs.reduce(0) { $0 + $1.1 } / n
        let suu = pairs.reduce(0) { $0 + ($1.0 - mu) * ($1.0 - mu) }
        let suv = pairs.reduce(0) { $0 + ($1.0 - mu) * ($1.1 - mv) }
        guard suu > 0 else { return nil }
        let slope = suv / suu
        return Fit(series: s.name, slope: slope, intercept: mv - slope * mu, range: range, pointCount: pairs.count)
    }

    public func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout {
        var layers = [any PlotLayer]()
        if let fitRange { layers.append(SpanLayer(name: "fit range", range: fitRange, color: Color.gray(0.5).withOpacity(0.13))) }
        layers += LineChart.layers(for: series)
        for fit in fits {
            let index = series.firstIndex { $0.name == fit.series } ?? 0
            let name = (series.count == 1 ? "fit" : "\(fit.series) fit") + ": slope " + Ticks.label(fit.slope, decimals: 2)
            let x = [fit.range.lowerBound, fit.range.upperBound]
            // Drawn after the data, thicker, with a white halo, in black for a single series and
            // else in a dark shade of its series' colour: a dashed fit of the same colour as a
            // (dashed) series vanishes into it.
            layers.append(LineLayer(name: name, x: x, y: x.map(fit.value(at:)), uncertainty: .band,
                                    color: series.count == 1 ? .black : Self.fitColor(series[index].color ?? Palette.color(index)), dash: [3, 2], marker: nil,
                                    widthFactor: 1.5, halo: true))
        }
        var notes = [String]()
        if fitRange != nil, fits.count < series.count { notes.append("fewer than 2 points in the fit range for some series: no fit") }
        let spec = FigureSpec(title: title, xLabel: xLabel, yLabel: yLabel, xScale: .log, yScale: .log,
                              panels: [PanelSpec(layers: layers, referenceLines: referenceLines)], extraNotes: notes)
        return try FigureRenderer(spec: spec, canvas: canvas, theme: theme).render()
    }

    /// The fit's colour for a series of colour `c`: the same hue at 45 % of its brightness.
    static func fitColor(_ c: Color) -> Color {
        func dark(_ v: UInt8) -> UInt8 { UInt8((Double(v) * 0.45).rounded()) }
        return Color(red: dark(c.red), green: dark(c.green), blue: dark(c.blue))
    }

    /// One row per point: `series,x,y,in_fit_range`, then the fits as rows `fit:<series>`
    /// with x = slope and y = intercept (log10 units).
    public func csv() -> String {
        var rows = [[String]]()
        for s in series {
            for i in s.x.indices {
                rows.append([s.name, CSV.number(s.x[i]), CSV.number(s.y[i]),
                             fitRange.map { $0.contains(s.x[i]) ? "1" : "0" } ?? ""])
            }
        }
        for f in fits { rows.append(["fit:" + f.series, CSV.number(f.slope), CSV.number(f.intercept), ""]) }
        return CSV.lines(header: ["series", "x", "y", "in_fit_range"], rows: rows)
    }
}
