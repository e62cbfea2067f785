import Foundation
import XCTest
import Linalg
@testable import InformationPlane

/// The overlap diagnostic of the propagated noise on mixtures of known overlap.
final class ChainOverlapTests: XCTestCase {
    /// E[w] of a draw from one of two unit-variance Gaussians Δ apart, w the posterior weight of
    /// its own component: ∫φ(t)·φ(t)/(φ(t) + φ(t − Δ)) dt, by the midpoint rule.
    private func meanOwnWeight(separation delta: Double) -> Double {
        func phi(_ t: Double) -> Double { exp(-t * t / 2) / (2 * Double.pi).squareRoot() }
        let step = 1e-3
        var sum = 0.0
        for i in 0..<30_000 {
            let t = -15 + (Double(i) + 0.5) * step
            let p = phi(t), q = phi(t - delta)
            if p > 0 { sum += p * p / (p + q) * step }
        }
        return sum
    }

    func testOverlapMovesWithTheSeparationAndMatchesQuadrature() throws {
        // 50 inputs 1 000σ apart on a line, two chains each Δ apart: the overlap is 1/E[w],
        // 2 at Δ = 0 and 1 for Δ → ∞. Quadrature: Δ = 0.5 → 1.82, 2 → 1.35, 6 → 1.00.
        // m = 20 000 draws: w ∈ [0, 1], so the Monte-Carlo error of mean(w) is below 0.004.
        // The old diagnostic, mean(1/w), is 2 in expectation whatever Δ (issue 25).
        var previous = Double.infinity
        for delta in [0.0, 0.5, 2.0, 6.0] {
            let n = 50
            var centres = Matrix(rows: 2 * n, columns: 1)
            for i in 0..<n {
                centres[2 * i, 0] = Float(1_000 * i)
                centres[2 * i + 1, 0] = Float(1_000 * Double(i) + delta)
            }
            let estimate = try NoisyMutualInformation(noise: 1, samples: 20_000, generator: SeededGenerator(seed: 5), threads: 1)
                .estimate(centres: centres, perInput: 2)
            let truth = 1 / meanOwnWeight(separation: delta)
            XCTAssertEqual(estimate.effectiveChains, truth, accuracy: 0.02, "Δ = \(delta)")
            XCTAssertLessThan(estimate.effectiveChains, previous, "Δ = \(delta)")
            previous = estimate.effectiveChains
        }
        XCTAssertEqual(1 / meanOwnWeight(separation: 0), 2, accuracy: 1e-6)
        XCTAssertEqual(1 / meanOwnWeight(separation: 6), 1, accuracy: 0.01)
    }

    func testOverlapIsOneOverTheMeanWeight() {
        XCTAssertEqual(NoisyMutualInformation.chainOverlap([1, 1, 1]), 1)
        XCTAssertEqual(NoisyMutualInformation.chainOverlap([0.25, 0.25]), 4)
        // A heavy tail of small weights barely moves it (mean(1/w) here would be 50.5).
        XCTAssertEqual(NoisyMutualInformation.chainOverlap([1, 0.01]), 2 / 1.01, accuracy: 1e-12)
    }
}
