import FileAccess
import Foundation

/// Cache keys of a plan's cells: SHA-256 of everything a cell's result depends on — the
/// program version and numerics revision, the directive and its normalised arguments (every parameter, defaults
/// filled in, keys sorted), its seed, the BLAS thread count and quick mode (both change the
/// numbers), the keys of the cells it reads, and the content hashes of its input files.
/// A change anywhere upstream changes every key downstream, so a stale result cannot be hit.
///
/// Keys are computed from the plan and the input files before anything runs: a cell's key
/// names its upstream cells by *their keys*, never by the values the cache served for them.
/// So a result recomputed after a bad entry was rejected is stored under the key of the
/// correct inputs, and a tampered entry cannot pass its error on into other keys.
public struct CacheKeys: Sendable {
    /// One key per cell, by cell index.
    public var keys: [String]
    /// Per cell: a key of its inputs only (the keys of the cells it reads, its input
    /// files, program version, threads, quick mode), for sub-results that do not depend on
    /// the cell's own arguments — `CellContext.memoized`.
    public var inputKeys: [String]
    /// Input files with their SHA-256, for run.json and the provenance footer.
    public var files: [String: String]
    /// The same, per cell (by cell index): which files each cell read.
    public var cellFiles: [[String: String]]

    public init(plan: Plan, locations: FileLocations, hasher: FileHasher) {
        var keys = [String]()
        var inputKeys = [String]()
        var producers = [String: Int]() // id → index of the cell that writes it
        var files = [String: String]()
        var cellFiles = [[String: String]]()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for cell in plan.cells {
            var inputs = "entropybook-cache \(CacheKeys.formatVersion)\nprogram \(ProgramInfo.version)\nnumerics \(ProgramInfo.numericsRevision)\nthreads \(plan.settings.threads)\nquick \(plan.settings.quick)\n"
            for id in cell.reads.sorted() {
                let upstream = producers[id].map { keys[$0] } ?? "missing"
                inputs += "reads \(id) \(upstream)\n"
            }
            let inputFiles = cell.directive.inputFiles(cell.arguments, locations: locations)
            var read = [String: String]()
            for url in inputFiles.sorted(by: { $0.path < $1.path }) {
                let hash = hasher.hash(of: url, maxBytes: plan.readLimits.fileBytes) ?? "missing"
                files[url.path] = hash
                read[url.path] = hash
                inputs += "file \(url.path) \(hash)\n"
            }
            let arguments = (try? encoder.encode(cell.arguments.values)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
            let text = inputs + "directive \(cell.directive.name)\narguments \(arguments)\nseed \(cell.seed)\n"
            inputKeys.append(SHA256.hex(Array(inputs.utf8)))
            cellFiles.append(read)
            keys.append(SHA256.hex(Array(text.utf8)))
            for w in cell.writes { producers[w.id] = cell.index }
        }
        self.keys = keys
        self.inputKeys = inputKeys
        self.files = files
        self.cellFiles = cellFiles
    }

    /// The cache entry format (`CellCache`), part of every key: entries of an older format
    /// are then misses, not errors.
    static let formatVersion = 6
}

/// Content hashes of files, with size and modification time as a fast path: a file whose
/// size and mtime match the memo is not read again.
public final class FileHasher: @unchecked Sendable {
    private let memoURL: URL?
    private var memo: [String: Memo]
    private let lock = NSLock()

    struct Memo: Codable { var size: Int; var modified: Double; var sha256: String }

    /// - Parameter memoURL: where the memo persists between runs (inside the cache), or nil.
    public init(memoURL: URL?) {
        self.memoURL = memoURL
        if let memoURL, let data = FileManager.default.contents(atPath: memoURL.path),
           let m = try? JSONDecoder().decode([String: Memo].self, from: data) {
            memo = m
        } else {
            memo = [:]
        }
    }

    /// The file's SHA-256, or nil when it cannot be read, is not a regular file or is
    /// larger than `maxBytes` (the readers refuse it anyway; a sparse 100 GB file in a
    /// stranger's notebook folder must not be read into memory to hash it).
    public func hash(of url: URL, maxBytes: Int = ReadLimits.standard.fileBytes) -> String? {
        // Only regular files: hashing /dev/zero never ends and a FIFO blocks forever.
        var status = stat()
        guard stat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) <= maxBytes else { return nil }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        let size = (attributes[.size] as? Int) ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        if let m = lock.withLock({ memo[url.path] }), m.size == size, m.modified == modified { return m.sha256 }
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        var h = SHA256()
        h.update(data)
        let hex = h.finalize().map { String(format: "%02x", $0) }.joined()
        lock.withLock { memo[url.path] = Memo(size: size, modified: modified, sha256: hex) }
        return hex
    }

    /// Writes the memo back (atomically). It is only a shortcut, so failing to write it
    /// (a full disk) is silent: the next run hashes the files again.
    public func persist() {
        guard let memoURL, let data = lock.withLock({ try? JSONEncoder().encode(memo) }) else { return }
        try? AtomicFile.createDirectory(memoURL.deletingLastPathComponent())
        try? AtomicFile.write(Array(data), to: memoURL)
    }
}
