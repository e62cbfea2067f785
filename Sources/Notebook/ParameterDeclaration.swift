import Foundation

/// A parameter declared once, by the property of a directive's settings struct that holds it:
///
///     struct Settings: ParameterSettings {
///         @Param("the points", kinds: [.dataset]) var data: ResultID          // required: no initial value
///         @Param("passes over the rows", 1...100_000) var epochs = 40        // default 40
///         @Param("activation of the hidden layers") var activation = Activation.relu   // words: the enum's cases
///         @Param("early stopping patience", 1...100_000) var patience: Int?  // optional, no default
///     }
///     public static let parameters = Settings.parameters
///
/// The key is the property name in kebab case (`codeActivation` → `code-activation`), the
/// type follows from the Swift type (refined by a range, a subset of words, reference kinds,
/// or an explicit `type:` for the few types Swift cannot tell apart, such as a file path),
/// the default is the initial value, and a property without an initial value is required
/// unless it is optional. `Settings.parameters` reads the declarations off a default
/// instance (`Mirror`), so validation, `check`, `entropybook directives` and decoding all
/// come from the one property. After decoding, `$name.isExplicit` says whether the
/// notebook set the key (not its default) — a typed replacement for `isExplicit("name")`.
@propertyWrapper
public struct Param<Value: ParameterValueType> {
    public var wrappedValue: Value
    /// Whether the cell's body set the key itself (false for a default; set by decoding).
    public private(set) var isExplicit = false
    /// The declaration (nil on a decoded value: only the default instance declares).
    let declaration: Declaration?

    struct Declaration {
        var doc: String
        var type: ParameterType
        var required: Bool
        /// Whether the initial value is the default (false for a required parameter's placeholder).
        var hasDefault: Bool
    }

    public var projectedValue: Param<Value> { self }

    /// A parameter with a default: the initial value.
    public init(wrappedValue: Value, _ doc: String, type: ParameterType? = nil) {
        self.wrappedValue = wrappedValue
        declaration = Declaration(doc: doc, type: type ?? Value.parameterType, required: false, hasDefault: true)
    }

    /// A parameter with a default and a range (`1...100_000`; integer parameters take whole bounds).
    public init(wrappedValue: Value, _ doc: String, _ range: ClosedRange<Double>) {
        self.wrappedValue = wrappedValue
        declaration = Declaration(doc: doc, type: Value.parameterType.ranged(range), required: false, hasDefault: true)
    }

    /// A parameter without an initial value: required, or for an optional type, without a default.
    public init(_ doc: String, type: ParameterType? = nil) {
        wrappedValue = Value.placeholder
        declaration = Declaration(doc: doc, type: type ?? Value.parameterType, required: !Value.isOptional, hasDefault: false)
    }

    /// A parameter without an initial value, with a range.
    public init(_ doc: String, _ range: ClosedRange<Double>) {
        wrappedValue = Value.placeholder
        declaration = Declaration(doc: doc, type: Value.parameterType.ranged(range), required: !Value.isOptional, hasDefault: false)
    }

    /// A reference to an earlier result of one of `kinds` (one id, or a list for `[ResultID]`).
    public init(_ doc: String, kinds: [ValueKind]) {
        wrappedValue = Value.placeholder
        declaration = Declaration(doc: doc, type: Value.parameterType.referring(to: kinds), required: !Value.isOptional, hasDefault: false)
    }

    /// Built by `decode` (the missing key of an optional parameter reads as nil).
    init(decoded value: Value, isExplicit: Bool) {
        wrappedValue = value
        self.isExplicit = isExplicit
        declaration = nil
    }

    /// The `Parameter` this property declares under `name`.
    func parameter(named name: String) -> Parameter? {
        guard let d = declaration else { return nil }
        return Parameter(name, d.type, default: d.hasDefault ? wrappedValue.parameterValue : nil, required: d.required, doc: d.doc)
    }
}

extension Param where Value: ParameterWords {
    /// A word parameter that accepts only some of the enum's words (`code-activation: linear | sigmoid`).
    public init(wrappedValue: Value, _ doc: String, words: [Value]) {
        self.init(wrappedValue: wrappedValue, doc, type: .choice(words.map(\.rawValue)))
    }
}

extension Param: Sendable where Value: Sendable {}

/// Equal when the values are: whether a key was written is not part of a setting's identity.
extension Param: Equatable where Value: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.wrappedValue == b.wrappedValue }
}

extension Param: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}

extension Param: Decodable {
    public init(from decoder: any Decoder) throws {
        let explicit = (decoder as? ArgumentDecoder)?.explicitKeys.contains(parameterKey(decoder.codingPath)) ?? false
        self.init(decoded: try Value(from: decoder), isExplicit: explicit)
    }
}

/// Encodes as its value alone (a cell's settings in a cache key read as before).
extension Param: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// An optional parameter the body did not set and that has no default reads as nil
    /// (the synthesized `init(from:)` of a settings struct calls this for `@Param var x: T?`).
    public func decode<T>(_ type: Param<T?>.Type, forKey key: Key) throws -> Param<T?> {
        try decodeIfPresent(type, forKey: key) ?? Param(decoded: nil, isExplicit: false)
    }
}

extension KeyedEncodingContainer {
    /// An optional parameter without a value is left out, as a plain optional property is.
    public mutating func encode<T: Encodable>(_ value: Param<T?>, forKey key: Key) throws {
        try encodeIfPresent(value.wrappedValue, forKey: key)
    }
}

/// A settings struct whose `@Param` properties are its parameters' only declaration.
public protocol ParameterSettings: Decodable {
    /// The declaring instance: every property at its initial value.
    init()
}

extension ParameterSettings {
    /// The parameters the `@Param` properties declare, in declaration order.
    public static var parameters: [Parameter] {
        Mirror(reflecting: Self()).children.compactMap { child -> Parameter? in
            guard let label = child.label, label.hasPrefix("_"), let p = child.value as? any DeclaringParameter else { return nil }
            return p.parameter(named: kebabCase(String(label.dropFirst())))
        }
    }
}

/// What `ParameterSettings.parameters` asks of a property's wrapper.
protocol DeclaringParameter {
    func parameter(named name: String) -> Parameter?
}

extension Param: DeclaringParameter {}

/// A Swift type a parameter may have: its declared type and its value as a default.
public protocol ParameterValueType: Decodable {
    /// The declared type when the property adds nothing (a range, words, kinds).
    static var parameterType: ParameterType { get }
    /// The declared type of a list of these (`[Int]`: `.intList`).
    static var listType: ParameterType { get }
    /// The value as a default; nil for none.
    var parameterValue: ParameterValue? { get }
    /// The value of the declaring instance when the property has no initial value.
    static var placeholder: Self { get }
    /// Whether a property of this type without an initial value is optional (not required).
    static var isOptional: Bool { get }
}

extension ParameterValueType {
    public static var isOptional: Bool { false }
    public static var listType: ParameterType { .stringList }
}

/// The words of a library enum as a parameter's words (`Activation`: `relu`, `tanh`, …):
/// the cases are the only list, and code switches over them exhaustively.
public protocol ParameterWords: ParameterValueType, CaseIterable, RawRepresentable where RawValue == String {}

extension ParameterWords {
    public static var parameterType: ParameterType { .choice(allCases.map(\.rawValue)) }
    public static var listType: ParameterType { .wordList(allCases.map(\.rawValue)) }
    public var parameterValue: ParameterValue? { .string(rawValue) }
    /// The first case (a word enum has at least one).
    public static var placeholder: Self { allCases[allCases.startIndex] }
}

extension Int: ParameterValueType {
    public static var parameterType: ParameterType { .int() }
    public static var listType: ParameterType { .intList() }
    public var parameterValue: ParameterValue? { .int(self) }
    public static var placeholder: Int { 0 }
}

/// A seed: declared as an integer (validation keeps it non-negative by its range).
extension UInt64: ParameterValueType {
    public static var parameterType: ParameterType { .int() }
    public static var listType: ParameterType { .intList() }
    public var parameterValue: ParameterValue? { Int(exactly: self).map(ParameterValue.int) }
    public static var placeholder: UInt64 { 0 }
}

extension Double: ParameterValueType {
    public static var parameterType: ParameterType { .double() }
    public static var listType: ParameterType { .doubleList() }
    public var parameterValue: ParameterValue? { .double(self) }
    public static var placeholder: Double { 0 }
}

extension Bool: ParameterValueType {
    public static var parameterType: ParameterType { .bool }
    public var parameterValue: ParameterValue? { .bool(self) }
    public static var placeholder: Bool { false }
}

extension String: ParameterValueType {
    public static var parameterType: ParameterType { .string }
    public static var listType: ParameterType { .stringList }
    public var parameterValue: ParameterValue? { .string(self) }
    public static var placeholder: String { "" }
}

extension ResultID: ParameterValueType {
    public static var parameterType: ParameterType { .reference([]) }
    public static var listType: ParameterType { .referenceList([]) }
    public var parameterValue: ParameterValue? { .reference(id) }
    public static var placeholder: ResultID { ResultID("", parameter: "") }
}

extension Optional: ParameterValueType where Wrapped: ParameterValueType {
    public static var parameterType: ParameterType { Wrapped.parameterType }
    public static var listType: ParameterType { Wrapped.listType }
    public var parameterValue: ParameterValue? { self?.parameterValue }
    public static var placeholder: Wrapped? { nil }
    public static var isOptional: Bool { true }
}

extension Array: ParameterValueType where Element: ParameterValueType {
    public static var parameterType: ParameterType { Element.listType }
    public var parameterValue: ParameterValue? {
        let items = compactMap(\.parameterValue)
        return items.count == count ? .list(items) : nil
    }
    public static var placeholder: [Element] { [] }
}

extension ParameterType {
    /// The type with a range (integer types take the range's whole bounds, within ±2^62).
    func ranged(_ range: ClosedRange<Double>) -> ParameterType {
        func whole(_ x: Double) -> Int { Int(max(-0x1p62, min(0x1p62, x.rounded(.towardZero)))) }
        let ints = { whole(range.lowerBound)...max(whole(range.lowerBound), whole(range.upperBound)) }
        switch self {
        case .int: return .int(ints())
        case .intList: return .intList(ints())
        case .double: return .double(range)
        case .doubleList: return .doubleList(range)
        case .choiceOrNumber(let words, _): return .choiceOrNumber(words, range)
        default: return self
        }
    }

    /// A reference type narrowed to results of `kinds`.
    func referring(to kinds: [ValueKind]) -> ParameterType {
        switch self {
        case .reference: .reference(kinds)
        case .referenceList: .referenceList(kinds)
        case .referenceOrWord(_, let words): .referenceOrWord(kinds, words: words)
        default: self
        }
    }
}

/// A group of parameters under one key (`autoencoder: {epochs: 20}`), itself declared by
/// `@Param` properties; as a property of a settings struct it declares `.object`.
public protocol ParameterGroup: ParameterSettings, ParameterValueType {}

extension ParameterGroup {
    public static var parameterType: ParameterType { .object(parameters) }
    /// A group has no default of its own: each of its keys has.
    public var parameterValue: ParameterValue? { nil }
    public static var placeholder: Self { Self() }
}
