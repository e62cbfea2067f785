import ArgumentParser
import Foundation
import Linalg
import Notebook
import Report
import Runs

/// Runs every notebook of a folder and writes a static site of their reports.
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Run every notebook of a folder and write a static site: an index, each report, each one's recent runs.",
        discussion: """
        Runs every *.md of DIR (as `run` does, with the cache) into OUTPUT/STEM/, then writes \
        OUTPUT/index.html — per notebook its title, last run, cells computed and cached, each \
        claim's outcome and each dimension verdict, and links — and OUTPUT/STEM/runs.html, its \
        last \(SiteBuilder.keptRuns) runs (OUTPUT/STEM/runs/*.json) each with a one-line \
        `entropybook diff` summary against the run before. No script and no external request: \
        publishable on any static host. Exit code as `run`: 0 ok, 1 a cell failed, 2 a notebook \
        is invalid (it is listed with its errors), 130 interrupted.
        """)

    @Argument(help: "The folder of notebooks.", completion: .directory)
    var folder: String

    @OptionGroup var settings: NotebookRunOptions

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(folder): not a folder")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        guard !names.isEmpty else { throw ValidationError("\(folder): no notebook (*.md)") }
        Interrupts.install()
        ProgramCommit.prefetch()
        let runner = try settings.runner()
        let progress = TerminalProgress(quiet: settings.quiet)
        let site = SiteBuilder(output: URL(fileURLWithPath: settings.output), css: runner.templates.css)
        var entries = [SiteBuilder.Entry]()
        var worst: Int32 = 0
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            let stem = (name as NSString).deletingPathExtension
            let outcome: NotebookRunner.Outcome
            do {
                outcome = try runner.run(path, scheduler: LocalScheduler(), output: progress)
            } catch let error as RunUsageError {
                throw ValidationError(error.description)
            }
            switch outcome {
            case .interrupted:
                throw ExitCode(NotebookRunner.interruptedExitCode)
            case .invalid(let failure):
                var entry = SiteBuilder.Entry(stem: stem, path: path, title: stem)
                entry.diagnostics = failure.diagnostics.map(\.rendered)
                entries.append(entry)
                worst = max(worst, 2)
            case .reportNotWritten:
                entries.append(SiteBuilder.Entry(stem: stem, path: path, title: stem))
                worst = max(worst, 1)
            case .finished(let run, let records):
                let title = run.plan.document.title
                entries.append(SiteBuilder.Entry(stem: stem, path: path, title: title, finished: Date(), records: records))
                if records.contains(where: { $0.status == .failed }) { worst = max(worst, 1) }
                try site.recordRun(stem: stem, title: title)
            }
        }
        try site.writeIndex(folder: folder, entries: entries)
        if !settings.quiet {
            FileHandle.standardOutput.write("site: \((settings.output as NSString).appendingPathComponent("index.html")) (\(entries.count) notebooks)\n")
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}
