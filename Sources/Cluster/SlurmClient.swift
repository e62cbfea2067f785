import Foundation

/// The Slurm commands the cluster executor uses — `sbatch`, `squeue`, `scontrol`,
/// `scancel` — run as child processes and parsed. No accounting daemon is needed: a task
/// that left the queue is looked up with `scontrol show job`, which remembers finished jobs
/// for `MinJobAge` (300 s by default), and whether it succeeded is decided by the cache.
public struct SlurmClient: Sendable {
    /// A command that failed: its name, exit status and what it printed.
    public struct Failure: Error, CustomStringConvertible {
        public var command: String
        public var status: Int32
        public var output: String
        public var description: String { "`\(command)` exited \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))" }
    }

    /// One array task still in the queue.
    public struct QueuedTask: Sendable, Equatable {
        public var index: Int
        /// Slurm's compact state: PD (pending), R (running), CG (completing), …
        public var state: String
        public var isRunning: Bool { state == "R" || state == "CG" }
    }

    /// A finished array task as `scontrol` remembers it.
    public struct FinishedTask: Sendable, Equatable {
        public var index: Int
        /// The task's own job id (each array task has one besides `ARRAY_INDEX`).
        public var jobID: String
        public var state: String
        public var exitCode: String
        /// The memory Slurm gave it (`MinMemoryNode`, `mem=` of its TRES) and its time limit.
        public var memory: String? = nil
        public var timeLimit: String? = nil
        /// Where it ran, and for how long (`NodeList`, `RunTime`).
        public var node: String? = nil
        public var runTime: String? = nil
    }

    public init() {}

    /// Submits `script` and returns the job id (`sbatch --parsable`).
    public func submit(script: URL) throws -> String {
        let out = try run("sbatch", ["--parsable", script.path])
        // "123" or "123;cluster"
        guard let id = out.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
              !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw Failure(command: "sbatch", status: 0, output: "unexpected answer: \(out)")
        }
        return id
    }

    /// The tasks of array job `job` still queued or running.
    public func queuedTasks(of job: String) throws -> [QueuedTask] {
        SlurmClient.parseQueue(try run("squeue", ["-h", "-r", "-j", job, "-o", "%K %t"]))
    }

    /// Every task of array job `job` that `scontrol` still knows, with state and exit code.
    public func finishedTasks(of job: String) throws -> [FinishedTask] {
        SlurmClient.parseJobs(try run("scontrol", ["show", "job", "-o", job]))
    }

    /// Cancels the jobs (all their tasks).
    public func cancel(_ jobs: [String]) throws {
        guard !jobs.isEmpty else { return }
        _ = try run("scancel", jobs)
    }

    /// `squeue -h -r -o "%K %t"` lines: array index and state.
    static func parseQueue(_ text: String) -> [QueuedTask] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, let index = Int(fields[0]) else { return nil }
            return QueuedTask(index: index, state: String(fields[1]))
        }
    }

    /// `scontrol show job -o` lines (one per array task): `JobId=7 ArrayJobId=5
    /// ArrayTaskId=1 … JobState=FAILED … ExitCode=3:0`.
    static func parseJobs(_ text: String) -> [FinishedTask] {
        text.split(separator: "\n").compactMap { line in
            var fields = [String: String]()
            for word in line.split(separator: " ") {
                let pair = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
            }
            guard let id = fields["JobId"], let task = fields["ArrayTaskId"].flatMap(Int.init) else { return nil }
            let tres = fields["TRES"]?.split(separator: ",").first { $0.hasPrefix("mem=") }.map { String($0.dropFirst(4)) }
            let limit = fields["TimeLimit"].flatMap { SlurmLimits.seconds(ofTime: $0) != nil ? $0 : nil }
            return FinishedTask(index: task, jobID: id, state: fields["JobState"] ?? "?", exitCode: fields["ExitCode"] ?? "?",
                                memory: fields["MinMemoryNode"] ?? tres, timeLimit: limit,
                                node: fields["NodeList"].flatMap { $0 == "(null)" ? nil : $0 }, runTime: fields["RunTime"])
        }
    }

    /// Runs a Slurm command (found on PATH) and returns its stdout; throws on a non-zero exit.
    private func run(_ command: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [command] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            throw Failure(command: command, status: -1, output: "cannot start: \(error)")
        }
        // Read both pipes before waiting: a full pipe would block the child.
        let errData = ReadAll(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let errText = String(decoding: errData.wait(), as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw Failure(command: ([command] + arguments).joined(separator: " "), status: p.terminationStatus, output: errText)
        }
        return String(decoding: outData, as: UTF8.self)
    }
}

/// Reads a pipe to its end on another thread.
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }
    func wait() -> Data {
        done.wait()
        return data
    }
}
