import Foundation

/// One field of a value's run.json record, declared once — name, type, unit, one-line doc —
/// and read from there by the record itself, the prose's inline values (validation and
/// resolution), the generated JSON schema (`schemas/run.schema.json`), `diff` (through the
/// record) and `entropybook directives NAME`.
public struct RecordField: Sendable, Hashable {
    /// The JSON a field holds.
    public enum FieldType: Sendable, Hashable {
        /// A number; null for no value (NaN, infinite, not resolvable).
        case number
        case integer(nullable: Bool)
        case string(nullable: Bool)
        case bool
        /// One of these words.
        case words([String])
        case integers
        /// Numbers (null entries for no value); `nullable`: the whole list may be null.
        case numbers(nullable: Bool)
        /// An object from names to numbers (an estimate's details).
        case numberMap
        /// A list of `{name, value}` (a claim's numbers and thresholds).
        case namedNumbers
        /// A list of sub-records, each holding exactly these fields (a curve's series, a
        /// table's columns); built by `RecordField.item(_:)`.
        indirect case records([RecordField])
        /// Rows of typed table cells (`#/definitions/tableCell`, `RecordDeclaration.tableCellSchema`).
        case cellRows
    }

    public var name: String
    public var type: FieldType
    /// The unit of the field's numbers, when fixed ("nats").
    public var unit: String?
    /// The field of the same record that holds this field's unit (an estimate's `unit`).
    public var unitField: String?
    public var doc: String
    /// Whether prose may quote it: `{=ID.name}`, or for a number map or named numbers
    /// `{=ID.inlineName.NAME}`.
    public var inline: Bool
    /// How prose names one entry of a number map or named numbers (`detail`, `number`).
    public var inlineName: String?
    /// What prose shows where the field is null ("not resolvable"); nil: the field's absence.
    public var nullText: String?

    public init(_ name: String, _ type: FieldType, unit: String? = nil, unitField: String? = nil, inline: Bool = false,
                inlineName: String? = nil, nullText: String? = nil, doc: String) {
        self.name = name
        self.type = type
        self.unit = unit
        self.unitField = unitField
        self.doc = doc
        self.inline = inline
        self.inlineName = inlineName
        self.nullText = nullText
    }

    /// The field as prose names it.
    public var inlinePath: String { inlineName ?? name }
}

/// The fields of one kind of record, in order: the single declaration of what a value's
/// `record` holds. `record(_:)` builds the record from it, so a field renamed here is
/// renamed in run.json, the schema and the prose's inline values at once.
public struct RecordDeclaration: Sendable, Hashable {
    public var kind: String
    public var doc: String
    public var fields: [RecordField]
    /// The field a bare `{=ID}` shows.
    public var defaultField: String?

    public init(kind: String, doc: String, defaultField: String? = nil, fields: [RecordField]) {
        self.kind = kind
        self.doc = doc
        self.fields = fields
        self.defaultField = defaultField
    }

    public func field(_ name: String) -> RecordField? { fields.first { $0.name == name } }

    /// The record: `kind`, then every declared field (null where `values` has none). A key
    /// of `values` that is not declared is left out — run.json holds declared fields only.
    public func record(_ values: [String: JSONValue]) -> JSONValue {
        var out: [String: JSONValue] = ["kind": .string(kind)]
        for f in fields { out[f.name] = values[f.name] ?? .null }
        return .object(out)
    }

    /// The record with each value under its declared field (the field constants of the
    /// declaration: `RecordDeclaration.Estimate.value`), so the name is written once.
    public func record(_ values: [RecordField: JSONValue]) -> JSONValue {
        record(Dictionary(values.map { ($0.key.name, $0.value) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The fields prose may quote, as it spells them.
    public var inlineFields: [String] { fields.filter(\.inline).map(\.inlinePath) }

    /// Fields whose quote names one entry (`detail.NAME`).
    public var namedListFields: [String] {
        fields.filter { f in
            guard f.inline else { return false }
            switch f.type {
            case .numberMap, .namedNumbers: return true
            default: return false
            }
        }.map(\.inlinePath)
    }

    /// The field a prose path names: the default for `[]`, a field by its name, or a named
    /// entry (`detail.NAME`).
    public func inlineField(_ path: [String]) -> RecordField? {
        guard let first = path.first else { return defaultField.flatMap(field) }
        return fields.first { $0.inline && $0.inlinePath == first }
    }

    /// The value a prose path names in `record`, with its unit; nil when the record has no
    /// such field or entry.
    public func resolve(_ record: JSONValue, _ path: [String]) -> (JSONValue, String?)? {
        guard let f = inlineField(path) else { return nil }
        let value = record[f.name] ?? .null
        let unit = f.unit ?? f.unitField.flatMap { record[$0]?.stringValue }
        switch f.type {
        case .numberMap:
            guard path.count == 2, case .object(let entries) = value,
                  let match = entries.first(where: { $0.key == path[1] || InlineValuePath.slug($0.key) == path[1] }) else { return nil }
            return (match.value, unit)
        case .namedNumbers:
            guard path.count == 2, case .array(let entries) = value,
                  let match = entries.first(where: { ($0["name"]?.stringValue).map { $0 == path[1] || InlineValuePath.slug($0) == path[1] } ?? false })
            else { return nil }
            return match["value"].map { ($0, unit) }
        default:
            guard path.count <= 1 else { return nil }
            if value == .null, let text = f.nullText { return (.string(text), nil) }
            return (value, unit)
        }
    }

    /// The kind's definition in the JSON schema of run.json (draft-07), generated.
    public var schema: JSONValue {
        var properties: [String: JSONValue] = ["kind": ["enum": [.string(kind)]]]
        for f in fields { properties[f.name] = f.schema }
        return ["description": .string(doc), "type": "object", "additionalProperties": false,
                "required": .array((["kind"] + fields.map(\.name)).map(JSONValue.string)), "properties": .object(properties)]
    }
}

extension RecordField {
    /// The field's schema (draft-07), its doc and unit as the description.
    public var schema: JSONValue {
        var p: [String: JSONValue]
        func json(_ t: String, _ nullable: Bool) -> JSONValue { nullable ? [.string(t), "null"] : .string(t) }
        switch type {
        case .number: p = ["$ref": "#/definitions/number"]
        case .integer(let nullable): p = ["type": json("integer", nullable)]
        case .string(let nullable): p = ["type": json("string", nullable)]
        case .bool: p = ["type": "boolean"]
        case .words(let words): p = ["enum": .array(words.map(JSONValue.string))]
        case .integers: p = ["type": "array", "items": ["type": "integer"]]
        case .numbers(let nullable):
            p = nullable ? ["oneOf": [["$ref": "#/definitions/numbers"], ["type": "null"]]] : ["$ref": "#/definitions/numbers"]
        case .numberMap: p = ["type": "object", "additionalProperties": ["$ref": "#/definitions/number"]]
        case .namedNumbers: p = ["$ref": "#/definitions/namedNumbers"]
        case .records(let fields):
            p = ["type": "array", "items": Self.objectSchema(fields, required: fields)]
        case .cellRows: p = ["type": "array", "items": ["type": "array", "items": ["$ref": "#/definitions/tableCell"]]]
        }
        p["description"] = .string(doc + (unit.map { " (\($0))" } ?? ""))
        return .object(p)
    }

    /// An object of exactly `fields`, those of `required` required.
    static func objectSchema(_ fields: [RecordField], required: [RecordField]) -> JSONValue {
        ["type": "object", "additionalProperties": false, "required": .array(required.map { .string($0.name) }),
         "properties": .object(Dictionary(fields.map { ($0.name, $0.schema) }, uniquingKeysWith: { a, _ in a }))]
    }

    /// One sub-record of a `records` field: each declared sub-field under its name (null
    /// where `values` has none); a value under a field not declared is left out.
    public func item(_ values: [RecordField: JSONValue]) -> JSONValue {
        guard case .records(let fields) = type else { return .null }
        var out = [String: JSONValue]()
        for f in fields { out[f.name] = values[f] ?? .null }
        return .object(out)
    }
}

// The engine's declared records. Values in `Directives` declare theirs beside the value.
extension RecordDeclaration {
    /// An estimate's fields, each declared once: `estimate` lists them, `EstimateValue.record`
    /// fills them and readers of stored records (the README's blocks, `DeclaredRecord`) name them.
    public enum Estimate {
        public static let name = RecordField("name", .string(nullable: false), inline: true, doc: "what was estimated and how")
        public static let value = RecordField("value", .number, unitField: "unit", inline: true, doc: "the estimate")
        public static let se = RecordField("se", .number, unitField: "unit", inline: true, doc: "its standard error, or null")
        public static let unit = RecordField("unit", .string(nullable: true), inline: true, doc: "the unit of value and se")
        public static let details = RecordField("details", .numberMap, inline: true, inlineName: "detail",
                                                doc: "named side results (bandwidth, n, rule results, …)")
        public static let summary = RecordField("summary", .string(nullable: false), doc: "one line for the report")
    }

    public static let estimate = RecordDeclaration(kind: "estimate", doc: "a single estimated number with its uncertainty and the details behind it",
                                                   defaultField: Estimate.value.name, fields: [
        Estimate.name, Estimate.value, Estimate.se, Estimate.unit, Estimate.details, Estimate.summary,
    ])

    /// A claim's fields, each declared once (see `Estimate`).
    public enum Claim {
        public static let statement = RecordField("statement", .string(nullable: false), inline: true, doc: "the claim as the talk states it")
        public static let test = RecordField("test", .string(nullable: false), inline: true, doc: "the test's name")
        public static let outcome = RecordField("outcome", .words(ClaimValue.Outcome.allCases.map(\.rawValue)), inline: true,
                                                doc: "confirmed, partly confirmed or not confirmed")
        public static let rule = RecordField("rule", .string(nullable: false), inline: true, doc: "the rule in words, thresholds written out")
        public static let thresholds = RecordField("thresholds", .namedNumbers, inline: true, inlineName: "threshold", doc: "the rule's thresholds")
        public static let numbers = RecordField("numbers", .namedNumbers, inline: true, inlineName: "number", doc: "the numbers the rule compared")
        public static let evidence = RecordField("evidence", .string(nullable: false), inline: true, doc: "what the numbers show")
        public static let summary = RecordField("summary", .string(nullable: false), doc: "one line for the report")
    }

    public static let claim = RecordDeclaration(kind: "claim", doc: "a judged conclusion: its rule, thresholds and the numbers it compared",
                                                defaultField: Claim.outcome.name, fields: [
        Claim.statement, Claim.test, Claim.outcome, Claim.rule, Claim.thresholds, Claim.numbers, Claim.evidence, Claim.summary,
    ])

    public static let dataset = RecordDeclaration(kind: "dataset", doc: "a data set: its size, true dimension and origin", fields: [
        RecordField("name", .string(nullable: false), doc: "the data set's name"),
        RecordField("n", .integer(nullable: false), inline: true, doc: "number of points"),
        RecordField("D", .integer(nullable: false), inline: true, doc: "coordinates per point"),
        RecordField("k", .integer(nullable: true), inline: true, doc: "the true intrinsic dimension, when known"),
        RecordField("labeled", .bool, doc: "whether the points carry labels"),
        RecordField("provenance", .string(nullable: false), doc: "how it was made or read"),
    ])

    public static let model = RecordDeclaration(kind: "model", doc: "a trained autoencoder", fields: [
        RecordField("layers", .integers, doc: "layer sizes, input to output"),
        RecordField("parameters", .integer(nullable: false), inline: true, doc: "number of weights and biases"),
        RecordField("summary", .string(nullable: false), doc: "one line for the report"),
    ])

    /// A curve's fields (`CurveValue.record`), each declared once (see `Estimate`).
    public enum Curve {
        /// One series' fields.
        public enum Series {
            public static let name = RecordField("name", .string(nullable: false), doc: "the series' name (its legend entry)")
            public static let x = RecordField("x", .numbers(nullable: false), doc: "the x values")
            public static let y = RecordField("y", .numbers(nullable: false), doc: "y at each x")
            public static let lower = RecordField("lower", .numbers(nullable: true), doc: "the band's lower edge at each x, or null without a band")
            public static let upper = RecordField("upper", .numbers(nullable: true), doc: "the band's upper edge at each x, or null without a band")
        }
        public static let title = RecordField("title", .string(nullable: false), doc: "the figure's title")
        public static let xLabel = RecordField("xLabel", .string(nullable: false), doc: "the x axis' label")
        public static let yLabel = RecordField("yLabel", .string(nullable: false), doc: "the y axis' label")
        public static let series = RecordField("series", .records([Series.name, Series.x, Series.y, Series.lower, Series.upper]),
                                               doc: "the curves, y against x, each with an optional band")
    }

    public static let curve = RecordDeclaration(kind: "curve", doc: "curves y against x, each optionally with a band [lower, upper]", fields: [
        Curve.title, Curve.xLabel, Curve.yLabel, Curve.series,
    ])

    /// A histogram's fields (`HistogramValue.record`), each declared once (see `Estimate`).
    public enum Histogram {
        /// One group's fields.
        public enum Group {
            public static let name = RecordField("name", .string(nullable: false), doc: "the group's name")
            public static let values = RecordField("values", .numbers(nullable: false), doc: "one value per bin")
        }
        public static let title = RecordField("title", .string(nullable: false), doc: "the figure's title")
        public static let xLabel = RecordField("xLabel", .string(nullable: false), doc: "the x axis' label")
        public static let edges = RecordField("edges", .numbers(nullable: false), doc: "the bins' edges, one more than the bins")
        public static let normalized = RecordField("normalized", .bool, doc: "whether the values are densities (each group integrates to 1) rather than counts")
        public static let groups = RecordField("groups", .records([Group.name, Group.values]), doc: "the histograms over the same bins")
    }

    public static let histogram = RecordDeclaration(kind: "histogram", doc: "histograms of one or more groups over shared bins", fields: [
        Histogram.title, Histogram.xLabel, Histogram.edges, Histogram.normalized, Histogram.groups,
    ])

    /// A table's fields (`Table.record`, read back by `Table.StoredRecord`), each declared once.
    public enum TableRecord {
        /// One column's fields.
        public enum Column {
            public static let name = RecordField("name", .string(nullable: false), doc: "the column's heading")
            public static let unit = RecordField("unit", .string(nullable: true), doc: "the unit its numbers share, or null")
            public static let role = RecordField("role", .words(Table.Role.allCases.map(\.rawValue) + ColumnRole.words), doc:
                "the role every number of the column has; text, verdict for words; mixed")
        }
        /// The column roles besides the numbers' (`Table.Role`).
        public enum ColumnRole {
            public static let text = "text", verdict = "verdict", mixed = "mixed"
            static let words = [text, verdict, mixed]
        }
        /// The members of a typed cell stored as an object (`tableCellSchema`).
        public enum Cell {
            public static let value = RecordField("value", .number, doc: "the number")
            public static let lower = RecordField("lower", .number, doc: "the lower end of its range (a median's)")
            public static let upper = RecordField("upper", .number, doc: "the upper end of its range")
            public static let se = RecordField("se", .number, doc: "its standard error")
            public static let role = RecordField("role", .words(Table.Role.allCases.map(\.rawValue)), doc: "its role, where it differs from its column's")
            static let all = [value, lower, upper, se, role]
        }
        public static let title = RecordField("title", .string(nullable: true), doc: "the table's title, or null")
        public static let columns = RecordField("columns", .records([Column.name, Column.unit, Column.role]), doc: "the columns, with their unit and role")
        public static let rows = RecordField("rows", .cellRows, doc: "the rows of typed cells; the first cell names the row")
    }

    public static let table = RecordDeclaration(kind: "table", doc: "a table of typed cells: numbers as numbers with their unit and role, text, verdicts", fields: [
        TableRecord.title, TableRecord.columns, TableRecord.rows,
    ])

    /// `#/definitions/tableCell`: a number; `{value, lower, upper, se, role}` for a number
    /// with its range, standard error or a role other than its column's; text; null for
    /// an empty cell. Generated from `TableRecord.Cell`.
    public static var tableCellSchema: JSONValue {
        guard case .object(var object) = RecordField.objectSchema(TableRecord.Cell.all, required: [TableRecord.Cell.value]) else { return .null }
        object["type"] = ["number", "string", "null", "object"]
        object["description"] = "a table cell: a number, a number with its range, standard error or own role (an object), text, or null for an empty cell"
        return .object(object)
    }

    /// Definitions the declared records refer to, generated beside them.
    public static var sharedDefinitions: [String: JSONValue] { ["tableCell": tableCellSchema] }

    /// The declarations the engine itself knows (values of other modules declare theirs).
    public static let engine: [RecordDeclaration] = [estimate, claim, dataset, model, curve, histogram, table]
}

/// A stored record (run.json, a README extract) read through its declaration: a field is
/// named by its `RecordField`, never by a string typed where it is read, so a field renamed
/// in its declaration is renamed for every reader (the README's results blocks) at once. A
/// record of another kind, or one without a declared field (written before a rename), is
/// refused with the field's name — never read as a silent null.
public struct DeclaredRecord: Sendable {
    public let declaration: RecordDeclaration
    public let json: JSONValue

    public init(_ json: JSONValue, as declaration: RecordDeclaration) throws {
        let kind = json["kind"]?.stringValue ?? "?"
        guard kind == declaration.kind else { throw CellError("a `\(kind)` record where a `\(declaration.kind)` record was expected") }
        let missing = declaration.fields.map(\.name).filter { json[$0] == nil }
        guard missing.isEmpty else {
            throw CellError("a `\(kind)` record without the declared \(missing.count == 1 ? "field" : "fields") "
                + missing.map { "`\($0)`" }.joined(separator: ", ") + " (written before a field was renamed? extract the run again)")
        }
        self.declaration = declaration
        self.json = json
    }

    /// The field's value (`.null` where the record has none). `field` is one of the
    /// declaration's field constants (`RecordDeclaration.Estimate.value`).
    public subscript(_ field: RecordField) -> JSONValue { json[field.name] ?? .null }
}
