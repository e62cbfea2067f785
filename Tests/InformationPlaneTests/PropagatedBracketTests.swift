import Foundation
import XCTest
import Classifier
import Linalg
@testable import InformationPlane

/// The propagated noise's bracket against the closed form of a linear noisy network at the
/// notebook's widths (issue 25, Build 1): 20 → 256 → 128 → 64, σ = 1, X uniform over 2 000
/// rows. Given X = x, T_l is N(A_l·x, Σ_l) with Σ₁ = σ²I and Σ_l = W_lᵀΣ_{l−1}W_l + σ²I, so
/// h(T_l|X) is exact and I(X;T_l) is the information of an isotropic mixture after whitening by
/// Σ_l^{-1/2}: the read-out estimator with one centre per input and σ = 1, whose only error is
/// Monte-Carlo (m = 8 000 draws, SE ≈ 0.02).
final class PropagatedBracketTests: XCTestCase {
    func testBracketHoldsTheClosedFormAndTheLowerBoundIsWithinTwoTenths() throws {
        let widths = [256, 128, 64], inputs = 20, n = 2_000, sigma = 1.0, k = 8
        for scale in [0.3, 1.0] {
            var g = SeededGenerator(seed: 2_500 + UInt64(scale * 10))
            var x = g.normalMatrix(rows: n, columns: inputs)
            for t in x.elements.indices { x.elements[t] *= Float(scale) }
            let architecture = try ClassifierArchitecture(inputDimension: inputs, hidden: widths, classes: 2, activations: [.linear])
            var parameters = [Float](repeating: 0, count: architecture.parameterCount)
            var weights = [Matrix]()
            for l in 0...widths.count {
                let fanIn = architecture.sizes[l], fanOut = architecture.sizes[l + 1]
                let w = g.normalMatrix(rows: fanIn, columns: fanOut, standardDeviation: 1 / Float(fanIn).squareRoot())
                let offset = architecture.weightOffset(l)
                for t in w.elements.indices { parameters[offset + t] = w.elements[t] }
                weights.append(w)
            }
            let model = try NoisyClassifier(architecture: architecture, noise: sigma, parameters: parameters)
            let clean = try model.hiddenOutputs(x)
            let labels = (0..<n).map { x[$0, 0] > 0 ? 1 : 0 }

            // The truth, layer by layer.
            var covariance = [Double](repeating: 0, count: 0), truths = [Double]()
            for l in 0..<widths.count {
                let d = widths[l], w = weights[l], fanIn = architecture.sizes[l]
                var next = [Double](repeating: 0, count: d * d)
                if l > 0 {
                    // WᵀΣW with Σ fanIn×fanIn.
                    var sw = [Double](repeating: 0, count: fanIn * d)
                    for a in 0..<fanIn { for b in 0..<d {
                        var s = 0.0
                        for c in 0..<fanIn { s += covariance[a * fanIn + c] * Double(w[c, b]) }
                        sw[a * d + b] = s
                    } }
                    for a in 0..<d { for b in 0..<d {
                        var s = 0.0
                        for c in 0..<fanIn { s += Double(w[c, a]) * sw[c * d + b] }
                        next[a * d + b] = s
                    } }
                }
                for a in 0..<d { next[a * d + a] += sigma * sigma }
                covariance = next
                let eigen = try SymmetricEigen(SymmetricMatrix(dimension: d, elements: next))
                var map = Matrix(rows: d, columns: d)
                for a in 0..<d { for j in 0..<d { map[a, j] = Float(eigen.vectors[a * d + j] / eigen.values[j].squareRoot()) } }
                let truth = try NoisyMutualInformation(noise: 1, samples: 8_000, generator: SeededGenerator(seed: 77), threads: 2)
                    .estimate(clean[l].multiplied(by: map))
                truths.append(truth.inputInformation)
            }

            // The estimates: k chains (upper bound), one held-out chain (lower bound).
            let centres = try model.propagatedCentres(x, samples: k, generator: SeededGenerator(seed: 78))
            let heldOut = try model.propagatedCentres(x, samples: 1, generator: SeededGenerator(seed: 79))
            var upper = Double.infinity
            var report = [String]()
            for l in 0..<widths.count {
                let perInput = l == 0 ? 1 : k
                let inSample = try NoisyMutualInformation(noise: sigma, samples: 2_000, generator: SeededGenerator(seed: 80), threads: 2)
                    .estimate(centres: centres[l], perInput: perInput, labels: labels)
                upper = min(upper, inSample.inputInformation)
                let lower = try HeldOutBound(noise: sigma, threads: 2)
                    .bound(clean: clean[l], centres: centres[l], perInput: perInput, heldOut: heldOut[l], labels: labels,
                           generator: SeededGenerator(seed: 81))
                report.append("scale \(scale) layer \(l + 1): truth \(truths[l]), lower \(lower.inputInformation) ± \(lower.inputStandardError), in-sample \(inSample.inputInformation), upper \(upper)")
                let slack = 3 * (lower.inputStandardError + inSample.inputStandardError) + 0.06
                XCTAssertLessThanOrEqual(lower.inputInformation, truths[l] + slack, report.last ?? "")
                XCTAssertGreaterThanOrEqual(upper, truths[l] - slack, report.last ?? "")
                XCTAssertEqual(lower.inputInformation, truths[l], accuracy: 0.2, report.last ?? "")
                XCTAssertLessThanOrEqual(try XCTUnwrap(lower.labelInformation), try XCTUnwrap(inSample.labelInformation) + slack)
            }
            print(report.joined(separator: "\n"))
        }
    }
}
