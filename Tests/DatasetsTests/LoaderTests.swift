import Foundation
import Linalg
import XCTest
@testable import Datasets

/// IDX, CSV and NPY loaders on small fixtures, and every malformed file giving an error
/// that names the file and the byte offset or line.
final class LoaderTests: XCTestCase {
    // MARK: IDX

    func testIDXReadsGzippedImagesAndPlainLabels() throws {
        let data = try IDXFile.loadDataset(images: fixture("tiny-images-idx3-ubyte.gz"), labels: fixture("tiny-labels-idx1-ubyte"))
        XCTAssertEqual(data.count, 3)
        XCTAssertEqual(data.imageShape, ImageShape(height: 2, width: 2))
        XCTAssertEqual(Array(data.points.row(0)), [0, 255, 128, 1])
        XCTAssertEqual(data.labels, [7, 0, 9])
        let normalized = try IDXFile.loadDataset(images: fixture("tiny-images-idx3-ubyte.gz"), normalize: true)
        XCTAssertEqual(Array(normalized.points.row(2)), [1, 1, 0, 0])
    }

    func testIDXReadsBigEndianWideTypes() throws {
        // int16 values 1, −2 and float32 1.5 (big-endian).
        let shorts = try IDXFile.parse(idxBytes(shape: [2], values: [0x00, 0x01, 0xff, 0xfe], type: 0x0B), path: "s.idx")
        XCTAssertEqual(shorts.values, [1, -2])
        let floats = try IDXFile.parse(idxBytes(shape: [1], values: [0x3f, 0xc0, 0, 0], type: 0x0D), path: "f.idx")
        XCTAssertEqual(floats.values, [1.5])
    }

    func testIDXWithWrongMagicNamesFileAndByte() throws {
        let url = try temporaryFile(self, "bad-magic.idx", [0x12, 0x34, 8, 1, 0, 0, 0, 1, 5])
        let error = assertDataFileError(.badMagic) { try IDXFile.read(url) }
        XCTAssertEqual(error?.position, .byte(0))
        XCTAssert(error?.description.hasPrefix(url.path + ": byte 0:") ?? false, "\(String(describing: error))")
        let badType = try temporaryFile(self, "bad-type.idx", [0, 0, 0x07, 1, 0, 0, 0, 1, 5])
        XCTAssertEqual(assertDataFileError(.badMagic) { try IDXFile.read(badType) }?.position, .byte(2))
    }

    func testTruncatedIDXSaysWhereTheDataEnds() throws {
        let url = try temporaryFile(self, "short.idx", idxBytes(shape: [2, 3], values: [1, 2, 3, 4]))
        let error = assertDataFileError(.truncated) { try IDXFile.read(url) }
        XCTAssertEqual(error?.position, .byte(16))
        XCTAssert(error?.message.contains("needs 18 bytes") ?? false, "\(String(describing: error))")
        let header = try temporaryFile(self, "header.idx", [0, 0, 8, 3, 0, 0])
        XCTAssertEqual(assertDataFileError(.truncated) { try IDXFile.read(header) }?.position, .byte(6))
    }

    func testIDXWithTrailingBytesIsTheWrongSize() throws {
        let url = try temporaryFile(self, "long.idx", idxBytes(shape: [2], values: [1, 2, 3]))
        XCTAssertEqual(assertDataFileError(.wrongSize) { try IDXFile.read(url) }?.position, .byte(10))
    }

    func testIDXLabelsOfTheWrongCountAreRefused() throws {
        let labels = try temporaryFile(self, "labels.idx", idxBytes(shape: [2], values: [1, 2]))
        let error = assertDataFileError(.mismatch) {
            try IDXFile.loadDataset(images: fixture("tiny-images-idx3-ubyte.gz"), labels: labels)
        }
        XCTAssertEqual(error?.path, labels.path)
    }

    func testTruncatedGzipIsACompressionErrorNamingTheFile() throws {
        let url = try fixture("truncated-idx1.gz")
        let error = assertDataFileError(.corruptCompression) { try IDXFile.read(url) }
        XCTAssertEqual(error?.path, url.path)
    }

    func testMissingFileIsNamed() throws {
        let url = try temporaryDirectory(self).appendingPathComponent("nowhere.idx.gz")
        let error = assertDataFileError(.missingFile) { try IDXFile.read(url) }
        XCTAssertEqual(error?.description, url.path + ": no such file")
        assertDataFileError(.missingFile) { try CSVFile.read(url) }
        assertDataFileError(.missingFile) { try NPYFile.read(url) }
    }

    // MARK: CSV

    func testCSVWithHeaderAndNamedLabelColumn() throws {
        let url = try temporaryFile(self, "table.csv", "x, y,\"label\"\r\n1.5,2,0\r\n\r\n-3,4e-1,1\n")
        let data = try CSVFile.loadDataset(url, options: CSVOptions(labelColumn: LabelColumn("label")))
        XCTAssertEqual(data.points, Matrix([[1.5, 2], [-3, 0.4]]))
        XCTAssertEqual(data.labels, [0, 1])
        let table = try CSVFile.read(url)
        XCTAssertEqual(table.header, ["x", "y", "label"])
        XCTAssertEqual(table.points.columns, 3)
    }

    func testCSVWithoutHeaderAndLabelsFirst() throws {
        let url = try temporaryFile(self, "plain.csv", "3,0.5,1\n\"4\",0,0.25\n")
        let data = try CSVFile.loadDataset(url, options: CSVOptions(labelColumn: .index(0)), normalize: true)
        XCTAssertEqual(data.labels, [3, 4])
        XCTAssertEqual(data.points, Matrix([[0.5, 1], [0, 0.25]]))
    }

    func testNonNumericCSVCellNamesLineAndField() throws {
        let url = try temporaryFile(self, "bad.csv", "1,2,3\n4,five,6\n")
        let error = assertDataFileError(.notNumeric) { try CSVFile.read(url) }
        XCTAssertEqual(error?.position, .line(2, field: 2))
        XCTAssertEqual(error?.description, "\(url.path):2: field 2: expected a finite number")
        let empty = try temporaryFile(self, "hole.csv", "1,2\n3,\n")
        XCTAssertEqual(assertDataFileError(.notNumeric) { try CSVFile.read(empty) }?.position, .line(2, field: 2))
        let infinite = try temporaryFile(self, "inf.csv", "1,2\nnan,1\n")
        XCTAssertEqual(assertDataFileError(.notNumeric) { try CSVFile.read(infinite) }?.position, .line(2, field: 1))
        let header = try temporaryFile(self, "header.csv", "a,b\n1,2\n")
        XCTAssertEqual(assertDataFileError(.notNumeric) { try CSVFile.read(header, options: CSVOptions(hasHeader: false)) }?.position,
                       .line(1, field: 1))
    }

    func testRaggedCSVRowNamesItsLine() throws {
        let url = try temporaryFile(self, "ragged.csv", "a,b,c\n1,2,3\n4,5\n")
        let error = assertDataFileError(.raggedRow) { try CSVFile.read(url) }
        XCTAssertEqual(error?.position, .line(3, field: nil))
        XCTAssert(error?.message.contains("2 fields") ?? false)
    }

    func testNonIntegerLabelAndEmptyCSVAreRefused() throws {
        let labels = try temporaryFile(self, "labels.csv", "1,2\n3,0.5\n")
        XCTAssertEqual(assertDataFileError(.notNumeric) { try CSVFile.read(labels, options: CSVOptions(labelColumn: .index(-1))) }?.position,
                       .line(2, field: 2))
        let empty = try temporaryFile(self, "empty.csv", "\n  \n")
        assertDataFileError(.empty) { try CSVFile.read(empty) }
        let headerOnly = try temporaryFile(self, "header-only.csv", "a,b\n")
        assertDataFileError(.empty) { try CSVFile.read(headerOnly) }
    }

    func testUnknownLabelColumnIsAParameterError() throws {
        let url = try temporaryFile(self, "t.csv", "a,b\n1,2\n")
        XCTAssertThrowsError(try CSVFile.read(url, options: CSVOptions(labelColumn: .name("digit")))) { error in
            XCTAssertEqual((error as? DatasetParameterError)?.parameter, "labels")
        }
        XCTAssertThrowsError(try CSVFile.read(url, options: CSVOptions(labelColumn: .index(5))))
    }

    // MARK: NPY

    func testNPYReadsFloat32Float64BigEndianAndUInt8() throws {
        let expected = Matrix([[0, 0.25, 0.5], [0.75, 1, 1.25]])
        XCTAssertEqual(try NPYFile.loadDataset(fixture("f4_2x3.npy")).points, expected)
        XCTAssertEqual(try NPYFile.loadDataset(fixture("f8_2x3.npy")).points, expected)
        XCTAssertEqual(try NPYFile.loadDataset(fixture("f8_big_endian.npy")).points, expected)
        let images = try NPYFile.loadDataset(fixture("u1_2x2x2.npy"), labels: fixture("i8_labels.npy"), normalize: true)
        XCTAssertEqual(images.imageShape, ImageShape(height: 2, width: 2))
        XCTAssertEqual(Array(images.points.row(0)), [0, 1, 0.2, 0.4])
        XCTAssertEqual(images.labels, [3, 1])
    }

    func testFortranOrderAndObjectArraysAreRefusedWithAdvice() throws {
        let fortran = assertDataFileError(.unsupported) { try NPYFile.read(fixture("fortran.npy")) }
        XCTAssert(fortran?.message.contains("ascontiguousarray") ?? false)
        let object = assertDataFileError(.unsupported) { try NPYFile.read(fixture("object.npy")) }
        XCTAssert(object?.message.contains("object arrays") ?? false)
    }

    func testCorruptNPYFilesNameTheByte() throws {
        let good = try Array(Data(contentsOf: fixture("f4_2x3.npy")))
        let truncated = try temporaryFile(self, "cut.npy", Array(good.dropLast(5)))
        XCTAssertEqual(assertDataFileError(.truncated) { try NPYFile.read(truncated) }?.position, .byte(good.count - 5))
        let long = try temporaryFile(self, "long.npy", good + [0, 0, 0, 0])
        XCTAssertEqual(assertDataFileError(.wrongSize) { try NPYFile.read(long) }?.position, .byte(good.count))
        var wrong = good
        wrong[1] = UInt8(ascii: "X")
        let magic = try temporaryFile(self, "magic.npy", wrong)
        XCTAssertEqual(assertDataFileError(.badMagic) { try NPYFile.read(magic) }?.position, .byte(0))
        let header = try temporaryFile(self, "header.npy", Array(good.prefix(40)))
        assertDataFileError(.truncated) { try NPYFile.read(header) }
    }
}
