import Foundation
import Notebook
import Runs

/// One line per cell on stderr with its time and status; a live bar with ETA inside long
/// cells when stderr is a terminal; plain lines otherwise; nothing with --quiet.
final class TerminalProgress: RunnerOutput, @unchecked Sendable {
    private let quiet: Bool
    private let isTerminal = isatty(2) != 0
    private let lock = NSLock()
    private var cellStart = Date()
    private var lastDraw = Date.distantPast
    private var lastPlainDecile = -1
    private var lastPlainLine = Date.distantPast

    /// The cost model's seconds per cell, by cell index (empty: no estimates).
    private var estimates = [Double]()
    /// Measured and estimated seconds of the cells computed so far (not cached), whose
    /// ratio corrects the estimate of the rest.
    private var measured = 0.0, estimatedDone = 0.0

    init(quiet: Bool) { self.quiet = quiet }

    func estimated(_ cells: [CellEstimate]) {
        lock.withLock {
            estimates = cells.map(\.seconds)
            measured = 0
            estimatedDone = 0
        }
        guard !quiet else { return }
        emit("  estimated: about \(describeSeconds(cells.reduce(0) { $0 + $1.seconds })) for the notebook\n")
    }

    /// The notebook's remaining time after cell `index`: the estimates of the cells after
    /// it, scaled by measured / estimated seconds of the cells computed so far.
    private func notebookETA(after index: Int) -> String {
        guard index + 1 < estimates.count else { return "" }
        let rest = estimates[(index + 1)...].reduce(0, +)
        guard rest > 0 else { return "" }
        let correction = estimatedDone > 0.5 ? measured / estimatedDone : 1
        return " · notebook ETA " + short(rest * correction)
    }

    func begin(_ path: String, cells: Int) {
        guard !quiet else { return }
        emit("\(path): \(cells) cells\n")
    }

    func note(_ line: String) {
        guard !quiet else { return }
        emit(line + "\n")
    }

    func error(_ line: String) { emit(line + "\n") }

    func cellStarted(_ cell: PlannedCell, of total: Int) {
        lock.withLock { cellStart = Date(); lastPlainDecile = -1; lastPlainLine = .distantPast }
        guard !quiet, isTerminal else { return }
        emit("\r\u{1B}[K" + prefix(cell, total) + " …")
    }

    func cellProgress(_ cell: PlannedCell, fraction: Double, message: String) {
        guard !quiet else { return }
        let f = min(max(fraction, 0), 1)
        lock.withLock {
            let now = Date()
            let elapsed = now.timeIntervalSince(cellStart)
            // A sweep reports the share of its expected time (SweepProgress), so this is an
            // ETA from measured epoch times; elsewhere a share of the work done.
            let eta = f > 0.02 && f < 1 ? " ETA " + short(elapsed / f - elapsed) : ""
            if isTerminal {
                guard now.timeIntervalSince(lastDraw) > 0.1 || f >= 1 else { return }
                lastDraw = now
                let width = 24
                let filled = Int(f * Double(width))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                emit("\r\u{1B}[K" + prefix(cell, nil) + " \(bar) \(Int(f * 100))%\(eta) \(message)")
            } else {
                // Plain lines (logs, CI): only for cells long enough to wonder about, at each
                // new tenth and at least once a minute (a sweep's time-based fraction can
                // step back when the machine slows, and its next tenth may be far off).
                let decile = Int(f * 10)
                guard elapsed > 3, decile > lastPlainDecile || now.timeIntervalSince(lastPlainLine) >= 60 else { return }
                lastPlainDecile = max(decile, lastPlainDecile)
                lastPlainLine = now
                if f > 0 && f < 1 { emit("  \(cell.label): \(Int(f * 100))% \(short(elapsed))\(eta) \(message)\n") }
            }
        }
    }

    func cellFinished(_ record: CellRecord, of total: Int) {
        guard !quiet else { return }
        let mark: String
        switch record.status {
        case .ok: mark = "✓ \(short(record.seconds))"
        case .cached: mark = "✓ cached"
        case .failed: mark = "✗ failed"
        case .skipped: mark = "– skipped"
        case .interrupted: mark = "– interrupted"
        }
        let eta: String = lock.withLock {
            if record.status == .ok, record.cell.index < estimates.count {
                measured += record.seconds
                estimatedDone += estimates[record.cell.index]
            }
            return notebookETA(after: record.cell.index)
        }
        emit((isTerminal ? "\r\u{1B}[K" : "") + prefix(record.cell, total) + " " + mark + eta + "\n")
    }

    /// Erases the live line of a cell that finished without a line of its own.
    func clearLine() {
        guard !quiet, isTerminal else { return }
        emit("\r\u{1B}[K")
    }

    private func prefix(_ cell: PlannedCell, _ total: Int?) -> String {
        let position = total.map { "[\(cell.index + 1)/\($0)] " } ?? ""
        return "\(position){\(cell.directive.name)} \(cell.id ?? "") (line \(cell.cell.location.line))"
    }

    private func short(_ s: Double) -> String {
        s < 60 ? String(format: "%.1fs", s) : String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }

    private func emit(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
