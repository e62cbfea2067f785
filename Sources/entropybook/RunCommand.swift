import ArgumentParser
import Directives
import Foundation
import Linalg
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

    func run() throws {
        // First, so that a signal during start-up already stops the run cooperatively.
        Interrupts.install()
        let overrides = try parseOverrides(parameter)
        let budget = try parseBudget(memoryLimit)
        ProgramCommit.prefetch()
        let templatesURL = try Templates.locate()
        let templates = try Templates(directory: templatesURL)
        let dataDirectory = defaultDataDirectory(templates: templatesURL)
        var worst: Int32 = 0
        // The last report written, to mark it interrupted if a stop arrives after it.
        var last: (run: NotebookRun, records: [CellRecord], interrupted: Bool)?
        for path in notebooks {
            let plan: Plan
            switch loadPlan(path, overrides: overrides, budget: budget, access: access, dataDirectory: dataDirectory) {
            case .success(let p):
                printDiagnostics(p.warnings + ProseRenderer.imageWarnings(in: p.document))
                plan = p
            case .failure(let failure):
                let diagnostics = failure.diagnostics
                printDiagnostics(diagnostics)
                FileHandle.standardError.write("\(path): not run (\(diagnostics.filter { $0.severity == .error }.count) error(s))\n")
                worst = max(worst, 2)
                continue
            }
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let directory = URL(fileURLWithPath: output).appendingPathComponent(stem)
            let progress = TerminalProgress(quiet: quiet)
            let cacheURL = URL(fileURLWithPath: cacheDirectory ?? (output as NSString).appendingPathComponent(".cache"))
            let notebookDirectory = URL(fileURLWithPath: path).deletingLastPathComponent()
            let hasher = FileHasher(memoURL: noCache ? nil : cacheURL.appendingPathComponent("files.json"))
            let keys = CacheKeys(plan: plan, locations: FileLocations(notebookDirectory: notebookDirectory, dataDirectory: dataDirectory),
                                 hasher: hasher)
            hasher.persist()
            for id in refresh where !plan.cells.contains(where: { $0.id == id }) {
                throw ValidationError("--refresh \(id): \(path) has no cell with that id")
            }
            let store: CellCache? = noCache ? nil : CellCache(
                directory: cacheURL, limit: Int(cacheLimit * 1_073_741_824), refresh: Set(refresh), valueTypes: DirectiveRegistry.valueTypes,
                warn: { message in FileHandle.standardError.write("warning: \(message)\n") })
            let run = NotebookRun(plan: plan, notebookPath: path, outputDirectory: directory, templates: templates,
                                  dataDirectory: dataDirectory, observer: progress, store: store, cacheKeys: keys.keys, inputKeys: keys.inputKeys)
            run.dataFiles = keys.files
            run.cellFiles = keys.cellFiles
            run.slides = slides
            progress.begin(path, cells: plan.cells.count)
            let records: [CellRecord]
            do {
                records = try onLargeStack { try run.run() }
            } catch where Cancellation.isRequested {
                reportUnwritten(error)
                throw ExitCode(Interrupts.exitCode)
            } catch let error as FileWriteError {
                // The run happened but its report did not reach the disk: say which file
                // and why, and go on with the next notebook.
                FileHandle.standardError.write("error: \(error)\n")
                worst = max(worst, 1)
                continue
            }
            var interrupted = records.contains { $0.status == .interrupted }
            if Cancellation.isRequested && !interrupted {
                // The stop came while the report of the finished cells was being written.
                interrupted = true
                do { try run.writeReport(records: records, interrupted: true) } catch {
                    reportUnwritten(error)
                    throw ExitCode(Interrupts.exitCode)
                }
            }
            let failed = records.filter { $0.status == .failed }
            for r in failed { if let e = r.error { FileHandle.standardError.write(e.rendered + "\n") } }
            if !quiet {
                FileHandle.standardError.write("report: \(directory.appendingPathComponent("index.html").path)\n")
            }
            if interrupted { throw ExitCode(Interrupts.exitCode) }
            if !failed.isEmpty { worst = max(worst, 1) }
            last = (run, records, interrupted)
        }
        // From here on a signal changes nothing (the reports are written, the exit code is
        // chosen); one that came after the last check above still makes the run interrupted.
        if !Cancellation.close() {
            if let last, !last.interrupted {
                do { try last.run.writeReport(records: last.records, interrupted: true) } catch { reportUnwritten(error) }
            }
            throw ExitCode(Interrupts.exitCode)
        }
        if worst != 0 { throw ExitCode(worst) }
    }

    private func reportUnwritten(_ error: Error) {
        FileHandle.standardError.write("error: could not write the report: \(error)\n")
    }

    /// Runs `body` on a thread with a 64 MiB stack (deeply nested notebooks recurse in the
    /// parser and renderer) and waits for it. Signals do not stop it: `Interrupts` only sets
    /// the `Cancellation` flag, which the run checks at its safe points.
    private func onLargeStack<T>(_ body: @escaping @Sendable () throws -> T) throws -> T {
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
