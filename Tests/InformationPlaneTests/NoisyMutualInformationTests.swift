import Foundation
import XCTest
import Classifier
import Entropy
import Linalg
@testable import InformationPlane

final class NoisyMutualInformationTests: XCTestCase {
    func testCorrelatedGaussianPairsInOneToTenDimensions() throws {
        // Tᵢ = ρᵢ·Xᵢ + √(1 − ρᵢ²)·Zᵢ with X ~ N(0, I): I(X;T) = −½·Σ ln(1 − ρᵢ²). Dividing
        // coordinate i by σᵢ = √(1 − ρᵢ²) leaves I unchanged and makes the noise isotropic with
        // σ = 1: S = (ρᵢ/σᵢ)·Xᵢ. n = 5 000, m = 4 000 (MC SE √(d/2)/√m ≤ 0.035 at d = 10).
        // Acceptance: 0.1 nats or 5 %, whichever is larger. Measured (estimate − truth, MC SE):
        // d = 1: −0.005 (0.005), d = 2: +0.033 (0.013), d = 5: −0.039 (0.020), d = 10: +0.015 (0.029).
        for d in [1, 2, 5, 10] {
            var g = SeededGenerator(seed: 100 + UInt64(d))
            let rho = (0..<d).map { 0.3 + 0.5 * Double($0) / Double(max(d - 1, 1)) }
            var s = g.normalMatrix(rows: 5_000, columns: d)
            for i in 0..<s.rows { for k in 0..<d { s[i, k] *= Float(rho[k] / (1 - rho[k] * rho[k]).squareRoot()) } }
            let truth = -0.5 * rho.reduce(0) { $0 + log(1 - $1 * $1) }
            let mi = try NoisyMutualInformation(noise: 1, samples: 4_000, generator: SeededGenerator(seed: 7)).estimate(s)
            XCTAssertEqual(mi.inputInformation, truth, accuracy: max(0.1, 0.05 * truth), "d = \(d)")
            XCTAssertEqual(mi.conditionalEntropy, 0.5 * Double(d) * log(2 * Double.pi * M_E), accuracy: 1e-12)
        }
    }

    func testGaussianChannelThroughARandomMatrix() throws {
        // T = A·X + σZ, X ~ N(0, I_3), A 6×3: I(X;T) = ½·ln det(I₃ + AᵀA/σ²) (Cover & Thomas
        // §9.4). A's entries N(0, 0.5²), σ = 0.8: the mixture's components overlap (spacing of
        // 5 000 points in 3 dimensions ≈ 0.1 of the spread), so the finite-n bias is small.
        // Measured: 1.145 against 1.157 (MC SE 0.020).
        var g = SeededGenerator(seed: 31)
        let sigma = 0.8
        let a = g.normalMatrix(rows: 3, columns: 6, standardDeviation: 0.5) // X·A, rows are inputs
        let x = g.normalMatrix(rows: 5_000, columns: 3)
        let s = x.multiplied(by: a)
        var gram = [[Double]](repeating: [Double](repeating: 0, count: 3), count: 3)
        for i in 0..<3 { for j in 0..<3 {
            gram[i][j] = (0..<6).reduce(0) { $0 + Double(a[i, $1]) * Double(a[j, $1]) } / (sigma * sigma) + (i == j ? 1 : 0)
        } }
        let det = gram[0][0] * (gram[1][1] * gram[2][2] - gram[1][2] * gram[2][1])
            - gram[0][1] * (gram[1][0] * gram[2][2] - gram[1][2] * gram[2][0])
            + gram[0][2] * (gram[1][0] * gram[2][1] - gram[1][1] * gram[2][0])
        let truth = 0.5 * log(det)
        let mi = try NoisyMutualInformation(noise: sigma, samples: 4_000, generator: SeededGenerator(seed: 8)).estimate(s)
        XCTAssertEqual(mi.inputInformation, truth, accuracy: max(0.1, 0.05 * truth))
    }

    func testSeparatedClassMeansCarryLogClassCountAboutTheLabel() throws {
        // S = μ_Y for K = 4 classes 20σ apart: T identifies Y, I(T;Y) = ln 4, and since S is
        // a function of Y and Y of S, I(X;T) = I(S;T) = ln 4 as well. Per draw ln(g_c/g) = ln 4
        // exactly (the other classes' densities underflow): measured 1.386294 for both, SE 2e-15.
        let k = 4, n = 2_000, sigma = 0.5
        let labels = (0..<n).map { $0 % k }
        var s = Matrix(rows: n, columns: 2)
        for i in 0..<n { s[i, 0] = Float(10 * labels[i]); s[i, 1] = Float(-10 * labels[i]) }
        let mi = try NoisyMutualInformation(noise: sigma, generator: SeededGenerator(seed: 9)).estimate(s, labels: labels)
        let label = try XCTUnwrap(mi.labelInformation)
        XCTAssertEqual(label, log(4), accuracy: 0.05)
        XCTAssertEqual(mi.inputInformation, log(4), accuracy: 0.05)
        XCTAssertLessThanOrEqual(label, log(4) + 3 * (mi.labelStandardError ?? 0))
    }

    func testOverlappingBinaryLabelMatchesQuadrature() throws {
        // Y = ±1 equally likely, T = Y + Z in 1-D: I(T;Y) = h(T) − h(Z), h(T) of the two-
        // component mixture by quadrature (0.3368 nats). Measured: 0.3413 (MC SE 0.0039).
        let n = 4_000
        let labels = (0..<n).map { $0 % 2 }
        let s = Matrix(rows: n, columns: 1, elements: labels.map { Float(2 * $0 - 1) })
        func p(_ t: Double) -> Double { 0.5 * (exp(-(t - 1) * (t - 1) / 2) + exp(-(t + 1) * (t + 1) / 2)) / (2 * Double.pi).squareRoot() }
        var h = 0.0
        let step = 1e-3
        for i in 0..<20_000 { let t = -10 + (Double(i) + 0.5) * step; let v = p(t); if v > 0 { h -= v * log(v) * step } }
        let truth = h - 0.5 * log(2 * Double.pi * M_E)
        let mi = try NoisyMutualInformation(noise: 1, samples: 20_000, generator: SeededGenerator(seed: 10)).estimate(s, labels: labels)
        let label = try XCTUnwrap(mi.labelInformation)
        XCTAssertEqual(label, truth, accuracy: 0.03)
        XCTAssertLessThanOrEqual(label, log(2))
    }

    func testKernelMutualInformationOnCorrelatedPairs() throws {
        // The compressed estimator's last step on its own: KDE MI of correlated Gaussian pairs
        // in 1 + 1 and 2 + 2 dimensions (ρ = 0.8 and 0.5 per pair), n = 2 000.
        // Measured: 0.482 against 0.511, 0.261 against 0.288 (KDE's bias is low here).
        for (d, rho) in [(1, 0.8), (2, 0.5)] {
            var g = SeededGenerator(seed: 200 + UInt64(d))
            let x = g.normalMatrix(rows: 2_000, columns: d)
            var t = g.normalMatrix(rows: 2_000, columns: d)
            for i in 0..<x.rows { for k in 0..<d { t[i, k] = Float(rho) * x[i, k] + Float((1 - rho * rho).squareRoot()) * t[i, k] } }
            let truth = -0.5 * Double(d) * log(1 - rho * rho)
            let mi = try KernelMutualInformation(threads: 2).information(x, t)
            XCTAssertEqual(mi, truth, accuracy: max(0.1, 0.05 * truth), "d = \(d)")
        }
    }
}

final class NoisyMutualInformationConsistencyTests: XCTestCase {
    /// A random tanh layer's outputs on 600 points with 3 labels: S = tanh(X·W), X ~ N(0, I₅).
    func layer(seed: UInt64) -> (Matrix, [Int]) {
        var g = SeededGenerator(seed: seed)
        let x = g.normalMatrix(rows: 600, columns: 5)
        let w = g.normalMatrix(rows: 5, columns: 8, standardDeviation: 0.7)
        var s = x.multiplied(by: w)
        for k in s.elements.indices { s.elements[k] = Foundation.tanh(s.elements[k]) }
        let labels = (0..<600).map { x[$0, 0] > 0.5 ? 2 : (x[$0, 0] < -0.5 ? 0 : 1) }
        return (s, labels)
    }

    func testBoundsHoldDrawByDraw() throws {
        // Î(X;T) ≤ ln n and Î(T;Y) ≤ H(Y) of the labels hold for every draw (see the type's
        // documentation), so for the averages whatever the Monte-Carlo error; with σ small
        // against the spacing both come close to their ceilings (σ = 0.001, measured: 6.388
        // against ln 600 = 6.397, and 1.0922 against H(Y) = 1.0948).
        let (s, labels) = layer(seed: 1)
        var counts = [Int: Int]()
        for y in labels { counts[y, default: 0] += 1 }
        let hy = counts.values.reduce(0.0) { $0 - Double($1) / 600 * log(Double($1) / 600) }
        for sigma in [0.01, 0.1, 1.0] {
            let mi = try NoisyMutualInformation(noise: sigma, generator: SeededGenerator(seed: 2)).estimate(s, labels: labels)
            XCTAssertLessThanOrEqual(mi.inputInformation, log(600) + 1e-9, "σ = \(sigma)")
            XCTAssertLessThanOrEqual(try XCTUnwrap(mi.labelInformation), hy + 1e-9, "σ = \(sigma)")
            XCTAssertGreaterThan(mi.inputInformation, 0)
        }
        let small = try NoisyMutualInformation(noise: 0.001, generator: SeededGenerator(seed: 3)).estimate(s, labels: labels)
        XCTAssertEqual(small.inputInformation, log(600), accuracy: 0.05)
        XCTAssertEqual(try XCTUnwrap(small.labelInformation), hy, accuracy: 0.05)
    }

    func testMoreNoiseCarriesLessInformation() throws {
        // I(S; S + σZ) falls as σ grows (a degraded channel), and I(T;Y) ≤ I(X;T) here since Y
        // is a function of X (data processing), within the Monte-Carlo errors.
        let (s, labels) = layer(seed: 4)
        var previous = Double.infinity
        for sigma in [0.05, 0.2, 0.5, 1.0] {
            let mi = try NoisyMutualInformation(noise: sigma, generator: SeededGenerator(seed: 5)).estimate(s, labels: labels)
            XCTAssertLessThan(mi.inputInformation, previous, "σ = \(sigma)")
            XCTAssertLessThanOrEqual(try XCTUnwrap(mi.labelInformation), mi.inputInformation + 3 * mi.inputStandardError)
            previous = mi.inputInformation
        }
    }

    func testStableUnderTheNumberOfMonteCarloDrawsAndAgreesWithSamplePropagation() throws {
        // m = 500, 2 000, 8 000 give the same I(X;T) within 4 combined SE; and the pointwise
        // average has the expectation of ĥ(T) − ½·d·ln(2πeσ²) by sample propagation, which
        // has the larger error (the noise term's variance d/2 does not cancel there).
        // Measured: 4.601 ± 0.058, 4.531 ± 0.031, 4.574 ± 0.015; sample propagation 4.589 ± 0.019.
        let (s, labels) = layer(seed: 6)
        let sigma = 0.3
        let estimates = try [500, 2_000, 8_000].map {
            try NoisyMutualInformation(noise: sigma, samples: $0, generator: SeededGenerator(seed: 7)).estimate(s, labels: labels)
        }
        for e in estimates.dropLast() {
            let last = estimates[estimates.count - 1]
            let se = (e.inputStandardError * e.inputStandardError + last.inputStandardError * last.inputStandardError).squareRoot()
            XCTAssertEqual(e.inputInformation, last.inputInformation, accuracy: 4 * se)
        }
        let sp = try SamplePropagationEntropy(noise: sigma, samples: 8_000, standardization: .none,
                                              generator: SeededGenerator(seed: 8)).estimate(s)
        let direct = sp.value - NoisyMutualInformation.noiseEntropy(dimension: 8, noise: sigma)
        let pointwise = estimates[2]
        XCTAssertLessThan(pointwise.inputStandardError, sp.standardError)
        XCTAssertEqual(pointwise.inputInformation, direct, accuracy: 4 * (sp.standardError + pointwise.inputStandardError))
    }
}
