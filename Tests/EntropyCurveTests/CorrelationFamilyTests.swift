import Foundation
import XCTest
@testable import EntropyCurve

/// The family of C(r) curves (conclusion 4's figure) and the sweep's time-based progress.
final class CorrelationFamilyTests: XCTestCase {
    /// C(r) = ½·(r/s)^k up to 1: a set of correlation dimension k with median distance s.
    func powerLaw(k: Double, scale s: Double, radii: Int = 32) -> CorrelationCurve {
        let r = (0..<radii).map { s * pow(10, -2 + 2.5 * Double($0) / Double(radii - 1)) }
        return CorrelationCurve(radii: r, values: r.map { min(1, 0.5 * pow($0 / s, k)) })
    }

    func testMedianDistanceIsWhereCCrossesOneHalf() throws {
        for (k, s) in [(1.0, 1.0), (3.0, 0.02), (7.5, 40.0)] {
            let half = try XCTUnwrap(powerLaw(k: k, scale: s).medianDistance)
            XCTAssertEqual(half / s, 1, accuracy: 1e-9, "k = \(k), s = \(s): a power law is straight in log-log, so interpolation is exact")
        }
        XCTAssertNil(CorrelationCurve(radii: [1, 2], values: [0.1, 0.3]).medianDistance, "never reaches ½")
        XCTAssertNil(CorrelationCurve(radii: [1, 2], values: [0.6, 0.9]).medianDistance, "starts above ½")
    }

    /// Seeds differ in scale only (a linear code layer fixes none): after rescaling by r½ they
    /// coincide, so the median is the common curve and the spread is nil; each member's
    /// log-log slope below r½ is its dimension; members come in order of d.
    func testRescaledSeedsCoincideAndEachMembersSlopeIsItsDimension() throws {
        let curves = [1, 2, 4].flatMap { d in
            [0.3, 1, 7].map { scale in (d: d, curve: powerLaw(k: Double(d), scale: scale)) }
        }
        let family = CorrelationFamily(curves)
        XCTAssertEqual(family.members.map(\.d), [1, 2, 4])
        for member in family.members {
            XCTAssertEqual(member.seeds, 3)
            for i in member.median.indices {
                XCTAssertEqual(member.upper[i] / member.lower[i], 1, accuracy: 1e-9, "d = \(member.d)")
            }
            let below = member.scaledRadii.indices.filter { member.scaledRadii[$0] < 0.9 && member.median[$0] > 0 }
            let (a, b) = (try XCTUnwrap(below.first), try XCTUnwrap(below.last))
            let slope = log(member.median[b] / member.median[a]) / log(member.scaledRadii[b] / member.scaledRadii[a])
            XCTAssertEqual(slope, Double(member.d), accuracy: 1e-9)
        }
    }

    func testTheMedianOfThreeSeedsIsTheMiddleOne() throws {
        let family = CorrelationFamily([2.0, 3.0, 4.0].map { (d: 5, curve: powerLaw(k: $0, scale: 1)) })
        let member = try XCTUnwrap(family.members.first)
        let i = try XCTUnwrap(member.scaledRadii.firstIndex { $0 > 0.1 })
        let r = member.scaledRadii[i]
        XCTAssertEqual(member.median[i], 0.5 * pow(r, 3), accuracy: 1e-9)
        XCTAssertEqual(member.lower[i], 0.5 * pow(r, 4), accuracy: 1e-9)
        XCTAssertEqual(member.upper[i], 0.5 * pow(r, 2), accuracy: 1e-9)
    }

    func testAFamilyOfNothingHasNoMembers() {
        XCTAssertTrue(CorrelationFamily([]).members.isEmpty)
        XCTAssertTrue(CorrelationFamily([(d: 1, curve: CorrelationCurve(radii: [1, 2], values: [0.1, 0.2]))]).members.isEmpty)
    }

    /// Table-driven: the time left is the epochs left at the mean measured epoch time plus
    /// the estimates left at the mean measured estimate time; the fraction is the share of
    /// the expected time already spent.
    func testRemainingTimeComesFromMeasuredEpochAndEstimateTimes() throws {
        struct Row {
            var name: String
            var steps: (inout SweepProgress) -> Void
            var remaining: Double?
            var fraction: Double
        }
        // 3 units (say 1 d × 3 seeds) of 10 epochs.
        let rows = [
            Row(name: "nothing measured", steps: { _ in }, remaining: nil, fraction: 0),
            Row(name: "two epochs of 2 s", steps: { p in p.epochFinished(seconds: 2); p.epochFinished(seconds: 2) },
                remaining: 28 * 2, fraction: 4.0 / 60),
            Row(name: "one unit with 6 s of estimates", steps: { p in
                for _ in 0..<10 { p.epochFinished(seconds: 1) }
                p.estimatesFinished(seconds: 4); p.estimatesFinished(seconds: 2)
                p.unitFinished()
            }, remaining: 2 * (10 + 6), fraction: 16.0 / 48),
            Row(name: "a cached unit then half a unit", steps: { p in
                p.unitFinished()
                for _ in 0..<5 { p.epochFinished(seconds: 3) }
            }, remaining: 15 * 3, fraction: 15.0 / 60),
            Row(name: "all done", steps: { p in
                for _ in 0..<3 { p.epochFinished(seconds: 1); p.unitFinished() }
            }, remaining: 0, fraction: 1),
        ]
        for row in rows {
            var progress = SweepProgress(units: 3, epochsPerUnit: 10)
            row.steps(&progress)
            if let expected = row.remaining {
                XCTAssertEqual(try XCTUnwrap(progress.remainingSeconds, row.name), expected, accuracy: 1e-9, row.name)
            } else {
                XCTAssertNil(progress.remainingSeconds, row.name)
            }
            XCTAssertEqual(progress.fraction, row.fraction, accuracy: 1e-9, row.name)
        }
    }

    /// The epoch time follows the load: the mean is over the most recent epochs only.
    func testEpochTimeFollowsTheRecentEpochs() throws {
        var progress = SweepProgress(units: 10, epochsPerUnit: 30)
        for _ in 0..<40 { progress.epochFinished(seconds: 1) }
        for _ in 0..<20 { progress.epochFinished(seconds: 3) }
        XCTAssertEqual(try XCTUnwrap(progress.secondsPerEpoch), 3, accuracy: 1e-12)
    }
}
