import XCTest
@testable import Directives
import MutualInformation
import Notebook

/// The time model of `{mutual-information}` and `{mi-benchmark}` (issue 28): each estimator
/// priced by what it does — KSG's scalar max-norm scan over every pair, the critics' Adam
/// steps over B² pairs, the compressed estimator's two autoencoders — instead of every
/// estimator as three sgemm distance passes (which made mi-benchmark.md's estimate 19 × short).
final class MutualInformationWorkTests: XCTestCase {
    func testKSGIsAScalarScanOfEveryPairOverEveryColumn() {
        let small = WorkEstimates.kraskovWork(rows: 1000, dx: 1, dy: 1)
        let wide = WorkEstimates.kraskovWork(rows: 1000, dx: 25, dy: 25)
        let twice = WorkEstimates.kraskovWork(rows: 2000, dx: 1, dy: 1)
        XCTAssertEqual(small.matrixFlops, 0, "the max-norm has no sgemm expansion")
        XCTAssertEqual(twice.elementOperations / small.elementOperations, 4, accuracy: 1e-12, "n² pairs")
        // Linear in the columns: (a·50 + b) / (a·2 + b) with the model's a, b.
        XCTAssertGreaterThan(wide.elementOperations / small.elementOperations, 5)
    }

    func testEveryEstimatorIsPricedByItsOwnWork() {
        // InfoNCE and NWJ train the same critic the same way; only their bound differs.
        XCTAssertEqual(WorkEstimates.mutualInformationEstimate("nwj", rows: 5000, dx: 5, dy: 5, kdeRows: 1000),
                       WorkEstimates.mutualInformationEstimate("infonce", rows: 5000, dx: 5, dy: 5, kdeRows: 1000))
        let words = ["ksg", "gaussian", "kde", "infonce", "compressed", "auto"]
        var seen = [ComputeWork]()
        for word in words {
            let w = WorkEstimates.mutualInformationEstimate(word, rows: 5000, dx: 5, dy: 5, kdeRows: 1000)
            XCTAssertFalse(w.isEmpty, word)
            XCTAssertFalse(seen.contains(w), "\(word) is priced as another estimator")
            seen.append(w)
        }
        // A critic's step scores B² = 65 536 pairs through the 16-8-1 layers after the first,
        // forward and backward (6 flops per weight and pair), at the counted step number.
        let critic = WorkEstimates.criticWork(rows: 5000, dx: 1, dy: 1)
        XCTAssertGreaterThan(critic.matrixFlops, 1000 * 65_536 * (16 * 8 + 8) * 6)
        // The compressed estimator leaves a side no wider than its code alone: 1 × 1 is KSG.
        XCTAssertEqual(WorkEstimates.mutualInformationEstimate("compressed", rows: 5000, dx: 1, dy: 1, kdeRows: 1000),
                       WorkEstimates.kraskovWork(rows: 5000, dx: 1, dy: 1))
    }

    func testReliabilityRepeatsScaleWithTheEstimatorsGrowth() {
        // Per split two half-sample and two quarter-sample estimates: n² methods pay
        // 2·¼ + 2·¹⁄₁₆, autoencoders (per row) 2·½ + 2·¼, critics (steps of B rows) 4.
        XCTAssertEqual(WorkEstimates.reliabilityFactor(splits: 5, null: false), 1 + 5 * 0.625, accuracy: 1e-12)
        XCTAssertEqual(WorkEstimates.reliabilityFactor(splits: 5, null: false, power: 1), 1 + 5 * 1.5, accuracy: 1e-12)
        XCTAssertEqual(WorkEstimates.reliabilityFactor(splits: 5, null: false, power: 0), 1 + 5 * 4, accuracy: 1e-12)
        XCTAssertEqual(WorkEstimates.mutualInformationPower("nwj"), 0)
        XCTAssertEqual(WorkEstimates.mutualInformationPower("compressed"), 1)
        XCTAssertEqual(WorkEstimates.mutualInformationPower("ksg"), 2)
    }
}
