import XCTest
@testable import Dimension

/// The second-scaling-region rule of `{corrdim}` (issue 15), on local slopes written out:
/// a flat run between two different levels is a plateau; the bottom of a V (or the top of a
/// Λ) is where the slopes turn, not a region.
final class CompetingScalingRegionTests: XCTestCase {
    let tolerance = 0.1

    func testStepBetweenTwoLevelsIsAPlateau() {
        // MNIST-like: slopes near 9, then a second flat stretch at 4.7, then falling.
        let slopes = [9, 9, 9, 9, 6, 4.7, 4.7, 4.7, 4.7, 3]
        XCTAssertTrue(CompetingScalingRegion.isPlateau(slopes, start: 5, width: 4, tolerance: tolerance))
    }

    func testBottomOfAVIsNotAPlateau() {
        let slopes = [9, 7, 5, 4.7, 4.7, 4.7, 4.7, 6, 8]
        XCTAssertFalse(CompetingScalingRegion.isPlateau(slopes, start: 3, width: 4, tolerance: tolerance))
        // The top of a Λ likewise.
        XCTAssertFalse(CompetingScalingRegion.isPlateau(slopes.map { 10 - $0 }, start: 3, width: 4, tolerance: tolerance))
    }

    func testFlatRunThatReachesAnEndIsAPlateau() {
        XCTAssertTrue(CompetingScalingRegion.isPlateau([9, 7, 4.7, 4.7, 4.7, 4.7], start: 2, width: 4, tolerance: tolerance))
        XCTAssertTrue(CompetingScalingRegion.isPlateau([4.7, 4.7, 4.7, 4.7, 6, 9], start: 0, width: 4, tolerance: tolerance))
    }

    func testRunIsWidenedWhileFlatBeforeItsNeighboursAreRead() {
        // 4.9 joins the run (within 10%); the neighbours that decide are 7 and 3: a step.
        let slopes = [9, 7, 4.9, 4.7, 4.7, 4.7, 4.7, 3, 2]
        XCTAssertTrue(CompetingScalingRegion.isPlateau(slopes, start: 3, width: 4, tolerance: tolerance))
    }

    func testRunOutsideTheSlopesIsNoPlateau() {
        XCTAssertFalse(CompetingScalingRegion.isPlateau([1, 2], start: 1, width: 4, tolerance: tolerance))
    }
}
