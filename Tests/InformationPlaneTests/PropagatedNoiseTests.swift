import Foundation
import XCTest
import Classifier
import Linalg
@testable import InformationPlane

/// The propagated-noise information plane (Goldfeld et al.'s noisy network, T_l = f_l(T_{l−1})
/// + σZ_l): a closed form through two linear layers, the data-processing inequality on a
/// trained network, the ceiling H(Y), and stability under the Monte-Carlo draws.
final class PropagatedNoiseTests: XCTestCase {
    /// A linear 3-3-2 network (2 output classes, unused) with the given layer maps: a layer
    /// computes X·W, so W is the transpose of the map A in T = A·X.
    private func linearNetwork(_ a1: [[Float]], _ a2: [[Float]], sigma: Double) throws -> NoisyClassifier {
        let architecture = try ClassifierArchitecture(inputDimension: 3, hidden: [3, 2], classes: 2, activations: [.linear])
        var p = [Float](repeating: 0, count: architecture.parameterCount)
        for (l, a) in [a1, a2].enumerated() {
            let offset = architecture.weightOffset(l), out = a.count, inputs = a[0].count
            for i in 0..<inputs { for o in 0..<out { p[offset + i * out + o] = a[o][i] } }
        }
        return try NoisyClassifier(architecture: architecture, noise: sigma, parameters: p)
    }

    func testTwoLinearLayersMatchTheGaussianClosedForm() throws {
        // X ~ N(0, I₃), T₁ = A₁X + σZ₁, T₂ = A₂T₁ + σZ₂ (σ = 0.7): I(X;T₁) = ½·ln det(I + A₁A₁ᵀ/σ²)
        // = 1.7170; T₂ = A₂A₁X + σ(A₂Z₁ + Z₂), so I(X;T₂) = ½·ln det(A₂A₁A₁ᵀA₂ᵀ + σ²(A₂A₂ᵀ + I))
        // − ½·ln det(σ²(A₂A₂ᵀ + I)) = 0.8269 (numpy). Reading layer 2 out of the noise-free
        // pass instead would give ½·ln det(I + A₂A₁A₁ᵀA₂ᵀ/σ²) = 1.5140: the test tells the two apart.
        // n = 2 000 inputs, k = 40 chains each, m = 4 000 draws. Measured: see the assertion messages.
        let sigma = 0.7
        let net = try linearNetwork([[1, 0.5, 0], [0, 1, -0.5], [0.3, 0, 1]], [[1.2, -0.4, 0.6], [0.2, 1, 0.8]], sigma: sigma)
        var g = SeededGenerator(seed: 41)
        let x = g.normalMatrix(rows: 2_000, columns: 3)
        let centres = try net.propagatedCentres(x, samples: 40, generator: SeededGenerator(seed: 42))
        XCTAssertEqual(centres.map(\.rows), [2_000, 80_000])
        let estimator = NoisyMutualInformation(noise: sigma, samples: 4_000, generator: SeededGenerator(seed: 43), threads: 1)
        let first = try estimator.estimate(centres: centres[0], perInput: 1)
        let second = try estimator.estimate(centres: centres[1], perInput: 40)
        XCTAssertEqual(first.inputInformation, 1.7170, accuracy: 0.1, "layer 1: \(first.inputInformation) ± \(first.inputStandardError)")
        // The in-sample k-chain estimate is an upper bound in expectation (convexity of
        // information in the channel): measured 0.935 ± 0.017 with 40 chains, +0.11 nats.
        XCTAssertGreaterThanOrEqual(second.inputInformation, 0.8269 - 3 * second.inputStandardError,
                                    "layer 2: \(second.inputInformation) ± \(second.inputStandardError)")
        XCTAssertEqual(second.inputInformation, 0.8269, accuracy: 0.15, "layer 2: \(second.inputInformation) ± \(second.inputStandardError)")
        // The held-out lower bound (one fresh chain per input; Gaussian channel around the
        // noise-free pass, exact for a linear network) comes within 0.1 nats.
        let clean = try net.hiddenOutputs(x)
        let heldOut = try net.propagatedCentres(x, samples: 1, generator: SeededGenerator(seed: 44))
        let lower = try HeldOutBound(noise: sigma, threads: 1)
            .bound(clean: clean[1], centres: centres[1], perInput: 40, heldOut: heldOut[1], labels: nil, generator: SeededGenerator(seed: 45))
        XCTAssertEqual(lower.inputInformation, 0.8269, accuracy: 0.1, "lower bound: \(lower.inputInformation) ± \(lower.inputStandardError)")
        // h(T₂|X) = ½·ln det(2πe·σ²(A₂A₂ᵀ + I)) = 3.1535 (numpy); the 40-chain mixtures read
        // slightly low, as a finite mixture of the Gaussian's samples does: measured 3.117.
        XCTAssertEqual(second.conditionalEntropy, 3.1535, accuracy: 0.1)
    }

    /// Three clusters in R⁴, a 4-16-8-4 tanh network trained 10 epochs with σ = 0.3, read out
    /// on 200 rows at epochs 0 and 10.
    private func trainedSnapshots() throws -> (ClassifierResult, Matrix, [Int], ClassifierArchitecture) {
        var g = SeededGenerator(seed: 7)
        let n = 600
        var x = g.normalMatrix(rows: n, columns: 4)
        let labels = (0..<n).map { $0 % 3 }
        for i in 0..<n { x[i, labels[i]] += 4 }
        let a = try ClassifierArchitecture(inputDimension: 4, hidden: [16, 8, 4], classes: 3, activations: [.tanh])
        let options = ClassifierOptions(epochs: 10, batchSize: 32, learningRate: 3e-3, noise: 0.3, snapshotEpochs: [0, 10],
                                        threads: 1, seed: 5)
        let eval = Array(0..<200)
        let result = try NoisyClassifier.train(on: x, labels: labels, architecture: a, options: options, evaluationRows: eval)
        return (result, x.rows(at: eval), eval.map { labels[$0] }, a)
    }

    func testDataProcessingHoldsAcrossLayersAndLabelInformationStaysBelowHY() throws {
        // With propagated noise X → T₁ → T₂ → T₃ is a Markov chain, so I(X;T_{l+1}) ≤ I(X;T_l)
        // is a theorem; the estimate must respect it within its Monte-Carlo spread (3 SE).
        // I(T;Y) ≤ H(Y) = ln 3 (up to the labels' imbalance) holds draw by draw.
        let (result, x, labels, a) = try trainedSnapshots()
        var settings = InformationPlaneExperiment.Settings(noise: 0.3)
        settings.noiseMode = .propagated
        settings.propagationSamples = 16
        settings.monteCarloSamples = 2_000
        settings.compressed = false
        settings.threads = 1
        let points = try InformationPlaneExperiment(settings: settings)
            .measure(result.snapshots, network: a, input: x, labels: labels, compressedInput: nil, repeatIndex: 0)
        XCTAssertEqual(points.count, 6)
        var counts = [Int: Int]()
        for y in labels { counts[y, default: 0] += 1 }
        let hy = counts.values.reduce(0.0) { $0 - Double($1) / 200 * log(Double($1) / 200) }
        for epoch in [0, 10] {
            let layers = points.filter { $0.epoch == epoch }.sorted { $0.layer < $1.layer }
            for (upper, lower) in zip(layers, layers.dropFirst()) {
                let slack = 3 * (upper.noisy.inputStandardError + lower.noisy.inputStandardError)
                XCTAssertLessThanOrEqual(lower.noisy.inputInformation, upper.noisy.inputInformation + slack,
                                         "epoch \(epoch): layer \(lower.layer) \(lower.noisy.inputInformation) > layer \(upper.layer) \(upper.noisy.inputInformation)")
            }
            for p in layers {
                XCTAssertLessThanOrEqual(try XCTUnwrap(p.noisy.labelInformation), hy + 1e-9)
                XCTAssertLessThanOrEqual(p.noisy.inputInformation, log(200) + 1e-9)
            }
        }
        // Trained, the last layer knows the label: well above half of H(Y).
        let last = try XCTUnwrap(points.first { $0.epoch == 10 && $0.layer == 3 }?.noisy.labelInformation)
        XCTAssertGreaterThan(last, 0.5 * hy)
    }

    func testPropagatedEstimateIsStableUnderTheMonteCarloDraws() throws {
        // The same layer-3 mixture with m = 500 and m = 4 000 draws (independent streams):
        // the two must agree within 3 combined standard errors.
        let (result, x, labels, a) = try trainedSnapshots()
        let model = try NoisyClassifier(architecture: a, noise: 0.3, parameters: try XCTUnwrap(result.snapshots.last).parameters)
        let centres = try model.propagatedCentres(x, samples: 16, generator: SeededGenerator(seed: 1))[2]
        let few = try NoisyMutualInformation(noise: 0.3, samples: 500, generator: SeededGenerator(seed: 2), threads: 1)
            .estimate(centres: centres, perInput: 16, labels: labels)
        let many = try NoisyMutualInformation(noise: 0.3, samples: 4_000, generator: SeededGenerator(seed: 3), threads: 1)
            .estimate(centres: centres, perInput: 16, labels: labels)
        let se = (few.inputStandardError * few.inputStandardError + many.inputStandardError * many.inputStandardError).squareRoot()
        XCTAssertEqual(few.inputInformation, many.inputInformation, accuracy: 3 * se)
        let labelSE = ((few.labelStandardError ?? 0) * (few.labelStandardError ?? 0) + (many.labelStandardError ?? 0) * (many.labelStandardError ?? 0)).squareRoot()
        XCTAssertEqual(try XCTUnwrap(few.labelInformation), try XCTUnwrap(many.labelInformation), accuracy: max(3 * labelSE, 1e-6))
    }

    func testOneChainPerInputIsTheReadOutEstimator() throws {
        // k = 1 makes ln g_i(y) = ln φ_σ(σz): the general estimator is the read-out one.
        var g = SeededGenerator(seed: 11)
        let s = g.normalMatrix(rows: 300, columns: 3)
        let estimator = NoisyMutualInformation(noise: 0.5, samples: 400, generator: SeededGenerator(seed: 12), threads: 1)
        XCTAssertEqual(try estimator.estimate(s), try estimator.estimate(centres: s, perInput: 1))
        // Two identical chains per input: the mixture of input i is one Gaussian again.
        var doubled = Matrix(rows: 600, columns: 3)
        for i in 0..<300 { for j in 0..<2 { for k in 0..<3 { doubled[2 * i + j, k] = s[i, k] } } }
        let twice = try estimator.estimate(centres: doubled, perInput: 2)
        let once = try estimator.estimate(s)
        XCTAssertEqual(twice.inputInformation, once.inputInformation, accuracy: 0.1)
    }
}
