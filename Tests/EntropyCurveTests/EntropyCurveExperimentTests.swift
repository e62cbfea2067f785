import Autoencoder
import Linalg
import XCTest
@testable import EntropyCurve

/// The whole pipeline (train → encode → KDE entropy → verdict) on a small manifold of
/// known dimension.
final class EntropyCurveExperimentTests: XCTestCase {
    /// z ~ N(0, I₂) mapped smoothly into R⁶: a 2-dimensional manifold.
    func manifold(n: Int, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        var x = Matrix(rows: n, columns: 6)
        for i in 0..<n {
            let a = g.normal(), b = g.normal()
            let row = [a, b, sin(1.3 * a), cos(0.9 * b), 0.5 * a * b, tanh(a - b)]
            for j in 0..<6 { x[i, j] = Float(row[j]) }
        }
        return x
    }

    func testSweepFindsTheDimensionOfATwoDimensionalManifold() throws {
        let settings = EntropyCurveExperiment.Settings(
            dimensions: [1, 2, 3, 4], repeats: 1, hidden: [32, 16],
            training: TrainingOptions(epochs: 30, batchSize: 64, validationFraction: 0.1, threads: 2),
            monteCarloSamples: 500, seed: 3)
        let points = try EntropyCurveExperiment(settings: settings).run(on: manifold(n: 1000, seed: 1))
        XCTAssertEqual(points.count, 4)
        XCTAssertTrue(points.allSatisfy { $0.failure == nil }, "\(points.compactMap(\.failure))")
        let summary = CurveSummary(points: points)
        let verdict = try DimensionVerdict(summary: summary, points: points)
        // Within ±1 of the truth, or honestly unresolved — never a confident wrong number.
        if let k = verdict.dimension {
            XCTAssertLessThanOrEqual(abs(k - 2), 1, verdict.explanation)
        } else {
            XCTAssertTrue(verdict.explanation.hasPrefix("Not resolvable"), verdict.explanation)
        }
        // H rises from d = 1 to d = 2 (two informative code units).
        XCTAssertGreaterThan(summary.entropy[1].median, summary.entropy[0].median)
        // Reconstruction improves with d.
        XCTAssertLessThan(summary.reconstructionError[3].median, summary.reconstructionError[0].median)
    }

    func testSeedsAreSharedAcrossDimensions() {
        let s = EntropyCurveExperiment.Settings(dimensions: [1, 2], repeats: 2, seed: 9)
        XCTAssertEqual(s.seed(repeat: 0), EntropyCurveExperiment.Settings(dimensions: [5], repeats: 1, seed: 9).seed(repeat: 0))
        XCTAssertNotEqual(s.seed(repeat: 0), s.seed(repeat: 1))
    }
}
