import ArgumentParser
import Directives
import Foundation
import Cluster
import Notebook
import Report

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

    @Option(name: .shortAndLong, help: "Directory that receives one folder per notebook.")
    var output: String = "output"

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("Refuse notebooks whose cells would need more memory than this (e.g. 16G, 500M, 50%).", valueName: "size"))
    var memoryLimit: String = "75%"

    @Option(name: .shortAndLong, parsing: .singleValue, help: ArgumentHelp("Override a parameter (seed, threads, quick, or a front-matter param); repeatable.", valueName: "key=value"))
    var parameter: [String] = []

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .customLong("slides"), help: "Also write slides.html beside the report: a self-contained 16:9 deck, one figure per slide.")
    var slides = false

    @Flag(name: .customLong("no-cache"), help: "Run every cell; neither read nor write the cache.")
    var noCache = false

    @Option(name: .customLong("refresh"), help: ArgumentHelp("Recompute the cell with this id even if cached; repeatable.", valueName: "cell-id"))
    var refresh: [String] = []

    @Option(name: .customLong("cache-dir"), help: "Cache directory (default: OUTPUT/.cache).")
    var cacheDirectory: String?

    @Option(name: .customLong("cache-limit"), help: "Cache size limit in GiB; least recently used entries go first.")
    var cacheLimit: Double = 4

    @OptionGroup var access: ReadAccessOptions

    @OptionGroup var cluster: ClusterOptions

    func run() throws {
        // First, so that a signal during start-up already stops the run cooperatively.
        Interrupts.install()
        let overrides = try parseOverrides(parameter)
        let budget = try parseBudget(memoryLimit)
        let scheduler = try cluster.scheduler()
        ProgramCommit.prefetch()
        let templatesURL = try Templates.locate()
        let templates = try Templates(directory: templatesURL)
        let setup = access.setup(overrides: overrides, budget: budget, dataDirectory: defaultDataDirectory(templates: templatesURL))
        var options = RunOptions(outputDirectory: URL(fileURLWithPath: output),
                                 cacheDirectory: noCache ? nil : URL(fileURLWithPath: cacheDirectory ?? (output as NSString).appendingPathComponent(".cache")))
        options.cacheLimit = Int(cacheLimit * 1_073_741_824)
        options.refresh = Set(refresh)
        options.storesLargeEntries = cluster.executor != .local
        options.slides = slides
        if cluster.executor != .local && noCache {
            throw ValidationError("--executor \(cluster.executor.rawValue) needs the cache: its nodes read and write their units there")
        }
        let runner = NotebookRunner(setup: setup, options: options, templates: templates)
        let status: Int32
        do {
            status = try runner.runAll(notebooks, scheduler: scheduler, output: TerminalProgress(quiet: quiet))
        } catch let error as RunUsageError {
            throw ValidationError(error.description)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
