import Foundation
import Notebook
import Runs

/// What a node needs to compute one unit, written beside the cache as
/// `CACHE/units/KEY.json` when the unit is submitted: the notebook (absolute path and
/// SHA-256 of its text) and every setting its plan and keys depend on. The node re-plans
/// the notebook, finds the unit by its key and computes it from the cache — so a notebook
/// edited after submission is refused (its hash), never computed under the old key.
public struct UnitSpec: Codable, Sendable, Equatable {
    public var key: String
    public var label: String
    public var notebook: String
    public var notebookSHA256: String
    public var overrides: [String: String]
    public var memoryLimit: Double
    public var allowRead: [String]
    public var trust: Bool
    public var dataDirectory: String
    public var cacheLimit: Int

    init(unit: WorkUnit, run: PreparedRun) {
        key = unit.key
        label = unit.label
        notebook = URL(fileURLWithPath: run.path).standardizedFileURL.path
        notebookSHA256 = SHA256.hex(Array(run.plan.document.source.utf8))
        overrides = run.setup.overrides
        memoryLimit = run.setup.budget.memoryLimit
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        allowRead = run.setup.allowRead.map { URL(fileURLWithPath: NSString(string: $0).expandingTildeInPath, relativeTo: cwd).standardizedFileURL.path }
        trust = run.setup.trust
        dataDirectory = run.setup.dataDirectory.standardizedFileURL.path
        cacheLimit = run.options.cacheLimit
    }

    static func url(key: String, cache: URL) -> URL {
        cache.appendingPathComponent("units").appendingPathComponent("\(key).json")
    }

    func write(to cache: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.createDirectory(cache.appendingPathComponent("units"))
        try AtomicFile.write(Array(try encoder.encode(self)), to: UnitSpec.url(key: key, cache: cache))
    }

    static func read(key: String, cache: URL) throws -> UnitSpec {
        let url = url(key: key, cache: cache)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CellError("no unit \(key) was submitted to this cache (\(url.path) is missing)")
        }
        do { return try JSONDecoder().decode(UnitSpec.self, from: data) } catch {
            throw CellError("\(url.path) is not a unit description: \(error)")
        }
    }
}

/// `entropybook work`: computes the unit stored under one key of a cache, as a cluster
/// task does.
public enum UnitWork {
    /// Computes the unit `key` of the cache at `cache` from its description and cached
    /// inputs, and stores it. `registry` and `valueTypes` are the CLI's directives.
    public static func run(key: String, cache cacheURL: URL, registry: [any Directive.Type],
                           valueTypes: [any CacheableValue.Type], warn: @escaping @Sendable (String) -> Void) throws -> UnitWorker.Outcome {
        let spec = try UnitSpec.read(key: key, cache: cacheURL)
        var setup = NotebookSetup(dataDirectory: URL(fileURLWithPath: spec.dataDirectory), registry: registry, valueTypes: valueTypes)
        setup.overrides = spec.overrides
        setup.budget = ResourceBudget(memoryLimit: spec.memoryLimit)
        setup.allowRead = spec.allowRead
        setup.trust = spec.trust
        let plan: Plan
        switch setup.plan(spec.notebook) {
        case .success(let p): plan = p
        case .failure(let f):
            throw CellError("\(spec.notebook) does not validate here:\n" + f.diagnostics.map(\.rendered).joined(separator: "\n"))
        }
        guard SHA256.hex(Array(plan.document.source.utf8)) == spec.notebookSHA256 else {
            throw CellError("\(spec.notebook) changed since \(spec.label) was submitted; run the notebook again to submit its new units")
        }
        let keys = setup.keys(of: plan, notebookPath: spec.notebook, cacheDirectory: cacheURL)
        let work = WorkPlan(plan: plan, keys: keys)
        guard let unit = work.unit(key: key) else {
            throw CellError("\(spec.notebook) has no unit with key \(key) here (its data files or the program differ from the submitting machine's)")
        }
        let cache = setup.cache(at: cacheURL, limit: spec.cacheLimit, warn: warn)
        cache.storesLargeEntries = true
        let worker = UnitWorker(plan: plan, keys: keys, cache: cache,
                                notebookDirectory: URL(fileURLWithPath: spec.notebook).deletingLastPathComponent(),
                                dataDirectory: setup.dataDirectory)
        return try worker.compute(unit)
    }
}

/// What computing one unit cost, as the task that computed it saw it:
/// `CACHE/units/KEY.record.json`, written by `entropybook work` after storing the unit.
/// The run's provenance reads it (no accounting daemon needed): node, Slurm job, seconds
/// and peak resident memory (`getrusage`'s `ru_maxrss`).
public struct UnitRecord: Codable, Sendable, Equatable {
    public var key: String
    public var node: String
    /// `ARRAYJOB_TASK` when run by a Slurm array task, else `SLURM_JOB_ID` or nil.
    public var job: String?
    /// Seconds computing, and seconds of the whole `work` process (planning, loading).
    public var computeSeconds: Double
    public var elapsedSeconds: Double
    public var peakMemoryBytes: Double
    /// `SLURM_RESTART_COUNT`: how often Slurm requeued this task.
    public var restarts: Int

    public init(key: String, node: String, job: String?, computeSeconds: Double, elapsedSeconds: Double,
                peakMemoryBytes: Double, restarts: Int) {
        self.key = key
        self.node = node
        self.job = job
        self.computeSeconds = computeSeconds
        self.elapsedSeconds = elapsedSeconds
        self.peakMemoryBytes = peakMemoryBytes
        self.restarts = restarts
    }

    /// This process's record for `key`.
    public static func current(key: String, computeSeconds: Double, elapsed: Double) -> UnitRecord {
        let env = ProcessInfo.processInfo.environment
        var job = env["SLURM_JOB_ID"]
        if let array = env["SLURM_ARRAY_JOB_ID"], let task = env["SLURM_ARRAY_TASK_ID"] { job = "\(array)_\(task)" }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return UnitRecord(key: key, node: ProcessInfo.processInfo.hostName, job: job, computeSeconds: computeSeconds,
                          elapsedSeconds: elapsed, peakMemoryBytes: Double(usage.ru_maxrss) * 1024,
                          restarts: env["SLURM_RESTART_COUNT"].flatMap(Int.init) ?? 0)
    }

    static func url(key: String, cache: URL) -> URL {
        cache.appendingPathComponent("units").appendingPathComponent("\(key).record.json")
    }

    /// Writes it beside the unit's description; a record that cannot be written is only
    /// missing from the provenance, never a failed unit.
    public func write(to cache: URL) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(self) else { return }
        try? AtomicFile.createDirectory(cache.appendingPathComponent("units"))
        try? AtomicFile.write(Array(data), to: UnitRecord.url(key: key, cache: cache))
    }

    /// The record of `key`, if its task wrote one.
    public static func read(key: String, cache: URL) -> UnitRecord? {
        guard let data = FileManager.default.contents(atPath: url(key: key, cache: cache).path) else { return nil }
        return try? JSONDecoder().decode(UnitRecord.self, from: data)
    }
}
