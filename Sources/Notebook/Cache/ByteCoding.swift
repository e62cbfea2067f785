import Foundation

/// Appends little-endian integers, floats and length-prefixed blobs to a byte buffer: the
/// cache's binary encoding (matrices go in as raw Float32, never as JSON).
public struct ByteWriter {
    public private(set) var bytes = [UInt8]()
    public init() {}

    public mutating func write(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func write(_ v: Int) { write(UInt64(bitPattern: Int64(v))) }
    public mutating func write(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func write(_ v: Double) { write(v.bitPattern) }
    public mutating func write(_ s: String) { write(blob: Array(s.utf8)) }
    public mutating func write(blob: [UInt8]) {
        write(blob.count)
        bytes.append(contentsOf: blob)
    }
    /// Float32 values as raw little-endian bytes, count first.
    public mutating func write(floats: [Float]) {
        write(floats.count)
        floats.withUnsafeBytes { bytes.append(contentsOf: $0) } // x86-64 and arm64 are little-endian
    }
    public mutating func write(ints: [Int]) {
        write(ints.count)
        for i in ints { write(i) }
    }
    public mutating func write<T: Encodable>(json value: T) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        // Estimates may be NaN ("not resolvable"); JSON has no NaN, so spell it.
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        write(blob: Array(try e.encode(value)))
    }
}

/// Reads what `ByteWriter` wrote; every read is bounds-checked and throws on truncation.
public struct ByteReader {
    private let bytes: [UInt8]
    public private(set) var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= bytes.count else { throw CacheError.truncated(at: offset) }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    public mutating func readUInt64() throws -> UInt64 {
        let s = try take(8)
        return s.reversed().reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    }
    public mutating func readInt() throws -> Int { Int(Int64(bitPattern: try readUInt64())) }
    public mutating func readBool() throws -> Bool { try take(1).first == 1 }
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readUInt64()) }
    public mutating func readBlob() throws -> [UInt8] { Array(try take(try readInt())) }
    public mutating func readString() throws -> String { String(decoding: try readBlob(), as: UTF8.self) }
    public mutating func readFloats() throws -> [Float] {
        let n = try readInt()
        guard n >= 0, n <= (bytes.count - offset) / 4 else { throw CacheError.truncated(at: offset) }
        let slice = try take(n * 4)
        return [Float](unsafeUninitializedCapacity: n) { buffer, count in
            slice.withUnsafeBytes { raw in
                if let dst = buffer.baseAddress, let src = raw.baseAddress { memcpy(dst, src, n * 4) }
            }
            count = n
        }
    }
    public mutating func readInts() throws -> [Int] {
        let n = try readInt()
        guard n >= 0, n <= (bytes.count - offset) / 8 else { throw CacheError.truncated(at: offset) }
        return try (0..<n).map { _ in try readInt() }
    }
    public mutating func readJSON<T: Decodable>(_ type: T.Type) throws -> T {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try d.decode(T.self, from: Data(try readBlob()))
    }
}

/// Why a cache entry could not be used. A bad entry is never fatal: the cell is recomputed.
public enum CacheError: Error, CustomStringConvertible {
    case truncated(at: Int)
    case badMagic
    case checksumMismatch
    /// An intact entry in the file of another key: copied, renamed or swapped.
    case wrongKey(stored: String)
    case unknownValueType(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .truncated(let at): "entry is truncated (at byte \(at))"
        case .badMagic: "not a cache entry (bad magic)"
        case .checksumMismatch: "entry is corrupt (checksum mismatch)"
        case .wrongKey(let stored): "entry was stored under another key (\(stored.prefix(12))…): the file was copied, renamed or swapped"
        case .unknownValueType(let t): "entry holds a value of unknown type `\(t)`"
        case .malformed(let what): "entry is malformed: \(what)"
        }
    }
}
