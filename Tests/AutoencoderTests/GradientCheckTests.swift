import XCTest
import Linalg
@testable import Autoencoder

/// Back-propagation against central finite differences, layer by layer, for every
/// activation in every position (hidden, code, output).
final class GradientCheckTests: XCTestCase {
    /// Relative error ‖numeric − analytic‖ / max(‖numeric‖, ‖analytic‖) per layer (weights
    /// and biases separately). Float32 forward passes make the loss exact to ~1e-7; with a
    /// step h = 1e-3 the central difference is then good to ~1e-4 absolute, i.e. ~1e-3
    /// relative for gradients of order 0.1 — the 1e-2 bound leaves a factor 10 for the odd
    /// ReLU kink crossed by the step.
    func gradientErrors(_ architecture: AutoencoderArchitecture, seed: UInt64) -> [(String, Double)] {
        let rows = 7
        var generator = SeededGenerator(seed: seed)
        let model = Autoencoder(architecture: architecture, generator: &generator)
        let trainer = MiniBatchTrainer(architecture: architecture, batchSize: rows,
                                       parameters: model.parameters, noisy: false)
        let width = architecture.inputDimension
        for k in 0..<(rows * width) { trainer.target[k] = Float(generator.normal()) }
        _ = trainer.computeGradient(rows: rows)
        let analytic = Array(UnsafeBufferPointer(start: trainer.gradients, count: architecture.parameterCount))
        func loss() -> Double { trainer.squaredError(rows: rows) / Double(rows * width) }
        let h: Float = 1e-3
        var numeric = [Double](repeating: 0, count: architecture.parameterCount)
        for p in 0..<architecture.parameterCount {
            let saved = trainer.parameters[p]
            trainer.parameters[p] = saved + h
            let plus = loss()
            trainer.parameters[p] = saved - h
            let minus = loss()
            trainer.parameters[p] = saved
            // The perturbation actually applied, after rounding to Float.
            numeric[p] = (plus - minus) / Double((saved + h) - (saved - h))
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
                errors.append((name, diff.squareRoot() / max(nn.squareRoot(), na.squareRoot(), 1e-12)))
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

    func testBackpropagationWithoutHiddenLayers() throws {
        let architecture = try AutoencoderArchitecture(inputDimension: 5, codeDimension: 2, hidden: [],
                                                       activation: .tanh, codeActivation: .tanh, outputActivation: .sigmoid)
        for (layer, error) in gradientErrors(architecture, seed: 3) {
            XCTAssertLessThan(error, 1e-2, "layer \(layer)")
        }
    }
}
