import Dimension
import Foundation

/// The rules of `DimensionVerdict` and the two ways it combines them.
enum VerdictRules {
    struct Decision {
        var dimension: Int?
        var candidate: Int?
        var explanation: String
    }

    /// argmax H, the H_white gain rule and the MSE elbow, on the median curve and per seed.
    static func classic(summary: CurveSummary, seedPoints: [[EntropyCurveExperiment.Point]],
                        gainThreshold: Double) throws -> [DimensionVerdict.RuleResult] {
        let d = summary.d
        let detector = KinkDetector(gainThreshold: gainThreshold)
        func curve(_ p: [EntropyCurveExperiment.Point], _ value: (EntropyCurveExperiment.Point) -> Double) -> [Double] {
            d.map { dd in p.first { $0.d == dd }.map(value) ?? .nan }
        }
        func rule(_ name: String, _ kinkRule: KinkRule, median: [Double],
                  _ value: (EntropyCurveExperiment.Point) -> Double) throws -> DimensionVerdict.RuleResult {
            func find(_ y: [Double]) throws -> KinkFinding? {
                guard y.allSatisfy(\.isFinite), d.count >= 3 else { return nil }
                return try detector.findings(d: d, y: y).first { $0.rule == kinkRule }
            }
            let main = try find(median)
            return .init(name: name, d: main?.d, perSeed: try seedPoints.map { try find(curve($0, value))?.d },
                         note: main?.note ?? (d.count < 3 ? "needs at least 3 d's" : "not computed: some points failed"))
        }
        typealias Name = DimensionVerdict.RuleResult.Name
        return [
            try rule(Name.argmaxH, .maximum, median: summary.entropy.map(\.median)) { $0.entropy },
            try rule(Name.whiteGain(below: gainThreshold), .gain, median: summary.whitenedEntropy.map(\.median)) { $0.whitenedEntropy },
            // Kneedle on an increasing curve: the elbow of −MSE.
            try rule(Name.mseElbow, .kneedle, median: summary.reconstructionError.map { -$0.median }) { -$0.reconstructionError },
        ]
    }

    /// Two of the three classic rules agree (or all found ones lie within 1: their median),
    /// and the bandwidth at the next d is below 0.242.
    static func consensus(rules: [DimensionVerdict.RuleResult], d: [Int], bandwidth: [CurveSummary.Statistic]) -> Decision {
        var votes = [Int: Int]()
        for r in rules { if let k = r.d { votes[k, default: 0] += 1 } }
        let best = votes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
        let found = rules.compactMap(\.d)
        let candidate: Int?
        if let best, best.value >= 2 {
            candidate = best.key
        } else if found.count >= 2, (found.max() ?? 0) - (found.min() ?? 0) <= 1 {
            candidate = found.sorted()[found.count / 2]
        } else {
            candidate = nil
        }
        let list = rules.map { "\($0.name): \($0.d.map(String.init) ?? "none")" }.joined(separator: ", ")
        guard let k = candidate else {
            return Decision(dimension: nil, candidate: nil, explanation: found.isEmpty
                ? "Not resolvable: no rule finds a kink (H still rises through d = \(d.last ?? 0))."
                : "Not resolvable: the rules disagree (\(list)).")
        }
        guard let next = d.first(where: { $0 > k }), let i = d.firstIndex(of: next) else {
            return Decision(dimension: nil, candidate: k, explanation:
                "Not resolvable: the rules point at the last swept d = \(k) (\(list)); sweep further to see whether H bends there.")
        }
        let h0 = DimensionVerdict.criticalBandwidth
        if bandwidth[i].median >= h0 {
            return Decision(dimension: nil, candidate: k, explanation:
                "Not resolvable: the rules point at d = \(k) (\(list)), but h* = \(formatGain(bandwidth[i].median)) ≥ 0.242 at d = \(next), "
                + "so an extra whitened code dimension no longer lowers H_white and the bend may mark where the estimator saturates.")
        }
        let agreeing = rules.filter { $0.d == k }.map(\.name)
        return Decision(dimension: k, candidate: k, explanation:
            "Intrinsic dimension ≈ \(k): \(agreeing.joined(separator: ", ")) agree (\(list)); h* < 0.242 through d = \(next).")
    }

    /// The noisy-slope rule decides, if its kink does not move on subsamples and its tail
    /// has the noise slope.
    static func noisySlope(finding: NoiseSlopeRule.Finding?, bySubsample: [(divisor: Int, d: Int?)], d: [Int],
                           options: VerdictOptions) -> Decision {
        let rule = options.noiseSlope
        guard let finding else {
            return Decision(dimension: nil, candidate: nil, explanation:
                "Not resolvable: the noisy entropy h(codes + σZ) at σ = \(formatGain(rule.sigma)) was not measured.")
        }
        let tau = "τ = \(formatGain(rule.threshold)) nats (noise alone adds ν = ½·ln(2πeσ²) = \(formatGain(rule.noiseIncrement)))"
        guard let k = finding.d else {
            return Decision(dimension: nil, candidate: nil, explanation:
                "Not resolvable: every increment of h(codes + σZ) stays above \(tau) through d = \(d.last ?? 0); sweep further.")
        }
        let moved = bySubsample.filter { $0.d != k }
        if !moved.isEmpty {
            let list = bySubsample.map { "n/\($0.divisor): \($0.d.map(String.init) ?? "none")" }.joined(separator: ", ")
            return Decision(dimension: nil, candidate: k, explanation:
                "Not resolvable: the noisy-slope kink moves when the codes are subsampled (\(list)), so it marks the "
                + "sample spacing against σ = \(formatGain(rule.sigma)), not the data.")
        }
        if options.requireNoiseTail && !finding.tailAtNoise {
            return Decision(dimension: nil, candidate: k, explanation:
                "Not resolvable: the increment falls below \(tau) after d = \(k), but rises above it again later, so the tail is not noise alone.")
        }
        let stable = bySubsample.count > 1 ? " on n, " + bySubsample.dropFirst().map { "n/\($0.divisor)" }.joined(separator: ", ") + " codes alike" : ""
        return Decision(dimension: k, candidate: k, explanation:
            "Intrinsic dimension ≈ \(k): past d = \(k) each code dimension adds less than \(tau)\(stable).")
    }

    /// TwoNN's number, when an H(d) rule of `rules` bends within `tolerance` of it and the
    /// sweep reaches past it: two independent readings of the dimension agree.
    static func crossChecked(rules: [DimensionVerdict.RuleResult], twoNN: Double?, d: [Int], tolerance: Int,
                             label: String = "TwoNN of the data", unresolvedReason: String? = nil) -> Decision {
        let bends = rules.compactMap { r in r.d.map { (r.name, $0) } }
        let list = bends.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        let noBend = "H(d) shows no bend (\(rules.map(\.name).joined(separator: ", ")): none through d = \(d.last ?? 0))"
        guard let twoNN, twoNN.isFinite else {
            let shape = bends.isEmpty ? noBend : "H(d) bends at " + list
            let second = unresolvedReason.map { "there is no second reading to check it against: " + $0 }
                ?? "the cross-check needs \(label), which was not computed."
            return Decision(dimension: nil, candidate: rules.first?.d, explanation: "Not resolvable: \(shape), but \(second)")
        }
        let k = max(1, Int(twoNN.rounded()))
        let reading = "\(label) \(String(format: "%.2f", twoNN)) → \(k)"
        guard !bends.isEmpty else {
            return Decision(dimension: nil, candidate: k, explanation: "Not resolvable: \(reading), but \(noBend).")
        }
        guard let agreeing = bends.first(where: { abs($0.1 - k) <= tolerance }) else {
            return Decision(dimension: nil, candidate: bends[0].1, explanation:
                "Not resolvable: H(d) bends at \(list) but \(reading); they differ by more than \(tolerance).")
        }
        guard let last = d.last, k < last else {
            return Decision(dimension: nil, candidate: k, explanation:
                "Not resolvable: \(reading) is at the end of the sweep (d ≤ \(d.last ?? 0)); sweep further.")
        }
        return Decision(dimension: k, candidate: k, explanation:
            "Intrinsic dimension ≈ \(k): \(reading), and H(d) bends at d = \(agreeing.1) (\(agreeing.0)), within ±\(tolerance).")
    }
}
