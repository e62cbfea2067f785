import Foundation
import XCTest
import Linalg
@testable import Dimension

/// Agreement with scikit-dimension 0.5.0 on a committed fixture: 1 000 points of a curved
/// 4-manifold in R^8 (Fixtures/manifold4-1000x8.f32, raw little-endian float32). The
/// reference numbers come from `python3 bench/reference/skdim_fixture.py`, which computes
/// in float64 on the same float32 values. Tolerance 2% (the acceptance): the
/// estimators follow skdim's conventions exactly, so the only differences are Float32
/// distances (relative error ~1e-6), far inside 2%.
final class ScikitDimensionAgreementTests: XCTestCase {
    static let skdimCorrInt = 3.595142400520101   // CorrInt(k1=10, k2=20)
    static let skdimMLE = 3.555429391470343       // MLE(), n_neighbors=20, comb="mle"
    static let skdimTwoNN = 3.7921298030487143    // TwoNN(discard_fraction=0.1), linear fit

    func fixture() throws -> Matrix {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "manifold4-1000x8", withExtension: "f32", subdirectory: "Fixtures"))
        let data = try Data(contentsOf: url)
        XCTAssertEqual(data.count, 1000 * 8 * 4)
        let values = data.withUnsafeBytes { raw in
            (0..<(1000 * 8)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        return Matrix(rows: 1000, columns: 8, elements: values)
    }

    func testAgreesWithScikitDimensionWithinTwoPercent() throws {
        let x = try fixture()
        let neighbors = try NearestNeighbors(of: x, k: 20)
        let corrint = try TwoRadiusCorrelationDimension(of: x, neighbors: neighbors, k1: 10, k2: 20).dimension
        let mle = try MaximumLikelihoodDimension(neighbors: neighbors, k: 20).dimension
        let twonn = try TwoNearestNeighborsDimension(neighbors: neighbors, discardFraction: 0.1).dimension
        XCTAssertEqual(corrint, Self.skdimCorrInt, accuracy: 0.02 * Self.skdimCorrInt)
        XCTAssertEqual(mle, Self.skdimMLE, accuracy: 0.02 * Self.skdimMLE)
        XCTAssertEqual(twonn, Self.skdimTwoNN, accuracy: 0.02 * Self.skdimTwoNN)
        print(String(format: "skdim agreement: CorrInt %.6f vs %.6f (%+.4f%%), MLE %.6f vs %.6f (%+.4f%%), TwoNN %.6f vs %.6f (%+.4f%%)",
                     corrint, Self.skdimCorrInt, 100 * (corrint / Self.skdimCorrInt - 1),
                     mle, Self.skdimMLE, 100 * (mle / Self.skdimMLE - 1),
                     twonn, Self.skdimTwoNN, 100 * (twonn / Self.skdimTwoNN - 1)))
    }
}
