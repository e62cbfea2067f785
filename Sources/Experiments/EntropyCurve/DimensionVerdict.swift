import Dimension
import Foundation
import Linalg

/// Per-d summaries of a sweep: medians over seeds with the min–max spread.
public struct CurveSummary: Sendable, Hashable {
    public struct Statistic: Sendable, Hashable, Codable {
        public var median: Double
        public var min: Double
        public var max: Double
        public init(median: Double, min: Double, max: Double) {
            self.median = median
            self.min = min
            self.max = max
        }
    }
    public var d: [Int]
    public var entropy: [Statistic]
    public var monteCarlo: [Statistic]?
    public var whitenedEntropy: [Statistic]
    /// ½·ln det Σ of the codes (entropy = whitenedEntropy + this, per seed).
    public var logDeterminant: [Statistic]
    public var bandwidth: [Statistic]
    public var reconstructionError: [Statistic]
    public var correlationDimension: [Statistic]?
    /// Points that failed (degenerate codes, …), with the reason.
    public var failures: [String]

    public init(points: [EntropyCurveExperiment.Point]) {
        let ds = Array(Set(points.map(\.d))).sorted()
        let byD = Dictionary(grouping: points, by: \.d)
        func stat(_ value: (EntropyCurveExperiment.Point) -> Double?) -> [Statistic] {
            ds.map { dd in CurveSummary.statistic((byD[dd] ?? []).compactMap(value).filter(\.isFinite)) }
        }
        d = ds
        entropy = stat { $0.entropy }
        whitenedEntropy = stat { $0.whitenedEntropy }
        logDeterminant = stat { $0.logDeterminant }
        bandwidth = stat { $0.bandwidth }
        reconstructionError = stat { $0.reconstructionError }
        monteCarlo = points.contains { $0.monteCarlo != nil } ? stat { $0.monteCarlo } : nil
        correlationDimension = points.contains { $0.correlationDimension != nil } ? stat { $0.correlationDimension } : nil
        failures = points.compactMap(\.failure)
    }

    /// The noisy entropy at `sigma` on subsets of `count` codes … per d, over seeds; nil when
    /// the sweep did not measure it. `divisor` picks the subsample (1: all codes).
    public static func noisy(_ points: [EntropyCurveExperiment.Point], d: [Int], sigma: Double, divisor: Int) -> [Statistic]? {
        let full = Dictionary(grouping: points, by: \.d)
        var out = [Statistic]()
        for dd in d {
            let values = (full[dd] ?? []).compactMap { p -> Double? in
                let largest = p.noisy.filter { $0.sigma == sigma }.map(\.count).max() ?? 0
                return p.noisy.first { $0.sigma == sigma && $0.count == max(largest / divisor, 2) }?.whitenedEntropy
            }
            guard !values.isEmpty else { return nil }
            out.append(statistic(values.filter(\.isFinite)))
        }
        return out
    }

    static func statistic(_ values: [Double]) -> Statistic {
        guard !values.isEmpty else { return Statistic(median: .nan, min: .nan, max: .nan) }
        let s = values.sorted()
        let median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        return Statistic(median: median, min: s[0], max: s[s.count - 1])
    }
}

/// How `DimensionVerdict` turns the rules into one answer.
public struct VerdictOptions: Sendable, Hashable, Codable {
    public enum Policy: String, Sendable, Hashable, Codable, CaseIterable {
        /// Two of argmax H, the H_white gain rule and the MSE elbow agree, and h* < 0.242 at
        /// the next d (the original rule).
        case consensus
        /// The noisy-slope rule on h(codes + σZ), the same d on n, n/2 and n/4 codes, and a
        /// tail at the noise slope.
        case noisySlope = "noisy-slope"
        /// The data's direct estimate (`auto`: DANCo, or Gride above the noise by the scale-plateau
        /// rule; TwoNN before), rounded, when an H(d) rule's bend (any rule, or the H_white gain
        /// rule only) lies within `crossCheckTolerance` of it; "not resolvable" when the
        /// estimate has no plateau across scales. The calibrated default
        /// (notebooks/verdict-calibration.md): the H(d) rules alone reach at best 64 % exact for
        /// k ≤ 4; TwoNN gated by any bend within ±1 is exact in all those cases.
        case crossChecked = "cross-checked"
    }
    public var policy: Policy
    /// The H_white gain rule's threshold, nats.
    public var gainThreshold: Double
    /// The noisy-slope rule (its σ must be one the sweep measured).
    public var noiseSlope: NoiseSlopeRule
    /// Subsample divisors the noisy kink must not move on (1 is always included).
    public var stabilityDivisors: [Int]
    /// Require every increment after the kink to be below τ.
    public var requireNoiseTail: Bool
    /// How far the H(d) bend may lie from TwoNN's number for the cross-checked verdict.
    public var crossCheckTolerance: Int
    /// Which H(d) rules may confirm TwoNN's number: the H_white gain rule only, or any rule.
    public var crossCheckByAnyRule: Bool

    /// The defaults chosen from `notebooks/verdict-calibration.md`.
    public init(policy: Policy = .crossChecked, gainThreshold: Double = 0.5, noiseSlope: NoiseSlopeRule = NoiseSlopeRule(sigma: 0.2),
                stabilityDivisors: [Int] = [2, 4], requireNoiseTail: Bool = true, crossCheckTolerance: Int = 1,
                crossCheckByAnyRule: Bool = true) {
        self.policy = policy
        self.gainThreshold = gainThreshold
        self.noiseSlope = noiseSlope
        self.stabilityDivisors = stabilityDivisors
        self.requireNoiseTail = requireNoiseTail
        self.crossCheckTolerance = crossCheckTolerance
        self.crossCheckByAnyRule = crossCheckByAnyRule
    }
}

/// What the H(d) curves say about the intrinsic dimension — and whether they can say it.
///
/// Four rules, each on the median curve over seeds and on every seed alone (the spread):
/// - argmax H(d) — the maximum of the KDE entropy of the codes;
/// - the H_white gain rule — the first d whose whitened entropy gains less than
///   `gainThreshold` (0.5 nat) to the next d;
/// - the reconstruction-MSE elbow — Kneedle on the decreasing MSE(d);
/// - the noisy-slope rule (`NoiseSlopeRule`) on h(standardised codes + σZ), when measured.
/// `VerdictOptions.policy` says which of them decide; a verdict that is not backed by its
/// checks is "not resolvable", with the reason, never a number.
public struct DimensionVerdict: Sendable, Hashable {
    /// The bandwidth at which an extra whitened code dimension adds nothing to H_white:
    /// ½·ln(2πe·h₀²) = 0. (H itself also moves with ½·ln det Σ.)
    public static let criticalBandwidth = 1 / (2 * Double.pi * M_E).squareRoot()

    public struct RuleResult: Sendable, Hashable {
        /// The rules' names, declared once for the verdict, the calibration and the readers
        /// of the stored details (the README).
        public enum Name {
            public static let argmaxH = "argmax H"
            public static let mseElbow = "MSE elbow"
            /// "H_white gain < 0.5".
            public static func whiteGain(below threshold: Double) -> String { "H_white gain < \(formatGain(threshold))" }
            /// What every noisy-slope rule's name starts with.
            public static let noisySlopePrefix = "noisy slope"
            /// "noisy slope (σ = 0.2)".
            public static func noisySlope(sigma: Double) -> String { "\(noisySlopePrefix) (σ = \(formatGain(sigma)))" }
            /// The three classic rules of `VerdictRules.classic`, in order.
            public static func classic(gainThreshold: Double) -> [String] { [argmaxH, whiteGain(below: gainThreshold), mseElbow] }
        }
        /// "argmax H", "H_white gain < 0.5", "MSE elbow", "noisy slope (σ = 0.2)" (`Name`).
        public var name: String
        /// The d on the median curve (nil: no kink by this rule).
        public var d: Int?
        /// The d of each seed alone (nil entries: no kink for that seed).
        public var perSeed: [Int?]
        public var note: String
    }

    public var options: VerdictOptions
    public var rules: [RuleResult]
    /// The noisy-slope rule on the median curve of all codes and of each subsample (divisor, d).
    public var noisyBySubsample: [(divisor: Int, d: Int?)]
    /// The noisy-slope finding on all codes (nil when not measured).
    public var noisy: NoiseSlopeRule.Finding?
    /// The dimension when the policy's checks hold; nil otherwise.
    public var dimension: Int?
    /// The d the rules point at, even when not resolvable (for the explanation only).
    public var candidate: Int?
    /// The first swept d with median h* ≥ 0.242, if any.
    public var firstUnresolvableD: Int?
    /// One or two sentences for the report: the verdict, or why there is none.
    public var explanation: String
    public var isResolvable: Bool { dimension != nil }

    public static func == (a: DimensionVerdict, b: DimensionVerdict) -> Bool {
        a.rules == b.rules && a.dimension == b.dimension && a.candidate == b.candidate && a.explanation == b.explanation
    }
    public func hash(into h: inout Hasher) { h.combine(rules); h.combine(dimension); h.combine(explanation) }

    /// `dataDimension`: the direct estimate on the data the codes came from (needed by the
    /// cross-checked policy), named by `dataDimensionLabel` ("auto (Gride, n₁ = 8–16) of the
    /// data"); nil with `unresolvedReason` when that estimate has no plateau across scales.
    public init(summary: CurveSummary, points: [EntropyCurveExperiment.Point], options: VerdictOptions = VerdictOptions(),
                dataDimension: Double? = nil, dataDimensionLabel: String = "TwoNN of the data", unresolvedReason: String? = nil) throws {
        self.options = options
        let d = summary.d
        let seeds = Array(Set(points.map(\.repeatIndex))).sorted()
        let seedPoints = seeds.map { r in points.filter { $0.repeatIndex == r } }
        rules = try VerdictRules.classic(summary: summary, seedPoints: seedPoints, gainThreshold: options.gainThreshold)
        let slope = options.noiseSlope
        noisyBySubsample = []
        noisy = nil
        if let full = CurveSummary.noisy(points, d: d, sigma: slope.sigma, divisor: 1) {
            let finding = slope.finding(d: d, y: full.map(\.median))
            noisy = finding
            let perSeed = seedPoints.map { p in
                CurveSummary.noisy(p, d: d, sigma: slope.sigma, divisor: 1).flatMap { slope.finding(d: d, y: $0.map(\.median)).d }
            }
            rules.append(RuleResult(name: RuleResult.Name.noisySlope(sigma: slope.sigma), d: finding.d, perSeed: perSeed, note: finding.note))
            noisyBySubsample = [(1, finding.d)] + options.stabilityDivisors.compactMap { divisor in
                CurveSummary.noisy(points, d: d, sigma: slope.sigma, divisor: divisor).map { (divisor, slope.finding(d: d, y: $0.map(\.median)).d) }
            }
        }
        firstUnresolvableD = zip(d, summary.bandwidth).first { $0.1.median >= DimensionVerdict.criticalBandwidth }?.0
        let decision: VerdictRules.Decision
        switch options.policy {
        case .consensus: decision = VerdictRules.consensus(rules: Array(rules.prefix(3)), d: d, bandwidth: summary.bandwidth)
        case .noisySlope: decision = VerdictRules.noisySlope(finding: noisy, bySubsample: noisyBySubsample, d: d, options: options)
        case .crossChecked:
            decision = VerdictRules.crossChecked(rules: options.crossCheckByAnyRule ? rules : [rules[1]], twoNN: dataDimension, d: d,
                                                 tolerance: options.crossCheckTolerance, label: dataDimensionLabel,
                                                 unresolvedReason: unresolvedReason)
        }
        dimension = decision.dimension
        candidate = decision.candidate
        explanation = decision.explanation
    }
}

func formatGain(_ x: Double) -> String {
    String(format: x < 1 ? "%.3g" : "%.2f", x)
}
