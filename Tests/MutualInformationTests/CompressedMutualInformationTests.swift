import Autoencoder
import Foundation
import Linalg
@testable import MutualInformation
import XCTest

/// I(A;B) of jointly Gaussian samples from their sample covariances:
/// ½·(ln det Σ_A + ln det Σ_B − ln det Σ_AB) (Cover & Thomas, Thm 8.4.1 three times): exact in
/// the limit for Gaussian codes, a stand-in for the KSG estimator the module's other half
/// provides.
func gaussianInformation(_ a: Matrix, _ b: Matrix) throws -> Double {
    func logDet(_ m: Matrix) throws -> Double {
        try SymmetricEigen(m.covariance()).values.reduce(0) { $0 + log($1) }
    }
    var joint = Matrix(rows: a.rows, columns: a.columns + b.columns)
    for i in 0..<a.rows {
        for j in 0..<a.columns { joint.elements[i * joint.columns + j] = a[i, j] }
        for j in 0..<b.columns { joint.elements[i * joint.columns + a.columns + j] = b[i, j] }
    }
    return 0.5 * (try logDet(a) + logDet(b) - logDet(joint))
}

/// A 4-D latent pair (z, w), each coordinate pair correlated ρ, embedded in D dimensions by
/// a random orthonormal map per side, plus isotropic noise σ. In the embedding's span a side
/// reads z + σε (ε ~ N(0, I₄)); across it only independent noise, which carries nothing. So
/// I(X;Y) = −2·ln(1 − ρ′²) with ρ′ = ρ/(1 + σ²) (4 pairs of correlation ρ′).
func embeddedLatents(rows n: Int, ambient: Int, rho: Double, noise sigma: Double, seed: UInt64) -> (x: Matrix, y: Matrix, truth: Double) {
    var g = SeededGenerator(seed: seed)
    func orthonormalColumns() -> [[Double]] {
        var columns = [[Double]]()
        while columns.count < 4 {
            var v = (0..<ambient).map { _ in g.normal() }
            for c in columns {
                let dot = zip(v, c).reduce(0) { $0 + $1.0 * $1.1 }
                for k in v.indices { v[k] -= dot * c[k] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            columns.append(v.map { $0 / norm })
        }
        return columns
    }
    let a = orthonormalColumns(), b = orthonormalColumns()
    var x = Matrix(rows: n, columns: ambient), y = Matrix(rows: n, columns: ambient)
    let s = (1 - rho * rho).squareRoot()
    for i in 0..<n {
        var z = [Double](), w = [Double]()
        for _ in 0..<4 { let u = g.normal(); z.append(u); w.append(rho * u + s * g.normal()) }
        for k in 0..<ambient {
            var xs = sigma * g.normal(), ys = sigma * g.normal()
            for c in 0..<4 { xs += a[c][k] * z[c]; ys += b[c][k] * w[c] }
            x.elements[i * ambient + k] = Float(xs)
            y.elements[i * ambient + k] = Float(ys)
        }
    }
    let rhoPrime = rho / (1 + sigma * sigma)
    return (x, y, -2 * log(1 - rhoPrime * rhoPrime))
}

final class CompressedMutualInformationTests: XCTestCase {
    func testTheGaussianStandInIsExactOnGaussians() throws {
        let (x, y, truth) = correlatedGaussians(rows: 20_000, pairs: 3, rho: 0.7, seed: 1)
        // Sampling error of the plug-in at n = 20 000: ≈ √(d/n)·ρ… ≈ 0.01 nats.
        XCTAssertEqual(try gaussianInformation(x, y), truth, accuracy: 0.03)
    }

    func testLinearCompressionOfAnEmbeddedLatentRecoversTheInformation() throws {
        // D = 32 per side, 4-D latents with ρ = 0.9, σ = 0.1: I = 3.15 nats.
        let (x, y, truth) = embeddedLatents(rows: 2_000, ambient: 32, rho: 0.9, noise: 0.1, seed: 7)
        var settings = CompressedMutualInformation.Settings(hidden: [16], activation: .linear)
        settings.training = TrainingOptions(epochs: 40, batchSize: 64, learningRate: 3e-3, validationFraction: 0, threads: 1)
        let estimate = try CompressedMutualInformation(settings: settings)
            .estimate(x: x, y: y, codeEstimator: "Gaussian", estimateCodes: gaussianInformation)
        // A linear autoencoder spans the signal's 4-D subspace (PCA), and any invertible map of
        // that subspace keeps the information, so the Gaussian formula on the codes is exact up
        // to its sampling error (≈ 0.03 at n = 2 000) and the part of the subspace a finite
        // training misses: 0.15 nats is ~5% of the 3.15.
        XCTAssertEqual(estimate.value, truth, accuracy: 0.15, "\(estimate)")
        XCTAssertEqual(estimate.details["xCodeDimension"], 4)
        XCTAssertLessThan(try XCTUnwrap(estimate.details["unexplainedX"]), 0.1)
        XCTAssertNil(estimate.lower)
    }

    func testReLUCompressionIsALowerBoundUpToTheCodeEstimatorsError() throws {
        let (x, y, truth) = embeddedLatents(rows: 2_000, ambient: 32, rho: 0.9, noise: 0.1, seed: 7)
        var settings = CompressedMutualInformation.Settings()
        settings.training = TrainingOptions(epochs: 40, batchSize: 64, learningRate: 3e-3, validationFraction: 0, threads: 1)
        let estimate = try CompressedMutualInformation(settings: settings)
            .estimate(x: x, y: y, codeEstimator: "Gaussian", estimateCodes: gaussianInformation)
        // Data processing: I(f(X); g(Y)) ≤ I(X;Y); the Gaussian formula on non-Gaussian codes
        // reads lower still (it is the information of their linear part only). The codes keep
        // most of it: more than half.
        XCTAssertLessThanOrEqual(estimate.value, truth + 0.05, "\(estimate)")
        XCTAssertGreaterThan(estimate.value, truth / 2, "\(estimate)")
    }

    func testNarrowSidesAreNotCompressedAndTheSeedFixesTheResult() throws {
        let (x, y, truth) = correlatedGaussians(rows: 2_000, pairs: 2, rho: 0.8, seed: 3)
        let compressed = CompressedMutualInformation(settings: .init(xCodeDimension: 4, yCodeDimension: 4))
        let estimate = try compressed.estimate(x: x, y: y, estimateCodes: gaussianInformation)
        XCTAssertEqual(estimate.value, truth, accuracy: 0.05)
        XCTAssertEqual(estimate.details["unexplainedX"], 0)
        XCTAssertEqual(estimate.estimator, "compressed (d′ = 2, 2) + KSG")

        let (wide, wideY, _) = embeddedLatents(rows: 300, ambient: 12, rho: 0.5, noise: 0.1, seed: 1)
        var settings = CompressedMutualInformation.Settings(seed: 5)
        settings.training.epochs = 3
        let a = try CompressedMutualInformation(settings: settings).estimate(x: wide, y: wideY, estimateCodes: gaussianInformation)
        let b = try CompressedMutualInformation(settings: settings).estimate(x: wide, y: wideY, estimateCodes: gaussianInformation)
        XCTAssertEqual(a.value, b.value)
        XCTAssertThrowsError(try compressed.estimate(x: x, y: y.rows(in: 0..<10), estimateCodes: gaussianInformation))
    }
}
