import FileAccess
import Foundation
import Linalg

/// Settings of the whole run that cells may read.
public struct RunSettings: Sendable, Hashable, Codable {
    /// The notebook-level seed (from front matter, `{config}` or `-p seed=`).
    public var seed: UInt64
    /// OpenBLAS threads.
    public var threads: Int
    /// Quick mode: directives may shrink epochs and sample sizes (for tests and drafts).
    public var quick: Bool
    /// Parameters from front matter, `{config}` and `-p key=value`, last one wins.
    public var parameters: [String: String]
    public init(seed: UInt64 = 0, threads: Int = 2, quick: Bool = false, parameters: [String: String] = [:]) {
        self.seed = seed
        self.threads = threads
        self.quick = quick
        self.parameters = parameters
    }
}

/// What a running cell can see: earlier results, its seed, file resolution and progress.
public final class CellContext: @unchecked Sendable {
    /// The cell's id, when it has one.
    public let cellID: String?
    /// The cell's seed: its `seed:` key, else derived from the notebook seed and the cell's
    /// position, so inserting a cell does not change the draws of unrelated cells with ids.
    public let seed: UInt64
    public let settings: RunSettings
    /// Directory of the notebook file; relative paths in parameters resolve against it.
    public let notebookDirectory: URL
    /// Where downloaded data lives (ENTROPYBOOK_DATA, else `data/` beside the project).
    public let dataDirectory: URL
    /// Further directories the user allowed reading (`--allow-read`, trusted front matter).
    public let allowedDirectories: [URL]
    /// Caps for data readers, without the directory confinement (see `dataReadLimits`).
    public let readLimits: ReadLimits
    private let environment: [String: any NotebookValue]
    private let arguments: Arguments
    private let progressHandler: @Sendable (Double, String) -> Void
    private let memo: Memo?

    public init(cellID: String?, seed: UInt64, settings: RunSettings, notebookDirectory: URL,
                dataDirectory: URL, allowedDirectories: [URL] = [], readLimits: ReadLimits = .standard,
                environment: [String: any NotebookValue], arguments: Arguments,
                memo: Memo? = nil, progress: @escaping @Sendable (Double, String) -> Void = { _, _ in }) {
        self.memo = memo
        self.cellID = cellID
        self.seed = seed
        self.settings = settings
        self.notebookDirectory = notebookDirectory
        self.dataDirectory = dataDirectory
        self.allowedDirectories = allowedDirectories
        self.readLimits = readLimits
        self.environment = environment
        self.arguments = arguments
        self.progressHandler = progress
    }

    /// A generator for one purpose of this cell ("init", "shuffle", "sample"), independent
    /// of the others.
    public func generator(_ purpose: String) -> SeededGenerator {
        SeededGenerator(seed: seed).derived(purpose)
    }

    /// The result stored under `id`, if any.
    public func value(id: String) -> (any NotebookValue)? { environment[id] }

    /// A path parameter resolved against the notebook's directory (absolute paths stay).
    /// Says nothing about whether it may be read: see `readableURL`.
    public func resolvePath(_ path: String) -> URL { locations.resolve(path) }

    /// `path` as a report prints it: relative to the notebook's directory when both lie in
    /// one tree below the root ("../data/mnist_5k.csv.gz"), else unchanged. The machine's
    /// absolute paths mean nothing to a reader of the report and run off a phone screen.
    public func displayPath(_ path: String) -> String {
        DisplayPath.relative(path, to: notebookDirectory)
    }

    /// The file (or directory) named by path parameter `parameter`, if the notebook may read
    /// it (`FileLocations.readableURL`); a refusal is a `ParameterError` located at the key.
    /// Validation checked the same already; checking again here catches a file replaced
    /// since, and runs without validation.
    public func readableURL(_ parameter: String, _ path: String,
                            expecting: FileLocations.Expectation = .file) throws -> URL {
        do { return try locations.readableURL(path, expecting: expecting) } catch let refusal as ReadRefusal {
            throw ParameterError(parameter, refusal.description)
        }
    }

    /// `readLimits` confined to the directories the notebook may read, for the readers to
    /// check on the opened file.
    public var dataReadLimits: ReadLimits {
        var limits = readLimits
        limits.allowedDirectories = locations.readableDirectories
        return limits
    }

    /// The notebook's and the data's directories, and the further ones allowed.
    public var locations: FileLocations {
        FileLocations(notebookDirectory: notebookDirectory, dataDirectory: dataDirectory, allowedDirectories: allowedDirectories)
    }

    /// A sub-result from the cache when one was stored under the same `parts` for the same
    /// inputs (the cells this one reads, their data files, program version, threads), else
    /// `compute()`, stored for next time. For expensive pieces that do not depend on all of
    /// the cell's arguments: a sweep's autoencoders are reused when only the entropy
    /// settings change. Without a cache (`--no-cache`) it just computes.
    public func memoized<T: CacheableValue>(_ parts: [String], compute: () throws -> T) throws -> T {
        guard let memo else { return try compute() }
        let key = WorkPlan.memoKey(scope: memo.scope, parts: parts)
        if let hit = memo.load(key) as? T { return hit }
        let value = try compute()
        memo.save(key, value)
        return value
    }

    /// `memoized` keyed by a value's encoding instead of hand-written strings, so a field
    /// added to the settings can never be left out of the key: `what` names the kind of
    /// piece, `key` is every setting that changes it (JSON with sorted keys, hashed).
    public func memoized<K: Encodable, T: CacheableValue>(_ what: String, key: K, compute: () throws -> T) throws -> T {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(key)
        return try memoized([what, String(decoding: json, as: UTF8.self)], compute: compute)
    }

    /// The earlier result a typed settings struct names (see `Arguments.decode`).
    public func value<T: NotebookValue>(_ id: ResultID, as type: T.Type = T.self) throws -> T {
        guard let v = environment[id.id] else { throw ParameterError(id.parameter, "no result named `\(id.id)`") }
        guard let t = v as? T else {
            throw ParameterError(id.parameter, "`\(id.id)` is a \(Swift.type(of: v).kind), not a \(T.kind)")
        }
        return t
    }

    /// Reports progress of a long loop (fraction in 0...1) to the terminal.
    public func progress(_ fraction: Double, _ message: String = "") { progressHandler(fraction, message) }
}

/// Access to the cache for `CellContext.memoized`.
public struct Memo: Sendable {
    /// Sub-results of `cell` in `store`, under keys scoped by the cell's input key. Stored
    /// whatever their size (as if they took forever): they are the expensive part.
    public static func backed(by store: any ResultStore, scope: String, cell: PlannedCell) -> Memo {
        Memo(scope: scope, load: { key in store.load(key: key, cell: cell)?.values[""] },
             save: { key, value in store.save(CellResult(values: ["": value]), key: key, cell: cell, seconds: .infinity) })
    }

    /// Key of the cell's inputs (see `CacheKeys.inputKeys`).
    public var scope: String
    public var load: @Sendable (String) -> (any NotebookValue)?
    public var save: @Sendable (String, any NotebookValue) -> Void
    public init(scope: String, load: @escaping @Sendable (String) -> (any NotebookValue)?,
                save: @escaping @Sendable (String, any NotebookValue) -> Void) {
        self.scope = scope
        self.load = load
        self.save = save
    }
}
