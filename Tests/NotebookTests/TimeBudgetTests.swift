import Directives
import Foundation
import XCTest
@testable import Notebook

/// Issue 28's cost model: every cell prices its arguments in work (flops of epochs,
/// distance blocks, kernel sums) times the machine's speeds, and `--time-limit` refuses a
/// notebook over budget before anything runs, at the cell and parameter that drive it.
/// Speeds are fixed here, so the numbers are the model's, not this machine's.
final class TimeBudgetTests: XCTestCase {
    private let speeds = MachineSpeeds(matrixFlopsPerSecond: 1e10, exponentialsPerSecond: 1e8, elementOperationsPerSecond: 1e9)

    private func plan(_ source: String, timeLimit: Double? = nil) -> Result<Plan, ValidationFailure> {
        let (document, _) = NotebookParser.parse(source, file: "nb.md")
        return Validator(registry: DirectiveRegistry.all, budget: ResourceBudget(memoryLimit: 16e9, timeLimit: timeLimit, speeds: speeds))
            .plan(document)
    }

    private func seconds(_ source: String) -> Double {
        guard case .success(let p) = plan(source) else { XCTFail("does not plan: \(source)"); return .nan }
        return p.estimatedSeconds
    }

    private func sweep(n: Int = 1000, dims: String = "1...4", repeats: Int = 1, epochs: Int = 5, monteCarlo: Int = 500) -> String {
        """
        ```{dataset}
        id: x
        kind: sphere
        k: 2
        n: \(n)
        ```

        ```{entropy-curve}
        data: x
        dims: \(dims)
        repeats: \(repeats)
        monte-carlo: \(monteCarlo)
        autoencoder:
          epochs: \(epochs)
        ```
        """
    }

    func testEstimatesGrowWithTheParametersThatDriveThem() {
        let cases: [(String, [String])] = [
            ("epochs", [5, 10, 40, 200].map { sweep(epochs: $0) }),
            ("dims", ["1...2", "1...4", "1...8", "1...16"].map { sweep(dims: $0) }),
            ("repeats", [1, 2, 5].map { sweep(repeats: $0) }),
            ("n", [500, 1000, 4000, 20000].map { sweep(n: $0) }),
            ("monte-carlo", [0, 500, 5000].map { sweep(monteCarlo: $0) }),
        ]
        for (parameter, sources) in cases {
            let estimates = sources.map(seconds)
            for (a, b) in zip(estimates, estimates.dropFirst()) {
                XCTAssertLessThan(a, b, "the estimate does not grow with `\(parameter)`: \(estimates)")
            }
        }
    }

    func testEveryCellIsListedWithItsLineAndMemory() throws {
        guard case .success(let p) = plan(sweep()) else { return XCTFail("does not plan") }
        XCTAssertEqual(p.estimates.map(\.id), ["x", "cell-2"])
        XCTAssertEqual(p.estimates.map(\.line), [1, 8])
        XCTAssert(p.estimates.allSatisfy { $0.seconds > 0 && $0.memoryBytes > 0 }, "\(p.estimates)")
        XCTAssertEqual(p.estimatedSeconds, p.estimates.map(\.seconds).reduce(0, +), accuracy: 1e-9)
    }

    func testOverBudgetIsRefusedAtTheCellAndParameterThatDriveIt() {
        let cases: [(source: String, line: Int, parameter: String)] = [
            (sweep(epochs: 5000), 14, "autoencoder.epochs"),
            (sweep(dims: "1...64"), 10, "dims"),
            (sweep(repeats: 20), 11, "repeats"),
        ]
        for (source, line, parameter) in cases {
            guard case .failure(let failure) = plan(source, timeLimit: 1) else { XCTFail("not refused: \(parameter)"); continue }
            XCTAssertEqual(failure.diagnostics.count, 1)
            let message = failure.diagnostics.first?.description ?? ""
            XCTAssert(message.hasPrefix("nb.md:\(line):1: error: {entropy-curve} `cell-2` would take about "), message)
            XCTAssert(message.contains("over the time limit of 1.0 s; lower `\(parameter)`, or raise --time-limit"), message)
            XCTAssertEqual(failure.diagnostics.first?.parameter, parameter)
        }
        if case .failure(let failure) = plan(sweep(), timeLimit: 3600) { XCTFail("refused under budget: \(failure.diagnostics)") }
    }

    func testDurationsParse() {
        XCTAssertEqual(parseDuration("10s"), 10)
        XCTAssertEqual(parseDuration("1.5h"), 5400)
        XCTAssertEqual(parseDuration("10 min"), 600)
        XCTAssertEqual(parseDuration("90"), 90)
        for bad in ["", "s", "-1s", "0", "tens"] { XCTAssertNil(parseDuration(bad), bad) }
    }

    func testSpeedsAreKeptBesideTheCacheAndReadBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eb-speeds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = MachineSpeeds.file(besideCache: directory.appendingPathComponent(".cache"))
        XCTAssertEqual(file.lastPathComponent, ".cache-speeds.json")
        let measured = MachineSpeeds.load(from: file, threads: 1)
        XCTAssertGreaterThan(measured.matrixFlopsPerSecond, 0)
        XCTAssertEqual(MachineSpeeds.load(from: file, threads: 1), measured, "the second load reads the file")
    }
}
