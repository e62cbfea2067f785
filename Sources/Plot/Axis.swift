import Foundation

/// How values map to positions along an axis.
public enum AxisScale: String, Sendable, Hashable, CaseIterable {
    case linear
    /// Base-10 logarithmic; values ≤ 0 cannot be drawn and are skipped (and counted).
    case log

    /// Whether `v` can be placed on an axis of this scale.
    func accepts(_ v: Double) -> Bool { v.isFinite && (self == .linear || v > 0) }
    func transformed(_ v: Double) -> Double { self == .log ? log10(v) : v }
    func inverse(_ t: Double) -> Double { self == .log ? pow(10, t) : t }
}

/// One axis of a panel: scale, visible domain (data units) and ticks.
struct Axis {
    var scale: AxisScale
    var domain: ClosedRange<Double>
    var ticks: [Tick] = []
    /// Common power of ten of the tick labels (0 = none), shown beside the axis title.
    var exponent = 0
    /// Ticks only on whole numbers (the data are integers: dimensions, epochs).
    var integerSteps = false

    /// Position of `v` along the axis as a fraction of its length (0 at the domain's start).
    func fraction(_ v: Double) -> Double {
        let lo = scale.transformed(domain.lowerBound), hi = scale.transformed(domain.upperBound)
        return (scale.transformed(v) - lo) / (hi - lo)
    }

    /// The visible domain for data spanning `extent`: 5 % margins (in log space on log
    /// axes), zero included when asked (bars start at 0), and a sensible span for constant
    /// data (±10 %, or −1…1 around 0; a factor of 2 on log axes).
    static func domain(for extent: ClosedRange<Double>, scale: AxisScale, includeZero: Bool = false,
                       margin: Double = 0.05) -> ClosedRange<Double> {
        var lo = scale.transformed(extent.lowerBound), hi = scale.transformed(extent.upperBound)
        let zeroAnchored = includeZero && scale == .linear
        if zeroAnchored { lo = min(lo, 0); hi = max(hi, 0) }
        if hi - lo <= 1e-12 * max(1, abs(lo)) {
            switch scale {
            case .log: lo -= 0.30103; hi += 0.30103
            case .linear:
                let d = lo == 0 ? 1 : abs(lo) * 0.1
                lo -= d; hi += d
            }
            return scale.inverse(lo)...scale.inverse(hi)
        }
        let pad = (hi - lo) * margin
        let newLo = zeroAnchored && lo == 0 ? 0 : lo - pad
        let newHi = zeroAnchored && hi == 0 ? 0 : hi + pad
        return scale.inverse(newLo)...scale.inverse(newHi)
    }

    /// Chooses as many ticks as fit along `length` pixels without their labels touching
    /// (labels at least ¾ em apart along x; a quarter line apart along y).
    mutating func fitTicks(length: Double, horizontal: Bool, canvas: Canvas, font: Font) {
        let spacing = horizontal ? font.size * 3.5 : font.size * 2.6
        var maxCount = max(2, min(horizontal ? 11 : 9, Int(length / spacing) + 1))
        while true {
            let candidate: (ticks: [Tick], exponent: Int)
            switch scale {
            case .linear: candidate = Ticks.linear(in: domain, maxCount: maxCount, minimumStep: integerSteps ? 1 : 0)
            case .log: candidate = (Ticks.log(in: domain, maxCount: maxCount), 0)
            }
            ticks = candidate.ticks
            exponent = candidate.exponent
            if maxCount <= 2 || labelsFit(length: length, horizontal: horizontal, canvas: canvas, font: font) { return }
            maxCount -= 1
        }
    }

    private func labelsFit(length: Double, horizontal: Bool, canvas: Canvas, font: Font) -> Bool {
        let labelled = ticks.compactMap { t in t.label.map { (position: fraction(t.value) * length, text: $0) } }
        for (a, b) in zip(labelled, labelled.dropFirst()) {
            let distance = abs(b.position - a.position)
            if horizontal {
                let needed = (canvas.measure(a.text, font: font).width + canvas.measure(b.text, font: font).width) / 2
                if distance < needed + 0.75 * font.size { return false }
            } else if distance < canvas.measure(a.text, font: font).height + 0.25 * font.size {
                return false
            }
        }
        return true
    }
}

/// Data extents of a layer (nil when it has no drawable value on that axis).
struct DataExtent {
    var x: ClosedRange<Double>?
    var y: ClosedRange<Double>?

    static func of(_ xs: [Double], _ ys: [Double], xScale: AxisScale, yScale: AxisScale) -> DataExtent {
        var e = DataExtent()
        for (x, y) in zip(xs, ys) where xScale.accepts(x) && yScale.accepts(y) {
            e.include(x: x)
            e.include(y: y)
        }
        return e
    }

    mutating func include(x v: Double) { x = x.map { min($0.lowerBound, v)...max($0.upperBound, v) } ?? v...v }
    mutating func include(y v: Double) { y = y.map { min($0.lowerBound, v)...max($0.upperBound, v) } ?? v...v }
    mutating func formUnion(_ other: DataExtent) {
        if let ox = other.x { include(x: ox.lowerBound); include(x: ox.upperBound) }
        if let oy = other.y { include(y: oy.lowerBound); include(y: oy.upperBound) }
    }
}

/// Points left out of a drawing: NaN/∞, and non-positive values on a log axis.
struct SkipCount {
    var nonFinite = 0
    var nonPositive = 0
    static func + (a: SkipCount, b: SkipCount) -> SkipCount {
        SkipCount(nonFinite: a.nonFinite + b.nonFinite, nonPositive: a.nonPositive + b.nonPositive)
    }

    /// Counts the pairs that cannot be drawn on these scales.
    static func of(_ xs: [Double], _ ys: [Double], xScale: AxisScale, yScale: AxisScale) -> SkipCount {
        var s = SkipCount()
        for (x, y) in zip(xs, ys) {
            if !x.isFinite || !y.isFinite { s.nonFinite += 1 }
            else if !xScale.accepts(x) || !yScale.accepts(y) { s.nonPositive += 1 }
        }
        return s
    }
}

/// Maps data coordinates to pixels inside a panel's plot area and carries what layers
/// need to draw there.
struct PlotFrame {
    let canvas: Canvas
    let theme: Theme
    let rect: Rect
    let x: Axis
    let y: Axis

    func px(_ v: Double) -> Double { rect.minX + x.fraction(v) * rect.width }
    func py(_ v: Double) -> Double { rect.maxY - y.fraction(v) * rect.height }
    func point(_ vx: Double, _ vy: Double) -> Point { Point(px(vx), py(vy)) }
    func accepts(_ vx: Double, _ vy: Double) -> Bool { x.scale.accepts(vx) && y.scale.accepts(vy) }
}
