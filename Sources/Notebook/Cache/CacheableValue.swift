import Foundation

/// A result the cache can store: a stable tag and a binary encoding.
public protocol CacheableValue: NotebookValue {
    /// Stable type tag written into cache entries ("dataset", "curve", …).
    static var cacheTag: String { get }
    func encode(to writer: inout ByteWriter) throws
    static func decode(from reader: inout ByteReader) throws -> Self
}

/// The value types the cache can decode, by tag: the engine's own plain-data values and
/// the ones it is given (the directives' data sets and models, see `CellCache.init`).
/// A cell whose values are not all of these types is simply not cached.
struct CacheableTypes: Sendable {
    /// The engine's own values, always decodable.
    static let engine: [any CacheableValue.Type] = [CurveValue.self, HistogramValue.self, EstimateValue.self, Table.self, ClaimValue.self]

    let all: [any CacheableValue.Type]

    init(given: [any CacheableValue.Type]) { all = CacheableTypes.engine + given }

    func type(tagged tag: String) -> (any CacheableValue.Type)? {
        all.first { $0.cacheTag == tag }
    }
}

/// Small Codable values go in as JSON (they are a few hundred bytes).
public protocol JSONCacheableValue: CacheableValue, Codable {}
extension JSONCacheableValue {
    public func encode(to writer: inout ByteWriter) throws { try writer.write(json: self) }
    public static func decode(from reader: inout ByteReader) throws -> Self { try reader.readJSON(Self.self) }
}

extension CurveValue: JSONCacheableValue { public static var cacheTag: String { "curve" } }
extension HistogramValue: JSONCacheableValue { public static var cacheTag: String { "histogram" } }
extension EstimateValue: JSONCacheableValue { public static var cacheTag: String { "estimate" } }
extension Table: JSONCacheableValue { public static var cacheTag: String { "table" } }
