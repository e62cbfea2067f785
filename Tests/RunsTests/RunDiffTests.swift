import Foundation
import Linalg
import TestSupport
import XCTest
@testable import Notebook
@testable import Report
@testable import Runs

let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("templates")

/// A cell with one number that depends on its seed and others that do not.
enum SeededDirective: Directive {
    static let name = "seeded"
    static let summary = "test: a seed-dependent draw beside fixed numbers"
    static let parameters: [Parameter] = []
    static let results: [ResultSlot] = [ResultSlot(kind: .estimate, doc: "a draw"), ResultSlot("fixed", kind: .table, doc: "fixed")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        var generator = context.generator("draw")
        let draw = Double(generator.next() % 1000) / 1000
        return CellResult(values: [
            "": EstimateValue(name: "draw", value: draw, standardError: 0.5, unit: "nats", details: [.init("n", 100)]),
            "fixed": Table(title: "fixed", columns: ["rule", "d"], rows: [["argmax", "3"], ["elbow", "4"]]),
        ])
    }
}

/// Issue 16, item 5: `entropybook diff`.
final class RunDiffTests: XCTestCase {
    private func runJSON(seed: Int) throws -> JSONValue {
        let markdown = "---\nseed: \(seed)\n---\n\n```{seeded}\nid: a\n```\n\nThe draw is `{=a:.3f}`, n = `{=a.detail.n}`.\n"
        let (document, _) = NotebookParser.parse(markdown, file: "nb.md")
        let plan = try Validator(registry: [SeededDirective.self]).plan(document).get()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("entropybook-diff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = NotebookRun(plan: plan, notebookPath: "nb.md", outputDirectory: out,
                              templates: try Templates(directory: templates), dataDirectory: out)
        try run.run()
        return try RunDiff.load(out.path)
    }

    func testDiffOfTwoSeedsNamesExactlyTheSeedDependentNumbers() throws {
        let (one, two) = (try runJSON(seed: 1), try runJSON(seed: 2))
        let same = RunDiff(old: one, new: one, rtol: 0, atol: 0)
        XCTAssertTrue(same.isWithinTolerance)
        let diff = RunDiff(old: one, new: two, rtol: 1e-9, atol: 0)
        XCTAssertEqual(diff.flips, [])
        XCTAssertEqual(diff.changes.map { "\($0.result) \($0.field)" }, ["a value", "inline values {=a:.3f} line 9"])
        XCTAssertEqual(diff.compared, 7) // value, se, n, two table cells, two inline values
    }

    func testDiffOutputGolden() throws {
        let old: JSONValue = ["cells": [["results": [
            "k3.dimension": ["kind": "estimate", "value": 3, "se": .null, "unit": .null, "details": ["argmax H": 3, "MSE elbow": 3]],
            "k3.verdict": ["kind": "table", "columns": [["name": "rule"], ["name": "d (median curve)"]],
                           "rows": [["argmax H", 3], ["verdict", 3]]],
            "c1": ["kind": "table", "columns": [["name": "claim"], ["name": "status"]], "rows": [["H(d) has a kink", "confirmed"]]],
            "k3": ["kind": "curve", "xLabel": "d", "series": [["name": "LOO", "x": [1, 2], "y": [1.431, 2.839], "lower": .null, "upper": .null]]],
        ]]]]
        let new: JSONValue = ["cells": [["results": [
            "k3.dimension": ["kind": "estimate", "value": .null, "se": .null, "unit": .null, "details": ["argmax H": 3, "MSE elbow": 4]],
            "k3.verdict": ["kind": "table", "columns": [["name": "rule"], ["name": "d (median curve)"]],
                           "rows": [["argmax H", 3], ["verdict", "not resolvable"]]],
            "c1": ["kind": "table", "columns": [["name": "claim"], ["name": "status"]], "rows": [["H(d) has a kink", "partly confirmed"]]],
            "k3": ["kind": "curve", "xLabel": "d", "series": [["name": "LOO", "x": [1, 2], "y": [1.431, 2.8391], "lower": .null, "upper": .null]]],
        ]]]]
        let diff = RunDiff(old: old, new: new, rtol: 1e-6, atol: 0)
        XCTAssertFalse(diff.isWithinTolerance)
        try assertGolden(diff.rendered(rtol: 1e-6, atol: 0), "diff.txt")
        XCTAssertTrue(RunDiff(old: old, new: new, rtol: 0, atol: 2).flips.count == 3, "tolerances never hide a flip")
    }

    /// Issue 24: a wall-clock time inside a table is not a result. Two runs that differ only
    /// in a `time` cell are equal; the same change in a measurement is named.
    func testTimesInsideTablesAreNotCompared() throws {
        func run(seconds: Double, entropy: Double) -> JSONValue {
            let table = Table(title: "H(d)", columns: ["d", "H LOO (nats)", "train s"], cells: [
                [.parameter(3), .number(Table.Number(entropy, lower: entropy - 0.1, upper: entropy + 0.1)), .time(seconds)],
            ])
            return ["cells": [["results": ["curve.table": table.record]]]]
        }
        let same = RunDiff(old: run(seconds: 1.2, entropy: 4.25), new: run(seconds: 3.9, entropy: 4.25), rtol: 1e-9, atol: 0)
        XCTAssertTrue(same.isWithinTolerance, same.rendered(rtol: 1e-9, atol: 0))
        XCTAssertEqual(same.compared, 3, "H's value, lower and upper; d names the row; the time is left out")
        let changed = RunDiff(old: run(seconds: 1.2, entropy: 4.25), new: run(seconds: 1.2, entropy: 4.5), rtol: 1e-9, atol: 0)
        XCTAssertEqual(changed.changes.map(\.field), ["3 · H LOO (nats) · lower", "3 · H LOO (nats) · upper", "3 · H LOO (nats) · value"])
        // A time in a column of other roles is marked on the cell and skipped just the same.
        func mixed(_ seconds: Double) -> JSONValue {
            let table = Table(columns: ["what", "value"], cells: [[.text("n"), .count(100)], [.text("took"), .time(seconds)]])
            return ["cells": [["results": ["t": table.record]]]]
        }
        XCTAssertTrue(RunDiff(old: mixed(1), new: mixed(2), rtol: 0, atol: 0).isWithinTolerance)
    }

    /// Typed cells keep the computed number in run.json and show it formatted only in the report.
    func testTypedCellsStoreNumbersAndRenderFormatted() {
        let table = Table(columns: ["method", "estimate", "± SE", "share", "s"], cells: [
            [.text("MLE"), .measurement(3.0671234), .measurement(0.0123456, digits: 2), .percent(0.474), .time(12.345)],
            [.text("TwoNN"), .measurement(.nan), .empty, .verdict("not resolvable"), .time(1)],
        ])
        XCTAssertEqual(table.rows, [["MLE", "3.067", "0.012", "47 %", "12"], ["TwoNN", "—", "", "not resolvable", "1"]])
        let record = table.record
        XCTAssertEqual(record["rows"], [["MLE", 3.0671234, 0.0123456, ["value": 0.474, "role": "measurement"], 12.345],
                                        ["TwoNN", .null, .null, "not resolvable", 1]])
        XCTAssertEqual(record["columns"]?.arrayValue?.compactMap { $0["role"]?.stringValue },
                       ["text", "measurement", "measurement", "mixed", "time"])
        // Formatted text (the initializer directives used before typed cells) keeps its text
        // and is typed as before; a column named for seconds holds times.
        let legacy = Table(columns: ["d", "H", "train s"], rows: [["3", "1.2 [1.1–1.35]", "0.52"]])
        XCTAssertEqual(legacy.rows, [["3", "1.2 [1.1–1.35]", "0.52"]])
        XCTAssertEqual(legacy.record["rows"], [[3, ["value": 1.2, "lower": 1.1, "upper": 1.35], 0.52]])
        XCTAssertEqual(legacy.record["columns"]?.arrayValue?[2]["role"], "time")
    }

    /// Issue 24: a cell without `id:` stores its results under `DIRECTIVE-N` (N its place
    /// among that directive's cells), which run.json holds and the prose can quote; an id the
    /// notebook takes itself is not reused, and the cell's seed does not change.
    func testCellWithoutIDStoresItsResultsUnderAGeneratedID() throws {
        let markdown = """
            ```{seeded}
            ```

            ```{seeded}
            id: seeded-2
            ```

            ```{seeded}
            ```

            The first cell's draw is `{=seeded-1:.3f}`, its table's `{=seeded-1.fixed.elbow.d}`.
            """
        let (document, _) = NotebookParser.parse(markdown, file: "nb.md")
        let plan = try Validator(registry: [SeededDirective.self]).plan(document).get()
        XCTAssertEqual(plan.cells.map(\.resultID), ["seeded-1", "seeded-2", "seeded-3"])
        XCTAssertEqual(plan.cells.map(\.label), ["cell-1", "seeded-2", "cell-3"], "file names and seeds keep the position")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("entropybook-genid-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        try NotebookRun(plan: plan, notebookPath: "nb.md", outputDirectory: out,
                        templates: try Templates(directory: templates), dataDirectory: out).run()
        let run = try RunDiff.load(out.path)
        let results = run["cells"]?.arrayValue?.map { Set($0["results"]?.objectValue?.keys.map { $0 } ?? []) }
        XCTAssertEqual(results, [["seeded-1", "seeded-1.fixed"], ["seeded-2", "seeded-2.fixed"], ["seeded-3", "seeded-3.fixed"]])
        let inline = run["inlineValues"]?.arrayValue ?? []
        XCTAssertEqual(inline.map { $0["status"] }, ["ok", "ok"])
        XCTAssertEqual(inline.last?["text"], "4")
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<code>seeded-1</code>"), "the report lists the generated id under its cell")
    }
}
