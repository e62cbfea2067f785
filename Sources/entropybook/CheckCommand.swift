import ArgumentParser
import Directives
import Foundation
import Notebook
import Report
import Runs

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

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Refuse notebooks whose estimated time is over this (e.g. 90s, 10min, 2h).", valueName: "duration"))
    var timeLimit: String?

    @Flag(name: .customLong("estimate"), help: "Print each cell's estimated time and memory, and the notebook's total.")
    var estimate = false

    @Flag(name: .customLong("json"), help: "With --estimate: print {\"totalSeconds\", \"cells\": [{\"id\", \"directive\", \"line\", \"seconds\", \"memoryBytes\", \"work\"}]} on stdout (work: the counts the seconds price).")
    var json = false

    @Flag(name: .customLong("measure"), help: "Measure the machine's speeds again (they are kept in output/.cache-speeds.json).")
    var measure = false

    func run() throws {
        let overrides = try parseOverrides(parameter)
        var budget = try parseBudget(memoryLimit)
        if let timeLimit { budget.timeLimit = try parseTimeLimit(timeLimit) }
        if estimate || json || timeLimit != nil || measure {
            budget.speeds = MachineSpeeds.load(from: MachineSpeeds.file(besideCache: URL(fileURLWithPath: "output/.cache")),
                                               threads: 2, remeasure: measure)
        }
        let data = defaultDataDirectory(templates: try? Templates.locate())
        var failed = false
        for path in notebooks {
            switch access.setup(overrides: overrides, budget: budget, dataDirectory: data).plan(path) {
            case .success(let plan):
                printDiagnostics(plan.warnings + ProseRenderer.imageWarnings(in: plan.document))
                FileHandle.standardError.write("\(path): ok — \(plan.cells.count) cells\n")
                if json {
                    print(estimateJSON(plan))
                } else if estimate {
                    print(estimateTable(plan, path: path))
                }
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

/// `--time-limit` in seconds.
func parseTimeLimit(_ text: String) throws -> Double {
    guard let seconds = parseDuration(text) else {
        throw ValidationError("--time-limit takes a duration such as 90s, 10min or 2h, not `\(text)`")
    }
    return seconds
}

/// `check --estimate`: one line per cell, then the total.
func estimateTable(_ plan: Plan, path: String) -> String {
    var lines = ["\(path): about \(describeSeconds(plan.estimatedSeconds)) in all"]
    for e in plan.estimates {
        let memory = e.memoryBytes > 0 ? String(format: "%.0f MB", e.memoryBytes / 1e6) : "—"
        lines.append("  line \(e.line)  {\(e.directive)} \(e.id)  \(describeSeconds(e.seconds))  \(memory)"
                     + (e.timeExplanation.map { "  (\($0))" } ?? ""))
    }
    return lines.joined(separator: "\n")
}

/// `check --estimate --json`.
func estimateJSON(_ plan: Plan) -> String {
    struct Cell: Encodable {
        var id: String; var directive: String; var line: Int; var seconds: Double; var memoryBytes: Double; var work: ComputeWork
    }
    struct Output: Encodable { var totalSeconds: Double; var cells: [Cell] }
    let output = Output(totalSeconds: plan.estimatedSeconds,
                        cells: plan.estimates.map { Cell(id: $0.id, directive: $0.directive, line: $0.line, seconds: $0.seconds,
                                                         memoryBytes: $0.memoryBytes, work: $0.work) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return (try? encoder.encode(output)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
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
