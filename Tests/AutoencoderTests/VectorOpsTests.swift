import Foundation
import XCTest
import CKernels
import Linalg

/// The element-wise kernels the training loop relies on, against their textbook forms.
final class VectorOpsTests: XCTestCase {
    /// The Adam kernel takes eight lanes at a time (AVX2 where the CPU has it) and the
    /// rest one by one; both must give the bits of the scalar formula, with the partial
    /// gradients added in order, so a run does not depend on the CPU's vector width or
    /// on where a thread's parameter range starts.
    func testAdamStepLanesMatchScalarFormulaBitForBit() {
        var g = SeededGenerator(seed: 5)
        let count = 45 // five full lanes and a tail of five
        for offset in [0, 3] { // aligned and unaligned starts
            let total = count + offset
            var w = (0..<total).map { _ in Float(g.normal()) }
            var m = (0..<total).map { _ in Float(g.normal()) * 0.1 }
            var v = (0..<total).map { _ in Float(g.uniform()) * 0.01 }
            let g0 = (0..<total).map { _ in Float(g.normal()) }, g1 = (0..<total).map { _ in Float(g.normal()) }
            var (we, me, ve) = (w, m, v)
            let (b1, b2): (Float, Float) = (0.9, 0.999)
            let (step, eps, decay): (Float, Float, Float) = (1e-3, 1e-8, 0.9999)
            g0.withUnsafeBufferPointer { p0 in
                g1.withUnsafeBufferPointer { p1 in
                    let sources: [UnsafePointer<Float>?] = [p0.baseAddress!, p1.baseAddress!]
                    eb_adam_step(&w[offset], &m[offset], &v[offset], count, sources, 2, offset,
                                 b1, b2, 1 - b1, 1 - b2, step, eps, decay)
                }
            }
            for k in offset..<total {
                let gk = g0[k] + g1[k]
                me[k] = b1 * me[k] + (1 - b1) * gk
                ve[k] = b2 * ve[k] + ((1 - b2) * gk) * gk
                we[k] = we[k] * decay - (step * me[k]) / (ve[k].squareRoot() + eps)
            }
            XCTAssertEqual(w.map(\.bitPattern), we.map(\.bitPattern), "parameters, offset \(offset)")
            XCTAssertEqual(m.map(\.bitPattern), me.map(\.bitPattern), "first moment, offset \(offset)")
            XCTAssertEqual(v.map(\.bitPattern), ve.map(\.bitPattern), "second moment, offset \(offset)")
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
