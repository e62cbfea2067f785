import Foundation

/// How units are submitted: `entropybook run --executor slurm` options.
public struct SlurmOptions: Sendable {
    /// `--partition` (nil: the cluster's default).
    public var partition: String?
    /// At most this many tasks of one array run at once (`--array=0-N%max`).
    public var maxParallel: Int?
    /// `--time` limit per task, `HH:MM:SS` (nil: the partition's default).
    public var time: String?
    /// `--mem` per task (`4G`; nil: the partition's default).
    public var memory: String?
    /// `--cpus-per-task` (nil: the notebook's `threads`, which the units' numbers depend on).
    public var cpusPerTask: Int?
    /// The executable the nodes run: this one, which must be at the same path on every node.
    public var executable: String
    /// Seconds between two looks at the queue.
    public var pollInterval: Double = 1

    public init(executable: String) { self.executable = executable }
}

/// The batch script of one job array: task i computes the unit on line i + 1 of a key list
/// with `entropybook work`, its output in `logs/ARRAYJOB_TASK.log`.
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

    /// How much longer than the estimate a task may run before Slurm stops it: estimates aim
    /// at a factor 1.5, and a node may be slower or busier than the machine that measured.
    public static let timeSafetyFactor = 3.0

    /// `--time` for a task estimated at `seconds`: the safety factor, a minute of start-up,
    /// at least five minutes; `HH:MM:SS`, or `D-HH:MM:SS` past a day.
    public static func slurmTime(seconds: Double) -> String {
        let total = Int(max(300, (seconds * timeSafetyFactor + 60).rounded(.up)).clamped(to: 300...(365 * 86_400)))
        let days = total / 86_400, h = total % 86_400 / 3600, m = total % 3600 / 60, s = total % 60
        let clock = String(format: "%02d:%02d:%02d", h, m, s)
        return days > 0 ? "\(days)-\(clock)" : clock
    }

    public var text: String {
        var lines = ["#!/bin/bash",
                     "#SBATCH --job-name=\(name)",
                     "#SBATCH --array=0-\(taskCount - 1)" + (options.maxParallel.map { "%\($0)" } ?? ""),
                     "#SBATCH --output=\(logDirectory.path)/%A_%a.log",
                     "#SBATCH --cpus-per-task=\(cpusPerTask)"]
        if let p = options.partition { lines.append("#SBATCH --partition=\(p)") }
        if let t = options.time ?? estimatedSeconds.map({ Self.slurmTime(seconds: $0) }) { lines.append("#SBATCH --time=\(t)") }
        if let m = options.memory { lines.append("#SBATCH --mem=\(m)") }
        lines += [
            "# One EntropyBook unit of work per array task: the task's line of the key list.",
            "set -eu",
            "KEY=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \(BatchScript.quoted(keyList.path)))",
            "exec \(BatchScript.quoted(options.executable)) work --cache-dir \(BatchScript.quoted(cache.path)) --key \"$KEY\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Single-quoted for bash.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

private extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
