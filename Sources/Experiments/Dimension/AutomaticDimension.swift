import Foundation
import Linalg

/// The estimator the calibration picks (notebooks/verdict-calibration.md), chosen per data
/// set by the intrinsic dimension's dependence on scale: `AutomaticDimensionRule` reads
/// Gride's curve at n₁ = 1, 2, 4, …, 32 (`GrideDimension`) and says which number to trust,
/// and whether to trust it at all; in high dimension DANCo and ESS answer together, checked by
/// each other and by the correlation integral.
///
/// On scikit-dimension's 24 benchmark manifolds (n ∈ {1 000, 2 500}, seeds 21–30, which chose
/// no threshold) the rule's mean relative error is 5.35 %, no confident answer is more than 1
/// off, no answer under noise of 0.5–2 % on the k ≤ 4 sets is confidently wrong (0 of 600),
/// and it is exact for k ≤ 6 in 87.9 % of the cases (95.9 % without the 6-dimensional
/// paraboloid Mp2, which every estimator misreads and the rule calls not resolvable), as
/// measured by `nice -n 10 .build/release/entropybook run scripts/dimension-rule/cases.md -o
/// output/dimension-rule` and `python3 scripts/dimension-rule/evaluate.py
/// output/dimension-rule/.cache --variant=chosen`.
public struct AutomaticDimension: Sendable {
    /// Gride at every scale.
    public let gride: GrideDimension
    /// The rule's reading of the scale curve.
    public let rule: AutomaticDimensionRule
    /// n₁ where the plateau starts (nil: no plateau).
    public let plateauStart: Int?
    /// DANCo (nil when the rule did not need it).
    public let danco: DANCoDimension?
    /// The estimators the rule asked for beyond Gride (NaN where it did not).
    public let companions: AutomaticDimensionRule.Companions
    /// The answer (also when not resolvable: the table shows it, the verdict does not).
    public let dimension: Double
    /// What the answer is: "DANCo and ESS", "Gride, n₁ = 4–8", "Gride, n₁ = 1".
    public let method: String
    /// The rule and its numbers, for the report.
    public let note: String
    /// Whether the answer is a confident number (else the verdict is "not resolvable").
    public let isResolved: Bool

    /// Whether Gride has a plateau at all.
    public var hasPlateau: Bool { plateauStart != nil }

    /// The scale curve needs a search of 64 neighbours (N ≥ 65); DANCo runs on `x` itself,
    /// ESS on patches of 100 neighbours (a second search when `neighbors` has fewer), the
    /// correlation integral on the 10th and 20th neighbours. O(N²·D) for the searches and the
    /// pair counts plus DANCo's calibration (cached per N).
    public init(of x: Matrix, neighbors: NearestNeighbors, rule settings: AutomaticDimensionRule.Settings = .init(), seed: UInt64 = 0,
                workers: Int = BLAS.threads) throws {
        let gride = try GrideDimension(neighbors: neighbors, rangeMax: min(64, neighbors.k))
        self.gride = gride
        let s = gride.scales
        let rule = AutomaticDimensionRule(curve: s.map(\.dimension), settings: settings)
        self.rule = rule
        plateauStart = rule.plateauIndex.map { s[$0].n1 }
        let curve = s.map { "\($0.n1): " + String(format: "%.2f", $0.dimension) }.joined(separator: ", ")
        var companions = AutomaticDimensionRule.Companions()
        var d: DANCoDimension?
        if rule.needsDANCo {
            d = try DANCoDimension(of: x, seed: seed, workers: workers)
            companions.danco = d?.dimension ?? .nan
        }
        if rule.needsESS {
            let patch = min(100, x.rows - 1)
            let search = neighbors.k >= patch ? neighbors : try NearestNeighbors(of: x, k: patch, workers: workers)
            companions.ess = try ExpectedSimplexSkewnessDimension(of: x, neighbors: search, neighbors: patch, workers: workers).dimension
        }
        if rule.needsCorrelation, neighbors.k >= 20 {
            companions.correlation = try TwoRadiusCorrelationDimension(of: x, neighbors: neighbors).dimension
        }
        danco = d
        self.companions = companions
        let value = rule.value(companions)
        dimension = value
        isResolved = rule.isResolved(companions)
        method = rule.method
        note = rule.explanation(companions) + " Gride by n₁: \(curve)."
    }
}

/// The rule of `auto`, on Gride's scale curve g₀, g₁, … at n₁ = 1, 2, 4, … and, where it
/// asks for them, DANCo, ESS and the correlation integral (`Companions`): a pure function of
/// those numbers, so it is tested on tabulated curves. In order:
///
/// 1. **High dimension → DANCo and ESS.** If g₀ ≥ `dancoLevel` (6) and the curve falls by at
///    least `dancoFall` − 1 (4 %) from n₁ = 1 to n₁ = 2^`span` (8), or Gride's answer (3–4
///    below) is `highLevel` (7) or more, neighbour ratios carry the finite-sample bias of high
///    dimension at every scale (the hypercubes, spheres and Campadelli's nonlinear sets read
///    8.3–9.8 for k = 10 and 14–18 for k = 17–24 at N = 1 000, flat or falling), which DANCo's
///    calibration by simulation and ESS's closed form for uniform balls both correct. When
///    they agree within `agreement` (2: two answers each within 1 of k differ by at most 2)
///    and the correlation integral passes (7), the answer is their mean: DANCo's calibration
///    is one simulated ball per dimension, and at k = 20 its answer moves by 1 with the
///    calibration's seed (Campadelli's affine and norm sets read 19.5 with one, 18.5 with
///    another), which ESS's closed form does not. Otherwise it is not resolvable, and the
///    number shown is Gride's answer where there is one, else DANCo's. They disagree on Campadelli's (12, 72) set (DANCo 17–18, ESS 21) and the
///    paraboloid of dimension 9 (DANCo 8, ESS 4). A falling curve is trusted only if some two
///    consecutive scales agree within `tolerance`: a curve that falls at every step is noise.
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
///    `band` (0.28) of an integer: 2.5 reads neither 2 nor 3 (a helicoid under 2 % noise reads
///    2.42–2.68 at every scale, and every other estimator 2.4–2.9 with it).
/// 6. **Floor.** A Gride answer below `dancoLevel` is a confident number only if the curve,
///    from the answer's scale on, never falls below it by more than the factor `floorRatio`
///    (1.25): a helix under 2 % noise at N = 2 500 is flat at 2.8 over n₁ = 1–2 and falls to
///    1.1 by n₁ = 32; a spiral under 0.5 % noise reads 2.2 right after its noisy smallest
///    scale and falls to 1.75. The clean benchmark manifolds stay within 1.21 (Mp1's paraboloid); a
///    paraboloid of dimension 6 (5.2 falling to 3.0) is not resolvable.
/// 7. **Larger scales.** An answer of `correlationFrom` (5.5) or more is a confident number
///    only if the correlation integral at the 10th–20th neighbour radii (scikit-dimension's
///    CorrInt) reads at least `correlationRatio` (0.63) of g₀: a density far from uniform or
///    strong curvature makes the dimension fall with the scale well beyond the finite-sample
///    bias. On the clean benchmark the ratio is 0.61–1.5 for every set but three, 0.47–0.58
///    on Mbeta (k = 10, where every neighbour estimator reads 6 and DANCo 7–8) and 0.39–0.62
///    on the paraboloids of dimension 6 and 9.
///
/// The thresholds of 1–5 were chosen on `{dimension-benchmark}` (sizes 1 000 and 2 500, seeds
/// 3, noise 2 %, root seed 15); the strict plateau after noise, `band`, `floorRatio`,
/// `highLevel`, `agreement` and `correlationRatio` with scripts/dimension-rule on seeds 1–20
/// (noise 0.5–5 %), and measured on seeds 21–30, which never chose anything (numbers in
/// notebooks/verdict-calibration.md, on seeds 21–25).
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
        public var band: Double = 0.28
        /// Largest ratio of a confident Gride answer below `dancoLevel` to the curve's minimum
        /// from the answer's scale on: a "plateau" the curve later falls below by more is none.
        public var floorRatio: Double = 1.25
        /// A Gride answer from which the high-dimensional bias is assumed at every scale, so
        /// DANCo and ESS answer instead.
        public var highLevel: Double = 7
        /// Largest |DANCo − ESS| of a confident high-dimensional answer.
        public var agreement: Double = 2
        /// The answer from which the correlation integral is consulted.
        public var correlationFrom: Double = 5.5
        /// Smallest CorrInt / g₀ of a confident answer of `correlationFrom` or more.
        public var correlationRatio: Double = 0.63
        public init() {}
    }

    /// The estimators beyond Gride the rule may ask for (`needsDANCo`, `needsESS`,
    /// `needsCorrelation`); NaN where not computed.
    public struct Companions: Sendable, Hashable {
        public var danco: Double
        public var ess: Double
        /// scikit-dimension's CorrInt (`TwoRadiusCorrelationDimension`).
        public var correlation: Double
        public init(danco: Double = .nan, ess: Double = .nan, correlation: Double = .nan) {
            self.danco = danco
            self.ess = ess
            self.correlation = correlation
        }
    }

    /// What the rule reads from the curve.
    public enum Reading: Sendable, Hashable {
        /// The mean of scales i and i + 1.
        case gridePlateau(Int)
        /// g₀: the curve rises from the smallest scale.
        case grideSmallestScale
        /// High dimension (high and falling, or a Gride answer of `highLevel` or more): the
        /// mean of DANCo and ESS when they agree.
        case highDimension
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
    /// Gride's answer (plateau or smallest scale), also when it was high enough to hand over
    /// to DANCo and ESS; nil for a high and falling curve or no plateau.
    public let grideAnswer: Double?
    /// Whether any two consecutive scales agree within the tolerance.
    public let anyPlateau: Bool

    public init(curve: [Double], settings: Settings = .init()) {
        self.curve = curve
        self.settings = settings
        let n = curve.count, tol = settings.tolerance
        func flat(_ j: Int) -> Bool { abs(curve[j] - curve[j + 1]) <= tol * (curve[j] + curve[j + 1]) / 2 }
        fall = n > 0 ? curve[0] / curve[min(settings.span, n - 1)] : .nan
        var screened = 0
        while screened < n - 1, curve[screened] > curve[screened + 1] * (1 + tol) { screened += 1 }
        noiseScales = screened
        anyPlateau = n > 1 && (0..<(n - 1)).contains(where: flat)
        var plateau = n > 1 ? (screened..<(n - 1)).first(where: flat) : nil
        // After the noise screen the plateau must start at once: a curve that falls, then rises
        // or falls again has no scale at which the manifold alone shows (a noisy spiral: noise at
        // the smallest scales, neighbouring turns at the larger ones).
        if screened > 0, let p = plateau, p > screened { plateau = nil }
        var reading: Reading, plateauIndex: Int?, gride: Double?
        if n >= 2, curve[0] >= settings.dancoLevel, fall >= settings.dancoFall {
            reading = anyPlateau ? .highDimension : .noPlateau
            plateauIndex = anyPlateau ? (0..<(n - 1)).first(where: flat) : nil
        } else if n >= 2, screened == 0, curve[1] > curve[0] * (1 + tol) {
            (reading, plateauIndex, gride) = (.grideSmallestScale, plateau, curve[0])
        } else if let p = plateau {
            (reading, plateauIndex, gride) = (.gridePlateau(p), p, (curve[p] + curve[p + 1]) / 2)
        } else if n == 1 {
            (reading, plateauIndex, gride) = (.grideSmallestScale, nil, curve[0])
        } else {
            (reading, plateauIndex) = (.noPlateau, nil)
        }
        if let g = gride, g >= settings.highLevel { reading = .highDimension }
        self.reading = reading
        self.plateauIndex = plateauIndex
        grideAnswer = gride
    }

    /// What the answer is: "DANCo and ESS", "Gride, n₁ = 4–8" (scale i is n₁ = 2^i),
    /// "Gride, n₁ = 1", "DANCo" (not resolvable).
    public var method: String {
        switch reading {
        case .gridePlateau(let i): return "Gride, n₁ = \(1 << i)–\(1 << (i + 1))"
        case .grideSmallestScale: return "Gride, n₁ = 1"
        case .highDimension: return "DANCo and ESS"
        case .noPlateau: return "DANCo"
        }
    }

    /// Whether the answer needs DANCo.
    public var needsDANCo: Bool { reading == .highDimension || reading == .noPlateau }
    /// Whether the answer needs ESS.
    public var needsESS: Bool { reading == .highDimension }
    /// Whether the answer needs the correlation integral (rule 7).
    public var needsCorrelation: Bool {
        reading == .highDimension || (grideAnswer.map { $0 >= settings.correlationFrom } ?? false)
    }

    /// Whether DANCo and ESS are both finite and within `agreement`.
    func agree(_ c: Companions) -> Bool {
        c.danco.isFinite && c.ess.isFinite && abs(c.danco - c.ess) <= settings.agreement
    }

    /// The answer, given the companions the rule needs: Gride's; in high dimension the mean of
    /// DANCo and ESS when the high-dimensional answer is confident (`highDimensionConfident`),
    /// else Gride's own answer where there is one, else DANCo's; DANCo when there is no plateau.
    public func value(_ c: Companions) -> Double {
        switch reading {
        case .gridePlateau, .grideSmallestScale: return grideAnswer ?? .nan
        case .noPlateau: return c.danco
        case .highDimension:
            if highDimensionConfident(c) { return (c.danco + c.ess) / 2 }
            return grideAnswer ?? c.danco
        }
    }

    /// In high dimension: a plateau somewhere (or a Gride answer), DANCo and ESS within
    /// `agreement`, and the correlation integral at least `correlationRatio` of g₀.
    func highDimensionConfident(_ c: Companions) -> Bool {
        (grideAnswer != nil || anyPlateau) && agree(c) && correlationRatio(c) >= settings.correlationRatio
    }

    /// CorrInt / g₀ (NaN without the correlation integral).
    public func correlationRatio(_ c: Companions) -> Double {
        guard let g0 = curve.first, g0 > 0 else { return .nan }
        return c.correlation / g0
    }

    /// Whether the larger scales check (rule 7) passes for `value`.
    func largerScalesAgree(_ value: Double, _ c: Companions) -> Bool {
        guard value >= settings.correlationFrom || reading == .highDimension else { return true }
        let ratio = correlationRatio(c)
        return ratio.isFinite && ratio >= settings.correlationRatio
    }

    /// Whether the answer is a confident number.
    public func isResolved(_ c: Companions) -> Bool {
        let value = value(c)
        guard value.isFinite else { return false }
        switch reading {
        case .noPlateau: return false
        case .highDimension:
            return highDimensionConfident(c)
        case .gridePlateau, .grideSmallestScale:
            guard value >= settings.dancoLevel || (abs(value - value.rounded()) <= settings.band && !fallsBelow(value)) else { return false }
            return largerScalesAgree(value, c)
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
    public func explanation(_ c: Companions) -> String {
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        let value = value(c)
        let tol = "\(Int((settings.tolerance * 100).rounded())) %"
        let noise = noiseScales > 0 ? "The first \(noiseScales) scale(s) fall by more than \(tol) each, the mark of noise, and are skipped. " : ""
        var text: String
        switch reading {
        case .highDimension:
            if let g = grideAnswer {
                text = noise + "Gride reads \(f(g)) ≥ \(f(settings.highLevel)), where neighbour ratios carry the finite-sample bias of high dimension at every scale; "
            } else {
                text = "Gride reads \(f(curve[0])) ≥ \(f(settings.dancoLevel)) at n₁ = 1 and falls by \(f(100 * (fall - 1))) % to n₁ = \(1 << settings.span), "
                    + "the finite-sample bias of neighbour ratios in high dimension; "
            }
            text += "DANCo and ESS correct it: DANCo \(f(c.danco)), ESS \(f(c.ess))"
            if agree(c) {
                text += ", within \(f(settings.agreement)) of each other: their mean \(f((c.danco + c.ess) / 2))."
            } else {
                text += ", more than \(f(settings.agreement)) apart: not resolvable"
                    + (grideAnswer != nil ? " (the number shown is Gride's)." : ".")
            }
            if grideAnswer == nil, !anyPlateau { text += " No two consecutive scales agree within \(tol): not resolvable." }
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
        switch reading {
        case .gridePlateau, .grideSmallestScale:
            guard value.isFinite, value < settings.dancoLevel else { break }
            if fallsBelow(value) {
                let start: Int
                if case .gridePlateau(let i) = reading { start = i } else { start = 0 }
                let low = curve[start...].min() ?? .nan
                text += " The curve falls to \(f(low)) at a larger scale, more than a factor \(f(settings.floorRatio)) below: "
                    + "the dimension keeps changing with the scale, not resolvable."
            } else if abs(value - value.rounded()) > settings.band {
                text += " \(f(value)) is more than \(f(settings.band)) from an integer: not resolvable."
            }
        case .highDimension, .noPlateau: break
        }
        if reading != .noPlateau, value.isFinite, value >= settings.correlationFrom || reading == .highDimension {
            let ratio = correlationRatio(c)
            if !(ratio >= settings.correlationRatio) {
                text += " The correlation integral at the 10th–20th neighbour radii reads \(f(c.correlation)), \(f(ratio)) of Gride at n₁ = 1 "
                    + "(below \(f(settings.correlationRatio))): the dimension falls with the scale beyond the finite-sample bias "
                    + "(a density far from uniform, curvature), not resolvable."
            } else {
                text += " The correlation integral reads \(f(c.correlation)), \(f(ratio)) of Gride at n₁ = 1 (at least \(f(settings.correlationRatio)))."
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
