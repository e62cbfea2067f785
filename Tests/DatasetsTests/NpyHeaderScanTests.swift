import FileAccess
import Foundation
import XCTest
@testable import Datasets

/// `ArrayFileScanner`: the check-time look at an npy or idx file — header only, or one
/// streaming pass over the data — agrees with the loader, and a hostile header is an error,
/// never a crash or an allocation of what it claims.
final class NpyHeaderScanTests: XCTestCase {
    /// A version-1 .npy file: `header` padded with spaces to `pad` bytes after the preamble
    /// (numpy pads to 64; other lengths put elements across the reader's chunk boundaries).
    static func npy(_ header: String, data: [UInt8], pad: Int? = nil) -> [UInt8] {
        var text = header
        let total = pad ?? ((10 + text.utf8.count + 1 + 63) / 64 * 64 - 10)
        while text.utf8.count + 1 < total { text += " " }
        text += "\n"
        let length = text.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(text.utf8) + data
    }

    static func float32(_ rows: [[Float]]) -> [UInt8] {
        rows.flatMap { $0.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } }
    }

    static func npy(rows: [[Float]], pad: Int? = nil) -> [UInt8] {
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows.count), \(rows.first?.count ?? 0)), }",
            data: float32(rows), pad: pad)
    }

    func summary(_ bytes: [UInt8], _ format: ArrayFileFormat = .npy, scanBytes: Int = 1 << 26,
                 counting: Set<Int>? = nil) throws -> ArrayFileSummary {
        let url = try temporaryFile(self, "a.\(format.rawValue)", bytes)
        return try ArrayFileScanner.summary(of: url, format: format, limits: .standard, scanBytes: scanBytes, counting: counting)
    }

    func testHeaderShapeConstantColumnsAndNaNMatchTheLoader() throws {
        let rows: [[Float]] = (0..<6).map { [Float($0), 2, $0 == 4 ? .nan : 1] }
        let s = try summary(Self.npy(rows: rows))
        XCTAssertEqual(s.header.shape, [6, 3])
        XCTAssertEqual(s.header.columns, 3)
        XCTAssertEqual(s.scan?.constantColumns, [1])
        XCTAssertEqual(s.scan?.nonFinite?.row, 4)
        XCTAssertEqual(s.scan?.nonFinite?.column, 2)
        let clean = try summary(Self.npy(rows: (0..<5).map { [Float($0), Float(-$0)] }))
        XCTAssertNil(clean.scan?.firstNonFinite)
        XCTAssertEqual(clean.scan?.constantColumns, [])
    }

    /// Over the bound the data are not read: the header alone, and no findings.
    func testDataOverTheBoundAreNotScanned() throws {
        let s = try summary(Self.npy(rows: (0..<100).map { [Float($0), .nan] }), scanBytes: 100)
        XCTAssertEqual(s.header.rows, 100)
        XCTAssertNil(s.scan)
    }

    /// Elements cut across the reader's 1 MiB chunks (an odd data offset): the streaming
    /// scan finds what the whole-file loader finds.
    func testChunkBoundariesDoNotChangeTheFindings() throws {
        let n = 50_000, d = 7
        var rows = (0..<n).map { r in (0..<d).map { c in c == 3 ? Float(5) : Float(r * d + c) } }
        rows[40_000][5] = .infinity
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(n), \(d)), }"
        let data = rows.flatMap { $0.flatMap { v in withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { Array($0) } } }
        let bytes = Self.npy(header, data: data, pad: 71)
        let s = try summary(bytes)
        XCTAssertEqual(s.scan?.constantColumns, [3])
        XCTAssertEqual(s.scan?.nonFinite?.row, 40_000)
        XCTAssertEqual(s.scan?.nonFinite?.column, 5)
        let loaded = try NPYFile.parse(bytes, path: "a.npy")
        XCTAssertEqual(loaded.values.firstIndex { !$0.isFinite }, s.scan?.firstNonFinite)
    }

    func testLabelsAreCountedForDigits() throws {
        let labels: [Int64] = [0, 1, 2, 1, 1, 7]
        let data = labels.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        let s = try summary(Self.npy("{'descr': '<i8', 'fortran_order': False, 'shape': (6,), }", data: data), counting: [1, 7])
        XCTAssertEqual(s.scan?.matching, 4)
        XCTAssertNil(s.scan?.firstNonInteger)
        let bad = try summary(Self.npy(rows: [[1], [2.5], [.infinity]]), counting: [1])
        XCTAssertEqual(bad.scan?.firstNonInteger, 1)
    }

    /// A labels file holding ∞ or 1e30 is an error of the loader, not a trap converting it to Int.
    func testHugeLabelsAreErrorsNotTraps() throws {
        let points = try temporaryFile(self, "p.npy", Self.npy(rows: [[1], [2]]))
        let labels = try temporaryFile(self, "l.npy", Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                                                               data: Self.float32([[1e30], [.infinity]])))
        assertDataFileError(.notNumeric) { try NPYFile.loadDataset(points, labels: labels) }
    }

    /// Every hostile header is a `DataFileError` from both the scanner and the loader, and
    /// the claimed sizes are never allocated (a claim of 10³⁶ elements would abort).
    func testHostileHeadersAreErrors() throws {
        let good = Self.npy(rows: [[1, 2], [3, 4], [5, 6]])
        func v2(_ length: UInt32) -> [UInt8] {
            [0x93] + Array("NUMPY".utf8) + [2, 0] + withUnsafeBytes(of: length.littleEndian) { Array($0) } + Array("{'descr'".utf8)
        }
        let cases: [(String, [UInt8], DataFileError.Reason)] = [
            ("huge shape", Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000000000, 1000000000000000000), }", data: []), .tooLarge),
            ("shape past Int", Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000000000000000, 2), }", data: []), .badMagic),
            ("negative shape", Self.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 2), }", data: []), .badMagic),
            ("complex dtype", Self.npy("{'descr': '<c8', 'fortran_order': False, 'shape': (3, 2), }", data: Array(repeating: 0, count: 48)), .unsupported),
            ("object dtype", Self.npy("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }", data: Array(repeating: 0, count: 24)), .unsupported),
            ("structured", Self.npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", data: Array(repeating: 0, count: 12)), .unsupported),
            ("Fortran order", Self.npy("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 2), }", data: Self.float32([[1, 2], [3, 4], [5, 6]])), .unsupported),
            ("no shape", Self.npy("{'descr': '<f4', 'fortran_order': False, }", data: []), .badMagic),
            ("v2 header of 4 GiB", v2(.max), .tooLarge),
            ("version 9", [0x93] + Array("NUMPY".utf8) + [9, 0, 0, 0], .unsupported),
            ("not npy", Array("hello, world".utf8), .badMagic),
            ("trailing bytes", good + [0, 0, 0, 0], .wrongSize),
            ("more data than the header", Self.npy(rows: [[1, 2]]) + Self.float32([[3, 4]]), .wrongSize),
        ]
        for (name, bytes, reason) in cases {
            let url = try temporaryFile(self, "\(name).npy", bytes)
            for scanBytes in [0, 1 << 20] where !(reason == .wrongSize && scanBytes == 0) {
                let found = assertDataFileError(reason) {
                    try ArrayFileScanner.summary(of: url, format: .npy, limits: .standard, scanBytes: scanBytes)
                }
                XCTAssertNotNil(found, "\(name), scan \(scanBytes)")
            }
            XCTAssertThrowsError(try NPYFile.read(url), name)
        }
        // Every truncation of a good file: an error from both, at any length.
        for cut in 0..<good.count {
            let url = try temporaryFile(self, "cut\(cut).npy", Array(good.prefix(cut)))
            XCTAssertThrowsError(try ArrayFileScanner.summary(of: url, format: .npy, limits: .standard, scanBytes: 1 << 20), "cut at \(cut)") {
                XCTAssertEqual(($0 as? DataFileError)?.reason, .truncated, "cut at \(cut): \($0)")
            }
            XCTAssertThrowsError(try NPYFile.read(url))
        }
    }

    func testIDXHeaderAndHostileDimensions() throws {
        // 3 rows × 2 columns of uint8, column 1 constant.
        let good: [UInt8] = [0, 0, 0x08, 2, 0, 0, 0, 3, 0, 0, 0, 2, 1, 9, 2, 9, 3, 9]
        let s = try summary(good, .idx)
        XCTAssertEqual(s.header.shape, [3, 2])
        XCTAssertEqual(s.scan?.constantColumns, [1])
        let huge: [UInt8] = [0, 0, 0x0D, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        assertDataFileError(.tooLarge) { try self.summary(huge, .idx) }
        assertDataFileError(.badMagic) { try self.summary([0, 0, 0x42, 1, 0, 0, 0, 1, 0], .idx) }
        for cut in 0..<good.count {
            XCTAssertThrowsError(try summary(Array(good.prefix(cut)), .idx), "cut at \(cut)")
        }
    }

    /// The confinement of `ReadLimits` holds for the scan: a file outside is not read.
    func testScanRefusesAFileOutsideTheAllowedDirectories() throws {
        let inside = try temporaryDirectory(self), outside = try temporaryFile(self, "o.npy", Self.npy(rows: [[1]]))
        var limits = ReadLimits.standard
        limits.allowedDirectories = [try XCTUnwrap(ReadLimits.canonicalPath(inside.path))]
        assertDataFileError(.outsideAllowedDirectories) {
            try ArrayFileScanner.summary(of: outside, format: .npy, limits: limits, scanBytes: 1 << 20)
        }
    }
}
