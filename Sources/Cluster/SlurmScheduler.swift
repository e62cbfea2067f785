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

    /// One array to submit: units that share the limits of their next attempt (a retry's
    /// doubled memory or time, else the given or estimated ones).
    struct Batch {
        var units: [WorkUnit]
        var time: String?
        var memory: String?
    }

    /// Submits `units` as job arrays — one per set of retry limits — and waits until none
    /// is queued. A task killed for memory or time, cancelled or preempted is marked for
    /// another attempt (up to `options.retries`) with doubled memory or time; other
    /// failures are final. Returns false when interrupted (the arrays are cancelled first).
    private func submitAndWait(_ units: [WorkUnit], round: Int, run: PreparedRun, cache: CellCache, state: SubmissionState,
                               output: any RunnerOutput) -> Bool {
        let jobs = cache.directory.appendingPathComponent("slurm")
        let logs = jobs.appendingPathComponent("logs")
        let levels = Set(units.map(\.level)).sorted()
        let level = levels.count == 1 ? "level \(levels[0])" : "levels \(levels[0])–\(levels[levels.count - 1])"
        let name = URL(fileURLWithPath: run.path).deletingPathExtension().lastPathComponent
        var batches = [Batch]()
        for unit in units {
            let limits = state.limits(unit.key)
            if let i = batches.firstIndex(where: { $0.time == limits.time && $0.memory == limits.memory }) {
                batches[i].units.append(unit)
            } else {
                batches.append(Batch(units: [unit], time: limits.time, memory: limits.memory))
            }
        }
        // The longest unit: its cell's estimate shared among the cell's units in this array
        // (an overestimate when the cell's other units are in another array); the largest:
        // its cell's peak (a unit of a cell holds at most what the whole cell holds).
        let estimates = Dictionary(run.plan.estimates.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let notebookDirectory = URL(fileURLWithPath: run.path).standardizedFileURL.deletingLastPathComponent().path
        var polls = [(poll: QueuePoll, script: BatchScript, job: String)]()
        for (b, batch) in batches.enumerated() {
            let stamp = "\(Int(Date().timeIntervalSince1970))-\(getpid())-\(round)" + (batches.count > 1 ? "-\(b + 1)" : "")
            var script = BatchScript(name: "entropybook-\(name)-\(round)", taskCount: batch.units.count,
                                     keyList: jobs.appendingPathComponent("\(stamp).keys"), logDirectory: logs, cache: cache.directory,
                                     cpusPerTask: options.cpusPerTask ?? run.plan.settings.threads, options: options)
            let unitsPerCell = Dictionary(grouping: batch.units, by: \.cellLabel).mapValues(\.count)
            let longest = batch.units.compactMap { u in estimates[u.cellLabel].map { $0.seconds / Double(unitsPerCell[u.cellLabel] ?? 1) } }.max()
            if let longest, longest > 0 { script.estimatedSeconds = longest }
            let largest = batch.units.compactMap { estimates[$0.cellLabel]?.memoryBytes }.max()
            if let largest, largest > 0 { script.estimatedBytes = largest }
            script.timeOverride = batch.time
            script.memoryOverride = batch.memory
            script.bindDirectories = [notebookDirectory]
            let retry = batch.units.map { state.attempts($0.key) }.max() ?? 0
            let what = retry > 0 ? " (retry \(retry) of \(options.retries)" + [batch.memory.map { ", --mem=\($0)" }, batch.time.map { ", --time=\($0)" }]
                .compactMap { $0 }.joined() + ")" : ""
            let job: String
            do {
                try AtomicFile.createDirectory(logs)
                for unit in batch.units { try UnitSpec(unit: unit, run: run).write(to: cache.directory) }
                try AtomicFile.write(Array(batch.units.map(\.key).joined(separator: "\n").utf8) + [10], to: script.keyList)
                let scriptURL = jobs.appendingPathComponent("\(stamp).sh")
                try AtomicFile.write(Array(try script.text().utf8), to: scriptURL)
                job = try client.submit(script: scriptURL)
            } catch {
                for unit in batch.units { state.fail(unit.key, "could not be submitted: \(error)") }
                output.error("slurm: \(level): \(error)")
                continue
            }
            for (i, unit) in batch.units.enumerated() { state.submitted(unit.key, task: "\(job)_\(i)") }
            output.note("slurm: \(level): \(batch.units.count) unit(s) in job array \(job)\(what) (logs: \(logs.path)/\(job)_N.log)")
            polls.append((QueuePoll(job: job, units: batch.units, cache: cache, client: client, logs: logs), script, job))
        }
        let start = Date()
        var lastLine = [String: String]()
        var handled = Set<String>()
        var open = Set(polls.map(\.job))
        while !open.isEmpty {
            if Cancellation.isRequested {
                cancel(Array(open), output: output)
                let done = units.filter { cache.hasEntry(key: $0.key) }.count
                output.note("slurm: cancelled job \(open.sorted().joined(separator: ", ")); \(done) of \(units.count) unit(s) of this level finished and are cached")
                return false
            }
            for (poll, script, job) in polls where open.contains(job) {
                let status = poll.look()
                for failure in status.failures where !handled.contains(failure.key) {
                    handled.insert(failure.key)
                    settle(failure, script: script, state: state, output: output)
                }
                let line = "slurm: job \(job): \(status.queued) queued, \(status.running) running, \(status.done) done, \(status.failures.count) failed"
                if line != lastLine[job] { output.note(line); lastLine[job] = line }
                if status.finished {
                    open.remove(job)
                    output.note(String(format: "slurm: job %@ finished in %.1f s", job, Date().timeIntervalSince(start)))
                }
            }
            if !open.isEmpty { Thread.sleep(forTimeInterval: options.pollInterval) }
        }
        return true
    }

    /// A task that ended without its unit: another attempt with more of what it ran out of,
    /// or a final failure.
    private func settle(_ failure: QueuePoll.Failure, script: BatchScript, state: SubmissionState, output: any RunnerOutput) {
        let attempts = state.attempts(failure.key)
        guard let kill = failure.kill, attempts < options.retries else {
            let tries = attempts > 0 ? " (after \(attempts) retr\(attempts == 1 ? "y" : "ies"))" : ""
            state.fail(failure.key, failure.message + tries)
            return
        }
        var time = script.time, memory = script.memory
        switch kill {
        case .memory:
            // Double what the task had: the script's --mem, else what Slurm gave it.
            if let m = (memory ?? failure.memory).flatMap({ SlurmLimits.doubled(memory: $0) }) { memory = m }
        case .time:
            if let t = (time ?? failure.timeLimit).flatMap({ SlurmLimits.doubled(time: $0) }) { time = t }
        case .cancelled:
            break
        }
        state.retry(failure.key, time: time, memory: memory)
        let grown = kill == .memory ? memory.map { ", --mem=\($0)" } ?? "" : kill == .time ? time.map { ", --time=\($0)" } ?? "" : ""
        output.note("slurm: \(failure.label) \(failure.message); retry \(attempts + 1) of \(options.retries)\(grown)")
    }

    /// `scancel` and wait (up to a minute) until the arrays have left the queue.
    private func cancel(_ jobs: [String], output: any RunnerOutput) {
        do { try client.cancel(jobs) } catch { output.error("slurm: \(error)") }
        for job in jobs {
            for _ in 0..<300 {
                guard let left = try? client.queuedTasks(of: job), !left.isEmpty else { break }
                Thread.sleep(forTimeInterval: 0.2)
            }
            if let left = try? client.queuedTasks(of: job), !left.isEmpty {
                output.error("slurm: job \(job) is still in the queue a minute after scancel")
            }
        }
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
    private var retries = [String: (count: Int, time: String?, memory: String?)]()
    private var tasks = [String: [String]]()

    init(cache: CellCache) { self.cache = cache }

    /// How many retries `key` has had, and the limits its next attempt asks for.
    func attempts(_ key: String) -> Int { lock.withLock { retries[key]?.count ?? 0 } }
    func limits(_ key: String) -> (time: String?, memory: String?) {
        lock.withLock { retries[key].map { ($0.time, $0.memory) } ?? (nil, nil) }
    }
    func retry(_ key: String, time: String?, memory: String?) {
        lock.withLock { retries[key] = ((retries[key]?.count ?? 0) + 1, time, memory) }
    }
    /// The array tasks (`JOB_INDEX`) `key` was submitted as, in order.
    func submitted(_ key: String, task: String) { lock.withLock { tasks[key, default: []].append(task) } }
    func tasks(of key: String) -> [String] { lock.withLock { tasks[key] ?? [] } }

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
/// finished with their unit in the cache, and which finished without it — with the task's
/// job id, state and exit code from `scontrol`, the path of its log, and whether it was
/// killed for memory or time, or cancelled (then worth another attempt).
final class QueuePoll {
    /// Why a task ended without its unit, when another attempt may help.
    enum Kill: Equatable {
        /// Over its `--mem`: Slurm's OUT_OF_MEMORY (cgroups) or its log's "exceeded memory
        /// limit" (jobacct_gather's OverMemoryKill, which leaves the state FAILED).
        case memory
        /// TIMEOUT, or "DUE TO TIME LIMIT" in its log.
        case time
        /// CANCELLED, PREEMPTED, NODE_FAIL, BOOT_FAIL, DEADLINE, or gone from `scontrol`
        /// altogether (a pending task cancelled leaves no record of its own).
        case cancelled
    }

    struct Failure {
        var key: String
        var label: String
        var message: String
        var kill: Kill?
        /// The task's own limits as Slurm recorded them (to double when the script had none).
        var memory: String?
        var timeLimit: String?
    }

    struct Status {
        var queued = 0
        var running = 0
        var done = 0
        var failures = [Failure]()
        var finished = false
    }

    private let job: String
    private let units: [WorkUnit]
    private let cache: CellCache
    private let client: SlurmClient
    private let logs: URL
    private var done = Set<Int>()
    private var failed = [Int: Failure]()
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
            for i in units.indices where !done.contains(i) && failed[i] == nil {
                failed[i] = Failure(key: units[i].key, label: units[i].unitID ?? units[i].cellLabel, message: "was lost: \(error)")
            }
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
                let log = logs.appendingPathComponent("\(job)_\(i).log")
                let how = known[i].map { "(job id \($0.jobID), \($0.state), exit code \($0.exitCode))" } ?? "(no longer known to scontrol)"
                failed[i] = Failure(key: units[i].key, label: units[i].unitID ?? units[i].cellLabel,
                                    message: "failed in Slurm job \(job)_\(i) \(how); log: \(log.path)",
                                    kill: QueuePoll.kill(known[i], log: QueuePoll.tail(of: log)),
                                    memory: known[i]?.memory, timeLimit: known[i]?.timeLimit)
            }
        }
        return finish(status)
    }

    /// Whether a task that ended without its unit is worth another attempt, and with what more.
    static func kill(_ task: SlurmClient.FinishedTask?, log: String) -> Kill? {
        let text = log.lowercased()
        if task?.state == "OUT_OF_MEMORY" || text.contains("exceeded memory limit") || text.contains("oom-kill")
            || text.contains("out-of-memory") || text.contains("out of memory") && text.contains("slurmstepd") { return .memory }
        if task?.state == "TIMEOUT" || text.contains("due to time limit") { return .time }
        guard let task else { return .cancelled }
        switch task.state {
        case "CANCELLED", "PREEMPTED", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "REQUEUED": return .cancelled
        default: return nil
        }
    }

    /// The last 8 KiB of a task's log (where Slurm writes why it killed the task).
    static func tail(of log: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: log) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 8192 ? size - 8192 : 0)
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    private func finish(_ status: Status) -> Status {
        var status = status
        status.done = done.count
        status.failures = failed.sorted { $0.key < $1.key }.map(\.value)
        status.finished = done.count + failed.count == units.count
        return status
    }
}
