import ArgumentParser
import Cluster
import Directives
import Foundation
import Linalg
import Notebook

/// Computes one unit of work into the cache: what each Slurm task runs.
struct WorkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Compute one unit of work (e.g. one autoencoder of a sweep) into the cache; what each cluster task runs.",
        discussion: """
        Reads the unit's description (CACHE/units/KEY.json, written when `run --executor slurm` \
        submitted it), re-plans its notebook, loads the unit's inputs from the cache, computes it \
        and stores it (checksummed, under its key, renamed into place) while holding its lock \
        CACHE/locks/KEY.lock, and writes what it cost (node, Slurm job, elapsed seconds, peak \
        memory) to CACHE/units/KEY.record.json. Exit codes: 0 stored or already cached, 1 it \
        failed, 75 stopped by SIGTERM/SIGINT at a safe point (nothing stored; a requeue computes it).
        """)

    @Option(name: .customLong("cache-dir"), help: "The shared cache directory.")
    var cacheDirectory: String

    @Option(help: "The unit's cache key.")
    var key: String

    func run() throws {
        let start = Date()
        Interrupts.install()
        FileHandle.standardError.write("work: \(key) on \(ProcessInfo.processInfo.hostName)\n")
        let cache = URL(fileURLWithPath: cacheDirectory)
        do {
            let outcome = try UnitWork.run(key: key, cache: cache, registry: DirectiveRegistry.all,
                                           valueTypes: DirectiveRegistry.valueTypes,
                                           warn: { FileHandle.standardError.write("warning: \($0)\n") })
            switch outcome {
            case .computed(let seconds):
                FileHandle.standardError.write(String(format: "work: stored %@ (computed in %.2f s, %.2f s in all)\n",
                                                      key, seconds, Date().timeIntervalSince(start)))
                UnitRecord.current(key: key, computeSeconds: seconds, elapsed: Date().timeIntervalSince(start)).write(to: cache)
            case .alreadyCached:
                FileHandle.standardError.write("work: \(key) was already in the cache\n")
            }
        } catch {
            if Cancellation.isRequested {
                FileHandle.standardError.write("work: stopped by a signal at a safe point; nothing stored (exit 75: requeue)\n")
                throw ExitCode(75)
            }
            FileHandle.standardError.write("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
