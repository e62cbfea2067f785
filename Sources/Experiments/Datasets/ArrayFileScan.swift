import FileAccess
import Foundation

/// What a look at an NPY or IDX file before loading it found: the header, and — when the
/// data fit the scan's byte bound — the problems a loader or an estimator would meet.
public struct ArrayFileSummary: Sendable, Hashable {
    public var header: ArrayFileHeader
    /// The data's findings; nil when the data were over the bound and not read.
    public var scan: ValueScan?
}

/// Findings of one streaming pass over an array's values (as Float32, the loaders'
/// conversion), in constant memory apart from one flag per column.
public struct ValueScan: Sendable, Hashable {
    /// The first element that is NaN or infinite (0-based row and column), if any.
    public var nonFinite: (row: Int, column: Int)? {
        let c = max(columns, 1)
        return firstNonFinite.map { (row: $0 / c, column: $0 % c) }
    }
    /// 0-based element index of the first NaN or infinite value.
    public var firstNonFinite: Int?
    /// Columns (0-based) holding one value in every row; nil when there were too many
    /// columns to track (`ArrayFileScanner.maximumTrackedColumns`).
    public var constantColumns: [Int]?
    /// 0-based element index of the first value that is not an integer label.
    public var firstNonInteger: Int?
    /// How many values are integer labels in the set asked for (`counting`), if asked.
    public var matching: Int?
    var columns: Int
}

/// Reads an NPY or IDX file's header, and streams its data when they fit a byte bound: the
/// check before a run (`entropybook check`) learns a file's shape, NaN and constant columns
/// without loading it. The file goes through `DataFileReader` (regular files inside
/// `limits.allowedDirectories` only, size caps, gzip); nothing is allocated from a size the
/// header claims: the header is buffered only up to its declared length (at most
/// `NPYFile.maximumHeaderLength`), the data a chunk at a time, and per-column flags only
/// for columns whose values have arrived.
public enum ArrayFileScanner {
    /// Columns tracked for constancy (two flags and a value each): past this, a scan finds
    /// NaN but does not say which columns are constant.
    public static let maximumTrackedColumns = 1 << 20

    /// The header of `url` and, when its data take at most `scanBytes`, a scan of them that
    /// also checks their length (truncated or trailing data are the loader's errors). With
    /// `counting`, the scan counts values that are integer labels in the set (the rows
    /// `digits` keeps). Throws `DataFileError` as the loaders do. O(min(data, scanBytes)).
    public static func summary(of url: URL, format: ArrayFileFormat, limits: ReadLimits, scanBytes: Int,
                               counting: Set<Int>? = nil) throws -> ArrayFileSummary {
        let path = url.path
        var prefix = [UInt8]()
        var header: ArrayFileHeader?
        var state: ScanState?
        var failure: DataFileError?
        let (total, complete) = try DataFileReader.stream(url, limits: limits) { chunk in
            var data = chunk
            while header == nil {
                // The preamble first, then as much more as it says the header takes.
                let needed = format.headerLength(prefix) ?? (format == .idx ? 4 : prefix.count < 10 ? 10 : 12)
                let take = min(max(needed - prefix.count, 0), data.count)
                prefix += data[0..<take]
                data = UnsafeBufferPointer(rebasing: data[take...])
                guard let length = format.headerLength(prefix), prefix.count >= length else {
                    // Each pass takes bytes until the data run out, so this loop ends.
                    if data.isEmpty || take == 0 { return true }
                    continue
                }
                do {
                    let parsed = try format.parseHeader(prefix, path: path, limits: limits)
                    header = parsed
                    guard parsed.dataBytes <= scanBytes else { return false }
                    state = ScanState(header: parsed, counting: counting)
                } catch let error as DataFileError {
                    failure = error
                    return false
                }
            }
            guard state != nil else { return false }
            if let error = state?.consume(data, path: path) {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
        // The file ended before the header did: the parser names the byte.
        guard let header else { throw headerError(prefix, format: format, path: path, limits: limits) }
        guard var state, complete else { return ArrayFileSummary(header: header, scan: nil) }
        if let error = state.finish(path: path, total: total) { throw error }
        return ArrayFileSummary(header: header, scan: state.result)
    }

    private static func headerError(_ prefix: [UInt8], format: ArrayFileFormat, path: String, limits: ReadLimits) -> DataFileError {
        do {
            _ = try format.parseHeader(prefix, path: path, limits: limits)
        } catch let error as DataFileError {
            return error
        } catch {}
        return DataFileError(path, .truncated, at: .byte(prefix.count), "file ends at byte \(prefix.count), inside the header")
    }

    /// The running state of a scan: a carry of at most one element split across chunks,
    /// a decode buffer of one chunk's elements, and the per-column flags.
    struct ScanState {
        let header: ArrayFileHeader
        let counting: Set<Int>?
        var seen = 0
        var carry = [UInt8]()
        var firstValue = [Float]()
        var varies = [Bool]()
        var result: ValueScan
        var decoded = [Float]()
        let tracksColumns: Bool

        init(header: ArrayFileHeader, counting: Set<Int>?) {
            self.header = header
            self.counting = counting
            tracksColumns = header.columns <= ArrayFileScanner.maximumTrackedColumns
            result = ValueScan(firstNonFinite: nil, constantColumns: nil, firstNonInteger: nil,
                               matching: counting == nil ? nil : 0, columns: header.columns)
        }

        /// Takes the next bytes of data; an error when there are more than the header declares.
        mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> DataFileError? {
            let size = header.coding.size
            var data = bytes
            if !carry.isEmpty {
                let take = min(size - carry.count, data.count)
                carry += data[0..<take]
                data = UnsafeBufferPointer(rebasing: data[take...])
                guard carry.count == size else { return nil }
                let whole = carry
                carry = []
                if let error = whole.withUnsafeBufferPointer({ decode($0, count: 1, path: path) }) { return error }
            }
            let count = data.count / size
            if let error = decode(data, count: count, path: path) { return error }
            carry += data[(count * size)...]
            return nil
        }

        private mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, path: String) -> DataFileError? {
            guard count > 0 else { return nil }
            guard seen + count <= header.count else {
                let expected = header.dataOffset + header.dataBytes
                return DataFileError(path, .wrongSize, at: .byte(expected), "unexpected bytes after the \(header.description) data")
            }
            if decoded.count < count { decoded = [Float](repeating: 0, count: count) }
            let coding = header.coding
            decoded.withUnsafeMutableBufferPointer { coding.decode(bytes, into: UnsafeMutableBufferPointer(rebasing: $0[0..<count])) }
            let columns = max(header.columns, 1)
            var c = seen % columns
            for i in 0..<count {
                let v = decoded[i], index = seen + i
                if result.firstNonFinite == nil, !v.isFinite { result.firstNonFinite = index }
                // Float data meet a fraction early: the test stops costing anything then.
                if result.firstNonInteger == nil || counting != nil {
                    let label = integerLabel(v)
                    if label == nil, result.firstNonInteger == nil { result.firstNonInteger = index }
                    if let counting, let label, counting.contains(label) { result.matching? += 1 }
                }
                if tracksColumns {
                    if index < columns {
                        firstValue.append(v)
                        varies.append(false)
                    } else if !varies[c], v != firstValue[c] {
                        varies[c] = true
                    }
                }
                c += 1
                if c == columns { c = 0 }
            }
            seen += count
            return nil
        }

        /// The end of the data: their length checked against the header.
        mutating func finish(path: String, total: Int) -> DataFileError? {
            let expected = header.dataOffset + header.dataBytes
            if seen == header.count && !carry.isEmpty {
                return DataFileError(path, .wrongSize, at: .byte(expected), "\(carry.count) unexpected bytes after the \(header.description) data")
            }
            if seen < header.count || !carry.isEmpty {
                return DataFileError(path, .truncated, at: .byte(total),
                                     "data ends at byte \(total), but the header's \(header.description) needs \(expected) bytes")
            }
            if tracksColumns, header.rows > 0 {
                result.constantColumns = varies.indices.filter { !varies[$0] && firstValue[$0] == firstValue[$0] }
            }
            return nil
        }
    }
}
