import Foundation
import XCTest
import Linalg
@testable import Autoencoder

final class TrainingTests: XCTestCase {
    /// n points z·A + noise with z in R³: a 3-D linear subspace of R^20 (scales 3, 2, 1)
    /// plus isotropic noise of σ = 0.05.
    func subspaceData(n: Int, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        let basis = g.normalMatrix(rows: 3, columns: 20, standardDeviation: 1 / Float(20).squareRoot())
        var z = g.normalMatrix(rows: n, columns: 3)
        for i in 0..<n { for j in 0..<3 { z[i, j] *= Float(3 - j) } }
        var x = z.multiplied(by: basis)
        for k in x.elements.indices { x.elements[k] += Float(g.normal() * 0.05) + 1 }
        return x
    }

    /// A linear autoencoder with code d spans at best the top-d principal subspace, so its
    /// error per element is at least Σ_{j>d} λ_j·(n−1)/n / D (λ from the sample covariance)
    /// — and Adam should get within 5% of that bound.
    func testLinearAutoencoderReachesPrincipalComponentError() throws {
        let n = 2000, d = 2
        let x = subspaceData(n: n, seed: 7)
        let eigen = try SymmetricEigen(x.covariance())
        let pcaError = eigen.values[d...].reduce(0, +) * Double(n - 1) / Double(n) / Double(x.columns)

        for hidden in [[], [8]] {
            let architecture = try AutoencoderArchitecture(inputDimension: 20, codeDimension: d, hidden: hidden,
                                                           activation: .linear, codeActivation: .linear, outputActivation: .linear)
            let options = TrainingOptions(epochs: 150, batchSize: 64, learningRate: 2e-3, validationFraction: 0, seed: 1)
            let result = try Autoencoder.train(on: x, architecture: architecture, options: options)
            let error = try result.model.reconstructionError(x)
            XCTAssertGreaterThan(error, pcaError * (1 - 1e-3), "PCA is optimal among linear maps (hidden \(hidden))")
            XCTAssertLessThan(error, pcaError * 1.05, "hidden \(hidden): AE \(error) vs PCA \(pcaError)")
        }
    }

    /// 5 000 rows of 784-d data on a 5-D nonlinear manifold (sigmoid of a random linear
    /// map), like pixels in (0, 1): five epochs of the default net must halve the
    /// validation loss of the first epoch.
    func testDefaultNetworkHalvesValidationLossInFiveEpochs() throws {
        var g = SeededGenerator(seed: 11)
        let z = g.normalMatrix(rows: 5000, columns: 5)
        let mixing = g.normalMatrix(rows: 5, columns: 784)
        var x = z.multiplied(by: mixing)
        for k in x.elements.indices { x.elements[k] = 1 / (1 + exp(-x.elements[k])) }
        let architecture = try AutoencoderArchitecture(inputDimension: 784, codeDimension: 8)
        XCTAssertEqual(architecture.sizes, [784, 512, 256, 8, 256, 512, 784])
        let result = try Autoencoder.train(on: x, architecture: architecture,
                                           options: TrainingOptions(epochs: 5, validationFraction: 0.1, seed: 2))
        let losses = result.history.compactMap(\.validation)
        XCTAssertEqual(losses.count, 5)
        XCTAssertLessThan(losses[4], losses[0] / 2, "validation losses \(losses)")
        XCTAssertEqual(result.validationRows, 500)
    }

    func testCancelledTrainingStopsBeforeTheNextMiniBatch() throws {
        defer { Cancellation.reset() }
        let x = subspaceData(n: 600, seed: 3)
        let architecture = try AutoencoderArchitecture(inputDimension: 20, codeDimension: 3, hidden: [16])
        var epochs = 0
        let options = TrainingOptions(epochs: 50, batchSize: 32, validationFraction: 0.1, threads: 2, seed: 1)
        XCTAssertThrowsError(try Autoencoder.train(on: x, architecture: architecture, options: options) { _ in
            epochs += 1
            if epochs == 2 { Cancellation.request() }
        }) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        XCTAssertEqual(epochs, 2, "no epoch after the request")
    }

    func testTrainingIsDeterministicForASeed() throws {
        let x = subspaceData(n: 600, seed: 3)
        let architecture = try AutoencoderArchitecture(inputDimension: 20, codeDimension: 3, hidden: [16])
        let options = TrainingOptions(epochs: 3, batchSize: 32, inputNoise: 0.1, seed: 5)
        let a = try Autoencoder.train(on: x, architecture: architecture, options: options)
        let b = try Autoencoder.train(on: x, architecture: architecture, options: options)
        XCTAssertEqual(a.model, b.model)
        XCTAssertEqual(a.history.map(\.training), b.history.map(\.training))
        var other = options
        other.seed = 6
        let c = try Autoencoder.train(on: x, architecture: architecture, options: other)
        XCTAssertNotEqual(a.model, c.model)
    }

    /// Two threads split each mini-batch into shards whose gradients are added: the same
    /// arithmetic in another order, so the losses agree with one thread up to rounding.
    /// Batches of 37 and 21 rows leave short and odd last batches (21 goes to one shard).
    func testShardedTrainingMatchesOneThreadUpToRounding() throws {
        let x = subspaceData(n: 400, seed: 8)
        let architecture = try AutoencoderArchitecture(inputDimension: 20, codeDimension: 3, hidden: [16])
        for batch in [37, 21] {
            var one = TrainingOptions(epochs: 2, batchSize: batch, validationFraction: 0.2, threads: 1, seed: 2)
            let single = try Autoencoder.train(on: x, architecture: architecture, options: one)
            one.threads = 2
            let sharded = try Autoencoder.train(on: x, architecture: architecture, options: one)
            for (a, b) in zip(single.history, sharded.history) {
                XCTAssertEqual(a.training, b.training, accuracy: 1e-5 * a.training, "batch \(batch), epoch \(a.epoch)")
                XCTAssertEqual(a.validation!, b.validation!, accuracy: 1e-5 * a.validation!, "batch \(batch), epoch \(a.epoch)")
            }
        }
    }

    func testDivergingTrainingNamesEpochAndBatch() throws {
        let x = subspaceData(n: 500, seed: 4)
        let architecture = try AutoencoderArchitecture(inputDimension: 20, codeDimension: 2, hidden: [32])
        // A step of 1e15 per weight overflows Float32 within a few mini-batches.
        let options = TrainingOptions(epochs: 3, batchSize: 50, learningRate: 1e15, seed: 1)
        XCTAssertThrowsError(try Autoencoder.train(on: x, architecture: architecture, options: options)) { error in
            guard case AutoencoderError.nonFiniteLoss(let epoch, let batch, let loss)? = error as? AutoencoderError else {
                return XCTFail("expected nonFiniteLoss, got \(error)")
            }
            XCTAssertFalse(loss.isFinite)
            XCTAssertGreaterThanOrEqual(epoch, 1)
            XCTAssertGreaterThanOrEqual(batch, 1)
            XCTAssertTrue(String(describing: error).contains("epoch \(epoch), mini-batch \(batch)"))
        }
    }

    func testNonFiniteDataIsRejected() throws {
        var x = subspaceData(n: 100, seed: 4)
        x[3, 4] = .nan
        let architecture = try AutoencoderArchitecture(inputDimension: 20, codeDimension: 2)
        XCTAssertThrowsError(try Autoencoder.train(on: x, architecture: architecture, options: TrainingOptions(epochs: 1)))
    }

    func testEarlyStoppingKeepsTheBestEpoch() throws {
        // 40 training rows of pure noise: the network overfits and the validation loss rises.
        var g = SeededGenerator(seed: 9)
        let x = g.normalMatrix(rows: 80, columns: 20)
        let architecture = try AutoencoderArchitecture(inputDimension: 20, codeDimension: 10, hidden: [64])
        let options = TrainingOptions(epochs: 200, batchSize: 8, learningRate: 3e-3, validationFraction: 0.5,
                                      earlyStoppingPatience: 3, seed: 1)
        let result = try Autoencoder.train(on: x, architecture: architecture, options: options)
        XCTAssertTrue(result.stoppedEarly)
        XCTAssertEqual(result.history.count, result.bestEpoch + 3)
        let best = result.history.compactMap(\.validation).min()
        XCTAssertEqual(result.history[result.bestEpoch - 1].validation, best)
    }

    func testEncodeDecodeShapesAndComposition() throws {
        let x = subspaceData(n: 1500, seed: 2) // more rows than one inference block
        let architecture = try AutoencoderArchitecture(inputDimension: 20, codeDimension: 3)
        let result = try Autoencoder.train(on: x, architecture: architecture, options: TrainingOptions(epochs: 2, seed: 1))
        let codes = try result.model.encode(x)
        XCTAssertEqual(codes.rows, 1500)
        XCTAssertEqual(codes.columns, 3)
        let decoded = try result.model.decode(codes)
        let reconstructed = try result.model.reconstruct(x)
        XCTAssertEqual(decoded, reconstructed)
        XCTAssertThrowsError(try result.model.decode(x))
    }
}
