import EntropyCurve
import Notebook

/// What `{entropy-curve}` concluded, as numbers a later cell can read without parsing text:
/// the verdict (nil: not resolvable), the candidate, the true k, and the median curves per d
/// that `{claim}` tests.
public struct DimensionVerdictValue: CacheableValue, Hashable, Codable {
    public static var kind: ValueKind { ValueKind(declaration) }

    /// The verdict record's fields, each declared once: `declaration` lists them, `record`
    /// fills them and readers of stored records (the README's blocks) name them.
    public enum Field {
        public static let label = RecordField("label", .string(nullable: false), doc: "the data's short name")
        public static let dimension = RecordField("dimension", .integer(nullable: true), inline: true, nullText: "not resolvable",
                                                  doc: "the intrinsic dimension, or null when not resolvable")
        public static let candidate = RecordField("candidate", .integer(nullable: true), inline: true,
                                                  doc: "where the curve bends, even when not resolvable")
        public static let trueDimension = RecordField("trueDimension", .integer(nullable: true), inline: true,
                                                      doc: "the data's true intrinsic dimension, when known")
        public static let explanation = RecordField("explanation", .string(nullable: false), inline: true,
                                                    doc: "the verdict in a sentence, with its reason")
        public static let seeds = RecordField("seeds", .integer(nullable: false), inline: true, doc: "seeds per d behind the medians")
        public static let d = RecordField("d", .integers, doc: "the code dimensions of the sweep")
        public static let entropy = RecordField("entropy", .numbers(nullable: false), unit: "nats", doc: "median H(d)")
        public static let whitenedEntropy = RecordField("whitenedEntropy", .numbers(nullable: false), unit: "nats", doc: "median H_white(d)")
        public static let correlationDimension = RecordField("correlationDimension", .numbers(nullable: true),
                                                             doc: "median correlation dimension of the codes per d, or null")
        public static let summary = RecordField("summary", .string(nullable: false), doc: "one line for the report")
    }

    /// The fields of the verdict's record: what prose quotes (`{=ID.verdict}` is the
    /// dimension, or "not resolvable"), run.json holds and the schema describes.
    public static let declaration = RecordDeclaration(
        kind: "verdict",
        doc: "an {entropy-curve} dimension verdict (dimension null: not resolvable, the explanation says why) and the median curves it read",
        defaultField: Field.dimension.name, fields: [
            Field.label, Field.dimension, Field.candidate, Field.trueDimension, Field.explanation, Field.seeds, Field.d,
            Field.entropy, Field.whitenedEntropy, Field.correlationDimension, Field.summary,
        ])
    public static var cacheTag: String { "dimension-verdict" }

    public var label: String
    public var dimension: Int?
    public var candidate: Int?
    public var trueDimension: Int?
    public var explanation: String
    /// Seeds per d behind the medians.
    public var seeds: Int
    public var d: [Int]
    public var entropy: [Double]
    public var whitenedEntropy: [Double]
    /// Median correlation dimension of the codes per d (nil: not computed).
    public var correlationDimension: [Double]?

    public init(verdict: DimensionVerdict, summary: CurveSummary, seeds: Int, trueDimension: Int?, label: String) {
        self.label = label
        dimension = verdict.dimension
        candidate = verdict.candidate
        self.trueDimension = trueDimension
        explanation = verdict.explanation
        self.seeds = seeds
        d = summary.d
        entropy = summary.entropy.map(\.median)
        whitenedEntropy = summary.whitenedEntropy.map(\.median)
        correlationDimension = summary.correlationDimension?.map(\.median)
    }

    public var summary: String {
        "\(label): " + (dimension.map { "intrinsic dimension \($0)" } ?? "not resolvable") + " (\(seeds) seed(s), d = \(d.first ?? 0)…\(d.last ?? 0))"
    }

    /// The verdict (null: not resolvable, with the explanation saying why) and the median
    /// curves it was read from.
    public var record: JSONValue {
        func int(_ x: Int?) -> JSONValue { x.map { .number(Double($0)) } ?? .null }
        return Self.declaration.record([
            Field.label: .string(label), Field.dimension: int(dimension), Field.candidate: int(candidate),
            Field.trueDimension: int(trueDimension), Field.explanation: .string(explanation), Field.seeds: .number(Double(seeds)),
            Field.d: .array(d.map { .number(Double($0)) }), Field.entropy: JSONValue(entropy),
            Field.whitenedEntropy: JSONValue(whitenedEntropy), Field.correlationDimension: JSONValue(correlationDimension),
            Field.summary: .string(summary),
        ])
    }

    public func encode(to writer: inout ByteWriter) throws { try writer.write(json: self) }
    public static func decode(from reader: inout ByteReader) throws -> DimensionVerdictValue { try reader.readJSON(DimensionVerdictValue.self) }
}
