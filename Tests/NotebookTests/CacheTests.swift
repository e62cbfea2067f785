import Datasets
import Directives
import Foundation
import Linalg
import TestSupport
import XCTest
@testable import Notebook

/// Reads a file (declared as a `.path` parameter, so its hash is in the key).
enum ReadFileDirective: Directive {
    static let name = "readfile"
    static let summary = "test directive reading a file"
    static let parameters: [Parameter] = [Parameter("path", .path, required: true, doc: "a file")]
    static let results: [ResultSlot] = [ResultSlot(kind: .estimate, doc: "its size")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult { CellResult() }
}

/// Stores its `value` (and shows it), for end-to-end cache tests.
enum ConstantDirective: Directive {
    static let name = "constant"
    static let summary = "test directive storing a number"
    struct Settings: ParameterSettings { @Param("the number", -1000...1000) var value: Double }
    static let parameters = Settings.parameters
    static let results: [ResultSlot] = [ResultSlot(kind: .estimate, doc: "the number")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let v = try arguments.decode(Settings.self).value
        return CellResult(values: ["": EstimateValue(name: "v", value: v)], outputs: [.text("\(v)")])
    }
}

/// Stores twice the number it reads: a cell computed from another cell's result.
enum TwiceDirective: Directive {
    static let name = "twice"
    static let summary = "test directive doubling an upstream number"
    struct Settings: ParameterSettings { @Param("upstream", kinds: [.estimate]) var of: ResultID }
    static let parameters = Settings.parameters
    static let results: [ResultSlot] = [ResultSlot(kind: .estimate, doc: "twice the number")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let v = 2 * (try context.value(try arguments.decode(Settings.self).of, as: EstimateValue.self)).value
        return CellResult(values: ["": EstimateValue(name: "v", value: v)], outputs: [.text("\(v)")])
    }
}

final class CacheTests: XCTestCase {
    var directory: URL!

    override func setUp() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eb-cache-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func keys(_ source: String, overrides: [String: String] = [:],
              registry: [any Directive.Type] = testRegistry + [ReadFileDirective.self]) throws -> [String] {
        let (document, _) = NotebookParser.parse(source, file: "nb.md")
        let plan = try Validator(overrides: overrides, registry: registry).plan(document).get()
        return CacheKeys(plan: plan, locations: FileLocations(notebookDirectory: directory, dataDirectory: directory),
                         hasher: FileHasher(memoURL: nil)).keys
    }

    let notebook = """
    ```{probe}
    id: a
    count: 3
    ```

    ```{probe}
    id: b
    data: a
    ```

    ```{probe}
    id: c
    ```
    """

    func testEditingOneCellChangesItsKeyAndItsDependentsOnly() throws {
        let before = try keys(notebook)
        let after = try keys(notebook.replacingOccurrences(of: "count: 3", with: "count: 4"))
        XCTAssertNotEqual(before[0], after[0])
        XCTAssertNotEqual(before[1], after[1], "b reads a")
        XCTAssertEqual(before[2], after[2], "c is independent")
    }

    func testDefaultsAreNormalised() throws {
        // Writing a default explicitly is the same computation.
        XCTAssertEqual(try keys("```{probe}\nid: a\n```\n"), try keys("```{probe}\nid: a\nmode: fast\ncount: 10\n```\n"))
    }

    func testSeedInvalidates() throws {
        XCTAssertNotEqual(try keys(notebook, overrides: ["seed": "1"]), try keys(notebook, overrides: ["seed": "2"]))
        XCTAssertEqual(try keys(notebook, overrides: ["seed": "1"]), try keys(notebook, overrides: ["seed": "1"]))
    }

    func testChangingADataFileInvalidates() throws {
        let file = directory.appendingPathComponent("data.csv")
        try "1,2\n".write(to: file, atomically: true, encoding: .utf8)
        let source = "```{readfile}\nid: f\npath: data.csv\n```\n"
        let first = try keys(source)
        XCTAssertEqual(first, try keys(source))
        try "1,3\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(first, try keys(source))
    }

    /// `kind: mnist` without a path reads the sample in the data directory: its content is
    /// part of the key, like any file named in a parameter.
    func testChangingTheDefaultMNISTSampleInvalidates() throws {
        let sample = directory.appendingPathComponent(MNIST.sampleFileName)
        try Data([1, 2, 3]).write(to: sample)
        let source = "```{dataset}\nid: digits\nkind: mnist\n```\n"
        let first = try keys(source, registry: [DatasetDirective.self])
        XCTAssertEqual(first, try keys(source, registry: [DatasetDirective.self]))
        try Data([1, 2, 4]).write(to: sample)
        XCTAssertNotEqual(first, try keys(source, registry: [DatasetDirective.self]))
    }

    func cell() throws -> PlannedCell {
        let (document, _) = NotebookParser.parse("```{probe}\nid: a\n```\n", file: "nb.md")
        return try Validator(registry: testRegistry).plan(document).get().cells[0]
    }

    func sampleResult() -> CellResult {
        var rng = SeededGenerator(seed: 1)
        let data = Dataset(name: "cloud", points: rng.normalMatrix(rows: 50, columns: 3), labels: Array(0..<50),
                           intrinsicDimension: 3, imageShape: nil, provenance: "test",
                           latent: rng.normalMatrix(rows: 50, columns: 2))
        return CellResult(values: ["": data, "h": EstimateValue(name: "H", value: 4.2, standardError: 0.1, unit: "nats")], outputs: [
            .metric(Metric("H", 4.2, uncertainty: 0.1, unit: "nats")),
            .figure(Figure(name: "f", caption: "c", reportPNG: [1, 2, 3], narrowPNG: [6], slidePNG: [4, 5], csv: "x\n1\n")),
            .warning("careful"),
        ])
    }

    func testRoundTripKeepsValuesAndOutputs() throws {
        let cache = CellCache(directory: directory, valueTypes: DirectiveRegistry.valueTypes)
        let cell = try cell()
        cache.save(sampleResult(), key: "k1", cell: cell, seconds: 1)
        let loaded = try XCTUnwrap(cache.load(key: "k1", cell: cell))
        let data = try XCTUnwrap(loaded.values[""] as? Dataset)
        XCTAssertEqual(data.points, (sampleResult().values[""] as? Dataset)?.points)
        XCTAssertEqual(data.labels, Array(0..<50))
        XCTAssertEqual(data.intrinsicDimension, 3)
        XCTAssertEqual(data.latent?.columns, 2)
        XCTAssertEqual((loaded.values["h"] as? EstimateValue)?.value, 4.2)
        XCTAssertEqual(loaded.outputs.count, 3)
        guard case .figure(let f) = loaded.outputs[1] else { return XCTFail("figure expected") }
        XCTAssertEqual(f.reportPNG, [1, 2, 3])
        XCTAssertEqual(f.narrowPNG, [6])
        XCTAssertEqual(f.slidePNG, [4, 5])
        XCTAssertEqual(cache.entries().count, 1)
    }

    func testCorruptEntryIsIgnoredAndReported() throws {
        let warnings = WarningLog()
        let cache = CellCache(directory: directory, valueTypes: DirectiveRegistry.valueTypes, warn: { warnings.add($0) })
        let cell = try cell()
        cache.save(sampleResult(), key: "k2", cell: cell, seconds: 1)
        let url = directory.appendingPathComponent("k2.ebc")
        var bytes = try [UInt8](Data(contentsOf: url))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: url)
        XCTAssertNil(cache.load(key: "k2", cell: cell))
        XCTAssertTrue(warnings.messages.first?.contains("checksum mismatch") ?? false, "\(warnings.messages)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path), "a corrupt entry is removed")
    }

    func testTruncatedEntryFromAKilledRunIsRecomputed() throws {
        let warnings = WarningLog()
        let cache = CellCache(directory: directory, valueTypes: DirectiveRegistry.valueTypes, warn: { warnings.add($0) })
        let cell = try cell()
        cache.save(sampleResult(), key: "k3", cell: cell, seconds: 1)
        let url = directory.appendingPathComponent("k3.ebc")
        let bytes = try [UInt8](Data(contentsOf: url))
        try Data(bytes.prefix(bytes.count / 3)).write(to: url)
        XCTAssertNil(cache.load(key: "k3", cell: cell))
        XCTAssertEqual(warnings.messages.count, 1)
        cache.save(sampleResult(), key: "k3", cell: cell, seconds: 1)
        XCTAssertNotNil(cache.load(key: "k3", cell: cell))
    }

    /// A cached result remembers what it cost to compute, and its notes stay notes: the
    /// report shows the original compute time, not only the seconds it took to load.
    func testEntryKeepsTheComputeTimeAndNotes() throws {
        let cell = try cell()
        var result = sampleResult()
        result.outputs.append(.note("Quick mode: 1000 points instead of 3000."))
        let cache = CellCache(directory: directory, valueTypes: DirectiveRegistry.valueTypes)
        cache.save(result, key: "k5", cell: cell, seconds: 754.25)
        let loaded = try XCTUnwrap(cache.load(key: "k5", cell: cell))
        XCTAssertEqual(loaded.computeSeconds, 754.25)
        let computedAt = try XCTUnwrap(loaded.computedAt, "the entry says when it was computed")
        XCTAssertLessThan(abs(computedAt.timeIntervalSinceNow), 60)
        guard case .note(let text)? = loaded.outputs.last else { return XCTFail("the note came back as \(String(describing: loaded.outputs.last))") }
        XCTAssertEqual(text, "Quick mode: 1000 points instead of 3000.")
    }

    func testRefreshIgnoresTheEntry() throws {
        let cell = try cell()
        CellCache(directory: directory, valueTypes: DirectiveRegistry.valueTypes).save(sampleResult(), key: "k4", cell: cell, seconds: 1)
        XCTAssertNil(CellCache(directory: directory, refresh: ["a"], valueTypes: DirectiveRegistry.valueTypes).load(key: "k4", cell: cell))
        XCTAssertNotNil(CellCache(directory: directory, valueTypes: DirectiveRegistry.valueTypes).load(key: "k4", cell: cell))
    }

    /// Issue 14, row 14: on a full disk the entry is not written, the run is told in words
    /// and goes on, and no temporary file stays behind.
    func testCacheWriteOnAFullDiskIsAReadableWarningAndLeavesNoTemporaryFile() throws {
        let disk = try SmallDisk(kilobytes: 64)
        let cacheDirectory = disk.directory.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        disk.fill(leaving: 512)
        let warnings = WarningLog()
        let cache = CellCache(directory: cacheDirectory, valueTypes: DirectiveRegistry.valueTypes, warn: { warnings.add($0) })
        let cell = try cell()
        cache.save(sampleResult(), key: "k5", cell: cell, seconds: 1)
        XCTAssertEqual(warnings.messages.count, 1, "\(warnings.messages)")
        let warning = warnings.messages.first ?? ""
        XCTAssertTrue(warning.contains("not cached: cannot write \(cacheDirectory.path)/k5.ebc: no space left on device"), warning)
        XCTAssertFalse(warning.contains("NSCocoaErrorDomain") || warning.contains("Error Domain"), warning)
        XCTAssertEqual(disk.temporaryFiles, [])
        XCTAssertNil(cache.load(key: "k5", cell: cell))
    }

    /// A run killed mid-write (SIGKILL) leaves a temporary file; collection removes it once
    /// it is old enough not to belong to a writer still at work.
    func testGarbageCollectionRemovesOrphanedTemporaryFiles() throws {
        let cache = CellCache(directory: directory, valueTypes: DirectiveRegistry.valueTypes)
        let orphan = directory.appendingPathComponent(".eb-\(UUID().uuidString).tmp")
        let fresh = directory.appendingPathComponent(".eb-\(UUID().uuidString).tmp")
        try Data([1, 2, 3]).write(to: orphan)
        try Data([1, 2, 3]).write(to: fresh)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: orphan.path)
        try cache.collectGarbage()
        XCTAssertFalse(FileManager.default.fileExists(atPath: orphan.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh.path))
    }

    func testGarbageCollectionRemovesLeastRecentlyUsed() throws {
        let cache = CellCache(directory: directory, valueTypes: DirectiveRegistry.valueTypes)
        let cell = try cell()
        for k in ["old", "mid", "new"] {
            cache.save(sampleResult(), key: k, cell: cell, seconds: 1)
        }
        let past = Date(timeIntervalSinceNow: -3600)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: directory.appendingPathComponent("old.ebc").path)
        let size = cache.entries()[0].bytes
        XCTAssertEqual(try cache.collectGarbage(keep: size * 2), 1)
        XCTAssertEqual(Set(cache.entries().map(\.key)), ["mid", "new"])
    }
}

/// Entries bind to their key (issue 14, row 6): a file moved to another key's name is
/// rejected, and nothing computed from a rejected entry survives.
final class CacheKeyBindingTests: XCTestCase {
    var directory: URL!

    override func setUp() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eb-cache-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// a = 3 and b = 5 have the same shape, so a swapped entry decodes fine: only the key
    /// can tell them apart. c = 2a is computed from a.
    let notebook = """
    ```{constant}
    id: a
    value: 3
    ```

    ```{constant}
    id: b
    value: 5
    ```

    ```{twice}
    id: c
    of: a
    ```
    """

    /// `--refresh a` recomputes a and c, which reads it (c's entry holds 2 × the old a),
    /// and serves b from the cache.
    func testRefreshRecomputesTheCellAndItsReaders() throws {
        let plan = try plan()
        XCTAssertEqual(plan.readers(ofCellsWithIDs: ["a"]), [2])
        XCTAssertEqual(plan.readers(ofCellsWithIDs: ["b"]), [])
        _ = run(plan)
        let keys = keys(plan)
        let cache = CellCache(directory: cacheDirectory, refresh: ["a"], valueTypes: DirectiveRegistry.valueTypes)
        cache.refreshedReaders = plan.readers(ofCellsWithIDs: ["a"])
        let records = Executor(plan: plan, notebookDirectory: directory, dataDirectory: directory, store: cache,
                               cacheKeys: keys.keys, inputKeys: keys.inputKeys).run()
        XCTAssertEqual(records.map(\.status), [.ok, .cached, .ok])
        XCTAssertNotNil(records[1].computedAt, "a cached record says when it was computed")
    }

    func plan() throws -> Plan {
        let (document, _) = NotebookParser.parse(notebook, file: "nb.md")
        return try Validator(registry: [ConstantDirective.self, TwiceDirective.self]).plan(document).get()
    }

    func keys(_ plan: Plan) -> CacheKeys {
        CacheKeys(plan: plan, locations: FileLocations(notebookDirectory: directory, dataDirectory: directory),
                  hasher: FileHasher(memoURL: nil))
    }

    var cacheDirectory: URL { directory.appendingPathComponent("cache") }
    func entry(_ key: String) -> URL { cacheDirectory.appendingPathComponent("\(key).ebc") }

    struct Outcome { var values: [String]; var statuses: [CellRecord.Status]; var warnings: [String] }

    /// Runs the notebook against the cache directory.
    func run(_ plan: Plan, store: (any ResultStore)? = nil) -> Outcome {
        let warnings = WarningLog()
        let keys = keys(plan)
        let cache = store ?? CellCache(directory: cacheDirectory, valueTypes: DirectiveRegistry.valueTypes, warn: { warnings.add($0) })
        let records = Executor(plan: plan, notebookDirectory: directory, dataDirectory: directory, store: cache,
                               cacheKeys: keys.keys, inputKeys: keys.inputKeys).run()
        let values = records.map { r -> String in
            r.outputs.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
        }
        return Outcome(values: values, statuses: records.map(\.status), warnings: warnings.messages)
    }

    func swapFiles(_ x: URL, _ y: URL) throws {
        let parked = x.appendingPathExtension("parked")
        let fm = FileManager.default
        try fm.moveItem(at: x, to: parked)
        try fm.moveItem(at: y, to: x)
        try fm.moveItem(at: parked, to: y)
    }

    func testSwappedEntriesAreBothRecomputedWithAWarningAndNothingWrongStaysAfterTheSwapIsUndone() throws {
        let plan = try plan()
        let k = keys(plan).keys
        XCTAssertEqual(run(plan).values, ["3.0", "5.0", "6.0"])
        let originals = try [k[0], k[1]].map { try Data(contentsOf: entry($0)) }

        try swapFiles(entry(k[0]), entry(k[1]))
        // c is computed again from the swapped a: the case that used to store 2·5 under c's key.
        try FileManager.default.removeItem(at: entry(k[2]))
        let swapped = run(plan)
        XCTAssertEqual(swapped.values, ["3.0", "5.0", "6.0"])
        XCTAssertEqual(swapped.statuses, [.ok, .ok, .ok], "both swapped entries are recomputed")
        XCTAssertEqual(swapped.warnings.count, 2, "\(swapped.warnings)")
        for w in swapped.warnings { XCTAssertTrue(w.contains("stored under another key"), w) }

        // Undo the swap: the original files go back where they were.
        try Data(originals[0]).write(to: entry(k[0]))
        try Data(originals[1]).write(to: entry(k[1]))
        let undone = run(plan)
        XCTAssertEqual(undone.values, ["3.0", "5.0", "6.0"])
        XCTAssertEqual(undone.statuses, [.cached, .cached, .cached])
        XCTAssertEqual(undone.warnings, [])
    }

    func testEntryCopiedOverAnotherIsRecomputedWithAWarning() throws {
        let plan = try plan()
        let k = keys(plan).keys
        _ = run(plan)
        try FileManager.default.removeItem(at: entry(k[1]))
        try FileManager.default.copyItem(at: entry(k[0]), to: entry(k[1]))
        let copied = run(plan)
        XCTAssertEqual(copied.values, ["3.0", "5.0", "6.0"])
        XCTAssertEqual(copied.statuses, [.cached, .ok, .cached])
        XCTAssertEqual(copied.warnings.count, 1, "\(copied.warnings)")
        XCTAssertTrue(copied.warnings.first?.contains("stored under another key") ?? false, "\(copied.warnings)")
        let again = run(plan)
        XCTAssertEqual(again.values, ["3.0", "5.0", "6.0"])
        XCTAssertEqual(again.statuses, [.cached, .cached, .cached])
        XCTAssertEqual(again.warnings, [])
    }

    /// The key in the header is covered by the checksum: editing it is corruption, not a
    /// way to relabel an entry.
    func testChecksumCoversTheKeyInTheHeader() throws {
        let plan = try plan()
        let k = keys(plan).keys
        _ = run(plan)
        var bytes = try [UInt8](Data(contentsOf: entry(k[0])))
        // magic blob (8-byte length + 8 bytes), then the key's length (8) and its first byte.
        let keyStart = 8 + CellCache.magic.count + 8
        XCTAssertEqual(Array(bytes[keyStart..<(keyStart + 64)]), Array(k[0].utf8))
        bytes[keyStart] ^= 0x01
        try Data(bytes).write(to: entry(k[0]))
        let outcome = run(plan)
        XCTAssertEqual(outcome.values, ["3.0", "5.0", "6.0"])
        XCTAssertEqual(outcome.statuses, [.ok, .cached, .cached])
        XCTAssertTrue(outcome.warnings.first?.contains("checksum mismatch") ?? false, "\(outcome.warnings)")
    }

    /// A store that serves a wrong value for a: whatever it serves, c's key is the one
    /// computed from a's key before the run, so a bad value never gets a key of its own.
    func testRecomputedCellsKeyDependsOnlyOnItsInputsKeysNotOnServedValues() throws {
        let plan = try plan()
        let expected = keys(plan).keys
        let store = LyingStore(lieFor: expected[0])
        _ = run(plan, store: store)
        XCTAssertEqual(store.savedKeys, [expected[1], expected[2]])
        XCTAssertEqual(keys(plan).keys, expected, "keys do not depend on what the cache holds")
    }

    /// The cache format version is part of every key: entries of the old format are misses.
    func testKeysCarryTheCacheFormatVersion() throws {
        XCTAssertEqual(CacheKeys.formatVersion, 6)
        XCTAssertEqual(CellCache.magic, Array("EBCACHE6".utf8))
    }
}

/// Serves 42 for one key and nothing else; records what is saved.
final class LyingStore: ResultStore, @unchecked Sendable {
    let lieFor: String
    private let lock = NSLock()
    private var saved = [String]()
    init(lieFor: String) { self.lieFor = lieFor }
    var savedKeys: [String] { lock.withLock { saved } }
    func load(key: String, cell: PlannedCell) -> CellResult? {
        key == lieFor ? CellResult(values: ["": EstimateValue(name: "v", value: 42)]) : nil
    }
    func save(_ result: CellResult, key: String, cell: PlannedCell, seconds: Double) { lock.withLock { saved.append(key) } }
}

final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _messages = [String]()
    func add(_ m: String) { lock.withLock { _messages.append(m) } }
    var messages: [String] { lock.withLock { _messages } }
}
