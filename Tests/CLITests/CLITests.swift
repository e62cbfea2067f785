import Foundation
import TestSupport
import XCTest

/// Runs the built `entropybook` executable as a user would.
final class CLITests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The executable beside the test bundle (same build configuration and scratch path).
    var executable: URL {
        let dir = Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("entropybook")
    }

    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    func entropybook(_ arguments: [String], cwd: URL? = nil) throws -> Outcome {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ENTROPYBOOK_TEMPLATES"] = fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates").path
        env["COLUMNS"] = "100"
        p.environment = env
        if let cwd { p.currentDirectoryURL = cwd }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func testFailingCellExitsOneAndStillWritesTheReport() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("eb-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let notebook = fixtures.appendingPathComponent("failing.md").path
        let r = try entropybook(["run", notebook, "-o", out.path, "--quiet"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("failing.md:10:1: error: {table}: no result named `settings`"), r.stderr)
        let html = try String(contentsOf: out.appendingPathComponent("failing/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("status-failed"))
        XCTAssertEqual(html.components(separatedBy: "class=\"cell status-ok\"").count - 1, 2)
    }

    func testInvalidNotebookExitsTwoWithEveryError() throws {
        let r = try entropybook(["check", fixtures.appendingPathComponent("invalid.md").path])
        XCTAssertEqual(r.status, 2)
        let lines = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map { String($0.split(separator: "/").last ?? "") }
        XCTAssertEqual(lines, [
            "invalid.md:4:1: error: `seeed` is not a parameter of {config}; did you mean `seed`?",
            "invalid.md:7:1: error: unknown directive `{tabel}`; did you mean `{table}`?",
        ])
    }

    func testRunOfInvalidNotebookRunsNothing() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("eb-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try entropybook(["run", fixtures.appendingPathComponent("invalid.md").path, "-o", out.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("invalid").path))
    }

    func testMissingNotebookIsAClearError() throws {
        let r = try entropybook(["check", "no-such.md"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("no-such.md:1:1: error: no such notebook file"), r.stderr)
    }

    func testUnknownCommandLineParameterIsAnError() throws {
        let r = try entropybook(["check", fixtures.appendingPathComponent("failing.md").path, "-p", "sed=1"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("`-p sed=1`: the notebook has no parameter `sed`; did you mean `seed`?"), r.stderr)
    }

    /// Issue 14, row 14: an output directory on a full disk. The run says which file could
    /// not be written and why (no Foundation error text), exits non-zero, leaves no
    /// temporary file, and no run.json claims `ok` for a report that was not written.
    func testFullDiskIsAReadableErrorWithNoTemporaryFilesAndNoOkManifest() throws {
        for kilobytes in [40, 64, 256, 512] {
            let disk = try SmallDisk(kilobytes: kilobytes)
            let out = disk.directory.appendingPathComponent("output")
            let r = try entropybook(["run", fixtures.appendingPathComponent("small.md").path, "-o", out.path, "--quiet"],
                                    cwd: disk.directory)
            let context = "\(kilobytes) KiB: exit \(r.status)\n\(r.stderr)"
            XCTAssertEqual(r.status, 1, context)
            XCTAssertTrue(r.stderr.contains("error: cannot write output/small/"), context)
            XCTAssertTrue(r.stderr.contains(": no space left on device"), context)
            for raw in ["NSCocoaErrorDomain", "Error Domain", "NSError", "Code="] {
                XCTAssertFalse(r.stderr.contains(raw), "\(raw) in \(context)")
            }
            XCTAssertEqual(disk.temporaryFiles, [], context)
            let manifest = out.appendingPathComponent("small/run.json")
            if let data = FileManager.default.contents(atPath: manifest.path) {
                let status = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["status"] as? String
                XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("small/index.html").path), context)
                XCTAssertNotEqual(status, "ok", context)
            }
        }
    }

    /// A report that cannot be written must not leave the previous run's run.json (status
    /// ok) or index.html beside it, passing for this run's.
    func testReportThatCannotBeWrittenLeavesNoManifestOrPageOfAnEarlierRun() throws {
        let disk = try SmallDisk(kilobytes: 2048)
        let out = disk.directory.appendingPathComponent("output")
        let arguments = ["run", fixtures.appendingPathComponent("small.md").path, "-o", out.path, "--quiet"]
        let first = try entropybook(arguments, cwd: disk.directory)
        XCTAssertEqual(first.status, 0, first.stderr)
        let manifest = out.appendingPathComponent("small/run.json"), page = out.appendingPathComponent("small/index.html")
        XCTAssertTrue(FileManager.default.fileExists(atPath: manifest.path))
        disk.fill()
        let second = try entropybook(arguments, cwd: disk.directory)
        XCTAssertEqual(second.status, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("error: cannot write output/small/"), second.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: manifest.path), "a stale run.json says ok")
        XCTAssertFalse(FileManager.default.fileExists(atPath: page.path), "a stale index.html passes for this run's")
        XCTAssertEqual(disk.temporaryFiles, [])
    }

    func testRemoteImageIsALocatedWarningFromCheckAndRun() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("eb-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let notebook = fixtures.appendingPathComponent("remote-image.md").path
        let expected = "remote-image.md:3:5: warning: image `https://example.com/pixel.png` is not loaded"
        let check = try entropybook(["check", notebook])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stderr.contains(expected), check.stderr)
        let run = try entropybook(["run", notebook, "-o", out.path, "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains(expected), run.stderr)
        let html = try String(contentsOf: out.appendingPathComponent("remote-image/index.html"), encoding: .utf8)
        XCTAssertFalse(html.contains("src=\"https://"))
    }

    /// swift-argument-parser's snapshot habit: `ENTROPYBOOK_RECORD=1` re-records.
    func testHelpSnapshots() throws {
        for command in [["--help"], ["run", "--help"], ["watch", "--help"], ["check", "--help"]] {
            let r = try entropybook(command)
            XCTAssertEqual(r.status, 0)
            let name = "help-" + (command.count > 1 ? command[0] : "main") + ".txt"
            let url = fixtures.appendingPathComponent(name)
            if ProcessInfo.processInfo.environment["ENTROPYBOOK_RECORD"] != nil {
                try r.stdout.write(to: url, atomically: true, encoding: .utf8)
            } else {
                XCTAssertEqual(r.stdout, try String(contentsOf: url, encoding: .utf8), "\(name) differs; re-record with ENTROPYBOOK_RECORD=1")
            }
        }
    }

    func testVersion() throws {
        let r = try entropybook(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("0."), r.stdout)
    }
}
