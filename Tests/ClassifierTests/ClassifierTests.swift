import Foundation
import XCTest
import Autoencoder
import Linalg
@testable import Classifier

final class ClassifierTests: XCTestCase {
    /// Mean cross-entropy of the noisy network in Double, written independently: naive
    /// products, activations from their definitions, the noise and dropout draws replayed
    /// from a copy of the trainer's generator in the trainer's order (per hidden layer: the
    /// noise of every element by `addNoise`, then with dropout a uniform per element).
    func referenceLoss(_ a: ClassifierArchitecture, _ theta: [Double], _ x: [Double], labels: [Int],
                       sigma: Double, dropout: Double, generator: SeededGenerator) -> Double {
        func f(_ act: Activation, _ z: Double) -> Double {
            switch act {
            case .relu: max(z, 0)
            case .leakyRelu: z > 0 ? z : Double(Activation.leakySlope) * z
            case .tanh: Foundation.tanh(z)
            case .sigmoid: 1 / (1 + Foundation.exp(-z))
            case .linear: z
            }
        }
        var g = generator
        let rows = labels.count
        var current = x
        for l in 0..<a.layerCount {
            let n = a.sizes[l], m = a.sizes[l + 1], w = a.weightOffset(l), b = a.biasOffset(l)
            var next = [Double](repeating: 0, count: rows * m)
            for i in 0..<rows {
                for j in 0..<m {
                    var z = theta[b + j]
                    for k in 0..<n { z += current[i * n + k] * theta[w + k * m + j] }
                    next[i * m + j] = f(a.activation(l), z)
                }
            }
            if l < a.hiddenCount {
                if sigma > 0 {
                    var noise = [Float](repeating: 0, count: next.count)
                    noise.withUnsafeMutableBufferPointer { p in
                        ClassifierTrainer.addNoise(to: p.baseAddress!, from: p.baseAddress!, count: p.count,
                                                   sigma: Float(sigma), generator: &g)
                    }
                    for k in next.indices { next[k] += Double(noise[k]) }
                }
                if dropout > 0 {
                    for k in next.indices { next[k] *= g.uniform() < 1 - dropout ? 1 / (1 - dropout) : 0 }
                }
            }
            current = next
        }
        let c = a.classes
        var loss = 0.0
        for i in 0..<rows {
            let z = current[(i * c)..<((i + 1) * c)]
            let top = z.max() ?? 0
            loss += top + log(z.reduce(0) { $0 + exp($1 - top) }) - current[i * c + labels[i]]
        }
        return loss / Double(rows)
    }

    /// Back-propagation with noise and dropout against central differences of the Double
    /// reference with the same draws (h = 1e-6). Float32 round-off leaves ≈ 1e-6 relative;
    /// a wrong term gives O(1), so 1e-2 per layer separates them.
    func checkGradient(activations: [Activation], sigma: Double, dropout: Double, seed: UInt64) throws {
        let a = try ClassifierArchitecture(inputDimension: 5, hidden: [6, 4], classes: 3, activations: activations)
        var generator = SeededGenerator(seed: seed)
        var model = NoisyClassifier(architecture: a, noise: sigma, generator: &generator)
        for l in 0..<a.layerCount {
            for j in a.biasOffset(l)..<a.weightOffset(l + 1) { model.parameters[j] = Float(generator.normal() * 0.3) }
        }
        let rows = 7
        let trainer = ClassifierTrainer(architecture: a, batchSize: rows, parameters: model.parameters)
        for k in 0..<(rows * 5) { trainer.input[k] = Float(generator.normal()) }
        let labels = (0..<rows).map { $0 % 3 }
        trainer.labels = labels
        let draws = generator.derived("noise")
        var used = draws
        let result = trainer.computeGradient(rows: rows, noise: sigma, dropout: dropout, generator: &used)
        let analytic = Array(UnsafeBufferPointer(start: trainer.gradients, count: a.parameterCount))
        let x = (0..<(rows * 5)).map { Double(trainer.input[$0]) }
        var theta = model.parameters.map(Double.init)
        XCTAssertEqual(result.loss / Double(rows),
                       referenceLoss(a, theta, x, labels: labels, sigma: sigma, dropout: dropout, generator: draws),
                       accuracy: 1e-5, "forward pass with the same draws")
        let h = 1e-6
        for l in 0..<a.layerCount {
            var diff = 0.0, norm = 0.0
            for p in a.weightOffset(l)..<a.weightOffset(l + 1) {
                let saved = theta[p]
                theta[p] = saved + h
                let plus = referenceLoss(a, theta, x, labels: labels, sigma: sigma, dropout: dropout, generator: draws)
                theta[p] = saved - h
                let minus = referenceLoss(a, theta, x, labels: labels, sigma: sigma, dropout: dropout, generator: draws)
                theta[p] = saved
                let numeric = (plus - minus) / (2 * h)
                diff += (numeric - Double(analytic[p])) * (numeric - Double(analytic[p]))
                norm += numeric * numeric
            }
            XCTAssertLessThan(diff.squareRoot() / max(norm.squareRoot(), 1e-12), 1e-2,
                              "layer \(l), \(activations), σ = \(sigma), dropout = \(dropout)")
        }
    }

    func testGradientMatchesFiniteDifferencesWithNoiseAndDropout() throws {
        // Measured relative errors: 9e-8 … 3e-7 per layer (Float32 round-off).
        try checkGradient(activations: [.tanh], sigma: 0, dropout: 0, seed: 1)
        try checkGradient(activations: [.tanh, .sigmoid], sigma: 0.3, dropout: 0, seed: 2)
        try checkGradient(activations: [.leakyRelu], sigma: 0.2, dropout: 0.25, seed: 3)
        try checkGradient(activations: [.relu], sigma: 0.1, dropout: 0, seed: 4)
    }

    func testLearnsSeparableClustersAndSnapshotsEveryLayer() throws {
        // Three well-separated Gaussian clusters in R^4 (means 6 apart, sd 1): a linear rule
        // classifies them almost perfectly, so the noisy MLP must reach ≥ 95 % test accuracy.
        // Measured: accuracy 1.0, training loss 0.737 → 0.029 nats.
        var g = SeededGenerator(seed: 7)
        let n = 600
        var x = g.normalMatrix(rows: n, columns: 4)
        let labels = (0..<n).map { $0 % 3 }
        for i in 0..<n { x[i, labels[i]] += 6 }
        let a = try ClassifierArchitecture(inputDimension: 4, hidden: [16, 8], classes: 3, activations: [.tanh])
        let options = ClassifierOptions(epochs: 15, batchSize: 32, learningRate: 3e-3, noise: 0.1, dropout: 0.1,
                                        snapshotEpochs: [0, 1, 15], threads: 1, seed: 3)
        let result = try NoisyClassifier.train(on: x, labels: labels, architecture: a, options: options,
                                               evaluationRows: Array(0..<50))
        XCTAssertEqual(result.history.count, 15)
        let last = try XCTUnwrap(result.history.last)
        XCTAssertGreaterThan(try XCTUnwrap(last.testAccuracy), 0.95)
        XCTAssertLessThan(last.trainingLoss, result.history[0].trainingLoss)
        XCTAssertEqual(result.testRows.count, 120)
        XCTAssertEqual(result.snapshots.map(\.epoch), [0, 1, 15])
        for s in result.snapshots {
            XCTAssertEqual(s.layers.map(\.columns), [16, 8])
            XCTAssertEqual(s.layers.map(\.rows), [50, 50])
        }
        // Deterministic for a seed.
        let again = try NoisyClassifier.train(on: x, labels: labels, architecture: a, options: options,
                                              evaluationRows: Array(0..<50))
        XCTAssertEqual(again.model.parameters, result.model.parameters)
    }

    func testLogSpacedEpochsStartAtZeroAndEndAtTheLast() {
        let e = ClassifierOptions.logSpacedEpochs(8, upTo: 100)
        XCTAssertEqual(e.first, 0)
        XCTAssertEqual(e.last, 100)
        XCTAssertEqual(e, e.sorted())
        XCTAssertEqual(ClassifierOptions.logSpacedEpochs(1, upTo: 5), [5])
    }

    func testInvalidSettingsAreErrors() throws {
        XCTAssertThrowsError(try ClassifierArchitecture(inputDimension: 4, hidden: [0], classes: 3, activations: [.relu]))
        XCTAssertThrowsError(try ClassifierArchitecture(inputDimension: 4, hidden: [3], classes: 1, activations: [.relu]))
        let a = try ClassifierArchitecture(inputDimension: 2, hidden: [3], classes: 2, activations: [.relu])
        let x = Matrix([[0, 1], [1, 0], [1, 1], [0, 0]])
        XCTAssertThrowsError(try NoisyClassifier.train(on: x, labels: [0, 1, 2, 0], architecture: a, options: ClassifierOptions()))
        XCTAssertThrowsError(try NoisyClassifier.train(on: x, labels: [0, 1, 1, 0], architecture: a,
                                                       options: ClassifierOptions(dropout: 1)))
    }
}
