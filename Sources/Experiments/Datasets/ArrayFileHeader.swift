import FileAccess
import Foundation

/// How the numbers of an NPY or IDX array are stored: integer or float, width, byte order.
/// `decode` is the one conversion to Float32 the loaders and the check-time scan share, so
/// a value the scan calls finite or constant is the value the loader produces.
struct ElementCoding: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case uint8, int8, int16, int32, int64, float32, float64 }
    let kind: Kind
    let bigEndian: Bool

    /// Bytes per element.
    var size: Int {
        switch kind {
        case .uint8, .int8: 1
        case .int16: 2
        case .int32, .float32: 4
        case .int64, .float64: 8
        }
    }

    /// Decodes `out.count` elements from the start of `bytes` (which holds at least
    /// `out.count × size` bytes). O(count), no allocation.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<Float>) {
        let raw = UnsafeRawBufferPointer(bytes)
        let big = bigEndian
        // Unaligned loads of whole words, byte-swapped when the file's order is not the host's.
        @inline(__always) func load<T: FixedWidthInteger>(_ i: Int, _ type: T.Type) -> T {
            let w = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
            return big ? T(bigEndian: w) : T(littleEndian: w)
        }
        switch kind {
        case .uint8: for i in out.indices { out[i] = Float(bytes[i]) }
        case .int8: for i in out.indices { out[i] = Float(Int8(bitPattern: bytes[i])) }
        case .int16: for i in out.indices { out[i] = Float(load(i, Int16.self)) }
        case .int32: for i in out.indices { out[i] = Float(load(i, Int32.self)) }
        case .int64: for i in out.indices { out[i] = Float(load(i, Int64.self)) }
        case .float32: for i in out.indices { out[i] = Float(bitPattern: load(i, UInt32.self)) }
        case .float64: for i in out.indices { out[i] = Float(Double(bitPattern: load(i, UInt64.self))) }
        }
    }
}

/// What the header of an NPY or IDX file declares, read without the data: the shape, the
/// element type and where the data start. Parsing a header allocates nothing that its
/// claims size: a shape past the read limit is an error, not a buffer.
public struct ArrayFileHeader: Sendable, Hashable {
    /// Dimensions, outermost first (rows first).
    public var shape: [Int]
    /// The element type as the file names it ("'<f4'" for NPY, "float32" for IDX), for messages.
    public var typeName: String
    /// Byte offset of the first element in the (decompressed) contents.
    public var dataOffset: Int
    let coding: ElementCoding

    /// Number of elements (the product of `shape`, checked against the read limit).
    public var count: Int { shape.reduce(1, *) }
    /// Rows: the outermost dimension.
    public var rows: Int { shape[0] }
    /// Columns of the row-major table: the product of the other dimensions.
    public var columns: Int { shape.dropFirst().reduce(1, *) }
    /// Bytes of data the header declares.
    public var dataBytes: Int { count * coding.size }
    /// Whether the elements are integers (labels must be).
    public var isInteger: Bool { ![.float32, .float64].contains(coding.kind) }
    /// "6×2 '<f4'": the shape and type, for messages.
    public var description: String { shape.map(String.init).joined(separator: "×") + " " + typeName }
}

/// The bytes a header needs and its parser, per format.
public enum ArrayFileFormat: String, Sendable, Hashable {
    case npy, idx

    /// The header's length in bytes when `prefix` holds enough of the file to know it
    /// (NPY: 10 or 12 bytes, IDX: 4), else nil. A length past what a header may have
    /// is returned capped: the parser then reports it.
    func headerLength(_ prefix: [UInt8]) -> Int? {
        switch self {
        case .npy: NPYFile.headerLength(prefix)
        case .idx: prefix.count >= 4 ? 4 + 4 * Int(prefix[3]) : nil
        }
    }

    func parseHeader(_ bytes: [UInt8], path: String, limits: ReadLimits) throws -> ArrayFileHeader {
        switch self {
        case .npy: try NPYFile.parseHeader(bytes, path: path, limits: limits)
        case .idx: try IDXFile.parseHeader(bytes, path: path, limits: limits)
        }
    }
}

/// `v` as a class label: an integer of magnitude below 10⁹ (as CSV label columns), else nil
/// — so a label file holding ∞ or 1e30 is an error, never a trapping conversion to Int.
func integerLabel(_ v: Float) -> Int? {
    v == v.rounded() && abs(v) < 1e9 ? Int(v) : nil
}
