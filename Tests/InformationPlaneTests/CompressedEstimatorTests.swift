import Foundation
import XCTest
import Linalg
@testable import InformationPlane

/// The compressed estimator (autoencoder to d′ = 4, then KDE) on a case where the read-out
/// estimator is exact (issue 25, Build 3): a 4-D Gaussian latent Z embedded in 256 dimensions
/// by S = 2·Z·Q (Q 4×256 with orthonormal rows), T = S + σZ′ with σ = 1, X = Z uniform over
/// n = 1 000 rows. The read-out estimator's only error is Monte-Carlo; the compressed one
/// gets the latent itself as X's code (4 columns are not compressed) and one draw of T.
final class CompressedEstimatorTests: XCTestCase {
    func testCompressedEstimateOfAnEmbeddedLatentIsALowerBound() throws {
        let n = 1_000, width = 256
        var g = SeededGenerator(seed: 2_525)
        let z = g.normalMatrix(rows: n, columns: 4)
        // Orthonormal rows by Gram–Schmidt on a Gaussian 4×256.
        var q = g.normalMatrix(rows: 4, columns: width)
        for r in 0..<4 {
            for p in 0..<r {
                var dot: Float = 0
                for c in 0..<width { dot += q[r, c] * q[p, c] }
                for c in 0..<width { q[r, c] -= dot * q[p, c] }
            }
            var norm: Float = 0
            for c in 0..<width { norm += q[r, c] * q[r, c] }
            for c in 0..<width { q[r, c] /= norm.squareRoot() }
        }
        var s = z.multiplied(by: q)
        for k in s.elements.indices { s.elements[k] *= 2 }
        let exact = try NoisyMutualInformation(noise: 1, samples: 4_000, generator: SeededGenerator(seed: 1), threads: 2).estimate(s)
        var settings = InformationPlaneExperiment.Settings(noise: 1)
        settings.threads = 2
        let experiment = InformationPlaneExperiment(settings: settings)
        let t = experiment.readOut(s, generator: SeededGenerator(seed: 2))
        let codes = try experiment.compress(t, seed: 3)
        let compressed = try KernelMutualInformation(threads: 2).information(z, codes)
        let message = "exact (read-out) \(exact.inputInformation) ± \(exact.inputStandardError), compressed \(compressed)"
        print(message)
        // Issue 25 asks for 0.3 nats; measured: exact 3.187 ± 0.027, compressed 1.206 — two nats
        // low, so the estimator fails the validation and the report labels its columns "lower
        // bound (lossy code)". What is checked is that label (with 0.3 nats for KDE's own error).
        XCTAssertLessThanOrEqual(compressed, exact.inputInformation + 0.3, message)
    }
}
