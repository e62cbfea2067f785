import Foundation
import Linalg
import Notebook
import Runs

/// `entropybook run --executor slurm`: the cheap cells run here, every unit of work missing
/// from the cache is computed by a Slurm job array, and the report is assembled from the
/// cache — the same cells, keys and numbers as a local run with the same thread count.
///
/// It works in rounds. Each round runs the plan here with the cells whose units are not all
/// cached held back (and the cells reading them skipped); then every missing unit whose
/// inputs are in the cache or are themselves submitted now goes out: one `sbatch --array`
/// per level, a unit that reads another unit's result waiting for that one task only
/// (`--dependency=aftercorr` between arrays whose task i reads task i, else `afterok` on the
/// tasks it reads), so an entropy estimate starts as soon as its own autoencoder is stored,
/// not when the whole level is. The arrays are waited for by polling `squeue`. A unit whose
/// result a cell assembled here reads (the plane reads the classifier's cell) waits for the
/// next round. A task killed for memory or time is submitted again with twice as much, a
/// cancelled one as it was (`SlurmOptions.retries`); the tasks waiting for a task that
/// failed are withdrawn (`scancel`) and submitted again after its retry. When a round finds
/// nothing left to submit, a last round assembles the report: a cell whose unit failed is
/// shown failed in place with the task's job id and log. A re-run submits only the keys
/// still missing. An interrupt cancels the submitted arrays (`scancel`), waits for the
/// queue to empty and writes the report of what finished.
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
            let ready = submittable(work, state: state)
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
        let records = round(run, work: work, cache: cache, state: state, final: true, observer: output)
        return provenance(records, work: work, cache: cache, state: state, output: output)
    }

    /// Each cell computed by tasks of this run gets a note with every unit's Slurm job,
    /// node, elapsed seconds and peak memory against what its task asked for (from the
    /// tasks' own records, `UnitRecord`: no accounting daemon needed); the same lines as
    /// an efficiency table on stderr.
    func provenance(_ records: [CellRecord], work: WorkPlan, cache: CellCache, state: SubmissionState,
                    output: any RunnerOutput) -> [CellRecord] {
        var table = [String]()
        let result = records.map { record -> CellRecord in
            var record = record
            var lines = [String]()
            for unit in work.unitsByCell[record.cell.index] ?? [] {
                let tasks = state.tasks(of: unit.key)
                guard let last = tasks.last, let r = UnitRecord.read(key: unit.key, cache: cache.directory),
                      r.job == last.task else { continue }
                let asked = [last.memory.map { "--mem=\($0)" }, last.time.map { "--time=\($0)" }].compactMap { $0 }.joined(separator: " ")
                let peak = String(format: "%.0f MB", r.peakMemoryBytes / 1_048_576)
                let attempts = tasks.count > 1 ? ", attempt \(tasks.count) (earlier: \(tasks.dropLast().map(\.task).joined(separator: ", ")))" : ""
                lines.append("\(unit.unitID ?? unit.cellLabel): Slurm job \(r.job ?? "?") on \(r.node), "
                             + String(format: "%.1f s (%.1f s computing)", r.elapsedSeconds, r.computeSeconds)
                             + ", peak \(peak)" + (asked.isEmpty ? "" : " of \(asked)") + attempts)
                let efficiency = last.memory.flatMap { SlurmLimits.megabytes(ofMemory: $0) }
                    .map { String(format: "%.0f%%", 100 * r.peakMemoryBytes / 1_048_576 / Double($0)) } ?? "–"
                let timeUse = last.time.flatMap { SlurmLimits.seconds(ofTime: $0) }
                    .map { String(format: "%.1f%%", 100 * r.elapsedSeconds / Double($0)) } ?? "–"
                table.append([unit.label, r.job ?? "?", r.node, String(format: "%.2f", r.elapsedSeconds), last.time ?? "–", timeUse,
                              peak, last.memory ?? "–", efficiency, String(tasks.count)].joined(separator: " | "))
            }
            if !lines.isEmpty { record.outputs.append(.note("Computed on the cluster: " + lines.joined(separator: "; ") + ".")) }
            return record
        }
        if !table.isEmpty {
            output.note("slurm: efficiency (each task's own record)")
            output.note("| unit | job | node | elapsed s | --time | time used | peak memory | --mem | memory used | attempts |")
            output.note("|---|---|---|---|---|---|---|---|---|---|")
            for line in table { output.note("| \(line) |") }
        }
        return result
    }

    /// The missing units, not failed, whose every input is in the cache or is another of them.
    func submittable(_ work: WorkPlan, state: SubmissionState) -> [WorkUnit] {
        var ok = [String: Bool]()
        var out = [WorkUnit]()
        let byKey = Dictionary(work.units.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for unit in work.units.sorted(by: { $0.level < $1.level }) { // inputs have lower levels
            let good = state.failure(unit.key) == nil && !state.isCached(unit.key)
                && unit.inputs.allSatisfy { state.isCached($0) || (byKey[$0] != nil && ok[$0] == true) }
            ok[unit.key] = good
            if good { out.append(unit) }
        }
        return out
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

    /// What an array waits for: nothing, task i of one array for its task i (`aftercorr`),
    /// or a list of tasks (`afterok`).
    enum Wait: Hashable {
        case none
        case aligned(job: String)
        case tasks([TaskRef])

        var dependency: String? {
            switch self {
            case .none: return nil
            case .aligned(let job): return "aftercorr:\(job)"
            case .tasks(let tasks): return "afterok:" + tasks.map { "\($0.job)_\($0.index)" }.joined(separator: ":")
            }
        }
    }

    /// One array task: its job and index.
    struct TaskRef: Hashable, Comparable {
        var job: String
        var index: Int
        static func < (a: TaskRef, b: TaskRef) -> Bool { (a.job.count, a.job, a.index) < (b.job.count, b.job, b.index) }
    }

    /// One array to submit: units (by task index) that wait for the same thing and share
    /// the limits of their next attempt (a retry's doubled memory or time, else the given
    /// or estimated ones).
    struct Batch {
        var wait: Wait
        var time: String?
        var memory: String?
        var tasks = [Int: WorkUnit]()
    }

    /// A submitted array being waited for.
    private struct Submitted {
        var job: String
        var poll: QueuePoll
        var script: BatchScript
    }

    /// Submits `units` (level by level, each unit after the tasks of the units it reads)
    /// and waits until none is queued. A task killed for memory or time, cancelled or
    /// preempted is marked for another attempt (up to `options.retries`) with doubled
    /// memory or time, and the tasks waiting for it are withdrawn; other failures are
    /// final. Returns false when interrupted (the arrays are cancelled first).
    private func submitAndWait(_ units: [WorkUnit], round: Int, run: PreparedRun, cache: CellCache, state: SubmissionState,
                               output: any RunnerOutput) -> Bool {
        let jobs = cache.directory.appendingPathComponent("slurm")
        let logs = jobs.appendingPathComponent("logs")
        let name = URL(fileURLWithPath: run.path).deletingPathExtension().lastPathComponent
        // The longest unit: its cell's estimate shared among the cell's units in this array
        // (an overestimate when the cell's other units are in another array); the largest:
        // its cell's peak (a unit of a cell holds at most what the whole cell holds).
        let estimates = Dictionary(run.plan.estimates.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let notebookDirectory = URL(fileURLWithPath: run.path).standardizedFileURL.deletingLastPathComponent().path
        let submitting = Set(units.map(\.key))
        var placed = [String: TaskRef]()
        var submitted = [Submitted]()
        var arrayNumber = 0
        let start = Date()
        for level in Set(units.map(\.level)).sorted() {
            var batches = [Batch]()
            for unit in units where unit.level == level {
                let waits = unit.inputs.filter { submitting.contains($0) && !state.isCached($0) }
                let refs = waits.compactMap { placed[$0] }
                if refs.count < waits.count { continue } // an input could not be submitted: next round
                let limits = state.limits(unit.key)
                let wait: Wait = refs.isEmpty ? .none : refs.count == 1 ? .aligned(job: refs[0].job) : .tasks(refs.sorted())
                // Under aftercorr the unit takes its input's index; else the next free one.
                let index = refs.count == 1 ? refs[0].index : nil
                if let b = batches.firstIndex(where: { batch in
                    batch.wait == wait && batch.time == limits.time && batch.memory == limits.memory
                        && (index.map { batch.tasks[$0] == nil } ?? true)
                }) {
                    batches[b].tasks[index ?? batches[b].tasks.count] = unit
                } else {
                    var batch = Batch(wait: wait, time: limits.time, memory: limits.memory)
                    batch.tasks[index ?? 0] = unit
                    batches.append(batch)
                }
            }
            for batch in batches {
                arrayNumber += 1
                let stamp = "\(Int(Date().timeIntervalSince1970))-\(getpid())-\(round)-\(arrayNumber)"
                let indices = batch.tasks.keys.sorted()
                let batchUnits = indices.compactMap { batch.tasks[$0] }
                var script = BatchScript(name: "entropybook-\(name)-\(round)", taskCount: batchUnits.count,
                                         keyList: jobs.appendingPathComponent("\(stamp).keys"), logDirectory: logs, cache: cache.directory,
                                         cpusPerTask: options.cpusPerTask ?? run.plan.settings.threads, options: options)
                script.indices = indices
                script.dependency = batch.wait.dependency
                let unitsPerCell = Dictionary(grouping: batchUnits, by: \.cellLabel).mapValues(\.count)
                let longest = batchUnits.compactMap { u in estimates[u.cellLabel].map { $0.seconds / Double(unitsPerCell[u.cellLabel] ?? 1) } }.max()
                if let longest, longest > 0 { script.estimatedSeconds = longest }
                let largest = batchUnits.compactMap { estimates[$0.cellLabel]?.memoryBytes }.max()
                if let largest, largest > 0 { script.estimatedBytes = largest }
                script.timeOverride = batch.time
                script.memoryOverride = batch.memory
                script.bindDirectories = [notebookDirectory]
                let retry = batchUnits.map { state.attempts($0.key) }.max() ?? 0
                var notes = [String]()
                if retry > 0 {
                    notes.append("retry \(retry) of \(options.retries)" + [batch.memory.map { ", --mem=\($0)" }, batch.time.map { ", --time=\($0)" }]
                        .compactMap { $0 }.joined())
                }
                switch batch.wait {
                case .none: break
                case .aligned(let job): notes.append("task i after task i of job \(job)")
                case .tasks(let tasks): notes.append("after " + tasks.map { "\($0.job)_\($0.index)" }.joined(separator: ", "))
                }
                if script.time == nil { notes.append("no --time: the cost model has no estimate for these units, the partition's default applies") }
                let what = notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
                let job: String
                do {
                    try AtomicFile.createDirectory(logs)
                    for unit in batchUnits { try UnitSpec(unit: unit, run: run).write(to: cache.directory) }
                    var lines = [String](repeating: "", count: (indices.last ?? 0) + 1)
                    for (i, unit) in batch.tasks { lines[i] = unit.key }
                    try AtomicFile.write(Array(lines.joined(separator: "\n").utf8) + [10], to: script.keyList)
                    let scriptURL = jobs.appendingPathComponent("\(stamp).sh")
                    try AtomicFile.write(Array(try script.text().utf8), to: scriptURL)
                    job = try client.submit(script: scriptURL)
                } catch {
                    for unit in batchUnits { state.fail(unit.key, "could not be submitted: \(error)") }
                    output.error("slurm: level \(level): \(error)")
                    continue
                }
                for (i, unit) in batch.tasks {
                    placed[unit.key] = TaskRef(job: job, index: i)
                    state.submitted(unit.key, task: "\(job)_\(i)", time: script.time, memory: script.memory)
                }
                output.note("slurm: level \(level): \(batchUnits.count) unit(s) in job array \(job)\(what) (logs: \(logs.path)/\(job)_N.log)")
                submitted.append(Submitted(job: job, poll: QueuePoll(job: job, tasks: batch.tasks, cache: cache, client: client, logs: logs),
                                           script: script))
            }
        }
        // Who reads whom among the submitted units, to withdraw the waiting readers of a
        // task that failed (Slurm would keep them pending: DependencyNeverSatisfied).
        var readers = [String: [String]]()
        for unit in units where placed[unit.key] != nil {
            for input in unit.inputs where placed[input] != nil { readers[input, default: []].append(unit.key) }
        }
        var lastLine = [String: String]()
        var handled = Set<String>()
        var open = Set(submitted.map(\.job))
        while !open.isEmpty {
            if Cancellation.isRequested {
                let jobs = open.sorted { ($0.count, $0) < ($1.count, $1) }
                cancel(jobs, output: output)
                let done = units.filter { cache.hasEntry(key: $0.key) }.count
                output.note("slurm: cancelled job \(jobs.joined(separator: ", ")); \(done) of \(units.count) unit(s) submitted finished and are cached")
                return false
            }
            for s in submitted where open.contains(s.job) {
                let status = s.poll.look()
                for failure in status.failures where !handled.contains(failure.key) {
                    handled.insert(failure.key)
                    settle(failure, script: s.script, state: state, output: output)
                    withdrawReaders(of: failure.key, readers: readers, placed: placed, submitted: submitted, output: output)
                }
                var line = "slurm: job \(s.job): \(status.queued) queued, \(status.running) running, \(status.done) done, \(status.failures.count) failed"
                if status.withdrawn > 0 { line += ", \(status.withdrawn) withdrawn" }
                if line != lastLine[s.job] { output.note(line); lastLine[s.job] = line }
                if status.finished {
                    open.remove(s.job)
                    output.note(String(format: "slurm: job %@ finished %.1f s after the first submission", s.job, Date().timeIntervalSince(start)))
                }
            }
            if !open.isEmpty { Thread.sleep(forTimeInterval: options.pollInterval) }
        }
        return true
    }

    /// Cancels the tasks still waiting, directly or not, for the unit `key` (which failed
    /// or goes again): they are submitted again once it is stored.
    private func withdrawReaders(of key: String, readers: [String: [String]], placed: [String: TaskRef], submitted: [Submitted],
                                 output: any RunnerOutput) {
        var queue = readers[key] ?? [], seen = Set<String>(), tasks = [String]()
        while let next = queue.popLast() {
            guard seen.insert(next).inserted, let ref = placed[next] else { continue }
            queue += readers[next] ?? []
            if let s = submitted.first(where: { $0.job == ref.job }), s.poll.withdraw(ref.index) { tasks.append("\(ref.job)_\(ref.index)") }
        }
        guard !tasks.isEmpty else { return }
        do { try client.cancel(tasks) } catch { output.error("slurm: \(error)") }
        output.note("slurm: withdrew \(tasks.count) task(s) waiting for it (\(tasks.joined(separator: ", "))); they go again after it")
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
        let why = kill == .memory ? "killed for memory" : kill == .time ? "killed at its time limit" : "cancelled or lost"
        output.note("slurm: \(failure.label) \(failure.message): \(why); retry \(attempts + 1) of \(options.retries)\(grown)")
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
    private var tasks = [String: [(task: String, time: String?, memory: String?)]]()

    init(cache: CellCache) { self.cache = cache }

    /// How many retries `key` has had, and the limits its next attempt asks for.
    func attempts(_ key: String) -> Int { lock.withLock { retries[key]?.count ?? 0 } }
    func limits(_ key: String) -> (time: String?, memory: String?) {
        lock.withLock { retries[key].map { ($0.time, $0.memory) } ?? (nil, nil) }
    }
    func retry(_ key: String, time: String?, memory: String?) {
        lock.withLock { retries[key] = ((retries[key]?.count ?? 0) + 1, time, memory) }
    }
    /// The array tasks (`JOB_INDEX`) `key` was submitted as, in order, with the limits they asked for.
    func submitted(_ key: String, task: String, time: String?, memory: String?) {
        lock.withLock { tasks[key, default: []].append((task, time, memory)) }
    }
    func tasks(of key: String) -> [(task: String, time: String?, memory: String?)] { lock.withLock { tasks[key] ?? [] } }

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
        /// TIMEOUT, "DUE TO TIME LIMIT" in its log, or exit code 75 (`--signal`).
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
        var withdrawn = 0
        var finished = false
    }

    private let job: String
    /// The array's units by task index.
    private let units: [Int: WorkUnit]
    private let indices: [Int]
    private let cache: CellCache
    private let client: SlurmClient
    private let logs: URL
    private var done = Set<Int>()
    private var failed = [Int: Failure]()
    private var withdrawn = Set<Int>()
    /// Left the queue without a cache entry once: failed if still so at the next look (a
    /// shared filesystem may show the entry a moment late).
    private var suspects = Set<Int>()
    private var queueErrors = 0

    init(job: String, tasks: [Int: WorkUnit], cache: CellCache, client: SlurmClient, logs: URL) {
        self.job = job
        self.units = tasks
        self.indices = tasks.keys.sorted()
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
            if queueErrors < 30 { return Status(queued: units.count - done.count - failed.count - withdrawn.count, done: done.count) }
            // The controller has been unreachable for half a minute or more: give up on the rest.
            for i in indices where !done.contains(i) && failed[i] == nil && !withdrawn.contains(i) {
                guard let unit = units[i] else { continue }
                failed[i] = Failure(key: unit.key, label: unit.unitID ?? unit.cellLabel, message: "was lost: \(error)")
            }
            return finish(status)
        }
        let queued = Dictionary(queue.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        var newlyFailed = [Int]()
        for i in indices where !done.contains(i) && failed[i] == nil && !withdrawn.contains(i) {
            guard let unit = units[i] else { continue }
            if let task = queued[i] {
                if task.isRunning { status.running += 1 } else { status.queued += 1 }
            } else if cache.hasEntry(key: unit.key) {
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
                guard let unit = units[i] else { continue }
                let log = logs.appendingPathComponent("\(job)_\(i).log")
                let how = known[i].map { "(job id \($0.jobID), \($0.state), exit code \($0.exitCode))" } ?? "(no longer known to scontrol)"
                failed[i] = Failure(key: unit.key, label: unit.unitID ?? unit.cellLabel,
                                    message: "failed in Slurm job \(job)_\(i) \(how); log: \(log.path)",
                                    kill: QueuePoll.kill(known[i], log: QueuePoll.tail(of: log)),
                                    memory: known[i]?.memory, timeLimit: known[i]?.timeLimit)
            }
        }
        return finish(status)
    }

    /// Stops waiting for task `index` (its input failed; the caller cancels it). False when
    /// it has already finished.
    func withdraw(_ index: Int) -> Bool {
        guard units[index] != nil, !done.contains(index), failed[index] == nil else { return false }
        return withdrawn.insert(index).inserted
    }

    /// Whether a task that ended without its unit is worth another attempt, and with what more.
    static func kill(_ task: SlurmClient.FinishedTask?, log: String) -> Kill? {
        let text = log.lowercased()
        if task?.state == "OUT_OF_MEMORY" || text.contains("exceeded memory limit") || text.contains("oom-kill")
            || text.contains("out-of-memory") || text.contains("out of memory") && text.contains("slurmstepd") { return .memory }
        // Exit 75: `work` stopped by `--signal` before the limit, already requeued once.
        if task?.state == "TIMEOUT" || text.contains("due to time limit") || task?.exitCode.hasPrefix("75:") == true { return .time }
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
        status.withdrawn = withdrawn.count
        status.finished = done.count + failed.count + withdrawn.count == units.count
        return status
    }
}
