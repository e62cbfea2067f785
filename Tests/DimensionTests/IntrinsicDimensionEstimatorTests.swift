import Foundation
import XCTest
import Linalg
@testable import Dimension

/// DANCo, ESS, MiND-ML and Gride: each on data of known dimension (uniform balls, the law the
/// estimators are derived for, so the tolerance of 10 % covers sampling noise at N = 1 000
/// only), closed forms of their ingredients, and agreement within 5 % with the references on
/// the committed fixtures (scikit-dimension 0.5.0 for DANCo, ESS, MiND-ML; DADApy for Gride;
/// numbers from `python3 bench/reference/skdim_id_fixtures.py` → Fixtures/id-estimators.json).
final class IntrinsicDimensionEstimatorTests: XCTestCase {
    /// `count` points uniform in the unit k-ball, embedded in R^ambient by a random rotation.
    static func ball(k: Int, ambient: Int, count: Int = 1000, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        var latent = Matrix(rows: count, columns: k)
        for i in 0..<count {
            var v = (0..<k).map { _ in g.normal() }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let r = Foundation.pow(g.uniform(), 1 / Double(k))
            v = v.map { $0 / norm * r }
            for j in 0..<k { latent[i, j] = Float(v[j]) }
        }
        // A random orthonormal k-frame in R^ambient (Gram–Schmidt on Gaussian vectors).
        var frame = [[Double]]()
        while frame.count < k {
            var u = (0..<ambient).map { _ in g.normal() }
            for f in frame {
                let dot = zip(u, f).reduce(0) { $0 + $1.0 * $1.1 }
                u = zip(u, f).map { $0 - dot * $1 }
            }
            let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            frame.append(u.map { $0 / norm })
        }
        var x = Matrix(rows: count, columns: ambient)
        for i in 0..<count {
            for c in 0..<ambient {
                var s = 0.0
                for j in 0..<k { s += Double(latent[i, j]) * frame[j][c] }
                x[i, c] = Float(s)
            }
        }
        return x
    }

    // MARK: known dimension

    func testMiNDMLReadsTheDimensionOfABall() throws {
        for k in [2, 5] {
            let x = Self.ball(k: k, ambient: 8, seed: UInt64(k))
            let mind = try MinimumNeighborDistanceDimension(neighbors: NearestNeighbors(of: x, k: 21))
            XCTAssertEqual(mind.dimension, Double(k), accuracy: 0.1 * Double(k), "k = \(k)")
            XCTAssertEqual(mind.integerDimension, k, "k = \(k)")
        }
    }

    func testDANCoReadsTheDimensionOfABall() throws {
        for k in [3, 6] {
            let x = Self.ball(k: k, ambient: 10, seed: UInt64(10 + k))
            let danco = try DANCoDimension(of: x)
            XCTAssertEqual(danco.dimension, Double(k), accuracy: 0.1 * Double(k), "k = \(k)")
            XCTAssertEqual(danco.integerDimension, k, "k = \(k)")
            XCTAssertEqual(danco.divergences.count, 10)
        }
    }

    func testESSClosedFormAndBall() throws {
        // Expected |sin θ| of two independent uniform directions: 2/π in the plane, π/4 in R³.
        let reference = ESSReference.reference(upTo: 4)
        XCTAssertEqual(reference[0], 0)
        XCTAssertEqual(reference[1], 2 / Double.pi, accuracy: 1e-12)
        XCTAssertEqual(reference[2], Double.pi / 4, accuracy: 1e-12)
        XCTAssertEqual(ESSReference().dimension(of: Double.pi / 4), 3, accuracy: 1e-12)
        let x = Self.ball(k: 4, ambient: 7, seed: 44)
        let ess = try ExpectedSimplexSkewnessDimension(of: x, neighbors: NearestNeighbors(of: x, k: 100))
        XCTAssertEqual(ess.dimension, 4, accuracy: 0.4)
    }

    func testGrideAtTheFirstScaleIsTwoNNsMaximumLikelihood() throws {
        let x = Self.ball(k: 3, ambient: 5, seed: 3)
        let neighbors = try NearestNeighbors(of: x, k: 64)
        let gride = try GrideDimension(neighbors: neighbors)
        XCTAssertEqual(gride.scales.map(\.n1), [1, 2, 4, 8, 16, 32])
        // n₁ = 1, n₂ = 2: the Pareto law; the maximum likelihood is (N − 1)/Σ ln μ over the
        // ratios the overlap filter keeps.
        let logMu = (0..<x.rows).map { i in Foundation.log(Double(neighbors.distance(i, neighbor: 2)) / Double(neighbors.distance(i, neighbor: 1))) }
        let mus = logMu.map(Foundation.exp).sorted()
        func percentile(_ q: Double) -> Double {
            let h = q / 100 * Double(mus.count - 1), lo = Int(h)
            return mus[lo] + (h - Double(lo)) * (mus[min(lo + 1, mus.count - 1)] - mus[lo])
        }
        let ceiling = 20 * (percentile(95) - percentile(50)) + percentile(50)
        let kept = logMu.filter { Foundation.exp($0) < ceiling }
        XCTAssertEqual(gride.scales[0].dimension, Double(kept.count - 1) / kept.reduce(0, +), accuracy: 1e-9)
        for s in gride.scales.prefix(4) { XCTAssertEqual(s.dimension, 3, accuracy: 0.3, "n1 = \(s.n1)") }
    }

    func testGrideSeesNoiseAtSmallScalesOnly() throws {
        // A segment of length 1 in R³ with isotropic noise σ = 0.002: at n₁ = 1 the
        // neighbours lie within the noise and Gride reads ≈ 3; at n₁ = 32 the steps along
        // the line (≈ 32/1000) dwarf σ and it reads ≈ 1.
        var g = SeededGenerator(seed: 7)
        var x = Matrix(rows: 1000, columns: 3)
        for i in 0..<1000 {
            x[i, 0] = Float(g.uniform() + 0.002 * g.normal())
            x[i, 1] = Float(0.002 * g.normal())
            x[i, 2] = Float(0.002 * g.normal())
        }
        let gride = try GrideDimension(neighbors: NearestNeighbors(of: x, k: 64))
        XCTAssertGreaterThan(gride.scales[0].dimension, 2)
        XCTAssertEqual(gride.scales[5].dimension, 1, accuracy: 0.2)
    }

    // MARK: references

    struct Fixture: Decodable {
        struct Entry: Decodable {
            var file: String, rows: Int, columns: Int
            var danco_k10: [Double]
            var mind_ml_k20_D10: Double
            var ess_a_100: Double
            var ess_rows: Int
            var gride_dadapy_n1_1_to_32: [Double]
        }
        var sets: [String: Entry]
    }

    func fixture() throws -> Fixture {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "id-estimators", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func points(_ name: String, _ entry: Fixture.Entry) throws -> Matrix {
        let stored = name == "helix" ? 2500 : entry.rows
        let all = try ScikitDimensionAgreementTests.fixture(entry.file.replacingOccurrences(of: ".f32", with: ""),
                                                            rows: stored, columns: entry.columns)
        return all.rows(in: 0..<entry.rows)
    }

    /// Within 5 % (the issue's acceptance). MiND-ML, ESS and Gride follow their references'
    /// definitions exactly (Float32 storage of the distances is the only difference); DANCo
    /// also draws its own calibration balls, so it is held to 5 % of the mean of two
    /// scikit-dimension calibrations.
    func testAgreesWithScikitDimensionAndDADApyWithinFivePercent() throws {
        for (name, entry) in try fixture().sets.sorted(by: { $0.key < $1.key }) {
            let x = try points(name, entry)
            let neighbors = try NearestNeighbors(of: x, k: 100)
            let mind = try MinimumNeighborDistanceDimension(neighbors: neighbors).dimension
            // scikit-dimension's ESS is slow (4 950 determinants per point in Python): the
            // reference ran on the first `ess_rows` rows.
            let head = x.rows(in: 0..<entry.ess_rows)
            let ess = try ExpectedSimplexSkewnessDimension(of: head, neighbors: NearestNeighbors(of: head, k: 100)).dimension
            let gride = try GrideDimension(neighbors: neighbors).scales.map(\.dimension)
            let danco = try DANCoDimension(of: x).dimension
            let dancoReference = entry.danco_k10.reduce(0, +) / Double(entry.danco_k10.count)
            XCTAssertEqual(mind, entry.mind_ml_k20_D10, accuracy: 0.05 * entry.mind_ml_k20_D10, "\(name) MiND-ML")
            XCTAssertEqual(ess, entry.ess_a_100, accuracy: 0.05 * entry.ess_a_100, "\(name) ESS")
            XCTAssertEqual(danco, dancoReference, accuracy: 0.05 * dancoReference, "\(name) DANCo")
            XCTAssertEqual(gride.count, entry.gride_dadapy_n1_1_to_32.count)
            for (ours, theirs) in zip(gride, entry.gride_dadapy_n1_1_to_32) {
                XCTAssertEqual(ours, theirs, accuracy: 0.05 * theirs, "\(name) Gride")
            }
            print(String(format: "%@: MiND-ML %.4f vs %.4f, ESS %.4f vs %.4f, DANCo %.4f vs %.4f (skdim seeds %@), Gride %@ vs %@",
                         name, mind, entry.mind_ml_k20_D10, ess, entry.ess_a_100, danco, dancoReference,
                         entry.danco_k10.map { String(format: "%.3f", $0) }.joined(separator: " "),
                         gride.map { String(format: "%.3f", $0) }.joined(separator: " "),
                         entry.gride_dadapy_n1_1_to_32.map { String(format: "%.3f", $0) }.joined(separator: " ")))
        }
    }
}
