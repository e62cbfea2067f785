import ArgumentParser
import Foundation
import Notebook
import Report
import Runs

/// Lists a notebook's units of work without computing anything.
struct UnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "List a notebook's units of work (each sweep autoencoder, entropy estimate, …) with their cache keys.",
        discussion: """
        One line per unit: its key, dependency level, whether the cache holds it, the cell and \
        unit, and the keys of its inputs (12-character prefixes). Nothing runs.
        """)

    @Argument(help: "Notebook file (.md).", completion: .file(extensions: ["md"]))
    var notebook: String

    @Option(name: .shortAndLong, parsing: .singleValue, help: ArgumentHelp("Override a parameter, as for `run`; repeatable.", valueName: "key=value"))
    var parameter: [String] = []

    @Option(name: .customLong("cache-dir"), help: "Cache directory to look the units up in (default: output/.cache).")
    var cacheDirectory: String = "output/.cache"

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("As for `run`.", valueName: "size"))
    var memoryLimit: String = "75%"

    @OptionGroup var access: ReadAccessOptions

    func run() throws {
        let setup = access.setup(overrides: try parseOverrides(parameter), budget: try parseBudget(memoryLimit),
                                 dataDirectory: defaultDataDirectory(templates: try? Templates.locate()))
        let plan: Plan
        switch setup.plan(notebook) {
        case .success(let p): plan = p
        case .failure(let f):
            printDiagnostics(f.diagnostics)
            throw ExitCode(2)
        }
        let cacheURL = URL(fileURLWithPath: cacheDirectory)
        let work = WorkPlan(plan: plan, keys: setup.keys(of: plan, notebookPath: notebook, cacheDirectory: cacheURL))
        let cache = setup.cache(at: cacheURL, warn: { _ in })
        for unit in work.units {
            let inputs = unit.inputs.map { String($0.prefix(12)) }.joined(separator: ",")
            print("\(unit.key)  L\(unit.level)  \(cache.hasEntry(key: unit.key) ? "cached " : "missing")  \(unit.label)  <- \(inputs.isEmpty ? "-" : inputs)")
        }
        for (index, problem) in work.problems.sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write("\(plan.cells[index].label): no units (\(problem))\n")
        }
        let levels = Set(work.units.map(\.level)).count
        FileHandle.standardError.write("\(work.units.count) unit(s) in \(levels) level(s), \(work.units.filter { cache.hasEntry(key: $0.key) }.count) cached\n")
    }
}
