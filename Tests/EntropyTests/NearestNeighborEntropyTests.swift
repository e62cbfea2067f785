import Foundation
import XCTest
import Linalg
@testable import Entropy

final class NearestNeighborEntropyTests: XCTestCase {
    func testKozachenkoLeonenkoMatchesStandardGaussianInOneToEightDimensions() throws {
        for d in [1, 2, 4, 8] {
            var rng = SeededGenerator(seed: 100 + UInt64(d))
            let x = rng.normalMatrix(rows: 5_000, columns: d)
            let estimate = try NearestNeighborEntropy().estimate(x)
            // Same acceptance tolerance as the kernel estimator: 0.05·d up to d = 4, 0.1·d at 8.
            // Measured (k = 4): −0.013, +0.043, −0.062, −0.122 nats for d = 1, 2, 4, 8.
            let tolerance = (d <= 4 ? 0.05 : 0.1) * Double(d)
            XCTAssertEqual(estimate.value, Double(d) * gaussianEntropyPerDimension, accuracy: tolerance, "d = \(d)")
            XCTAssertNil(estimate.bandwidth)
        }
    }

    func testUniformCube() throws {
        var rng = SeededGenerator(seed: 21)
        let x = rng.uniformMatrix(rows: 3_000, columns: 2, in: 0, 2)
        // Truth 2·ln 2; k-NN balls cut by the faces bias it a little (0.1·d as for KDE).
        XCTAssertEqual(try NearestNeighborEntropy(k: 3).estimate(x).value, 2 * log(2), accuracy: 0.2)
    }

    func testDuplicatePointsAreAnErrorNotMinusInfinity() {
        var x = Matrix(rows: 200, columns: 2)
        var rng = SeededGenerator(seed: 22)
        for i in 0..<100 {
            let p = (Float(rng.normal()), Float(rng.normal()))
            x[2 * i, 0] = p.0; x[2 * i, 1] = p.1
            x[2 * i + 1, 0] = p.0; x[2 * i + 1, 1] = p.1
        }
        XCTAssertThrowsError(try NearestNeighborEntropy(k: 1).estimate(x)) { error in
            XCTAssertEqual(error as? EntropyError, .duplicatePoints(count: 200, k: 1))
        }
        XCTAssertNoThrow(try NearestNeighborEntropy(k: 2).estimate(x))
    }

    func testDigammaAndUnitBallVolume() {
        XCTAssertEqual(digamma(1), -0.577_215_664_901_532_9, accuracy: 1e-12)
        XCTAssertEqual(digamma(10), 2.251_752_589_066_721, accuracy: 1e-12)
        XCTAssertEqual(digamma(0.5), -1.963_510_026_021_423_5, accuracy: 1e-12)
        XCTAssertEqual(NearestNeighborEntropy.logUnitBallVolume(1), log(2), accuracy: 1e-12)
        XCTAssertEqual(NearestNeighborEntropy.logUnitBallVolume(2), log(Double.pi), accuracy: 1e-12)
        XCTAssertEqual(NearestNeighborEntropy.logUnitBallVolume(3), log(4 * Double.pi / 3), accuracy: 1e-12)
    }
}
