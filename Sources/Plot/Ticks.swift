import Foundation

/// A tick mark on an axis: its value in data units, and its label (nil for minor ticks).
public struct Tick: Hashable, Sendable {
    public var value: Double
    public var label: String?
    public var isMajor: Bool { label != nil }
    public init(value: Double, label: String?) { self.value = value; self.label = label }
}

/// Tick positions and labels: "nice" 1-2-5 steps on linear axes, decades (with minor
/// ticks at 2…9) on log axes.
public enum Ticks {
    /// The smallest step of the form {1, 2, 5}·10^k that gives at most `maxCount` ticks on
    /// `range` (`range` must have positive width).
    public static func niceStep(for range: ClosedRange<Double>, maxCount: Int, minimum: Double = 0) -> Double {
        let span = range.upperBound - range.lowerBound
        let raw = max(span / Double(max(1, maxCount - 1)), minimum)
        var exponent = floor(log10(raw))
        while true {
            let base = pow(10, exponent)
            for m in [1.0, 2, 5] {
                let step = m * base
                if step >= minimum * (1 - 1e-12), count(range, step) <= maxCount { return step }
            }
            exponent += 1
        }
    }

    private static func count(_ range: ClosedRange<Double>, _ step: Double) -> Int {
        let first = ceil(range.lowerBound / step - 1e-9)
        let last = floor(range.upperBound / step + 1e-9)
        return Int(last - first) + 1
    }

    /// Labelled ticks at multiples of a nice step inside `range`, at most `maxCount`.
    /// Labels use as many decimals as the step needs, a real minus sign, and a common
    /// power of ten (returned as `exponent`) for very large or small values. `minimumStep`
    /// 1 keeps ticks on whole numbers (code dimensions, epochs).
    public static func linear(in range: ClosedRange<Double>, maxCount: Int, minimumStep: Double = 0) -> (ticks: [Tick], exponent: Int) {
        guard range.upperBound > range.lowerBound else {
            return ([Tick(value: range.lowerBound, label: label(range.lowerBound, decimals: 0))], 0)
        }
        let step = niceStep(for: range, maxCount: max(2, maxCount), minimum: minimumStep)
        let first = ceil(range.lowerBound / step - 1e-9)
        let last = floor(range.upperBound / step + 1e-9)
        let values = stride(from: first, through: last, by: 1).map { $0 * step }
        let largest = values.map(abs).max() ?? 0
        var exponent = 0
        if largest >= 1e6 || (largest > 0 && largest < 1e-3) {
            exponent = Int(floor(log10(largest)))
        }
        let scaledStep = step / pow(10, Double(exponent))
        let decimals = max(0, -Int(floor(log10(scaledStep) + 1e-9)))
        let ticks = values.map { v in
            Tick(value: v, label: label(v / pow(10, Double(exponent)), decimals: decimals))
        }
        return (ticks, exponent)
    }

    /// Ticks of a log axis over `range` (positive bounds): labelled decades, thinned to at
    /// most `maxCount` labels, with unlabelled minor ticks at 2…9 × 10^k; when only two or
    /// three decade marks are visible (and they fit) the 1-2-5 multiples are labelled too.
    public static func log(in range: ClosedRange<Double>, maxCount: Int) -> [Tick] {
        let lo = log10(range.lowerBound), hi = log10(range.upperBound)
        let firstDecade = Int(ceil(lo - 1e-9)), lastDecade = Int(floor(hi + 1e-9))
        let inside = { (v: Double) in v >= range.lowerBound * (1 - 1e-9) && v <= range.upperBound * (1 + 1e-9) }
        let decades = lastDecade - firstDecade + 1
        var ticks = [Tick]()
        let oneTwoFive = ((firstDecade - 1)...(lastDecade + 1)).flatMap { k in [1.0, 2, 5].map { $0 * pow(10, Double(k)) } }.filter(inside)
        if decades >= 2, decades <= 3, oneTwoFive.count <= maxCount {
            // Two or three decade marks: label 2 and 5 too, or the axis reads "1 … 10" only.
            for k in (firstDecade - 1)...(lastDecade + 1) {
                for m in 1...9 {
                    let v = Double(m) * pow(10, Double(k))
                    if inside(v) { ticks.append(Tick(value: v, label: [1, 2, 5].contains(m) ? logLabel(mantissa: m, exponent: k) : nil)) }
                }
            }
        } else if decades >= 2 {
            let stride = max(1, Int(ceil(Double(decades) / Double(max(2, maxCount)))))
            for k in (firstDecade - 1)...(lastDecade + 1) {
                let v = pow(10, Double(k))
                if (k - firstDecade) % stride == 0, inside(v) {
                    ticks.append(Tick(value: v, label: logLabel(mantissa: 1, exponent: k)))
                } else if inside(v) {
                    ticks.append(Tick(value: v, label: nil))
                }
                if stride == 1 {
                    for m in 2...9 where inside(Double(m) * v) { ticks.append(Tick(value: Double(m) * v, label: nil)) }
                }
            }
        } else {
            // Less than two decade marks: label 1, 2 and 5 multiples (all of 1…9 if that is
            // still fewer than two labels).
            let candidates = ((firstDecade - 1)...(lastDecade + 1)).flatMap { k in (1...9).map { (m: $0, k: k) } }
                .filter { inside(Double($0.m) * pow(10, Double($0.k))) }
            let labelled125 = candidates.filter { [1, 2, 5].contains($0.m) }.count
            let labelAll = labelled125 < 2
            for c in candidates {
                let v = Double(c.m) * pow(10, Double(c.k))
                let labelled = labelAll || [1, 2, 5].contains(c.m)
                ticks.append(Tick(value: v, label: labelled ? logLabel(mantissa: c.m, exponent: c.k) : nil))
            }
        }
        return ticks.sorted { $0.value < $1.value }
    }

    /// A linear tick label with `decimals` digits after the point and "−" for negatives.
    static func label(_ v: Double, decimals: Int) -> String {
        var s = String(format: "%.\(decimals)f", v)
        if s.hasPrefix("-") {
            s = s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(s.dropFirst()) : "−" + s.dropFirst()
        }
        return s
    }

    /// `m·10^k` as a plain number between 0.001 and 10 000, else as "m×10ᵏ" with superscripts.
    static func logLabel(mantissa m: Int, exponent k: Int) -> String {
        if k >= -3 && k <= 4 {
            let v = Double(m) * pow(10, Double(k))
            return label(v, decimals: max(0, -k))
        }
        return (m == 1 ? "" : "\(m)×") + "10" + superscript(k)
    }

    /// An integer in Unicode superscript digits ("⁻³").
    public static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(abs(n)).compactMap { $0.wholeNumberValue.map { digits[$0] } }
    }
}
