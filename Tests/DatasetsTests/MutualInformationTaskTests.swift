import Foundation
import Linalg
import XCTest
@testable import Datasets

/// The 40 benchmark tasks of Czyż et al. (2023) against bmi's own truths (fixture from
/// bench/reference/mi_tasks_fixture.py) and the closed forms behind them.
final class MutualInformationTaskTests: XCTestCase {
    struct FixtureTask: Decodable {
        var id: String, name: String
        var dim_x: Int, dim_y: Int
        var mutual_information: Double
        var median_abs_x: Double, median_abs_y: Double
    }
    struct Fixture: Decodable { var tasks: [FixtureTask] }

    func loadFixture() throws -> [FixtureTask] {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: fixture("mi-tasks.json"))).tasks
    }

    func testEveryTaskMatchesBmiIdNameShapeAndTruth() throws {
        let reference = try loadFixture()
        let tasks = MutualInformationTasks.benchmark
        XCTAssertEqual(tasks.count, 40)
        XCTAssertEqual(tasks.map(\.id), reference.map(\.id))
        for (task, ref) in zip(tasks, reference) {
            XCTAssertEqual(task.name, ref.name)
            XCTAssertEqual(task.dimX, ref.dim_x, task.id)
            XCTAssertEqual(task.dimY, ref.dim_y, task.id)
            // bmi computes the additive-noise truth in float32 (jnp.log): 1e-6 covers it.
            XCTAssertEqual(task.mutualInformation, ref.mutual_information, accuracy: 1e-6, task.id)
        }
    }

    /// Medians of |x| and |y| over 20 000 native draws against bmi's over 2 000: the transforms
    /// and scales are bmi's (the median's sampling error at 2 000 draws is ≈ 3 %; 8 % allowed).
    func testSampleScalesMatchBmi() throws {
        let reference = try loadFixture()
        for (task, ref) in zip(MutualInformationTasks.benchmark, reference) {
            var g = SeededGenerator(seed: 7)
            let (x, y) = task.sample(20_000, using: &g)
            XCTAssertEqual(x.columns, ref.dim_x); XCTAssertEqual(y.columns, ref.dim_y)
            XCTAssertTrue(x.isFinite && y.isFinite, task.id)
            func medianAbs(_ m: Matrix) -> Double {
                let v = m.elements.map { abs(Double($0)) }.sorted()
                return v[v.count / 2]
            }
            XCTAssertEqual(medianAbs(x), ref.median_abs_x, accuracy: 0.08 * ref.median_abs_x + 1e-3, task.id)
            XCTAssertEqual(medianAbs(y), ref.median_abs_y, accuracy: 0.08 * ref.median_abs_y + 1e-3, task.id)
        }
    }

    func testBivariateNormalClosedForm() {
        let rho = 0.75
        let c = [1, rho, rho, 1]
        XCTAssertEqual(MutualInformationTask.gaussianInformation(correlation: c, dimX: 1, dimY: 1),
                       -0.5 * log(1 - rho * rho), accuracy: 1e-14)
    }

    /// The 2-pair correlation has two canonical correlations 4/5: I = −ln(1 − 0.64).
    func testTwoPairIsTwoCanonicalCorrelationsOfFourFifths() {
        for d in [2, 3, 5, 25] {
            let i = MutualInformationTask.gaussianInformation(correlation: MutualInformationTasks.twoPair(d, d), dimX: d, dimY: d)
            XCTAssertEqual(i, -log(1 - 0.64), accuracy: 1e-12)
        }
    }

    /// Dense c = ½: X's covariance has eigenvalues 1 + (d−1)c (once) and 1 − c (d−1 times); so
    /// does Y's; the joint's are 1 + (2d−1)c (once) and 1 − c (2d−1 times).
    /// I = ½·(2 ln(1+(d−1)c) − ln(1+(2d−1)c) − ln(1−c)).
    func testDenseMultinormalClosedForm() {
        let c = 0.5
        for d in [2, 3, 5, 25, 50] {
            let expected = 0.5 * (2 * log(1 + Double(d - 1) * c) - log(1 + Double(2 * d - 1) * c) - log(1 - c))
            let i = MutualInformationTask.gaussianInformation(correlation: MutualInformationTasks.dense(d, d, offDiagonal: c), dimX: d, dimY: d)
            XCTAssertEqual(i, expected, accuracy: 1e-10)
        }
    }

    /// Student-t with ν = 1 in 1×1 (bivariate Cauchy with identity dispersion): the closed form
    /// 2h₁ − h₂ with h₁ = ln(4π) (standard Cauchy), h₂ = ln(2π) + 3/2·(ψ(3/2) − ψ(1/2)) = ln(2π) + 3.
    func testStudentCorrectionClosedForm() {
        let expected = 2 * log(4 * Double.pi) - (log(2 * Double.pi) + 3)
        XCTAssertEqual(MutualInformationTask.studentCorrection(dof: 1, dimX: 1, dimY: 1), expected, accuracy: 1e-12)
        // ν → ∞ is the Gaussian: the correction vanishes.
        XCTAssertEqual(MutualInformationTask.studentCorrection(dof: 1e7, dimX: 3, dimY: 3), 0, accuracy: 1e-5)
    }

    func testAdditiveUniformClosedForm() {
        XCTAssertEqual(MutualInformationTasks.task(id: "1v1-additive-0.75")?.mutualInformation ?? .nan, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(MutualInformationTasks.task(id: "1v1-additive-0.1")?.mutualInformation ?? .nan, 0.1 - log(0.2), accuracy: 1e-15)
    }

    /// Invertible transforms keep I: the empirical correlation of the Gaussian scores (ranks →
    /// Φ⁻¹) of a transformed bivariate normal is the base's ρ (0.75) for every monotone map.
    func testMonotoneTransformsKeepRankCorrelation() {
        for id in ["normal_cdf-1v1-normal-0.75", "wiggly-1v1-normal-0.75", "half_cube-1v1-normal-0.75", "1v1-bimodal-0.75"] {
            guard let task = MutualInformationTasks.task(id: id) else { return XCTFail(id) }
            var g = SeededGenerator(seed: 3)
            let (x, y) = task.sample(20_000, using: &g)
            func scores(_ m: Matrix) -> [Double] {
                let order = (0..<m.rows).sorted { m.elements[$0] < m.elements[$1] }
                var s = [Double](repeating: 0, count: m.rows)
                for (r, i) in order.enumerated() { s[i] = normalQuantile(Double(r + 1) / Double(m.rows + 1)) }
                return s
            }
            let a = scores(x), b = scores(y)
            var sab = 0.0, saa = 0.0, sbb = 0.0
            for i in a.indices { sab += a[i] * b[i]; saa += a[i] * a[i]; sbb += b[i] * b[i] }
            XCTAssertEqual(sab / (saa * sbb).squareRoot(), 0.75, accuracy: 0.015, id)
        }
    }
}
