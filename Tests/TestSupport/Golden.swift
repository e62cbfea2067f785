import Foundation
import XCTest

/// Compares `actual` with the golden file `Fixtures/NAME` beside the calling test file;
/// with `ENTROPYBOOK_RECORD=1` in the environment it rewrites the file instead
/// (swift-argument-parser's snapshot habit).
public func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    if ProcessInfo.processInfo.environment["ENTROPYBOOK_RECORD"] != nil {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    XCTAssertEqual(actual, expected, "golden \(name) differs; re-record with ENTROPYBOOK_RECORD=1 if the change is intended",
                   file: file, line: line)
}
