import Foundation
import Linalg

/// A rule that locates the d where a curve y(d) changes behaviour.
public enum KinkRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// The d of the largest y, when it is not the last d (a curve still rising has none).
    case maximum
    /// Kneedle (Satopää, Albrecht, Irwin & Raghavan 2011, "Finding a 'kneedle' in a
    /// haystack"): both axes scaled to [0, 1], the knee is the d farthest above the diagonal.
    case kneedle
    /// The breakpoint of the best continuous two-segment (hinge) least-squares fit.
    case twoSegment = "two-segment"
    /// The first d whose gain y(next d) − y(d) falls below a threshold (0.5 nat by default).
    case gain

    /// How the rule reads in a report.
    public var title: String {
        switch self {
        case .maximum: "maximum"
        case .kneedle: "Kneedle knee"
        case .twoSegment: "two-segment fit"
        case .gain: "gain rule"
        }
    }
}

/// What one rule said about one curve: a d, or nil with the reason it cannot tell.
public struct KinkFinding: Sendable, Hashable {
    public let rule: KinkRule
    /// The d the rule picks; nil when the rule finds no kink on this curve.
    public let d: Int?
    /// A short explanation ("max 4.272 at d = 3", "no gain below 0.5").
    public let note: String
}

/// How often each d came out of a rule over resamples or repeats.
public struct KinkSpread: Sendable, Hashable {
    public let rule: KinkRule
    /// Number of resamples (or repeats) that gave each d.
    public let counts: [Int: Int]
    /// Resamples where the rule found no kink.
    public let unresolved: Int
    /// Resamples in all.
    public var total: Int { counts.values.reduce(0, +) + unresolved }
    /// The most frequent d (smaller d on ties), nil when no resample found one.
    public var mode: Int? { counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key }
    /// Fraction of resamples that gave the mode.
    public var modeFraction: Double { mode.flatMap { counts[$0] }.map { Double($0) / Double(max(total, 1)) } ?? 0 }
    /// Smallest and largest d found.
    public var range: ClosedRange<Int>? { counts.keys.min().flatMap { lo in counts.keys.max().map { lo...$0 } } }
}

/// Every rule's verdict on one curve (the mean over repeats when there are several), the
/// consensus, and — with repeats — each rule's spread over bootstrap resamples and seeds.
public struct KinkAnalysis: Sendable, Hashable {
    /// The d values of the curve.
    public let d: [Int]
    /// The curve the findings are about (the mean over repeats).
    public let curve: [Double]
    /// One finding per rule, in `KinkRule.allCases` order.
    public let findings: [KinkFinding]
    /// Per rule: the spread of its d over bootstrap resamples of the repeats (empty without repeats).
    public let bootstrap: [KinkSpread]
    /// Per rule: the spread of its d over the repeats taken one at a time (seed spread).
    public let perRepeat: [KinkSpread]

    /// The d most rules found, when at least two rules found it; nil when the rules do not
    /// agree on any d: the kink is then not resolvable and no number should be printed.
    public var kink: Int? {
        var votes = [Int: Int]()
        for f in findings { if let d = f.d { votes[d, default: 0] += 1 } }
        guard let best = votes.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              best.value >= 2 else { return nil }
        return best.key
    }
    /// True when every rule that found a kink found the same d.
    public var rulesAgree: Bool { Set(findings.compactMap(\.d)).count <= 1 }
    /// The finding of one rule.
    public func finding(_ rule: KinkRule) -> KinkFinding? { findings.first { $0.rule == rule } }
}

/// Locates kinks of curves y(d) by several rules at once, so a report can show them side
/// by side and say when they disagree.
public struct KinkDetector: Sendable, Hashable {
    /// The gain rule's threshold, in y's units (0.5 nat for entropy curves).
    public var gainThreshold: Double
    /// Kneedle reports no knee when the scaled curve rises less than this above the diagonal.
    public var kneedleMinimumDifference: Double
    /// The two-segment rule reports no kink unless the hinge removes at least this fraction
    /// of a single line's squared residuals.
    public var twoSegmentMinimumImprovement: Double

    public init(gainThreshold: Double = 0.5, kneedleMinimumDifference: Double = 0.05,
                twoSegmentMinimumImprovement: Double = 0.5) {
        self.gainThreshold = gainThreshold
        self.kneedleMinimumDifference = kneedleMinimumDifference
        self.twoSegmentMinimumImprovement = twoSegmentMinimumImprovement
    }

    /// Every rule on one curve. `d` must ascend and match `y` in length.
    public func findings(d: [Int], y: [Double]) throws -> [KinkFinding] {
        try Self.check(d: d, count: y.count)
        return KinkRule.allCases.map { finding($0, d: d, y: y) }
    }

    /// Every rule on the mean of `repeats` (one curve per seed, each over `d`), with the
    /// spread of each rule over `resamples` bootstrap resamples of the repeats and over the
    /// repeats one by one. O(resamples · repeats · d.count²).
    public func analyse(d: [Int], repeats: [[Double]], resamples: Int = 200,
                        using generator: inout SeededGenerator) throws -> KinkAnalysis {
        guard !repeats.isEmpty else { throw DimensionError.invalidParameter("kink detection needs at least one curve") }
        for r in repeats { try Self.check(d: d, count: r.count) }
        guard repeats.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw DimensionError.nonFinite("the curve") }
        let mean = Self.mean(repeats)
        let findings = KinkRule.allCases.map { finding($0, d: d, y: mean) }
        var bootstrap = [KinkSpread](), perRepeat = [KinkSpread]()
        if repeats.count > 1 {
            var resampled = [[Int?]]()
            for _ in 0..<max(resamples, 1) {
                let pick = (0..<repeats.count).map { _ in repeats[generator.index(below: repeats.count)] }
                let curve = Self.mean(pick)
                resampled.append(KinkRule.allCases.map { finding($0, d: d, y: curve).d })
            }
            let single = repeats.map { r in KinkRule.allCases.map { finding($0, d: d, y: r).d } }
            for (column, rule) in KinkRule.allCases.enumerated() {
                bootstrap.append(Self.spread(rule, resampled.map { $0[column] }))
                perRepeat.append(Self.spread(rule, single.map { $0[column] }))
            }
        }
        return KinkAnalysis(d: d, curve: mean, findings: findings, bootstrap: bootstrap, perRepeat: perRepeat)
    }

    /// One rule on one curve (`d` ascending, same length as `y`, at least 3 points).
    public func finding(_ rule: KinkRule, d: [Int], y: [Double]) -> KinkFinding {
        switch rule {
        case .maximum: maximum(d: d, y: y)
        case .kneedle: kneedle(d: d, y: y)
        case .twoSegment: twoSegment(d: d, y: y)
        case .gain: gain(d: d, y: y)
        }
    }

    private func maximum(d: [Int], y: [Double]) -> KinkFinding {
        guard let top = y.indices.max(by: { y[$0] < y[$1] }) else { return KinkFinding(rule: .maximum, d: nil, note: "empty curve") }
        if top == y.count - 1 {
            return KinkFinding(rule: .maximum, d: nil, note: "still rising at d = \(d[top]): no interior maximum")
        }
        return KinkFinding(rule: .maximum, d: d[top], note: "largest value \(Self.format(y[top])) at d = \(d[top])")
    }

    private func kneedle(d: [Int], y: [Double]) -> KinkFinding {
        guard let lo = y.min(), let hi = y.max(), hi > lo, let first = d.first, let last = d.last, last > first else {
            return KinkFinding(rule: .kneedle, d: nil, note: "flat curve")
        }
        let differences = y.indices.map { (y[$0] - lo) / (hi - lo) - Double(d[$0] - first) / Double(last - first) }
        guard let best = differences.indices.max(by: { differences[$0] < differences[$1] }) else {
            return KinkFinding(rule: .kneedle, d: nil, note: "empty curve")
        }
        guard differences[best] >= kneedleMinimumDifference else {
            return KinkFinding(rule: .kneedle, d: nil,
                               note: "no knee: the scaled curve stays within \(Self.format(kneedleMinimumDifference)) of the diagonal")
        }
        return KinkFinding(rule: .kneedle, d: d[best], note: "scaled distance above the diagonal \(Self.format(differences[best]))")
    }

    private func twoSegment(d: [Int], y: [Double]) -> KinkFinding {
        let x = d.map(Double.init)
        guard y.count >= 4, let line = LineFit(x: x, y: y) else {
            return KinkFinding(rule: .twoSegment, d: nil, note: "needs at least 4 points")
        }
        var best: (index: Int, sse: Double)?
        for b in 1..<(y.count - 1) {
            let sse = Self.hingeResiduals(x: x, y: y, knot: x[b])
            if best.map({ sse < $0.sse }) ?? true { best = (b, sse) }
        }
        guard let best, line.residualSumOfSquares > 0 else {
            return KinkFinding(rule: .twoSegment, d: nil, note: "a single line fits exactly")
        }
        let improvement = 1 - best.sse / line.residualSumOfSquares
        guard improvement >= twoSegmentMinimumImprovement else {
            return KinkFinding(rule: .twoSegment, d: nil,
                               note: "a bend removes only \(Self.format(100 * improvement))% of a line's squared residuals")
        }
        return KinkFinding(rule: .twoSegment, d: d[best.index],
                           note: "bend removes \(Self.format(100 * improvement))% of a line's squared residuals")
    }

    private func gain(d: [Int], y: [Double]) -> KinkFinding {
        for i in 0..<(y.count - 1) where y[i + 1] - y[i] < gainThreshold {
            return KinkFinding(rule: .gain, d: d[i],
                               note: "gain to d = \(d[i + 1]) is \(Self.format(y[i + 1] - y[i])) < \(Self.format(gainThreshold))")
        }
        return KinkFinding(rule: .gain, d: nil, note: "every gain is at least \(Self.format(gainThreshold))")
    }

    /// Squared residuals of the continuous hinge y ≈ a + b·x + c·max(0, x − knot), by the
    /// 3×3 normal equations.
    static func hingeResiduals(x: [Double], y: [Double], knot: Double) -> Double {
        let columns = x.map { [1, $0, max(0, $0 - knot)] }
        var a = [[Double]](repeating: [0, 0, 0], count: 3), rhs = [0.0, 0, 0]
        for (row, value) in zip(columns, y) {
            for i in 0..<3 {
                rhs[i] += row[i] * value
                for j in 0..<3 { a[i][j] += row[i] * row[j] }
            }
        }
        guard let beta = solve3(a, rhs) else { return .infinity }
        return zip(columns, y).reduce(0) { sum, pair in
            let fitted = pair.0[0] * beta[0] + pair.0[1] * beta[1] + pair.0[2] * beta[2]
            return sum + (pair.1 - fitted) * (pair.1 - fitted)
        }
    }

    /// Gaussian elimination with partial pivoting; nil when singular.
    static func solve3(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        var a = matrix, b = rhs
        for col in 0..<3 {
            guard let pivot = (col..<3).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-12 else { return nil }
            a.swapAt(col, pivot); b.swapAt(col, pivot)
            for row in (col + 1)..<3 {
                let f = a[row][col] / a[col][col]
                for j in col..<3 { a[row][j] -= f * a[col][j] }
                b[row] -= f * b[col]
            }
        }
        var out = [0.0, 0, 0]
        for row in stride(from: 2, through: 0, by: -1) {
            var s = b[row]
            for j in (row + 1)..<3 { s -= a[row][j] * out[j] }
            out[row] = s / a[row][row]
        }
        return out
    }

    static func check(d: [Int], count: Int) throws {
        guard d.count == count else { throw DimensionError.invalidParameter("the curve has \(count) values for \(d.count) d's") }
        guard d.count >= 3 else { throw DimensionError.invalidParameter("kink detection needs at least 3 points, got \(d.count)") }
        guard zip(d, d.dropFirst()).allSatisfy({ $0 < $1 }) else { throw DimensionError.invalidParameter("the d's must ascend") }
    }

    static func mean(_ curves: [[Double]]) -> [Double] {
        var out = [Double](repeating: 0, count: curves[0].count)
        for c in curves { for i in out.indices { out[i] += c[i] } }
        return out.map { $0 / Double(curves.count) }
    }

    static func spread(_ rule: KinkRule, _ values: [Int?]) -> KinkSpread {
        var counts = [Int: Int]()
        for case let v? in values { counts[v, default: 0] += 1 }
        return KinkSpread(rule: rule, counts: counts, unresolved: values.filter { $0 == nil }.count)
    }

    static func format(_ x: Double) -> String { String(format: "%.3g", x) }
}
