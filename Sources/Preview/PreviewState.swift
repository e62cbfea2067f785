import Foundation

/// What `entropybook preview` knows about the notebooks it serves: the latest run of each
/// and a counter of finished runs that open pages listen to (server-sent events).
///
/// The watch loop (a thread of its own) reports each run as it finishes; every request
/// reads a snapshot. One lock guards everything: runs finish a few times a minute at
/// most, requests read a few fields.
public final class PreviewState: @unchecked Sendable {
    /// The latest run of one notebook.
    public enum Outcome: Sendable, Equatable {
        /// Not run yet (the first run is going on).
        case pending
        /// Ran; its report is OUTPUT/STEM/index.html. `summary`: one line (cells computed,
        /// cached, failed), for the folder's index.
        case reported(summary: String)
        /// Validation failed: the located errors (`notebook.md:12:1: error: …`) and their
        /// source lines, as the terminal shows them.
        case invalid(diagnostics: [String])
        /// The report could not be written (the reason).
        case notWritten(String)
    }

    /// One notebook served: its source, its report folder's name, its latest outcome.
    public struct Notebook: Sendable, Equatable {
        public var path: String
        /// The report folder's name under the output directory (the file's stem), also the
        /// notebook's URL path: /STEM/.
        public var stem: String
        public var title: String
        public var outcome: Outcome
        public var finished: Date?
    }

    private let lock = NSLock()
    private var _notebooks: [Notebook]
    private var _generation = 0
    private var subscribers: [UUID: AsyncStream<Int>.Continuation] = [:]

    /// - Parameter notebooks: paths of the notebooks, in the order the index lists them.
    public init(notebooks: [String]) {
        _notebooks = notebooks.map { path in
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return Notebook(path: path, stem: stem, title: stem, outcome: .pending, finished: nil)
        }
    }

    public var notebooks: [Notebook] { lock.withLock { _notebooks } }

    /// The number of runs finished so far: a page shows the state of one generation and
    /// reloads when a later one is announced.
    public var generation: Int { lock.withLock { _generation } }

    /// Records a finished run of the notebook at `path` and tells every open page.
    public func finished(_ path: String, title: String?, outcome: Outcome, at date: Date = Date()) {
        let (generation, listeners) = lock.withLock { () -> (Int, [AsyncStream<Int>.Continuation]) in
            if let i = _notebooks.firstIndex(where: { $0.path == path }) {
                _notebooks[i].outcome = outcome
                _notebooks[i].finished = date
                if let title, !title.isEmpty { _notebooks[i].title = title }
            }
            _generation += 1
            return (_generation, Array(subscribers.values))
        }
        for listener in listeners { listener.yield(generation) }
    }

    /// The generations announced from now on, for one open page's event stream; the
    /// stream ends when the page goes away (the server stops writing to it).
    func subscribe() -> AsyncStream<Int> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.subscribers.removeValue(forKey: id) }
        }
        lock.withLock { subscribers[id] = continuation }
        return stream
    }

    /// The number of open event streams (tests).
    public var listenerCount: Int { lock.withLock { subscribers.count } }
}
