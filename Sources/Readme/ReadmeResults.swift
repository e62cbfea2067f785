import Directives
import Foundation
import Notebook
import Report

/// The README's results, generated from the run.json of full runs (issue 16, item 6), so the
/// tables cannot drift from what the notebooks compute. A run is first cut down to an
/// *extract* — its provenance and only the results the tables read — committed under
/// docs/results/, from which the README's marked blocks (`<!-- results:NAME -->` …
/// `<!-- /results:NAME -->`) are rewritten. A test regenerates the blocks from the
/// committed extracts and fails when README.md disagrees, without running a notebook.
public enum ReadmeResults {
    /// A notebook whose full run feeds one block of the README.
    public struct Source: Sendable {
        /// The block's and the extract's name (`<!-- results:NAME -->`, docs/results/NAME.json).
        public var name: String
        /// The notebook, as `entropybook run` is given it from the repository's root.
        public var notebook: String
        /// The results the block reads (ids in run.json's `cells[].results`).
        public var results: [String]
        /// Results the block reads when the run has them (a second scaling region exists only
        /// when the images' C(r) has a real plateau there).
        public var optionalResults: [String] = []
        /// Renders the block's Markdown from the extract.
        var render: @Sendable (Extract) throws -> String
    }

    public static let sources: [Source] = [
        Source(name: "synthetic", notebook: "notebooks/synthetic.md",
               results: SyntheticBlock.curves.flatMap { ["\($0.curve).dimension", "\($0.curve).verdict", $0.points] },
               render: SyntheticBlock.render),
        Source(name: "verdict-calibration", notebook: "notebooks/verdict-calibration.md",
               results: ["calibration", "calibration.confusion", "calibration.default", "estimators", "estimators.noisy"],
               render: CalibrationBlock.render),
        Source(name: "mnist", notebook: "notebooks/mnist.md",
               results: ["zoom.dimension", "zoom.verdict", "full.dimension", "full.verdict", "images", "images-corrdim"],
               optionalResults: ["images-corrdim.other-region"], render: MNISTBlock.render),
        Source(name: "presentation", notebook: "notebooks/presentation.md",
               results: ["c1.outcome", "c2.outcome", "c3.outcome", "c4.outcome", "c5.outcome", "images", "images-corrdim"],
               render: PresentationBlock.render),
        Source(name: "mi-benchmark", notebook: "notebooks/mi-benchmark.md",
               results: ["bench", "bench.families", "bench.published", "bench.auto"], render: MutualInformationBlock.render),
    ]

    /// The source whose notebook has this file name (`…/synthetic.md` → synthetic).
    public static func source(forNotebook path: String) -> Source? {
        let file = (path as NSString).lastPathComponent
        return sources.first { ($0.notebook as NSString).lastPathComponent == file }
    }

    /// The extract of a full run: provenance, wall time and the results `source` reads.
    /// A quick run, a run that did not finish, or one without a needed result is refused.
    public static func extract(run: JSONValue, source: Source) throws -> JSONValue {
        let notebook = run["notebook"]?.stringValue ?? "?"
        guard run["settings"]?["quick"] != .bool(true) else {
            throw CellError("\(notebook): a quick run; the README's results come from full runs (run without -p quick=true)")
        }
        guard run["status"]?.stringValue == "ok" else {
            throw CellError("\(notebook): the run's status is \(run["status"]?.stringValue ?? "unknown"), not ok; the README needs a finished run")
        }
        var results = [String: JSONValue]()
        var cells = [JSONValue]()
        for cell in run["cells"]?.arrayValue ?? [] {
            cells.append(["label": cell["label"] ?? .null, "directive": cell["directive"] ?? .null,
                          "status": cell["status"] ?? .null, "seconds": cell["seconds"] ?? .null])
            for (id, record) in cell["results"]?.objectValue ?? [:] where source.results.contains(id) || source.optionalResults.contains(id) {
                results[id] = record
            }
        }
        let missing = source.results.filter { results[$0] == nil }
        guard missing.isEmpty else {
            throw CellError("\(notebook): the run stored no \(missing.map { "`\($0)`" }.joined(separator: ", ")), which the README's \(source.name) block reads")
        }
        var out = [String: JSONValue]()
        for key in ["schemaVersion", "program", "version", "programCommit", "notebook", "notebookSHA256", "title", "started",
                    "finished", "status", "settings", "datasets"] {
            out[key] = run[key] ?? .null
        }
        out["machine"] = .object((run["machine"]?.objectValue ?? [:]).filter { ["cpu", "cores", "os"].contains($0.key) })
        out["extract"] = .string("written by `entropybook results` from the run's run.json: its provenance, each cell's time, "
            + "and only the results the README's \(source.name) block reads")
        out["cells"] = .array(cells)
        out["results"] = .object(results)
        return .object(out)
    }

    /// The Markdown of `source`'s block, from its extract.
    public static func block(_ source: Source, extract: JSONValue) throws -> String {
        let e = Extract(json: extract, source: source)
        return try source.render(e) + "\n\n" + e.provenance
    }

    /// The extracts in `directory`, by source name (a source without one is left out).
    public static func extracts(in directory: URL) throws -> [String: JSONValue] {
        var out = [String: JSONValue]()
        for source in sources {
            let file = directory.appendingPathComponent("\(source.name).json")
            guard let data = try? Data(contentsOf: file) else { continue }
            do { out[source.name] = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
                throw CellError("\(file.path) is not JSON: \(error)")
            }
        }
        return out
    }

    /// Every source's block, by name: its tables when it has an extract, else a line saying
    /// how to make one (never a number that no run produced).
    public static func blocks(from extracts: [String: JSONValue]) throws -> [String: String] {
        var blocks = [String: String]()
        for source in sources {
            blocks[source.name] = try extracts[source.name].map { try block(source, extract: $0) }
                ?? "*No full run of `\(source.notebook)` extracted yet: run it and pass the run to `entropybook results` (below).*"
        }
        return blocks
    }

    /// Sources whose notebook (under `root`) is no longer the text the extract's run read:
    /// its tables may be stale until the notebook is run again. Prose-only edits count too.
    public static func changedNotebooks(_ extracts: [String: JSONValue], root: URL) -> [String] {
        sources.compactMap { source in
            guard let recorded = extracts[source.name]?["notebookSHA256"]?.stringValue,
                  let data = try? Data(contentsOf: root.appendingPathComponent(source.notebook)) else { return nil }
            return SHA256.hex(Array(data)) == recorded ? nil : source.notebook
        }
    }

    /// An extract as committed: pretty, keys sorted, so a new run's diff is readable.
    public static func encode(_ extract: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(extract) + Data("\n".utf8)
    }

    /// `readme` with each named block's content replaced (markers kept). A block named but
    /// not marked in the README is an error, as is a marker without its end.
    public static func update(readme: String, blocks: [String: String]) throws -> String {
        var text = readme
        for (name, body) in blocks.sorted(by: { $0.key < $1.key }) {
            let open = "<!-- results:\(name) -->", close = "<!-- /results:\(name) -->"
            guard let start = text.range(of: open) else { throw CellError("README has no `\(open)` marker") }
            guard let end = text.range(of: close, range: start.upperBound..<text.endIndex) else {
                throw CellError("README's `\(open)` has no `\(close)` after it")
            }
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: "\n" + body + "\n")
        }
        return text
    }

    /// The lines that differ between two texts, `-` for the first and `+` for the second,
    /// with the line number in the first (a short diff for a failing check).
    public static func lineDiff(_ old: String, _ new: String) -> String {
        let a = old.components(separatedBy: "\n"), b = new.components(separatedBy: "\n")
        let diff = b.difference(from: a)
        var lines = [String]()
        for change in diff {
            switch change {
            case .remove(let offset, let line, _): lines.append("README.md:\(offset + 1): - \(line)")
            case .insert(let offset, let line, _): lines.append("generated:\(offset + 1): + \(line)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// A run's extract, read by the blocks.
struct Extract {
    var json: JSONValue
    var source: ReadmeResults.Source

    func result(_ id: String) throws -> JSONValue {
        // Extracts written before issue 24 hold an entropy curve's verdict as `ID.kink` (and
        // its rules table, if at all, as `ID.verdict`).
        if id.hasSuffix(".verdict"), json["results"]?[id]?["kind"]?.stringValue != "verdict",
           let old = json["results"]?[String(id.dropLast(".verdict".count)) + ".kink"] {
            return old
        }
        guard let r = json["results"]?[id] else { throw CellError("docs/results/\(source.name).json has no result `\(id)`") }
        return r
    }

    /// A result read through its declaration (`DeclaredRecord`): the block names its fields
    /// by the declared constants, and a record of another kind or without one of them is an
    /// error naming the extract, the result and the field.
    func record(_ id: String, _ declaration: RecordDeclaration) throws -> DeclaredRecord {
        let json = try result(id)
        do { return try DeclaredRecord(json, as: declaration) } catch let error as CellError {
            throw CellError("docs/results/\(source.name).json: result `\(id)` is \(error.message)")
        }
    }

    /// An `{entropy-curve}` verdict (`DimensionVerdictValue`'s record).
    func verdict(_ id: String) throws -> DeclaredRecord { try record(id, DimensionVerdictValue.declaration) }
    func estimate(_ id: String) throws -> DeclaredRecord { try record(id, .estimate) }
    func claim(_ id: String) throws -> DeclaredRecord { try record(id, .claim) }

    /// An estimate the run may not have stored (nil then).
    func optionalEstimate(_ id: String) throws -> DeclaredRecord? {
        json["results"]?[id] == nil ? nil : try estimate(id)
    }

    /// A stored table, read by the keys `Table.record` writes.
    func table(_ id: String) throws -> Table.StoredRecord {
        guard let table = Table.StoredRecord(try result(id)) else {
            throw CellError("docs/results/\(source.name).json: result `\(id)` is not a table")
        }
        return table
    }

    /// The run's settings (run.json's `settings`, the engine's `RunSettings`).
    var settings: RunSettings? { Self.decode(json["settings"]) }

    /// The run's data sets (run.json's `datasets`, the report's `RunManifest.DatasetSummary`).
    var datasets: [RunManifest.DatasetSummary] {
        (json["datasets"]?.arrayValue ?? []).compactMap { Self.decode($0) }
    }

    /// A part of the extract as the type run.json was written from (nil when it is not one).
    static func decode<T: Decodable>(_ value: JSONValue?) -> T? {
        guard let value, let data = try? JSONEncoder().encode(value) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }

    /// The line under a block: the command, the run, when it ran and how much of it came
    /// from the cache (a re-run of a full run reads its cells from the cache in seconds).
    var provenance: String {
        let commit = json["programCommit"]?.stringValue ?? "an unknown commit"
        let started = json["started"]?.stringValue ?? "?"
        let cells = json["cells"]?.arrayValue ?? []
        let cached = cells.filter { $0["status"]?.stringValue == "cached" }.count
        var how = cached == 0 ? "every cell computed" : "\(cached) of \(cells.count) cells from the cache of an earlier full run"
        if cached == 0, let a = json["started"]?.stringValue.flatMap(Self.date), let b = json["finished"]?.stringValue.flatMap(Self.date) {
            how += ", \(Self.duration(b.timeIntervalSince(a))) wall"
        }
        return "<sub>Generated by `entropybook results` from `docs/results/\(source.name).json`, the extract of "
            + "`entropybook run \(source.notebook)` started \(started) (program \(commit); \(how)).</sub>"
    }

    static func date(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 90 ? "\(Int(seconds.rounded())) s" : "\(formatNumber(seconds / 60, significantDigits: 2)) min"
    }
}

/// Markdown table helpers for the blocks.
enum MarkdownTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String { "| " + cells.map(escape).joined(separator: " | ") + " |" }
        return ([line(header), "|" + header.map { _ in "---|" }.joined()] + rows.map(line)).joined(separator: "\n")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// A record's number as the tables print it ("—" for no value).
    static func number(_ value: JSONValue?, digits: Int = 3) -> String {
        guard let x = value?.numberValue else { return "—" }
        return formatNumber(x, significantDigits: digits)
    }

    /// A number with a fixed count of decimals, as the README's estimates print ("3.00").
    static func fixed(_ value: JSONValue?, decimals: Int = 2) -> String {
        guard let x = value?.numberValue else { return "—" }
        return String(format: "%.\(decimals)f", x)
    }

    /// A typed table cell as text: a number, "value [lower–upper]", text, or "—".
    static func cell(_ value: JSONValue?) -> String {
        switch value {
        case .number(let x)?: return formatNumber(x)
        case .string(let s)?: return s
        case .object(let o)?:
            return number(o["value"], digits: 4) + " [" + number(o["lower"]) + "–" + number(o["upper"]) + "]"
        default: return "—"
        }
    }
}
