import Foundation
import XCTest
import Linalg
@testable import Datasets

/// The native ports of scikit-dimension's 24 benchmark manifolds against the statistics of
/// scikit-dimension's own samples (Fixtures/skdim-benchmark-stats.json, n = 2 500, from
/// `python3 bench/reference/skdim_benchmark_stats.py`): the same (k, D), and per column a
/// mean and a standard deviation within sampling error (5 standard errors of the two samples, plus 2 % of the
/// column's spread for the face-by-face cubes, whose first n points depend on n) and a range
/// inside the reference's (with 5 % of its width to spare) that covers most of it.
final class ScikitDimensionManifoldTests: XCTestCase {
    struct Stats: Decodable {
        var k: Int, D: Int
        var mean: [Double], std: [Double], min: [Double], max: [Double]
    }
    struct Fixture: Decodable { var n: Int; var manifolds: [String: Stats] }

    func testEveryGeneratorMatchesScikitDimensionsDimensionsAndRanges() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "skdim-benchmark-stats", withExtension: "json", subdirectory: "Fixtures"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertEqual(Set(fixture.manifolds.keys), Set(ScikitDimensionManifold.all.map(\.id)))
        let n = 1000
        for manifold in ScikitDimensionManifold.all {
            let reference = try XCTUnwrap(fixture.manifolds[manifold.id])
            XCTAssertEqual(manifold.intrinsicDimension, reference.k, manifold.id)
            XCTAssertEqual(manifold.nativeDimension, reference.D, manifold.id)
            var g = SeededGenerator(seed: 1)
            let x = manifold.sample(n, using: &g).points
            XCTAssertEqual(x.rows, n)
            XCTAssertEqual(x.columns, reference.D, manifold.id)
            for c in 0..<x.columns {
                let column = (0..<n).map { Double(x[$0, c]) }
                let mean = column.reduce(0, +) / Double(n)
                let width = reference.max[c] - reference.min[c]
                let sd = reference.std[c]
                let meanTolerance = 5 * sd * (1 / Double(n).squareRoot() + 1 / Double(fixture.n).squareRoot()) + 0.02 * width + 1e-5
                XCTAssertEqual(mean, reference.mean[c], accuracy: meanTolerance, "\(manifold.id) column \(c) mean")
                let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
                XCTAssertEqual(variance.squareRoot(), sd, accuracy: 0.15 * sd + 0.02 * width + 1e-5, "\(manifold.id) column \(c) spread")
                // Unbounded or long-tailed laws (the Gaussian, Beta(10, ½)): the extremes of
                // 1 000 and 2 500 draws need not nest.
                guard manifold.kind != .norm, manifold.kind != .beta else { continue }
                let lo = column.min() ?? 0, hi = column.max() ?? 0
                XCTAssertGreaterThanOrEqual(lo, reference.min[c] - 0.05 * width - 1e-5, "\(manifold.id) column \(c) min")
                XCTAssertLessThanOrEqual(hi, reference.max[c] + 0.05 * width + 1e-5, "\(manifold.id) column \(c) max")
                if width > 0 { XCTAssertGreaterThan((hi - lo) / width, 0.6, "\(manifold.id) column \(c) covers its range") }
            }
        }
    }
}
