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

    public var text: String {
        var lines = ["#!/bin/bash",
                     "#SBATCH --job-name=\(name)",
                     "#SBATCH --array=0-\(taskCount - 1)" + (options.maxParallel.map { "%\($0)" } ?? ""),
                     "#SBATCH --output=\(logDirectory.path)/%A_%a.log",
                     "#SBATCH --cpus-per-task=\(cpusPerTask)"]
        if let p = options.partition { lines.append("#SBATCH --partition=\(p)") }
        if let t = options.time { lines.append("#SBATCH --time=\(t)") }
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
