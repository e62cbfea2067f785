import Foundation

/// Reads a cell's validated arguments into a typed struct, so a directive names each
/// parameter once (a stored property, declared by `@Param`) and never reads a key string.
///
///     struct Settings: ParameterSettings { @Param("…", kinds: [.dataset]) var data: ResultID; @Param("…", 1...64) var code = 4 }
///     let s = try arguments.decode(Settings.self)
///
/// Property names map to parameter keys by camelCase → kebab-case (`codeActivation` reads
/// `code-activation`). Validation has already checked types and ranges against the
/// declarations, so a decoding failure is a mismatch between a declaration and its struct;
/// it is still reported as a `ParameterError` naming the key, never a crash.
extension Arguments {
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try T(from: ArgumentDecoder(value: .object(values), codingPath: [], explicitKeys: Set(lines.keys)))
        } catch let error as DecodingError {
            throw ParameterError(error.parameterName, error.parameterMessage)
        }
    }
}

/// The id of an earlier result, as a `reference` parameter names it. It remembers its
/// parameter so `CellContext.value(_:as:)` can say which key named a missing result.
public struct ResultID: Codable, Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var parameter: String
    public init(_ id: String, parameter: String) {
        self.id = id
        self.parameter = parameter
    }
    public init(from decoder: any Decoder) throws {
        id = try decoder.singleValueContainer().decode(String.self)
        parameter = parameterKey(decoder.codingPath)
    }
    /// The id alone, as the notebook writes it (a cell's settings in a cache key).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
    public var description: String { id }
}

/// `codeActivation` → `code-activation`: Swift property names to notebook keys.
func kebabCase(_ name: String) -> String {
    var out = ""
    for c in name {
        if c.isUppercase {
            out += "-" + c.lowercased()
        } else {
            out.append(c)
        }
    }
    return out
}

/// The dotted key of a coding path (`autoencoder.epochs`), list indices left out.
func parameterKey(_ path: [any CodingKey]) -> String {
    path.filter { $0.intValue == nil }.map { kebabCase($0.stringValue) }.joined(separator: ".")
}

extension DecodingError {
    var parameterName: String {
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): parameterKey(c.codingPath)
        case .keyNotFound(let key, let c): parameterKey(c.codingPath + [key])
        @unknown default: ""
        }
    }
    var parameterMessage: String {
        let name = parameterName
        switch self {
        case .typeMismatch(let type, _): return "`\(name)` should be \(expectedDescription(type))"
        case .valueNotFound, .keyNotFound: return "`\(name)` is required"
        case .dataCorrupted(let c): return "`\(name)`: \(c.debugDescription)"
        @unknown default: return "`\(name)` could not be read"
        }
    }
    private func expectedDescription(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "text"
        default: "a \(type)"
        }
    }
}

/// A `Decoder` over one `ParameterValue` (an object at the top).
struct ArgumentDecoder: Decoder {
    let value: ParameterValue
    let codingPath: [any CodingKey]
    /// The dotted keys the body set (`Arguments.lines`), for `Param.isExplicit`.
    var explicitKeys: Set<String> = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let values) = value else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a mapping"))
        }
        return KeyedDecodingContainer(KeyedArguments<Key>(values: values, codingPath: codingPath, explicitKeys: explicitKeys))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .list(let items) = value else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "expected a list"))
        }
        return ListArguments(items: items, codingPath: codingPath, explicitKeys: explicitKeys)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleArgument(value: value, codingPath: codingPath, explicitKeys: explicitKeys) }
}

private struct KeyedArguments<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let values: [String: ParameterValue]
    let codingPath: [any CodingKey]
    let explicitKeys: Set<String>
    var allKeys: [Key] { values.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { values[kebabCase(key.stringValue)] != nil }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = values[kebabCase(key.stringValue)] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return try T(from: ArgumentDecoder(value: value, codingPath: codingPath + [key], explicitKeys: explicitKeys))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ArgumentDecoder(value: values[kebabCase(key.stringValue)] ?? .object([:]), codingPath: codingPath + [key], explicitKeys: explicitKeys)
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ArgumentDecoder(value: values[kebabCase(key.stringValue)] ?? .list([]), codingPath: codingPath + [key], explicitKeys: explicitKeys).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ArgumentDecoder(value: .object(values), codingPath: codingPath, explicitKeys: explicitKeys) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        ArgumentDecoder(value: values[kebabCase(key.stringValue)] ?? .object([:]), codingPath: codingPath + [key], explicitKeys: explicitKeys)
    }
}

private struct ListArguments: UnkeyedDecodingContainer {
    let items: [ParameterValue]
    let codingPath: [any CodingKey]
    let explicitKeys: Set<String>
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private struct Index: CodingKey {
        var intValue: Int?
        var stringValue: String { intValue.map(String.init) ?? "" }
        init(_ i: Int) { intValue = i }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    private mutating func next() throws -> ArgumentDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list ended"))
        }
        defer { currentIndex += 1 }
        return ArgumentDecoder(value: items[currentIndex], codingPath: codingPath + [Index(currentIndex)], explicitKeys: explicitKeys)
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: try next()) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

/// One scalar. Numbers widen (an integer reads as a Double) but never narrow; a
/// reference reads as its id.
private struct SingleArgument: SingleValueDecodingContainer {
    let value: ParameterValue
    let codingPath: [any CodingKey]
    let explicitKeys: Set<String>

    private func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(value)"))
    }

    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let v) = value else { throw mismatch(type) }
        return v
    }
    func decode(_ type: String.Type) throws -> String {
        switch value {
        case .string(let v), .reference(let v): return v
        default: throw mismatch(type)
        }
    }
    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .double(let v): return v
        case .int(let v): return Double(v)
        default: throw mismatch(type)
        }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int {
        guard case .int(let v) = value else { throw mismatch(type) }
        return v
    }
    func decode(_ type: UInt64.Type) throws -> UInt64 {
        guard case .int(let v) = value, v >= 0 else { throw mismatch(type) }
        return UInt64(v)
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: ArgumentDecoder(value: value, codingPath: codingPath, explicitKeys: explicitKeys)) }
    // The remaining fixed-width integers are not parameter types; reading one is a declaration bug.
    func decode(_ type: Int8.Type) throws -> Int8 { throw mismatch(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { throw mismatch(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { throw mismatch(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { throw mismatch(type) }
    func decode(_ type: UInt.Type) throws -> UInt { throw mismatch(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { throw mismatch(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { throw mismatch(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { throw mismatch(type) }
}
