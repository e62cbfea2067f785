import Dimension
import Foundation

/// How one way of reading a dimension did on the calibration cases: a confusion table (true
/// k × answer, "not resolvable" as its own column) and the rates the acceptance is stated in.
public struct CalibrationScore: Sendable, Hashable {
    /// A way of reading a dimension from a case: a number, or nil for "not resolvable".
    public struct Method: Sendable {
        public var name: String
        public var answer: @Sendable (VerdictCalibration.Case) throws -> Int?
        public init(_ name: String, answer: @escaping @Sendable (VerdictCalibration.Case) throws -> Int?) {
            self.name = name
            self.answer = answer
        }
    }

    /// One case's answer.
    public struct Answer: Sendable, Hashable {
        public var k: Int
        public var n: Int
        public var answer: Int?
        public var error: Int? { answer.map { $0 - k } }
    }

    public var method: String
    public var answers: [Answer]

    public init(method: Method, cases: [VerdictCalibration.Case]) throws {
        self.method = method.name
        answers = try cases.map { Answer(k: $0.k, n: $0.n, answer: try method.answer($0)) }
    }

    public init(method: String, answers: [Answer]) {
        self.method = method
        self.answers = answers
    }

    /// The answers for true dimensions in `range`.
    public func restricted(to range: ClosedRange<Int>) -> CalibrationScore {
        CalibrationScore(method: method, answers: answers.filter { range.contains($0.k) })
    }

    public var count: Int { answers.count }
    /// Fraction of cases answered with exactly k.
    public var exactRate: Double { rate { $0.error == 0 } }
    /// Fraction answered "not resolvable".
    public var notResolvableRate: Double { rate { $0.answer == nil } }
    /// Fraction answered with a number other than k.
    public var confidentWrongRate: Double { rate { ($0.error ?? 0) != 0 } }
    /// Fraction answered with a number more than 1 away from k.
    public var farOffRate: Double { rate { abs($0.error ?? 0) > 1 } }
    /// Mean |answer − k| over the cases with a number (NaN when there are none).
    public var meanAbsoluteError: Double {
        let e = answers.compactMap(\.error).map { Double(abs($0)) }
        return e.isEmpty ? .nan : e.reduce(0, +) / Double(e.count)
    }

    /// Rows of the confusion table: per true k, the count of each answer and of "not resolvable".
    public func confusion() -> (answers: [Int], rows: [(k: Int, counts: [Int], notResolvable: Int)]) {
        let ks = Array(Set(answers.map(\.k))).sorted()
        let given = Array(Set(answers.compactMap(\.answer))).sorted()
        let rows = ks.map { k in
            let mine = answers.filter { $0.k == k }
            return (k, given.map { a in mine.filter { $0.answer == a }.count }, mine.filter { $0.answer == nil }.count)
        }
        return (given, rows)
    }

    /// The acceptance: for k ≤ 4 exact in ≥ 90 % of cases and never a number more than
    /// 1 off; for k ≥ 8 no number more than 1 off.
    public var meetsAcceptance: Bool {
        let low = restricted(to: 1...4), high = restricted(to: 8...Int.max)
        return low.exactRate >= 0.9 && low.farOffRate == 0 && high.farOffRate == 0
    }

    private func rate(_ test: (Answer) -> Bool) -> Double {
        answers.isEmpty ? .nan : Double(answers.filter(test).count) / Double(answers.count)
    }
}

extension VerdictCalibration {
    /// Every way of reading the dimension the calibration compares: the classic rules and
    /// the previous consensus, the noisy-slope rule alone and as a verdict for each σ and
    /// threshold position, and MLE, TwoNN and CorrInt rounded to the nearest integer.
    static func verdict(_ c: Case, _ options: VerdictOptions) throws -> DimensionVerdict {
        try DimensionVerdict(summary: CurveSummary(points: c.points), points: c.points, options: options, dataDimension: c.twoNN)
    }

    /// What the names of the noisy-slope methods start with (the summary's rows, the README).
    public static let noisySlopeAlonePrefix = "noisy slope alone", noisySlopeVerdictPrefix = "noisy-slope verdict"

    public static func methods(sigmas: [Double], positions: [Double]) -> [CalibrationScore.Method] {
        var out: [CalibrationScore.Method] = (0..<3).map { i in
            let names = DimensionVerdict.RuleResult.Name.classic(gainThreshold: VerdictOptions(policy: .consensus).gainThreshold)
            return .init(names[i]) { try verdict($0, VerdictOptions(policy: .consensus)).rules[i].d }
        }
        out.append(.init("consensus (previous default)") { try verdict($0, VerdictOptions(policy: .consensus)).dimension })
        for sigma in sigmas {
            for position in positions {
                let rule = NoiseSlopeRule(sigma: sigma, position: position)
                let label = "σ = \(formatGain(sigma)), τ at \(formatGain(position))"
                out.append(.init("\(noisySlopeAlonePrefix), \(label)") { c in
                    CurveSummary.noisy(c.points, d: CurveSummary(points: c.points).d, sigma: sigma, divisor: 1)
                        .flatMap { rule.finding(d: CurveSummary(points: c.points).d, y: $0.map(\.median)).d }
                })
                out.append(.init("\(noisySlopeVerdictPrefix), \(label)") {
                    try verdict($0, VerdictOptions(policy: .noisySlope, noiseSlope: rule)).dimension
                })
            }
        }
        for any in [false, true] {
            for tolerance in [0, 1] {
                let by = any ? "any H(d) rule's bend" : "the H_white gain bend"
                out.append(.init("cross-checked verdict: TwoNN confirmed by \(by) within ±\(tolerance)") {
                    try verdict($0, VerdictOptions(policy: .crossChecked, crossCheckTolerance: tolerance, crossCheckByAnyRule: any)).dimension
                })
            }
        }
        out.append(.init("MLE (k = 20), rounded") { Int($0.mle.rounded()) })
        out.append(.init("TwoNN, rounded") { Int($0.twoNN.rounded()) })
        out.append(.init("CorrInt, rounded") { Int($0.corrInt.rounded()) })
        return out
    }
}
