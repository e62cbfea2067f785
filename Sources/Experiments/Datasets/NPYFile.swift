import FileAccess
import Foundation
import Linalg

/// An array read from a NumPy .npy file.
public struct NPYArray: Sendable, Equatable {
    /// The dtype descriptor as written ("<f4", "|u1", …).
    public var descriptor: String
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// Row-major (C order) values.
    public var values: [Float]
}

/// The NumPy .npy format (numpy.lib.format, versions 1–3): the magic "\x93NUMPY", a version,
/// a little-endian header length, a Python dict literal with 'descr', 'fortran_order' and
/// 'shape', then the raw data. Reads float32, float64, uint8, int32 and int64 in C order,
/// either byte order; Fortran order, object and structured arrays are refused with a
/// message saying how to save the array instead. Errors name byte offsets and what was
/// expected; they quote the header only as the numbers and dtype code it declares.
public enum NPYFile {
    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads a .npy file within `limits` (file and decompressed bytes, number of elements).
    public static func read(_ url: URL, limits: ReadLimits = .standard) throws -> NPYArray {
        try parse(DataFileReader.contents(of: url, limits: limits), path: url.path, limits: limits)
    }

    /// Parses .npy bytes; `path` names the file in errors. A shape of more than
    /// `limits.elements` elements, or more data than the bytes hold, is an error before
    /// anything is allocated. O(file size).
    public static func parse(_ bytes: [UInt8], path: String, limits: ReadLimits = .standard) throws -> NPYArray {
        let header = try parseHeader(bytes, path: path, limits: limits)
        let count = header.count
        let expected = header.dataOffset + header.dataBytes
        guard bytes.count >= expected else {
            throw DataFileError(path, .truncated, at: .byte(bytes.count), "data ends at byte \(bytes.count), but the header's \(header.description) needs \(expected) bytes")
        }
        guard bytes.count == expected else {
            throw DataFileError(path, .wrongSize, at: .byte(expected), "\(bytes.count - expected) unexpected bytes after the \(header.description) data")
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBufferPointer { raw in
            values.withUnsafeMutableBufferPointer { header.coding.decode(UnsafeBufferPointer(rebasing: raw[header.dataOffset...]), into: $0) }
        }
        return NPYArray(descriptor: String(header.typeName.dropFirst().dropLast()), shape: header.shape, values: values)
    }

    /// The longest header read (numpy itself refuses headers over 10 000 bytes unless told
    /// otherwise): a version 2 header may claim 4 GiB, which is never buffered.
    public static let maximumHeaderLength = 1 << 20

    /// The length of preamble and header when `prefix` holds the preamble, capped just past
    /// `maximumHeaderLength` (the parser reports a longer one); nil while it is shorter.
    static func headerLength(_ prefix: [UInt8]) -> Int? {
        guard prefix.count >= 10 else { return nil }
        switch prefix[6] {
        case 2, 3:
            guard prefix.count >= 12 else { return nil }
            let length = (0..<4).reduce(0) { $0 | Int(prefix[8 + $1]) << (8 * $1) }
            return 12 + min(length, maximumHeaderLength + 1)
        case 1: return 10 + (Int(prefix[8]) | Int(prefix[9]) << 8)
        default: return 10
        }
    }

    /// Parses the preamble and header dict at the start of `bytes` (which need hold no
    /// data): format version, 'descr', 'fortran_order' and 'shape', the element count
    /// checked against `limits.elements` and Int32 before anything is allocated.
    public static func parseHeader(_ bytes: [UInt8], path: String, limits: ReadLimits = .standard) throws -> ArrayFileHeader {
        guard bytes.count >= 10 else {
            throw DataFileError(path, .truncated, at: .byte(bytes.count), "file ends at byte \(bytes.count), inside the .npy preamble")
        }
        guard Array(bytes[0..<6]) == magic else {
            throw DataFileError(path, .badMagic, at: .byte(0), "not a .npy file: it does not start with \\x93NUMPY")
        }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else {
                throw DataFileError(path, .truncated, at: .byte(bytes.count), "file ends at byte \(bytes.count), inside the .npy preamble")
            }
            headerStart = 12
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            guard headerLength <= maximumHeaderLength else {
                throw DataFileError(path, .tooLarge, at: .byte(8),
                                    "the .npy header declares \(headerLength) bytes, more than the \(describeBytes(maximumHeaderLength)) a header may have")
            }
        default:
            throw DataFileError(path, .unsupported, at: .byte(6), "unknown .npy format version \(major).\(bytes[7])")
        }
        let dataStart = headerStart + headerLength
        guard bytes.count >= dataStart else {
            throw DataFileError(path, .truncated, at: .byte(bytes.count), "file ends at byte \(bytes.count), inside the header that should end at byte \(dataStart)")
        }
        let header = String(decoding: bytes[headerStart..<dataStart], as: UTF8.self)
        func field(_ key: String) throws -> Substring {
            guard let k = header.range(of: "'\(key)'"), let colon = header[k.upperBound...].firstIndex(of: ":") else {
                throw DataFileError(path, .badMagic, at: .byte(headerStart), "the .npy header has no '\(key)'")
            }
            return header[header.index(after: colon)...].drop { $0 == " " }
        }

        let descrField = try field("descr")
        guard let quote = descrField.first, quote == "'" || quote == "\"",
              let close = descrField.dropFirst().firstIndex(of: quote) else {
            throw DataFileError(path, .unsupported, at: .byte(headerStart),
                                "structured arrays are not supported; save a plain numeric array")
        }
        let descriptor = String(descrField[descrField.index(after: descrField.startIndex)..<close])

        if try field("fortran_order").hasPrefix("True") {
            throw DataFileError(path, .unsupported, at: .byte(headerStart),
                                "Fortran-order arrays are not supported; save with np.save(path, np.ascontiguousarray(x))")
        }

        let shapeField = try field("shape")
        guard shapeField.first == "(", let shapeClose = shapeField.firstIndex(of: ")") else {
            throw DataFileError(path, .badMagic, at: .byte(headerStart), "expected the shape as a tuple of integers in the .npy header")
        }
        let shapeText = shapeField[shapeField.index(after: shapeField.startIndex)..<shapeClose]
        var shape = [Int]()
        for part in shapeText.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if trimmed.isEmpty { continue }
            guard let dim = Int(trimmed), dim >= 0 else {
                throw DataFileError(path, .badMagic, at: .byte(headerStart), "expected non-negative integers in the shape of the .npy header")
            }
            shape.append(dim)
        }
        guard !shape.isEmpty else { throw DataFileError(path, .unsupported, at: .byte(headerStart), "0-dimensional arrays (scalars) hold no samples") }

        guard let coding = elementCoding(descriptor) else {
            let hint = descriptor.contains("O") ? "object arrays (dtype 'O') cannot be read safely; "
                : isTypeCode(descriptor) ? "dtype '\(descriptor)' is not supported; " : "the dtype is not supported; "
            throw DataFileError(path, .unsupported, at: .byte(headerStart),
                                hint + "save a float32, float64, uint8, int32 or int64 array in C order")
        }
        var count = 1
        for dim in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, p <= Int(Int32.max), p <= limits.elements else {
                throw DataFileError(path, .tooLarge, at: .byte(headerStart),
                                    "the shape declares more than \(min(limits.elements, Int(Int32.max))) elements, the read limit")
            }
            count = p
        }
        return ArrayFileHeader(shape: shape, typeName: "'\(descriptor)'", dataOffset: dataStart, coding: coding)
    }

    /// A dataset from a .npy array of samples (shape n, n×d, or n×h×w for images) and
    /// optionally a .npy array of integer labels (shape n). `normalize` maps uint8 by /255,
    /// other types by min–max, to [0, 1].
    public static func loadDataset(_ url: URL, labels labelsURL: URL? = nil, normalize: Bool = false,
                                   limits: ReadLimits = .standard) throws -> Dataset {
        let array = try read(url, limits: limits)
        let n = array.shape[0]
        let columns = array.shape.dropFirst().reduce(1, *)
        guard n > 0, columns > 0 else { throw DataFileError(url.path, .empty, "array of shape \(array.shape) holds no samples") }
        var labels: [Int]?
        if let labelsURL {
            let l = try read(labelsURL, limits: limits)
            guard l.shape == [n] else {
                throw DataFileError(labelsURL.path, .mismatch, "labels have shape \(l.shape); expected (\(n),) for the samples of \(url.lastPathComponent)")
            }
            labels = try l.values.enumerated().map { i, v in
                guard let label = integerLabel(v) else { throw DataFileError(labelsURL.path, .notNumeric, "label \(i) is not an integer") }
                return label
            }
        }
        let shape: ImageShape? = array.shape.count == 3 ? ImageShape(height: array.shape[1], width: array.shape[2]) : nil
        var dataset = Dataset(name: url.lastPathComponent, points: Matrix(rows: n, columns: columns, elements: array.values),
                              labels: labels, imageShape: shape,
                              provenance: "NPY \(url.path)" + (labelsURL.map { " with labels \($0.path)" } ?? ""))
        if normalize {
            dataset = try dataset.normalizedToUnitInterval(from: array.descriptor.hasSuffix("u1") ? 0...255 : nil)
        }
        return dataset
    }

    /// Whether `descriptor` reads as a NumPy type code (byte order, kind letter, size), the
    /// only part of a header that messages repeat: anything else would be the file's text.
    static func isTypeCode(_ descriptor: String) -> Bool {
        let scalars = Array(descriptor.unicodeScalars)
        guard (2...5).contains(scalars.count), "<>|=".unicodeScalars.contains(scalars[0]),
              "biufcmMOSUVa?".unicodeScalars.contains(scalars[1]) else { return false }
        return scalars.dropFirst(2).allSatisfy { ("0"..."9").contains($0) }
    }

    /// A supported dtype's coding (kind, size, byte order), or nil.
    private static func elementCoding(_ descriptor: String) -> ElementCoding? {
        guard descriptor.count >= 3, let order = descriptor.first, "<>|=".contains(order) else { return nil }
        let kind: ElementCoding.Kind
        switch descriptor.dropFirst() {
        case "u1": kind = .uint8
        case "f4": kind = .float32
        case "f8": kind = .float64
        case "i4": kind = .int32
        case "i8": kind = .int64
        default: return nil
        }
        return ElementCoding(kind: kind, bigEndian: order == ">")
    }
}
