import Foundation
import Linalg
import XCTest
@testable import Datasets

/// Each generator's points lie on its manifold (equations checked point by point), carry
/// the right intrinsic dimension, and depend on the seed only.
final class ManifoldTests: XCTestCase {
    let seed = SeededGenerator(seed: 42)

    func draw(_ sampler: some ManifoldSampler, _ n: Int = 2000, _ embedding: Embedding = Embedding()) throws -> Dataset {
        try SyntheticDataset.generate(sampler, count: n, embedding: embedding, using: seed)
    }

    // Float32 storage of coordinates up to ~15 in size: 1e-4 absolute covers the round-off
    // of the stored point and of recomputing the equation from it.
    let tolerance: Float = 1e-4

    func testSpherePointsHaveUnitRadiusAlsoAfterRotationIntoHigherDimension() throws {
        let data = try draw(Sphere(dimension: 3), 1000, Embedding(ambientDimension: 10, rotate: true))
        XCTAssertEqual(data.dimension, 10)
        XCTAssertEqual(data.intrinsicDimension, 3)
        for (i, norm2) in data.points.rowSquaredNorms().enumerated() {
            XCTAssertEqual(norm2.squareRoot(), 1, accuracy: tolerance, "row \(i)")
        }
        // S^3 spans a 4-dimensional linear subspace of R^10.
        XCTAssertEqual(try numericalRank(data.points), 4)
    }

    func testLinearSubspaceHasCovarianceRankK() throws {
        for (k, d) in [(1, 5), (3, 10), (7, 20)] {
            let data = try draw(LinearSubspace(dimension: k, ambient: d), 500)
            XCTAssertEqual(data.dimension, d)
            // Eigenvalues beyond k are round-off (~1e-14 relative for Float32 data).
            XCTAssertEqual(try numericalRank(data.points, relative: 1e-6), k, "k=\(k), D=\(d)")
        }
    }

    func testUniformCubeStaysInTheUnitCube() throws {
        let data = try draw(UniformCube(dimension: 5), 4000)
        XCTAssertTrue(data.points.elements.allSatisfy { (0..<1).contains($0) })
        // Mean ½ with standard error 1/√(12·4000) ≈ 0.0046 per column: 0.02 is > 4 SE.
        for m in data.points.columnMeans() { XCTAssertEqual(m, 0.5, accuracy: 0.02) }
    }

    func testSwissRollPointsSatisfyItsEquation() throws {
        let data = try draw(SwissRoll())
        XCTAssertEqual(data.intrinsicDimension, 2)
        for i in 0..<data.count {
            let (x, y, z) = (data.points[i, 0], data.points[i, 1], data.points[i, 2])
            let t = (x * x + z * z).squareRoot() // x = t cos t, z = t sin t with t > 0
            XCTAssert((1.5 * Float.pi - tolerance)...(4.5 * Float.pi + tolerance) ~= t)
            XCTAssertEqual(x, t * cos(t), accuracy: 1e-3)
            XCTAssertEqual(z, t * sin(t), accuracy: 1e-3)
            XCTAssert((0...21) ~= y)
            XCTAssertEqual(data.latent?[i, 0] ?? 0, t, accuracy: tolerance)
        }
    }

    func testSCurvePointsSatisfyItsEquation() throws {
        let data = try draw(SCurve())
        for i in 0..<data.count {
            let (x, y, z) = (data.points[i, 0], data.points[i, 1], data.points[i, 2])
            // x = sin t, |z| = 1 − cos t  ⇒  x² + (1 − |z|)² = 1.
            XCTAssertEqual(x * x + (1 - abs(z)) * (1 - abs(z)), 1, accuracy: tolerance)
            XCTAssert((0...2) ~= y)
        }
    }

    func testHelixPointsLieOnTheTorusAndWindEightTimes() throws {
        let data = try draw(Helix())
        XCTAssertEqual(data.intrinsicDimension, 1)
        for i in 0..<data.count {
            let (x, y, z) = (data.points[i, 0], data.points[i, 1], data.points[i, 2])
            let rho = (x * x + y * y).squareRoot()
            XCTAssertEqual((rho - 2) * (rho - 2) + z * z, 1, accuracy: tolerance)
            let t = atan2(y, x)
            XCTAssertEqual(cos(8 * t), rho - 2, accuracy: 1e-3)
            XCTAssertEqual(sin(8 * t), z, accuracy: 1e-3)
        }
    }

    func testMoebiusPointsLieOnTheTwistedSegment() throws {
        for twists in [1, 10] {
            let data = try draw(MoebiusStrip(halfTwists: twists))
            for i in 0..<data.count {
                let (x, y, z) = (data.points[i, 0], data.points[i, 1], data.points[i, 2])
                let rho = (x * x + y * y).squareRoot()
                let half = Float(twists) * atan2(y, x) / 2
                // (ρ − 1, z) is s/2 · (cos τφ/2, sin τφ/2): on that line, within the width.
                XCTAssertEqual((rho - 1) * sin(half) - z * cos(half), 0, accuracy: 1e-3)
                XCTAssertLessThanOrEqual((rho - 1) * (rho - 1) + z * z, 0.25 + tolerance)
            }
        }
    }

    func testTorusPointsAreOnTheSurfaceAndUniformInArea() throws {
        let data = try draw(Torus(), 4000)
        var outer = 0
        for i in 0..<data.count {
            let (x, y, z) = (data.points[i, 0], data.points[i, 1], data.points[i, 2])
            let rho = (x * x + y * y).squareRoot()
            XCTAssertEqual((rho - 1) * (rho - 1) + z * z, 0.0625, accuracy: tolerance)
            if rho > 1 { outer += 1 }
        }
        // Area of the outer half / total = (πR + 2r)/(2πR) = 0.5796 for R = 1, r = ¼
        // (uniform in angles would give 0.5). SE √(p(1−p)/4000) ≈ 0.0078; 0.03 ≈ 4 SE.
        XCTAssertEqual(Double(outer) / 4000, (Double.pi + 0.5) / (2 * Double.pi), accuracy: 0.03)
    }

    func testNonlinearBenchmarkFollowsHeinAudibertFormulas() throws {
        let m46 = try draw(NonlinearBenchmark(dimension: 4, ambient: 6), 200)
        let p = try XCTUnwrap(m46.latent)
        for i in 0..<m46.count {
            let (p0, p1, p2, p3) = (p[i, 0], p[i, 1], p[i, 2], p[i, 3])
            XCTAssertEqual(m46.points[i, 0], p1 * p1 * cos(2 * .pi * p0), accuracy: tolerance)
            XCTAssertEqual(m46.points[i, 3], p1 - 2 * p2 + (p0 - p3) * (p0 - p3), accuracy: tolerance)
            XCTAssertEqual(m46.points[i, 5], p0 * p0 - p1 * p1 + p2 * p2 - p3 * p3, accuracy: tolerance)
        }
        let m672 = try draw(NonlinearBenchmark(dimension: 12, ambient: 72), 100)
        let q = try XCTUnwrap(m672.latent)
        for i in 0..<m672.count {
            for j in 0..<12 {
                let r = q[i, (j + 1) % 12], angle = 2 * Float.pi * q[i, j]
                XCTAssertEqual(m672.points[i, 2 * j], r * cos(angle), accuracy: tolerance)
                XCTAssertEqual(m672.points[i, 2 * j + 1], r * sin(angle), accuracy: tolerance)
                // m = 72 / 24 = 3 identical copies of the 24 coordinates.
                XCTAssertEqual(m672.points[i, 2 * j + 48], m672.points[i, 2 * j])
            }
        }
        // Beyond the benchmark's pairs: (3, 10) repeats the 6 coordinates cyclically.
        let m310 = try draw(NonlinearBenchmark(dimension: 3, ambient: 10), 50)
        for i in 0..<50 { for j in 0..<4 { XCTAssertEqual(m310.points[i, 6 + j], m310.points[i, j]) } }
        XCTAssertThrowsError(try NonlinearBenchmark(dimension: 4, ambient: 7)) { error in
            XCTAssertEqual((error as? DatasetParameterError)?.parameter, "ambient")
        }
    }

    func testMixingPointsAreTheMapOfTheLatentAndLocallyKDimensional() throws {
        let mixing = try NonlinearMixing(latent: 8, ambient: 16)
        let data = try draw(mixing, 500)
        let z = try XCTUnwrap(data.latent)
        let f = mixing.map(using: seed.derived("points"))
        XCTAssertEqual(f.apply(to: z), data.points)
        XCTAssert(data.points.elements.allSatisfy { abs($0) < 1 })

        // Around one point, a small latent ball maps to a k-dimensional patch: the local
        // covariance has k eigenvalues of order ε²·|J|² and the rest of order ε⁴ (curvature).
        var rng = SeededGenerator(seed: 7)
        let epsilon: Float = 1e-2
        var ball = Matrix(rows: 400, columns: 8)
        for i in 0..<400 { for j in 0..<8 { ball[i, j] = z[0, j] + epsilon * Float(rng.uniform(-1, 1)) } }
        let spectrum = try covarianceSpectrum(f.apply(to: ball))
        XCTAssertLessThan(spectrum[8] / spectrum[7], 1e-2, "spectrum \(spectrum)")
        XCTAssertGreaterThan(spectrum[7] / spectrum[0], 1e-4, "the map is an immersion here")
    }

    func testGaussianSampleCovarianceMatchesTheRandomCovariance() throws {
        var rng = SeededGenerator(seed: 3)
        let gaussian = try GaussianCloud.randomCovariance(dimension: 4, using: &rng)
        let data = try draw(gaussian, 20000)
        let sample = data.points.covariance(), truth = gaussian.covariance
        // Entries are ≤ 4 with SE ≤ √(2·16/20000) ≈ 0.04; 0.16 is 4 SE.
        for i in 0..<16 { XCTAssertEqual(sample.elements[i], truth.elements[i], accuracy: 0.16) }
        let eigen = try SymmetricEigen(truth)
        XCTAssertEqual(eigen.values.map(log).reduce(0, +), gaussian.logDeterminant, accuracy: 1e-5)
        XCTAssert(eigen.values.allSatisfy { (0.25 - 1e-6)...(4 + 1e-6) ~= $0 })
    }

    func testGaussianEntropyIsTheClosedForm() throws {
        let gaussian = try GaussianCloud(standardDeviations: [1, 2, 0.5])
        // ½ ln((2πe)³ · 1·4·¼) = 3 · 1.418939 nats.
        XCTAssertEqual(gaussian.entropy, 3 * 1.4189385332, accuracy: 1e-9)
        XCTAssertEqual(try GaussianCloud(dimension: 2).entropy, 2 * 1.4189385332, accuracy: 1e-9)
    }

    func testRotationKeepsDistancesAndPaddingAddsZeroColumns() throws {
        let plain = try draw(SwissRoll(), 300)
        let rotated = try draw(SwissRoll(), 300, Embedding(ambientDimension: 7, rotate: true))
        let padded = try draw(SwissRoll(), 300, Embedding(ambientDimension: 7))
        let d0 = PairwiseDistances.squared(plain.points), d1 = PairwiseDistances.squared(rotated.points)
        // Squared distances up to ~800: Float32 relative round-off ≈ 1e-6 → 2e-3 absolute.
        for i in stride(from: 0, to: d0.elements.count, by: 37) { XCTAssertEqual(d0.elements[i], d1.elements[i], accuracy: 2e-3) }
        for i in 0..<300 {
            XCTAssertEqual(Array(padded.points.row(i).prefix(3)), Array(plain.points.row(i)))
            XCTAssertEqual(Array(padded.points.row(i).suffix(4)), [0, 0, 0, 0])
        }
        XCTAssertThrowsError(try draw(SwissRoll(), 10, Embedding(ambientDimension: 2))) { error in
            XCTAssertEqual((error as? DatasetParameterError)?.parameter, "ambient")
        }
    }

    func testNoiseIsIsotropicWithTheGivenStandardDeviation() throws {
        let clean = try draw(Sphere(dimension: 2), 5000)
        let noisy = try draw(Sphere(dimension: 2), 5000, Embedding(noise: 0.05))
        var sum = 0.0, sumSquares = 0.0
        for i in clean.points.elements.indices {
            let e = Double(noisy.points.elements[i] - clean.points.elements[i])
            sum += e; sumSquares += e * e
        }
        let n = Double(clean.points.elements.count)
        // 15 000 draws: the sample SD is within 2% of σ with > 4 SE to spare (SE ≈ 0.6%).
        XCTAssertEqual((sumSquares / n - (sum / n) * (sum / n)).squareRoot(), 0.05, accuracy: 0.001)
        XCTAssertEqual(noisy.intrinsicDimension, 2)
    }

    func testSameSeedSameDataDifferentSeedDifferentData() throws {
        let samplers: [any ManifoldSampler] = [
            try GaussianCloud(dimension: 3), UniformCube(dimension: 3), try LinearSubspace(dimension: 2, ambient: 5),
            try Sphere(dimension: 2), SwissRoll(), SCurve(), Helix(), MoebiusStrip(), try Torus(),
            try NonlinearBenchmark(dimension: 4, ambient: 8), try NonlinearMixing(latent: 3, ambient: 10),
            try GaussianBumpImages(), try RectangleImages(),
        ]
        for sampler in samplers {
            let embedding = Embedding(noise: 0.01)
            let a = try SyntheticDataset.generate(sampler, count: 50, embedding: embedding, using: SeededGenerator(seed: 1))
            let b = try SyntheticDataset.generate(sampler, count: 50, embedding: embedding, using: SeededGenerator(seed: 1))
            let c = try SyntheticDataset.generate(sampler, count: 50, embedding: embedding, using: SeededGenerator(seed: 2))
            XCTAssertEqual(a.points, b.points, sampler.name)
            XCTAssertNotEqual(a.points, c.points, sampler.name)
            XCTAssertEqual(a.intrinsicDimension, sampler.intrinsicDimension)
            XCTAssert(a.points.isFinite)
        }
    }

    func testInvalidArgumentsNameTheirParameter() {
        func parameter(_ body: () throws -> Any) -> String? {
            do { _ = try body(); return nil } catch { return (error as? DatasetParameterError)?.parameter }
        }
        XCTAssertEqual(parameter { try SyntheticDataset.generate(SwissRoll(), count: 0, using: self.seed) }, "n")
        XCTAssertEqual(parameter { try SyntheticDataset.generate(SwissRoll(), count: 5, embedding: Embedding(noise: -1), using: self.seed) }, "noise")
        XCTAssertEqual(parameter { try LinearSubspace(dimension: 4, ambient: 3) }, "ambient")
        XCTAssertEqual(parameter { try Sphere(dimension: 0) }, "k")
        XCTAssertEqual(parameter { try SyntheticDataset.generate(GaussianBumpImages(), count: 5, embedding: Embedding(rotate: true), using: self.seed) }, "rotate")
    }
}
