import Directives
import Foundation
import XCTest
@testable import Notebook

/// Issue 28's cost model on the repository's own notebooks: every cell of every notebook in
/// notebooks/ is listed by `check --estimate --json`, and every directive that does work
/// has an estimate (memory and time) — so a new directive, or a new cell in a notebook,
/// cannot go unpriced. Speeds are fixed: no timing is asserted, only coverage.
final class NotebookEstimateTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    private let speeds = MachineSpeeds(matrixFlopsPerSecond: 1e10, exponentialsPerSecond: 1e8, elementOperationsPerSecond: 1e9)

    /// Directives that hold and compute nothing sizeable: their cells are listed at 0 s.
    private static let free: Set<String> = ["config", "table", "claim"]

    private func notebooks() throws -> [URL] {
        let directory = Self.repository.appendingPathComponent("notebooks")
        let urls = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertFalse(urls.isEmpty, "no notebooks under \(directory.path)")
        return urls
    }

    private func plan(_ url: URL, quick: Bool) throws -> Plan? {
        let source = try String(contentsOf: url, encoding: .utf8)
        let (document, _) = NotebookParser.parse(source, file: url.lastPathComponent)
        let validator = Validator(overrides: quick ? ["quick": "true"] : [:], registry: DirectiveRegistry.all,
                                  budget: ResourceBudget(memoryLimit: 1e15, speeds: speeds))
        switch validator.plan(document) {
        case .success(let plan): return plan
        case .failure(let failure):
            XCTFail("\(url.lastPathComponent) does not plan: \(failure.diagnostics.map(\.description))")
            return nil
        }
    }

    func testEveryCellOfEveryNotebookIsInTheEstimate() throws {
        for url in try notebooks() {
            for quick in [false, true] {
                guard let plan = try plan(url, quick: quick) else { continue }
                let name = "\(url.lastPathComponent)\(quick ? " (quick)" : "")"
                XCTAssertEqual(plan.estimates.count, plan.cells.count, "\(name): cells without an estimate line")
                XCTAssertEqual(plan.estimates.map(\.line), plan.cells.map(\.cell.location.line), name)
                XCTAssertEqual(Set(plan.estimates.map(\.id)).count, plan.estimates.count, "\(name): estimate ids repeat")
                XCTAssert(plan.estimatedSeconds.isFinite && plan.estimatedSeconds > 0, "\(name): \(plan.estimatedSeconds)")
            }
        }
    }

    func testEveryDirectiveOfEveryNotebookHasATimeAndMemoryEstimate() throws {
        var seen = Set<String>()
        for url in try notebooks() {
            for quick in [false, true] {
                guard let plan = try plan(url, quick: quick) else { continue }
                for e in plan.estimates where !Self.free.contains(e.directive) {
                    seen.insert(e.directive)
                    XCTAssert(e.seconds > 0 && e.seconds.isFinite,
                              "\(url.lastPathComponent):\(e.line): {\(e.directive)} has no time estimate (\(e.seconds) s)")
                    XCTAssertNotNil(e.timeExplanation, "\(url.lastPathComponent):\(e.line): {\(e.directive)} does not say how its time is made up")
                    if e.directive != "plot" {
                        XCTAssert(e.memoryBytes > 0, "\(url.lastPathComponent):\(e.line): {\(e.directive)} has no memory estimate")
                    }
                }
            }
        }
        XCTAssert(seen.isSuperset(of: ["classifier", "information-plane", "verdict-calibration", "dimension-benchmark", "mi-benchmark"]),
                  "\(seen)")
    }

    /// `{mutual-information}`, which no repository notebook uses, is priced from its rows,
    /// its estimator and its re-estimates.
    func testMutualInformationIsPriced() throws {
        func seconds(_ estimator: String, n: Int, splits: Int = 5) -> Double {
            let source = """
            ```{dataset}
            id: x
            kind: sphere
            k: 2
            n: \(n)
            ```

            ```{dataset}
            id: y
            kind: sphere
            k: 2
            n: \(n)
            ```

            ```{mutual-information}
            x: x
            y: y
            estimator: \(estimator)
            splits: \(splits)
            ```
            """
            let (document, _) = NotebookParser.parse(source, file: "nb.md")
            guard case .success(let plan) = Validator(registry: DirectiveRegistry.all, budget: ResourceBudget(memoryLimit: 1e15, speeds: speeds))
                .plan(document), let e = plan.estimates.last else { XCTFail("does not plan"); return .nan }
            XCTAssertEqual(e.directive, "mutual-information")
            return e.seconds
        }
        XCTAssertGreaterThan(seconds("ksg", n: 2000), 0)
        XCTAssertLessThan(seconds("ksg", n: 1000), seconds("ksg", n: 4000))
        XCTAssertLessThan(seconds("ksg", n: 2000, splits: 2), seconds("ksg", n: 2000, splits: 10))
        XCTAssertLessThan(seconds("gaussian", n: 2000), seconds("ksg", n: 2000))
    }

    /// The work a full run does is more than its quick mode's, for every notebook.
    func testQuickModeIsCheaper() throws {
        for url in try notebooks() {
            guard let full = try plan(url, quick: false), let quick = try plan(url, quick: true) else { continue }
            XCTAssertLessThanOrEqual(quick.estimatedSeconds, full.estimatedSeconds, url.lastPathComponent)
        }
    }
}
