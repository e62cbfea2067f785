import FileAccess
import Foundation
import Linalg

/// An array read from an IDX file (the MNIST format): shape and values as Float.
public struct IDXArray: Sendable, Equatable {
    /// The element type named by the third magic byte.
    public enum ElementType: UInt8, Sendable {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E
        /// Bytes per element.
        public var size: Int {
            switch self {
            case .uint8, .int8: 1
            case .int16: 2
            case .int32, .float32: 4
            case .float64: 8
            }
        }
    }
    public var elementType: ElementType
    /// Dimensions, outermost first (60000, 28, 28 for MNIST's training images).
    public var shape: [Int]
    /// Row-major values.
    public var values: [Float]
}

/// The IDX format (LeCun et al., http://yann.lecun.com/exdb/mnist/): bytes 0–1 zero, byte 2
/// the element type, byte 3 the number of dimensions, then each dimension as a big-endian
/// UInt32, then the data in big-endian, row-major. Files may be gzip-compressed. Errors
/// name byte offsets and what was expected there, never the bytes found.
public enum IDXFile {
    /// Reads and checks an IDX file (.gz or plain) within `limits`: magic, dimensions and
    /// exact length. O(file size).
    public static func read(_ url: URL, limits: ReadLimits = .standard) throws -> IDXArray {
        try parse(DataFileReader.contents(of: url, limits: limits), path: url.path, limits: limits)
    }

    /// Parses IDX bytes; `path` names the file in errors. Dimensions whose product passes
    /// `limits.elements`, or needs more bytes than there are, are errors before anything
    /// is allocated.
    public static func parse(_ bytes: [UInt8], path: String, limits: ReadLimits = .standard) throws -> IDXArray {
        let header = try parseHeader(bytes, path: path, limits: limits)
        // parseHeader read the type byte: bytes[2] names a type.
        let type = IDXArray.ElementType(rawValue: bytes[2]) ?? .uint8
        let expected = header.dataOffset + header.dataBytes
        guard bytes.count >= expected else {
            throw DataFileError(path, .truncated, at: .byte(bytes.count),
                                "data ends at byte \(bytes.count), but the header's \(header.description) needs \(expected) bytes")
        }
        guard bytes.count == expected else {
            throw DataFileError(path, .wrongSize, at: .byte(expected),
                                "\(bytes.count - expected) unexpected bytes after the \(header.description) data")
        }
        var values = [Float](repeating: 0, count: header.count)
        bytes.withUnsafeBufferPointer { raw in
            values.withUnsafeMutableBufferPointer { header.coding.decode(UnsafeBufferPointer(rebasing: raw[header.dataOffset...]), into: $0) }
        }
        return IDXArray(elementType: type, shape: header.shape, values: values)
    }

    /// Parses the magic and the dimensions at the start of `bytes` (which need hold no
    /// data), the element count checked against `limits.elements` and Int32 before
    /// anything is allocated.
    public static func parseHeader(_ bytes: [UInt8], path: String, limits: ReadLimits = .standard) throws -> ArrayFileHeader {
        guard bytes.count >= 4 else {
            throw DataFileError(path, .truncated, at: .byte(bytes.count), "file ends at byte \(bytes.count), inside the 4-byte IDX header")
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DataFileError(path, .badMagic, at: .byte(0), "not an IDX file: expected the magic to start with bytes 00 00")
        }
        guard let type = IDXArray.ElementType(rawValue: bytes[2]) else {
            throw DataFileError(path, .badMagic, at: .byte(2), "unknown IDX element type (expected 08, 09, 0B, 0C, 0D or 0E)")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else { throw DataFileError(path, .badMagic, at: .byte(3), "IDX header declares 0 dimensions") }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw DataFileError(path, .truncated, at: .byte(bytes.count),
                                "file ends at byte \(bytes.count), inside the header of \(rank) dimensions (\(headerSize) bytes)")
        }
        var shape = [Int]()
        var count = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let dim = Int(UInt32(bytes[o]) << 24 | UInt32(bytes[o + 1]) << 16 | UInt32(bytes[o + 2]) << 8 | UInt32(bytes[o + 3]))
            shape.append(dim)
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= Int(Int32.max), product <= limits.elements else {
                throw DataFileError(path, .tooLarge, at: .byte(o),
                                    "the dimensions declare more than \(min(limits.elements, Int(Int32.max))) elements, the read limit")
            }
            count = product
        }
        let kind: ElementCoding.Kind = switch type {
        case .uint8: .uint8
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .float32: .float32
        case .float64: .float64
        }
        return ArrayFileHeader(shape: shape, typeName: "\(type)", dataOffset: headerSize, coding: ElementCoding(kind: kind, bigEndian: true))
    }

    /// A dataset from an IDX array of samples (shape n, n×d or n×h×w; n×h×w gives images)
    /// and optionally an IDX array of integer labels (shape n). `normalize` maps uint8
    /// values to [0, 1] by /255 and other types by min–max.
    public static func loadDataset(images url: URL, labels labelsURL: URL? = nil, normalize: Bool = false,
                                   name: String? = nil, limits: ReadLimits = .standard) throws -> Dataset {
        let array = try read(url, limits: limits)
        let n = array.shape[0]
        let columns = array.shape.dropFirst().reduce(1, *)
        guard n > 0, columns > 0 else { throw DataFileError(url.path, .empty, "IDX array \(array.shape) holds no samples") }
        let shape: ImageShape? = array.shape.count == 3 ? ImageShape(height: array.shape[1], width: array.shape[2]) : nil
        var labels: [Int]?
        if let labelsURL {
            let l = try read(labelsURL, limits: limits)
            guard l.shape.count == 1 else {
                throw DataFileError(labelsURL.path, .mismatch, at: .byte(3), "labels must be one-dimensional, got shape \(l.shape)")
            }
            guard l.shape[0] == n else {
                throw DataFileError(labelsURL.path, .mismatch, at: .byte(4), "\(l.shape[0]) labels for the \(n) samples of \(url.lastPathComponent)")
            }
            labels = try l.values.enumerated().map { i, v in
                guard let label = integerLabel(v) else {
                    throw DataFileError(labelsURL.path, .notNumeric, at: .byte(8 + i * l.elementType.size), "expected an integer label")
                }
                return label
            }
        }
        var dataset = Dataset(name: name ?? url.lastPathComponent, points: Matrix(rows: n, columns: columns, elements: array.values),
                              labels: labels, imageShape: shape,
                              provenance: "IDX \(url.path)" + (labelsURL.map { " with labels \($0.path)" } ?? ""))
        if normalize {
            dataset = try dataset.normalizedToUnitInterval(from: array.elementType == .uint8 ? 0...255 : nil)
        }
        return dataset
    }
}
