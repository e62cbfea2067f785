import ArgumentParser
import Cluster
import Foundation
import Report

/// `--executor` and the Slurm options of `entropybook run`.
struct ClusterOptions: ParsableArguments {
    enum Executor: String, ExpressibleByArgument, CaseIterable {
        case local, slurm
    }

    @Option(help: ArgumentHelp("Where units of work run: `local` (this process) or `slurm` (one job array per dependency level; see docs/cluster.md).", valueName: "executor"))
    var executor: Executor = .local

    @Option(help: ArgumentHelp("Slurm partition (default: the cluster's).", valueName: "name"))
    var partition: String?

    @Option(name: .customLong("max-parallel"), help: ArgumentHelp("At most this many Slurm tasks of one array at once (`--array=…%N`).", valueName: "n"))
    var maxParallel: Int?

    @Option(help: ArgumentHelp("Slurm time limit per unit.", valueName: "HH:MM:SS"))
    var time: String?

    @Option(help: ArgumentHelp("Slurm memory per unit (e.g. 4G).", valueName: "size"))
    var mem: String?

    @Option(name: .customLong("cpus-per-task"), help: ArgumentHelp("Slurm CPUs per unit (default: the notebook's threads).", valueName: "n"))
    var cpusPerTask: Int?

    func validate() throws {
        if executor == .local, partition != nil || maxParallel != nil || time != nil || mem != nil || cpusPerTask != nil {
            throw ValidationError("--partition, --max-parallel, --time, --mem and --cpus-per-task need --executor slurm")
        }
        if let n = maxParallel, n < 1 { throw ValidationError("--max-parallel must be at least 1") }
        if let n = cpusPerTask, n < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        if let t = time, t.range(of: #"^(\d+-)?\d+(:\d{2}){0,2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--time takes a Slurm time such as 01:30:00 or 2-00:00:00, not `\(t)`")
        }
    }

    /// The scheduler these options ask for.
    func scheduler() throws -> any CellScheduler {
        switch executor {
        case .local: return LocalScheduler()
        case .slurm:
            var options = SlurmOptions(executable: try currentExecutable())
            options.partition = partition
            options.maxParallel = maxParallel
            options.time = time
            options.memory = mem
            options.cpusPerTask = cpusPerTask
            if let poll = ProcessInfo.processInfo.environment["ENTROPYBOOK_SLURM_POLL"].flatMap(Double.init), poll > 0 {
                options.pollInterval = poll
            }
            return SlurmScheduler(options: options)
        }
    }

    /// This executable's absolute path, which the nodes run (same path on a shared filesystem).
    private func currentExecutable() throws -> String {
        guard let path = Bundle.main.executableURL?.resolvingSymlinksInPath().path else {
            throw ValidationError("cannot tell where this executable is, so the Slurm nodes could not run it")
        }
        return path
    }
}
