import Foundation
import Linalg

/// The estimator the calibration picks (notebooks/verdict-calibration.md), chosen per data
/// set by the intrinsic dimension's dependence on scale: `AutomaticDimensionRule` reads
/// Gride's curve at n₁ = 1, 2, 4, …, 32 (`GrideDimension`) and says which number to trust,
/// and whether to trust it at all.
///
/// On scikit-dimension's 24 benchmark manifolds (n ∈ {1 000, 2 500}, seeds 6–10, which chose
/// no threshold) the rule's mean relative error is 5.65 % (exact for k ≤ 6 in 90.8 % of the
/// cases, more than 1 off in 8.3 %: Mbeta and the (12, 72) set, which every estimator misreads),
/// and with noise of 0.5–2 % of the spread on the k ≤ 4 sets it gives 2 confident wrong numbers
/// in 300 cases (a helicoid at 2 % reading 2.67; the previous rule: 13), as measured by
/// `nice -n 10 .build/release/entropybook run scripts/dimension-rule/cases.md -o output/dimension-rule`
/// and `python3 scripts/dimension-rule/evaluate.py output/dimension-rule/.cache --variant=chosen`.
public struct AutomaticDimension: Sendable {
    /// Gride at every scale.
    public let gride: GrideDimension
    /// The rule's reading of the scale curve.
    public let rule: AutomaticDimensionRule
    /// n₁ where the plateau starts (nil: no plateau).
    public let plateauStart: Int?
    /// DANCo (nil when the rule did not need it).
    public let danco: DANCoDimension?
    /// The answer (also when not resolvable: the table shows it, the verdict does not).
    public let dimension: Double
    /// What the answer is: "DANCo", "Gride, n₁ = 4–8", "Gride, n₁ = 1".
    public let method: String
    /// The rule and its numbers, for the report.
    public let note: String
    /// Whether the answer is a confident number (else the verdict is "not resolvable").
    public let isResolved: Bool

    /// Whether Gride has a plateau at all.
    public var hasPlateau: Bool { plateauStart != nil }

    /// The scale curve needs a search of 64 neighbours (N ≥ 65); DANCo runs on `x` itself.
    /// O(N²·D) for the searches plus DANCo's calibration (cached per N).
    public init(of x: Matrix, neighbors: NearestNeighbors, rule settings: AutomaticDimensionRule.Settings = .init(), seed: UInt64 = 0,
                workers: Int = BLAS.threads) throws {
        let gride = try GrideDimension(neighbors: neighbors, rangeMax: min(64, neighbors.k))
        self.gride = gride
        let s = gride.scales
        let rule = AutomaticDimensionRule(curve: s.map(\.dimension), settings: settings)
        self.rule = rule
        plateauStart = rule.plateauIndex.map { s[$0].n1 }
        let curve = s.map { "\($0.n1): " + String(format: "%.2f", $0.dimension) }.joined(separator: ", ")
        var d: DANCoDimension?
        if rule.needsDANCo { d = try DANCoDimension(of: x, seed: seed, workers: workers) }
        danco = d
        let value = rule.value(dancoDimension: d?.dimension ?? .nan)
        dimension = value
        isResolved = rule.isResolved(value)
        method = rule.method
        note = rule.explanation(value: value) + " Gride by n₁: \(curve)."
    }
}

/// The rule of `auto`, on Gride's scale curve g₀, g₁, … at n₁ = 1, 2, 4, … (a pure function
/// of the curve, so it is tested on tabulated curves). In order:
///
/// 1. **High and falling → DANCo.** If g₀ ≥ `dancoLevel` (6) and the curve falls by at least
///    `dancoFall` − 1 (4 %) from n₁ = 1 to n₁ = 2^`span` (8), the fall is the finite-sample
///    bias of neighbour ratios in high dimension (boundary effects and concentration: the
///    hypercubes, Gaussians and Campadelli's nonlinear sets read 14–18 for k = 17–24 at
///    N = 1 000), which DANCo's calibration by simulation on balls of the same N corrects.
///    A flat curve at that level (Hein–Audibert's (12, 72) manifold: 13 at every scale,
///    DANCo 16–18) stays with Gride. DANCo is trusted only if some two consecutive scales
///    agree within `tolerance`: a curve that falls at every step is noise, not bias.
/// 2. **Noise screen.** From the smallest scale up, scales that fall by more than `tolerance`
///    (6 %) to the next are noise, which adds dimensions where the neighbour distances are
///    comparable to it; they are skipped.
/// 3. **Rising from the smallest scale → the smallest scale.** If, with no scale screened,
///    g₁ > (1 + `tolerance`)·g₀, the larger scales see more than the manifold (a helix's
///    neighbouring turns, a helicoid's sheets): the answer is g₀.
/// 4. **Plateau.** Otherwise the first two consecutive scales from the first unscreened one
///    whose estimates differ by at most `tolerance` of their mean; the answer is their mean.
///    After screened scales the plateau must start at the first unscreened scale: a curve that
///    falls (noise), then rises or falls again has no scale where the manifold alone shows (a
///    spiral under 0.5 % noise: 3.6, 2.2, 2.3, 2.0, 1.8, 1.7). None: "not resolvable" (the
///    number shown is DANCo's).
/// 5. **Ambiguity band.** A Gride answer below `dancoLevel` is a confident number only within
///    `band` (0.35) of an integer: 2.5 reads neither 2 nor 3 (a helicoid under 2 % noise reads
///    2.42–2.65 at every scale).
/// 6. **Floor.** A Gride answer below `dancoLevel` is a confident number only if the curve,
///    from the answer's scale on, never falls below it by more than the factor `floorRatio`
///    (1.3): a helix under 2 % noise at N = 2 500 is flat at 2.8 over n₁ = 1–2 and falls to
///    1.1 by n₁ = 32. The clean benchmark manifolds stay within 1.21 (Mp1's paraboloid); a
///    paraboloid of dimension 6 (5.2 falling to 3.0) is not resolvable.
///
/// The thresholds of 1–5 were chosen on `{dimension-benchmark}` (sizes 1 000 and 2 500, seeds
/// 3, noise 2 %, root seed 15); the strict plateau after noise, `band` 0.35 and `floorRatio`
/// were chosen with scripts/dimension-rule (seeds 1–5 of 10, noise 0.5–2 %) to give no
/// confident wrong answer on the noisy low-k cases, and re-measured on seeds 6–10, which
/// never chose anything (numbers in notebooks/verdict-calibration.md).
public struct AutomaticDimensionRule: Sendable, Hashable {
    /// The thresholds.
    public struct Settings: Sendable, Hashable {
        /// Relative difference of two consecutive scales that still counts as flat.
        public var tolerance: Double = 0.06
        /// g₀ from which a falling curve is read as high-dimensional bias (DANCo).
        public var dancoLevel: Double = 6
        /// g₀ / g_span at or above which the curve counts as falling.
        public var dancoFall: Double = 1.04
        /// Octaves over which the fall is measured (n₁ = 1 against n₁ = 2^span).
        public var span: Int = 3
        /// Largest distance to an integer of a confident Gride answer below `dancoLevel`.
        public var band: Double = 0.35
        /// Largest ratio of a confident Gride answer below `dancoLevel` to the curve's minimum
        /// from the answer's scale on: a "plateau" the curve later falls below by more is none.
        public var floorRatio: Double = 1.3
        public init() {}
    }

    /// What the rule reads from the curve.
    public enum Reading: Sendable, Hashable {
        /// The mean of scales i and i + 1.
        case gridePlateau(Int)
        /// g₀: the curve rises from the smallest scale.
        case grideSmallestScale
        /// High and falling: DANCo.
        case danco
        /// No two consecutive scales agree: not resolvable (DANCo's number for the table).
        case noPlateau
    }

    public let curve: [Double]
    public let settings: Settings
    public let reading: Reading
    /// Leading scales skipped as noise.
    public let noiseScales: Int
    /// First index of the first plateau from the first unscreened scale (nil: none).
    public let plateauIndex: Int?
    /// g₀ / g_span.
    public let fall: Double

    public init(curve: [Double], settings: Settings = .init()) {
        self.curve = curve
        self.settings = settings
        let n = curve.count, tol = settings.tolerance
        func flat(_ j: Int) -> Bool { abs(curve[j] - curve[j + 1]) <= tol * (curve[j] + curve[j + 1]) / 2 }
        fall = n > 0 ? curve[0] / curve[min(settings.span, n - 1)] : .nan
        var screened = 0
        while screened < n - 1, curve[screened] > curve[screened + 1] * (1 + tol) { screened += 1 }
        noiseScales = screened
        let anyPlateau = n > 1 && (0..<(n - 1)).contains(where: flat)
        var plateau = n > 1 ? (screened..<(n - 1)).first(where: flat) : nil
        // After the noise screen the plateau must start at once: a curve that falls, then rises
        // or falls again has no scale at which the manifold alone shows (a noisy spiral: noise at
        // the smallest scales, neighbouring turns at the larger ones).
        if screened > 0, let p = plateau, p > screened { plateau = nil }
        if n >= 2, curve[0] >= settings.dancoLevel, fall >= settings.dancoFall {
            reading = anyPlateau ? .danco : .noPlateau
            plateauIndex = anyPlateau ? (0..<(n - 1)).first(where: flat) : nil
        } else if n >= 2, screened == 0, curve[1] > curve[0] * (1 + tol) {
            reading = .grideSmallestScale
            plateauIndex = plateau
        } else if let p = plateau {
            reading = .gridePlateau(p)
            plateauIndex = p
        } else if n == 1 {
            reading = .grideSmallestScale
            plateauIndex = nil
        } else {
            reading = .noPlateau
            plateauIndex = nil
        }
    }

    /// What the answer is: "DANCo", "Gride, n₁ = 4–8" (scale i is n₁ = 2^i), "Gride, n₁ = 1".
    public var method: String {
        switch reading {
        case .gridePlateau(let i): return "Gride, n₁ = \(1 << i)–\(1 << (i + 1))"
        case .grideSmallestScale: return "Gride, n₁ = 1"
        case .danco, .noPlateau: return "DANCo"
        }
    }

    /// Whether the answer needs DANCo.
    public var needsDANCo: Bool {
        switch reading {
        case .danco, .noPlateau: return true
        case .gridePlateau, .grideSmallestScale: return false
        }
    }

    /// The answer, given DANCo's estimate when `needsDANCo`.
    public func value(dancoDimension: Double) -> Double {
        switch reading {
        case .gridePlateau(let i): return (curve[i] + curve[i + 1]) / 2
        case .grideSmallestScale: return curve[0]
        case .danco, .noPlateau: return dancoDimension
        }
    }

    /// Whether `value` (this rule's answer) is a confident number.
    public func isResolved(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch reading {
        case .noPlateau: return false
        case .danco: return true
        case .gridePlateau, .grideSmallestScale:
            return value >= settings.dancoLevel || (abs(value - value.rounded()) <= settings.band && !fallsBelow(value))
        }
    }

    /// Whether the curve, from the answer's scale on, falls below `value` / `floorRatio`: the
    /// dimension keeps changing with the scale (noise at the small scales, density or curvature
    /// at the large ones), so the answer is no plateau.
    func fallsBelow(_ value: Double) -> Bool {
        var start = 0
        if case .gridePlateau(let i) = reading { start = i }
        guard start < curve.count, let low = curve[start...].min() else { return false }
        return value > settings.floorRatio * low
    }

    /// The rule, with its numbers, in a sentence or two.
    public func explanation(value: Double) -> String {
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        let tol = "\(Int((settings.tolerance * 100).rounded())) %"
        let noise = noiseScales > 0 ? "The first \(noiseScales) scale(s) fall by more than \(tol) each, the mark of noise, and are skipped. " : ""
        var text: String
        switch reading {
        case .danco:
            text = "Gride reads \(f(curve[0])) ≥ \(f(settings.dancoLevel)) at n₁ = 1 and falls by \(f(100 * (fall - 1))) % to n₁ = \(1 << settings.span), "
                + "the finite-sample bias of neighbour ratios in high dimension, which DANCo's calibration corrects: DANCo \(f(value))."
        case .noPlateau:
            let where_ = noiseScales > 0 ? "The next two scales do not agree within \(tol) (a plateau must follow the noise at once)"
                : "No two consecutive Gride scales agree within \(tol)"
            text = noise + where_ + ": the dimension changes with the scale, not resolvable "
                + "(DANCo reads \(f(value)), not to be trusted)."
        case .grideSmallestScale:
            text = "Gride rises from n₁ = 1 (\(f(curve[0]))) to n₁ = 2 (\(f(curve.count > 1 ? curve[1] : .nan))) by more than \(tol): "
                + "the larger scales see more than the manifold (curvature, neighbouring sheets), so the smallest scale answers: \(f(value))."
        case .gridePlateau(let i):
            text = noise + "Gride's plateau (consecutive scales within \(tol)) starts at n₁ = \(1 << i): \(f(value))."
        }
        if reading != .noPlateau, !isResolved(value) {
            if value < settings.dancoLevel, fallsBelow(value) {
                let start: Int
                if case .gridePlateau(let i) = reading { start = i } else { start = 0 }
                let low = curve[start...].min() ?? .nan
                text += " The curve falls to \(f(low)) at a larger scale, more than a factor \(f(settings.floorRatio)) below: "
                    + "the dimension keeps changing with the scale, not resolvable."
            } else {
                text += " \(f(value)) is more than \(f(settings.band)) from an integer: not resolvable."
            }
        }
        return text
    }
}

/// The plateau `auto` reads on a Gride scale curve (`AutomaticDimensionRule`): after the
/// leading scales that fall by more than the tolerance (noise), the first pair of consecutive
/// scales (n₁, 2n₁) whose estimates differ by at most `tolerance` of their mean; its value is
/// their mean.
public struct GridePlateau: Sendable, Hashable {
    /// Index into `gride.scales` of the plateau's first scale (nil: none).
    public let index: Int?
    /// n₁ of the plateau's first scale.
    public let start: Int?
    /// The mean of the two estimates.
    public let value: Double?

    public init(_ gride: GrideDimension, tolerance: Double = AutomaticDimensionRule.Settings().tolerance) {
        var settings = AutomaticDimensionRule.Settings()
        settings.tolerance = tolerance
        let s = gride.scales
        let rule = AutomaticDimensionRule(curve: s.map(\.dimension), settings: settings)
        var found: Int?
        if let p = rule.plateauIndex, p + 1 < s.count { found = p }
        index = found
        start = found.map { s[$0].n1 }
        value = found.map { (s[$0].dimension + s[$0 + 1].dimension) / 2 }
    }
}
