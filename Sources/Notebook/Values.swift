import Foundation

/// The type of a result stored under an `id`, checked before anything runs: a reference
/// parameter lists the kinds it accepts.
/// A kind with a `RecordDeclaration` carries it, so validation and the report read the
/// fields of its record from the one declaration; kinds compare by name.
public struct ValueKind: Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String
    /// The fields of the kind's record, when declared.
    public let declaration: RecordDeclaration?
    public init(_ name: String) { self.name = name; declaration = nil }
    /// The kind of records declared by `declaration` (its `kind` is the name).
    public init(_ declaration: RecordDeclaration) { name = declaration.kind; self.declaration = declaration }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { name }

    public static func == (a: ValueKind, b: ValueKind) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    private enum CodingKeys: String, CodingKey { case name }
    public init(from decoder: Decoder) throws {
        self.init(try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .name))
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
    }

    public static let dataset = ValueKind(RecordDeclaration.dataset)
    public static let model = ValueKind(RecordDeclaration.model)
    public static let curve = ValueKind(RecordDeclaration.curve)
    public static let histogram = ValueKind(RecordDeclaration.histogram)
    public static let estimate = ValueKind(RecordDeclaration.estimate)
    public static let table = ValueKind(RecordDeclaration.table)
    public static let config: ValueKind = "config"
}

/// A result a cell stores in the notebook's environment for later cells.
public protocol NotebookValue: Sendable {
    /// The kind validation checks references against.
    static var kind: ValueKind { get }
    /// One line for the report and the terminal ("5000×784, labels 0–9, true dim 2").
    var summary: String { get }
    /// Every number of the result, structured, for run.json, inline values and `diff`:
    /// an object with `kind` and the kind's fields (docs/run-json.md, schemas/run.schema.json).
    var record: JSONValue { get }
}

extension NotebookValue {
    /// The fallback for a value type without its own record: its kind and summary.
    public var record: JSONValue { ["kind": .string(Self.kind.name), "summary": .string(summary)] }
}

/// One series of a curve: y against x, optionally with a band [lower, upper] (mean ± spread).
public struct Series: Sendable, Hashable, Codable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var lower: [Double]?
    public var upper: [Double]?
    public init(name: String, x: [Double], y: [Double], lower: [Double]? = nil, upper: [Double]? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.lower = lower
        self.upper = upper
    }
}

/// Curves that `{plot}` can draw: H(d), loss per epoch, bandwidth per d, …
public struct CurveValue: NotebookValue, Hashable, Codable {
    public static var kind: ValueKind { .curve }
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }
    public var summary: String { "\(title): \(series.count) series, \(series.first?.x.count ?? 0) points" }
}

/// A histogram, possibly of several groups over the same bins (within/between labels).
public struct HistogramValue: NotebookValue, Hashable, Codable {
    public static var kind: ValueKind { .histogram }
    public var title: String
    public var xLabel: String
    /// Bin edges, count + 1 of them, ascending.
    public var edges: [Double]
    /// One group per histogram: name and per-bin values (counts or densities).
    public var groups: [Group]
    public var normalized: Bool
    public struct Group: Sendable, Hashable, Codable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }
    public init(title: String, xLabel: String, edges: [Double], groups: [Group], normalized: Bool) {
        self.title = title
        self.xLabel = xLabel
        self.edges = edges
        self.groups = groups
        self.normalized = normalized
    }
    public var summary: String { "\(title): \(groups.count) group(s), \(max(edges.count - 1, 0)) bins" }
}

/// A single estimated number with its uncertainty and the details behind it.
public struct EstimateValue: NotebookValue, Hashable, Codable {
    public static var kind: ValueKind { .estimate }
    public var name: String
    public var value: Double
    public var standardError: Double?
    public var unit: String?
    /// Named side results (bandwidth, n, d, …), in display order.
    public var details: [Detail]
    public struct Detail: Sendable, Hashable, Codable {
        public var name: String
        public var value: Double
        public init(_ name: String, _ value: Double) { self.name = name; self.value = value }
    }
    public init(name: String, value: Double, standardError: Double? = nil, unit: String? = nil, details: [Detail] = []) {
        self.name = name
        self.value = value
        self.standardError = standardError
        self.unit = unit
        self.details = details
    }
    public var summary: String {
        let se = standardError.map { " ± " + formatNumber($0) } ?? ""
        return "\(name) = \(formatNumber(value))\(se)\(unit.map { " " + $0 } ?? "")"
    }
}

/// A count (n ≥ 0) with its digits in groups of three ("2 000 000"), as messages print sizes.
public func groupedDigits(_ n: Int) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, d) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out += " " }
        out.append(d)
    }
    return out
}

/// Numbers as a reader wants them: 4 significant digits, no exponent for ordinary sizes.
public func formatNumber(_ x: Double, significantDigits: Int = 4) -> String {
    // NaN stands for "no value" (a rule that found nothing, a dimension not resolvable).
    guard x.isFinite else { return x.isNaN ? "—" : (x > 0 ? "∞" : "−∞") }
    if x == x.rounded() && abs(x) < 1e9 { return String(Int(x)) }
    let magnitude = abs(x)
    if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e7) {
        return String(format: "%.\(significantDigits - 1)e", x)
    }
    let decimals = max(0, significantDigits - 1 - Int(floor(log10(max(magnitude, 1e-300)))))
    var text = String(format: "%.\(decimals)f", x)
    // 0.2500 → 0.25: trailing zeros suggest a precision the number does not have.
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text
}
