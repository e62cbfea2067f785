import Directives
import FileAccess
import Foundation
import Notebook
import XCTest

/// `check` on `{dataset}` cells of kind npy and idx: it reads each file's header (and scans
/// data up to `DataFileAccess.defaultScanBytes`) through the read confinement, so a row
/// mismatch, a constant column, NaN, too few rows or a malformed file is a located error
/// before anything runs — at the line of the parameter that brought it.
final class DatasetFileCheckTests: XCTestCase {
    /// A version-1 .npy file: the header dict padded as numpy pads it, then `data`.
    static func npy(header: String, data: [UInt8]) -> [UInt8] {
        var header = header
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]
            + Array(header.utf8) + data
    }

    static func npy(_ rows: [[Float]]) -> [UInt8] {
        npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows.count), \(rows.first?.count ?? 0)), }",
            data: rows.flatMap { $0.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } })
    }

    static func labels(_ values: [Int64]) -> [UInt8] {
        npy(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (\(values.count),), }",
            data: values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } })
    }

    /// n rows of d columns, every column varying.
    static func table(_ n: Int, _ d: Int = 1, offset: Int = 0) -> [[Float]] {
        (0..<n).map { r in (0..<d).map { c in Float((r * 7 + c * 3 + offset) % 23) + Float(r) / 100 } }
    }

    /// A folder holding `notebook` as nb.md and `files`; the diagnostics `check` gives
    /// (errors when it refuses the notebook, else its warnings).
    func check(_ notebook: String, files: [String: [UInt8]], quick: Bool = false) throws -> [Diagnostic] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eb-npy-check-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("notebook")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        for (name, bytes) in files {
            let url = name.hasPrefix("../") ? root.appendingPathComponent(String(name.dropFirst(3))) : folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
        }
        let (document, parse) = NotebookParser.parse(notebook, file: "nb.md")
        XCTAssertEqual(parse.map(\.description), [])
        let validator = Validator(overrides: quick ? ["quick": "true"] : [:], registry: DirectiveRegistry.all,
                                  locations: FileLocations(notebookDirectory: folder, dataDirectory: folder))
        switch validator.plan(document) {
        case .success(let plan): return plan.warnings
        case .failure(let f): return f.diagnostics
        }
    }

    /// The 1-based line of the first line of `text` that is `content`.
    func line(_ content: String, in text: String) -> Int {
        (text.components(separatedBy: "\n").firstIndex(of: content) ?? -1) + 1
    }

    func notebook(x: String = "", y: String = "", mi: String = "") -> String {
        "# Two files\n\n```{dataset}\nid: a\nkind: npy\npath: a.npy\n\(x)```\n\n```{dataset}\nid: b\nkind: npy\npath: b.npy\n\(y)```\n\n"
            + "```{mutual-information}\nx: a\ny: b\n\(mi)```\n"
    }

    struct Case {
        var name: String
        var files: [String: [UInt8]]
        var x = "", y = "", mi = ""
        /// nil: check passes with no diagnostic.
        var severity: Diagnostic.Severity?
        /// The line (as text) the diagnostic points at, and words its message holds.
        var at = ""
        var mentions = [String]()
        var quick = false
    }

    func testCheckFindsFileProblemsAtTheirLines() throws {
        let constantX = (0..<40).map { [Float($0), 3] }
        var nanY = Self.table(40)
        nanY[4][0] = .nan
        var nanLate = Self.table(40)
        nanLate[30][0] = .nan
        let cases: [Case] = [
            Case(name: "aligned", files: ["a.npy": Self.npy(Self.table(40, 2)), "b.npy": Self.npy(Self.table(40))]),
            Case(name: "row mismatch", files: ["a.npy": Self.npy(Self.table(40)), "b.npy": Self.npy(Self.table(30))],
                 severity: .error, at: "y: b", mentions: ["`a` has 40 rows but `b` has 30"]),
            Case(name: "n makes them agree", files: ["a.npy": Self.npy(Self.table(40)), "b.npy": Self.npy(Self.table(30))], x: "n: 30\n"),
            Case(name: "quick mode caps both", files: ["a.npy": Self.npy(Self.table(1200)), "b.npy": Self.npy(Self.table(1100))], quick: true),
            Case(name: "constant column in x", files: ["a.npy": Self.npy(constantX), "b.npy": Self.npy(Self.table(40))],
                 severity: .error, at: "x: a", mentions: ["column 2 of `a` is constant"]),
            Case(name: "constant column in y", files: ["a.npy": Self.npy(Self.table(40)), "b.npy": Self.npy(constantX)],
                 severity: .error, at: "y: b", mentions: ["column 2 of `b` is constant"]),
            Case(name: "NaN", files: ["a.npy": Self.npy(Self.table(40)), "b.npy": Self.npy(nanY)],
                 severity: .error, at: "path: b.npy", mentions: ["NaN or infinite value at row 5, column 1"]),
            Case(name: "NaN after a first-rows sample", files: ["a.npy": Self.npy(Self.table(40)), "b.npy": Self.npy(nanLate)],
                 x: "n: 25\nsample: first\n", y: "n: 25\nsample: first\n"),
            Case(name: "NaN in a random sample is a warning", files: ["a.npy": Self.npy(Self.table(20)), "b.npy": Self.npy(nanY)],
                 y: "n: 20\n", severity: .warning, at: "path: b.npy", mentions: ["the run fails if the sample holds it"]),
            Case(name: "fewer rows than k + 1", files: ["a.npy": Self.npy(Self.table(5)), "b.npy": Self.npy(Self.table(5))],
                 mi: "estimator: ksg\nk: 3\n", severity: .error, at: "k: 3", mentions: ["at least 8 rows", "`a` has 5"]),
            Case(name: "shape claim of 10¹⁸ × 10¹⁸", files: [
                    "a.npy": Self.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000000000, 1000000000000000000), }", data: []),
                    "b.npy": Self.npy(Self.table(40))],
                 severity: .error, at: "path: a.npy", mentions: ["a.npy: byte 10:", "the read limit"]),
            Case(name: "truncated data", files: ["a.npy": Array(Self.npy(Self.table(40)).dropLast(6)), "b.npy": Self.npy(Self.table(40))],
                 severity: .error, at: "path: a.npy", mentions: ["a.npy: byte", "data ends at byte"]),
            Case(name: "Fortran order", files: [
                    "a.npy": Self.npy(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (40, 1), }", data: Array(repeating: 0, count: 160)),
                    "b.npy": Self.npy(Self.table(40))],
                 severity: .error, at: "path: a.npy", mentions: ["Fortran-order"]),
            Case(name: "digits counted in the labels", files: [
                    "a.npy": Self.npy(Self.table(40)), "la.npy": Self.labels((0..<40).map { Int64($0 % 4) }), "b.npy": Self.npy(Self.table(40))],
                 x: "labels: la.npy\ndigits: [1, 2]\n", severity: .error, at: "y: b", mentions: ["`a` has 20 rows but `b` has 40"]),
            Case(name: "labels of another length", files: [
                    "a.npy": Self.npy(Self.table(40)), "la.npy": Self.labels([1, 2, 3]), "b.npy": Self.npy(Self.table(40))],
                 x: "labels: la.npy\n", severity: .error, at: "labels: la.npy", mentions: ["expected (40,)"]),
            Case(name: "outside the folder: the confinement's error, nothing read", files: [
                    "../a.npy": Array("not an npy file at all".utf8), "b.npy": Self.npy(Self.table(40))],
                 x: "", severity: .error, at: "path: ../a.npy", mentions: ["outside the notebook's folder"]),
        ]
        for c in cases {
            var source = notebook(x: c.x, y: c.y, mi: c.mi)
            if c.files["../a.npy"] != nil { source = source.replacingOccurrences(of: "path: a.npy", with: "path: ../a.npy") }
            let found = try check(source, files: c.files, quick: c.quick)
            guard let severity = c.severity else {
                XCTAssertEqual(found.map(\.description), [], c.name)
                continue
            }
            XCTAssertEqual(found.count, 1, "\(c.name): \(found.map(\.description))")
            let d = try XCTUnwrap(found.first, c.name)
            XCTAssertEqual(d.severity, severity, c.name)
            XCTAssertEqual(d.location.line, line(c.at, in: source), "\(c.name): \(d)")
            for m in c.mentions { XCTAssertTrue(d.message.contains(m), "\(c.name): \(d)") }
        }
    }
}
