import Foundation
import XCTest
import Linalg
@testable import Autoencoder

/// Back-propagation against central finite differences of an independent Double
/// implementation, layer by layer, for every activation in every position (hidden,
/// code, output).
final class GradientCheckTests: XCTestCase {
    /// The loss (mean squared error per element) of the network in Double precision,
    /// written independently of the library: naive products, activations from their
    /// definitions.
    func referenceLoss(_ a: AutoencoderArchitecture, _ theta: [Double], _ x: [Double], rows: Int) -> Double {
        func f(_ act: Activation, _ z: Double) -> Double {
            switch act {
            case .relu: max(z, 0)
            case .leakyRelu: z > 0 ? z : Double(Activation.leakySlope) * z
            case .tanh: Foundation.tanh(z)
            case .sigmoid: 1 / (1 + Foundation.exp(-z))
            case .linear: z
            }
        }
        var current = x
        for l in 0..<a.layerCount {
            let n = a.sizes[l], m = a.sizes[l + 1], w = a.weightOffset(l), b = a.biasOffset(l)
            var next = [Double](repeating: 0, count: rows * m)
            for i in 0..<rows {
                for j in 0..<m {
                    var z = theta[b + j]
                    for k in 0..<n { z += current[i * n + k] * theta[w + k * m + j] }
                    next[i * m + j] = f(a.activations[l], z)
                }
            }
            current = next
        }
        var total = 0.0
        for k in x.indices { total += (current[k] - x[k]) * (current[k] - x[k]) }
        return total / Double(x.count)
    }

    /// Relative error ‖reference − analytic‖ / max(‖reference‖, ‖analytic‖) per layer
    /// (weights and biases separately) between the Float32 back-propagated gradient and
    /// central differences of the Double reference loss (h = 1e-6: truncation and
    /// round-off both ≈ 1e-9 relative). What remains is Float32 round-off in the
    /// library's forward and backward passes, ≈ 1e-6 relative, so 1e-2 is a generous
    /// bound that still fails on any wrong term (a missing derivative factor gives O(1)).
    /// `shards` > 1 splits the rows among shards (as training on several threads does)
    /// and checks the sum of their partial gradients.
    func gradientErrors(_ architecture: AutoencoderArchitecture, seed: UInt64, shards: Int = 1) -> [(String, Double)] {
        let rows = 7
        var generator = SeededGenerator(seed: seed)
        var model = Autoencoder(architecture: architecture, generator: &generator)
        // Random biases: with the initial zeros, a unit whose inputs are all zero (after
        // ReLUs) sits exactly on the kink, where a central difference gives slope ½.
        for l in 0..<architecture.layerCount {
            for j in architecture.biasOffset(l)..<architecture.weightOffset(l + 1) {
                model.parameters[j] = Float(generator.normal() * 0.3)
            }
        }
        let trainer = MiniBatchTrainer(architecture: architecture, batchSize: rows,
                                       parameters: model.parameters, noisy: false, shards: shards, minimumShardRows: 1)
        let width = architecture.inputDimension
        for k in 0..<(rows * width) { trainer.target[k] = Float(generator.normal()) }
        let floatError = trainer.computeGradient(rows: rows) / Double(rows * width)
        let analytic = Array(UnsafeBufferPointer(start: trainer.gradients, count: architecture.parameterCount))
        let x = (0..<(rows * width)).map { Double(trainer.target[$0]) }
        var theta = model.parameters.map(Double.init)
        XCTAssertEqual(floatError, referenceLoss(architecture, theta, x, rows: rows), accuracy: 1e-5,
                       "the Float32 forward pass agrees with the reference")
        let h = 1e-6
        var numeric = [Double](repeating: 0, count: architecture.parameterCount)
        for p in theta.indices {
            let saved = theta[p]
            theta[p] = saved + h
            let plus = referenceLoss(architecture, theta, x, rows: rows)
            theta[p] = saved - h
            let minus = referenceLoss(architecture, theta, x, rows: rows)
            theta[p] = saved
            numeric[p] = (plus - minus) / (2 * h)
        }
        var errors = [(String, Double)]()
        for l in 0..<architecture.layerCount {
            let w = architecture.weightOffset(l), b = architecture.biasOffset(l), end = architecture.weightOffset(l + 1)
            for (name, range) in [("W\(l)", w..<b), ("b\(l)", b..<end)] {
                var diff = 0.0, nn = 0.0, na = 0.0
                for p in range {
                    diff += (numeric[p] - Double(analytic[p])) * (numeric[p] - Double(analytic[p]))
                    nn += numeric[p] * numeric[p]
                    na += Double(analytic[p]) * Double(analytic[p])
                }
                errors.append((name, diff.squareRoot() / max(nn.squareRoot(), na.squareRoot(), 1e-300)))
            }
        }
        return errors
    }

    func testBackpropagationMatchesFiniteDifferencesForEveryActivation() throws {
        for (i, activation) in Activation.allCases.enumerated() {
            for code in [Activation.linear, .sigmoid] {
                let architecture = try AutoencoderArchitecture(
                    inputDimension: 6, codeDimension: 3, hidden: [5, 4], activation: activation,
                    codeActivation: code, outputActivation: activation)
                for (layer, error) in gradientErrors(architecture, seed: UInt64(10 + i)) {
                    XCTAssertLessThan(error, 1e-2, "\(activation) hidden/output, \(code) code: layer \(layer)")
                }
            }
        }
    }

    /// Seven rows split 4 + 3 between two shards: the partial gradients, each scaled for
    /// the mean over all seven rows, must add up to the gradient of the whole batch.
    func testShardedGradientsAddUpToTheBatchGradient() throws {
        let architecture = try AutoencoderArchitecture(inputDimension: 6, codeDimension: 2, hidden: [5],
                                                       activation: .tanh, codeActivation: .linear, outputActivation: .sigmoid)
        for (layer, error) in gradientErrors(architecture, seed: 21, shards: 2) {
            XCTAssertLessThan(error, 1e-2, "layer \(layer)")
        }
    }

    func testBackpropagationWithoutHiddenLayers() throws {
        let architecture = try AutoencoderArchitecture(inputDimension: 5, codeDimension: 2, hidden: [],
                                                       activation: .tanh, codeActivation: .tanh, outputActivation: .sigmoid)
        for (layer, error) in gradientErrors(architecture, seed: 3) {
            XCTAssertLessThan(error, 1e-2, "layer \(layer)")
        }
    }
}
