@testable import Directives
import Foundation
import Notebook
import XCTest

/// Conclusions 4 and 5 through the real directives: a sweep with `corrdim: true` over three
/// seeds records the family of C(r) curves with the images' in it, draws the images' values
/// on the corrdim figure, and the claim rests on the three seeds.
final class CorrelationFamilyRunTests: XCTestCase {
    private func cell(_ directive: String, _ body: String) -> String { "```{\(directive)}\n\(body)\n```" }

    func sweep() throws -> DirectiveHarness {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: x\nkind: linear\nk: 2\nambient: 5\nn: 300"))
        try h.run(cell("corrdim", "id: xc\ndata: x\ncorrint: false"))
        try h.run(cell("entropy-curve", """
            id: c
            data: x
            dims: [1, 2, 3]
            repeats: 3
            monte-carlo: 0
            corrdim: true
            reference-corrdim: xc
            autoencoder: {hidden: [8], epochs: 2}
            """))
        return h
    }

    func testThreeSeedsGiveAFamilyOfCurvesOnePerDimensionWithTheImagesAndAClaimOnThreeSeeds() throws {
        let h = try sweep()
        let family = try h.value("c.correlation-family", as: CurveValue.self)
        XCTAssertEqual(family.series.map(\.name), ["1", "2", "3", "images"])
        for s in family.series {
            XCTAssertFalse(s.x.isEmpty, s.name)
            XCTAssertTrue(s.y.allSatisfy { $0 > 0 && $0 <= 1 }, "C(r) is a fraction of pairs: \(s.name)")
            XCTAssertEqual(s.x, s.x.sorted(), s.name)
            XCTAssertEqual(s.lower == nil, s.name == "images", "the codes' curves carry their spread over seeds")
        }
        // Rescaled by its median pair distance, the images' curve passes through (1, ½).
        let images = try XCTUnwrap(family.series.last)
        let i = try XCTUnwrap(images.x.indices.min { abs(log(images.x[$0])) < abs(log(images.x[$1])) })
        XCTAssertEqual(images.y[i], 0.5, accuracy: 0.15)

        let claim = try h.run(cell("claim", "id: c4\nstatement: continuous\ntest: corrdim-continuous\nof: [c]"))
        let outcome = try h.value("c4.outcome", as: ClaimValue.self)
        XCTAssertEqual(outcome.numbers.first { $0.name == "seeds" }?.value, 3)
        XCTAssertFalse(outcome.evidence.contains("the rule needs"), outcome.evidence)
        XCTAssertFalse(claim.outputs.isEmpty)
    }

    func testTheCorrdimFigureAndTheFamilyAreInTheReport() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: x\nkind: linear\nk: 2\nambient: 5\nn: 300"))
        try h.run(cell("corrdim", "id: xc\ndata: x\ncorrint: false"))
        let result = try h.run(cell("entropy-curve", """
            id: c
            data: x
            dims: [1, 2]
            repeats: 1
            monte-carlo: 0
            corrdim: true
            reference-corrdim: xc
            autoencoder: {hidden: [8], epochs: 2}
            """))
        let names = result.figures.map(\.name)
        XCTAssertTrue(names.contains("corrdim"))
        XCTAssertTrue(names.contains("correlation-family"))
        let corrdim = try XCTUnwrap(result.figures.first { $0.name == "corrdim" })
        XCTAssertTrue(corrdim.caption.contains("images' correlation dimension"), corrdim.caption)
        let family = try XCTUnwrap(result.figures.first { $0.name == "correlation-family" })
        XCTAssertTrue(family.caption.contains("one seed"), family.caption)
        XCTAssertTrue(family.csv.contains("images"))
    }

    /// Table-driven: every value conclusion 5 may compare with is a labelled line; the turning
    /// point of a V is drawn grey and said to be unused.
    func testReferenceLinesAreTheValuesTheClaimCompares() {
        let images = EstimateValue(name: "correlation dimension of mnist", value: 6.99)
        let rows: [(CorrdimReference, [String])] = [
            (CorrdimReference(images: images), ["images: 6.99"]),
            (CorrdimReference(images: images, secondRegion: EstimateValue(name: "second scaling region", value: 4.78)),
             ["images: 6.99", "images, second scaling region: 4.78"]),
            (CorrdimReference(images: images, turningPoint: 4.7),
             ["images: 6.99", "images, local slopes only turn at 4.7 (not a plateau: unused)"]),
        ]
        for (reference, labels) in rows {
            XCTAssertEqual(reference.lines.compactMap(\.label), labels)
            XCTAssertTrue(reference.lines.allSatisfy { $0.orientation == .horizontal })
            XCTAssertEqual(reference.caption.contains("two values"), reference.secondRegion != nil, reference.caption)
        }
    }
}
