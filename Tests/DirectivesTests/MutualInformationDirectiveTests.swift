import Directives
import Foundation
import Linalg
import Notebook
import XCTest

/// `{mutual-information}` as a new user meets it: two `kind: npy` data sets with aligned rows,
/// and the data problems it names at the parameter that brought them.
final class MutualInformationDirectiveTests: XCTestCase {
    /// Writes an n×d Float32 .npy file into the temporary directory (the harness's notebook
    /// directory) and returns its file name.
    func npy(_ rows: [[Float]]) throws -> String {
        let name = "mi-\(UUID().uuidString).npy"
        let d = rows.first?.count ?? 0
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows.count), \(d)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for r in rows { for v in r { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } } }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return name
    }

    /// A bivariate normal with ρ = 0.75 (I = 0.4133 nats) split into two npy files.
    func pairedFiles(n: Int = 600) throws -> (String, String) {
        var g = SeededGenerator(seed: 3)
        var xs = [[Float]](), ys = [[Float]]()
        for _ in 0..<n {
            let a = g.normal(), b = g.normal()
            xs.append([Float(a)]); ys.append([Float(0.75 * a + (1 - 0.5625).squareRoot() * b)])
        }
        return (try npy(xs), try npy(ys))
    }

    func testTwoNPYDatasetsWithAlignedRows() throws {
        let (fx, fy) = try pairedFiles()
        let h = DirectiveHarness()
        try h.run("```{dataset}\nid: a\nkind: npy\npath: \(fx)\n```")
        try h.run("```{dataset}\nid: b\nkind: npy\npath: \(fy)\n```")
        for estimator in ["auto", "ksg", "gaussian"] {
            let result = try h.run("```{mutual-information}\nid: mi-\(estimator)\nx: a\ny: b\nestimator: \(estimator)\nsplits: 3\n```")
            let e = try h.value("mi-\(estimator)", as: EstimateValue.self)
            XCTAssertEqual(e.value, -0.5 * log(1 - 0.5625), accuracy: 0.08, estimator)
            let lower = try XCTUnwrap(e.details.first { $0.name == "lower" }?.value)
            let upper = try XCTUnwrap(e.details.first { $0.name == "upper" }?.value)
            XCTAssertLessThan(lower, e.value); XCTAssertGreaterThan(upper, e.value)
            XCTAssertFalse(result.tables.isEmpty)
            XCTAssertNotNil(try h.value("mi-\(estimator).estimators", as: Table.self))
        }
    }

    func testRowMismatchIsAnErrorAtY() throws {
        let (fx, _) = try pairedFiles(n: 50)
        let (_, fy) = try pairedFiles(n: 40)
        let h = DirectiveHarness()
        try h.run("```{dataset}\nid: a\nkind: npy\npath: \(fx)\n```")
        try h.run("```{dataset}\nid: b\nkind: npy\npath: \(fy)\n```")
        XCTAssertThrowsError(try h.run("```{mutual-information}\nx: a\ny: b\n```")) { error in
            let e = error as? ParameterError
            XCTAssertEqual(e?.parameter, "y")
            XCTAssertTrue(e?.message.contains("50 rows") ?? false, "\(error)")
        }
    }

    func testConstantColumnNaNAndTooFewRowsAreNamed() throws {
        let h = DirectiveHarness()
        let constant = try npy((0..<20).map { [Float($0), 1] })
        let nan = try npy((0..<20).map { [$0 == 7 ? Float.nan : Float($0)] })
        let fine = try npy((0..<20).map { [Float($0 * $0 % 17)] })
        let tiny = try npy([[1], [2], [3]])
        let tinyY = try npy([[2], [1], [3]])
        try h.run("```{dataset}\nid: c\nkind: npy\npath: \(constant)\n```")
        // {dataset} itself refuses non-finite data, so a NaN never reaches the estimators from a file.
        XCTAssertThrowsError(try h.run("```{dataset}\nid: nan\nkind: npy\npath: \(nan)\n```")) {
            XCTAssertTrue("\($0)".contains("NaN"), "\($0)")
        }
        try h.run("```{dataset}\nid: ok\nkind: npy\npath: \(fine)\n```")
        try h.run("```{dataset}\nid: t\nkind: npy\npath: \(tiny)\n```")
        try h.run("```{dataset}\nid: t2\nkind: npy\npath: \(tinyY)\n```")
        func expect(_ cell: String, parameter: String, mentions: String, line: UInt = #line) {
            XCTAssertThrowsError(try h.run(cell), line: line) { error in
                let e = error as? ParameterError
                XCTAssertEqual(e?.parameter, parameter, "\(error)", line: line)
                XCTAssertTrue(e?.message.contains(mentions) ?? false, "\(error)", line: line)
            }
        }
        expect("```{mutual-information}\nx: c\ny: ok\n```", parameter: "x", mentions: "column 2")
        // KSG needs k + 1 = 4 rows in each half of the half-sampling interval.
        expect("```{mutual-information}\nx: t\ny: t2\nestimator: ksg\nk: 3\n```", parameter: "k", mentions: "at least 8 rows")
    }

    /// `y: labels`: Ross's estimator on x against its own labels. Three classes at means 0, 3,
    /// 6 with unit noise: I = ln 3 − H(L|X) = 0.877 nats (quadrature with scipy).
    func testLabelsUseRossEstimator() throws {
        var g = SeededGenerator(seed: 8)
        var rows = [[Float]](), labels = [Int64]()
        for i in 0..<300 { labels.append(Int64(i % 3)); rows.append([Float(3 * (i % 3)) + Float(g.normal())]) }
        let points = try npy(rows)
        var header = "{'descr': '<i8', 'fortran_order': False, 'shape': (300,), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
        for l in labels { withUnsafeBytes(of: l.littleEndian) { bytes += $0 } }
        let labelFile = "mi-labels-\(UUID().uuidString).npy"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(labelFile)
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let h = DirectiveHarness()
        try h.run("```{dataset}\nid: p\nkind: npy\npath: \(points)\nlabels: \(labelFile)\n```")
        try h.run("```{mutual-information}\nid: mi\nx: p\ny: labels\nsplits: 2\n```")
        let e = try h.value("mi", as: EstimateValue.self)
        XCTAssertTrue(e.name.contains("Ross"), e.name)
        XCTAssertEqual(e.value, 0.877, accuracy: 0.1)  // k-NN error at n = 300 is a few hundredths
    }

    func testYIsRequiredAtCheckTime() {
        let h = DirectiveHarness()
        XCTAssertThrowsError(try h.run("```{dataset}\nid: g\nkind: gaussian\nn: 50\n```\n\n```{mutual-information}\nx: g\n```")) {
            XCTAssertTrue("\($0)".contains("needs `y`"), "\($0)")
        }
    }

    /// The diagnostics `check` gives a notebook, without running it.
    func checkDiagnostics(_ source: String) -> [Diagnostic] {
        let (document, _) = NotebookParser.parse(source, file: "nb.md")
        switch Validator(registry: DirectiveRegistry.all).plan(document) {
        case .success: return []
        case .failure(let f): return f.diagnostics
        }
    }

    /// `y:` takes a data set's id or the word `labels`; a misspelt word is refused by `check`
    /// with the word suggested, and `labels: true` (the old spelling) is an unknown key.
    func testYLabelsIsAWordAtCheckTime() {
        let data = "```{dataset}\nid: g\nkind: gaussian\nn: 50\n```\n\n"
        XCTAssertEqual(checkDiagnostics(data + "```{mutual-information}\nx: g\ny: labels\n```\n").map(\.message), [])
        let typo = checkDiagnostics(data + "```{mutual-information}\nx: g\ny: lables\n```\n")
        XCTAssertTrue(typo.contains { $0.parameter == "y" && $0.message.contains("`lables`") && $0.message.contains("`labels`") && $0.location.line == 9 },
                      "\(typo.map(\.description))")
        let old = checkDiagnostics(data + "```{mutual-information}\nx: g\nlabels: true\n```\n")
        XCTAssertTrue(old.contains { $0.message.contains("labels") }, "\(old.map(\.description))")
        let notRoss = checkDiagnostics(data + "```{mutual-information}\nx: g\ny: labels\nestimator: gaussian\n```\n")
        XCTAssertTrue(notRoss.contains { $0.parameter == "estimator" && $0.message.contains("`y: labels`") }, "\(notRoss.map(\.description))")
    }

    /// Shapes validation knows (synthetic data sets with their `n`) are checked before anything
    /// runs, at the line of the parameter. Files are read at check time only when validation
    /// has the notebook's folder (`DatasetFileCheckTests`); without it, as here and in the
    /// harness above, they stay run-time errors.
    func testShapeProblemsAreCheckErrors() {
        func notebook(_ nx: Int, _ ny: Int, _ mi: String) -> String {
            "```{dataset}\nid: a\nkind: gaussian\nn: \(nx)\nk: 2\n```\n\n```{dataset}\nid: b\nkind: gaussian\nn: \(ny)\nk: 2\n```\n\n"
                + "```{mutual-information}\n" + mi + "\n```\n"
        }
        struct Case { var nx, ny: Int; var body: String; var parameter: String?; var mentions: String; var line: Int }
        let cases = [
            Case(nx: 300, ny: 300, body: "x: a\ny: b", parameter: nil, mentions: "", line: 0),
            Case(nx: 300, ny: 200, body: "x: a\ny: b", parameter: "y", mentions: "`a` has 300 rows but `b` has 200", line: 17),
            Case(nx: 5, ny: 5, body: "x: a\ny: b\nestimator: ksg\nk: 3", parameter: "k", mentions: "at least 8 rows", line: 19),
            Case(nx: 7, ny: 7, body: "x: a\ny: b\nk: 3", parameter: "k", mentions: "at least 8 rows", line: 18),
            Case(nx: 8, ny: 8, body: "x: a\ny: b\nk: 3", parameter: nil, mentions: "", line: 0),
            Case(nx: 5, ny: 5, body: "x: a\ny: labels\nk: 3", parameter: "k", mentions: "at least 8 rows", line: 18),
        ]
        for c in cases {
            let found = checkDiagnostics(notebook(c.nx, c.ny, c.body))
            guard let parameter = c.parameter else {
                XCTAssertEqual(found.map(\.message), [], c.body)
                continue
            }
            let hit = found.first { $0.parameter == parameter }
            XCTAssertTrue(hit?.message.contains(c.mentions) ?? false, "\(c.body): \(found.map(\.description))")
            XCTAssertEqual(hit?.location.line, c.line, c.body)
        }
    }
}
