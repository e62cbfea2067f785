import Foundation
import Linalg
import Synchronization

/// SIGINT and SIGTERM during `entropybook run`: stop cooperatively, never from inside the
/// signal.
///
/// The first signal only sets `Cancellation` and says so on stderr. The run stops at its
/// next safe point (between mini-batches, distance blocks, sweep points, cells), every
/// worker thread joins, the report of what finished is written with the interrupted cell
/// marked, and the process exits 128 + the signal's number: 130 for SIGINT, 143 for
/// SIGTERM (the shell's and supervisors' convention for "terminated by that signal").
/// Exiting from the handler instead, while threads were inside OpenBLAS, crashed in
/// OpenBLAS's teardown. A second signal exits at once with `_exit` (no report, no atexit
/// handlers, nothing of OpenBLAS touched). After the run has closed `Cancellation` (reports
/// written, exit code chosen) signals are ignored.
///
/// The handler does only async-signal-safe work: an atomic exchange, `write(2)` of static
/// text and `_exit`.
enum Interrupts {
    /// Installs the handler for SIGINT and SIGTERM (with SA_RESTART, so that interrupted
    /// reads and writes resume). A signal the parent set to be ignored stays ignored, as
    /// the shell does for SIGINT of a background job (`entropybook run x.md &` in a script
    /// must not stop on the terminal's Ctrl-C).
    static func install() {
        Cancellation.prepare()
        // Created here, not lazily inside the handler.
        _ = waiting.load(ordering: .relaxed)
        // A parent that spawns from a thread with these signals blocked (libdispatch's
        // worker threads block them) passes the mask on: unblocked here, they reach the
        // handler; left blocked, they would stay pending until the run had finished.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for signal in [SIGINT, SIGTERM] {
            var current = sigaction()
            sigaction(signal, nil, &current)
            if address(of: current.__sigaction_handler.sa_handler) == address(of: SIG_IGN) { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handleInterrupt
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_RESTART)
            sigaction(signal, &action, nil)
        }
    }

    /// True while `watch` waits for a change and nothing runs: the first signal then only
    /// ends the waiting, and the handler does not announce a step being finished.
    static let waiting = Atomic<Bool>(false)

    /// The exit status of an interrupted run: 128 + the first signal's number.
    static var exitCode: Int32 { 128 + (Cancellation.reason ?? SIGINT) }
}

private func handleInterrupt(_ signal: Int32) {
    switch Cancellation.request(reason: signal) {
    case .accepted:
        if Interrupts.waiting.load(ordering: .sequentiallyConsistent) { return }
        writeToStandardError("\ninterrupted: finishing the current step… (again to stop at once, without a report)\n")
    case .repeated:
        writeToStandardError("\ninterrupted again: stopping now, no report\n")
        _exit(128 + signal)
    case .ignored:
        break
    }
}

/// A signal handler's address, to compare with SIG_IGN (C function pointers are not
/// Equatable in Swift).
private func address(of handler: (@convention(c) (Int32) -> Void)?) -> UInt {
    handler.map { UInt(bitPattern: unsafeBitCast($0, to: Int.self)) } ?? 0
}

/// `write(2)` of a static string: no allocation, no locks.
private func writeToStandardError(_ message: StaticString) {
    message.withUTF8Buffer { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
