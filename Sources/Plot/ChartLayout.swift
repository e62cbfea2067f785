import Foundation

/// A chart drawn through the `Canvas` protocol. Every chart of this module conforms; the
/// PNG comes from drawing on a `GDCanvas`, tests draw on a `RecordingCanvas`.
public protocol DrawableChart: Chart {
    /// Draws the chart on `canvas` with `theme`'s type and line sizes and returns where
    /// everything went. Throws `PlotError` for data that cannot be drawn.
    @discardableResult
    func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout
    /// The figure's height in CSS px at `size`: the size's, or more for a grid of panels
    /// whose rows would not fit it.
    func layoutHeight(for size: FigureSize) -> Int
}

extension DrawableChart {
    public func layoutHeight(for size: FigureSize) -> Int { size.layout.height }

    /// The chart as PNG bytes at `size`, drawn with libgd.
    public func png(size: FigureSize) throws -> [UInt8] {
        let theme = Theme(size)
        let canvas = try GDCanvas(width: size.pixels.width, height: layoutHeight(for: size) * size.density, supersample: theme.supersample)
        try draw(on: canvas, theme: theme)
        return try canvas.pngBytes()
    }

    /// Draws on a recording canvas of `size` (for tests), in CSS pixels: the layout and
    /// every call.
    public func recording(size: FigureSize) throws -> (layout: ChartLayout, canvas: RecordingCanvas) {
        let canvas = RecordingCanvas(width: Double(size.layout.width), height: Double(layoutHeight(for: size)))
        let layout = try draw(on: canvas, theme: Theme(size, density: 1))
        return (layout, canvas)
    }
}

/// Where a drawn chart put its parts, for tests and for callers that annotate figures.
public struct ChartLayout: Sendable {
    /// One per panel, in reading order (a single panel for most charts).
    public var panels: [PanelLayout]
    /// The legend's frame and spot, when the chart has one.
    public var legend: (frame: Rect, placement: LegendPlacement)?
    /// Notes printed at the bottom ("3 points with NaN/∞ not drawn").
    public var notes: [String]
    /// Points not drawn because they were NaN/∞.
    public var skippedNonFinite: Int
    /// Points not drawn because they were ≤ 0 on a log axis.
    public var skippedNonPositive: Int

    public init(panels: [PanelLayout] = [], legend: (frame: Rect, placement: LegendPlacement)? = nil,
                notes: [String] = [], skippedNonFinite: Int = 0, skippedNonPositive: Int = 0) {
        self.panels = panels
        self.legend = legend
        self.notes = notes
        self.skippedNonFinite = skippedNonFinite
        self.skippedNonPositive = skippedNonPositive
    }
}

/// One panel's plot area, visible domains and ticks.
public struct PanelLayout: Sendable {
    public var plotArea: Rect
    public var xDomain: ClosedRange<Double>
    public var yDomain: ClosedRange<Double>
    public var xTicks: [Tick]
    public var yTicks: [Tick]
    /// Where data point (x, y) lands in figure pixels.
    public func position(x: Double, y: Double, xScale: AxisScale = .linear, yScale: AxisScale = .linear) -> Point {
        let fx = Axis(scale: xScale, domain: xDomain).fraction(x), fy = Axis(scale: yScale, domain: yDomain).fraction(y)
        return Point(plotArea.minX + fx * plotArea.width, plotArea.maxY - fy * plotArea.height)
    }
}

/// A labelled vertical or horizontal line at a data value ("true k = 3", "h = 0.242").
public struct ReferenceLine: Sendable, Hashable {
    /// `identity` is the diagonal y = x (an estimate against its truth); its `value` is unused.
    public enum Orientation: String, Sendable, Hashable { case vertical, horizontal, identity }
    public var orientation: Orientation
    /// Position in data units (x for vertical lines, y for horizontal ones; 0 for the diagonal).
    public var value: Double
    public var label: String?
    /// Line colour; dark grey when nil.
    public var color: Color?

    public init(_ orientation: Orientation, at value: Double, label: String? = nil, color: Color? = nil) {
        self.orientation = orientation
        self.value = value
        self.label = label
        self.color = color
    }
    /// A vertical line at x = `value`.
    public static func vertical(_ value: Double, label: String? = nil, color: Color? = nil) -> ReferenceLine {
        ReferenceLine(.vertical, at: value, label: label, color: color)
    }
    /// A horizontal line at y = `value`.
    public static func horizontal(_ value: Double, label: String? = nil, color: Color? = nil) -> ReferenceLine {
        ReferenceLine(.horizontal, at: value, label: label, color: color)
    }
    /// The diagonal y = x across the plot.
    public static func identity(label: String? = nil, color: Color? = nil) -> ReferenceLine {
        ReferenceLine(.identity, at: 0, label: label, color: color)
    }
}

/// CSV text (RFC 4180 quoting), header first.
enum CSV {
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return "\(v)"
    }
    static func lines(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
