import Foundation
import Linalg
import Notebook
import Report

/// One run of one notebook, start to finish: execute the plan, then write the report —
/// also when cells fail or the run is interrupted.
public final class NotebookRun: @unchecked Sendable {
    public let plan: Plan
    public let notebookPath: String
    public let outputDirectory: URL
    public let executor: Executor
    private let templates: Templates
    private let started = Date()
    /// Fixed dates and machine for golden tests.
    public var clock: @Sendable () -> Date = { Date() }
    public var startDate: Date?
    public var machine: MachineInfo?
    /// Input files with their SHA-256 (from the cache keys), for provenance.
    public var dataFiles: [String: String] = [:]
    /// The same per cell index (`CacheKeys.cellFiles`), for each cell's inputs in run.json.
    public var cellFiles: [[String: String]] = []
    /// The program's git commit (fixed in golden tests).
    public var programCommit: String? = ProgramCommit.current
    /// Also write slides.html, a 16:9 deck of the figures (`--slides`).
    public var slides = false

    /// - Parameters:
    ///   - outputDirectory: the report's own directory (output/NOTEBOOK).
    public init(plan: Plan, notebookPath: String, outputDirectory: URL, templates: Templates, dataDirectory: URL,
                observer: (any ExecutionObserver)? = nil, store: (any ResultStore)? = nil, cacheKeys: [String] = [],
                inputKeys: [String] = []) {
        self.plan = plan
        self.notebookPath = notebookPath
        self.outputDirectory = outputDirectory
        self.templates = templates
        let notebookDirectory = URL(fileURLWithPath: notebookPath).deletingLastPathComponent()
        self.executor = Executor(plan: plan, notebookDirectory: notebookDirectory, dataDirectory: dataDirectory,
                                 observer: observer, store: store, cacheKeys: cacheKeys, inputKeys: inputKeys)
        self.cacheKeys = cacheKeys
        self.inputKeys = inputKeys
        self.store = store
        self.dataDirectory = dataDirectory
    }
    private let cacheKeys: [String]
    private let inputKeys: [String]
    private let store: (any ResultStore)?
    private let dataDirectory: URL

    /// A fresh executor for the same plan, store and keys reporting to `observer` (the
    /// cluster executor runs the plan in rounds, one executor each, between which units of
    /// work are computed elsewhere).
    public func makeExecutor(_ observer: (any ExecutionObserver)?) -> Executor {
        Executor(plan: plan, notebookDirectory: executor.notebookDirectory, dataDirectory: dataDirectory,
                 observer: observer, store: store, cacheKeys: cacheKeys, inputKeys: inputKeys)
    }

    /// Runs every cell and writes the report. Returns the records. After an interrupt
    /// (`Cancellation`) the cells stop at a safe point, with every worker thread joined,
    /// and the report of what finished is written with status "interrupted".
    @discardableResult
    public func run() throws -> [CellRecord] {
        let records = executor.run()
        try writeReport(records: records, interrupted: records.contains { $0.status == .interrupted })
        return records
    }

    /// Writes (again) the report of `records`, e.g. as interrupted when the interrupt came
    /// after the last cell, while the report was being written: run.json then agrees with
    /// the exit code.
    public func writeReport(records: [CellRecord], interrupted: Bool) throws {
        let manifest = RunManifest(plan: plan, records: records, notebookPath: notebookPath, started: startDate ?? started,
                                   finished: clock(), interrupted: interrupted, programCommit: programCommit, dataFiles: dataFiles,
                                   machine: machine ?? MachineInfo.current(blasCore: BLAS.coreName, blasThreads: BLAS.threads,
                                                                           blasConfig: BLAS.config),
                                   cacheKeys: cacheKeys, cellFiles: cellFiles)
        let builder = ReportBuilder(templates: templates)
        let input = ReportInput(plan: plan, records: records, manifest: manifest)
        var files = try builder.build(input)
        if slides { files.files[ReportFiles.slidesPath] = Array(builder.slides(input).utf8) }
        try ReportWriter.write(files, to: outputDirectory)
    }
}
