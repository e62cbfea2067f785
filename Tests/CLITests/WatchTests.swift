import Foundation
import XCTest

/// `entropybook watch` as a user runs it: the built executable on a notebook in a temporary
/// folder, edited under it the way editors save (a temporary file renamed over the notebook,
/// or a write in place). Every run prints one summary line; after an edit of one cell's
/// parameter exactly that cell and the cells reading it are computed, the rest come from the
/// cache. Waits are generous (the machine may be loaded) and nothing is timed.
final class WatchTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    var executable: URL {
        let dir = Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("entropybook")
    }

    /// Five cheap cells: two data sets, an entropy of each, and a table of the first entropy.
    /// `cloud` is read by `h-cloud`, which `both` reads; `cube` and `h-cube` are independent.
    static func notebook(n: Int = 200, kind: String = "gaussian", tabulated: String = "h-cloud") -> String {
        """
        ---
        title: Watched
        seed: 5
        ---

        # Watched

        ```{dataset}
        id: cloud
        kind: \(kind)
        k: 2
        n: \(n)
        ```

        ```{dataset}
        id: cube
        kind: uniform-cube
        k: 3
        n: 200
        ```

        ```{entropy}
        id: h-cloud
        data: cloud
        estimator: knn
        ```

        ```{entropy}
        id: h-cube
        data: cube
        estimator: knn
        ```

        ```{table}
        id: both
        of: [\(tabulated)]
        ```

        """
    }

    /// The summary after the first run, and after an edit of `cloud`.
    let everyCell = "re-ran 5 of 5 cells (cloud, cube, h-cloud, h-cube, both)"
    let cloudAndReaders = "re-ran 3 of 5 cells (cloud, h-cloud, both)"

    func testRenamedSaveRerunsExactlyTheEditedCellAndItsReaders() throws {
        let watcher = try Watcher(test: self)
        defer { watcher.stop() }
        XCTAssertTrue(try watcher.nextSummary().hasPrefix(everyCell + " in "), watcher.transcript)
        try watcher.saveByRenaming(WatchTests.notebook(n: 300))
        let summary = try watcher.nextSummary()
        XCTAssertTrue(summary.hasPrefix(cloudAndReaders + " in "), watcher.transcript)
        XCTAssertTrue(summary.hasSuffix(" s · report: \(watcher.output.path)/watched/index.html"), summary)
        let json = try String(contentsOf: watcher.output.appendingPathComponent("watched/run.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"cached\""), "the second run's report records the cached cells")
    }

    func testSaveInPlaceRerunsExactlyTheEditedCellAndItsReaders() throws {
        let watcher = try Watcher(test: self)
        defer { watcher.stop() }
        XCTAssertTrue(try watcher.nextSummary().hasPrefix(everyCell + " in "), watcher.transcript)
        try watcher.saveInPlace(WatchTests.notebook(n: 250))
        XCTAssertTrue(try watcher.nextSummary().hasPrefix(cloudAndReaders + " in "), watcher.transcript)
        // Saving the same text again changes no cell: everything comes from the cache.
        try watcher.saveInPlace(WatchTests.notebook(n: 250))
        XCTAssertTrue(try watcher.nextSummary().hasPrefix("re-ran 0 of 5 cells in "), watcher.transcript)
        // One save, one run: two saves gave two summaries after the first run's.
        XCTAssertEqual(watcher.stop(), 0, watcher.transcript)
        XCTAssertEqual(watcher.summaries.count, 3, watcher.transcript)
    }

    func testInvalidSaveIsReportedWithItsLocationAndTheNextGoodSaveRuns() throws {
        let watcher = try Watcher(test: self)
        defer { watcher.stop() }
        XCTAssertTrue(try watcher.nextSummary().hasPrefix(everyCell + " in "), watcher.transcript)
        try watcher.saveByRenaming(WatchTests.notebook(kind: "gausian"))
        let refusal = try watcher.nextSummary()
        XCTAssertTrue(refusal.hasPrefix("not run: ") && refusal.hasSuffix(" in \(watcher.notebook.path); waiting for the next save"), refusal)
        XCTAssertTrue(watcher.stderr.contains("watched.md:10:7: error: `kind` must be one of"), watcher.transcript)
        XCTAssertTrue(watcher.stderr.contains("not `gausian`; did you mean `gaussian`?"), watcher.transcript)
        try watcher.saveByRenaming(WatchTests.notebook(n: 300))
        XCTAssertTrue(try watcher.nextSummary().hasPrefix(cloudAndReaders + " in "), watcher.transcript)
    }

    func testSavedDataFileRerunsTheCellsReadingIt() throws {
        let csv = (0..<60).map { i in "\(Double(i % 7) * 0.5),\(Double(i % 11) * 0.3)\n" }.joined()
        let text = """
            ```{dataset}
            id: pts
            kind: csv
            path: data/points.csv
            header: false
            ```

            ```{entropy}
            id: h
            data: pts
            estimator: knn
            ```

            ```{dataset}
            id: other
            kind: gaussian
            k: 2
            n: 100
            ```

            """
        let watcher = try Watcher(test: self, text: text, files: ["data/points.csv": csv])
        defer { watcher.stop() }
        XCTAssertTrue(try watcher.nextSummary().hasPrefix("re-ran 3 of 3 cells (pts, h, other) in "), watcher.transcript)
        let handle = try FileHandle(forWritingTo: watcher.folder.appendingPathComponent("data/points.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("0.25,0.75\n".utf8))
        try handle.close()
        XCTAssertTrue(try watcher.nextSummary().hasPrefix("re-ran 2 of 3 cells (pts, h) in "), watcher.transcript)
    }

    func testFailingCellIsReportedAndWatchingGoesOn() throws {
        let watcher = try Watcher(test: self)
        defer { watcher.stop() }
        XCTAssertTrue(try watcher.nextSummary().hasPrefix(everyCell + " in "), watcher.transcript)
        // A table of an estimate and a data set passes validation and fails when it runs.
        try watcher.saveInPlace(WatchTests.notebook(tabulated: "h-cloud, cube"))
        XCTAssertTrue(try watcher.nextSummary().hasPrefix("re-ran 1 of 5 cells (both), 1 failed (both) in "), watcher.transcript)
        XCTAssertTrue(watcher.stderr.contains("watched.md:36:1: error: {table}: `cube` is a dataset"), watcher.transcript)
        try watcher.saveInPlace(WatchTests.notebook())
        XCTAssertTrue(try watcher.nextSummary().hasPrefix("re-ran 0 of 5 cells in "), watcher.transcript)
    }

    /// Ctrl-C during a run stops it as `run` does: the report of what finished says
    /// "interrupted" and the exit code is 130.
    func testSIGINTDuringARunStopsItAndExits130() throws {
        let long = """
            ---
            title: Long
            seed: 1
            ---

            ```{dataset}
            id: cloud
            kind: linear
            k: 2
            ambient: 6
            n: 300
            ```

            ```{autoencoder}
            id: ae
            data: cloud
            code: 2
            hidden: [16]
            epochs: 100000
            batch: 32
            ```

            """
        let watcher = try Watcher(test: self, text: long, arguments: ["--no-cache"])
        defer { watcher.stop() }
        // The data set's line: the autoencoder, far longer than any wait here, starts next.
        try watcher.waitForStderr("{dataset} cloud (line 6) ✓")
        XCTAssertEqual(watcher.stop(removing: false), 130, watcher.transcript)
        let data = try Data(contentsOf: watcher.output.appendingPathComponent("watched/run.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        XCTAssertEqual(json?["status"] as? String, "interrupted")
        XCTAssertFalse(watcher.stdout.contains("stopped watching"), watcher.transcript)
        try? FileManager.default.removeItem(at: watcher.folder)
    }

    func testSIGINTWhileWaitingExitsZero() throws {
        let watcher = try Watcher(test: self)
        defer { watcher.stop() }
        XCTAssertTrue(try watcher.nextSummary().hasPrefix(everyCell + " in "), watcher.transcript)
        XCTAssertEqual(watcher.stop(), 0, watcher.transcript)
        XCTAssertTrue(watcher.stdout.hasSuffix("stopped watching \(watcher.notebook.path)\n"), watcher.transcript)
    }
}

/// A running `entropybook watch` on a notebook in its own temporary folder.
final class Watcher {
    let folder: URL
    let notebook: URL
    let output: URL
    private let process = Process()
    private let outBytes = Collected()
    private let errBytes = Collected()
    /// Summary lines already returned by `nextSummary`.
    private var seen = 0

    /// - Parameter files: more files in the notebook's folder, by relative path.
    init(test: WatchTests, text: String = WatchTests.notebook(), files: [String: String] = [:], arguments: [String] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("eb-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        notebook = folder.appendingPathComponent("watched.md")
        output = folder.appendingPathComponent("out")
        try text.write(to: notebook, atomically: true, encoding: .utf8)
        for (path, content) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        process.executableURL = test.executable
        process.arguments = ["watch", notebook.path, "-o", output.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["ENTROPYBOOK_TEMPLATES"] = test.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates").path
        process.environment = env
        process.standardOutput = outBytes.pipe()
        process.standardError = errBytes.pipe()
        try process.run()
    }

    var stdout: String { outBytes.text }
    var stderr: String { errBytes.text }
    var transcript: String { "stdout:\n\(stdout)\nstderr:\n\(stderr)" }
    /// The lines printed after each run (everything on stdout but the first and last lines).
    var summaries: [String] {
        stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("watching ") && !$0.hasPrefix("stopped watching ") }
    }

    /// Waits for the next run's summary line: woken by each write of the child (the two
    /// minutes only keep a broken run from hanging the suite).
    func nextSummary() throws -> String {
        let count = seen + 1
        outBytes.wait { text in
            text.split(separator: "\n").filter { !$0.hasPrefix("watching ") && !$0.hasPrefix("stopped watching ") }.count >= count
        }
        let lines = summaries
        guard lines.count >= count else {
            XCTFail("no summary line in time\n\(transcript)")
            throw CancellationError()
        }
        seen = count
        return lines[count - 1]
    }

    /// Waits until stderr shows `text`, woken by each write of the child.
    func waitForStderr(_ text: String) throws {
        errBytes.wait { $0.contains(text) }
        guard stderr.contains(text) else {
            XCTFail("no `\(text)` on stderr in time\n\(transcript)")
            throw CancellationError()
        }
    }

    /// As editors save: the new text into a temporary file beside the notebook, renamed over it.
    func saveByRenaming(_ text: String) throws {
        let temporary = folder.appendingPathComponent(".watched.md.swp")
        try text.write(to: temporary, atomically: false, encoding: .utf8)
        XCTAssertEqual(rename(temporary.path, notebook.path), 0)
    }

    /// The notebook's own file truncated and rewritten.
    func saveInPlace(_ text: String) throws {
        let handle = try FileHandle(forWritingTo: notebook)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// SIGINT, then waits for the exit and returns the exit status (only the first call
    /// signals); removes the folder unless told not to.
    @discardableResult
    func stop(removing: Bool = true) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGINT) }
        process.waitUntilExit()
        // The pipes' last bytes arrive on their handlers' queue: wait for both ends of file.
        outBytes.waitForEnd()
        errBytes.waitForEnd()
        if removing { try? FileManager.default.removeItem(at: folder) }
        return process.terminationStatus
    }

}

/// The bytes a child writes to a pipe, gathered as they come (decoded only when read, so a
/// character split between two reads stays whole).
private final class Collected: @unchecked Sendable {
    private let condition = NSCondition()
    private var bytes = Data()
    private var ended = false

    var text: String { condition.withLock { String(decoding: bytes, as: UTF8.self) } }

    func pipe() -> Pipe {
        let pipe = Pipe()
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            condition.withLock {
                if data.isEmpty { handle.readabilityHandler = nil; ended = true } else { bytes.append(data) }
                condition.broadcast()
            }
        }
        return pipe
    }

    /// Waits until `predicate` holds for the text gathered so far or the writer closed the
    /// pipe, woken by each arrival (an event, not a time: the two minutes only keep a broken
    /// child from hanging the suite).
    func wait(until predicate: (String) -> Bool) {
        let deadline = Date().addingTimeInterval(120)
        condition.withLock {
            while !predicate(String(decoding: bytes, as: UTF8.self)), !ended {
                guard condition.wait(until: deadline) else { return }
            }
        }
    }

    /// Waits until the writer closed the pipe and its last bytes were gathered.
    func waitForEnd() { wait { _ in false } }
}
