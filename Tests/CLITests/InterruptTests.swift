import Foundation
import XCTest

/// Signals during `entropybook run`, sent to the built executable at random times: before
/// the first cell, inside the autoencoder's training, between cells and while the report
/// is written. Every interrupted run must stop cooperatively, write the report of what
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

    /// Runs trials at random delays in 0…`span` s, two at a time, until `count` of them
    /// were interrupted before the run finished (late ones are not counted).
    func randomTrials(count: Int, span: Double, signal: Int32) -> (counted: [Trial], late: Int) {
        let tally = Tally(count: count)
        let test = UncheckedSendable(value: self)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while tally.start() {
                guard let t = try? test.value.trial(delay: Double.random(in: 0...span), signals: [signal]) else { continue }
                tally.add(t)
            }
        }
        return tally.lock.withLock { (tally.counted, tally.late) }
    }

    /// Nine tenths of how long an uninterrupted run takes, from spawn to exit, two at a
    /// time as in the trials (each run is slower when two share the machine): signals
    /// later than that mostly come after the run has finished and are not counted.
    func uninterruptedSeconds() -> Double {
        let test = UncheckedSendable(value: self)
        let longest = Locked(0.0)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let start = Date()
            guard let t = try? test.value.trial(delay: 0, signals: []), t.status == 0 else { return }
            let seconds = Date().timeIntervalSince(start)
            longest.update { $0 = max($0, seconds) }
        }
        XCTAssertGreaterThan(longest.value, 0, "the uninterrupted run failed")
        return 0.9 * longest.value
    }

    func testSIGINTAtRandomTimesAlwaysWritesTheInterruptedReportAndExits130() throws {
        let span = uninterruptedSeconds()
        let (trials, late) = assertEveryTrialWritesAnInterruptedReport(count: 100, span: span, signal: SIGINT, exitCode: 130)
        // Where the signals landed: before any cell finished, inside a cell (the autoencoder
        // stopped between mini-batches), and after every cell (during the report).
        let beforeAny = trials.filter { !$0.cellStatuses.contains("ok") }.count
        let insideCell = trials.filter(\.stoppedInsideCell).count
        let afterAll = trials.filter { !$0.cellStatuses.isEmpty && $0.cellStatuses.allSatisfy { $0 == "ok" } }.count
        print("SIGINT trials within \(String(format: "%.2f", span)) s: \(trials.count) counted, \(late) late; before any cell finished \(beforeAny), "
              + "a cell stopped while running \(insideCell), after all cells \(afterAll)")
        XCTAssertGreaterThan(insideCell, 0)
    }

    func testSIGTERMAtRandomTimesAlwaysWritesTheInterruptedReportAndExits143() throws {
        _ = assertEveryTrialWritesAnInterruptedReport(count: 20, span: uninterruptedSeconds(), signal: SIGTERM, exitCode: 143)
    }

    /// `count` runs, each sent `signal` at a random time within `span`: every one must exit
    /// with `exitCode` (not die by the signal) and leave index.html and an interrupted run.json.
    private func assertEveryTrialWritesAnInterruptedReport(count: Int, span: Double, signal: Int32,
                                                           exitCode: Int32) -> (trials: [Trial], late: Int) {
        let (trials, late) = randomTrials(count: count, span: span, signal: signal)
        XCTAssertEqual(trials.count, count, "too many trials finished before the signal (\(late) late)")
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

/// The outcomes of trials run two at a time.
private final class Tally: @unchecked Sendable {
    let lock = NSLock()
    let count: Int
    var counted = [InterruptTests.Trial]()
    var late = 0
    private var attempts = 0
    init(count: Int) { self.count = count }

    /// Whether to start another trial: until `count` are counted, at most 2·count attempts.
    func start() -> Bool {
        lock.withLock {
            guard counted.count < count, attempts < 2 * count else { return false }
            attempts += 1
            return true
        }
    }

    func add(_ t: InterruptTests.Trial) {
        lock.withLock {
            if t.late { late += 1 } else if counted.count < count { counted.append(t) }
        }
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
