import Foundation

/// A JSON document for schema checks: integers kept apart from other numbers.
public indirect enum JSONDocument: Decodable, Equatable {
    case null, bool(Bool), integer(Double), number(Double), string(String), array([JSONDocument]), object([String: JSONDocument])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        // Seeds are UInt64 and may exceed Int64.max.
        else if let i = try? c.decode(Int64.self) { self = .integer(Double(i)) }
        else if let u = try? c.decode(UInt64.self) { self = .integer(Double(u)) }
        else if let x = try? c.decode(Double.self) { self = .number(x) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONDocument].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONDocument].self)) }
    }

    var typeNames: [String] {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .integer: ["integer", "number"]
        case .number: ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }
}

/// Checks a document against the subset of JSON Schema (draft-07) that
/// schemas/run.schema.json uses: type, enum, required, properties, additionalProperties,
/// items, minimum, $ref to #/definitions, oneOf and not. Python's `jsonschema` is not on
/// every machine the tests run on; this keeps the check in the suite everywhere.
public struct JSONSchemaCheck {
    let root: JSONDocument

    public init(schema: Data) throws { root = try JSONDecoder().decode(JSONDocument.self, from: schema) }

    /// Every violation, as "path: problem"; empty when the document conforms.
    public func violations(of document: JSONDocument) -> [String] { check(document, against: root, at: "$") }

    private func check(_ value: JSONDocument, against schema: JSONDocument, at path: String) -> [String] {
        guard case .object(let s) = schema else { return [] }
        if case .string(let ref)? = s["$ref"] { return check(value, against: resolve(ref), at: path) }
        var problems = [String]()
        if let type = s["type"] {
            let allowed: [String] = switch type {
            case .string(let t): [t]
            case .array(let ts): ts.compactMap { if case .string(let t) = $0 { t } else { nil } }
            default: []
            }
            if Set(allowed).isDisjoint(with: value.typeNames) { return ["\(path): is \(value.typeNames[0]), not \(allowed.joined(separator: " or "))"] }
        }
        if case .array(let options)? = s["enum"], !options.contains(where: { equal($0, value) }) { problems.append("\(path): not one of the allowed values") }
        if let minimum = s["minimum"], let x = number(value), let m = number(minimum), x < m { problems.append("\(path): below \(m)") }
        if let not = s["not"], check(value, against: not, at: path).isEmpty { problems.append("\(path): matches a schema it must not") }
        if case .array(let options)? = s["oneOf"] {
            let matching = options.filter { check(value, against: $0, at: path).isEmpty }.count
            if matching != 1 {
                let detail = options.map { check(value, against: $0, at: path).first ?? "matches" }.joined(separator: "; ")
                problems.append("\(path): matches \(matching) of oneOf's schemas, not 1 (\(detail))")
            }
        }
        if case .object(let members) = value { problems += checkObject(members, s, at: path) }
        if case .array(let items) = value, let itemSchema = s["items"] {
            for (i, item) in items.enumerated() { problems += check(item, against: itemSchema, at: "\(path)[\(i)]") }
        }
        return problems
    }

    private func checkObject(_ members: [String: JSONDocument], _ s: [String: JSONDocument], at path: String) -> [String] {
        var problems = [String]()
        if case .array(let required)? = s["required"] {
            for case .string(let key) in required where members[key] == nil { problems.append("\(path): lacks `\(key)`") }
        }
        var properties = [String: JSONDocument]()
        if case .object(let p)? = s["properties"] { properties = p }
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            if let p = properties[key] { problems += check(member, against: p, at: "\(path).\(key)"); continue }
            switch s["additionalProperties"] {
            case .bool(false)?: problems.append("\(path): unexpected member `\(key)`")
            case .object(let extra)?: problems += check(member, against: .object(extra), at: "\(path).\(key)")
            default: break
            }
        }
        return problems
    }

    private func resolve(_ ref: String) -> JSONDocument {
        guard ref.hasPrefix("#/definitions/"), case .object(let r) = root, case .object(let definitions)? = r["definitions"] else { return .null }
        return definitions[String(ref.dropFirst("#/definitions/".count))] ?? .null
    }

    private func number(_ v: JSONDocument) -> Double? {
        switch v { case .integer(let i): i; case .number(let x): x; default: nil }
    }

    private func equal(_ a: JSONDocument, _ b: JSONDocument) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        return a == b
    }
}
