import Directives
import Foundation
import XCTest
@testable import Notebook
@testable import Readme

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

    /// Issue 24: the blocks read records through their declarations (`DeclaredRecord` and the
    /// declared field constants, `Table.StoredRecord`), so what the value types store — under
    /// whatever names their declarations give the fields — is what the block prints.
    func testBlocksReadTheFieldsTheValuesDeclare() throws {
        let source = try XCTUnwrap(ReadmeResults.source(forNotebook: "notebooks/synthetic.md"))
        for dimension in [3, nil] {
            let run = Self.run(notebook: "notebooks/synthetic.md", results: try Self.syntheticResults(dimension: dimension))
            let block = try ReadmeResults.block(source, extract: try ReadmeResults.extract(run: run, source: source))
            XCTAssertTrue(block.contains(dimension == nil ? "| not resolvable | 3.10 | 2.90 | 2.80 |" : "| **3** | 3.10 | 2.90 | 2.80 |"), block)
            XCTAssertTrue(block.contains("| k2 | 3 | 3 | — | 4 |"), block)
            XCTAssertTrue(block.contains("- k8: bends at 3"), block)
        }
    }

    /// A record without a field a block reads (an extract written before the field was renamed
    /// in its declaration) is refused by the field's name, never printed as "—".
    func testARecordWithoutADeclaredFieldIsRefusedByName() throws {
        let source = try XCTUnwrap(ReadmeResults.source(forNotebook: "notebooks/synthetic.md"))
        var results = try Self.syntheticResults(dimension: 3)
        guard case .object(var verdict)? = results["k4.verdict"] else { return XCTFail("no verdict record") }
        verdict["intrinsicDimension"] = verdict.removeValue(forKey: DimensionVerdictValue.Field.dimension.name)
        results["k4.verdict"] = .object(verdict)
        let extract = try ReadmeResults.extract(run: Self.run(notebook: "notebooks/synthetic.md", results: results), source: source)
        XCTAssertThrowsError(try ReadmeResults.block(source, extract: extract)) {
            XCTAssertTrue("\($0)".hasPrefix("docs/results/synthetic.json: result `k4.verdict` is a `verdict` record without the declared field `dimension`"), "\($0)")
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

    /// Records as a run stores them, made by their value types (so through their declarations).
    static func presentationResults(evidence: String) -> [String: JSONValue] {
        var results = [String: JSONValue]()
        for i in 1...5 {
            results["c\(i).outcome"] = ClaimValue(statement: i == 1 ? "H(d) has a kink" : "claim \(i)", test: "t", outcome: .partly,
                                                  rule: "r", thresholds: [], numbers: [], evidence: evidence).record
        }
        results["images"] = Table(columns: ["method", "estimate"], cells: [[.text("correlation dimension"), .measurement(6.991)]]).record
        results["images-corrdim"] = EstimateValue(name: "corrdim", value: 6.9912).record
        return results
    }

    /// A verdict record as `{entropy-curve}` stores it (decoded into the value type from its
    /// Swift properties, then written through its declaration).
    static func verdictRecord(label: String, dimension: Int?, explanation: String) throws -> JSONValue {
        let value: JSONValue = ["label": .string(label), "dimension": dimension.map { .number(Double($0)) } ?? .null, "candidate": 3,
                                "trueDimension": 3, "explanation": .string(explanation), "seeds": 2, "d": [1, 2, 3, 4],
                                "entropy": [1, 2, 3, 3.1], "whitenedEntropy": [1, 2, 3, 3.1], "correlationDimension": .null]
        return try JSONDecoder().decode(DimensionVerdictValue.self, from: JSONEncoder().encode(value)).record
    }

    /// synthetic.md's block from records made by the value types.
    static func syntheticResults(dimension: Int?) throws -> [String: JSONValue] {
        var results = [String: JSONValue]()
        for (curve, points) in SyntheticBlock.curves {
            results["\(curve).verdict"] = try verdictRecord(label: curve, dimension: dimension, explanation: "bends at 3")
            results["\(curve).dimension"] = EstimateValue(name: "d", value: 3, details: [.init("argmax H", 3), .init("MSE elbow", 4)]).record
            results[points] = Table(columns: ["method", "estimate"], cells: [
                [.text("MLE (Levina–Bickel)"), .measurement(3.1)], [.text("TwoNN"), .measurement(2.9)],
                [.text("correlation dimension"), .measurement(2.8)],
            ]).record
        }
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
