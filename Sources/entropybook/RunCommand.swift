import ArgumentParser
import Directives
import Foundation
import Cluster
import Notebook
import Report
import Runs

/// Runs notebooks and writes their reports.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run notebooks and write one self-contained HTML report each.",
        discussion: """
        Writes OUTPUT/NOTEBOOK/index.html (figures inlined), figures/*.png at slide size, \
        data/*.csv behind every figure, and run.json. A failing cell is shown in the report and \
        the run goes on. Exit codes: 0 all cells ran, 1 a cell failed or the report could not be \
        written, 2 the notebook is invalid (nothing ran), 130 interrupted by Ctrl-C (SIGINT) and \
        143 by SIGTERM: the running cell stops at its next safe point and the report of what \
        finished is written; a second signal exits at once without it.
        """)

    @Argument(help: "Notebook files (.md).", completion: .file(extensions: ["md"]))
    var notebooks: [String]

    @OptionGroup var settings: NotebookRunOptions

    @OptionGroup var cluster: ClusterOptions

    func run() throws {
        // First, so that a signal during start-up already stops the run cooperatively.
        Interrupts.install()
        let scheduler = try cluster.scheduler()
        ProgramCommit.prefetch()
        if cluster.executor != .local && settings.noCache {
            throw ValidationError("--executor \(cluster.executor.rawValue) needs the cache: its nodes read and write their units there")
        }
        let runner = try settings.runner(storesLargeEntries: cluster.executor != .local)
        let status: Int32
        do {
            status = try runner.runAll(notebooks, scheduler: scheduler, output: TerminalProgress(quiet: settings.quiet))
        } catch let error as RunUsageError {
            throw ValidationError(error.description)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
