import Foundation
import Linalg
@testable import MutualInformation
import XCTest

/// d independent pairs (xₖ, yₖ) of standard normals with correlation ρ:
/// I(X;Y) = −(d/2)·ln(1 − ρ²) nats (Cover & Thomas, Example 8.5.1, summed over independent pairs).
func correlatedGaussians(rows n: Int, pairs d: Int, rho: Double, seed: UInt64) -> (x: Matrix, y: Matrix, truth: Double) {
    var g = SeededGenerator(seed: seed)
    var x = Matrix(rows: n, columns: d), y = Matrix(rows: n, columns: d)
    let s = (1 - rho * rho).squareRoot()
    for i in 0..<n {
        for k in 0..<d {
            let a = g.normal(), b = g.normal()
            x.elements[i * d + k] = Float(a)
            y.elements[i * d + k] = Float(rho * a + s * b)
        }
    }
    return (x, y, -0.5 * Double(d) * log(1 - rho * rho))
}

final class NeuralCriticTests: XCTestCase {
    /// Small, fast settings: the bmi critic (16-8, lr 0.1) on fewer rows and steps.
    func quickOptions(_ objective: CriticObjective, seed: UInt64 = 1) -> NeuralCriticOptions {
        NeuralCriticOptions(objective: objective, batchSize: 128, maximumSteps: 1_500, learningRate: 0.01,
                            evaluationInterval: 100, patience: 3, seed: seed)
    }

    func testBackwardPassMatchesFiniteDifferences() throws {
        for objective in CriticObjective.allCases {
            let (x, y, _) = correlatedGaussians(rows: 6, pairs: 2, rho: 0.7, seed: 3)
            let architecture = try CriticArchitecture(xDimension: 2, yDimension: 2, hidden: [5, 3])
            var g = SeededGenerator(seed: 9)
            let theta = architecture.initialParameters(generator: &g).map { $0 + Float(g.normal() * 0.05) }
            let trainer = CriticTrainer(architecture: architecture, batchSize: 6, parameters: theta)
            let (_, gradient) = trainer.boundAndGradient(x: x, y: y, parameters: theta, objective: objective)
            // Central differences with h = 2e-3: the bound is computed from Float32 scores, so
            // round-off ≈ 1e-6/h = 5e-4, and truncation O(h²·f‴) is far smaller. A parameter
            // whose ±h moves some pair's hidden pre-activation across a ReLU kink (the one-sided
            // slopes disagree by more than curvature explains) has no derivative to compare and
            // is skipped; few may be.
            let h: Float = 2e-3
            let centre = trainer.boundAndGradient(x: x, y: y, parameters: theta, objective: objective).0
            var skipped = 0
            for k in 0..<theta.count {
                var plus = theta, minus = theta
                plus[k] += h
                minus[k] -= h
                let up = trainer.boundAndGradient(x: x, y: y, parameters: plus, objective: objective).0
                let down = trainer.boundAndGradient(x: x, y: y, parameters: minus, objective: objective).0
                let numeric = -(up - down) / Double(2 * h)
                let right = -(up - centre) / Double(h), left = -(centre - down) / Double(h)
                if abs(right - left) > 0.02 * max(1, abs(numeric)) { skipped += 1; continue }
                XCTAssertEqual(Double(gradient[k]), numeric, accuracy: 2e-3 * max(1, abs(numeric)), "\(objective) parameter \(k)")
            }
            XCTAssertLessThan(skipped, theta.count / 4, "\(objective): \(skipped) of \(theta.count) parameters at a kink")
        }
    }

    func testInfoNCEOnCorrelatedGaussiansIsNearTheTruthAndBelowLnM() throws {
        // 2 pairs, ρ = 0.8: I = −ln(0.36) = 1.0217 nats, far below ln m = ln 1000 = 6.9, where
        // InfoNCE is nearly unbiased once the critic fits.
        let (x, y, truth) = correlatedGaussians(rows: 2_000, pairs: 2, rho: 0.8, seed: 11)
        let result = try NeuralCritic.estimate(x: x, y: y, options: quickOptions(.infoNCE))
        let e = result.estimate
        XCTAssertEqual(result.testRows, 1_000)
        XCTAssertLessThanOrEqual(e.value, log(1_000.0))
        // The held-out standard error here is ≈ 0.03; a 16-8 critic after ≤ 1 500 steps falls
        // short of the optimum by a few hundredths: 0.15 nats is about 5 standard errors.
        XCTAssertEqual(e.value, truth, accuracy: 0.15, "\(e)")
        let lower = try XCTUnwrap(e.lower), upper = try XCTUnwrap(e.upper)
        let se = try XCTUnwrap(e.details["standardError"])
        XCTAssertEqual(upper - lower, 2 * 1.96 * se, accuracy: 1e-9)
        XCTAssertTrue(lower < e.value && e.value < upper)
    }

    func testNWJOnCorrelatedGaussiansIsNearTheTruth() throws {
        let (x, y, truth) = correlatedGaussians(rows: 2_000, pairs: 2, rho: 0.8, seed: 11)
        let result = try NeuralCritic.estimate(x: x, y: y, options: quickOptions(.nwj))
        // NWJ's variance grows like e^I (Poole et al. 2019, §2.2): at I ≈ 1 nat its held-out
        // standard error over m = 1 000 rows is ≈ 0.05, so the same 0.15-nat tolerance.
        XCTAssertEqual(result.estimate.value, truth, accuracy: 0.15, "\(result.estimate)")
    }

    func testInfoNCENeverExceedsLnOfTheHeldOutRows() throws {
        // 5 pairs with ρ = 0.99: I = 9.8 nats, far above ln m = ln 100 = 4.6 and ln B = ln 32.
        let (x, y, truth) = correlatedGaussians(rows: 400, pairs: 5, rho: 0.99, seed: 5)
        XCTAssertGreaterThan(truth, 9)
        var options = quickOptions(.infoNCE)
        options.batchSize = 32
        options.testFraction = 0.25
        options.maximumSteps = 600
        let result = try NeuralCritic.estimate(x: x, y: y, options: options)
        XCTAssertEqual(result.testRows, 100)
        let bound = log(100.0)
        XCTAssertLessThanOrEqual(result.estimate.value, bound + 1e-9)
        // It saturates: a critic that separates the pairs reaches close to the cap.
        XCTAssertGreaterThan(result.estimate.value, bound - 1, "\(result.estimate)")
        for record in result.history { XCTAssertLessThanOrEqual(record.trainingBound, log(32.0) + 1e-6) }
    }

    func testIndependentVariablesReadNearZero() throws {
        let (x, _, _) = correlatedGaussians(rows: 1_000, pairs: 2, rho: 0, seed: 21)
        let (y, _, _) = correlatedGaussians(rows: 1_000, pairs: 2, rho: 0, seed: 22)
        let result = try NeuralCritic.estimate(x: x, y: y, options: quickOptions(.infoNCE))
        // Keeping the best of several held-out evaluations favours positive noise; the
        // standard error over 500 rows is ≈ 0.01, so 0.05 nats leaves room for that optimism.
        XCTAssertEqual(result.estimate.value, 0, accuracy: 0.05, "\(result.estimate)")
    }

    func testTheSameSeedGivesTheSameEstimate() throws {
        let (x, y, _) = correlatedGaussians(rows: 300, pairs: 1, rho: 0.6, seed: 2)
        var options = quickOptions(.nwj, seed: 4)
        options.maximumSteps = 40
        options.evaluationInterval = 20
        let a = try NeuralCritic.estimate(x: x, y: y, options: options)
        let b = try NeuralCritic.estimate(x: x, y: y, options: options)
        XCTAssertEqual(a.estimate.value, b.estimate.value)
        XCTAssertEqual(a.parameters, b.parameters)
        options.seed = 5
        let c = try NeuralCritic.estimate(x: x, y: y, options: options)
        XCTAssertNotEqual(a.parameters, c.parameters)
    }

    func testProgressIsReportedAtEveryEvaluation() throws {
        let (x, y, _) = correlatedGaussians(rows: 300, pairs: 1, rho: 0.6, seed: 2)
        var options = quickOptions(.infoNCE)
        options.maximumSteps = 50
        options.evaluationInterval = 20
        options.patience = nil
        var steps = [Int]()
        let result = try NeuralCritic.estimate(x: x, y: y, options: options) { steps.append($0.step) }
        XCTAssertEqual(steps, [20, 40, 50])
        XCTAssertEqual(result.history.map(\.step), steps)
        XCTAssertFalse(result.stoppedEarly)
    }

    func testTheHeldOutRowsAreCappedAndTheRestStillTrain() throws {
        let (x, y, _) = correlatedGaussians(rows: 300, pairs: 1, rho: 0.6, seed: 2)
        var options = quickOptions(.infoNCE)
        options.maximumSteps = 20
        options.maximumTestRows = 50
        let result = try NeuralCritic.estimate(x: x, y: y, options: options)
        XCTAssertEqual(result.testRows, 50)
        XCTAssertEqual(result.trainingRows, 150)
        XCTAssertLessThanOrEqual(result.estimate.value, log(50.0))
        options.batchSize = 20_000
        XCTAssertThrowsError(try NeuralCritic.estimate(x: x, y: y, options: options)) { error in
            XCTAssertTrue("\(error)".contains("1 GiB"), "\(error)")
        }
    }

    func testACancellationRequestStopsTraining() throws {
        let (x, y, _) = correlatedGaussians(rows: 300, pairs: 1, rho: 0.6, seed: 2)
        Cancellation.request()
        defer { Cancellation.reset() }
        XCTAssertThrowsError(try NeuralCritic.estimate(x: x, y: y, options: quickOptions(.infoNCE))) { error in
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
    }

    func testBadInputsAreErrorsNotCrashes() throws {
        let (x, y, _) = correlatedGaussians(rows: 100, pairs: 1, rho: 0.6, seed: 2)
        XCTAssertThrowsError(try NeuralCritic.estimate(x: x, y: y.rows(in: 0..<99), options: quickOptions(.infoNCE)))
        var bad = x
        bad.elements[3] = .nan
        XCTAssertThrowsError(try NeuralCritic.estimate(x: bad, y: y, options: quickOptions(.infoNCE)))
        XCTAssertThrowsError(try NeuralCritic.estimate(x: x.rows(in: 0..<2), y: y.rows(in: 0..<2), options: quickOptions(.infoNCE)))
        var options = quickOptions(.infoNCE)
        options.hidden = []
        XCTAssertThrowsError(try NeuralCritic.estimate(x: x, y: y, options: options))
        // A batch larger than the training rows is clamped to them.
        options = quickOptions(.infoNCE)
        options.batchSize = 1_000
        options.maximumSteps = 5
        XCTAssertEqual(try NeuralCritic.estimate(x: x, y: y, options: options).estimate.details["batchSize"], 50)
    }
}
