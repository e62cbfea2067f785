import Foundation

/// How units are submitted: `entropybook run --executor slurm` options.
public struct SlurmOptions: Sendable {
    /// `--partition` (nil: the cluster's default).
    public var partition: String?
    /// At most this many tasks of one array run at once (`--array=0-N%max`).
    public var maxParallel: Int?
    /// `--time` limit per task, `HH:MM:SS` (nil: from the cost model's estimate).
    public var time: String?
    /// `--mem` per task (`4G`; nil: from the cost model's estimate, else the partition's default).
    public var memory: String?
    /// `--cpus-per-task` (nil: the notebook's `threads`, which the units' numbers depend on).
    public var cpusPerTask: Int?
    /// The executable the nodes run: by default this one, which must then be at the same
    /// path on every node (`--binary` names another; inside `--container`, a path in the image).
    public var executable: String
    /// An Apptainer/Singularity image the tasks run in (`--container`; nil: none).
    public var container: String?
    /// How many times a task killed for memory or time, cancelled or preempted is
    /// submitted again (`--retries`), with doubled memory or time after a kill.
    public var retries: Int = 2
    /// `--signal`: seconds before the time limit at which Slurm sends SIGTERM and the task
    /// requeues itself (nil: no signal; Slurm then kills at the limit).
    public var signalSeconds: Int?
    /// Seconds between two looks at the queue.
    public var pollInterval: Double = 1

    public init(executable: String) { self.executable = executable }
}

/// A generated script cannot express a path (a double quote or a line break in it).
public struct BatchScriptError: Error, CustomStringConvertible {
    public var description: String
}

/// The batch script of one job array: task i computes the unit on line i + 1 of a key list
/// with `entropybook work`, its output in `logs/ARRAYJOB_TASK.log`. Every path in it is
/// quoted (`#SBATCH` lines in double quotes, `%` doubled; shell words in single quotes), so
/// a cache, notebook or binary under a directory with spaces works.
public struct BatchScript: Sendable {
    public var name: String
    public var taskCount: Int
    public var keyList: URL
    public var logDirectory: URL
    public var cache: URL
    public var cpusPerTask: Int
    public var options: SlurmOptions
    /// The cost model's seconds for the longest unit of the array (nil: not estimated):
    /// without `--time`, the array asks for `timeSafetyFactor` times it (`slurmTime`).
    public var estimatedSeconds: Double? = nil
    /// The cost model's peak bytes for the largest unit of the array (nil or 0: not
    /// estimated): without `--mem`, the array asks for `slurmMemory(bytes:)`.
    public var estimatedBytes: Double? = nil
    /// A retry's limits, replacing the given or estimated ones (doubled after a kill).
    public var timeOverride: String? = nil
    public var memoryOverride: String? = nil
    /// Directories the container must see (the cache, the notebook's); the cache is always bound.
    public var bindDirectories: [String] = []
    /// The array's task indices (nil: 0..<taskCount); under `aftercorr` task i computes the
    /// unit that reads task i of the other array, so the indices may have gaps.
    public var indices: [Int]? = nil
    /// `--dependency` (`aftercorr:JOB`, `afterok:JOB_3:JOB_5`; nil: none).
    public var dependency: String? = nil

    /// How much longer than the estimate a task may run before Slurm stops it: estimates aim
    /// at a factor 1.5, and a node may be slower or busier than the machine that measured.
    public static let timeSafetyFactor = 3.0
    /// How much more memory than the estimate a task asks for, plus `memoryBaseMB` for the
    /// program, its libraries and the data set it loads, at least `memoryFloorMB`.
    public static let memorySafetyFactor = 2.0
    public static let memoryBaseMB = 512
    public static let memoryFloorMB = 1024

    /// `--time` for a task estimated at `seconds`: the safety factor, a minute of start-up,
    /// at least five minutes; `HH:MM:SS`, or `D-HH:MM:SS` past a day.
    public static func slurmTime(seconds: Double) -> String {
        let total = Int(max(300, (seconds * timeSafetyFactor + 60).rounded(.up)).clamped(to: 300...(365 * 86_400)))
        return SlurmLimits.formatTime(seconds: total)
    }

    /// `--mem` for a task estimated to hold `bytes` at its peak, in whole megabytes.
    public static func slurmMemory(bytes: Double) -> String {
        let mb = (bytes * memorySafetyFactor / 1_048_576).rounded(.up).clamped(to: 0...1e9) + Double(memoryBaseMB)
        return "\(max(memoryFloorMB, Int(mb)))M"
    }

    /// The `--time` the array asks for, if any: a retry's, the user's, else the estimate's.
    public var time: String? { timeOverride ?? options.time ?? estimatedSeconds.map { Self.slurmTime(seconds: $0) } }
    /// The `--mem` the array asks for, if any.
    public var memory: String? {
        memoryOverride ?? options.memory ?? estimatedBytes.flatMap { $0 > 0 ? Self.slurmMemory(bytes: $0) : nil }
    }

    public func text() throws -> String {
        let logPattern = try Self.sbatchQuoted(logDirectory.path, pattern: "/%A_%a.log")
        var lines = ["#!/bin/bash",
                     "#SBATCH --job-name=\(try Self.sbatchQuoted(name))",
                     "#SBATCH --array=\(arraySpec)" + (options.maxParallel.map { "%\($0)" } ?? ""),
                     "#SBATCH --output=\(logPattern)",
                     "#SBATCH --cpus-per-task=\(cpusPerTask)"]
        if let d = dependency { lines.append("#SBATCH --dependency=\(d)") }
        if let p = options.partition { lines.append("#SBATCH --partition=\(try Self.sbatchQuoted(p))") }
        if let t = time { lines.append("#SBATCH --time=\(t)") }
        if let m = memory { lines.append("#SBATCH --mem=\(m)") }
        if let s = options.signalSeconds {
            // B: to the batch shell, which runs `work` in the background and forwards it;
            // `work` stops at its next safe point and exits 75, and the script requeues the
            // task once (a unit has no checkpoint inside it: requeued again and again at a
            // time limit it would never finish); the second time the run's retry doubles --time.
            lines += ["#SBATCH --signal=B:TERM@\(s)", "#SBATCH --requeue"]
        }
        lines += [
            "# One EntropyBook unit of work per array task: the task's line of the key list.",
            "set -eu",
            "KEY=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \(Self.quoted(keyList.path)))",
        ]
        var command = "\(Self.quoted(options.executable)) work --cache-dir \(Self.quoted(cache.path)) --key \"$KEY\""
        if let image = options.container {
            let binds = ([cache.path] + bindDirectories).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            lines.append("RUNTIME=$(command -v apptainer || command -v singularity) || { echo 'neither apptainer nor singularity is on PATH' >&2; exit 127; }")
            command = "\"$RUNTIME\" exec " + binds.map { "--bind \(Self.quoted($0))" }.joined(separator: " ")
                + " \(Self.quoted(image)) " + command
        }
        if options.signalSeconds != nil {
            lines += [
                "# SIGTERM before the time limit (--signal): pass it on, wait for the clean stop, requeue.",
                "\(command) &",
                "CHILD=$!",
                "trap 'kill -TERM \"$CHILD\" 2>/dev/null' TERM",
                "STATUS=0; wait \"$CHILD\" || STATUS=$?",
                "if [ \"$STATUS\" -gt 128 ]; then STATUS=0; wait \"$CHILD\" || STATUS=$?; fi",
                "# Requeued once (a preemption); stopped again, the run resubmits it with twice the time.",
                "if [ \"$STATUS\" -eq 75 ] && [ \"${SLURM_RESTART_COUNT:-0}\" -lt 1 ]; then scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"; fi",
                "exit \"$STATUS\"",
            ]
        } else {
            lines.append("exec " + command)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `0-11`, or `0,3,5` with gaps.
    var arraySpec: String {
        guard let indices, !indices.isEmpty else { return "0-\(taskCount - 1)" }
        if indices == Array(0..<indices.count) { return "0-\(indices.count - 1)" }
        return indices.map(String.init).joined(separator: ",")
    }

    /// Single-quoted for bash.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Double-quoted for an `#SBATCH` line (sbatch reads the quotes itself; there is no
    /// escape for a double quote or a line break inside), with `%` doubled so that Slurm's
    /// filename patterns (`%A`, `%j`) in the path stay literal; `pattern` is appended as is.
    static func sbatchQuoted(_ s: String, pattern: String = "") throws -> String {
        guard !s.contains("\""), !s.contains("\n"), !s.contains("\r") else {
            throw BatchScriptError(description: "`\(s)` cannot be written into an #SBATCH line (it holds a double quote or a line break); use another directory")
        }
        return "\"" + s.replacingOccurrences(of: "%", with: "%%") + pattern + "\""
    }
}

/// Slurm's time and memory notations, read and written.
public enum SlurmLimits {
    /// Seconds of a Slurm time: `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`; nil for
    /// `UNLIMITED`, `Partition_Limit` or anything else.
    public static func seconds(ofTime text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        var days = 0, rest = Substring(t)
        if let dash = t.firstIndex(of: "-") {
            guard let d = Int(t[..<dash]), d <= 100_000 else { return nil }
            days = d
            rest = t[t.index(after: dash)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        // Bounded, so that no product below overflows (a stranger's `--time 99999999999999`).
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ (0...10_000_000).contains($0 ?? -1) }) else { return nil }
        let p = parts.map { $0 ?? 0 }
        let clock: Int
        if t.contains("-") {
            clock = p[0] * 3600 + (p.count > 1 ? p[1] * 60 : 0) + (p.count > 2 ? p[2] : 0)
        } else {
            switch p.count {
            case 1: clock = p[0] * 60
            case 2: clock = p[0] * 60 + p[1]
            default: clock = p[0] * 3600 + p[1] * 60 + p[2]
            }
        }
        return days * 86_400 + clock
    }

    /// `HH:MM:SS`, or `D-HH:MM:SS` past a day.
    public static func formatTime(seconds total: Int) -> String {
        let days = total / 86_400, h = total % 86_400 / 3600, m = total % 3600 / 60, s = total % 60
        let clock = String(format: "%02d:%02d:%02d", h, m, s)
        return days > 0 ? "\(days)-\(clock)" : clock
    }

    /// Megabytes of a Slurm memory size: `500` (MB), `500M`, `4G`, `1T`, `100K`; nil otherwise.
    public static func megabytes(ofMemory text: String) -> Int? {
        var t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if t.hasSuffix("B") { t.removeLast() }
        let scale: Double
        switch t.last {
        case "K": scale = 1.0 / 1024
        case "M": scale = 1
        case "G": scale = 1024
        case "T": scale = 1_048_576
        default: scale = 1; t += "M"
        }
        guard let v = Double(t.dropLast()), v.isFinite, v > 0, v * scale < 1e12 else { return nil }
        return max(1, Int((v * scale).rounded(.up)))
    }

    /// A doubled time limit (at most a year).
    public static func doubled(time: String) -> String? {
        seconds(ofTime: time).map { formatTime(seconds: min(365 * 86_400, max(60, $0 * 2))) }
    }

    /// A doubled memory size, in megabytes.
    public static func doubled(memory: String) -> String? {
        megabytes(ofMemory: memory).map { "\(min(1 << 30, $0 * 2))M" }
    }
}

private extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
