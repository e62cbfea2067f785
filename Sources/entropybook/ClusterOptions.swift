import ArgumentParser
import Cluster
import Foundation
import Runs

/// `--executor` and the Slurm options of `entropybook run`.
struct ClusterOptions: ParsableArguments {
    enum Executor: String, ExpressibleByArgument, CaseIterable {
        case local, slurm
    }

    @Option(help: ArgumentHelp("Where units of work run: `local` (this process) or `slurm` (job arrays, each task waiting only for the units it reads; see docs/cluster.md).", valueName: "executor"))
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

    @Option(help: ArgumentHelp("Resubmit a task killed for memory or time (with doubled --mem or --time), cancelled or preempted, up to this many times.", valueName: "n"))
    var retries: Int = 2

    @Option(help: ArgumentHelp("The entropybook the nodes run (default: this executable's path, which must then exist on every node; with --container: a path inside the image, default `entropybook`).", valueName: "path"))
    var binary: String?

    @Option(help: ArgumentHelp("Run each task in this Apptainer/Singularity image (`apptainer exec --bind CACHE,NOTEBOOK-DIR IMAGE …`).", valueName: "image"))
    var container: String?

    @Option(help: ArgumentHelp("Ask Slurm for SIGTERM this many seconds before a task's time limit: the unit stops at its next safe point and the task requeues itself.", valueName: "seconds"))
    var signal: Int?

    func validate() throws {
        if executor == .local, partition != nil || maxParallel != nil || time != nil || mem != nil || cpusPerTask != nil
            || retries != 2 || binary != nil || container != nil || signal != nil {
            throw ValidationError("--partition, --max-parallel, --time, --mem, --cpus-per-task, --retries, --binary, --container and --signal need --executor slurm")
        }
        if retries < 0 || retries > 10 { throw ValidationError("--retries takes 0 to 10") }
        if let s = signal, s < 1 || s > 65_535 { throw ValidationError("--signal takes 1 to 65535 seconds") }
        if let m = mem, SlurmLimits.megabytes(ofMemory: m) == nil {
            throw ValidationError("--mem takes a Slurm size such as 500M or 4G, not `\(m)`")
        }
        if let n = maxParallel, n < 1 { throw ValidationError("--max-parallel must be at least 1") }
        if let n = cpusPerTask, n < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
        if let t = time, t.range(of: #"^(\d+-)?\d+(:\d{2}){0,2}$"#, options: .regularExpression) == nil || SlurmLimits.seconds(ofTime: t) == nil {
            throw ValidationError("--time takes a Slurm time such as 01:30:00 or 2-00:00:00, not `\(t)`")
        }
    }

    /// The scheduler these options ask for.
    func scheduler() throws -> any CellScheduler {
        switch executor {
        case .local: return LocalScheduler()
        case .slurm:
            let executable: String
            if let binary {
                executable = container == nil ? URL(fileURLWithPath: NSString(string: binary).expandingTildeInPath).standardizedFileURL.path : binary
            } else {
                executable = container == nil ? try currentExecutable() : "entropybook"
            }
            var options = SlurmOptions(executable: executable)
            options.retries = retries
            // A local image file as an absolute path; `docker://…`, `oras://…` as given.
            options.container = container.map { $0.contains("://") ? $0 : URL(fileURLWithPath: NSString(string: $0).expandingTildeInPath).standardizedFileURL.path }
            options.signalSeconds = signal
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
