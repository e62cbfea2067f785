import Foundation
import Linalg
import XCTest
@testable import Datasets

/// Eigenvalues (descending) of the sample covariance of `points`.
func covarianceSpectrum(_ points: Matrix) throws -> [Double] {
    try SymmetricEigen(points.covariance()).values
}

/// The number of covariance eigenvalues above `relative` × the largest: the rank of the
/// affine span, up to round-off.
func numericalRank(_ points: Matrix, relative: Double = 1e-8) throws -> Int {
    let values = try covarianceSpectrum(points)
    guard let top = values.first, top > 0 else { return 0 }
    return values.filter { $0 > relative * top }.count
}

/// A fresh directory under the system temporary directory, removed by the test's teardown.
func temporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("datasets-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Writes `bytes` to `name` in a fresh temporary directory.
func temporaryFile(_ testCase: XCTestCase, _ name: String, _ bytes: [UInt8]) throws -> URL {
    let url = try temporaryDirectory(testCase).appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}

func temporaryFile(_ testCase: XCTestCase, _ name: String, _ text: String) throws -> URL {
    try temporaryFile(testCase, name, Array(text.utf8))
}

/// A committed fixture file.
func fixture(_ name: String) throws -> URL {
    let directory = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures")
    return directory.appendingPathComponent(name)
}

/// Asserts that `body` throws a DataFileError with `reason`, and returns it.
@discardableResult
func assertDataFileError<T>(_ reason: DataFileError.Reason, file: StaticString = #filePath, line: UInt = #line,
                            _ body: () throws -> T) -> DataFileError? {
    do {
        _ = try body()
        XCTFail("expected a \(reason) error, got a result", file: file, line: line)
    } catch let error as DataFileError {
        XCTAssertEqual(error.reason, reason, "\(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected a DataFileError, got \(error)", file: file, line: line)
    }
    return nil
}

/// Big-endian IDX bytes for a uint8 array of `shape`.
func idxBytes(shape: [Int], values: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
    for d in shape { bytes += [UInt8(d >> 24 & 0xff), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
    return bytes + values
}
