import Foundation
import XCTest

/// Issue 26's acceptance, tried as a new user would: two `kind: npy` files with aligned rows
/// run end to end; a row mismatch, a constant column, NaN or too few rows is a located
/// error from `check` (exit 2) before anything runs, at the line that brought it.
extension CLITests {
    /// A version-1 .npy file of Float32 rows, its header padded as numpy pads it.
    static func npyFile(_ rows: [[Float]]) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows.count), \(rows.first?.count ?? 0)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for r in rows { for v in r { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } } }
        return Data(bytes)
    }

    func testNpyFilesAreCheckedBeforeAnythingRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eb-npy-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        // y = x + a small periodic term: dependent, every column varying.
        let n = 200
        let x: [[Float]] = (0..<n).map { i -> [Float] in
            let a = Float(i % 37) / 37, b = Float((i * 11) % 29) / 29
            return [a, b]
        }
        let y: [[Float]] = (0..<n).map { i -> [Float] in [x[i][0] + Float(i % 5) / 20] }
        var nan = y
        nan[9][0] = .nan
        let files: [String: Data] = [
            "x.npy": Self.npyFile(x), "y.npy": Self.npyFile(y), "short.npy": Self.npyFile(Array(y.prefix(150))),
            "constant.npy": Self.npyFile(x.map { [$0[0], 1] }), "nan.npy": Self.npyFile(nan),
            "tiny-x.npy": Self.npyFile(Array(x.prefix(5))), "tiny-y.npy": Self.npyFile(Array(y.prefix(5))),
        ]
        for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
        func notebook(_ name: String, x: String, y: String, mi: String = "estimator: gaussian\nsplits: 2\n") throws -> URL {
            let url = folder.appendingPathComponent(name)
            try "# \(name)\n\n```{dataset}\nid: x\nkind: npy\npath: \(x)\n```\n\n```{dataset}\nid: y\nkind: npy\npath: \(y)\n```\n\n```{mutual-information}\nid: mi\nx: x\ny: y\n\(mi)```\n"
                .write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        // Lines: x's cell 3–7 (path 6), y's cell 9–13 (path 12), the estimate 15– (x 17, y 18, k 20).
        let cases: [(name: String, x: String, y: String, mi: String, line: Int, mentions: String)] = [
            ("mismatch.md", "x.npy", "short.npy", "", 18, "`x` has 200 rows but `y` has 150"),
            ("constant.md", "constant.npy", "y.npy", "", 17, "column 2 of `x` is constant"),
            ("nan.md", "x.npy", "nan.npy", "", 12, "`nan.npy` has a NaN or infinite value at row 10, column 1"),
            ("tiny.md", "tiny-x.npy", "tiny-y.npy", "estimator: ksg\nk: 3\n", 20, "needs at least 8 rows"),
        ]
        for c in cases {
            let url = try notebook(c.name, x: c.x, y: c.y, mi: c.mi)
            for command in ["check", "run"] {
                let out = folder.appendingPathComponent("out-\(c.name)")
                let r = try entropybook(command == "check" ? ["check", url.path] : ["run", url.path, "-o", out.path, "--quiet"], cwd: folder)
                XCTAssertEqual(r.status, 2, "\(c.name) \(command): \(r.stderr)")
                let located = r.stderr.split(separator: "\n").filter { $0.contains("\(c.name):\(c.line):1: error:") }
                XCTAssertTrue(located.contains { $0.contains(c.mentions) }, "\(c.name) \(command): \(r.stderr)")
                XCTAssertEqual(r.stderr.components(separatedBy: ": error: ").count - 1, 1, "\(c.name) \(command): \(r.stderr)")
                // Refused before anything ran: no report.
                XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(c.name.replacingOccurrences(of: ".md", with: "")).path), c.name)
            }
        }
        let aligned = try notebook("aligned.md", x: "x.npy", y: "y.npy")
        XCTAssertEqual(try entropybook(["check", aligned.path], cwd: folder).status, 0)
        let out = folder.appendingPathComponent("out")
        let run = try entropybook(["run", aligned.path, "-o", out.path, "--quiet", "-p", "quick=true"], cwd: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        let record = try String(contentsOf: out.appendingPathComponent("aligned/run.json"), encoding: .utf8)
        XCTAssertTrue(record.contains("\"mi\""), record.prefix(400).description)
    }
}
