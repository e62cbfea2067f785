import ArgumentParser
import Foundation
import Linalg
import Notebook
import Preview
import Report
import Runs

/// Serves a notebook's report (or a folder's) on 127.0.0.1 and re-runs on every save; open
/// pages reload themselves when the run has finished.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Serve a notebook's report (or a folder's) on 127.0.0.1; re-run on save, and open pages reload.",
        discussion: """
        Runs NOTEBOOK (or every *.md of DIR), serves the reports at http://127.0.0.1:PORT/ — for \
        one notebook `/` is its report, for a folder `/` lists the notebooks — and re-runs a \
        notebook whenever it or a file it reads is saved, as `watch` does. Every open page \
        reloads itself when the run has finished (server-sent events, through a script the \
        server adds to the page it sends, allowed by a nonce in the page's CSP; the report \
        files in OUTPUT stay script-free). A save with a validation error shows the located \
        errors in the page. Listens on 127.0.0.1 only; paths outside the reports are 404. \
        Prints `preview: http://127.0.0.1:PORT/` when it listens; Ctrl-C stops it.
        """)

    @Argument(help: "A notebook (.md) or a folder of notebooks (default: the current folder).", completion: .file())
    var target: String = "."

    @Option(help: "Port on 127.0.0.1 (0: any free port).")
    var port: Int = 8000

    @OptionGroup var settings: NotebookRunOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): not a port (0…65535)") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else {
            throw ValidationError("\(target): no such file or folder")
        }
        let notebooks: [String]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
            notebooks = names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted().map { (target as NSString).appendingPathComponent($0) }
        } else {
            notebooks = [target]
        }
        Interrupts.install()
        ProgramCommit.prefetch()
        var runner = try settings.runner()
        let state = PreviewState(notebooks: notebooks)
        let server = PreviewServer(state: state, output: URL(fileURLWithPath: settings.output),
                                   mode: isDirectory.boolValue ? .folder(target) : .notebook, css: runner.templates.css)
        let port = self.port
        let listening = DispatchSemaphore(value: 0)
        let failure = ServerFailure()
        Task.detached {
            do {
                try await server.run(port: port) { actual in
                    FileHandle.standardOutput.write("preview: http://127.0.0.1:\(actual)/\n")
                    listening.signal()
                }
            } catch {
                failure.message = "\(error)"
                listening.signal()
            }
        }
        listening.wait()
        if let message = failure.message { throw ValidationError("cannot serve on 127.0.0.1:\(port): \(message)") }

        let events = try FileEvents()
        let progress = WatchProgress(TerminalProgress(quiet: settings.quiet))
        // Per notebook, the files whose saves re-run it (itself and what it read).
        var reads = Dictionary(uniqueKeysWithValues: notebooks.map { ($0, Set([$0])) })
        var pending = notebooks
        while true {
            for notebook in pending {
                let started = DispatchTime.now()
                let outcome: NotebookRunner.Outcome
                do {
                    outcome = try runner.run(notebook, scheduler: LocalScheduler(), output: progress)
                } catch let error as RunUsageError {
                    throw ValidationError(error.description)
                }
                if case .interrupted = outcome { throw ExitCode(NotebookRunner.interruptedExitCode) }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
                switch outcome {
                case .invalid(let failure):
                    state.finished(notebook, title: nil, outcome: .invalid(diagnostics: failure.diagnostics.map(\.rendered)))
                    announce("\(notebook): not run (\(failure.diagnostics.filter { $0.severity == .error }.count) error(s)); waiting for the next save")
                case .reportNotWritten, .interrupted:
                    state.finished(notebook, title: nil, outcome: .notWritten("see the terminal"))
                    announce("\(notebook): the report could not be written; waiting for the next save")
                case .finished(let run, let records):
                    reads[notebook] = Set([notebook] + run.dataFiles.keys)
                    let summary = RunSummary(records: records)
                    let line = summary.line(seconds: seconds, report: run.outputDirectory.appendingPathComponent("index.html").path)
                    state.finished(notebook, title: run.plan.document.title,
                                   outcome: .reported(summary: "\(summary.total) cells: \(summary.computed.count) computed, \(summary.cached) cached"
                                                      + (summary.failed.isEmpty ? "" : ", \(summary.failed.count) failed")))
                    announce(line)
                }
            }
            // --refresh is for the start: later runs read what the first one stored.
            if !runner.options.refresh.isEmpty {
                var options = runner.options
                options.refresh = []
                runner = NotebookRunner(setup: runner.setup, options: options, templates: runner.templates)
            }
            let watched = reads.values.reduce(into: Set<String>()) { $0.formUnion($1) }
            try events.watch(watched, required: notebooks.first ?? target)
            Interrupts.waiting.store(true, ordering: .sequentiallyConsistent)
            let changed = events.waitForChange(quiet: WatchCommand.debounceSeconds, stop: { Cancellation.isRequested })
            Interrupts.waiting.store(false, ordering: .sequentiallyConsistent)
            guard let changed else {
                announce("stopped previewing \(target)")
                return
            }
            // FileEvents reports names: a notebook re-runs when a file it reads by that name changed.
            pending = notebooks.filter { notebook in
                reads[notebook, default: []].contains { changed.contains(URL(fileURLWithPath: $0).lastPathComponent) }
            }
        }
    }

    private func announce(_ line: String) {
        FileHandle.standardOutput.write(line + "\n")
    }
}

/// The server task's error, read after the semaphore says it is set.
private final class ServerFailure: @unchecked Sendable {
    var message: String?
}
