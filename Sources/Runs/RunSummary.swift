import Foundation
import Notebook

/// What one run of a notebook did, in one line: which cells were computed and which came
/// from the cache (`CellRecord.status`, as the executor recorded it), and how long the run
/// took. `entropybook watch` prints it after every run, e.g.
/// `re-ran 2 of 9 cells (c3, c4) in 1.42 s · report: out/nb/index.html`.
public struct RunSummary: Sendable, Equatable {
    /// Cells computed in this run (succeeded or failed), by id or line.
    public var computed: [String]
    /// Of those, the ones that failed.
    public var failed: [String]
    /// Not run because a result they read was missing.
    public var skipped: [String]
    /// Stopped by an interrupt.
    public var interrupted: [String]
    public var cached: Int
    public var total: Int

    public init(records: [CellRecord]) {
        func names(_ statuses: Set<CellRecord.Status>) -> [String] {
            records.filter { statuses.contains($0.status) }.map { RunSummary.name(of: $0.cell) }
        }
        computed = names([.ok, .failed])
        failed = names([.failed])
        skipped = names([.skipped])
        interrupted = names([.interrupted])
        cached = records.filter { $0.status == .cached }.count
        total = records.count
    }

    /// A cell's id, or "line N" for a cell without one (the label `cell-N` counts cells,
    /// which a reader of the notebook's source would have to do by hand).
    public static func name(of cell: PlannedCell) -> String {
        cell.id ?? "line \(cell.cell.location.line)"
    }

    /// The line, with the run's wall time and the report's path.
    public func line(seconds: Double, report: String) -> String {
        var parts = ["re-ran \(computed.count) of \(total) \(total == 1 ? "cell" : "cells")" + RunSummary.list(computed)]
        if !failed.isEmpty { parts.append("\(failed.count) failed" + RunSummary.list(failed)) }
        if !skipped.isEmpty { parts.append("\(skipped.count) skipped" + RunSummary.list(skipped)) }
        if !interrupted.isEmpty { parts.append("\(interrupted.count) interrupted" + RunSummary.list(interrupted)) }
        return parts.joined(separator: ", ") + " in " + String(format: "%.2f", seconds) + " s · report: " + report
    }

    /// " (a, b, c)", or nothing for an empty list; long lists end in "…" after eight names.
    private static func list(_ names: [String]) -> String {
        guard !names.isEmpty else { return "" }
        let shown = names.count > 8 ? names.prefix(8) + ["… \(names.count - 8) more"] : names
        return " (" + shown.joined(separator: ", ") + ")"
    }
}
