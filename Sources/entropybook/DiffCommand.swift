import ArgumentParser
import Foundation
import Runs

/// Compares the results of two runs.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare every number of two runs (run.json files or output directories).",
        discussion: """
        Lists flips first (a claim's status, a verdict that became "not resolvable", a result \
        that appeared or went away), then every number that changed beyond |new − old| ≤ \
        atol + rtol·|old|. Times, seeds and cache keys are not compared. Exit code 1 when \
        anything is beyond tolerance, 0 otherwise.
        """)

    @Argument(help: "The old run: run.json or its output directory.")
    var old: String

    @Argument(help: "The new run: run.json or its output directory.")
    var new: String

    @Option(help: "Relative tolerance.")
    var rtol: Double = 1e-9

    @Option(help: "Absolute tolerance.")
    var atol: Double = 0

    func run() throws {
        let diff = RunDiff(old: try RunDiff.load(old), new: try RunDiff.load(new), rtol: rtol, atol: atol)
        print(diff.rendered(rtol: rtol, atol: atol), terminator: "")
        if !diff.isWithinTolerance { throw ExitCode(1) }
    }
}
