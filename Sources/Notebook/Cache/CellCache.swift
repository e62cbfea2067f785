import Foundation
import Linalg

/// The content-addressed cache of cell results (issue: "re-run a 15-minute notebook in
/// seconds, never a stale result").
///
/// One file per key under `directory`: `<key>.ebc`, holding the key it was stored under,
/// the cell's values (typed binary encoding) and outputs (figures as PNG bytes), followed by
/// the SHA-256 of everything before it — key and payload. A file is trusted only when the
/// checksum holds *and* the key inside is the key asked for: the file name alone proves
/// nothing, since entries can be copied, renamed or swapped (issue 14, row 6). Anything
/// else — truncated, corrupt, stored under another key, an older format — is reported and
/// recomputed. Entries are written to a temporary file and renamed, so a killed run leaves
/// either the old entry or the new one, never half of one, and the temporary file is
/// removed on every failure (a full disk is a warning; the run goes on). Writes and
/// collection hold an exclusive lock on `directory/.lock`, so two runs at once don't trip
/// over each other. A hit refreshes the entry's modification time, and collection removes
/// the least recently used entries until the cache fits its size limit.
public final class CellCache: ResultStore, @unchecked Sendable {
    public let directory: URL
    /// Size limit in bytes for `collectGarbage`.
    public let limit: Int
    /// Cell ids whose entries are ignored (recomputed and overwritten): `--refresh ID`.
    public let refresh: Set<String>
    /// Cells (by `PlannedCell.index`) that read a refreshed cell's results, directly or
    /// through others: recomputed too, since their entries hold what the old result gave
    /// (their keys are made from their inputs' keys, which a refresh does not change).
    public var refreshedReaders: Set<Int> = []
    /// Store large entries however fast they were to compute: a cluster's nodes read the
    /// inputs of their units from the cache, so a data set must be there even when reading
    /// its file again would be cheaper here.
    public var storesLargeEntries = false
    private let warn: @Sendable (String) -> Void
    /// What entries may hold: the engine's values and the ones it was given.
    private let valueTypes: CacheableTypes
    /// The format: version 2 puts the key in the header, version 3 the seconds the cell
    /// took to compute after it and a `note` output kind, version 4 a figure's narrow
    /// (phone) PNG after its report PNG, version 5 when it was computed (seconds since
    /// 1970) after the seconds it took, version 6 tables of typed cells. Entries of another version are
    /// never looked up (`CacheKeys` puts the same version into every key), so they are
    /// simply misses until collection removes them.
    static let magic = Array("EBCACHE6".utf8)

    /// - Parameter valueTypes: value types beyond the engine's own (curve, histogram,
    ///   estimate, table) that entries may hold — `DirectiveRegistry.valueTypes` in the CLI.
    ///   An entry holding a type not listed is a miss, recomputed.
    public init(directory: URL, limit: Int = 4 << 30, refresh: Set<String> = [],
                valueTypes: [any CacheableValue.Type] = [], warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.valueTypes = CacheableTypes(given: valueTypes)
        self.directory = directory
        self.limit = limit
        self.refresh = refresh
        self.warn = warn
    }

    private func url(for key: String) -> URL { directory.appendingPathComponent("\(key).ebc") }

    // MARK: ResultStore

    public func load(key: String, cell: PlannedCell) -> CellResult? {
        if let id = cell.id, refresh.contains(id) { return nil }
        if refreshedReaders.contains(cell.index) { return nil }
        let url = url(for: key)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do {
            let result = try decode(Array(data), key: key)
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: url.path)
            return result
        } catch {
            warn("cache entry for \(cell.label) (\(url.lastPathComponent)) ignored: \(error); recomputing")
            try? FileManager.default.removeItem(at: url)
            return nil
        }
    }

    /// Whether an intact entry stored under `key` is there (decoded and checked, not
    /// refreshed: asking does not count as a use).
    public func hasEntry(key: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: url(for: key).path) else { return false }
        return (try? decode(Array(data), key: key)) != nil
    }

    /// Runs `body` holding the exclusive compute lock of `key` (`directory/locks/KEY.lock`),
    /// so that two processes never compute the same unit at once; the second one waits and
    /// then finds the entry. An advisory `flock`: the kernel drops it when its holder dies,
    /// so the lock file a killed task leaves behind blocks nobody.
    public func withComputeLock<T>(key: String, _ body: () throws -> T) throws -> T {
        let locks = directory.appendingPathComponent("locks")
        try AtomicFile.createDirectory(locks)
        let fd = open(locks.appendingPathComponent("\(key).lock").path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { throw FileWriteError(locks.appendingPathComponent("\(key).lock"), errno: errno) }
        defer { close(fd) }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Entries larger than this are kept only when the cell took at least
    /// `largeEntryMinimumSeconds`: a big data set read from a file in a second is cheaper to
    /// read again than to copy into the cache.
    public static let largeEntryBytes = 64 << 20
    public static let largeEntryMinimumSeconds = 5.0

    public func save(_ result: CellResult, key: String, cell: PlannedCell, seconds: Double) {
        let bytes: [UInt8]
        do {
            guard let encoded = try encode(result, key: key, label: cell.label, directive: cell.directive.name,
                                           seconds: seconds) else { return }
            if encoded.count > CellCache.largeEntryBytes && seconds < CellCache.largeEntryMinimumSeconds && !storesLargeEntries { return }
            bytes = encoded
        } catch {
            warn("cannot cache \(cell.label): \(error)")
            return
        }
        do {
            try withLock { try AtomicFile.write(bytes, to: url(for: key)) }
            try collectGarbage()
        } catch {
            warn("cell `\(cell.label)` not cached: \(error)")
        }
    }

    // MARK: Maintenance

    /// One cache entry, for `entropybook cache ls`.
    public struct Entry: Sendable {
        public var key: String
        public var label: String
        public var directive: String
        public var bytes: Int
        public var lastUsed: Date
    }

    /// Every entry, most recently used first.
    public func entries() -> [Entry] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".ebc") }.compactMap { name -> Entry? in
            let url = directory.appendingPathComponent(name)
            // Only regular files: reading a directory named like an entry traps in Foundation.
            guard let attributes = try? fm.attributesOfItem(atPath: url.path),
                  attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
            var label = "?", directive = "?"
            if let handle = try? FileHandle(forReadingFrom: url) {
                let head = handle.readData(ofLength: 4096)
                try? handle.close()
                var r = ByteReader(Array(head))
                if (try? r.readBlob()) == CellCache.magic, (try? r.readString()) != nil {
                    label = (try? r.readString()) ?? "?"
                    directive = (try? r.readString()) ?? "?"
                }
            }
            return Entry(key: String(name.dropLast(4)), label: label, directive: directive,
                         bytes: (attributes[.size] as? Int) ?? 0,
                         lastUsed: (attributes[.modificationDate] as? Date) ?? .distantPast)
        }.sorted { $0.lastUsed > $1.lastUsed }
    }

    /// Removes least recently used entries until the cache is within `limit` (or `keep`
    /// bytes when given). Returns the number of entries removed.
    @discardableResult
    public func collectGarbage(keep: Int? = nil) throws -> Int {
        let budget = keep ?? limit
        return try withLock {
            // Under the lock no cache write is in progress, so any temporary file here
            // belongs to a run that was killed; the age check spares `files.json`'s writer.
            AtomicFile.removeOrphans(in: directory)
            var total = entries().reduce(0) { $0 + $1.bytes }
            var removed = 0
            for entry in entries().reversed() where total > budget {
                try? FileManager.default.removeItem(at: url(for: entry.key))
                total -= entry.bytes
                removed += 1
            }
            return removed
        }
    }

    /// Removes every entry.
    public func clear() throws -> Int { try collectGarbage(keep: 0) }

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        try AtomicFile.createDirectory(directory)
        let fd = open(directory.appendingPathComponent(".lock").path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    // MARK: Encoding

    /// The entry's bytes, or nil when a value cannot be cached. The checksum at the end
    /// covers the key as well as the payload.
    func encode(_ result: CellResult, key: String, label: String, directive: String, seconds: Double = 0) throws -> [UInt8]? {
        var w = ByteWriter()
        w.write(blob: CellCache.magic)
        w.write(key)
        w.write(label)
        w.write(directive)
        w.write(seconds.isFinite ? seconds : 0)
        w.write((result.computedAt ?? Date()).timeIntervalSince1970)
        w.write(result.values.count)
        for (suffix, value) in result.values.sorted(by: { $0.key < $1.key }) {
            guard let cacheable = value as? any CacheableValue,
                  valueTypes.type(tagged: type(of: cacheable).cacheTag) != nil else { return nil }
            w.write(suffix)
            w.write(type(of: cacheable).cacheTag)
            var inner = ByteWriter()
            try cacheable.encode(to: &inner)
            w.write(blob: inner.bytes)
        }
        w.write(result.outputs.count)
        for item in result.outputs {
            switch item {
            case .metric(let m): w.write("metric"); try w.write(json: m)
            case .table(let t): w.write("table"); try w.write(json: t)
            case .text(let t): w.write("text"); w.write(t)
            case .warning(let t): w.write("warning"); w.write(t)
            case .claim(let c): w.write("claim"); try w.write(json: c)
            case .note(let t): w.write("note"); w.write(t)
            case .figure(let f):
                w.write("figure")
                w.write(f.name); w.write(f.caption)
                w.write(blob: f.reportPNG); w.write(blob: f.narrowPNG); w.write(blob: f.slidePNG); w.write(f.csv)
            }
        }
        var hash = SHA256()
        hash.update(w.bytes)
        return w.bytes + hash.finalize()
    }

    /// The result in an entry read from the file of `key`; throws unless the entry is intact
    /// and was stored under `key`.
    func decode(_ bytes: [UInt8], key: String) throws -> CellResult {
        guard bytes.count > 32 else { throw CacheError.truncated(at: bytes.count) }
        let body = Array(bytes[..<(bytes.count - 32)])
        var hash = SHA256()
        hash.update(body)
        guard hash.finalize() == Array(bytes[(bytes.count - 32)...]) else {
            var r = ByteReader(body)
            if (try? r.readBlob()) != CellCache.magic { throw CacheError.badMagic }
            throw CacheError.checksumMismatch
        }
        var r = ByteReader(body)
        guard try r.readBlob() == CellCache.magic else { throw CacheError.badMagic }
        let stored = try r.readString()
        guard stored == key else { throw CacheError.wrongKey(stored: stored) }
        _ = try r.readString()
        _ = try r.readString()
        let seconds = try r.readDouble()
        let computedAt = try r.readDouble()
        var values = [String: any NotebookValue]()
        for _ in 0..<(try r.readInt()) {
            let suffix = try r.readString()
            let tag = try r.readString()
            guard let type = valueTypes.type(tagged: tag) else { throw CacheError.unknownValueType(tag) }
            var inner = ByteReader(try r.readBlob())
            values[suffix] = try type.decode(from: &inner)
        }
        var outputs = [OutputItem]()
        for _ in 0..<(try r.readInt()) {
            switch try r.readString() {
            case "metric": outputs.append(.metric(try r.readJSON(Metric.self)))
            case "table": outputs.append(.table(try r.readJSON(Table.self)))
            case "text": outputs.append(.text(try r.readString()))
            case "warning": outputs.append(.warning(try r.readString()))
            case "claim": outputs.append(.claim(try r.readJSON(ClaimValue.self)))
            case "note": outputs.append(.note(try r.readString()))
            case "figure":
                outputs.append(.figure(Figure(name: try r.readString(), caption: try r.readString(),
                                              reportPNG: try r.readBlob(), narrowPNG: try r.readBlob(), slidePNG: try r.readBlob(),
                                              csv: try r.readString())))
            case let other: throw CacheError.malformed("unknown output kind `\(other)`")
            }
        }
        var result = CellResult(values: values, outputs: outputs, computeSeconds: seconds > 0 ? seconds : nil)
        result.computedAt = computedAt.isFinite && computedAt > 0 ? Date(timeIntervalSince1970: computedAt) : nil
        return result
    }
}
