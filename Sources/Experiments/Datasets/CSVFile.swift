import FileAccess
import Foundation
import Linalg

/// Which column of a CSV file holds integer class labels.
public enum LabelColumn: Sendable, Hashable {
    /// By 0-based position; negative counts from the end (−1 is the last column).
    case index(Int)
    /// By header name (the file must have a header).
    case name(String)

    /// Parses a notebook's `labels:` value: an integer ("0", "-1"), "last", "first", or a name.
    public init(_ text: String) {
        switch text.lowercased() {
        case "last": self = .index(-1)
        case "first": self = .index(0)
        default: self = Int(text).map { LabelColumn.index($0) } ?? .name(text)
        }
    }
}

/// How to read a CSV file.
public struct CSVOptions: Sendable, Hashable {
    /// `true`/`false`: the first non-empty line is/is not a header. `nil`: a header when
    /// any of its cells is not a number.
    public var hasHeader: Bool?
    /// The label column, or `nil` when every column is a feature.
    public var labelColumn: LabelColumn?
    /// The field separator (a comma unless told otherwise).
    public var delimiter: UInt8
    public init(hasHeader: Bool? = nil, labelColumn: LabelColumn? = nil, delimiter: Character = ",") {
        self.hasHeader = hasHeader
        self.labelColumn = labelColumn
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
    }
}

/// The numbers of a CSV file: features as a matrix, the label column split off.
public struct CSVTable: Sendable {
    public var header: [String]?
    /// n × (feature columns).
    public var points: Matrix
    public var labels: [Int]?
}

/// A strict CSV reader for numeric tables (.csv or .csv.gz): every cell a finite number
/// (optionally in double quotes), every row as wide as the first, blank lines skipped,
/// CRLF accepted. Errors name the file, the line and the field, never the text found
/// there. O(file size).
public enum CSVFile {
    /// Reads a CSV file within `limits` (file and decompressed bytes, numbers in the table).
    public static func read(_ url: URL, options: CSVOptions = CSVOptions(), limits: ReadLimits = .standard) throws -> CSVTable {
        var text = try DataFileReader.contents(of: url, limits: limits)
        let count = text.count
        // In place, not a copy: the reader leaves spare capacity, and a copy of a file near
        // the limit would double the memory it may take.
        text.append(0)
        return try parse(terminated: text, count: count, path: url.path, options: options, limits: limits)
    }

    /// Parses CSV bytes; `path` names the file in errors. A table of more than
    /// `limits.elements` numbers is an error at the line that crosses it.
    public static func parse(_ bytes: [UInt8], path: String, options: CSVOptions = CSVOptions(),
                             limits: ReadLimits = .standard) throws -> CSVTable {
        try parse(terminated: bytes + [0], count: bytes.count, path: path, options: options, limits: limits)
    }

    /// Parses the first `count` bytes of `text`, which holds a 0 after them: strtod stops
    /// at the terminator at worst.
    private static func parse(terminated text: [UInt8], count: Int, path: String, options: CSVOptions,
                              limits: ReadLimits) throws -> CSVTable {
        try text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, count > 0 else { throw DataFileError(path, .empty, "the file is empty") }
            var parser = Parser(base: base, end: count, path: path, options: options, maxElements: limits.elements)
            return try parser.run()
        }
    }

    /// A dataset from a CSV file. `normalize` maps all feature values to [0, 1] by their
    /// minimum and maximum.
    public static func loadDataset(_ url: URL, options: CSVOptions = CSVOptions(), normalize: Bool = false,
                                   limits: ReadLimits = .standard) throws -> Dataset {
        let table = try read(url, options: options, limits: limits)
        var dataset = Dataset(name: url.lastPathComponent, points: table.points, labels: table.labels,
                              provenance: "CSV \(url.path)")
        if normalize { dataset = try dataset.normalizedToUnitInterval() }
        return dataset
    }

    private struct Parser {
        let base: UnsafePointer<UInt8>
        let end: Int
        let path: String
        let options: CSVOptions
        /// Most numbers in the table.
        let maxElements: Int
        /// Most fields on one line: a line of commas costs 16 bytes per field range, so a
        /// file that is nothing but commas must stop long before its size in ranges.
        let maxFields: Int
        var fields: [Range<Int>] = []

        init(base: UnsafePointer<UInt8>, end: Int, path: String, options: CSVOptions, maxElements: Int) {
            self.base = base
            self.end = end
            self.path = path
            self.options = options
            self.maxElements = maxElements
            self.maxFields = max(1, min(maxElements, 1 << 24))
        }

        mutating func run() throws -> CSVTable {
            var header: [String]?
            var width: Int?
            var widthLine = 0
            var labelIndex: Int?
            var values: [Float] = []
            var labels: [Int] = []
            var rows = 0
            var position = 0
            var line = 0
            while position < end {
                line += 1
                var lineEnd = position
                while lineEnd < end && base[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                let next = lineEnd + 1
                if lineEnd > position && base[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                defer { position = next }
                if (position..<lineEnd).allSatisfy({ base[$0] == 32 || base[$0] == 9 }) { continue }
                try split(position, lineEnd, line: line)

                if width == nil {
                    let looksLikeHeader = fields.contains { number($0) == nil }
                    if options.hasHeader ?? looksLikeHeader {
                        header = fields.map { unquoted($0) }
                        width = fields.count
                        widthLine = line
                        continue
                    }
                }
                if width == nil {
                    width = fields.count
                    widthLine = line
                }
                guard let expected = width, fields.count == expected else {
                    throw DataFileError(path, .raggedRow, at: .line(line, field: nil),
                                        "row has \(fields.count) fields, but line \(widthLine) has \(width ?? 0)")
                }
                if labelIndex == nil, let column = options.labelColumn {
                    labelIndex = try resolve(column, width: expected, header: header)
                }
                guard values.count + labels.count + expected <= maxElements else {
                    throw DataFileError(path, .tooLarge, at: .line(line, field: nil),
                                        "the table passes the read limit of \(maxElements) numbers here")
                }
                for (f, range) in fields.enumerated() {
                    guard let v = number(range) else {
                        throw DataFileError(path, .notNumeric, at: .line(line, field: f + 1), "expected a finite number")
                    }
                    if f == labelIndex {
                        guard v == v.rounded(), abs(v) < 1e9 else {
                            throw DataFileError(path, .notNumeric, at: .line(line, field: f + 1), "expected an integer label")
                        }
                        labels.append(Int(v))
                    } else {
                        values.append(Float(v))
                    }
                }
                rows += 1
            }
            guard rows > 0, let width else {
                throw DataFileError(path, .empty, at: .line(max(line, 1), field: nil), header == nil ? "the file has no rows" : "the file has a header but no data rows")
            }
            let columns = width - (labelIndex == nil ? 0 : 1)
            guard columns > 0 else { throw DataFileError(path, .empty, "no feature columns besides the label column") }
            return CSVTable(header: header, points: Matrix(rows: rows, columns: columns, elements: values),
                            labels: labelIndex == nil ? nil : labels)
        }

        /// Field ranges of one line into `fields` (no allocation once warmed up); more than
        /// `maxFields` is an error.
        mutating func split(_ start: Int, _ stop: Int, line: Int) throws {
            fields.removeAll(keepingCapacity: true)
            var a = start
            var inQuotes = false
            for i in start..<stop {
                let c = base[i]
                if c == UInt8(ascii: "\"") { inQuotes.toggle() }
                else if c == options.delimiter && !inQuotes {
                    guard fields.count < maxFields else {
                        throw DataFileError(path, .tooLarge, at: .line(line, field: fields.count + 1),
                                            "the line has more than \(maxFields) fields, the read limit")
                    }
                    fields.append(a..<i)
                    a = i + 1
                }
            }
            fields.append(a..<stop)
        }

        /// The field without surrounding blanks and double quotes.
        func trimmed(_ r: Range<Int>) -> Range<Int> {
            var a = r.lowerBound, b = r.upperBound
            while a < b && (base[a] == 32 || base[a] == 9) { a += 1 }
            while b > a && (base[b - 1] == 32 || base[b - 1] == 9) { b -= 1 }
            if b - a >= 2 && base[a] == UInt8(ascii: "\"") && base[b - 1] == UInt8(ascii: "\"") { a += 1; b -= 1 }
            return a..<b
        }

        /// The field as a finite number, or nil.
        func number(_ r: Range<Int>) -> Double? {
            let t = trimmed(r)
            guard !t.isEmpty else { return nil }
            let start = UnsafeRawPointer(base + t.lowerBound).assumingMemoryBound(to: CChar.self)
            var stop: UnsafeMutablePointer<CChar>?
            let v = strtod(start, &stop)
            let expectedStop = UnsafeRawPointer(base + t.upperBound)
            guard let stop, UnsafeRawPointer(stop) == expectedStop, v.isFinite else { return nil }
            return v
        }

        func unquoted(_ r: Range<Int>) -> String {
            let t = trimmed(r)
            return String(decoding: UnsafeBufferPointer(start: base + t.lowerBound, count: t.count), as: UTF8.self)
        }

        func resolve(_ column: LabelColumn, width: Int, header: [String]?) throws -> Int {
            switch column {
            case .index(let i):
                let index = i < 0 ? width + i : i
                guard (0..<width).contains(index) else {
                    throw DatasetParameterError("labels", "label column \(i) is outside the \(width) columns of \(path)")
                }
                return index
            case .name(let name):
                guard let header else {
                    throw DatasetParameterError("labels", "\(path) has no header, so the label column `\(name)` cannot be found; give its index instead")
                }
                guard let index = header.firstIndex(of: name) else {
                    // The header's names are the file's content: count them, do not list them.
                    throw DatasetParameterError("labels", "none of the \(header.count) header fields of \(path) is `\(name)`")
                }
                return index
            }
        }
    }
}
