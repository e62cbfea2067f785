import XCTest
import Linalg
@testable import Dimension

/// Duplicates and ties in the neighbour estimators are explicit behaviour: exact
/// duplicates (first neighbour distance 0) are left out and counted, distinct points are
/// never mistaken for duplicates, and data that is all duplicates is an error.
final class DuplicatePointTests: XCTestCase {
    /// `count` points of the unit square in R³ (z = 0), with the first `copies` rows
    /// appended again at the end.
    func square(count: Int, copies: Int, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        let base = (0..<count).map { _ in [Float(g.uniform()), Float(g.uniform()), 0] }
        return Matrix(base + base.prefix(copies))
    }

    func testTwoNNAndMLELeaveOutExactDuplicatesAndCountBothCopies() throws {
        let x = square(count: 2000, copies: 25, seed: 21)
        let neighbors = try NearestNeighbors(of: x, k: 20)
        let twonn = try TwoNearestNeighborsDimension(neighbors: neighbors)
        let mle = try MaximumLikelihoodDimension(neighbors: neighbors, k: 20)
        // Each duplicated point and its copy have r1 = 0.
        XCTAssertEqual(twonn.duplicatePoints, 50)
        XCTAssertEqual(mle.duplicatePoints, 50)
        XCTAssertEqual(mle.equidistantPoints, 0)
        XCTAssertEqual(mle.pointwise.count, 2025 - 50)
        // The rest is an ordinary 2-D sample: finite estimates near 2 (10 %, the tolerance of
        // KnownDimensionTests), not pulled to 0 by ln(T_k/0) = ∞.
        XCTAssertEqual(twonn.dimension, 2, accuracy: 0.2)
        XCTAssertEqual(mle.dimension, 2, accuracy: 0.2)
    }

    func testTwoNNLeavesDuplicatesOutBeforeCountingN() throws {
        // skdim's definition: N counts the ratios that exist, so the estimate equals the fit
        // on the non-duplicate ratios alone.
        let x = square(count: 600, copies: 30, seed: 22)
        let neighbors = try NearestNeighbors(of: x, k: 2)
        let twonn = try TwoNearestNeighborsDimension(neighbors: neighbors, discardFraction: 0.1)
        var ratios = [Double]()
        for i in 0..<x.rows where neighbors.distance(i, neighbor: 1) > 0 {
            ratios.append(Double(neighbors.distance(i, neighbor: 2)) / Double(neighbors.distance(i, neighbor: 1)))
        }
        ratios.sort()
        let n = ratios.count, kept = Int(Double(n) * 0.9)
        var sxy = 0.0, sxx = 0.0
        for i in 0..<kept {
            let a = log(ratios[i]), b = -log(1 - Double(i + 1) / Double(n))
            sxy += a * b; sxx += a * a
        }
        XCTAssertEqual(twonn.duplicatePoints, 60)
        XCTAssertEqual(twonn.dimension, sxy / sxx, accuracy: 1e-12)
    }

    func testDataThatIsAllDuplicatesIsAnErrorThatSaysSo() throws {
        let base = square(count: 50, copies: 0, seed: 23)
        let x = Matrix(rows: 150, columns: 3, elements: base.elements + base.elements + base.elements)
        let neighbors = try NearestNeighbors(of: x, k: 20)
        XCTAssertThrowsError(try TwoNearestNeighborsDimension(neighbors: neighbors)) { error in
            XCTAssertTrue("\(error)".contains("exact duplicate"), "\(error)")
        }
        XCTAssertThrowsError(try MaximumLikelihoodDimension(neighbors: neighbors, k: 20)) { error in
            XCTAssertTrue("\(error)".contains("150 of 150 have an exact duplicate"), "\(error)")
        }
    }

    func testCloseDistinctPointsFarFromTheOriginAreNotDuplicates() throws {
        // A curve at distance 1 000 from the origin with neighbours ~1e-3 apart: the
        // expansion ‖x‖² + ‖y‖² − 2x·y in Float32 has an error ~0.1 in squared distance and
        // would call most of them duplicates. The exact search must not.
        var g = SeededGenerator(seed: 24)
        var rows = [[Float]]()
        for _ in 0..<400 {
            let t = Float(g.uniform())
            rows.append([1000, t, t * t])
        }
        let neighbors = try NearestNeighbors(of: Matrix(rows), k: 20)
        let twonn = try TwoNearestNeighborsDimension(neighbors: neighbors, discardFraction: 0.1)
        let mle = try MaximumLikelihoodDimension(neighbors: neighbors, k: 20)
        XCTAssertEqual(twonn.duplicatePoints, 0)
        XCTAssertEqual(mle.duplicatePoints, 0)
        XCTAssertEqual(twonn.dimension, 1, accuracy: 0.15)
        XCTAssertEqual(mle.dimension, 1, accuracy: 0.15)
    }

    func testEqualNeighbourDistancesAreKeptAsRatioOneAndCountedAsEquidistantByTheMLE() throws {
        // Points on the integer line: every interior point has r1 = r2 = 1 (μ = 1, ln μ = 0).
        // TwoNN keeps μ = 1 (it only moves F); the 90 % kept are all 1, so the fit has no
        // slope: an error, not a NaN. The MLE with k = 2 has Σ ln(T₂/T₁) = 0 at the 98
        // interior points and leaves them out as equidistant, not as duplicates.
        let x = Matrix((0..<100).map { [Float($0), 0] })
        let neighbors = try NearestNeighbors(of: x, k: 2)
        XCTAssertThrowsError(try TwoNearestNeighborsDimension(neighbors: neighbors, discardFraction: 0.1)) { error in
            XCTAssertTrue("\(error)".contains("ratio r2/r1 is 1"), "\(error)")
        }
        let mle = try MaximumLikelihoodDimension(neighbors: neighbors, k: 2)
        XCTAssertEqual(mle.equidistantPoints, 98)
        XCTAssertEqual(mle.duplicatePoints, 0)
        XCTAssertEqual(mle.pointwise.count, 2)
    }
}
