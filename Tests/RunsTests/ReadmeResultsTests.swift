import Foundation
import XCTest
@testable import Notebook
@testable import Report
@testable import Runs

/// Issue 16, item 6 (and issue 15's last acceptance line): the README's results are the
/// runs' numbers. The blocks are regenerated from the committed extracts (docs/results/,
/// written by `entropybook results` from full runs) and compared with README.md.
final class ReadmeResultsTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testReadmeAgreesWithTheCommittedRuns() throws {
        let readmeURL = Self.repository.appendingPathComponent("README.md")
        let readme = try String(contentsOf: readmeURL, encoding: .utf8)
        let blocks = try ReadmeResults.blocks(from: try ReadmeResults.extracts(in: Self.repository.appendingPathComponent("docs/results")))
        let marked = ReadmeResults.sources.map(\.name).filter { readme.contains("<!-- results:\($0) -->") }
        XCTAssertEqual(marked.sorted(), blocks.keys.sorted(), "README.md needs a `<!-- results:NAME -->` block for every source")
        let regenerated = try ReadmeResults.update(readme: readme, blocks: blocks)
        XCTAssert(readme == regenerated, "README.md's results disagree with docs/results/*.json; run `entropybook results` "
            + "(or regenerate the extracts from full runs, README 'Results so far'):\n" + ReadmeResults.lineDiff(readme, regenerated))
    }

    /// Every number in a block comes from the extract: changing one in the run changes the README.
    func testABlockFollowsItsRun() throws {
        let source = try XCTUnwrap(ReadmeResults.source(forNotebook: "notebooks/presentation.md"))
        var run = Self.run(notebook: "notebooks/presentation.md", results: Self.presentationResults(evidence: "spread 26 %"))
        let before = try ReadmeResults.block(source, extract: try ReadmeResults.extract(run: run, source: source))
        XCTAssertTrue(before.contains("| 1 | H(d) has a kink | **partly confirmed** | spread 26 % |"), before)
        XCTAssertTrue(before.contains("correlation dimension is 6.991 in `{dimension}` and 6.991 in `{corrdim}`."), before)
        run = Self.run(notebook: "notebooks/presentation.md", results: Self.presentationResults(evidence: "spread 9 %"))
        let after = try ReadmeResults.block(source, extract: try ReadmeResults.extract(run: run, source: source))
        XCTAssertTrue(after.contains("| spread 9 % |"), after)
        XCTAssertTrue(after.contains("`entropybook run notebooks/presentation.md` started 2026-11-30T01:00:00Z (program abc1234; every cell computed, 2.5 min wall)"), after)
    }

    func testTheExtractKeepsOnlyWhatTheBlockReads() throws {
        let source = try XCTUnwrap(ReadmeResults.source(forNotebook: "presentation.md"))
        var results = Self.presentationResults(evidence: "e")
        results["mnist.curve"] = ["kind": "curve", "series": []]
        let extract = try ReadmeResults.extract(run: Self.run(notebook: "notebooks/presentation.md", results: results), source: source)
        XCTAssertEqual(extract["results"]?.objectValue?.keys.sorted(), source.results.sorted())
        XCTAssertEqual(extract["cells"]?.arrayValue?.first?["seconds"], .number(12))
        XCTAssertNil(extract["cells"]?.arrayValue?.first?["results"])
    }

    func testQuickFailedAndIncompleteRunsAreRefused() throws {
        let source = try XCTUnwrap(ReadmeResults.source(forNotebook: "presentation.md"))
        var quick = Self.run(notebook: "notebooks/presentation.md", results: Self.presentationResults(evidence: "e"))
        quick = Self.setting(quick, "settings", ["quick": true])
        XCTAssertThrowsError(try ReadmeResults.extract(run: quick, source: source)) {
            XCTAssertEqual("\($0)", "notebooks/presentation.md: a quick run; the README's results come from full runs (run without -p quick=true)")
        }
        let failed = Self.setting(Self.run(notebook: "notebooks/presentation.md", results: [:]), "status", "failed")
        XCTAssertThrowsError(try ReadmeResults.extract(run: failed, source: source)) {
            XCTAssertEqual("\($0)", "notebooks/presentation.md: the run's status is failed, not ok; the README needs a finished run")
        }
        XCTAssertThrowsError(try ReadmeResults.extract(run: Self.run(notebook: "notebooks/presentation.md", results: [:]), source: source)) {
            XCTAssertTrue("\($0)".hasPrefix("notebooks/presentation.md: the run stored no `c1.outcome`, "), "\($0)")
        }
    }

    func testUpdateReplacesOnlyBetweenMarkersAndNamesAMissingOne() throws {
        let readme = "a\n<!-- results:x -->\nold\n<!-- /results:x -->\nb\n"
        XCTAssertEqual(try ReadmeResults.update(readme: readme, blocks: ["x": "new"]), "a\n<!-- results:x -->\nnew\n<!-- /results:x -->\nb\n")
        XCTAssertThrowsError(try ReadmeResults.update(readme: readme, blocks: ["y": "new"])) {
            XCTAssertEqual("\($0)", "README has no `<!-- results:y -->` marker")
        }
        XCTAssertEqual(ReadmeResults.lineDiff("a\nold\nb", "a\nnew\nb"), "README.md:2: - old\ngenerated:2: + new")
    }

    // MARK: - Fixtures

    static func presentationResults(evidence: String) -> [String: JSONValue] {
        var results = [String: JSONValue]()
        for i in 1...5 {
            results["c\(i).outcome"] = ["kind": "claim", "statement": .string(i == 1 ? "H(d) has a kink" : "claim \(i)"), "outcome": "partly confirmed",
                                        "evidence": .string(evidence), "numbers": [], "thresholds": [], "rule": "r", "test": "t"]
        }
        results["images"] = ["kind": "table", "columns": [["name": "method"], ["name": "estimate"]],
                             "rows": [["correlation dimension", 6.991]]]
        results["images-corrdim"] = ["kind": "estimate", "value": 6.9912, "details": [:]]
        return results
    }

    static func run(notebook: String, results: [String: JSONValue]) -> JSONValue {
        ["schemaVersion": 2, "notebook": .string(notebook), "status": "ok", "programCommit": "abc1234",
         "started": "2026-11-30T01:00:00Z", "finished": "2026-11-30T01:02:30Z", "settings": ["quick": false, "parameters": [:]],
         "machine": ["cpu": "AMD EPYC", "cores": 2, "memoryGiB": 23.5], "datasets": [],
         "cells": [["label": "all", "directive": "claim", "status": "ok", "seconds": 12, "results": .object(results)]]]
    }

    static func setting(_ run: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var o) = run else { return run }
        o[key] = value
        return .object(o)
    }
}
