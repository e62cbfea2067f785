import Foundation

/// Something drawn inside a panel's plot area (a series, bars, points, a fit, a span).
protocol PlotLayer {
    /// Extent of the drawable data on these scales.
    func extent(xScale: AxisScale, yScale: AxisScale) -> DataExtent
    /// Points that cannot be drawn on these scales.
    func skipped(xScale: AxisScale, yScale: AxisScale) -> SkipCount
    /// Drawn before every layer's `draw` (bands, highlighted spans).
    func drawUnderlay(in frame: PlotFrame)
    func draw(in frame: PlotFrame)
    var legendEntries: [LegendEntry] { get }
    /// Pixel positions the legend should not cover.
    func occupancy(in frame: PlotFrame) -> [Point]
    /// Whether every drawable x value is a whole number (then x ticks stay on whole numbers).
    var hasIntegerX: Bool { get }
}

extension PlotLayer {
    var hasIntegerX: Bool { false }
    func drawUnderlay(in frame: PlotFrame) {}
    func skipped(xScale: AxisScale, yScale: AxisScale) -> SkipCount { SkipCount() }
}

/// How a series' lower/upper values are shown.
public enum UncertaintyStyle: String, Sendable, Hashable {
    /// A shaded band between lower and upper (mean ± spread of a curve).
    case band
    /// A vertical bar with caps at each point.
    case errorBars
}

/// Indices of consecutive drawable points (a NaN breaks a line, as in matplotlib).
func drawableRuns(count: Int, _ ok: (Int) -> Bool) -> [Range<Int>] {
    var runs = [Range<Int>]()
    var start: Int?
    for i in 0..<count {
        if ok(i) { if start == nil { start = i } }
        else if let s = start { runs.append(s..<i); start = nil }
    }
    if let s = start { runs.append(s..<count) }
    return runs
}

/// Keeps at most four points per pixel column (first, lowest, highest, last: the M4
/// reduction), which draws the same picture as all points when x increases.
func decimated(_ points: [Point]) -> [Point] {
    guard points.count > 2000 else { return points }
    for (a, b) in zip(points, points.dropFirst()) where b.x < a.x { return points }
    var result = [Point]()
    result.reserveCapacity(4 * 2000)
    var i = 0
    while i < points.count {
        let column = points[i].x.rounded(.down)
        var j = i, low = i, high = i
        while j < points.count, points[j].x.rounded(.down) == column {
            if points[j].y < points[low].y { low = j }
            if points[j].y > points[high].y { high = j }
            j += 1
        }
        for k in Set([i, low, high, j - 1]).sorted() { result.append(points[k]) }
        i = j
    }
    return result
}

/// Samples of a polyline every `step` pixels, for legend placement.
func sampled(_ points: [Point], step: Double) -> [Point] {
    guard let first = points.first else { return [] }
    var result = [first]
    for (a, b) in zip(points, points.dropFirst()) {
        let n = min(200, Int(hypot(b.x - a.x, b.y - a.y) / step))
        if n > 0 {
            for k in 1...n { let t = Double(k) / Double(n + 1); result.append(Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)) }
        }
        result.append(b)
    }
    return result
}

/// One line series with optional markers and uncertainty.
struct LineLayer: PlotLayer {
    var name: String
    var x: [Double]
    var y: [Double]
    var lower: [Double]?
    var upper: [Double]?
    var uncertainty: UncertaintyStyle
    var color: Color
    var dash: [Double]?
    var marker: MarkerShape?
    var showsLine = true
    var inLegend = true
    /// Line width as a multiple of the theme's (a fit drawn over the data is thicker).
    var widthFactor = 1.0
    /// A light outline under the line, so it stays visible on top of dense data.
    var halo = false

    private func valid(_ i: Int, _ frame: PlotFrame) -> Bool { frame.accepts(x[i], y[i]) }
    private func validBounds(_ i: Int, xScale: AxisScale, yScale: AxisScale) -> (Double, Double)? {
        guard let lower, let upper, xScale.accepts(x[i]), yScale.accepts(lower[i]), yScale.accepts(upper[i]) else { return nil }
        return (lower[i], upper[i])
    }

    func extent(xScale: AxisScale, yScale: AxisScale) -> DataExtent {
        var e = DataExtent.of(x, y, xScale: xScale, yScale: yScale)
        for i in x.indices {
            if let (lo, hi) = validBounds(i, xScale: xScale, yScale: yScale) { e.include(y: lo); e.include(y: hi); e.include(x: x[i]) }
        }
        return e
    }

    func skipped(xScale: AxisScale, yScale: AxisScale) -> SkipCount { SkipCount.of(x, y, xScale: xScale, yScale: yScale) }

    func drawUnderlay(in frame: PlotFrame) {
        guard uncertainty == .band, lower != nil, upper != nil else { return }
        let runs = drawableRuns(count: x.count) { validBounds($0, xScale: frame.x.scale, yScale: frame.y.scale) != nil }
        for run in runs where run.count >= 2 {
            let top = run.compactMap { i in validBounds(i, xScale: frame.x.scale, yScale: frame.y.scale).map { frame.point(x[i], $0.1) } }
            let bottom = run.reversed().compactMap { i in validBounds(i, xScale: frame.x.scale, yScale: frame.y.scale).map { frame.point(x[i], $0.0) } }
            frame.canvas.polygon(decimated(top) + decimated(bottom.reversed()).reversed(), fill: color.withOpacity(Self.bandOpacity), stroke: nil)
            // Thin edges in the series colour: where two bands overlap, the blend is bounded
            // by lines a reader can match to the legend.
            let edge = Stroke(color.withOpacity(Self.bandEdgeOpacity), width: frame.theme.axisWidth)
            frame.canvas.polyline(decimated(top), stroke: edge)
            frame.canvas.polyline(decimated(bottom.reversed()), stroke: edge)
        }
    }

    func draw(in frame: PlotFrame) {
        let theme = frame.theme, canvas = frame.canvas
        let runs = drawableRuns(count: x.count) { valid($0, frame) }
        let width = theme.lineWidth * widthFactor
        let stroke = Stroke(color, width: width, dash: dash.map { $0.map { $0 * theme.lineWidth } })
        if uncertainty == .errorBars {
            let barStroke = Stroke(color, width: theme.lineWidth * 0.7)
            let cap = theme.markerRadius * 1.1
            for i in x.indices {
                guard let (lo, hi) = validBounds(i, xScale: frame.x.scale, yScale: frame.y.scale) else { continue }
                let px = frame.px(x[i]), top = frame.py(hi), bottom = frame.py(lo)
                canvas.line(from: Point(px, top), to: Point(px, bottom), stroke: barStroke)
                canvas.line(from: Point(px - cap, top), to: Point(px + cap, top), stroke: barStroke)
                canvas.line(from: Point(px - cap, bottom), to: Point(px + cap, bottom), stroke: barStroke)
            }
        }
        for run in runs {
            let points = run.map { frame.point(x[$0], y[$0]) }
            if showsLine, points.count >= 2 {
                // Translucent, so the data points under the line stay visible through it.
                if halo { canvas.polyline(decimated(points), stroke: Stroke(Color.white.withOpacity(0.65), width: width + 2 * theme.scale)) }
                canvas.polyline(decimated(points), stroke: stroke)
            }
            // A lone point (a one-point series, or one between NaNs) needs a marker to be seen.
            if let shape = marker ?? (points.count == 1 ? .circle : nil) {
                for p in points { shape.draw(at: p, radius: theme.markerRadius, fill: color, edge: nil, on: canvas) }
            }
        }
    }

    var legendEntries: [LegendEntry] {
        guard inLegend else { return [] }
        let stroke = Stroke(color, width: widthFactor, dash: dash)
        if lower != nil, uncertainty == .band { return [LegendEntry(label: name, swatch: .band(fill: color.withOpacity(Self.bandOpacity), line: stroke))] }
        if !showsLine, let marker { return [LegendEntry(label: name, swatch: .marker(marker, color))] }
        return [LegendEntry(label: name, swatch: .line(stroke, marker: marker))]
    }

    var hasIntegerX: Bool { x.allSatisfy { !$0.isFinite || $0 == $0.rounded() } }

    /// Opacity of a band's fill: light enough that two overlapping bands blend to a pale
    /// tint, not a colour of their own; the edges (in the series colour) tell them apart.
    static let bandOpacity = 0.1
    static let bandEdgeOpacity = 0.8

    func occupancy(in frame: PlotFrame) -> [Point] {
        var points = drawableRuns(count: x.count) { valid($0, frame) }.flatMap { run in
            sampled(decimated(run.map { frame.point(x[$0], y[$0]) }), step: 4 * frame.theme.scale)
        }
        // Error bars and bands are data too: sample bars, and a band's area column by column.
        if uncertainty == .errorBars {
            for i in x.indices {
                guard let (lo, hi) = validBounds(i, xScale: frame.x.scale, yScale: frame.y.scale) else { continue }
                let top = frame.py(hi), bottom = frame.py(lo)
                points += stride(from: min(top, bottom), through: max(top, bottom), by: 4 * frame.theme.scale).map { Point(frame.px(x[i]), $0) }
            }
        }
        if uncertainty == .band, x.count <= 5000 {
            let step = 8 * frame.theme.scale
            let corners = x.indices.compactMap { i in
                validBounds(i, xScale: frame.x.scale, yScale: frame.y.scale).map { (frame.px(x[i]), frame.py($0.0), frame.py($0.1)) }
            }
            for (a, b) in zip(corners, corners.dropFirst()) {
                var px = a.0
                while px <= b.0 {
                    let t = b.0 > a.0 ? (px - a.0) / (b.0 - a.0) : 0
                    let low = a.1 + (b.1 - a.1) * t, high = a.2 + (b.2 - a.2) * t
                    var py = min(low, high)
                    while py <= max(low, high) { points.append(Point(px, py)); py += step }
                    px += step
                }
            }
        }
        return points
    }
}

/// Points of one category of a scatter plot.
struct ScatterLayer: PlotLayer {
    var name: String
    var x: [Double]
    var y: [Double]
    var color: Color
    var marker: MarkerShape
    var opacity: Double
    var radiusScale: Double

    func extent(xScale: AxisScale, yScale: AxisScale) -> DataExtent { DataExtent.of(x, y, xScale: xScale, yScale: yScale) }
    func skipped(xScale: AxisScale, yScale: AxisScale) -> SkipCount { SkipCount.of(x, y, xScale: xScale, yScale: yScale) }

    func draw(in frame: PlotFrame) {
        let fill = color.withOpacity(opacity)
        for (vx, vy) in zip(x, y) where frame.accepts(vx, vy) {
            marker.draw(at: frame.point(vx, vy), radius: frame.theme.markerRadius * radiusScale, fill: fill, edge: nil, on: frame.canvas)
        }
    }

    var legendEntries: [LegendEntry] { [LegendEntry(label: name, swatch: .marker(marker, color))] }
    var hasIntegerX: Bool { x.allSatisfy { !$0.isFinite || $0 == $0.rounded() } }

    func occupancy(in frame: PlotFrame) -> [Point] {
        zip(x, y).filter { frame.accepts($0.0, $0.1) }.map { frame.point($0.0, $0.1) }
    }
}

/// Histogram bars of one group over `edges`, filled translucently and outlined by a step line.
struct BarsLayer: PlotLayer {
    var name: String
    var edges: [Double]
    var values: [Double]
    var color: Color
    var fillOpacity: Double
    /// The outline's dash pattern (in line widths): overlaid groups differ by dash as well as
    /// colour (WCAG 1.4.1).
    var dash: [Double]? = nil

    private func bins(xScale: AxisScale, yScale: AxisScale) -> [Int] {
        values.indices.filter { xScale.accepts(edges[$0]) && xScale.accepts(edges[$0 + 1]) && values[$0].isFinite && values[$0] >= 0 }
    }

    func extent(xScale: AxisScale, yScale: AxisScale) -> DataExtent {
        var e = DataExtent()
        for i in bins(xScale: xScale, yScale: yScale) {
            e.include(x: edges[i]); e.include(x: edges[i + 1])
            if yScale.accepts(values[i]) { e.include(y: values[i]) }
        }
        return e
    }

    func skipped(xScale: AxisScale, yScale: AxisScale) -> SkipCount {
        SkipCount(nonFinite: values.filter { !$0.isFinite }.count, nonPositive: 0)
    }

    private func baseline(_ frame: PlotFrame) -> Double {
        frame.y.scale == .log ? frame.rect.maxY : frame.py(max(0, frame.y.domain.lowerBound))
    }

    /// Fill opacity of groups overlaid on one panel: where two overlap the blend stays a pale
    /// tint, not a third colour the legend does not explain (at 0.35 blue over orange made
    /// grey-brown); each group's step outline, drawn above every fill, tells them apart.
    static let overlaidOpacity = 0.2

    /// The fills, under every group's outline.
    func drawUnderlay(in frame: PlotFrame) {
        let base = baseline(frame)
        for i in bins(xScale: frame.x.scale, yScale: frame.y.scale) {
            let top = frame.y.scale.accepts(values[i]) ? frame.py(values[i]) : base
            let left = frame.px(edges[i]), right = frame.px(edges[i + 1])
            frame.canvas.rect(Rect(x: left, y: min(top, base), width: right - left, height: abs(base - top)),
                              fill: color.withOpacity(fillOpacity), stroke: nil)
        }
    }

    func draw(in frame: PlotFrame) {
        let base = baseline(frame)
        var outline = [Point]()
        for i in bins(xScale: frame.x.scale, yScale: frame.y.scale) {
            let top = frame.y.scale.accepts(values[i]) ? frame.py(values[i]) : base
            let left = frame.px(edges[i]), right = frame.px(edges[i + 1])
            if let last = outline.last, abs(last.x - left) > 0.01 { outline.append(Point(last.x, base)); outline.append(Point(left, base)) }
            if outline.isEmpty { outline.append(Point(left, base)) }
            outline.append(Point(left, top))
            outline.append(Point(right, top))
        }
        if let last = outline.last { outline.append(Point(last.x, base)) }
        frame.canvas.polyline(outline, stroke: Stroke(color, width: frame.theme.lineWidth * 0.75,
                                                       dash: dash.map { $0.map { $0 * frame.theme.lineWidth } }))
    }

    var legendEntries: [LegendEntry] {
        [LegendEntry(label: name, swatch: .box(fill: color.withOpacity(fillOpacity), stroke: Stroke(color, width: 0.75, dash: dash)))]
    }

    func occupancy(in frame: PlotFrame) -> [Point] {
        let step = 8 * frame.theme.scale, base = baseline(frame)
        var points = [Point]()
        for i in bins(xScale: frame.x.scale, yScale: frame.y.scale) where frame.y.scale.accepts(values[i]) {
            let top = frame.py(values[i]), left = frame.px(edges[i]), right = frame.px(edges[i + 1])
            var py = top
            while py <= base {
                var px = left
                while px <= right { points.append(Point(px, py)); px += step }
                py += step
            }
        }
        return points
    }
}

/// A highlighted x range (the scaling region of a log-log fit), shaded over the full height.
struct SpanLayer: PlotLayer {
    var name: String
    var range: ClosedRange<Double>
    var color: Color

    func extent(xScale: AxisScale, yScale: AxisScale) -> DataExtent {
        var e = DataExtent()
        if xScale.accepts(range.lowerBound) && xScale.accepts(range.upperBound) { e.include(x: range.lowerBound); e.include(x: range.upperBound) }
        return e
    }
    func drawUnderlay(in frame: PlotFrame) {
        guard frame.x.scale.accepts(range.lowerBound) else { return }
        let left = frame.px(range.lowerBound), right = frame.px(range.upperBound)
        frame.canvas.rect(Rect(x: left, y: frame.rect.minY, width: right - left, height: frame.rect.height), fill: color, stroke: nil)
    }
    func draw(in frame: PlotFrame) {}
    var legendEntries: [LegendEntry] { [LegendEntry(label: name, swatch: .box(fill: color, stroke: nil))] }
    func occupancy(in frame: PlotFrame) -> [Point] { [] }
}
