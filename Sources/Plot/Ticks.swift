import Foundation

/// A tick mark on an axis: its value in data units, and its label (nil for minor ticks).
public struct Tick: Hashable, Sendable {
    public var value: Double
    public var label: String?
    public var isMajor: Bool { label != nil }
    public init(value: Double, label: String?) { self.value = value; self.label = label }
}

/// Tick positions and labels: "nice" 1-2-5 steps on linear axes; on log axes as many
/// labelled multiples of each decade as fit (with minor ticks at the rest of 2…9).
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

    /// Mantissas labelled on a log axis, densest first: the first set that gives at most
    /// `maxCount` labels is used, so a range of less than two decades labels 2…9 or 2, 3, 5
    /// (not only its one or two decade marks) and a wide range labels the decades.
    static let logMantissaSets: [[Int]] = [Array(1...9), [1, 2, 3, 5], [1, 2, 5], [1, 3], [1]]

    /// Ticks of a log axis over `range` (positive bounds): the densest labelling with at
    /// most `maxCount` labels among 1…9, 1-2-3-5, 1-2-5, 1-3 per decade, then every decade,
    /// then every n-th decade; unlabelled minor ticks at the other 2…9 × 10^k while decades
    /// are not thinned. One notation per axis: plain numbers when every label lies between
    /// 0.001 and 10 000, else all in powers of ten ("10⁻⁴", "2×10⁻⁴"), never a mix. A range
    /// too narrow for two such labels falls back to linear ticks.
    public static func log(in range: ClosedRange<Double>, maxCount: Int) -> [Tick] {
        let lo = log10(range.lowerBound), hi = log10(range.upperBound)
        let firstDecade = Int(floor(lo + 1e-9)), lastDecade = Int(floor(hi + 1e-9))
        let inside = { (v: Double) in v >= range.lowerBound * (1 - 1e-9) && v <= range.upperBound * (1 + 1e-9) }
        let limit = max(2, maxCount)
        let all = (firstDecade...lastDecade).flatMap { k in (1...9).map { (m: $0, k: k) } }
            .filter { inside(Double($0.m) * pow(10, Double($0.k))) }

        var labelled: [(m: Int, k: Int)]?
        var minorsEverywhere = true
        for set in logMantissaSets {
            let candidate = all.filter { set.contains($0.m) }
            if candidate.count >= 2, candidate.count <= limit { labelled = candidate; break }
        }
        if labelled == nil {
            let decades = all.filter { $0.m == 1 }
            if decades.count > limit {
                let stride = Int(ceil(Double(decades.count) / Double(limit)))
                labelled = decades.filter { ($0.k - (decades.first?.k ?? 0)) % stride == 0 }
                minorsEverywhere = false
            } else if decades.count >= 2 {
                labelled = decades
            }
        }
        guard let labelled, labelled.count >= 2 else {
            // Narrower than any two of 1…9 × 10^k: linear ticks read best.
            let (ticks, exponent) = linear(in: range, maxCount: limit)
            let suffix = exponent == 0 ? "" : "×10" + superscript(exponent)
            return ticks.filter { $0.value > 0 }.map { Tick(value: $0.value, label: $0.label.map { $0 + suffix }) }
        }
        let plain = labelled.allSatisfy { $0.k >= -3 && $0.k <= 4 }
        var ticks = [Tick]()
        for c in all {
            let v = Double(c.m) * pow(10, Double(c.k))
            if labelled.contains(where: { $0 == c }) {
                ticks.append(Tick(value: v, label: logLabel(mantissa: c.m, exponent: c.k, plain: plain)))
            } else if minorsEverywhere || c.m == 1 {
                ticks.append(Tick(value: v, label: nil))
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

    /// `m·10^k` as a plain number ("0.002", "500") or as "m×10ᵏ" with superscripts.
    static func logLabel(mantissa m: Int, exponent k: Int, plain: Bool) -> String {
        if plain {
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
