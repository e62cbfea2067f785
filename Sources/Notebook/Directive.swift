import Foundation

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
    /// by the runner and need not be listed): `Settings.parameters`, from the `@Param`
    /// properties of the directive's settings struct (see `ParameterSettings`).
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
    /// parameter, resolved against the notebook's directory.
    static func inputFiles(_ arguments: Arguments, locations: FileLocations) -> [URL]
    /// The memory the arguments imply, for the budget check at validation (see
    /// `ResourceBudget`). nil when the directive holds nothing sizeable or cannot know
    /// before it runs (a file's row count: the readers cap that themselves).
    static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate?
    /// Problems visible from the shapes of the results the cell reads, where validation
    /// knows them (`inputs.shapes`: a synthetic data set's n and columns), so `check` reports
    /// them at the parameter before anything runs. The same problems on data whose shape
    /// only a run knows (files) remain the run's located errors. The default: none.
    static func validateShapes(_ inputs: EstimateInputs) -> [ParameterError]
    /// The paths the cell will read, as written, with the parameter that names each, so
    /// validation can refuse paths outside the notebook's folder before anything runs.
    /// The default: every `.path` parameter, expecting a file.
    static func readPaths(_ arguments: Arguments) -> [ReadPath]
    /// Run-wide settings the cell sets while planning (`{config}`: seed, threads, quick),
    /// so every later cell sees them; `-p key=value` still wins. Called by the validator
    /// for every cell in order. The default sets nothing.
    static func applySettings(_ arguments: Arguments, to settings: inout RunSettings)
    /// Whether the whole cell is one expensive unit of work that a cluster node may
    /// compute from its cached inputs (see `WorkPlan`). The default: no.
    static var isWorkUnit: Bool { get }
    /// The expensive pieces of the cell that can be computed apart, from the arguments and
    /// settings alone (nothing runs): each is computed by `computeWorkUnit` through
    /// `CellContext.memoized(declaration.parts)`, and `run` memoizes the same parts, so
    /// it assembles the cell from the cache once they are there. The default: none.
    static func workUnits(_ arguments: Arguments, settings: RunSettings, seed: UInt64) throws -> [WorkUnitDeclaration]
    /// Computes the unit `id` of `workUnits` (its result stored by `context.memoized`).
    static func computeWorkUnit(_ id: String, _ arguments: Arguments, context: CellContext) throws
}

extension Directive {
    public static func validate(_ arguments: Arguments) -> [ParameterError] { [] }
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? { nil }
    public static func validateShapes(_ inputs: EstimateInputs) -> [ParameterError] { [] }
    public static func applySettings(_ arguments: Arguments, to settings: inout RunSettings) {}
    public static func readPaths(_ arguments: Arguments) -> [ReadPath] {
        parameters.compactMap { p -> ReadPath? in
            guard case .path = p.type, case .string(let path)? = arguments.values[p.name] else { return nil }
            return ReadPath(parameter: p.name, path: path)
        }
    }
    public static var results: [ResultSlot] { [] }
    public static var isWorkUnit: Bool { false }
    public static func workUnits(_ arguments: Arguments, settings: RunSettings, seed: UInt64) throws -> [WorkUnitDeclaration] { [] }
    public static func computeWorkUnit(_ id: String, _ arguments: Arguments, context: CellContext) throws {
        throw CellError("{\(name)} has no unit of work `\(id)`")
    }
    public static func inputFiles(_ arguments: Arguments, locations: FileLocations) -> [URL] {
        parameters.compactMap { p -> URL? in
            guard case .path = p.type, case .string(let path)? = arguments.values[p.name] else { return nil }
            return locations.resolve(path)
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
    /// One of a fixed set of words, or a list of exactly `count` numbers (range: auto | [0.1, 2]).
    case choiceOrNumbers([String], count: Int)
    /// A list of integers: `[1, 2, 3]`, a range `1...16` (or `1..16`), or one integer.
    case intList(ClosedRange<Int>? = nil)
    /// A list of numbers, or one number.
    case doubleList(ClosedRange<Double>? = nil)
    /// A list of words, or one word (free text: labels of reference lines).
    case stringList
    /// A list of words from a fixed set, or one of them (`methods: [mle, twonn]`).
    case wordList([String])
    /// The id of an earlier result, of one of these kinds (`data: ae1.codes`).
    case reference([ValueKind])
    /// A list of ids of earlier results (`of: [h1, h2]`), or one id.
    case referenceList([ValueKind])
    /// The id of an earlier result of these kinds, or one of a few words that name something
    /// that is not a result (`y: labels`: x's labels). A word wins over an id spelt the same;
    /// it reads as `.string`, an id as `.reference`.
    case referenceOrWord([ValueKind], words: [String])
    /// A nested mapping with its own parameters (`autoencoder: {epochs: 20}`).
    case object([Parameter])

    /// The words the type accepts, if it is a choice of words (`check` refuses any other).
    public var words: [String]? {
        switch self {
        case .choice(let w), .choiceOrNumber(let w, _), .choiceOrNumbers(let w, _), .wordList(let w): w
        default: nil
        }
    }

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
        case .choiceOrNumbers(let c, let count): c.map { "`\($0)`" }.joined(separator: ", ") + " or a list of \(count) numbers"
        case .intList: "list of integers (e.g. [1, 2, 4] or 1...16)"
        case .doubleList: "list of numbers"
        case .stringList: "list of words"
        case .wordList(let w): "list of " + w.map { "`\($0)`" }.joined(separator: ", ")
        case .reference(let kinds): "id of an earlier " + (kinds.isEmpty ? "result" : kinds.map(\.name).joined(separator: " or "))
        case .referenceList(let kinds): "ids of earlier " + (kinds.isEmpty ? "results" : kinds.map(\.name).joined(separator: " or ") + " results")
        case .referenceOrWord(let kinds, let words):
            "id of an earlier " + (kinds.isEmpty ? "result" : kinds.map(\.name).joined(separator: " or ")) + " or " + words.map { "`\($0)`" }.joined(separator: ", ")
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

/// What a cell produced: values for later cells and items for the report.
public struct CellResult: Sendable {
    /// Stored values: key `""` is the main result (under the cell's id), other keys are
    /// the suffixes declared in `results` (stored as `id.suffix`).
    public var values: [String: any NotebookValue]
    /// What the report shows, in order.
    public var outputs: [OutputItem]
    /// For a result served by the cache: how long the cell took when it was computed
    /// (nil when fresh, or unknown), so the report can show the real cost of the run.
    public var computeSeconds: Double?
    /// For a result served by the cache: when it was computed (stored with the entry).
    public var computedAt: Date?
    public init(values: [String: any NotebookValue] = [:], outputs: [OutputItem] = [], computeSeconds: Double? = nil) {
        self.values = values
        self.outputs = outputs
        self.computeSeconds = computeSeconds
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
    /// A judged conclusion, styled by its typed outcome.
    case claim(ClaimValue)
    /// Information about how the result was obtained that changes nothing about trusting
    /// it (quick mode's smaller sizes, estimates on a sample of the rows): shown quieter
    /// than a warning.
    case note(String)
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

/// A rendered figure: PNGs at report, phone and slide size and the CSV behind them.
public struct Figure: Sendable {
    /// File stem, unique within the cell (the runner prefixes the cell id).
    public var name: String
    public var caption: String
    /// Laid out for the report's 900 CSS px column, drawn at 2× (1800 px wide).
    public var reportPNG: [UInt8]
    /// Laid out for a phone's ~360 CSS px column, drawn at 2× (720 px wide); empty when the
    /// figure has no narrow variant (the report then shows `reportPNG` everywhere).
    public var narrowPNG: [UInt8]
    public var slidePNG: [UInt8]
    public var csv: String

    public init(name: String, caption: String, reportPNG: [UInt8], narrowPNG: [UInt8] = [], slidePNG: [UInt8], csv: String) {
        self.name = name
        self.caption = caption
        self.reportPNG = reportPNG
        self.narrowPNG = narrowPNG
        self.slidePNG = slidePNG
        self.csv = csv
    }
}
