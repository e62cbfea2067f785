import ArgumentParser
import Foundation
import Linalg
import Notebook
import Report
import Runs

/// Re-runs a notebook whenever it is saved.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run a notebook, then again every time it or a file it reads is saved.",
        discussion: """
        Runs at start and after every save (file events, 200 ms after the last one), rewriting \
        OUTPUT/NOTEBOOK/ each time; the cache makes cells whose inputs did not change cheap. \
        Prints one line per run on stdout: which cells were computed (by id, or line) and how \
        long the run took, e.g. `re-ran 2 of 9 cells (c3, c4) in 1.42 s · report: …`. An \
        invalid notebook is reported with the location of every error, a failing cell in its \
        report, and watching goes on. --refresh applies to the first run; --quiet leaves the \
        summaries and errors. Ctrl-C while waiting stops with exit code 0; during a run it \
        stops the run as `run` does (the report of what finished is written) and exits 130.
        """)

    @Argument(help: "The notebook file (.md).", completion: .file(extensions: ["md"]))
    var notebook: String

    @OptionGroup var settings: NotebookRunOptions

    /// Quiet time after the last file event before a run starts: one save is often several
    /// events (create, write, rename).
    static let debounceSeconds = 0.2

    func run() throws {
        Interrupts.install()
        ProgramCommit.prefetch()
        var runner = try settings.runner()
        let events = try FileEvents()
        let progress = WatchProgress(TerminalProgress(quiet: settings.quiet))
        var watched: Set<String> = [notebook]
        try events.watch(watched, required: notebook)
        announce("watching \(notebook) (Ctrl-C to stop)")
        while true {
            let started = DispatchTime.now()
            let outcome: NotebookRunner.Outcome
            do {
                outcome = try runner.run(notebook, scheduler: LocalScheduler(), output: progress)
            } catch let error as RunUsageError {
                throw ValidationError(error.description)
            }
            if case .interrupted = outcome { throw ExitCode(NotebookRunner.interruptedExitCode) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            // The files it read (data in its folder, say) count as saves too; watched before
            // the summary appears, so that a save right after it is not missed.
            if case .finished(let run, _) = outcome { watched = Set([notebook] + run.dataFiles.keys) }
            try events.watch(watched, required: notebook)
            announce(summary(of: outcome, seconds: seconds))
            // --refresh is for the start: later runs read what the first one stored.
            if !runner.options.refresh.isEmpty {
                var options = runner.options
                options.refresh = []
                runner = NotebookRunner(setup: runner.setup, options: options, templates: runner.templates)
            }
            if try !waitForSave(events) {
                announce("stopped watching \(notebook)")
                return
            }
        }
    }

    /// The line printed after a run that was not interrupted.
    private func summary(of outcome: NotebookRunner.Outcome, seconds: Double) -> String {
        switch outcome {
        case .invalid(let failure):
            let errors = failure.diagnostics.filter { $0.severity == .error }.count
            return "not run: \(errors) \(errors == 1 ? "error" : "errors") in \(notebook); waiting for the next save"
        case .reportNotWritten, .interrupted:
            return "the report could not be written; waiting for the next save"
        case .finished(let run, let records):
            let folder = (settings.output as NSString).appendingPathComponent(run.outputDirectory.lastPathComponent)
            return RunSummary(records: records).line(seconds: seconds, report: (folder as NSString).appendingPathComponent("index.html"))
        }
    }

    /// Waits for the next save; false when Ctrl-C (or SIGTERM) came first.
    private func waitForSave(_ events: FileEvents) throws -> Bool {
        Interrupts.waiting.store(true, ordering: .sequentiallyConsistent)
        defer { Interrupts.waiting.store(false, ordering: .sequentiallyConsistent) }
        return events.waitForChange(quiet: WatchCommand.debounceSeconds, stop: { Cancellation.isRequested }) != nil
    }

    /// A line on stdout, written at once (not held in a pipe's buffer).
    private func announce(_ line: String) {
        FileHandle.standardOutput.write(line + "\n")
    }
}

/// The terminal's progress for `watch`: lines for the cells that are computed, none for the
/// ones read from the cache (the summary counts them), and no `report:` line (the summary
/// names the report).
final class WatchProgress: RunnerOutput, @unchecked Sendable {
    private let terminal: TerminalProgress

    init(_ terminal: TerminalProgress) { self.terminal = terminal }

    func begin(_ path: String, cells: Int) {}
    func note(_ line: String) { if !line.hasPrefix("report: ") { terminal.note(line) } }
    func error(_ line: String) { terminal.error(line) }
    func cellStarted(_ cell: PlannedCell, of total: Int) { terminal.cellStarted(cell, of: total) }
    func cellProgress(_ cell: PlannedCell, fraction: Double, message: String) {
        terminal.cellProgress(cell, fraction: fraction, message: message)
    }
    func cellFinished(_ record: CellRecord, of total: Int) {
        if record.status == .cached { terminal.clearLine() } else { terminal.cellFinished(record, of: total) }
    }
}
