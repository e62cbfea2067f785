import FileAccess
import Foundation
import XCTest
@testable import Datasets

/// Hostile files: devices, FIFOs, gzip bombs, lying headers and files outside the allowed
/// directories end in a `DataFileError` that names the limit or the file type, quickly and
/// without allocating what the file claims — and no error repeats the file's content.
final class ReadLimitsTests: XCTestCase {
    /// Limits small enough that a test crosses them in milliseconds.
    let small = ReadLimits(fileBytes: 1 << 20, decompressedBytes: 1 << 20, elements: 1000)

    func testDevZeroAsCSVIsRefusedAsADevice() throws {
        let error = assertDataFileError(.notRegularFile) { try CSVFile.read(URL(fileURLWithPath: "/dev/zero")) }
        XCTAssertEqual(error?.message, "is a device, not a regular file")
    }

    func testDevUrandomAsNPYIsRefusedAsADevice() throws {
        assertDataFileError(.notRegularFile) { try NPYFile.read(URL(fileURLWithPath: "/dev/urandom")) }
    }

    func testFIFOIsRefusedAtOnceInsteadOfBlocking() throws {
        let fifo = try temporaryDirectory(self).appendingPathComponent("pipe.csv")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = ErrorBox()
        DispatchQueue.global().async {
            do { _ = try CSVFile.read(fifo) } catch { outcome.error = error }
            finished.signal()
        }
        guard finished.wait(timeout: .now() + 5) == .success else { return XCTFail("reading a FIFO blocked") }
        XCTAssertEqual((outcome.error as? DataFileError)?.reason, .notRegularFile, "\(String(describing: outcome.error))")
    }

    func testDirectoryIsRefusedAsNotARegularFile() throws {
        let directory = try temporaryDirectory(self)
        assertDataFileError(.notRegularFile) { try IDXFile.read(directory) }
    }

    func testGzipBombStopsAtTheDecompressedLimit() throws {
        // 64 MB of zeros compress to ~64 KB; the 1 MiB limit must stop the read there.
        let bomb = try temporaryDirectory(self).appendingPathComponent("bomb.csv.gz")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "head -c 64000000 /dev/zero | gzip -c > '\(bomb.path)'"]
        try gzip.run()
        gzip.waitUntilExit()
        let compressed = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as? Int)
        XCTAssertLessThan(compressed, 1 << 20)
        let error = assertDataFileError(.tooLarge) { try CSVFile.read(bomb, limits: small) }
        XCTAssertEqual(error?.message, "the contents exceed the read limit of 1 MiB when decompressed")
        XCTAssertEqual(error?.position, .byte(1 << 20))
    }

    func testFileLargerThanTheFileLimitIsRefusedBeforeReading() throws {
        let url = try temporaryFile(self, "big.csv", [UInt8](repeating: UInt8(ascii: "1"), count: 4096))
        let limits = ReadLimits(fileBytes: 1024, decompressedBytes: 1 << 20, elements: 1000)
        let error = assertDataFileError(.tooLarge) { try CSVFile.read(url, limits: limits) }
        XCTAssertEqual(error?.message, "the file is 4 KiB, over the read limit of 1 KiB")
    }

    func testCSVPastTheElementLimitIsAnErrorAtTheLineThatCrossesIt() throws {
        let url = try temporaryFile(self, "rows.csv", "1,2\n3,4\n5,6\n")
        let limits = ReadLimits(fileBytes: 1 << 20, decompressedBytes: 1 << 20, elements: 5)
        XCTAssertEqual(assertDataFileError(.tooLarge) { try CSVFile.read(url, limits: limits) }?.position, .line(3, field: nil))
    }

    func testCSVLineOfEndlessCommasStopsAtTheFieldLimit() throws {
        let url = try temporaryFile(self, "commas.csv", String(repeating: ",", count: 5000))
        assertDataFileError(.tooLarge) { try CSVFile.read(url, limits: small) }
    }

    func testNPYHeaderClaimingMoreThanTheFileHoldsIsAnErrorBeforeAllocating() throws {
        let huge = try temporaryFile(self, "huge.npy", npyBytes(shape: "(100000, 100000)", data: [0, 0, 0, 0]))
        assertDataFileError(.tooLarge) { try NPYFile.read(huge) }
        let lying = try temporaryFile(self, "lying.npy", npyBytes(shape: "(20000, 1000)", data: [0, 0, 0, 0]))
        assertDataFileError(.truncated) { try NPYFile.read(lying) }
        assertDataFileError(.tooLarge) { try NPYFile.read(lying, limits: small) }
    }

    func testIDXHeaderClaimingMoreThanTheFileHoldsIsAnErrorBeforeAllocating() throws {
        let huge = try temporaryFile(self, "huge.idx", idxBytes(shape: [65535, 65535], values: [1, 2, 3]))
        assertDataFileError(.tooLarge) { try IDXFile.read(huge) }
        let lying = try temporaryFile(self, "lying.idx", idxBytes(shape: [20000, 1000], values: [1, 2, 3]))
        assertDataFileError(.truncated) { try IDXFile.read(lying) }
        assertDataFileError(.tooLarge) { try IDXFile.read(lying, limits: small) }
    }

    func testFileOutsideTheAllowedDirectoriesIsRefusedEvenThroughASymlink() throws {
        let inside = try temporaryDirectory(self), outside = try temporaryDirectory(self)
        let secret = outside.appendingPathComponent("secret.csv")
        try Data("1,2\n".utf8).write(to: secret)
        let own = inside.appendingPathComponent("own.csv")
        try Data("1,2\n".utf8).write(to: own)
        let link = inside.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: secret)
        var limits = ReadLimits.standard
        limits.allowedDirectories = [try XCTUnwrap(ReadLimits.canonicalPath(inside.path))]
        XCTAssertEqual(try CSVFile.read(own, limits: limits).points.rows, 1)
        assertDataFileError(.outsideAllowedDirectories) { try CSVFile.read(secret, limits: limits) }
        assertDataFileError(.outsideAllowedDirectories) { try CSVFile.read(link, limits: limits) }
    }

    func testContainmentComparesWholePathComponents() {
        XCTAssertTrue(ReadLimits.isPath("/data/a.csv", inside: "/data"))
        XCTAssertTrue(ReadLimits.isPath("/data", inside: "/data/"))
        XCTAssertFalse(ReadLimits.isPath("/data2/a.csv", inside: "/data"))
        XCTAssertTrue(ReadLimits.isPath("/etc/passwd", inside: "/"))
    }

    func testErrorsNameThePositionNotTheContent() throws {
        let secret = "hunter2-SECRET"
        let csv = try temporaryFile(self, "secret.csv", "1,2\n3,\(secret)\n")
        let notNumber = assertDataFileError(.notNumeric) { try CSVFile.read(csv) }
        XCTAssertEqual(notNumber?.description, "\(csv.path):2: field 2: expected a finite number")
        let label = try temporaryFile(self, "label.csv", "a,\(secret)\n1,2\n")
        XCTAssertThrowsError(try CSVFile.read(label, options: CSVOptions(labelColumn: .name("digit")))) { error in
            XCTAssertFalse("\(error)".contains(secret), "\(error)")
        }
        let npy = try temporaryFile(self, "secret.npy", npyBytes(shape: "(\(secret))", data: []))
        let shape = assertDataFileError(.badMagic) { try NPYFile.read(npy) }
        XCTAssertFalse(shape?.description.contains(secret) ?? true, "\(String(describing: shape))")
        let dtype = try temporaryFile(self, "dtype.npy", npyBytes(shape: "(1,)", data: [], descr: secret))
        let unsupported = assertDataFileError(.unsupported) { try NPYFile.read(dtype) }
        XCTAssertFalse(unsupported?.description.contains(secret) ?? true, "\(String(describing: unsupported))")
        let idx = try temporaryFile(self, "secret.idx", Array("\(secret)\n".utf8))
        let magic = assertDataFileError(.badMagic) { try IDXFile.read(idx) }
        XCTAssertEqual(magic?.message, "not an IDX file: expected the magic to start with bytes 00 00")
    }

    /// A version 1.0 .npy file with a `<f4` (or `descr`) array of `shape` and `data` bytes.
    func npyBytes(shape: String, data: [UInt8], descr: String = "<f4") -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(header.utf8) + data
    }
}

private final class ErrorBox: @unchecked Sendable {
    var error: Error?
}
