import Foundation
import Linalg
import Plot

/// A notebook directive: a fenced block ```` ```{name} ```` whose YAML body sets its
/// parameters. A directive is a thin adapter: it declares its parameters and results,
/// then `run` reads its arguments, calls the experiment library and packages the results.
/// Validation (unknown keys, types, ranges, references) is generic and happens before
/// anything runs, from the declarations alone.
public protocol Directive: Sendable {
    /// The name inside the braces: `dataset` for ```` ```{dataset} ````.
    static var name: String { get }
    /// One line for `entropybook directives`.
    static var summary: String { get }
    /// Every parameter the body may set (the common keys id, caption, echo, seed are added
    /// by the runner and need not be listed).
    static var parameters: [Parameter] { get }
    /// The results stored for later cells: the main one under the cell's `id`, others
    /// under `id.suffix` (e.g. an autoencoder's `ae.codes`).
    static var results: [ResultSlot] { get }
    /// Checks that need several arguments at once (runs after the generic validation).
    /// Return problems as ParameterErrors; the runner adds their location.
    static func validate(_ arguments: Arguments) -> [ParameterError]
    /// Does the work. Throw `ParameterError` for problems with one parameter, anything
    /// else for failures of the computation; both are shown in the report in place.
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult
    /// The files the cell reads, for cache keys and provenance. The default: every `.path`
    /// parameter, resolved with `resolve` against the notebook's directory.
    static func inputFiles(_ arguments: Arguments, resolve: (String) -> URL) -> [URL]
}

extension Directive {
    public static func validate(_ arguments: Arguments) -> [ParameterError] { [] }
    public static var results: [ResultSlot] { [] }
    public static func inputFiles(_ arguments: Arguments, resolve: (String) -> URL) -> [URL] {
        parameters.compactMap { p -> URL? in
            guard case .path = p.type, case .string(let path)? = arguments.values[p.name] else { return nil }
            return resolve(path)
        }
    }
}

/// A result a directive stores: `suffix == nil` is the main result under `id`.
public struct ResultSlot: Sendable, Hashable {
    public var suffix: String?
    public var kind: ValueKind
    public var doc: String
    public init(_ suffix: String? = nil, kind: ValueKind, doc: String) {
        self.suffix = suffix
        self.kind = kind
        self.doc = doc
    }
}

/// The declared type of a parameter; validation converts YAML to the matching
/// `ParameterValue` and reports the first mismatch with its line.
public indirect enum ParameterType: Sendable, Hashable {
    case int(ClosedRange<Int>? = nil)
    case double(ClosedRange<Double>? = nil)
    case bool
    case string
    /// A file path, relative to the notebook's directory unless absolute. The file's content
    /// hash goes into the cell's cache key.
    case path
    /// One of a fixed set of words.
    case choice([String])
    /// One of a fixed set of words, or a number in the range (bandwidth: loo-ml | 0.3).
    case choiceOrNumber([String], ClosedRange<Double>? = nil)
    /// A list of integers: `[1, 2, 3]`, a range `1...16` (or `1..16`), or one integer.
    case intList(ClosedRange<Int>? = nil)
    /// A list of numbers, or one number.
    case doubleList(ClosedRange<Double>? = nil)
    /// A list of words, or one word.
    case stringList
    /// The id of an earlier result, of one of these kinds (`data: ae1.codes`).
    case reference([ValueKind])
    /// A list of ids of earlier results (`of: [h1, h2]`), or one id.
    case referenceList([ValueKind])
    /// A nested mapping with its own parameters (`autoencoder: {epochs: 20}`).
    case object([Parameter])

    /// How the type reads in messages and in `entropybook directives`.
    public var display: String {
        switch self {
        case .int(let r): "integer" + (r.map { " in \($0.lowerBound)...\($0.upperBound)" } ?? "")
        case .double(let r): "number" + (r.map { " in \(formatNumber($0.lowerBound))...\(formatNumber($0.upperBound))" } ?? "")
        case .bool: "true or false"
        case .string: "text"
        case .path: "file path"
        case .choice(let c): c.map { "`\($0)`" }.joined(separator: ", ")
        case .choiceOrNumber(let c, let r): c.map { "`\($0)`" }.joined(separator: ", ") + " or a number" + (r.map { " in \(formatNumber($0.lowerBound))...\(formatNumber($0.upperBound))" } ?? "")
        case .intList: "list of integers (e.g. [1, 2, 4] or 1...16)"
        case .doubleList: "list of numbers"
        case .stringList: "list of words"
        case .reference(let kinds): "id of an earlier " + (kinds.isEmpty ? "result" : kinds.map(\.name).joined(separator: " or "))
        case .referenceList(let kinds): "ids of earlier " + (kinds.isEmpty ? "results" : kinds.map(\.name).joined(separator: " or ") + " results")
        case .object: "mapping"
        }
    }
}

/// A validated parameter value.
public indirect enum ParameterValue: Sendable, Hashable, Codable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case list([ParameterValue])
    case reference(String)
    case object([String: ParameterValue])
}

/// A parameter a directive accepts.
public struct Parameter: Sendable, Hashable {
    public var name: String
    public var type: ParameterType
    /// Used when the body does not set the key; `nil` with `required == false` means the
    /// parameter is optional and has no default.
    public var defaultValue: ParameterValue?
    public var required: Bool
    /// One line for `entropybook directives` and the did-you-mean messages.
    public var doc: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: ParameterValue? = nil,
                required: Bool = false, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.required = required
        self.doc = doc
    }
}

/// The validated arguments of one cell: every declared parameter with its value (or its
/// default), plus where each key was written, for error messages.
public struct Arguments: Sendable, Hashable {
    public var values: [String: ParameterValue]
    /// Line (1-based, in the notebook) of each key that the body set.
    public var lines: [String: Int]

    public init(values: [String: ParameterValue], lines: [String: Int] = [:]) {
        self.values = values
        self.lines = lines
    }

    /// Whether the body set the key or it has a default.
    public func has(_ name: String) -> Bool { values[name] != nil }
    /// Whether the body itself set the key (not a default).
    public func isExplicit(_ name: String) -> Bool { lines[name] != nil }

    public func int(_ name: String) throws -> Int {
        guard case .int(let v)? = values[name] else { throw missing(name, "an integer") }
        return v
    }
    public func double(_ name: String) throws -> Double {
        switch values[name] {
        case .double(let v)?: return v
        case .int(let v)?: return Double(v)
        default: throw missing(name, "a number")
        }
    }
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let v)? = values[name] else { throw missing(name, "true or false") }
        return v
    }
    public func string(_ name: String) throws -> String {
        guard case .string(let v)? = values[name] else { throw missing(name, "text") }
        return v
    }
    /// The id a reference parameter names.
    public func reference(_ name: String) throws -> String {
        guard case .reference(let v)? = values[name] else { throw missing(name, "an id") }
        return v
    }
    public func ints(_ name: String) throws -> [Int] {
        guard case .list(let items)? = values[name] else { throw missing(name, "a list of integers") }
        return try items.map { item in
            guard case .int(let v) = item else { throw missing(name, "a list of integers") }
            return v
        }
    }
    public func doubles(_ name: String) throws -> [Double] {
        guard case .list(let items)? = values[name] else { throw missing(name, "a list of numbers") }
        return try items.map { item in
            switch item {
            case .double(let v): return v
            case .int(let v): return Double(v)
            default: throw missing(name, "a list of numbers")
            }
        }
    }
    /// The ids a reference-list parameter names.
    public func references(_ name: String) throws -> [String] {
        guard case .list(let items)? = values[name] else { throw missing(name, "a list of ids") }
        return try items.map { item in
            guard case .reference(let v) = item else { throw missing(name, "a list of ids") }
            return v
        }
    }
    public func strings(_ name: String) throws -> [String] {
        guard case .list(let items)? = values[name] else { throw missing(name, "a list of words") }
        return try items.map { item in
            guard case .string(let v) = item else { throw missing(name, "a list of words") }
            return v
        }
    }
    /// A nested mapping's arguments (defaults filled in).
    public func object(_ name: String) throws -> Arguments {
        guard case .object(let v)? = values[name] else { throw missing(name, "a mapping") }
        return Arguments(values: v, lines: lines.filter { $0.key.hasPrefix(name + ".") }
            .reduce(into: [:]) { $0[String($1.key.dropFirst(name.count + 1))] = $1.value })
    }

    public func optionalInt(_ name: String) throws -> Int? { has(name) ? try int(name) : nil }
    public func optionalDouble(_ name: String) throws -> Double? { has(name) ? try double(name) : nil }
    public func optionalString(_ name: String) throws -> String? { has(name) ? try string(name) : nil }

    private func missing(_ name: String, _ expected: String) -> ParameterError {
        ParameterError(name, "`\(name)` should be \(expected)")
    }
}

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
    private let environment: [String: any NotebookValue]
    private let arguments: Arguments
    private let progressHandler: @Sendable (Double, String) -> Void
    private let memo: Memo?

    public init(cellID: String?, seed: UInt64, settings: RunSettings, notebookDirectory: URL,
                dataDirectory: URL, environment: [String: any NotebookValue], arguments: Arguments,
                memo: Memo? = nil, progress: @escaping @Sendable (Double, String) -> Void = { _, _ in }) {
        self.memo = memo
        self.cellID = cellID
        self.seed = seed
        self.settings = settings
        self.notebookDirectory = notebookDirectory
        self.dataDirectory = dataDirectory
        self.environment = environment
        self.arguments = arguments
        self.progressHandler = progress
    }

    /// A generator for one purpose of this cell ("init", "shuffle", "sample"), independent
    /// of the others.
    public func generator(_ purpose: String) -> SeededGenerator {
        SeededGenerator(seed: seed).derived(purpose)
    }

    /// The earlier result named by reference parameter `parameter`, as type `T`.
    public func value<T: NotebookValue>(of parameter: String, as type: T.Type = T.self) throws -> T {
        let id = try arguments.reference(parameter)
        guard let v = environment[id] else { throw ParameterError(parameter, "no result named `\(id)`") }
        guard let t = v as? T else {
            throw ParameterError(parameter, "`\(id)` is a \(Swift.type(of: v).kind), not a \(T.kind)")
        }
        return t
    }

    /// The result stored under `id`, if any.
    public func value(id: String) -> (any NotebookValue)? { environment[id] }

    /// A path parameter resolved against the notebook's directory (absolute paths stay).
    public func resolvePath(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        if path.hasPrefix("~/") { return URL(fileURLWithPath: NSString(string: path).expandingTildeInPath) }
        return notebookDirectory.appendingPathComponent(path).standardizedFileURL
    }

    /// A sub-result from the cache when one was stored under the same `parts` for the same
    /// inputs (the cells this one reads, their data files, program version, threads), else
    /// `compute()`, stored for next time. For expensive pieces that do not depend on all of
    /// the cell's arguments: a sweep's autoencoders are reused when only the entropy
    /// settings change. Without a cache (`--no-cache`) it just computes.
    public func memoized<T: CacheableValue>(_ parts: [String], compute: () throws -> T) throws -> T {
        guard let memo else { return try compute() }
        let key = SHA256.hex(Array(("memo\n" + memo.scope + "\n" + parts.joined(separator: "\n")).utf8))
        if let hit = memo.load(key) as? T { return hit }
        let value = try compute()
        memo.save(key, value)
        return value
    }

    /// Reports progress of a long loop (fraction in 0...1) to the terminal.
    public func progress(_ fraction: Double, _ message: String = "") { progressHandler(fraction, message) }
}

/// What a cell produced: values for later cells and items for the report.
public struct CellResult: Sendable {
    /// Stored values: key `""` is the main result (under the cell's id), other keys are
    /// the suffixes declared in `results` (stored as `id.suffix`).
    public var values: [String: any NotebookValue]
    /// What the report shows, in order.
    public var outputs: [OutputItem]
    public init(values: [String: any NotebookValue] = [:], outputs: [OutputItem] = []) {
        self.values = values
        self.outputs = outputs
    }
}

/// One thing a cell shows in the report.
public enum OutputItem: Sendable {
    /// A named number with uncertainty and unit ("H = 4.27 ± 0.02 nats").
    case metric(Metric)
    case table(Table)
    case figure(Figure)
    /// A short paragraph of plain text (not Markdown).
    case text(String)
    /// A caveat the reader must see (unreliable estimate, skipped points, …).
    case warning(String)
}

/// A named number for the report.
public struct Metric: Sendable, Hashable, Codable {
    public var name: String
    public var value: Double
    public var uncertainty: Double?
    public var unit: String?
    public var note: String?
    public init(_ name: String, _ value: Double, uncertainty: Double? = nil, unit: String? = nil, note: String? = nil) {
        self.name = name
        self.value = value
        self.uncertainty = uncertainty
        self.unit = unit
        self.note = note
    }
}

/// A rendered figure: PNGs at report and slide size and the CSV behind them.
public struct Figure: Sendable {
    /// File stem, unique within the cell (the runner prefixes the cell id).
    public var name: String
    public var caption: String
    public var reportPNG: [UInt8]
    public var slidePNG: [UInt8]
    public var csv: String

    public init(name: String, caption: String, reportPNG: [UInt8], slidePNG: [UInt8], csv: String) {
        self.name = name
        self.caption = caption
        self.reportPNG = reportPNG
        self.slidePNG = slidePNG
        self.csv = csv
    }

    /// Renders `chart` at both sizes.
    public init(name: String, caption: String, chart: any Chart) throws {
        self.init(name: name, caption: caption, reportPNG: try chart.png(size: .report),
                  slidePNG: try chart.png(size: .slide), csv: chart.csv())
    }
}

/// Access to the cache for `CellContext.memoized`.
public struct Memo: Sendable {
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
