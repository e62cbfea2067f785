import Foundation
import TestSupport
import XCTest
@testable import Notebook
@testable import Report
@testable import Runs

/// Issue 16, items 1–3 in the report: inline values in the text (escaped, with units,
/// recorded in run.json), numbered cross-references, a marked placeholder for a value of a
/// failed cell, and every result's numbers in run.json.
final class InlineValueReportTests: XCTestCase {
    private var lastRunJSON = Data()

    private func run(_ markdown: String) throws -> (html: String, manifest: JSONValue) {
        let (document, diagnostics) = NotebookParser.parse(markdown, file: "nb.md")
        XCTAssertEqual(diagnostics, [])
        let plan = try Validator(registry: [NumbersDirective.self, ExplodeDirective.self]).plan(document).get()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("entropybook-inline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let notebookRun = NotebookRun(plan: plan, notebookPath: "nb.md", outputDirectory: out,
                                      templates: try Templates(directory: templates), dataDirectory: out)
        notebookRun.programCommit = nil
        try notebookRun.run()
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        lastRunJSON = try Data(contentsOf: out.appendingPathComponent("run.json"))
        let manifest = try JSONDecoder().decode(JSONValue.self, from: lastRunJSON)
        return (html, manifest)
    }

    private let notebook = """
        ```{numbers}
        id: nums
        ```

        ```{explode}
        id: boom
        ```

        H is `{=nums:.2f}` (± `{=nums.se:.1e}`) in `{=nums.unit}`.
        See @fig-nums, @fig-nums.curve, @tbl-nums and @cell-boom. Lost: `{=boom}`.

        """

    func testInlineValuesAreTextWithUnits() throws {
        let (html, _) = try run(notebook)
        XCTAssertTrue(html.contains("H is <span class=\"inline-value\" title=\"{=nums:.2f}\">1.42 nats</span>"), html)
        XCTAssertTrue(html.contains("(± <span class=\"inline-value\" title=\"{=nums.se:.1e}\">1.0e-02 nats</span>)"))
        XCTAssertTrue(html.contains("in <span class=\"inline-value\" title=\"{=nums.unit}\">nats</span>."))
    }

    func testCrossReferencesBecomeNumberedLinks() throws {
        let (html, _) = try run(notebook)
        XCTAssertTrue(html.contains("See <a class=\"xref\" href=\"#fig-nums-curve\">Figure 1</a>, <a class=\"xref\" href=\"#fig-nums-curve\">Figure 1</a>, "
            + "<a class=\"xref\" href=\"#tbl-nums-1\">Table 1</a> and <a class=\"xref\" href=\"#cell-boom\">Cell 2</a>."), html)
        XCTAssertTrue(html.contains("<figure id=\"fig-nums-curve\">"))
        XCTAssertTrue(html.contains("id=\"tbl-nums-1\""))
    }

    func testValueOfAFailedCellIsAMarkedPlaceholderLinkingToTheFailure() throws {
        let (html, manifest) = try run(notebook)
        XCTAssertTrue(html.contains("Lost: <a class=\"inline-value unavailable\" href=\"#cell-boom\">⚠ {=boom} <small>(its cell failed)</small></a>."), html)
        guard case .array(let values)? = manifest["inlineValues"] else { return XCTFail("no inlineValues") }
        XCTAssertEqual(values.map { $0["text"]?.stringValue ?? "" }, ["1.42 nats", "1.0e-02 nats", "nats", "{=boom} (its cell failed)"])
        XCTAssertEqual(values.map { $0["status"]?.stringValue ?? "" }, ["ok", "ok", "ok", "failed"])
        XCTAssertEqual(values.first?["value"], .number(1.4189))
        XCTAssertEqual(values.first?["line"], .number(9))
    }

    func testRunJSONCarriesEveryNumberOfEachResult() throws {
        let (_, manifest) = try run(notebook)
        XCTAssertEqual(manifest["schemaVersion"], .number(2))
        guard case .array(let cells)? = manifest["cells"], let nums = cells.first?["results"]?["nums"] else { return XCTFail("no results") }
        XCTAssertEqual(nums["kind"], "estimate")
        XCTAssertEqual(nums["value"], .number(1.4189))
        XCTAssertEqual(nums["se"], .number(0.01))
        XCTAssertEqual(nums["unit"], "nats")
    }

    func testTypedTableCells() {
        XCTAssertEqual(Table.typedCell("−0.25"), .number(-0.25))
        XCTAssertEqual(Table.typedCell("3.97e-04"), .number(3.97e-4))
        XCTAssertEqual(Table.typedCell("—"), .null)
        XCTAssertEqual(Table.typedCell("1.2 [1.1–1.35]"), ["value": 1.2, "lower": 1.1, "upper": 1.35])
        XCTAssertEqual(Table.typedCell("[-2.11–-1.41]"), .string("[-2.11–-1.41]"))
        XCTAssertEqual(Table.typedCell("not resolvable"), "not resolvable")
        XCTAssertEqual(Table.unit(ofColumn: "H LOO (nats)"), "nats")
        XCTAssertNil(Table.unit(ofColumn: "d (median curve)"))
    }

    /// The schema accepts this run's run.json (a failed cell, a placeholder, every result
    /// kind of the test directives) and rejects a record whose number became text.
    func testRunJSONSchemaAcceptsTheRunAndRejectsAWrongType() throws {
        _ = try run(notebook)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let schema = try JSONSchemaCheck(schema: Data(contentsOf: root.appendingPathComponent("schemas/run.schema.json")))
        XCTAssertEqual(schema.violations(of: try JSONDecoder().decode(JSONDocument.self, from: lastRunJSON)), [])
        let broken = String(decoding: lastRunJSON, as: UTF8.self).replacingOccurrences(of: "\"value\" : (1\\.4189[0-9]*)", with: "\"value\" : \"$1\"", options: .regularExpression)
        XCTAssertNotEqual(broken, String(decoding: lastRunJSON, as: UTF8.self))
        XCTAssertFalse(schema.violations(of: try JSONDecoder().decode(JSONDocument.self, from: Data(broken.utf8))).isEmpty)
    }
}
