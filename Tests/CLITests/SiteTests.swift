import Foundation
import XCTest

/// `entropybook site` over a folder of two tiny notebooks (issue 29): an index naming each
/// notebook with its cells and its claim's outcome, every report, a page of recent runs
/// with one-line diffs; no script anywhere, the reports' CSP on every page.
final class SiteTests: XCTestCase {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    var executable: URL {
        let dir = Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("entropybook")
    }

    func site(_ out: URL) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = ["site", repository.appendingPathComponent("Tests/CLITests/Fixtures/site").path, "-o", out.path, "-p", "quick=true", "-q"]
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["ENTROPYBOOK_TEMPLATES": repository.appendingPathComponent("templates").path]) { $1 }
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("eb-site-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        p.standardError = try FileHandle(forWritingTo: errFile)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    func testSiteIndexesEveryNotebookWithItsClaimsAndKeepsRecentRuns() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("eb-site-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try site(out)
        XCTAssertEqual(first.status, 0, first.stderr)
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains(#"<a href="curve/index.html">Site fixture — a small sweep and a claim</a>"#), index)
        XCTAssertTrue(index.contains(#"<a href="entropy/index.html">Site fixture — one entropy</a>"#))
        XCTAssertTrue(index.contains("H(d) has a kink"), "the claim is listed")
        XCTAssertNotNil(index.range(of: #"<span class="badge verdict-[a-z-]+">[✔◐✘] [A-Z][a-z ]+</span> H\(d\) has a kink"#, options: .regularExpression),
                        "with its outcome")
        XCTAssertTrue(index.contains("2 computed, 0 cached of 2"), "the entropy notebook's cells")
        XCTAssertTrue(index.contains(#"<a href="curve/runs.html">recent runs</a>"#))
        var runs = try String(contentsOf: out.appendingPathComponent("entropy/runs.html"), encoding: .utf8)
        XCTAssertTrue(runs.contains("first run kept"))

        // A second build: everything cached, the run compared with the first.
        let second = try site(out)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8).contains("0 computed, 2 cached of 2"))
        runs = try String(contentsOf: out.appendingPathComponent("entropy/runs.html"), encoding: .utf8)
        XCTAssertNotNil(runs.range(of: "no change in [0-9]+ numbers", options: .regularExpression), runs)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("entropy/runs").path).count, 2)

        // Every page: no script, the reports' CSP, under the 2.5 MB budget.
        for page in ["index.html", "curve/index.html", "curve/runs.html", "entropy/index.html", "entropy/runs.html"] {
            let url = out.appendingPathComponent(page)
            let html = try String(contentsOf: url, encoding: .utf8)
            XCTAssertFalse(html.lowercased().contains("<script"), page)
            XCTAssertTrue(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">"#), page)
            XCTAssertLessThan(try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int), 2_500_000, page)
        }
    }
}
