import Foundation
import XCTest

/// `check --estimate --json` on the repository's notebooks, as the Slurm executor and a
/// user read it: one entry per directive cell, at its fence's line. Speeds are written
/// beside the cache first (no probes, no timing asserted).
extension CLITests {
    func testCheckEstimateJSONCoversEveryCellOfEveryNotebook() throws {
        let repository = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eb-estimate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("output"), withIntermediateDirectories: true)
        let speeds = #"{"matrixFlopsPerSecond":5e10,"exponentialsPerSecond":3e8,"elementOperationsPerSecond":1e10,"#
            + #""serialOperationsPerSecond":5e9,"barriersPerSecond":5e4,"threads":2,"measuredAt":0}"#
        try Data(speeds.utf8).write(to: directory.appendingPathComponent("output/.cache-speeds.json"))

        let notebooks = try FileManager.default.contentsOfDirectory(at: repository.appendingPathComponent("notebooks"),
                                                                    includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThan(notebooks.count, 5)
        struct Cell: Decodable { var id: String; var line: Int; var seconds: Double; var memoryBytes: Double; var work: [String: Double] }
        struct Output: Decodable { var totalSeconds: Double; var cells: [Cell] }
        for notebook in notebooks {
            let r = try entropybook(["check", notebook.path, "--estimate", "--json"], cwd: directory)
            XCTAssertEqual(r.status, 0, "\(notebook.lastPathComponent): \(r.stderr)")
            let output = try JSONDecoder().decode(Output.self, from: Data(r.stdout.utf8))
            let source = try String(contentsOf: notebook, encoding: .utf8)
            let fences = source.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                .filter { $0.element.hasPrefix("```{") }.map { $0.offset + 1 }
            XCTAssertEqual(output.cells.map(\.line), fences, "\(notebook.lastPathComponent): the estimate's cells are not the notebook's")
            XCTAssertEqual(output.totalSeconds, output.cells.map(\.seconds).reduce(0, +), accuracy: 1e-6 * max(1, output.totalSeconds))
            for cell in output.cells where cell.seconds > 0 {
                XCTAssert(cell.work.values.contains { $0 > 0 }, "\(notebook.lastPathComponent):\(cell.line): seconds without the work they price")
            }
            XCTAssert(output.totalSeconds > 0, notebook.lastPathComponent)
        }
        let speedsKept = try String(contentsOf: directory.appendingPathComponent("output/.cache-speeds.json"), encoding: .utf8)
        XCTAssertEqual(speedsKept, speeds, "check re-measured instead of reading the kept speeds")
    }
}
