import Foundation
import XCTest
import Linalg

/// The element-wise kernels the training loop relies on, against their textbook forms.
final class VectorOpsTests: XCTestCase {
    func testVectorSquareRootMatchesLibm() {
        let values: [Float] = [0, 1e-30, 1e-12, 3e-8, 0.25, 1, 2, 17.5, 1e6, 3.4e12, 1e30, 5e-5, 0.5, 7, 9, 123_456]
        for start in stride(from: 0, to: values.count, by: 8) {
            var lanes = SIMD8<Float>()
            for i in 0..<8 { lanes[i] = values[start + i] }
            let roots = VectorOps.squareRoot(lanes)
            for i in 0..<8 {
                // Three Newton steps from the bit-trick estimate leave ≈ 1e-7 relative error.
                XCTAssertEqual(roots[i], lanes[i].squareRoot(), accuracy: lanes[i].squareRoot() * 1e-6 + 1e-35, "√\(lanes[i])")
            }
        }
    }

    /// Twenty Adam steps on 37 parameters (4 full lanes of 8 and a tail of 5) against
    /// Algorithm 1 of Kingma & Ba in Double with explicit bias corrections. The folded
    /// form and Float32 arithmetic agree to ~1e-6 relative per step.
    func testAdamStepMatchesAlgorithmOne() {
        var g = SeededGenerator(seed: 4)
        let count = 37
        var w = (0..<count).map { _ in Float(g.normal()) }
        var m = [Float](repeating: 0, count: count), v = m
        var wd = w.map(Double.init), md = [Double](repeating: 0, count: count), vd = md
        let lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, decay = 0.01
        for t in 1...20 {
            let grads = (0..<count).map { _ in Float(g.normal()) }
            VectorOps.adamStep(parameters: &w, gradients: grads, firstMoment: &m, secondMoment: &v, count: count,
                               step: t, learningRate: Float(lr), beta1: Float(b1), beta2: Float(b2),
                               epsilon: Float(eps), weightDecay: Float(decay))
            for k in 0..<count {
                let gk = Double(grads[k])
                md[k] = b1 * md[k] + (1 - b1) * gk
                vd[k] = b2 * vd[k] + (1 - b2) * gk * gk
                let mHat = md[k] / (1 - pow(b1, Double(t))), vHat = vd[k] / (1 - pow(b2, Double(t)))
                wd[k] -= lr * (mHat / (vHat.squareRoot() + eps) + decay * wd[k])
            }
        }
        for k in 0..<count { XCTAssertEqual(Double(w[k]), wd[k], accuracy: 1e-4, "parameter \(k)") }
    }
}
