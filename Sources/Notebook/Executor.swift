import Foundation
import Linalg

/// What happened to one cell.
public struct CellRecord: Sendable {
    public enum Status: String, Sendable, Codable {
        /// Ran and succeeded.
        case ok
        /// Came from the cache.
        case cached
        /// Threw; `error` says why.
        case failed
        /// Not run because a result it reads is missing (an upstream cell failed).
        case skipped
        /// Not run, or stopped at a safe point, because the run was interrupted; its results
        /// are dropped and not cached.
        case interrupted
    }
    public var cell: PlannedCell
    public var status: Status
    public var outputs: [OutputItem]
    /// Summaries of the values it stored, by id.
    public var stored: [(id: String, summary: String)]
    /// The structured record of every value it stored, by id (`NotebookValue.record`).
    public var results: [String: JSONValue] = [:]
    public var error: Diagnostic?
    /// Seconds this run spent on the cell (loading it, when cached).
    public var seconds: Double
    /// For a cached cell: the seconds it took when it was computed, if the cache knows.
    public var computeSeconds: Double?
    /// For a cached cell: when it was computed, if the cache knows.
    public var computedAt: Date?

    public init(cell: PlannedCell, status: Status, outputs: [OutputItem] = [], stored: [(id: String, summary: String)] = [],
                error: Diagnostic? = nil, seconds: Double = 0, computeSeconds: Double? = nil) {
        self.cell = cell
        self.status = status
        self.outputs = outputs
        self.stored = stored
        self.error = error
        self.seconds = seconds
        self.computeSeconds = computeSeconds
    }
}

/// Observes execution (progress lines on the terminal, tests).
public protocol ExecutionObserver: Sendable {
    func cellStarted(_ cell: PlannedCell, of total: Int)
    func cellProgress(_ cell: PlannedCell, fraction: Double, message: String)
    func cellFinished(_ record: CellRecord, of total: Int)
}

/// Whether a cell runs now (`Executor.gate`).
public enum CellGate: Sendable {
    case run
    /// Not run: recorded with this status and note; cells reading it are skipped.
    case hold(CellRecord.Status, Diagnostic?)
}

/// Looks up and stores cell results across runs (the cache); `nil` means always run.
public protocol ResultStore: Sendable {
    /// A stored result for `key`, or nil.
    func load(key: String, cell: PlannedCell) -> CellResult?
    /// Stores a fresh result that took `seconds` to compute.
    func save(_ result: CellResult, key: String, cell: PlannedCell, seconds: Double)
}

/// Runs a plan's cells in order. A failed cell is recorded and the run goes on; cells that
/// read a failed cell's results are skipped with a note.
///
/// Interrupts are cooperative (`Cancellation`, set by the CLI's signal handler): a request
/// is seen before each cell and at the library's safe points inside it, which throw
/// `CancellationError` after joining their threads. The running cell and every later one
/// are then recorded as interrupted, and `run` returns normally so that the report of what
/// finished is written with no thread left inside OpenBLAS.
public final class Executor: @unchecked Sendable {
    public let plan: Plan
    public let notebookDirectory: URL
    public let dataDirectory: URL
    private let observer: (any ExecutionObserver)?
    private let store: (any ResultStore)?
    private let keys: [String]
    private let inputKeys: [String]
    private let lock = NSLock()
    private var _records = [CellRecord]()
    /// Asked before each cell that could run; nil runs every cell. The cluster executor
    /// holds back cells whose units of work are not in the cache yet.
    public var gate: (@Sendable (PlannedCell) -> CellGate)?

    public init(plan: Plan, notebookDirectory: URL, dataDirectory: URL,
                observer: (any ExecutionObserver)? = nil, store: (any ResultStore)? = nil, cacheKeys: [String] = [],
                inputKeys: [String] = []) {
        self.inputKeys = inputKeys
        self.plan = plan
        self.notebookDirectory = notebookDirectory
        self.dataDirectory = dataDirectory
        self.observer = observer
        self.store = store
        self.keys = cacheKeys
    }

    /// The records so far (complete after `run` returns).
    public var records: [CellRecord] { lock.withLock { _records } }

    /// Runs every cell. Returns the records.
    @discardableResult
    public func run() -> [CellRecord] {
        BLAS.setThreads(plan.settings.threads)
        var environment = [String: any NotebookValue]()
        var unavailable = [String: String]() // id → why (failed/skipped upstream)
        let total = plan.cells.count
        for cell in plan.cells {
            if Cancellation.isRequested {
                append(CellRecord(cell: cell, status: .interrupted, outputs: [], stored: [], error: nil, seconds: 0))
                continue
            }
            if let missing = cell.reads.first(where: { unavailable[$0] != nil }) {
                let why = unavailable[missing] ?? ""
                let note = Diagnostic(.note, at: cell.cell.location, directive: cell.directive.name,
                                      "skipped: it reads `\(missing)`, which \(why)")
                for w in cell.writes { unavailable[w.id] = "was skipped (line \(cell.cell.location.line))" }
                if let id = cell.id, cell.writes.isEmpty { unavailable[id] = "was skipped" }
                let record = CellRecord(cell: cell, status: .skipped, outputs: [], stored: [], error: note, seconds: 0)
                append(record)
                observer?.cellFinished(record, of: total)
                continue
            }
            if case .hold(let status, let note)? = gate?(cell) {
                let why = status == .failed ? "failed (line \(cell.cell.location.line))" : "was not computed (line \(cell.cell.location.line))"
                for w in cell.writes { unavailable[w.id] = why }
                let record = CellRecord(cell: cell, status: status, error: note)
                append(record)
                observer?.cellFinished(record, of: total)
                continue
            }
            observer?.cellStarted(cell, of: total)
            let start = DispatchTime.now().uptimeNanoseconds
            let key = keys.indices.contains(cell.index) ? keys[cell.index] : nil
            var status = CellRecord.Status.ok
            var result: CellResult
            var failure: Diagnostic?
            if let key, let cached = store?.load(key: key, cell: cell) {
                result = cached
                status = .cached
            } else {
                var memo: Memo?
                if let store, inputKeys.indices.contains(cell.index) {
                    memo = Memo.backed(by: store, scope: inputKeys[cell.index], cell: cell)
                }
                let context = CellContext(
                    cellID: cell.id, seed: cell.seed, settings: plan.settings, notebookDirectory: notebookDirectory,
                    dataDirectory: dataDirectory, allowedDirectories: plan.allowedReadDirectories, readLimits: plan.readLimits,
                    environment: environment, arguments: cell.arguments, memo: memo,
                    progress: { [observer] fraction, message in observer?.cellProgress(cell, fraction: fraction, message: message) })
                do {
                    result = try cell.directive.run(cell.arguments, context: context)
                    // A stop requested while the cell ran may have been absorbed inside it (a
                    // failed estimate recorded as a note, a `try?`): its result is not trusted.
                    try Cancellation.checkpoint()
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    if let key { store?.save(result, key: key, cell: cell, seconds: seconds) }
                } catch where error is CancellationError || Cancellation.isRequested {
                    // Also an error a directive made of a cancelled library call.
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    let record = CellRecord(cell: cell, status: .interrupted, outputs: [], stored: [], error: nil, seconds: seconds)
                    append(record)
                    observer?.cellFinished(record, of: total)
                    continue
                } catch {
                    result = CellResult()
                    status = .failed
                    failure = diagnostic(for: error, in: cell)
                }
            }
            var stored = [(id: String, summary: String)]()
            var results = [String: JSONValue]()
            if status != .failed, let id = cell.resultID {
                for (suffix, value) in result.values {
                    let name = suffix.isEmpty ? id : "\(id).\(suffix)"
                    environment[name] = value
                    stored.append((name, value.summary))
                    results[name] = value.record
                }
                stored.sort { $0.id < $1.id }
            }
            if status == .failed {
                for w in cell.writes { unavailable[w.id] = "failed (line \(cell.cell.location.line))" }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var record = CellRecord(cell: cell, status: status, outputs: result.outputs, stored: stored, error: failure, seconds: seconds,
                                    computeSeconds: status == .cached ? result.computeSeconds : nil)
            record.results = results
            if status == .cached { record.computedAt = result.computedAt }
            append(record)
            observer?.cellFinished(record, of: total)
        }
        return records
    }

    private func append(_ record: CellRecord) { lock.withLock { _records.append(record) } }

    /// Maps a thrown error to a located diagnostic: a ParameterError points at its key.
    private func diagnostic(for error: Error, in cell: PlannedCell) -> Diagnostic {
        let document = plan.document
        if let p = error as? ParameterError {
            let line = cell.arguments.lines[p.parameter] ?? cell.cell.location.line
            return Diagnostic(at: SourceLocation(file: document.file, line: line), directive: cell.directive.name,
                              parameter: p.parameter, "{\(cell.directive.name)}: \(p.message)", sourceLine: document.line(line))
        }
        let message = String(describing: error)
        return Diagnostic(at: cell.cell.location, directive: cell.directive.name, "{\(cell.directive.name)} failed: \(message)",
                          sourceLine: document.line(cell.cell.location.line))
    }
}
