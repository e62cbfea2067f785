import Foundation
import XCTest

/// A small fixed-seed batch of `scripts/fuzz` in every test run: mutated notebooks through
/// `check`, a sample through `run`, none may crash, hang or fail without a location. The
/// long runs (10 000 mutants and more) are `scripts/fuzz --count N` by hand.
final class FuzzTests: XCTestCase {
    func testFixedSeedFuzzBatchHasNoCrashHangOrUnlocatedError() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:))
            ?? which("python3") else {
            throw XCTSkip("python3 is not installed, so scripts/fuzz cannot run")
        }
        let binary = (Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()).appendingPathComponent("entropybook")
        let saved = FileManager.default.temporaryDirectory.appendingPathComponent("eb-fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: saved) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [root.appendingPathComponent("scripts/fuzz").path, "--count", "160", "--seed", "14", "--run-every", "8",
                       "--binary", binary.path, "--out", saved.path]
        var env = ProcessInfo.processInfo.environment
        env["ENTROPYBOOK_TEMPLATES"] = root.appendingPathComponent("templates").path
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertTrue(text.contains("mutants 160, crashes 0, hangs 0, unlocated 0"), text)
        XCTAssertEqual(p.terminationStatus, 0, text)
    }

    private func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile(atPath:))
    }
}
