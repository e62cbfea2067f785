import Directives
import Foundation
import Notebook
import XCTest

/// `{classifier}`, `{information-plane}` and their `{claim}` tests on a tiny labelled set:
/// three Gaussian clusters in R⁴ (means 6 apart, 100 points each) from a CSV.
final class InformationPlaneRunTests: XCTestCase {
    private func cell(_ directive: String, _ body: String) -> String { "```{\(directive)}\n\(body)\n```" }

    private func clusters() throws -> String {
        var lines = [String]()
        var state: UInt64 = 12345
        func normal() -> Double {
            // A small LCG + Box–Muller: the test needs data, not a particular generator.
            func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) * 0x1p-53 }
            return (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * Double.pi * uniform())
        }
        for i in 0..<300 {
            let label = i % 3
            let row = (0..<4).map { k in normal() + (k == label ? 6 : 0) }
            lines.append(row.map { String(format: "%.5f", $0) }.joined(separator: ",") + ",\(label)")
        }
        let name = "eb-iplane-\(UUID().uuidString).csv"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return name
    }

    func testClassifierLearnsAndThePlaneRespectsItsCeilings() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: x\nkind: csv\npath: \(try clusters())\nlabels: last\nheader: false"))
        let trained = try h.run(cell("classifier", "id: net\ndata: x\nhidden: [8, 4]\nactivation: tanh\nnoise: 0.5\n"
                                     + "epochs: 12\nbatch: 32\nlr: 0.01\neval: 120\nsnapshots: 3\nrepeats: 2"))
        XCTAssertGreaterThan(try XCTUnwrap(trained.metric("test accuracy")), 0.9)
        XCTAssertEqual(try h.value("net.accuracy", as: CurveValue.self).series.last?.x.count, 12)

        let plane = try h.run(cell("information-plane", "id: p\nclassifier: net\nsamples: 500\ncode: 2\nae-epochs: 3\nbins: 10"))
        let value = try h.value("p.plane", as: InformationPlaneValue.self)
        XCTAssertEqual(value.layers, [1, 2])
        XCTAssertEqual(value.rows.map(\.epoch), [0, 3, 12, 0, 3, 12]) // log-spaced 0…12, three read-outs
        XCTAssertEqual(value.labelEntropy, log(3), accuracy: 0.02)
        for row in value.rows {
            // Per-draw ceilings of the noise-aware estimator: ln n and H(Y) of the 120 rows.
            XCTAssertLessThanOrEqual(try XCTUnwrap(row.inputInformation?.median), log(120) + 1e-9)
            XCTAssertLessThanOrEqual(try XCTUnwrap(row.labelInformation?.median), value.labelEntropy + 1e-9)
            XCTAssertNotNil(row.compressedInput)
        }
        XCTAssertEqual(try h.value("p", as: Table.self).rows.count, 6)
        XCTAssertEqual(plane.figures.count, 2 + 2 + 2) // two planes, I(X;T) and I(T;Y) curves, a histogram per layer

        for test in ["fitting-phase", "compression-phase", "compression-clusters"] {
            try h.run(cell("claim", "id: c_\(test.replacingOccurrences(of: "-", with: "_"))\nstatement: \(test)\ntest: \(test)\nof: [p]"))
            let row = try XCTUnwrap(h.value("c_\(test.replacingOccurrences(of: "-", with: "_"))", as: Table.self).rows.first)
            XCTAssertTrue(["confirmed", "partly confirmed", "not confirmed"].contains(row[1]), "\(row)")
            XCTAssertTrue(row[2].contains("σ = 0.5"), row[2])
        }
    }

    func testAPlaneOnFewerRowsIsAControlTheStableClaimCompares() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: x\nkind: csv\npath: \(try clusters())\nlabels: last\nheader: false"))
        try h.run(cell("classifier", "id: net\ndata: x\nhidden: [8, 4]\nnoise: 0.5\nepochs: 6\nbatch: 32\nlr: 0.01\neval: 120\nsnapshots: 3"))
        try h.run(cell("information-plane", "id: p\nclassifier: net\nsamples: 300\nestimators: noise-aware\nbins: 10"))
        try h.run(cell("information-plane", "id: half\nclassifier: net\nsamples: 300\nestimators: noise-aware\nbins: 10\nrows: 60"))
        let full = try h.value("p.plane", as: InformationPlaneValue.self), half = try h.value("half.plane", as: InformationPlaneValue.self)
        XCTAssertEqual(full.evaluationRows, 120)
        XCTAssertEqual(half.evaluationRows, 60)
        XCTAssertEqual(half.rows.map(\.epoch), full.rows.map(\.epoch), "the same snapshots")
        for row in half.rows { XCTAssertLessThanOrEqual(try XCTUnwrap(row.inputInformation?.median), log(60) + 1e-9) }

        try h.run(cell("claim", "id: s\nstatement: the verdicts hold at half the rows\ntest: stable\nof: [p, half]"))
        let row = try XCTUnwrap(h.value("s", as: Table.self).rows.first)
        XCTAssertTrue(["confirmed", "partly confirmed", "not confirmed"].contains(row[1]), "\(row)")
        XCTAssertTrue(row[2].contains("`half` (n = 60) against n = 120"), row[2])
        XCTAssertTrue(row[3].contains("within one read-out"), row[3])

        XCTAssertThrowsError(try h.run(cell("claim", "id: s1\nstatement: one plane\ntest: stable\nof: [p]")))
        XCTAssertThrowsError(try h.run(cell("information-plane", "id: big\nclassifier: net\nrows: 500"))) { error in
            XCTAssertTrue("\(error)".contains("120 evaluation rows"), "\(error)")
        }
    }

    func testANoiselessClassifierHasNoInformationPlane() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: x\nkind: csv\npath: \(try clusters())\nlabels: last\nheader: false"))
        try h.run(cell("classifier", "id: net\ndata: x\nhidden: [4]\nnoise: 0\nepochs: 1\neval: 50\nsnapshots: 2"))
        XCTAssertThrowsError(try h.run(cell("information-plane", "id: p\nclassifier: net"))) { error in
            XCTAssertTrue("\(error)".contains("infinite"), "\(error)")
        }
    }
}
