import ArgumentParser
import Directives
import Foundation
import Notebook
import Report

/// Parses and validates notebooks without running anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate notebooks (directives, parameters, ids) without running them.",
        discussion: "Every problem is printed as `notebook.md:LINE:COL: error: message`. Exit code 2 when any notebook has an error.")

    @Argument(help: "Notebook files (.md).", completion: .file(extensions: ["md"]))
    var notebooks: [String]

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("Refuse notebooks whose cells would need more memory than this (e.g. 16G, 500M, 50%).", valueName: "size"))
    var memoryLimit: String = "75%"

    @Option(name: .shortAndLong, parsing: .singleValue, help: ArgumentHelp("Override a parameter (seed, threads, quick, or a front-matter param).", valueName: "key=value"))
    var parameter: [String] = []

    @OptionGroup var access: ReadAccessOptions

    func run() throws {
        let overrides = try parseOverrides(parameter)
        let budget = try parseBudget(memoryLimit)
        let data = defaultDataDirectory(templates: try? Templates.locate())
        var failed = false
        for path in notebooks {
            switch access.setup(overrides: overrides, budget: budget, dataDirectory: data).plan(path) {
            case .success(let plan):
                printDiagnostics(plan.warnings + ProseRenderer.imageWarnings(in: plan.document))
                FileHandle.standardError.write("\(path): ok — \(plan.cells.count) cells\n")
            case .failure(let failure):
                printDiagnostics(failure.diagnostics)
                failed = true
            }
        }
        if failed { throw ExitCode(2) }
    }
}

/// `--memory-limit` as a budget.
func parseBudget(_ text: String) throws -> ResourceBudget {
    guard let bytes = ResourceBudget.parseLimit(text) else {
        throw ValidationError("--memory-limit takes a size such as 16G, 500M or 50%, not `\(text)`")
    }
    return ResourceBudget(memoryLimit: bytes)
}

/// `-p key=value` pairs as a dictionary.
func parseOverrides(_ pairs: [String]) throws -> [String: String] {
    var out = [String: String]()
    for pair in pairs {
        guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
            throw ValidationError("-p takes key=value, got `\(pair)`")
        }
        out[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
    }
    return out
}

func printDiagnostics(_ diagnostics: [Diagnostic]) {
    for d in diagnostics.sorted(by: { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }) {
        FileHandle.standardError.write(d.rendered + "\n")
    }
}

extension FileHandle {
    func write(_ string: String) { write(Data(string.utf8)) }
}
