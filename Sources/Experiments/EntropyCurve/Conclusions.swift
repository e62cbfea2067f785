import Foundation

/// The talk's conclusions as tests on computed numbers: each returns a status and the
/// evidence, so a report never types a conclusion by hand.
public enum Conclusions {
    public enum Status: String, Sendable, Hashable {
        case confirmed = "confirmed"
        case partly = "partly confirmed"
        case notConfirmed = "not confirmed"
    }

    public struct Finding: Sendable, Hashable {
        public var status: Status
        public var evidence: String
    }

    /// One H(d) verdict: its label, the dimension found (nil: not resolvable), the true one.
    public struct Verdict: Sendable, Hashable {
        public var label: String
        public var dimension: Int?
        public var trueDimension: Int?
        public var candidate: Int?
        public init(label: String, dimension: Int?, trueDimension: Int?, candidate: Int?) {
            self.label = label
            self.dimension = dimension
            self.trueDimension = trueDimension
            self.candidate = candidate
        }
        var text: String {
            (dimension.map { "kink at d = \($0)" } ?? "no resolvable kink" + (candidate.map { " (rules point at \($0))" } ?? ""))
                + (trueDimension.map { ", true k = \($0)" } ?? "")
        }
    }

    /// (1) "H(d) has a kink": confirmed when every curve has a resolvable kink, partly when
    /// some do.
    public static func hasKink(_ verdicts: [Verdict]) -> Finding {
        let with = verdicts.filter { $0.dimension != nil }
        let evidence = verdicts.map { "\($0.label): \($0.text)" }.joined(separator: "; ")
        if with.count == verdicts.count && !verdicts.isEmpty { return Finding(status: .confirmed, evidence: evidence) }
        return Finding(status: with.isEmpty ? .notConfirmed : .partly, evidence: evidence)
    }

    /// (2) "On synthetic data the kink lies near the true dimension": every curve with a true
    /// dimension has a verdict within ±`tolerance`; partly when that holds where the kink is
    /// resolvable and the others are flagged as not resolvable (never a wrong number).
    public static func kinkNearTruth(_ verdicts: [Verdict], tolerance: Int = 1) -> Finding {
        let known = verdicts.filter { $0.trueDimension != nil }
        let near = known.filter { v in v.dimension.map { abs($0 - (v.trueDimension ?? 0)) <= tolerance } ?? false }
        let wrong = known.filter { v in v.dimension.map { abs($0 - (v.trueDimension ?? 0)) > tolerance } ?? false }
        let evidence = known.map { "\($0.label): \($0.text)" }.joined(separator: "; ")
        if known.isEmpty { return Finding(status: .notConfirmed, evidence: "no curve with a known dimension") }
        if near.count == known.count { return Finding(status: .confirmed, evidence: evidence) }
        if wrong.isEmpty && !near.isEmpty {
            let small = near.compactMap(\.trueDimension).max() ?? 0
            return Finding(status: .partly, evidence: "within ±\(tolerance) where resolvable (up to k = \(small)); the others are flagged not resolvable. " + evidence)
        }
        return Finding(status: .notConfirmed, evidence: evidence)
    }

    /// (3) "H(d) grows somewhat after the plateau": after the bend (the candidate d, else the
    /// d of the largest drop in slope) H still rises, but more slowly than before it.
    public static func growthAfterPlateau(d: [Int], h: [Double], bend: Int?) -> Finding {
        guard d.count >= 4, d.count == h.count, h.allSatisfy(\.isFinite) else {
            return Finding(status: .notConfirmed, evidence: "too few points on the curve")
        }
        let b = bend.flatMap { d.firstIndex(of: $0) } ?? kneeIndex(d: d, h: h)
        guard b >= 1, b < d.count - 1 else {
            return Finding(status: .notConfirmed, evidence: "no plateau inside the swept range (bend at the edge)")
        }
        let before = (h[b] - h[0]) / Double(d[b] - d[0])
        let after = (h[d.count - 1] - h[b]) / Double(d[d.count - 1] - d[b])
        let evidence = String(format: "H rises %.2f nats per code unit up to d = %d, then %+.3f per unit to d = %d (H %.2f → %.2f)",
                              before, d[b], after, d[d.count - 1], h[b], h[d.count - 1])
        if after > 0 && after < before { return Finding(status: .confirmed, evidence: evidence) }
        return Finding(status: .notConfirmed, evidence: evidence)
    }

    /// (4) "The fractal structure of the codes changes continuously with d": no jump of the
    /// codes' correlation dimension between successive d larger than `maxJump`.
    public static func changesContinuously(d: [Int], corrdim: [Double], maxJump: Double = 1.5) -> Finding {
        let pairs = zip(d, corrdim).filter { $0.1.isFinite }
        guard pairs.count >= 3 else { return Finding(status: .notConfirmed, evidence: "too few correlation dimensions") }
        var worst = (jump: 0.0, at: pairs[0].0)
        for i in 1..<pairs.count {
            let j = abs(pairs[i].1 - pairs[i - 1].1)
            if j > worst.jump { worst = (j, pairs[i].0) }
        }
        let values = pairs.map { String(format: "%d: %.2f", $0.0, $0.1) }.joined(separator: ", ")
        let evidence = String(format: "largest step %.2f (at d = %d); corrdim(codes) by d: ", worst.jump, worst.at) + values
        return Finding(status: worst.jump <= maxJump ? .confirmed : .notConfirmed, evidence: evidence)
    }

    /// (5) "The correlation dimension of the codes saturates at that of the images": over the
    /// last three d it changes by at most `flatness` (relative) and lies within `tolerance`
    /// (relative) of the images' value.
    /// `alternative` is the slope of a second scaling region of the images' C(r), when it has
    /// one: matching one region but not the other is "partly confirmed", never a verdict.
    public static func saturatesAt(d: [Int], corrdim: [Double], reference: Double, alternative: Double? = nil,
                                   flatness: Double = 0.15, tolerance: Double = 0.2) -> Finding {
        let tail = Array(zip(d, corrdim).filter { $0.1.isFinite }.suffix(3))
        guard tail.count == 3, reference > 0 else { return Finding(status: .notConfirmed, evidence: "too few correlation dimensions") }
        let values = tail.map(\.1)
        let mean = values.reduce(0, +) / 3
        let flat = ((values.max() ?? 0) - (values.min() ?? 0)) / max(mean, 1e-12) <= flatness
        let close = abs(mean - reference) / reference <= tolerance
        let evidence = String(format: "corrdim(codes) over d = %d…%d: %@; images: %.2f (%.0f%% apart)",
                              tail[0].0, tail[2].0, values.map { String(format: "%.2f", $0) }.joined(separator: ", "),
                              reference, 100 * abs(mean - reference) / reference)
        if let other = alternative, other > 0 {
            let closeOther = abs(mean - other) / other <= tolerance
            if close != closeOther {
                let (matched, missed) = close ? (reference, other) : (other, reference)
                return Finding(status: .partly, evidence: evidence + String(format:
                    " — the images' C(r) has two scaling regions (%.2f and %.2f); the codes %@ %.2f but not %.2f",
                    reference, other, flat ? "level off and match" : "come close to", matched, missed))
            }
        }
        if flat && close { return Finding(status: .confirmed, evidence: evidence) }
        return Finding(status: flat ? .partly : .notConfirmed,
                       evidence: evidence + (flat ? " — it saturates, but not at the images' value" : " — it has not saturated"))
    }

    /// Index of the largest drop in slope (the most pronounced bend).
    static func kneeIndex(d: [Int], h: [Double]) -> Int {
        var best = (drop: -Double.infinity, index: 0)
        for i in 1..<(d.count - 1) {
            let s1 = (h[i] - h[i - 1]) / Double(d[i] - d[i - 1])
            let s2 = (h[i + 1] - h[i]) / Double(d[i + 1] - d[i])
            if s1 - s2 > best.drop { best = (s1 - s2, i) }
        }
        return best.index
    }
}
