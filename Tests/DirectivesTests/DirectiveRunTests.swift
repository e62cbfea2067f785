import Datasets
import Directives
import Foundation
import Notebook
import XCTest

/// Every directive's `run` on tiny inputs, with its values and outputs asserted against
/// what the data's construction implies (issue 13, item 6). Sizes are small: the whole
/// class runs in a few seconds.
final class DirectiveRunTests: XCTestCase {
    private func cell(_ directive: String, _ body: String) -> String { "```{\(directive)}\n\(body)\n```" }

    func testConfigSetsTheRunSettings() throws {
        let h = DirectiveHarness()
        let result = try h.run(cell("config", "threads: 1\nquick: true"))
        let rows = try XCTUnwrap(result.tables.first).rows
        XCTAssertTrue(rows.contains(["threads", "1"]), "\(rows)")
        XCTAssertTrue(rows.contains(["quick", "true"]), "\(rows)")
    }

    func testDatasetHasTheRequestedShapeAndTrueDimension() throws {
        let h = DirectiveHarness()
        let result = try h.run(cell("dataset", "id: g\nkind: linear\nk: 3\nambient: 7\nn: 250"))
        let g = try h.value("g", as: Dataset.self)
        XCTAssertEqual(g.count, 250)
        XCTAssertEqual(g.dimension, 7)
        XCTAssertEqual(g.intrinsicDimension, 3)
        XCTAssertEqual(result.metric("points"), 250)
        XCTAssertEqual(result.metric("true intrinsic dimension"), 3)
    }

    func testEntropyOfAStandardGaussianIsItsClosedForm() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: g\nkind: gaussian\nk: 2\nn: 2000"))
        let closedForm = log(2 * Double.pi * M_E) // ½·d·ln(2πe) with d = 2
        for estimator in ["kde-loo", "knn"] {
            try h.run(cell("entropy", "id: h_\(estimator.replacingOccurrences(of: "-", with: "_"))\ndata: g\nestimator: \(estimator)"))
            let e = try h.value("h_\(estimator.replacingOccurrences(of: "-", with: "_"))", as: EstimateValue.self)
            XCTAssertEqual(e.value, closedForm, accuracy: 0.1, estimator)
            XCTAssertEqual(e.unit, "nats")
        }
    }

    func testAutoencoderStoresModelCodesAndAFallingLoss() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: x\nkind: linear\nk: 2\nambient: 6\nn: 400"))
        let result = try h.run(cell("autoencoder", "id: ae\ndata: x\ncode: 2\nhidden: [16]\nepochs: 8\nbatch: 32\nlr: 0.01"))
        let codes = try h.value("ae.codes", as: Dataset.self)
        XCTAssertEqual(codes.count, 400)
        XCTAssertEqual(codes.dimension, 2)
        let loss = try h.value("ae.loss", as: CurveValue.self)
        let training = try XCTUnwrap(loss.series.first).y
        XCTAssertEqual(training.count, 8)
        XCTAssertLessThan(try XCTUnwrap(training.last), training[0] / 2, "training should at least halve the loss")
        XCTAssertEqual(result.metric("epochs"), 8)
        XCTAssertEqual(result.figures.count, 1) // loss only: the data are not images
    }

    func testEntropyCurveSweepsEveryDimensionAndGivesAVerdictValue() throws {
        let h = DirectiveHarness()
        let result = try h.runSmallSweep()
        let curve = try h.value("c", as: CurveValue.self)
        XCTAssertEqual(curve.series.first?.x, [1, 2, 3])
        XCTAssertEqual(try h.value("c.table", as: Table.self).rows.count, 3)
        let verdict = try h.value("c.dimension", as: EstimateValue.self)
        XCTAssertTrue(verdict.value.isNaN || (1...3).contains(verdict.value), "\(verdict.value)")
        XCTAssertFalse(result.figures.isEmpty)
    }

    func testDimensionEstimatesOfACubeAreNearItsDimension() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: cube\nkind: uniform-cube\nk: 3\nn: 1500"))
        try h.run(cell("dimension", "id: dims\ndata: cube\nmethods: [mle, twonn, pca]"))
        let table = try h.value("dims", as: Table.self)
        XCTAssertEqual(table.rows.map { $0[0] }, ["MLE (Levina–Bickel)", "TwoNN", "PCA"])
        for row in table.rows {
            let value = try XCTUnwrap(Double(row[1]), "\(row)")
            XCTAssertEqual(value, 3, accuracy: 0.5, row[0])
        }
    }

    /// The issue-27 methods: row labels, numbers near k on a clean cube (a cube's faces pull
    /// every estimator a little low; 0.6 covers that at n = 800), and the ID-against-scale
    /// curve stored beside the table.
    func testScaleAwareDimensionMethodsOfACube() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: cube\nkind: uniform-cube\nk: 3\nn: 800"))
        try h.run(cell("dimension", "id: dims\ndata: cube\nmethods: [auto, danco, ess, mind-ml, gride]"))
        let table = try h.value("dims", as: Table.self)
        XCTAssertEqual(table.rows.count, 7)
        XCTAssertTrue(table.rows[0][0].hasPrefix("auto ("), table.rows[0][0])
        XCTAssertEqual(table.rows.dropFirst().map { $0[0] }, ["DANCo", "ESS", "MiND-ML", "Gride", "Gride, smallest scale", "Gride, largest scale"])
        for row in table.rows {
            let value = try XCTUnwrap(Double(row[1]), "\(row)")
            XCTAssertEqual(value, 3, accuracy: 0.6, row[0])
        }
        let scale = try h.value("dims.scale", as: CurveValue.self)
        XCTAssertEqual(scale.series[0].x.count, 6) // Gride at n₁ = 1 … 32
    }

    /// Where `auto` cannot answer (the (12, 72) benchmark set: Gride's plateau sits in the
    /// finite-sample bias and DANCo and ESS disagree), its row says "not resolvable" instead of
    /// a number, and the note and the warning give the readings.
    func testUnresolvableAutoShowsNoNumber() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: m8\nkind: nonlinear\nk: 12\nambient: 72\nn: 1000\nseed: 3"))
        let result = try h.run(cell("dimension", "id: dims\ndata: m8\nmethods: [auto]"))
        let table = try h.value("dims", as: Table.self)
        XCTAssertEqual(table.cells[0][1], .verdict("not resolvable"), "\(table.rows[0])")
        XCTAssertTrue(table.rows[0][3].contains("DANCo"), table.rows[0][3])
        XCTAssertTrue(result.outputs.contains { if case .warning(let w) = $0 { w.hasPrefix("auto: the dimension is not resolvable.") } else { false } })
    }

    func testCorrelationDimensionOfAPlaneIsTwo() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: plane\nkind: uniform-cube\nk: 2\nn: 1500"))
        try h.run(cell("corrdim", "id: cd\ndata: plane\nradii: 24"))
        XCTAssertEqual(try h.value("cd", as: EstimateValue.self).value, 2, accuracy: 0.3)
        XCTAssertFalse(try h.value("cd.curve", as: CurveValue.self).series.isEmpty)
    }

    func testDistanceHistogramIsADensity() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: g\nkind: gaussian\nk: 3\nn: 300"))
        try h.run(cell("distances", "id: dist\ndata: g\nbins: 20"))
        let histogram = try h.value("dist", as: HistogramValue.self)
        let group = try XCTUnwrap(histogram.groups.first)
        let mass = zip(group.values, zip(histogram.edges, histogram.edges.dropFirst())).map { $0 * ($1.1 - $1.0) }.reduce(0, +)
        XCTAssertEqual(mass, 1, accuracy: 1e-6)
        XCTAssertEqual(group.values.count, 20)
    }

    func testPlotDrawsAFigureWithItsCSV() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: g\nkind: gaussian\nk: 2\nn: 200"))
        try h.run(cell("distances", "id: dist\ndata: g\nbins: 10"))
        let result = try h.run(cell("plot", "of: dist\ntitle: Distances"))
        let figure = try XCTUnwrap(result.figures.first)
        XCTAssertEqual(Array(figure.reportPNG.prefix(4)), [0x89, 0x50, 0x4E, 0x47]) // PNG signature
        XCTAssertEqual(figure.csv.split(separator: "\n").count, 11) // header + 10 bins
    }

    func testTableSetsEstimatesSideBySide() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: g\nkind: gaussian\nk: 2\nn: 500"))
        try h.run(cell("entropy", "id: a\ndata: g\nestimator: knn"))
        try h.run(cell("entropy", "id: b\ndata: g\nestimator: kde-resub"))
        try h.run(cell("table", "id: t\nof: [a, b]"))
        let table = try h.value("t", as: Table.self)
        XCTAssertEqual(table.rows.count, 2)
        let a = try h.value("a", as: EstimateValue.self)
        XCTAssertTrue(table.rows[0].contains { $0.hasPrefix(String(format: "%.3f", a.value).prefix(4)) }, "\(table.rows[0])")
    }

    func testClaimJudgesASweepFromItsNumbers() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: x\nkind: linear\nk: 1\nambient: 4\nn: 300"))
        try h.run(cell("entropy-curve", "id: c\ndata: x\ndims: [1, 2, 3]\nrepeats: 1\nmonte-carlo: 0\nautoencoder: {hidden: [8], epochs: 2}"))
        let result = try h.run(cell("claim", "id: k\nstatement: H(d) has a kink\ntest: kink\nof: [c]"))
        let table = try XCTUnwrap(result.tables.first ?? (try? h.value("k", as: Table.self)))
        XCTAssertEqual(table.rows.count, 1)
        XCTAssertEqual(table.rows[0].first, "H(d) has a kink")
        // The typed outcome agrees with the sweep's typed verdict: a kink exactly when it has a number.
        let claim = try h.value("k.outcome", as: ClaimValue.self)
        let verdict = try h.value("c.verdict", as: DimensionVerdictValue.self)
        XCTAssertEqual(claim.outcome, verdict.dimension == nil ? .notConfirmed : .confirmed, claim.evidence)
        XCTAssertEqual(claim.numbers.first?.value.isNaN, verdict.dimension == nil)
        XCTAssertFalse(claim.rule.isEmpty)
    }

    func testVerdictCalibrationScoresEveryMethodInQuickMode() throws {
        let h = DirectiveHarness()
        h.quick = true
        let result = try h.run(cell("verdict-calibration", "id: cal\nsigmas: [0.2]\npositions: [0.5]"))
        let summary = try h.value("cal", as: Table.self)
        // Two sets (helix, swiss roll) × n = 300 × one seed.
        XCTAssertEqual(try h.value("cal.cases", as: Table.self).rows.count, 2)
        XCTAssertTrue(summary.rows.contains { $0[0].hasPrefix("TwoNN") })
        XCTAssertTrue(summary.rows.contains { $0[0].hasSuffix("(default)") })
        XCTAssertFalse(result.tables.isEmpty)
    }
}
