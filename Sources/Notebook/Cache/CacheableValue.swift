import Autoencoder
import Datasets
import Foundation
import Linalg

/// A result the cache can store: a stable tag and a binary encoding.
public protocol CacheableValue: NotebookValue {
    /// Stable type tag written into cache entries ("dataset", "curve", …).
    static var cacheTag: String { get }
    func encode(to writer: inout ByteWriter) throws
    static func decode(from reader: inout ByteReader) throws -> Self
}

/// The value types the cache can decode, by tag. A cell whose values are not all
/// cacheable is simply not cached.
enum CacheableTypes {
    static var all: [any CacheableValue.Type] {
        [Dataset.self, CurveValue.self, HistogramValue.self, EstimateValue.self, Table.self, Autoencoder.self, TrainedModelValue.self]
    }

    static func type(tagged tag: String) -> (any CacheableValue.Type)? {
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

extension Dataset: CacheableValue {
    public static var cacheTag: String { "dataset" }

    public func encode(to writer: inout ByteWriter) throws {
        writer.write(name)
        writer.write(provenance)
        writer.write(points.rows)
        writer.write(points.columns)
        writer.write(floats: points.elements)
        writer.write(labels != nil)
        if let labels { writer.write(ints: labels) }
        writer.write(intrinsicDimension ?? -1)
        writer.write(imageShape?.height ?? 0)
        writer.write(imageShape?.width ?? 0)
        writer.write(latent?.columns ?? 0)
        if let latent { writer.write(floats: latent.elements) }
    }

    public static func decode(from reader: inout ByteReader) throws -> Dataset {
        let name = try reader.readString()
        let provenance = try reader.readString()
        let rows = try reader.readInt(), columns = try reader.readInt()
        let elements = try reader.readFloats()
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw CacheError.malformed("dataset of \(rows)×\(columns) with \(elements.count) elements")
        }
        let labels = try reader.readBool() ? try reader.readInts() : nil
        guard labels == nil || labels?.count == rows else { throw CacheError.malformed("label count") }
        let k = try reader.readInt()
        let h = try reader.readInt(), w = try reader.readInt()
        let latentColumns = try reader.readInt()
        var latent: Matrix?
        if latentColumns > 0 {
            let values = try reader.readFloats()
            guard values.count == rows * latentColumns else { throw CacheError.malformed("latent of \(values.count) values") }
            latent = Matrix(rows: rows, columns: latentColumns, elements: values)
        }
        return Dataset(name: name, points: Matrix(rows: rows, columns: columns, elements: elements), labels: labels,
                       intrinsicDimension: k >= 0 ? k : nil,
                       imageShape: h > 0 && w > 0 ? ImageShape(height: h, width: w) : nil, provenance: provenance,
                       latent: latent)
    }
}
