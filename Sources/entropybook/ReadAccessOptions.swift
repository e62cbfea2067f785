import ArgumentParser
import Directives
import Foundation
import Notebook
import Runs

/// `--allow-read` and `--trust`, shared by `run` and `check`: what a notebook may read
/// beyond its own folder and the data directory. The default is nothing, so a notebook
/// from someone else cannot read your files.
struct ReadAccessOptions: ParsableArguments {
    @Option(name: .customLong("allow-read"), parsing: .singleValue,
            help: ArgumentHelp("Also let notebooks read files under this directory; repeatable.", valueName: "dir"))
    var allowRead: [String] = []

    @Flag(help: "Honour the directories a notebook's front matter lists under `allow-read`.")
    var trust = false

    /// The notebook setup these options, `-p` overrides and the budget describe.
    func setup(overrides: [String: String], budget: ResourceBudget, dataDirectory: URL) -> NotebookSetup {
        var setup = NotebookSetup(dataDirectory: dataDirectory, registry: DirectiveRegistry.all, valueTypes: DirectiveRegistry.valueTypes)
        setup.overrides = overrides
        setup.budget = budget
        setup.allowRead = allowRead
        setup.trust = trust
        return setup
    }
}

/// The data directory: ENTROPYBOOK_DATA, else `data/` beside the templates folder (the
/// project), where scripts/fetch-mnist-sample.sh puts the MNIST sample.
func defaultDataDirectory(templates: URL?) -> URL {
    if let env = ProcessInfo.processInfo.environment["ENTROPYBOOK_DATA"] { return URL(fileURLWithPath: env) }
    let project = templates?.deletingLastPathComponent() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    return project.appendingPathComponent("data")
}
