import Datasets
@testable import Directives
import Foundation
import Linalg
import Notebook
@testable import Plot
import XCTest

/// Issue 17, what the directives put on the page: figures that say what a sweep concluded
/// (also as slides), captions that match the data, image samples across labels, ordinal
/// bins on a ramp with a legend title, dataset lines with the cell's seed and paths
/// relative to the notebook, notes that are not warnings.
final class ReportedFiguresTests: XCTestCase {
    private func cell(_ directive: String, _ body: String) -> String { "```{\(directive)}\n\(body)\n```" }

    /// Each row: true k, verdict, candidate → the labels of the vertical lines.
    func testEveryVerdictIsDrawnOnTheSweepsFigures() {
        let cases: [(k: Int?, verdict: Int?, candidate: Int?, labels: [String])] = [
            (3, 3, 3, ["verdict d = 3 = true k"]),
            (3, 4, 4, ["true k = 3", "verdict d = 4"]),
            (nil, 4, 4, ["verdict d = 4"]),
            (8, nil, 10, ["true k = 8", "candidate d = 10, not resolvable"]),
            (8, nil, 8, ["true k = 8 = candidate, not resolvable"]),
            (nil, nil, 1, ["candidate d = 1, not resolvable"]),
            (3, nil, nil, ["true k = 3"]),
            (nil, nil, nil, []),
        ]
        for c in cases {
            let lines = EntropyCurveReport.dimensionLines(trueDimension: c.k, verdict: c.verdict, candidate: c.candidate)
            XCTAssertEqual(lines.compactMap(\.label), c.labels, "k \(String(describing: c.k)), verdict \(String(describing: c.verdict))")
            XCTAssertTrue(lines.allSatisfy { $0.orientation == .vertical })
        }
    }

    /// One small sweep, one seed: the figures carry the verdict (and the h* threshold) in the
    /// slide PNG itself, nothing says "over seeds", and sampling the codes is a note.
    func testOneSeedSweepFiguresCarryTheVerdictAndSayNothingAboutSeeds() throws {
        let h = DirectiveHarness()
        let result = try h.runSmallSweep(extra: "sample: 200")
        let kink = try h.value("c.verdict", as: DimensionVerdictValue.self)
        let lines = EntropyCurveReport.dimensionLines(trueDimension: 1, verdict: kink.dimension, candidate: kink.candidate)
        XCTAssertFalse(lines.isEmpty, "a true k of 1 is always drawn")
        let figures = Dictionary(uniqueKeysWithValues: result.figures.map { ($0.name, $0) })
        for (name, curveID, extra) in [("entropy", "c", []), ("bandwidth", "c.bandwidth", [ReferenceLine.horizontal(1 / (2 * Double.pi * M_E).squareRoot(), label: "h* = 0.242")])] {
            let figure = try XCTUnwrap(figures[name], name)
            let chart = try LineChart(curve: try h.value(curveID, as: CurveValue.self), referenceLines: lines + extra)
            // The PNG on the slide is this chart, lines and labels included …
            let expected = try Figure(name: name, caption: figure.caption, chart: chart)
            XCTAssertEqual(figure.slidePNG, expected.slidePNG, "\(name): the slide PNG is the annotated chart")
            XCTAssertEqual(figure.reportPNG, expected.reportPNG, "\(name): so is the report's")
            // … and at slide size every label is drawn.
            let texts = try chart.recording(size: .slide).canvas.texts
            for label in (lines + extra).compactMap(\.label) { XCTAssertTrue(texts.contains(label), "\(name): \(label) on the slide") }
        }
        for figure in result.figures {
            XCTAssertFalse(figure.caption.contains("seeds"), "\(figure.name): “\(figure.caption)” for one seed")
        }
        let table = try h.value("c.table", as: Table.self)
        XCTAssertEqual(table.title, "H(d) per code dimension (one seed)")
        XCTAssertFalse(table.rows.joined().joined().contains("["), "no [min–max] range from one seed")
        let notes = result.outputs.compactMap { if case .note(let n) = $0 { n } else { nil } }
        let warnings = result.outputs.compactMap { if case .warning(let w) = $0 { w } else { nil } }
        XCTAssertTrue(notes.contains("Entropies are estimated on 200 of the 300 codes."), "\(notes)")
        XCTAssertFalse(warnings.contains { $0.contains("of the 300 codes") }, "how it was run is a note, not a warning")
    }

    /// The MNIST sample file is sorted by label: the first rows are all zeros. Drawn images
    /// take every label before any repeats, at random within a label, the same every time.
    func testImageSamplesAreDrawnAcrossLabels() {
        let labels = (0..<10).flatMap { Array(repeating: $0, count: 50) } // sorted, like the file
        let dataset = Dataset(name: "digits", points: Matrix(rows: 500, columns: 4), labels: labels)
        let picked = ImageSample.rows(10, of: dataset)
        XCTAssertEqual(picked.map { labels[$0] }, Array(0..<10), "one of each label, in label order")
        XCTAssertNotEqual(picked, (0..<10).map { $0 * 50 }, "not the first row of each label: drawn at random")
        XCTAssertEqual(ImageSample.rows(10, of: dataset), picked, "the same rows for a dataset and its reconstruction")
        let twentyFive = ImageSample.rows(25, of: dataset).map { labels[$0] }
        XCTAssertEqual(twentyFive.prefix(20).sorted(), (0..<10).flatMap { [$0, $0] }, "two rounds of every label before a third")
        XCTAssertEqual(Set(ImageSample.rows(25, of: dataset)).count, 25, "no row twice")
        let unlabelled = Dataset(name: "x", points: Matrix(rows: 500, columns: 4))
        XCTAssertEqual(Set(ImageSample.rows(10, of: unlabelled)).count, 10)
        XCTAssertNotEqual(ImageSample.rows(10, of: unlabelled), Array(0..<10))
        XCTAssertEqual(ImageSample.rows(10, of: Dataset(name: "small", points: Matrix(rows: 3, columns: 4))).count, 3)
    }

    /// The `mixing` data's sample: six ordinal bins of the latent coordinate on a dark-to-
    /// light ramp with a legend title, and a title that says what the data are.
    func testMixingSampleIsColouredByOrderedBinsWithALegendTitle() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: m\nkind: mixing\nk: 8\nambient: 16\nn: 300"))
        let dataset = try h.value("m", as: Dataset.self)
        XCTAssertEqual(dataset.name, "8-D latent mixed into R¹⁶")
        let (chart, caption) = try XCTUnwrap(try DatasetDirective.sampleScatter(dataset))
        XCTAssertEqual(chart.title, "8-D latent mixed into R¹⁶")
        XCTAssertFalse((chart.title ?? "").contains("→"))
        XCTAssertTrue(chart.orderedLabels)
        XCTAssertEqual(chart.legendTitle, "latent t₁, bin")
        XCTAssertEqual(chart.classes, ["1", "2", "3", "4", "5", "6"])
        XCTAssertTrue(caption.contains("six equal bins (1 = lowest, darkest)"), caption)
        // Drawn: every bin in its ramp colour, the legend titled.
        let canvas = try chart.recording(size: .report).canvas
        for k in 0..<6 {
            let colour = Palette.ordered(k, of: 6)
            // Each bin also has its own marker shape: circle, square, triangle, … (WCAG 1.4.1).
            XCTAssertTrue(canvas.operations.contains {
                switch $0 {
                case .circle(_, _, .some(colour), _), .rect(_, .some(colour), _), .polygon(_, .some(colour), _): true
                default: false
                }
            }, "bin \(k + 1)")
        }
        XCTAssertTrue(canvas.texts.contains("latent t₁, bin"))
        // Labelled data keep their categorical colours and no ordinal title.
        let labelled = try XCTUnwrap(try DatasetDirective.sampleScatter(Dataset(
            name: "two", points: Matrix((0..<40).map { [Float($0), Float($0 % 7)] }), labels: (0..<40).map { $0 % 2 }))).chart
        XCTAssertFalse(labelled.orderedLabels)
        XCTAssertNil(labelled.legendTitle)
    }

    /// The dataset line prints the seed the provenance list gives the cell, and the path of
    /// a loaded file relative to the notebook, not the machine's absolute path.
    func testDatasetLineHasTheCellSeedAndARelativePath() throws {
        let folder = "eb-dataset-line-\(UUID().uuidString)"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("points.csv")
        try (0..<20).map { "\($0),\($0 * 2),\($0 % 3)" }.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: g\nkind: swiss-roll\nn: 200"))
        let synthetic = try h.value("g", as: Dataset.self)
        XCTAssertTrue(synthetic.provenance.hasSuffix("; cell seed \(try XCTUnwrap(h.lastSeed))"), synthetic.provenance)
        XCTAssertEqual(synthetic.provenance.components(separatedBy: "seed").count - 1, 1, "one seed, the cell's: \(synthetic.provenance)")

        try h.run(cell("dataset", "id: f\nkind: csv\npath: \(file.path)"))
        let loaded = try h.value("f", as: Dataset.self)
        XCTAssertTrue(loaded.provenance.contains("\(folder)/points.csv"), loaded.provenance)
        XCTAssertFalse(loaded.provenance.contains(file.path), "no absolute path: \(loaded.provenance)")
        XCTAssertTrue(loaded.provenance.hasSuffix("; cell seed \(try XCTUnwrap(h.lastSeed))"), loaded.provenance)
    }
}
