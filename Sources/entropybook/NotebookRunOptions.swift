import ArgumentParser
import Directives
import Foundation
import Notebook
import Report
import Runs

/// The options of running a notebook here, shared by `run` and `watch`: where reports and
/// the cache go, overrides, the memory budget and what a notebook may read.
struct NotebookRunOptions: ParsableArguments {
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

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Refuse, before anything runs, a notebook whose estimated time is over this (e.g. 90s, 10min, 2h).", valueName: "duration"))
    var timeLimit: String?

    /// The runner these options describe, with the templates found beside the program.
    /// `storesLargeEntries`: keep large cheap entries too (the cluster's nodes read them).
    func runner(storesLargeEntries: Bool = false) throws -> NotebookRunner {
        let overrides = try parseOverrides(parameter)
        var budget = try parseBudget(memoryLimit)
        let cacheURL = URL(fileURLWithPath: cacheDirectory ?? (output as NSString).appendingPathComponent(".cache"))
        if let timeLimit { budget.timeLimit = try parseTimeLimit(timeLimit) }
        // Speeds price the cells: for the time limit, the progress's ETA of the whole
        // notebook, and a cluster's `--time` per array. Measured once (below a second),
        // then read from beside the cache.
        if timeLimit != nil || storesLargeEntries || !quiet {
            budget.speeds = MachineSpeeds.load(from: MachineSpeeds.file(besideCache: cacheURL), threads: 2)
        }
        let templatesURL = try Templates.locate()
        let templates = try Templates(directory: templatesURL)
        let setup = access.setup(overrides: overrides, budget: budget, dataDirectory: defaultDataDirectory(templates: templatesURL))
        var options = RunOptions(outputDirectory: URL(fileURLWithPath: output),
                                 cacheDirectory: noCache ? nil : URL(fileURLWithPath: cacheDirectory ?? (output as NSString).appendingPathComponent(".cache")))
        options.cacheLimit = Int(cacheLimit * 1_073_741_824)
        options.refresh = Set(refresh)
        options.storesLargeEntries = storesLargeEntries
        options.slides = slides
        return NotebookRunner(setup: setup, options: options, templates: templates)
    }
}
