import Foundation
import Linalg
import TestSupport
import XCTest
@testable import Notebook
@testable import Report

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
}
