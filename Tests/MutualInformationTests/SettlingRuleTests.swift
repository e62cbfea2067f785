import Foundation
import XCTest
import Linalg
@testable import MutualInformation

/// The interval rule of `MutualInformationReliability` (`SettlingRule`): the statistical part
/// θ̂ ± t·s and the bias still to come, extrapolated from n/4 → n/2 → n. Table-driven: each
/// row is (quarter mean, half mean, θ̂, s) → the remainder and the interval, by hand from the
/// rule's formula.
final class SettlingRuleTests: XCTestCase {
    struct Case {
        var name: String
        var quarter, half, value, spread: Double
        var remaining: Double
        var ratio: Double?
    }

    func testRuleTable() {
        let rule = SettlingRule(z: 1.96, degreesOfFreedom: 0, maximumRatio: 0.8)
        let cases = [
            Case(name: "settled: no drift", quarter: 1, half: 1, value: 1, spread: 0.01, remaining: 0, ratio: nil),
            // d₁ = 0.1, d₂ = 0.05, r = ½ (a 1/n bias): d₂·r/(1 − r) = d₂ still to come.
            Case(name: "1/n bias", quarter: 0.7, half: 0.8, value: 0.85, spread: 0.01, remaining: 0.05, ratio: 0.5),
            // r = 0.9, capped at 0.8: 4·d₂ = 0.36.
            Case(name: "slow (KSG in many dimensions)", quarter: 0.5, half: 0.6, value: 0.69, spread: 0.01, remaining: 0.36, ratio: 0.9),
            // r = 3 (moving faster than before): the cap again, 4·d₂.
            Case(name: "accelerating", quarter: 0.9, half: 0.92, value: 0.98, spread: 0.01, remaining: 0.24, ratio: 3),
            // r = ¼: the tail d₂/3 is smaller than one more step, so d₂.
            Case(name: "fast: at least one step", quarter: 0.6, half: 0.8, value: 0.85, spread: 0.01, remaining: 0.05, ratio: 0.25),
            // Drifts of opposite signs are noise: one more step, d₂.
            Case(name: "noise", quarter: 1.0, half: 0.95, value: 0.98, spread: 0.02, remaining: 0.03, ratio: nil),
            // Estimates falling with n (a positive bias, the KDE plug-in's): the interval reaches down.
            Case(name: "falling", quarter: 1.2, half: 1.1, value: 1.05, spread: 0.01, remaining: -0.05, ratio: 0.5),
            // No quarters (the null's check): one step.
            Case(name: "no quarters", quarter: .nan, half: 0.1, value: 0.05, spread: 0.02, remaining: -0.05, ratio: nil),
        ]
        for c in cases {
            let i = rule.interval(value: c.value, halfMean: c.half, quarterMean: c.quarter, spread: c.spread)
            XCTAssertEqual(i.remaining, c.remaining, accuracy: 1e-12, c.name)
            XCTAssertEqual(i.lower, c.value - 1.96 * c.spread + min(0, c.remaining), accuracy: 1e-12, c.name)
            XCTAssertEqual(i.upper, c.value + 1.96 * c.spread + max(0, c.remaining), accuracy: 1e-12, c.name)
            if let r = c.ratio { XCTAssertEqual(i.ratio ?? .nan, r, accuracy: 1e-12, c.name) } else { XCTAssertNil(i.ratio, c.name) }
        }
    }

    /// Student's t for the splits instead of z (scipy.stats.t.ppf(0.975, ν)).
    func testStudentQuantile() {
        for (nu, exact) in [(0, 1.96), (1, 12.7062), (2, 4.3027), (3, 3.1824), (5, 2.5706), (10, 2.2281), (50, 2.0086)] {
            XCTAssertEqual(SettlingRule.studentQuantile(z: 1.96, degreesOfFreedom: nu), exact, accuracy: nu == 0 ? 0 : 0.01 * exact, "ν = \(nu)")
        }
        let rule = SettlingRule(z: 1.96, degreesOfFreedom: 5)
        let i = rule.interval(value: 1, halfMean: 1, quarterMean: 1, spread: 0.1)
        XCTAssertEqual(i.upper - i.lower, 2 * 0.1 * 2.5706, accuracy: 1e-3)
    }

    /// Non-finite inputs (too few rows for a half) collapse the interval to θ̂, never NaN bounds.
    func testNonFiniteCollapses() {
        let i = SettlingRule().interval(value: 0.4, halfMean: .nan, quarterMean: .nan, spread: .nan)
        XCTAssertEqual(i.lower, 0.4); XCTAssertEqual(i.upper, 0.4); XCTAssertEqual(i.remaining, 0)
    }

    /// KSG claims only a lower bound from d_x + d_y = 6 on; the benchmark counts a one-sided
    /// interval as covering when the truth is above its lower end, and reports the two-sided share.
    func testLowerBoundOnlyAndItsCoverage() {
        XCTAssertNil(MutualInformationReliability.lowerBoundOnly(kNearestNeighbours: true, dimX: 2, dimY: 2))
        XCTAssertNotNil(MutualInformationReliability.lowerBoundOnly(kNearestNeighbours: true, dimX: 3, dimY: 3))
        XCTAssertNil(MutualInformationReliability.lowerBoundOnly(kNearestNeighbours: false, dimX: 25, dimY: 25))
        XCTAssertTrue(MutualInformationMethod.ksgCopula.isNearestNeighbour)
        XCTAssertFalse(MutualInformationMethod.gaussianCopula.isNearestNeighbour)
        func record(_ lower: Double, _ upper: Double, oneSided: Bool) -> MutualInformationBenchmark.Record {
            MutualInformationBenchmark.Record(task: "t", family: "f", truth: 1, seed: 0, estimator: "auto", chosen: "auto", value: lower,
                                              lower: lower, upper: upper, oneSided: oneSided, reliable: true, seconds: 0)
        }
        let records = [record(0.9, 1.1, oneSided: false), record(1.05, 1.2, oneSided: false),
                       record(0.5, .infinity, oneSided: true), record(1.2, .infinity, oneSided: true)]
        let s = MutualInformationBenchmark.summarize(records, estimator: "auto")
        XCTAssertEqual(s.coverage, 0.5)
        XCTAssertEqual(s.twoSided, 0.5)
        XCTAssertEqual(s.twoSidedCoverage, 0.5)
    }

    /// The notebook's seed is the root of every sample: the same root draws the same numbers,
    /// another root (`-p seed=8`) other ones, and the seed index alone does not decide them.
    func testTheRootSeedDecidesTheSamples() throws {
        let task = MutualInformationBenchmark.Task(id: "t", family: "f", truth: 0) { rows, g in
            let x = (0..<rows).map { _ in Float.random(in: 0..<1, using: &g) }
            let y = x.map { $0 + Float.random(in: 0..<1, using: &g) }
            return (Matrix(rows: rows, columns: 1, elements: x), Matrix(rows: rows, columns: 1, elements: y))
        }
        func values(root: UInt64) throws -> [Double] {
            try MutualInformationBenchmark.run(tasks: [task], n: 64, seeds: [0, 1], root: root, estimators: [.method(.gaussian)])
                .map(\.value)
        }
        XCTAssertEqual(try values(root: 26), try values(root: 26))
        XCTAssertNotEqual(try values(root: 26), try values(root: 8))
        let a = try values(root: 26)
        XCTAssertNotEqual(a[0], a[1])
    }
}
