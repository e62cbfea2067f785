import Foundation
import XCTest
import Linalg
@testable import Entropy

/// h(N(0, σ²I_d)) = ½·d·ln(2πeσ²), nats.
private func noiseEntropy(d: Int, sigma: Double) -> Double { 0.5 * Double(d) * log(2 * Double.pi * M_E * sigma * sigma) }

/// The mapped points and the draws `estimate` averages over.
private func drawsOf(_ estimator: SamplePropagationEntropy, on x: Matrix) throws -> (points: Matrix, draws: Matrix) {
    let (map, draws) = try estimator.draws(for: x)
    return (map.points, draws)
}

/// Mean over the draws of ‖yⱼ − nearest sᵢ‖²/(2σ²), in Double.
private func meanScaledSquaredDistanceToNearest(_ draws: Matrix, _ points: Matrix, sigma: Double) -> Double {
    var total = 0.0
    for j in 0..<draws.rows {
        var best = Double.infinity
        for i in 0..<points.rows {
            var s = 0.0
            for k in 0..<draws.columns { let t = Double(draws[j, k]) - Double(points[i, k]); s += t * t }
            best = min(best, s)
        }
        total += best / (2 * sigma * sigma)
    }
    return total / Double(draws.rows)
}

/// The estimate for points that form one mixture component (one point, or copies of it):
/// equal, draw by draw, to the noise-only terms of the same draws, and within 4 SE of
/// ½·d·ln(2πeσ²) itself.
private func assertNoiseEntropyPerDraw(_ x: Matrix, sigma: Double, seed: UInt64,
                                       file: StaticString = #filePath, line: UInt = #line) throws -> EntropyEstimate {
    let d = x.columns
    let estimator = SamplePropagationEntropy(noise: sigma, generator: SeededGenerator(seed: seed))
    let estimate = try estimator.estimate(x)
    let (points, draws) = try drawsOf(estimator, on: x)
    let perDraw = 0.5 * Double(d) * log(2 * Double.pi * sigma * sigma)
        + meanScaledSquaredDistanceToNearest(draws, points, sigma: sigma)
    XCTAssertEqual(estimate.whitenedEntropy, perDraw, accuracy: 1e-5 * abs(perDraw) + 1e-6, file: file, line: line)
    XCTAssertEqual(estimate.value, noiseEntropy(d: d, sigma: sigma), accuracy: 4 * estimate.standardError, file: file, line: line)
    return estimate
}

final class SamplePropagationEntropyTests: XCTestCase {
    func testMixtureOnStandardGaussianSamplesMatchesEntropyOfConvolvedGaussianInOneToEightDimensions() throws {
        // S ~ N(0, I_d), n = 5 000: g = (1/n)·Σ N(sᵢ, σ²I) tends to N(0, (1 + σ²)I), entropy
        // ½·d·ln(2πe(1 + σ²)). The finite-n bias is negative (entropy is concave and E g is the
        // limit, so E h(g) ≤ h(E g)) and large while the mixture is a set of separate spikes,
        // i.e. while σ is below the spacing of the samples: the median nearest-neighbour
        // distance of 5 000 N(0, I_8) points is 1.10 (0.28 at d = 4). σ = 1 makes the components
        // overlap at every d ≤ 8 while S still carries half of the variance. Measured with numpy
        // (m = 4 000): bias per dimension at d = 8 is −1.25 (σ = 0.1), −0.25 (0.3), −0.044 (0.5),
        // −0.004 (1.0). The acceptance tolerance 0.05 nats/dim is then ≥ 4 MC standard errors
        // (SE ≈ √(d/2)/√m per draw set: 0.011 at d = 1, 0.032 at d = 8).
        // Measured here (nats/dim, d = 1…8): −0.005, +0.003, −0.002, −0.006, −0.005, −0.007,
        // −0.014, −0.006: mostly negative as the bias is, at most 3.4 MC SE in total (d = 7).
        let sigma = 1.0
        for d in 1...8 {
            var rng = SeededGenerator(seed: 700 + UInt64(d))
            let x = rng.normalMatrix(rows: 5_000, columns: d)
            let estimator = SamplePropagationEntropy(noise: sigma, samples: 4_000, standardization: .none,
                                                     generator: SeededGenerator(seed: 9).derived("d\(d)"))
            let estimate = try estimator.estimate(x)
            let truth = 0.5 * Double(d) * log(2 * Double.pi * M_E * (1 + sigma * sigma))
            XCTAssertEqual(estimate.value, truth, accuracy: 0.05 * Double(d), "d = \(d)")
            XCTAssertEqual(estimate.value, estimate.whitenedEntropy, "no map: nothing added back")
            XCTAssertEqual(estimate.count, 5_000)
            XCTAssertEqual(estimate.dimension, d)
            XCTAssertEqual(estimate.noise, sigma)
            XCTAssertEqual(estimate.monteCarloSamples, 4_000)
            // Var(−ln p(Y)) = d/2 for a Gaussian: SE within 25 % of √(d/2/m).
            XCTAssertEqual(estimate.standardError, (Double(d) / 2 / 4_000).squareRoot(),
                           accuracy: 0.25 * (Double(d) / 2 / 4_000).squareRoot(), "d = \(d)")
        }
    }

    func testSinglePointGivesNoiseEntropyExactlyPerDraw() throws {
        // n = 1: −ln g(y) = ½·d·ln(2πσ²) + ‖y − s‖²/(2σ²) exactly, so ĥ is that average over the
        // same draws; only Float32 storage of y separates the two (relative 1e-6). Against the
        // closed form ½·d·ln(2πeσ²) the difference is pure MC error, (‖z‖² − d)/2 averaged over
        // m draws: SE √(d/2)/√m = 0.027 nats at d = 3, m = 2 000; checked at 4 SE.
        // Measured: per draw 1e-10, against the closed form −0.022 (SE 0.027).
        let sigma = 0.2
        let x = Matrix([[1.5, -2, 0.25]])
        let estimate = try assertNoiseEntropyPerDraw(x, sigma: sigma, seed: 11)
        XCTAssertEqual(estimate.logDeterminantTerm, 0, "a single point has no scale: nothing is divided")
    }

    func testIdenticalPointsGiveNoiseEntropyExactlyPerDraw() throws {
        // n identical points are one mixture component counted n times: the ln n cancels.
        // Measured: per draw 2e-9, against the closed form −0.023 (SE 0.032).
        let d = 4, sigma = 0.3
        let x = Matrix(rows: 50, columns: d, elements: (0..<(50 * d)).map { Float($0 % d) - 1.5 })
        let estimate = try assertNoiseEntropyPerDraw(x, sigma: sigma, seed: 12)
        XCTAssertTrue(estimate.method.contains("4 constant coordinate"), estimate.method)
    }

    func testTwoWellSeparatedPointsGiveLn2PlusNoiseEntropy() throws {
        // Points 20 apart with σ = 0.5: a draw's density from the other component is
        // e^(−(40 − |z|)²/2)-small, so −ln g(y) = ln 2 + ½·d·ln(2πσ²) + ‖y − s_own‖²/(2σ²)
        // per draw (to Float32 rounding), and the closed form ln 2 + ½·d·ln(2πeσ²) holds up
        // to MC error (SE √(d/2)/√m = 0.022 at d = 2; checked at 4 SE).
        // Measured: per draw 2e-8, against the closed form −0.040 (SE 0.021).
        let d = 2, sigma = 0.5
        let x = Matrix([[-10, 3], [10, 3]])
        let estimator = SamplePropagationEntropy(noise: sigma, standardization: .none, generator: SeededGenerator(seed: 13))
        let estimate = try estimator.estimate(x)
        let (points, draws) = try drawsOf(estimator, on: x)
        let perDraw = log(2) + 0.5 * Double(d) * log(2 * Double.pi * sigma * sigma)
            + meanScaledSquaredDistanceToNearest(draws, points, sigma: sigma)
        XCTAssertEqual(estimate.value, perDraw, accuracy: 1e-4)
        XCTAssertEqual(estimate.value, log(2) + noiseEntropy(d: d, sigma: sigma), accuracy: 4 * estimate.standardError)
    }

    func testEachZeroColumnOnAPlaneAddsTheNoiseOnlyIncrement() throws {
        // A k = 2 plane in R^d: N(0, I₂) samples padded with d − 2 zero columns. g factorises,
        // g_{d+1}(y, t) = g_d(y)·φ_σ(t), and the draws for d + 1 extend those for d by one column
        // (common random numbers), so ĥ(d+1) − ĥ(d) = ½·ln(2πσ²) + mean(z²)/2 over the new
        // column: the known increment ½·ln(2πeσ²) = −0.884 (σ = 0.1) up to the MC error of one
        // χ²₁ column, √2/2/√m = 0.016 at m = 2 000 — far inside the acceptance ± 0.1.
        // Standardised (the default): the zero columns are centred, not scaled.
        // Measured: −0.900, −0.898, −0.870 for d = 3, 4, 5 (errors −0.016, −0.014, +0.014); the
        // plane's own second coordinate adds +1.32.
        let sigma = 0.1, k = 2
        var rng = SeededGenerator(seed: 21)
        let plane = rng.normalMatrix(rows: 2_000, columns: k)
        func padded(_ d: Int) -> Matrix {
            var out = Matrix(rows: plane.rows, columns: d)
            for i in 0..<plane.rows { for j in 0..<k { out[i, j] = plane[i, j] } }
            return out
        }
        let estimator = SamplePropagationEntropy(noise: sigma, generator: SeededGenerator(seed: 22))
        let known = noiseEntropy(d: 1, sigma: sigma)
        var previous = try estimator.estimate(padded(k)).whitenedEntropy
        for d in (k + 1)...(k + 3) {
            let h = try estimator.estimate(padded(d)).whitenedEntropy
            XCTAssertEqual(h - previous, known, accuracy: 0.1, "d = \(d)")
            XCTAssertEqual(h - previous, known, accuracy: 4 * 0.5 * 2.0.squareRoot() / 2_000.0.squareRoot(), "d = \(d)")
            previous = h
        }
        // Before the kink a coordinate of the plane adds ≈ ½·ln(2πe(1 + σ²)) = +1.42, not −0.88.
        let one = try estimator.estimate(plane.leadingColumns(1)).whitenedEntropy
        let two = try estimator.estimate(plane).whitenedEntropy
        XCTAssertGreaterThan(two - one, 1.0)
    }

    func testStandardizationRecordsSumOfLogStandardDeviations() throws {
        var rng = SeededGenerator(seed: 31)
        var x = rng.normalMatrix(rows: 1_000, columns: 3)
        let scales: [Float] = [0.5, 2, 10]
        for i in 0..<x.rows { for k in 0..<3 { x[i, k] = x[i, k] * scales[k] + 7 } }
        var expected = 0.0
        for k in 0..<3 {
            let column = (0..<x.rows).map { Double(x[$0, k]) }
            let mean = column.reduce(0, +) / Double(x.rows)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.rows - 1)
            expected += 0.5 * log(variance)
        }
        let estimator = SamplePropagationEntropy(noise: 0.1, samples: 500, generator: SeededGenerator(seed: 32))
        let estimate = try estimator.estimate(x)
        // Both sides are Double sums of the same Float32 data: only summation order differs.
        XCTAssertEqual(estimate.logDeterminantTerm, expected, accuracy: 1e-9)
        XCTAssertEqual(estimate.value, estimate.whitenedEntropy + expected, accuracy: 1e-12)
        XCTAssertTrue(estimate.whitened)

        // Rescaling every coordinate by 3 moves only the log-det term, by 3·ln 3 (the standardised
        // points agree to Float32 rounding, so the estimates to ~1e-5).
        var y = x
        for i in y.elements.indices { y.elements[i] *= 3 }
        let scaled = try estimator.estimate(y)
        XCTAssertEqual(scaled.whitenedEntropy, estimate.whitenedEntropy, accuracy: 1e-4)
        XCTAssertEqual(scaled.logDeterminantTerm - estimate.logDeterminantTerm, 3 * log(3), accuracy: 1e-6)

        // Whitening records ½·ln det Σ instead.
        var whitening = estimator
        whitening.standardization = .whiten
        let whitened = try whitening.estimate(x)
        XCTAssertEqual(whitened.logDeterminantTerm, 0.5 * (try Whitening(fitting: x)).logDeterminant, accuracy: 1e-9)
    }

    func testEstimateEqualsDirectDoublePrecisionMixtureFormula() throws {
        var rng = SeededGenerator(seed: 41)
        let x = rng.normalMatrix(rows: 40, columns: 3)
        let sigma = 0.4
        let estimator = SamplePropagationEntropy(noise: sigma, samples: 64, standardization: .standardize,
                                                 generator: SeededGenerator(seed: 42))
        let estimate = try estimator.estimate(x)
        let (points, draws) = try drawsOf(estimator, on: x)
        var total = 0.0
        for j in 0..<draws.rows {
            var s = 0.0
            for i in 0..<points.rows {
                var d2 = 0.0
                for k in 0..<3 { let t = Double(draws[j, k]) - Double(points[i, k]); d2 += t * t }
                s += exp(-d2 / (2 * sigma * sigma))
            }
            total += -log(s / 40) + 1.5 * log(2 * Double.pi * sigma * sigma)
        }
        // Float32 distances (relative 1e-6 of ‖y‖² ≈ 3, over 2σ² = 0.32) bound the gap at ~1e-5.
        // Measured: 7e-8.
        XCTAssertEqual(estimate.whitenedEntropy, total / Double(draws.rows), accuracy: 1e-4)
    }

    func testSameSeedGivesIdenticalEstimateWhateverTheThreadCount() throws {
        var rng = SeededGenerator(seed: 51)
        let x = rng.normalMatrix(rows: 3_000, columns: 5)
        let one = SamplePropagationEntropy(noise: 0.2, generator: SeededGenerator(seed: 52), threads: 1)
        var two = one
        two.threads = 2
        let a = try one.estimate(x), b = try one.estimate(x), c = try two.estimate(x)
        XCTAssertEqual(a.value, b.value)
        XCTAssertEqual(a.standardError, b.standardError)
        XCTAssertEqual(a.value, c.value, "each row's sum is computed by the same code on any worker")
        var other = one
        other.generator = SeededGenerator(seed: 53)
        XCTAssertNotEqual(try other.estimate(x).value, a.value)
    }

    func testInvalidNoiseSamplesAndDataAreErrors() {
        let x = Matrix([[0, 1], [1, 0], [2, 2]])
        let g = SeededGenerator(seed: 1)
        for sigma in [0.0, -1, .nan, .infinity] {
            XCTAssertThrowsError(try SamplePropagationEntropy(noise: sigma, generator: g).estimate(x)) { error in
                guard case EntropyError.invalidParameter = error else { return XCTFail("\(error)") }
            }
        }
        XCTAssertThrowsError(try SamplePropagationEntropy(noise: 0.1, samples: 1, generator: g).estimate(x))
        XCTAssertThrowsError(try SamplePropagationEntropy(noise: 0.1, generator: g).estimate(Matrix([[0, .nan]]))) { error in
            XCTAssertEqual(error as? EntropyError, .nonFinite)
        }
        XCTAssertThrowsError(try SamplePropagationEntropy(noise: 0.1, generator: g).estimate(Matrix(rows: 0, columns: 2)))
        // Whitening a plane in R³ has no Σ^(−1/2); standardising leaves its zero column unscaled.
        let plane = Matrix([[0, 1, 0], [1, 0, 0], [2, 2, 0], [3, 1, 0]])
        XCTAssertThrowsError(try SamplePropagationEntropy(noise: 0.1, standardization: .whiten, generator: g).estimate(plane)) { error in
            XCTAssertTrue(error is DegenerateCovarianceError, "\(error)")
        }
        XCTAssertNoThrow(try SamplePropagationEntropy(noise: 0.1, generator: g).estimate(plane))
    }
}
