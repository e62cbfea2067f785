import Foundation
import Notebook

/// run.json: what ran, how, on what, and what came of it. Also the data of the report's
/// provenance footer.
public struct RunManifest: Codable, Sendable {
    /// The layout of this file (docs/run-json.md); raised when a field changes meaning or
    /// goes away. 2: every stored result's numbers (`cells[].results`), data sets, inline values.
    public var schemaVersion = RunManifest.currentSchemaVersion
    public static let currentSchemaVersion = 2
    public var program: String
    public var version: String
    public var notebook: String
    public var notebookSHA256: String
    public var title: String
    public var started: Date
    public var finished: Date
    /// "ok", "failed" (some cell failed) or "interrupted".
    public var status: String
    public var settings: RunSettings
    /// The git commit the program was built from ("abc1234", "+dirty" when modified), when known.
    public var programCommit: String?
    /// Input files the cells read, with their SHA-256.
    public var dataFiles: [String: String]
    public var machine: MachineInfo
    public var cells: [Cell]
    /// Every data set a cell stored: its size, true dimension and the files it came from.
    public var datasets: [DatasetSummary] = []
    /// Every inline value of the prose, as the report shows it.
    public var inlineValues: [InlineValue] = []

    public struct DatasetSummary: Codable, Sendable {
        public var id: String
        public var n: Int?
        public var D: Int?
        /// The true intrinsic dimension, when known (synthetic data).
        public var k: Int?
        /// Files read to make it, with their SHA-256.
        public var files: [String: String]
    }

    /// `` `{=id.field:format}` `` at a place in the prose, and what it became.
    public struct InlineValue: Codable, Sendable {
        public var reference: String
        public var line: Int
        public var column: Int
        /// The number read (null when it has none: a failed cell, a NaN).
        public var value: Double?
        /// The text shown in the report ("11.31 nats"), or the placeholder's text.
        public var text: String
        /// "ok", or why there is no value ("failed", "skipped", "missing").
        public var status: String
    }

    public struct Cell: Codable, Sendable {
        public var index: Int
        public var label: String
        public var directive: String
        public var line: Int
        public var status: String
        public var seconds: Double
        public var seed: UInt64
        public var error: String?
        public var stored: [String: String]
        public var figures: [String]
        public var cacheKey: String?
        /// Every stored result's record (`NotebookValue.record`), by id.
        public var results: [String: JSONValue] = [:]
        /// The files the cell read, with their SHA-256.
        public var inputs: [String: String] = [:]
        /// Every metric the cell showed (`name`, `value`, `uncertainty`, `unit`), so that
        /// run.json holds every number of the report; unit `s` is a time.
        public var metrics: [JSONValue] = []
    }
}

extension RunManifest {
    /// The run.json of a run's records: what ran (the plan and the notebook's text), each
    /// cell's status, time, seed, stored results, figures, metrics and inputs, and the data
    /// sets among the results. `interrupted` marks a run stopped by a signal (status
    /// "interrupted"); otherwise a failed cell makes it "failed".
    /// - Parameters:
    ///   - cacheKeys: each cell's cache key, by cell index (empty when not cached).
    ///   - cellFiles: the files each cell read with their SHA-256, by cell index.
    public init(plan: Plan, records: [CellRecord], notebookPath: String, started: Date, finished: Date, interrupted: Bool,
                programCommit: String?, dataFiles: [String: String], machine: MachineInfo, cacheKeys: [String],
                cellFiles: [[String: String]]) {
        let failed = records.contains { $0.status == .failed }
        self.init(
            program: ProgramInfo.name, version: ProgramInfo.version, notebook: notebookPath,
            notebookSHA256: SHA256.hex(Array(plan.document.source.utf8)), title: plan.document.title,
            started: started, finished: finished,
            status: interrupted ? "interrupted" : (failed ? "failed" : "ok"), settings: plan.settings,
            programCommit: programCommit, dataFiles: dataFiles, machine: machine,
            cells: records.map { r in
                RunManifest.Cell(index: r.cell.index, label: r.cell.label, directive: r.cell.directive.name,
                                 line: r.cell.cell.location.line, status: r.status.rawValue, seconds: r.seconds,
                                 seed: r.cell.seed, error: r.error?.description,
                                 stored: Dictionary(r.stored.map { ($0.id, $0.summary) }, uniquingKeysWith: { a, _ in a }),
                                 figures: r.outputs.compactMap { if case .figure(let f) = $0 { f.name } else { nil } },
                                 cacheKey: cacheKeys.indices.contains(r.cell.index) ? cacheKeys[r.cell.index] : nil,
                                 results: r.results,
                                 inputs: cellFiles.indices.contains(r.cell.index) ? cellFiles[r.cell.index] : [:],
                                 metrics: r.outputs.compactMap { output -> JSONValue? in
                                     guard case .metric(let m) = output else { return nil }
                                     return ["name": .string(m.name), "value": JSONValue(m.value), "uncertainty": JSONValue(m.uncertainty),
                                             "unit": JSONValue(m.unit)]
                                 })
            })
        datasets = Self.datasets(in: self.cells)
    }

    /// The data sets among the cells' results, in cell order.
    static func datasets(in cells: [Cell]) -> [DatasetSummary] {
        cells.flatMap { cell in
            cell.results.sorted { $0.key < $1.key }.compactMap { id, record -> DatasetSummary? in
                guard record["kind"]?.stringValue == "dataset" else { return nil }
                return DatasetSummary(id: id, n: record["n"]?.numberValue.map { Int($0) }, D: record["D"]?.numberValue.map { Int($0) },
                                      k: record["k"]?.numberValue.map { Int($0) }, files: cell.inputs)
            }
        }
    }
}

/// The machine a run happened on, for the provenance footer.
public struct MachineInfo: Codable, Sendable {
    public var os: String
    public var cpu: String
    public var cores: Int
    public var memoryGiB: Double
    public var blasCore: String
    public var blasThreads: Int
    public var blasConfig: String

    public static func current(blasCore: String, blasThreads: Int, blasConfig: String) -> MachineInfo {
        var os = "Linux"
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            os = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        var cpu = "unknown"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return MachineInfo(os: os, cpu: cpu, cores: ProcessInfo.processInfo.activeProcessorCount,
                           memoryGiB: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
                           blasCore: blasCore, blasThreads: blasThreads, blasConfig: blasConfig)
    }
}

/// The git commit of the source tree the running program lives in, when it runs from a
/// checkout (.build inside the repository); nil otherwise. The commit is read from .git
/// directly; whether the sources differ from it ("+dirty") needs `git diff-index`, which
/// `prefetch()` starts in the background so a cached run does not wait for it.
public enum ProgramCommit {
    private static let repository: URL? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(".git").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    private static let dirtyCheck = DirtyCheck()

    /// Starts the dirty check early (call at the start of a run).
    public static func prefetch() { if let repository { dirtyCheck.start(in: repository) } }

    public static var current: String? {
        guard let repository, let head = headCommit(repository) else { return nil }
        dirtyCheck.start(in: repository)
        return String(head.prefix(10)) + (dirtyCheck.wait() ? "+dirty" : "")
    }

    /// HEAD's commit from .git/HEAD, the loose ref or packed-refs. In a linked worktree
    /// `.git` is a file naming the worktree's git directory (its own HEAD), whose
    /// `commondir` holds the shared refs.
    static func headCommit(_ repository: URL) -> String? {
        var git = repository.appendingPathComponent(".git")
        if let link = try? String(contentsOf: git, encoding: .utf8), link.hasPrefix("gitdir: ") {
            git = URL(fileURLWithPath: link.dropFirst(8).trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: repository)
        }
        var refs = git
        if let common = try? String(contentsOf: git.appendingPathComponent("commondir"), encoding: .utf8) {
            refs = URL(fileURLWithPath: common.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: git.appendingPathComponent("x"))
        }
        guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        guard head.hasPrefix("ref: ") else { return head }
        let ref = String(head.dropFirst(5))
        if let loose = try? String(contentsOf: refs.appendingPathComponent(ref), encoding: .utf8) {
            return loose.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let packed = (try? String(contentsOf: refs.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        return packed.split(separator: "\n").first { $0.hasSuffix(" " + ref) }.map { String($0.prefix(40)) }
    }

    /// `git diff-index --quiet HEAD -- Sources templates Package.swift`, once, on a thread.
    private final class DirtyCheck: @unchecked Sendable {
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private var started = false
        private var dirty = false

        func start(in repository: URL) {
            let first = lock.withLock { () -> Bool in
                defer { started = true }
                return !started
            }
            guard first else { return }
            Thread.detachNewThread { [self] in
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                p.arguments = ["git", "-C", repository.path, "diff-index", "--quiet", "HEAD", "--", "Sources", "templates", "Package.swift"]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                var isDirty = false
                if (try? p.run()) != nil {
                    p.waitUntilExit()
                    isDirty = p.terminationStatus == 1
                }
                lock.withLock { dirty = isDirty }
                done.signal()
            }
        }

        func wait() -> Bool {
            done.wait()
            done.signal()
            return lock.withLock { dirty }
        }
    }
}
