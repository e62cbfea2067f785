import Foundation
import XCTest

/// Signals during `entropybook run`, sent to the built executable at every stage — before
/// the first cell, inside the autoencoder's training, between cells and while the report
/// is written — each anchored to what the run has printed, plus a seeded offset. Every interrupted run must stop cooperatively, write the report of what
/// finished (run.json saying "interrupted") and exit 128 + the signal.
final class InterruptTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    var notebook: String { fixtures.appendingPathComponent("interruptible.md").path }

    var executable: URL {
        let dir = Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("entropybook")
    }

    /// What one run did.
    struct Trial: CustomStringConvertible {
        var delay: Double
        /// The signal was sent after the run had printed `report:` (it had finished): the
        /// trial says nothing about interrupts and is not counted.
        var late = false
        var status: Int32 = -1
        var terminatedBySignal = false
        var reportStatus: String?
        var cellStatuses: [String] = []
        /// A cell was stopped while it ran (status interrupted after some time).
        var stoppedInsideCell = false
        var hasIndex = false
        var stderr = ""
        var description: String {
            "delay \(String(format: "%.3f", delay)) s: exit \(terminatedBySignal ? "by signal " : "")\(status), "
                + "run.json \(reportStatus ?? "missing"), cells \(cellStatuses), index.html \(hasIndex)\n\(stderr)"
        }
    }

    /// Starts a run, waits until its signal handler is installed (so that "time 0" is the
    /// earliest moment a signal can be handled at all) and, if given, until stderr shows
    /// `marker`, sends `signals` after `delay` seconds (each further one once the previous
    /// one was acknowledged on stderr), and collects the outcome.
    func trial(delay: Double, after marker: String? = nil, signals: [Int32] = [SIGINT]) throws -> Trial {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("eb-interrupt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let p = Process()
        p.executableURL = executable
        p.arguments = ["run", notebook, "--no-cache", "-o", output.path]
        var env = ProcessInfo.processInfo.environment
        env["ENTROPYBOOK_TEMPLATES"] = fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates").path
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let reader = NonBlockingReader(err.fileHandleForReading.fileDescriptor)
        var result = Trial(delay: delay)
        try waitForHandler(pid: p.processIdentifier)
        if let marker { waitFor(marker, in: reader) }
        if !signals.isEmpty { Thread.sleep(forTimeInterval: delay) }
        for (n, signal) in signals.enumerated() {
            if n == 0 {
                reader.drain()
                if reader.text.contains("report: ") { result.late = true }
            } else {
                // A second signal while the first is still pending would merge with it.
                waitFor("interrupted: finishing", in: reader)
            }
            kill(p.processIdentifier, signal)
        }
        reader.readToEnd()
        p.waitUntilExit()
        result.status = p.terminationStatus
        result.terminatedBySignal = p.terminationReason == .uncaughtSignal
        result.stderr = reader.text
        let report = output.appendingPathComponent("interruptible")
        result.hasIndex = FileManager.default.fileExists(atPath: report.appendingPathComponent("index.html").path)
        if let data = try? Data(contentsOf: report.appendingPathComponent("run.json")),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            result.reportStatus = json["status"] as? String
            let cells = json["cells"] as? [[String: Any]] ?? []
            result.cellStatuses = cells.compactMap { $0["status"] as? String }
            result.stoppedInsideCell = cells.contains { $0["status"] as? String == "interrupted" && ($0["seconds"] as? Double ?? 0) > 0 }
        }
        return result
    }

    private func waitFor(_ text: String, in reader: NonBlockingReader) {
        let deadline = Date().addingTimeInterval(20)
        while !reader.text.contains(text), Date() < deadline {
            reader.drain()
            usleep(200)
        }
    }

    /// Polls /proc until the process catches SIGINT (bit 1 of SigCgt).
    private func waitForHandler(pid: Int32) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return }
            if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
               let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16),
               mask & (1 << (UInt64(SIGINT) - 1)) != 0 {
                return
            }
            usleep(500)
        }
        throw XCTSkip("the run never installed its signal handler")
    }

    /// Where the trials' signals land, anchored to what the run has printed rather than to a
    /// calibrated wall-clock span: as soon as the handler is installed (nil), or once cell k
    /// of 5 has printed its line (`[k/5]`: the next cell is starting; after `[5/5]` the report
    /// is being written), then a short offset so that signals also land inside a cell.
    static let anchors: [String?] = [nil, "[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]"]

    /// The offsets after the anchor, in 0…0.2 s, from a fixed seed (SplitMix64): the same
    /// trials every time, so a failure names a trial that can be run again.
    static func offsets(count: Int, seed: UInt64 = 24) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return 0.2 * Double(z >> 11) / Double(1 << 53)
        }
    }

    /// Runs `count` trials, two at a time, trial i anchored at `anchors[i % 6]` plus the i-th
    /// offset; those whose signal came after the run finished (late) are reported apart.
    func anchoredTrials(count: Int, signal: Int32) -> (counted: [Trial], late: Int) {
        let offsets = Self.offsets(count: count)
        let results = Locked([Trial?](repeating: nil, count: count))
        let test = UncheckedSendable(value: self)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let t = try? test.value.trial(delay: offsets[i], after: Self.anchors[i % Self.anchors.count], signals: [signal])
            results.update { $0[i] = t }
        }
        let trials = results.value.compactMap { $0 }
        return (trials.filter { !$0.late }, trials.filter(\.late).count)
    }

    func testSIGINTAtEveryStageAlwaysWritesTheInterruptedReportAndExits130() throws {
        let (trials, late) = assertEveryTrialWritesAnInterruptedReport(count: 60, signal: SIGINT, exitCode: 130)
        // Where the signals landed: before any cell finished, inside a cell (the autoencoder
        // stopped between mini-batches), and after every cell (during the report).
        let beforeAny = trials.filter { !$0.cellStatuses.contains("ok") }.count
        let insideCell = trials.filter(\.stoppedInsideCell).count
        let afterAll = trials.filter { !$0.cellStatuses.isEmpty && $0.cellStatuses.allSatisfy { $0 == "ok" } }.count
        print("SIGINT trials: \(trials.count) counted, \(late) late; before any cell finished \(beforeAny), "
              + "a cell stopped while running \(insideCell), after all cells \(afterAll)")
        XCTAssertGreaterThan(insideCell, 0)
    }

    func testSIGTERMAtEveryStageAlwaysWritesTheInterruptedReportAndExits143() throws {
        _ = assertEveryTrialWritesAnInterruptedReport(count: 18, signal: SIGTERM, exitCode: 143)
    }

    /// `count` runs, each sent `signal` at its anchor and offset: every one that the signal
    /// reached before the run finished must exit with `exitCode` (not die by the signal) and
    /// leave index.html and an interrupted run.json; most must be reached in time.
    private func assertEveryTrialWritesAnInterruptedReport(count: Int, signal: Int32,
                                                           exitCode: Int32) -> (trials: [Trial], late: Int) {
        let (trials, late) = anchoredTrials(count: count, signal: signal)
        XCTAssertEqual(trials.count + late, count, "some trials did not run")
        XCTAssertLessThanOrEqual(late, count / 3, "too many trials finished before the signal (\(late) late)")
        let bad = trials.filter {
            $0.status != exitCode || $0.terminatedBySignal || $0.reportStatus != "interrupted" || !$0.hasIndex
        }
        XCTAssertEqual(bad.count, 0, "\(bad.count) of \(trials.count) trials went wrong; first: \(bad.first?.description ?? "")")
        return (trials, late)
    }

    func testSecondSIGINTExitsAtOnceWith130() throws {
        // The first signal lands as the autoencoder starts (the cell before it has printed its
        // line); the second once the first is acknowledged, while the run is still stopping.
        let t = try trial(delay: 0.01, after: "[2/5]", signals: [SIGINT, SIGINT])
        XCTAssertEqual(t.status, 130, t.description)
        XCTAssertFalse(t.terminatedBySignal, t.description)
        XCTAssertTrue(t.stderr.contains("interrupted again: stopping now"), t.description)
        XCTAssertFalse(t.stderr.contains("report: "), t.description)
    }

    func testInterruptedRunMarksTheStoppedCellAndKeepsWhatFinished() throws {
        // The signal lands as the autoencoder (cell 3) starts: cells 1–2 are kept, cell 3
        // stops between mini-batches, cells 4–5 never run.
        let t = try trial(delay: 0.01, after: "[2/5]")
        XCTAssertEqual(t.status, 130, t.description)
        XCTAssertEqual(t.cellStatuses, ["ok", "ok", "interrupted", "interrupted", "interrupted"], t.description)
        XCTAssertTrue(t.stoppedInsideCell, t.description)
        XCTAssertTrue(t.stderr.contains("interrupted: finishing the current step…"), t.description)
        XCTAssertTrue(t.stderr.contains("[3/5] {autoencoder} ae (line 24) – interrupted"), t.description)
        XCTAssertTrue(t.stderr.hasSuffix("/interruptible/index.html\n"), t.description)
    }
}

/// A value shared by the trial threads.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

/// The test case, used from the two trial threads (each trial only reads its properties).
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}

/// Reads a pipe without blocking, so that the test can look at what the run has printed
/// up to the moment it sends a signal.
private final class NonBlockingReader {
    let fd: Int32
    private var bytes = [UInt8]()
    var text: String { String(decoding: bytes, as: UTF8.self) }

    init(_ fd: Int32) {
        self.fd = fd
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Everything available now.
    func drain() {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Everything until the writer closes the pipe.
    func readToEnd() {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}
