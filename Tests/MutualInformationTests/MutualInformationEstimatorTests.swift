import Datasets
import Foundation
import Linalg
import XCTest
@testable import MutualInformation

/// KSG against the numpy/scipy reference and scikit-learn on the same Float32 data
/// (bench/reference/mi_ksg.py --fixture), the Gaussian estimators against closed forms.
final class MutualInformationEstimatorTests: XCTestCase {
    struct Case: Decodable {
        var name: String
        var x: [[Float]], y: [[Float]]
        var labels: [Int]?
        var estimates: [String: Double]
    }
    struct Fixture: Decodable { var cases: [Case] }

    func cases() throws -> [Case] {
        let url = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/ksg-reference.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases
    }

    /// Same neighbours, same counts: the values agree to round-off of the ψ sums (1e-9 ≪ the 1e-6 asked).
    func testKSGMatchesScipyReferenceBothVariants() throws {
        for c in try cases() {
            let x = Matrix(c.x), y = Matrix(c.y)
            for k in [1, 3, 5] {
                let v1 = try KraskovStogbauerGrassberger(k: k, variant: .first, threads: 2).information(x, y)
                XCTAssertEqual(v1, try XCTUnwrap(c.estimates["ksg1-k\(k)"]), accuracy: 1e-9, "\(c.name) KSG-1 k=\(k)")
                // KSG-2's neighbour set is ambiguous under ties (the labels case has tied y).
                guard c.labels == nil else { continue }
                let v2 = try KraskovStogbauerGrassberger(k: k, variant: .second, threads: 1).information(x, y)
                XCTAssertEqual(v2, try XCTUnwrap(c.estimates["ksg2-k\(k)"]), accuracy: 1e-9, "\(c.name) KSG-2 k=\(k)")
            }
        }
    }

    /// scikit-learn's `_compute_mi_cc` (the formula of `mutual_info_regression`, without its
    /// rescaling and jitter) is KSG-1.
    func testKSG1IsScikitLearnsFormulaIn1D() throws {
        for c in try cases() {
            guard let reference = c.estimates["sklearn-cc-k3"] else { continue }
            let v = try KraskovStogbauerGrassberger(k: 3).information(Matrix(c.x), Matrix(c.y))
            XCTAssertEqual(max(0, v), reference, accuracy: 1e-9, c.name)
        }
    }

    func testRossMatchesScikitLearnForLabels() throws {
        for c in try cases() {
            guard let labels = c.labels, let reference = c.estimates["sklearn-cd-k3"] else { continue }
            let v = try RossMutualInformation(k: 3).information(Matrix(c.x), labels: labels)
            XCTAssertEqual(max(0, v), reference, accuracy: 1e-9, c.name)
        }
    }

    /// −½ Σ ln(1 − ρᵢ²) with ρ = 0.8, 0.8 (the 2-pair task): the plug-in on 20 000 rows is
    /// within 4 standard errors (≈ 0.01 nats each) of the truth 1.0217.
    func testGaussianEstimateOnMultinormal() throws {
        guard let task = MutualInformationTasks.task(id: "multinormal-sparse-5-5-2-2.0") else { return XCTFail() }
        var g = SeededGenerator(seed: 11)
        let (x, y) = task.sample(20_000, using: &g)
        XCTAssertEqual(try GaussianMutualInformation().information(x, y), task.mutualInformation, accuracy: 0.04)
    }

    /// The Wishart correction removes the ≈ d_x·d_y/(2n) bias: on independent 10×10 Gaussians
    /// at n = 200 the plug-in averages ≈ 0.25 nats, the corrected estimate ≈ 0.
    func testBiasCorrectionCentresTheNull() throws {
        var g = SeededGenerator(seed: 5)
        var plugIn = 0.0, corrected = 0.0
        let reps = 40
        for _ in 0..<reps {
            let x = g.normalMatrix(rows: 200, columns: 10), y = g.normalMatrix(rows: 200, columns: 10)
            plugIn += try GaussianMutualInformation(biasCorrected: false).information(x, y) / Double(reps)
            corrected += try GaussianMutualInformation().information(x, y) / Double(reps)
        }
        XCTAssertGreaterThan(plugIn, 0.2)
        XCTAssertEqual(corrected, 0, accuracy: 0.02)
    }

    /// Normal scores are invariant under increasing maps: the Gaussian copula estimate of the
    /// half-cube and normal-CDF transforms equals that of its base sample, up to the few ties
    /// Float32 makes of Φ's values near 1 (3e-7 nats here).
    func testGaussianCopulaIsInvariantUnderMonotoneMaps() throws {
        guard let base = MutualInformationTasks.task(id: "multinormal-sparse-3-3-2-2.0") else { return XCTFail() }
        var g = SeededGenerator(seed: 2)
        let (x, y) = base.sample(2_000, using: &g)
        var cx = x, cy = y
        for i in cx.elements.indices { let v = cx.elements[i]; cx.elements[i] = v * abs(v).squareRoot() + 3 }
        for i in cy.elements.indices { cy.elements[i] = Float(normalCDF(Double(cy.elements[i]))) }
        let a = try MutualInformationMethod.gaussianCopula.information(x, y, k: 3)
        let b = try MutualInformationMethod.gaussianCopula.information(cx, cy, k: 3)
        XCTAssertEqual(a, b, accuracy: 1e-5)
    }

    func testNormalScoresAverageTiedRanks() {
        let m = Matrix([[1], [2], [2], [3]])
        let s = MarginalGaussianisation.scores(m)
        XCTAssertEqual(s[1, 0], s[2, 0])
        XCTAssertEqual(Double(s[1, 0]), normalQuantile(2.5 / 5), accuracy: 1e-6)
        XCTAssertEqual(Double(s[0, 0]), normalQuantile(0.2), accuracy: 1e-6)
    }

    func testNormalQuantileInvertsTheCDF() {
        for p in [1e-10, 0.001, 0.02, 0.3, 0.5, 0.9, 0.999] {
            XCTAssertEqual(normalCDF(normalQuantile(p)), p, accuracy: 1e-14 + 1e-9 * p)
        }
    }

    /// The interval covers a known I and the permuted null reads ≈ 0 on a bivariate normal.
    func testCheckedEstimateCoversTruthAndPassesNull() throws {
        guard let task = MutualInformationTasks.task(id: "1v1-normal-0.75") else { return XCTFail() }
        var g = SeededGenerator(seed: 9)
        let (x, y) = task.sample(1_000, using: &g)
        let checked = try MutualInformationReliability.check("KSG", x, y, generator: &g) {
            try KraskovStogbauerGrassberger(k: 3).information($0, $1)
        }
        let lower = try XCTUnwrap(checked.estimate.lower), upper = try XCTUnwrap(checked.estimate.upper)
        XCTAssertLessThan(lower, task.mutualInformation); XCTAssertGreaterThan(upper, task.mutualInformation)
        XCTAssertLessThanOrEqual(try XCTUnwrap(checked.nullLower), 0)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(checked.nullUpper), 0)
        XCTAssertTrue(checked.isReliable, checked.problems.joined(separator: "; "))
    }

    /// `auto` picks KSG where the dependence is not Gaussian in the copula (Student-t with
    /// identity dispersion: its correlations are 0, its MI 0.43 nats).
    func testAutoPicksKSGForStudentT() throws {
        guard let task = MutualInformationTasks.task(id: "student-identity-2-2-1") else { return XCTFail() }
        var g = SeededGenerator(seed: 4)
        let (x, y) = task.sample(2_000, using: &g)
        let result = try AutomaticMutualInformation(options: ReliabilityOptions(splits: 3, nullSplits: 0)).estimate(x, y, generator: &g)
        XCTAssertTrue(result.chosen.estimate.estimator.hasPrefix("KSG"), result.reason)
        XCTAssertEqual(result.chosen.estimate.value, task.mutualInformation, accuracy: 0.1)
    }

    func testValidationNamesTheProblem() {
        let x = Matrix([[1, 2], [3, 2], [5, 2]]), y = Matrix([[1], [2], [4]])
        XCTAssertThrowsError(try MutualInformationError.validate(x, y, minimumRows: 2, estimator: "KSG")) {
            XCTAssertEqual($0 as? MutualInformationError, .constantColumn(variable: "x", column: 1))
        }
        XCTAssertThrowsError(try MutualInformationError.validate(y, Matrix([[1], [2]]), minimumRows: 2, estimator: "KSG")) {
            XCTAssertEqual($0 as? MutualInformationError, .rowMismatch(x: 3, y: 2))
        }
        XCTAssertThrowsError(try KraskovStogbauerGrassberger(k: 3).information(y, y))
    }
}
