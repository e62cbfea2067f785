import Synchronization

/// The process-wide request to stop long computations early (Ctrl-C, SIGTERM), checked by
/// the library's loops at safe points: between mini-batches in training, between distance
/// and kernel-sum blocks, between the (d, seed) points of an H(d) sweep. A loop that sees
/// the request finishes its current step, joins its worker threads and throws Swift's
/// `CancellationError`, so no thread is inside OpenBLAS when the caller goes on.
///
/// Why one flag for the process instead of a token passed down: a signal is process-wide
/// and a process runs one notebook at a time, while the safe points sit deep inside library
/// calls reached from many directives (k-NN, correlation integrals, histograms, KDE,
/// training, sweeps); a token parameter on each of them would add nothing a single flag
/// lacks. Tests that request cancellation call `reset()` afterwards.
///
/// `request` is async-signal-safe once the flag exists (a lock-free atomic exchange), so a
/// signal handler may call it; `prepare()` creates the flag before a handler is installed.
public enum Cancellation {
    /// 0: running; > 0: requested, holding the first request's reason (a signal number);
    /// `closed`: the outcome is fixed and later requests are ignored.
    private static let state = Atomic<Int32>(0)
    private static let closed: Int32 = -1

    /// What a request did.
    public enum Request: Sendable, Equatable {
        /// The first request: computations stop at their next safe point.
        case accepted
        /// A request after an earlier one (the caller may stop at once).
        case repeated
        /// The run had already finished (`close()` was called): nothing changes.
        case ignored
    }

    /// Creates the flag's storage: call before installing a signal handler that calls
    /// `request`, so that the handler never runs the lazy initialiser.
    public static func prepare() { _ = state.load(ordering: .relaxed) }

    /// Asks every long computation to stop at its next safe point. `reason` (> 0, e.g. the
    /// signal number) is kept from the first request. Async-signal-safe after `prepare()`.
    @discardableResult
    public static func request(reason: Int32 = 1) -> Request {
        let (exchanged, original) = state.compareExchange(expected: 0, desired: max(reason, 1), ordering: .sequentiallyConsistent)
        if exchanged { return .accepted }
        return original == closed ? .ignored : .repeated
    }

    /// Whether a stop was requested (and the outcome not closed before it). One atomic load:
    /// cheap enough for every mini-batch or block.
    public static var isRequested: Bool { state.load(ordering: .relaxed) > 0 }

    /// The first request's reason (a signal number), if a stop was requested.
    public static var reason: Int32? {
        let s = state.load(ordering: .sequentiallyConsistent)
        return s > 0 ? s : nil
    }

    /// Throws `CancellationError` when a stop was requested: call it at a safe point, after
    /// the step's worker threads have joined.
    @inline(__always)
    public static func checkpoint() throws {
        if isRequested { throw CancellationError() }
    }

    /// Fixes the outcome of the run: returns true when no stop was requested before, and
    /// from then on requests are ignored (the report is written and the exit code chosen).
    /// Returns false when a request came first.
    public static func close() -> Bool {
        state.compareExchange(expected: 0, desired: closed, ordering: .sequentiallyConsistent).exchanged
    }

    /// Back to running, for tests that request a stop.
    public static func reset() { state.store(0, ordering: .sequentiallyConsistent) }
}
