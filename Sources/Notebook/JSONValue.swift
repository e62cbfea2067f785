import Foundation

/// A JSON value: what a result records in run.json (`NotebookValue.record`), what inline
/// values read fields from, and what `entropybook diff` compares. Numbers that are not
/// finite encode as `null` (NaN stands for "no value" throughout the project).
public enum JSONValue: Sendable, Hashable, Codable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
                       ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
                       ExpressibleByDictionaryLiteral {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { a, _ in a }))
    }

    /// A number, or null when it is nil, NaN or infinite.
    public init(_ x: Double?) {
        if let x, x.isFinite { self = .number(x) } else { self = .null }
    }
    /// A string, or null.
    public init(_ s: String?) { self = s.map(JSONValue.string) ?? .null }
    /// An array of numbers (null for the non-finite ones), or null.
    public init(_ xs: [Double]?) { self = xs.map { .array($0.map { JSONValue($0) }) } ?? .null }

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var numberValue: Double? { if case .number(let x) = self { x } else { nil } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let x = try? container.decode(Double.self) { self = .number(x) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let x):
            // Whole numbers print without ".0"; non-finite ones are no value.
            if !x.isFinite { try container.encodeNil() }
            else if x == x.rounded(), abs(x) < 1e15 { try container.encode(Int64(x)) }
            else { try container.encode(x) }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}
