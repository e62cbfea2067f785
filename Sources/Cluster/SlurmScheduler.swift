import Foundation
import Linalg
import Notebook
import Report

/// `entropybook run --executor slurm`: the cheap cells run here, every unit of work missing
/// from the cache is computed by a Slurm job array, and the report is assembled from the
/// cache — the same cells, keys and numbers as a local run with the same thread count.
///
/// It works in rounds. Each round runs the plan here with the cells whose units are not all
/// cached held back (and the cells reading them skipped); the missing units whose inputs are
/// now all in the cache form one dependency level, submitted as one `sbatch --array` and
/// waited for by polling `squeue`. When a round finds nothing left to submit, a last round
/// assembles the report: a cell whose unit failed is shown failed in place with the task's
/// job id and log. A re-run submits only the keys still missing. An interrupt cancels the
/// submitted array (`scancel`), waits for the queue to empty and writes the report of what
/// finished.
public struct SlurmScheduler: CellScheduler {
    public var options: SlurmOptions
    public var client = SlurmClient()

    public init(options: SlurmOptions) { self.options = options }

    public func execute(_ run: PreparedRun, output: any RunnerOutput) -> [CellRecord] {
        guard let cache = run.cache else { return run.notebookRun.executor.run() }
        let work = WorkPlan(plan: run.plan, keys: run.keys)
        let state = SubmissionState(cache: cache)
        var submissions = 0
        while true {
            let records = round(run, work: work, cache: cache, state: state, final: false, observer: nil)
            if Cancellation.isRequested { return records }
            let ready = work.units.filter { unit in
                state.failure(unit.key) == nil && !state.isCached(unit.key) && unit.inputs.allSatisfy(state.isCached)
            }
            if ready.isEmpty { break }
            submissions += 1
            if !submitAndWait(ready, round: submissions, run: run, cache: cache, state: state, output: output) {
                // Interrupted: what finished is in the cache; the rest is shown interrupted.
                return round(run, work: work, cache: cache, state: state, final: true, observer: nil).map { record in
                    let waiting = record.status == .skipped || (record.status == .failed && state.isPending(record.cell.index))
                    return waiting ? CellRecord(cell: record.cell, status: .interrupted) : record
                }
            }
        }
        return round(run, work: work, cache: cache, state: state, final: true, observer: output)
    }

    /// Runs the plan here with every cell whose units are not all in the cache held back:
    /// failed in place when one of them failed (or, in the final round, cannot be computed),
    /// else skipped for now.
    private func round(_ run: PreparedRun, work: WorkPlan, cache: CellCache, state: SubmissionState, final: Bool,
                       observer: (any ExecutionObserver)?) -> [CellRecord] {
        let executor = run.notebookRun.makeExecutor(observer)
        state.clearPending()
        executor.gate = { cell in
            guard let units = work.unitsByCell[cell.index] else { return .run }
            let missing = units.filter { !state.isCached($0.key) }
            if missing.isEmpty { return .run }
            state.markPending(cell.index)
            if let (unit, failure) = missing.lazy.compactMap({ u in state.failure(u.key).map { (u, $0) } }).first {
                return .hold(.failed, Diagnostic(at: cell.cell.location, directive: cell.directive.name,
                                                 "{\(cell.directive.name)} failed: unit `\(unit.unitID ?? unit.cellLabel)` \(failure)",
                                                 sourceLine: run.plan.document.line(cell.cell.location.line)))
            }
            if final {
                return .hold(.failed, Diagnostic(at: cell.cell.location, directive: cell.directive.name,
                                                 "{\(cell.directive.name)} failed: \(missing.count) unit(s) of work could not be submitted: their inputs are not in the cache",
                                                 sourceLine: run.plan.document.line(cell.cell.location.line)))
            }
            return .hold(.skipped, Diagnostic(.note, at: cell.cell.location, directive: cell.directive.name,
                                              "waiting for \(missing.count) unit(s) of work"))
        }
        return executor.run()
    }

    /// Submits `units` as one job array and waits until none is queued. Returns false when
    /// interrupted (the array is cancelled first).
    private func submitAndWait(_ units: [WorkUnit], round: Int, run: PreparedRun, cache: CellCache, state: SubmissionState,
                               output: any RunnerOutput) -> Bool {
        let jobs = cache.directory.appendingPathComponent("slurm")
        let stamp = "\(Int(Date().timeIntervalSince1970))-\(getpid())-\(round)"
        let logs = jobs.appendingPathComponent("logs")
        let levels = Set(units.map(\.level)).sorted()
        let level = levels.count == 1 ? "level \(levels[0])" : "levels \(levels[0])–\(levels[levels.count - 1])"
        let name = URL(fileURLWithPath: run.path).deletingPathExtension().lastPathComponent
        var script = BatchScript(name: "entropybook-\(name)-\(round)", taskCount: units.count,
                                 keyList: jobs.appendingPathComponent("\(stamp).keys"), logDirectory: logs, cache: cache.directory,
                                 cpusPerTask: options.cpusPerTask ?? run.plan.settings.threads, options: options)
        // The longest unit: its cell's estimate shared among the cell's units in this array
        // (an overestimate when the cell's other units are in another array).
        let estimates = Dictionary(run.plan.estimates.map { ($0.id, $0.seconds) }, uniquingKeysWith: { a, _ in a })
        let unitsPerCell = Dictionary(grouping: units, by: \.cellLabel).mapValues(\.count)
        let longest = units.compactMap { u in estimates[u.cellLabel].map { $0 / Double(unitsPerCell[u.cellLabel] ?? 1) } }.max()
        if let longest, longest > 0 { script.estimatedSeconds = longest }
        let job: String
        do {
            try AtomicFile.createDirectory(logs)
            for unit in units { try UnitSpec(unit: unit, run: run).write(to: cache.directory) }
            try AtomicFile.write(Array(units.map(\.key).joined(separator: "\n").utf8) + [10], to: script.keyList)
            let scriptURL = jobs.appendingPathComponent("\(stamp).sh")
            try AtomicFile.write(Array(script.text.utf8), to: scriptURL)
            job = try client.submit(script: scriptURL)
        } catch {
            for unit in units { state.fail(unit.key, "could not be submitted: \(error)") }
            output.error("slurm: \(level): \(error)")
            return true
        }
        output.note("slurm: \(level): \(units.count) unit(s) in job array \(job) (logs: \(logs.path)/\(job)_N.log)")
        let start = Date()
        let poll = QueuePoll(job: job, units: units, cache: cache, client: client, logs: logs)
        var lastLine = ""
        while true {
            if Cancellation.isRequested {
                cancel(job, output: output)
                let done = units.filter { cache.hasEntry(key: $0.key) }.count
                output.note("slurm: cancelled job \(job); \(done) of \(units.count) unit(s) of this level finished and are cached")
                return false
            }
            let status = poll.look()
            for (key, failure) in status.failures { state.fail(key, failure) }
            let line = "slurm: job \(job): \(status.queued) queued, \(status.running) running, \(status.done) done, \(status.failures.count) failed"
            if line != lastLine { output.note(line); lastLine = line }
            if status.finished { break }
            Thread.sleep(forTimeInterval: options.pollInterval)
        }
        output.note(String(format: "slurm: job %@ finished in %.1f s", job, Date().timeIntervalSince(start)))
        return true
    }

    /// `scancel` and wait (up to a minute) until the array has left the queue.
    private func cancel(_ job: String, output: any RunnerOutput) {
        do { try client.cancel([job]) } catch { output.error("slurm: \(error)") }
        for _ in 0..<300 {
            guard let left = try? client.queuedTasks(of: job), !left.isEmpty else { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        output.error("slurm: job \(job) is still in the queue a minute after scancel")
    }
}

/// What the rounds learn: units that failed (with the job and log that say why), the
/// cells the current round held back, and the entries found intact (checked once: a data
/// set's entry can be hundreds of megabytes to read and checksum).
final class SubmissionState: @unchecked Sendable {
    private let lock = NSLock()
    private let cache: CellCache
    private var failures = [String: String]()
    private var pending = Set<Int>()
    private var cached = Set<String>()

    init(cache: CellCache) { self.cache = cache }

    func isCached(_ key: String) -> Bool {
        if lock.withLock({ cached.contains(key) }) { return true }
        guard cache.hasEntry(key: key) else { return false }
        lock.withLock { _ = cached.insert(key) }
        return true
    }

    func fail(_ key: String, _ why: String) { lock.withLock { failures[key] = why } }
    func failure(_ key: String) -> String? { lock.withLock { failures[key] } }
    func markPending(_ cell: Int) { _ = lock.withLock { pending.insert(cell) } }
    func isPending(_ cell: Int) -> Bool { lock.withLock { pending.contains(cell) } }
    func clearPending() { lock.withLock { pending.removeAll() } }
}

/// One look at a submitted array: which tasks are queued or running (`squeue`), which
/// finished with their unit in the cache, and which finished without it — failed, with the
/// task's job id, state and exit code from `scontrol` and the path of its log.
final class QueuePoll {
    struct Status {
        var queued = 0
        var running = 0
        var done = 0
        var failures = [(key: String, message: String)]()
        var finished = false
    }

    private let job: String
    private let units: [WorkUnit]
    private let cache: CellCache
    private let client: SlurmClient
    private let logs: URL
    private var done = Set<Int>()
    private var failed = [Int: String]()
    /// Left the queue without a cache entry once: failed if still so at the next look (a
    /// shared filesystem may show the entry a moment late).
    private var suspects = Set<Int>()
    private var queueErrors = 0

    init(job: String, units: [WorkUnit], cache: CellCache, client: SlurmClient, logs: URL) {
        self.job = job
        self.units = units
        self.cache = cache
        self.client = client
        self.logs = logs
    }

    func look() -> Status {
        var status = Status()
        let queue: [SlurmClient.QueuedTask]
        do {
            queue = try client.queuedTasks(of: job)
            queueErrors = 0
        } catch {
            queueErrors += 1
            if queueErrors < 30 { return Status(queued: units.count - done.count - failed.count, done: done.count) }
            // The controller has been unreachable for half a minute or more: give up on the rest.
            for i in units.indices where !done.contains(i) && failed[i] == nil { failed[i] = "was lost: \(error)" }
            return finish(status)
        }
        let queued = Dictionary(queue.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        var newlyFailed = [Int]()
        for i in units.indices where !done.contains(i) && failed[i] == nil {
            if let task = queued[i] {
                if task.isRunning { status.running += 1 } else { status.queued += 1 }
            } else if cache.hasEntry(key: units[i].key) {
                done.insert(i)
            } else if suspects.contains(i) {
                newlyFailed.append(i)
            } else {
                suspects.insert(i)
                status.running += 1
            }
        }
        if !newlyFailed.isEmpty {
            let known = Dictionary(((try? client.finishedTasks(of: job)) ?? []).map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
            for i in newlyFailed {
                let log = logs.appendingPathComponent("\(job)_\(i).log").path
                let how = known[i].map { "(job id \($0.jobID), \($0.state), exit code \($0.exitCode))" } ?? "(no longer known to scontrol)"
                failed[i] = "failed in Slurm job \(job)_\(i) \(how); log: \(log)"
            }
        }
        return finish(status)
    }

    private func finish(_ status: Status) -> Status {
        var status = status
        status.done = done.count
        status.failures = failed.sorted { $0.key < $1.key }.map { (units[$0.key].key, $0.value) }
        status.finished = done.count + failed.count == units.count
        return status
    }
}
