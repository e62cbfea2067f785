import Foundation
import Linalg
import Notebook
import Report

/// Where a runner's messages go: progress per cell (an `ExecutionObserver`), lines a user
/// may silence (`--quiet`) and lines that are always shown (errors, diagnostics).
public protocol RunnerOutput: ExecutionObserver {
    func begin(_ path: String, cells: Int)
    /// Each cell's estimated time (the cost model), after `begin`, for an ETA of the whole
    /// notebook. The default ignores them.
    func estimated(_ estimates: [CellEstimate])
    /// Informational ("report: …", the cluster's progress); silenced by `--quiet`.
    func note(_ line: String)
    /// Always shown: diagnostics, errors.
    func error(_ line: String)
}

extension RunnerOutput {
    public func estimated(_ estimates: [CellEstimate]) {}
}

/// How a prepared run's cells are executed: all here (`LocalScheduler`), or the units of
/// work on a cluster and the rest here. Returns the records the report is written from.
public protocol CellScheduler: Sendable {
    func execute(_ run: PreparedRun, output: any RunnerOutput) -> [CellRecord]
}

/// Runs every cell in this process, in order.
public struct LocalScheduler: CellScheduler {
    public init() {}
    public func execute(_ run: PreparedRun, output: any RunnerOutput) -> [CellRecord] { run.notebookRun.executor.run() }
}

/// One notebook, validated and keyed, with its cache and report destination: what a
/// scheduler executes.
public struct PreparedRun: Sendable {
    public var path: String
    public var plan: Plan
    public var keys: CacheKeys
    public var cache: CellCache?
    public var notebookRun: NotebookRun
    /// The run's settings (for the cluster: to hand a node the same plan).
    public var setup: NotebookSetup
    public var options: RunOptions
}

/// The run options that are not about the notebook itself: where reports and the cache go.
public struct RunOptions: Sendable {
    /// Receives one folder per notebook.
    public var outputDirectory: URL
    /// nil: `--no-cache`.
    public var cacheDirectory: URL?
    public var cacheLimit: Int = 4 << 30
    /// `--refresh ID`.
    public var refresh: Set<String> = []
    /// Store large entries whatever they cost to compute (the cluster's nodes read them).
    public var storesLargeEntries = false
    /// Also write slides.html beside each report (`--slides`).
    public var slides = false
    public init(outputDirectory: URL, cacheDirectory: URL?) {
        self.outputDirectory = outputDirectory
        self.cacheDirectory = cacheDirectory
    }
}

/// A refusal before anything runs that is about the command line (`--refresh` of an id the
/// notebook does not have).
public struct RunUsageError: Error, CustomStringConvertible {
    public var description: String
}

/// `entropybook run` as a library: validate each notebook, execute it with a scheduler,
/// always write its report (also after failures and interrupts), and choose the exit code
/// — 0 ok, 1 a cell failed or a report could not be written, 2 a notebook is invalid,
/// 128 + the signal when interrupted.
public final class NotebookRunner: @unchecked Sendable {
    public let setup: NotebookSetup
    public let options: RunOptions
    public let templates: Templates

    public init(setup: NotebookSetup, options: RunOptions, templates: Templates) {
        self.setup = setup
        self.options = options
        self.templates = templates
    }

    /// Validates `path` and prepares its run (keys, cache, report directory); diagnostics on
    /// failure.
    public func prepare(_ path: String, output: any RunnerOutput) throws -> Result<PreparedRun, ValidationFailure> {
        let plan: Plan
        switch setup.plan(path) {
        case .success(let p): plan = p
        case .failure(let f): return .failure(f)
        }
        for id in options.refresh where !plan.cells.contains(where: { $0.id == id }) {
            throw RunUsageError(description: "--refresh \(id): \(path) has no cell with that id")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let keys = setup.keys(of: plan, notebookPath: path, cacheDirectory: options.cacheDirectory)
        let cache = options.cacheDirectory.map { directory in
            setup.cache(at: directory, limit: options.cacheLimit, refresh: options.refresh, warn: { [output] in output.error("warning: \($0)") })
        }
        cache?.storesLargeEntries = options.storesLargeEntries
        // A refreshed cell's readers are recomputed too: their entries hold what the old result gave.
        cache?.refreshedReaders = plan.readers(ofCellsWithIDs: options.refresh)
        let run = NotebookRun(plan: plan, notebookPath: path, outputDirectory: options.outputDirectory.appendingPathComponent(stem),
                              templates: templates, dataDirectory: setup.dataDirectory, observer: output, store: cache,
                              cacheKeys: keys.keys, inputKeys: keys.inputKeys)
        run.dataFiles = keys.files
        run.cellFiles = keys.cellFiles
        run.slides = options.slides
        return .success(PreparedRun(path: path, plan: plan, keys: keys, cache: cache, notebookRun: run, setup: setup, options: options))
    }

    /// Runs every notebook in turn and returns the exit code. Throws only `RunUsageError`.
    public func runAll(_ paths: [String], scheduler: any CellScheduler, output: any RunnerOutput) throws -> Int32 {
        var worst: Int32 = 0
        // The last report written, to mark it interrupted if a stop arrives after it.
        var last: (run: NotebookRun, records: [CellRecord])?
        for path in paths {
            switch try run(path, scheduler: scheduler, output: output) {
            case .invalid:
                worst = max(worst, 2)
            case .reportNotWritten:
                worst = max(worst, 1)
            case .interrupted:
                return NotebookRunner.interruptedExitCode
            case .finished(let run, let records):
                if records.contains(where: { $0.status == .failed }) { worst = max(worst, 1) }
                last = (run, records)
            }
        }
        // From here on a signal changes nothing (the reports are written, the exit code is
        // chosen); one that came after the last check above still makes the run interrupted.
        if !Cancellation.close() {
            if let last {
                do { try last.run.writeReport(records: last.records, interrupted: true) } catch {
                    output.error("error: could not write the report: \(error)")
                }
            }
            return NotebookRunner.interruptedExitCode
        }
        return worst
    }

    /// What `run(_:scheduler:output:)` did with one notebook.
    public enum Outcome {
        /// Validation failed; the diagnostics were printed and nothing ran.
        case invalid(ValidationFailure)
        /// The cells ran but the report could not be written (the error was printed).
        case reportNotWritten
        /// A stop was requested (`Cancellation`): the report of what finished, if it could
        /// be written, says "interrupted".
        case interrupted
        /// Every cell ran, failed, was skipped or came from the cache, and the report is
        /// written.
        case finished(NotebookRun, [CellRecord])
    }

    /// Validates, runs and reports one notebook: diagnostics, failed cells' errors and the
    /// report's path go to `output`. Does not close `Cancellation` (`runAll` does, once, at
    /// the end; `watch` runs notebooks over and over). Throws only `RunUsageError`.
    public func run(_ path: String, scheduler: any CellScheduler, output: any RunnerOutput) throws -> Outcome {
        let prepared: PreparedRun
        switch try prepare(path, output: output) {
        case .success(let p):
            prepared = p
            diagnostics(p.plan.warnings + ProseRenderer.imageWarnings(in: p.plan.document), output)
        case .failure(let failure):
            diagnostics(failure.diagnostics, output)
            output.error("\(path): not run (\(failure.diagnostics.filter { $0.severity == .error }.count) error(s))")
            return .invalid(failure)
        }
        output.begin(path, cells: prepared.plan.cells.count)
        if prepared.plan.estimatedSeconds > 0 { output.estimated(prepared.plan.estimates) }
        let run = prepared.notebookRun
        let records: [CellRecord]
        do {
            records = try NotebookRunner.onLargeStack {
                let records = scheduler.execute(prepared, output: output)
                try run.writeReport(records: records, interrupted: records.contains { $0.status == .interrupted })
                return records
            }
        } catch where Cancellation.isRequested {
            output.error("error: could not write the report: \(error)")
            return .interrupted
        } catch {
            // The run happened but its report did not reach the disk: say which file and
            // why (the caller goes on with the next notebook).
            output.error("error: \(error)")
            return .reportNotWritten
        }
        var interrupted = records.contains { $0.status == .interrupted }
        if Cancellation.isRequested && !interrupted {
            // The stop came while the report of the finished cells was being written.
            interrupted = true
            do { try run.writeReport(records: records, interrupted: true) } catch {
                output.error("error: could not write the report: \(error)")
                return .interrupted
            }
        }
        for r in records where r.status == .failed { if let e = r.error { output.error(e.rendered) } }
        output.note("report: \(run.outputDirectory.appendingPathComponent("index.html").path)")
        return interrupted ? .interrupted : .finished(run, records)
    }

    /// The exit status of an interrupted run: 128 + the first signal's number.
    public static var interruptedExitCode: Int32 { 128 + (Cancellation.reason ?? SIGINT) }

    private func diagnostics(_ list: [Diagnostic], _ output: any RunnerOutput) {
        for d in list.sorted(by: { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }) {
            output.error(d.rendered)
        }
    }

    /// Runs `body` on a thread with a 64 MiB stack and waits for it: the cells and the
    /// report, whose renderer walks the document's tree. The notebook was parsed and
    /// validated before, on the caller's thread (`prepare`), so nothing of the parser runs
    /// here. Signals do not stop it: the CLI's handler only sets the `Cancellation` flag,
    /// which the run checks at its safe points.
    static func onLargeStack<T>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        let thread = Thread {
            do { box.result = .success(try body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        thread.stackSize = 64 << 20
        thread.start()
        done.wait()
        guard let result = box.result else { throw CellError("the run's thread ended without a result") }
        return try result.get()
    }
}

/// The result of `onLargeStack`'s thread, read after the semaphore says it is set.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
