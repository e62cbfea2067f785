import Datasets
import Foundation
import Linalg
import Notebook

// A data set is a value later cells read and the cache stores. The conformances live here,
// beside the directives, so that neither the engine nor the Datasets library names the other.

extension Dataset: NotebookValue {
    public static var kind: ValueKind { .dataset }
    public var summary: String {
        var parts = ["\(count)×\(dimension)"]
        if let labels, let lo = labels.min(), let hi = labels.max() { parts.append("labels \(lo)–\(hi)") }
        if let k = intrinsicDimension { parts.append("true dimension \(k)") }
        if let s = imageShape { parts.append("\(s.height)×\(s.width) images") }
        return "\(name): " + parts.joined(separator: ", ")
    }
    /// n, D and the true dimension k (null when unknown); the source file's hash is added
    /// by the report from the cell's input files.
    public var record: JSONValue {
        RecordDeclaration.dataset.record([
            "name": .string(name), "n": .number(Double(count)), "D": .number(Double(dimension)),
            "k": JSONValue(intrinsicDimension.map(Double.init)), "labeled": .bool(labels != nil), "provenance": .string(provenance),
        ])
    }
}

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
