import Foundation

/// The talk's conclusions as tests on computed numbers: each returns a status, the rule in
/// words with its thresholds, the numbers it compared and the evidence, so a report never
/// types a conclusion by hand and a reader can check every one.
public enum Conclusions {
    public enum Status: String, Sendable, Hashable {
        case confirmed = "confirmed"
        case partly = "partly confirmed"
        case notConfirmed = "not confirmed"
    }

    /// A named number: one the rule compared, or one of its thresholds.
    public struct Number: Sendable, Hashable {
        public var name: String
        public var value: Double
        public init(_ name: String, _ value: Double) { self.name = name; self.value = value }
    }

    public struct Finding: Sendable, Hashable {
        public var status: Status
        public var evidence: String
        /// The test in words, thresholds written out.
        public var rule: String
        public var thresholds: [Number]
        public var numbers: [Number]
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

    /// One H(d) sweep as conclusion 3 reads it: medians per d and the bend.
    public struct Curve: Sendable, Hashable {
        public var label: String
        public var d: [Int]
        public var entropy: [Double]
        public var whitenedEntropy: [Double]
        public var bend: Int?
        public init(label: String, d: [Int], entropy: [Double], whitenedEntropy: [Double], bend: Int?) {
            self.label = label
            self.d = d
            self.entropy = entropy
            self.whitenedEntropy = whitenedEntropy
            self.bend = bend
        }
    }

    /// (1) "H(d) has a kink": confirmed when every curve has a resolvable kink, partly when some do.
    public static func hasKink(_ verdicts: [Verdict]) -> Finding {
        let with = verdicts.filter { $0.dimension != nil }
        let evidence = verdicts.map { "\($0.label): \($0.text)" }.joined(separator: "; ")
        let status: Status = !verdicts.isEmpty && with.count == verdicts.count ? .confirmed : with.isEmpty ? .notConfirmed : .partly
        return Finding(status: status, evidence: evidence,
                       rule: "confirmed when every named curve has a resolvable kink, partly when some do",
                       thresholds: [], numbers: verdicts.map { Number("\($0.label): kink", $0.dimension.map(Double.init) ?? .nan) })
    }

    /// (2) "On synthetic data the kink lies near the true dimension": every curve with a true
    /// dimension has a verdict within ±`tolerance`; partly when that holds where the kink is
    /// resolvable and the others are flagged as not resolvable (never a wrong number).
    public static func kinkNearTruth(_ verdicts: [Verdict], tolerance: Int = 1) -> Finding {
        let known = verdicts.filter { $0.trueDimension != nil }
        func off(_ v: Verdict) -> Int? { v.dimension.map { abs($0 - (v.trueDimension ?? 0)) } }
        let near = known.filter { (off($0) ?? .max) <= tolerance }
        let wrong = known.filter { (off($0) ?? 0) > tolerance }
        let rule = "every curve of known k has a kink within ±\(tolerance) of k; partly when the others are flagged not resolvable"
        let numbers = known.flatMap { [Number("\($0.label): kink", $0.dimension.map(Double.init) ?? .nan),
                                       Number("\($0.label): true k", Double($0.trueDimension ?? 0))] }
        let thresholds = [Number("tolerance", Double(tolerance))]
        var evidence = known.map { "\($0.label): \($0.text)" }.joined(separator: "; ")
        let status: Status
        if known.isEmpty {
            (status, evidence) = (.notConfirmed, "no curve with a known dimension")
        } else if near.count == known.count {
            status = .confirmed
        } else if wrong.isEmpty && !near.isEmpty {
            status = .partly
            evidence = "within ±\(tolerance) where resolvable (up to k = \(near.compactMap(\.trueDimension).max() ?? 0)); the others are flagged not resolvable. " + evidence
        } else {
            status = .notConfirmed
        }
        return Finding(status: status, evidence: evidence, rule: rule, thresholds: thresholds, numbers: numbers)
    }

    /// (3) "H(d) grows somewhat after the plateau", on every named curve, for H and for
    /// H_white: after the bend (the verdict's d, else the largest drop in slope) the curve
    /// still rises, but more slowly than before it (0 < slope after < slope before).
    /// Confirmed when every (curve, term) does, partly when some do.
    public static func growthAfterPlateau(_ curves: [Curve]) -> Finding {
        var numbers = [Number](), lines = [String](), passed = 0, judged = 0
        for c in curves {
            for (term, y) in [("H", c.entropy), ("H_white", c.whitenedEntropy)] {
                guard let s = slopes(d: c.d, y: y, bend: c.bend) else {
                    lines.append("\(c.label) \(term): no plateau inside the swept range"); judged += 1; continue
                }
                judged += 1
                let ok = s.after > 0 && s.after < s.before
                if ok { passed += 1 }
                numbers += [Number("\(c.label) \(term): slope to d = \(s.bend)", s.before), Number("\(c.label) \(term): slope after", s.after)]
                lines.append(String(format: "%@ %@: %.2f per unit up to d = %d, then %+.3f %@", c.label, term, s.before, s.bend, s.after, ok ? "✓" : "✗"))
            }
        }
        let status: Status = judged > 0 && passed == judged ? .confirmed : passed > 0 ? .partly : .notConfirmed
        return Finding(status: status, evidence: "\(passed) of \(judged) curves grow more slowly after the bend — " + lines.joined(separator: "; "),
                       rule: "for every named curve and for both H and H_white: 0 < slope after the bend < slope before it; "
                           + "confirmed when all hold, partly when some do",
                       thresholds: [Number("slope after, lower bound", 0)], numbers: numbers)
    }

    /// Mean slopes before and after the bend (nil: too few points, or the bend at an edge).
    static func slopes(d: [Int], y: [Double], bend: Int?) -> (before: Double, after: Double, bend: Int)? {
        guard d.count >= 4, d.count == y.count, y.allSatisfy(\.isFinite) else { return nil }
        let b = bend.flatMap { d.firstIndex(of: $0) } ?? kneeIndex(d: d, h: y)
        guard b >= 1, b < d.count - 1 else { return nil }
        let last = d.count - 1
        return ((y[b] - y[0]) / Double(d[b] - d[0]), (y[last] - y[b]) / Double(d[last] - d[b]), d[b])
    }

    /// (4) "The fractal structure of the codes changes continuously with d": on the median
    /// over at least `minimumSeeds` seeds, no step of the codes' correlation dimension
    /// between successive d larger than `maxJump`.
    public static func changesContinuously(d: [Int], corrdim: [Double], seeds: Int, maxJump: Double = 1.5, minimumSeeds: Int = 3) -> Finding {
        let rule = "median correlation dimension of the codes over ≥ \(minimumSeeds) seeds; no step between successive d larger than \(format(maxJump))"
        let thresholds = [Number("largest step allowed", maxJump), Number("seeds needed", Double(minimumSeeds))]
        let pairs = zip(d, corrdim).filter { $0.1.isFinite }
        guard pairs.count >= 3 else {
            return Finding(status: .notConfirmed, evidence: "too few correlation dimensions", rule: rule, thresholds: thresholds, numbers: [])
        }
        var worst = (jump: 0.0, at: pairs[0].0)
        for i in 1..<pairs.count {
            let j = abs(pairs[i].1 - pairs[i - 1].1)
            if j > worst.jump { worst = (j, pairs[i].0) }
        }
        let values = pairs.map { String(format: "%d: %.2f", $0.0, $0.1) }.joined(separator: ", ")
        var evidence = String(format: "largest step %.2f (at d = %d) over %d seed(s); corrdim(codes) by d: ", worst.jump, worst.at, seeds) + values
        let numbers = [Number("largest step", worst.jump), Number("at d", Double(worst.at)), Number("seeds", Double(seeds))]
        var status: Status = worst.jump <= maxJump ? .confirmed : .notConfirmed
        if seeds < minimumSeeds {
            status = .notConfirmed
            evidence += " — rests on \(seeds) seed(s), the rule needs \(minimumSeeds)"
        }
        return Finding(status: status, evidence: evidence, rule: rule, thresholds: thresholds, numbers: numbers)
    }

    /// (5) "The correlation dimension of the codes saturates at that of the images": over the
    /// last three d the codes' value changes by at most `flatness` (relative) — required —
    /// and lies within `tolerance` (relative) of the images' value: confirmed. Flat but near
    /// only `alternative` (the slope of a second scaling region of the images' C(r) with a
    /// real plateau), or flat elsewhere: partly. Not flat: not confirmed.
    public static func saturatesAt(d: [Int], corrdim: [Double], reference: Double, alternative: Double? = nil,
                                   flatness: Double = 0.15, tolerance: Double = 0.2) -> Finding {
        let rule = "the codes' correlation dimension over the last three d spreads at most \(percent(flatness)) of its mean (required) "
            + "and lies within \(percent(tolerance)) of the images' value; flat but near only a second scaling region with a real plateau, or elsewhere: partly"
        let thresholds = [Number("flatness", flatness), Number("tolerance", tolerance)]
        let tail = Array(zip(d, corrdim).filter { $0.1.isFinite }.suffix(3))
        guard tail.count == 3, reference > 0 else {
            return Finding(status: .notConfirmed, evidence: "too few correlation dimensions", rule: rule, thresholds: thresholds, numbers: [])
        }
        let values = tail.map(\.1)
        let mean = values.reduce(0, +) / 3
        let spread = ((values.max() ?? 0) - (values.min() ?? 0)) / max(mean, 1e-12)
        let distance = abs(mean - reference) / reference
        var numbers = [Number("tail spread", spread), Number("tail mean", mean), Number("images", reference), Number("relative distance", distance)]
        var evidence = String(format: "corrdim(codes) over d = %d…%d: %@ (spread %.0f%%); images: %.2f (%.0f%% apart)",
                              tail[0].0, tail[2].0, values.map { String(format: "%.2f", $0) }.joined(separator: ", "),
                              100 * spread, reference, 100 * distance)
        let status: Status
        if spread > flatness {
            status = .notConfirmed
            evidence += " — the codes' tail is not flat, so it has not saturated"
        } else if distance <= tolerance {
            status = .confirmed
        } else if let other = alternative, other > 0, abs(mean - other) / other <= tolerance {
            numbers.append(Number("second scaling region", other))
            status = .partly
            evidence += String(format: " — it levels off at the images' second scaling region (%.2f), not at the fitted value", other)
        } else {
            status = .partly
            evidence += " — it saturates, but not at the images' value"
        }
        return Finding(status: status, evidence: evidence, rule: rule, thresholds: thresholds, numbers: numbers)
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

    static func format(_ x: Double) -> String { String(format: "%g", x) }
    static func percent(_ x: Double) -> String { String(format: "%.0f %%", 100 * x) }
}
