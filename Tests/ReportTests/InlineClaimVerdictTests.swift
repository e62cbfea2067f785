import XCTest
@testable import Notebook
@testable import Report

/// Inline values of a claim (`{=c1.outcome}`, `.number.NAME`, `.threshold.NAME`) and of an
/// entropy curve's verdict (`{=k2.verdict}`, null → "not resolvable"), and the `%` format: what
/// presentation.md's and mnist.md's prose state their conclusions with.
final class InlineClaimVerdictTests: XCTestCase {
    let claim: JSONValue = ["kind": "claim", "statement": "It saturates", "outcome": "partly confirmed", "rule": "spread ≤ 15 %",
                            "evidence": "spread 26 %", "test": "corrdim-saturates",
                            "numbers": [["name": "tail spread", "value": 0.26], ["name": "tail mean", "value": 4.6]],
                            "thresholds": [["name": "flatness", "value": 0.15]]]

    func testClaimFields() {
        XCTAssertEqual(ProseReferences.resolve(claim, [])?.0, "partly confirmed")
        XCTAssertEqual(ProseReferences.resolve(claim, ["statement"])?.0, "It saturates")
        XCTAssertEqual(ProseReferences.resolve(claim, ["number", "tail-spread"])?.0, .number(0.26))
        XCTAssertEqual(ProseReferences.resolve(claim, ["number", "tail mean"])?.0, .number(4.6))
        XCTAssertEqual(ProseReferences.resolve(claim, ["threshold", "flatness"])?.0, .number(0.15))
        XCTAssertNil(ProseReferences.resolve(claim, ["number", "nothing"]))
        XCTAssertNil(ProseReferences.resolve(claim, ["number"]))
    }

    /// A verdict's fields as its declaration states them (the real one is
    /// `DimensionVerdictValue.declaration`, in Directives; the report reads whichever the
    /// cell's kind carries).
    func testVerdictFields() {
        let verdict = RecordDeclaration(kind: "verdict", doc: "a verdict", defaultField: "dimension", fields: [
            RecordField("dimension", .integer(nullable: true), inline: true, nullText: "not resolvable", doc: "d"),
            RecordField("candidate", .integer(nullable: true), inline: true, doc: "c"),
            RecordField("trueDimension", .integer(nullable: true), inline: true, doc: "k"),
            RecordField("explanation", .string(nullable: false), inline: true, doc: "why"),
        ])
        let resolved: JSONValue = ["kind": "verdict", "dimension": 7, "trueDimension": 8, "explanation": "≈ 7"]
        let unresolved: JSONValue = ["kind": "verdict", "dimension": .null, "candidate": 6, "explanation": "Not resolvable: …"]
        XCTAssertEqual(ProseReferences.resolve(resolved, [], declaration: verdict)?.0, .number(7))
        XCTAssertEqual(ProseReferences.resolve(resolved, ["trueDimension"], declaration: verdict)?.0, .number(8))
        XCTAssertEqual(ProseReferences.resolve(unresolved, [], declaration: verdict)?.0, "not resolvable")
        XCTAssertEqual(ProseReferences.resolve(unresolved, ["dimension"], declaration: verdict)?.0, "not resolvable")
        XCTAssertEqual(ProseReferences.resolve(unresolved, ["candidate"], declaration: verdict)?.0, .number(6))
        XCTAssertNil(ProseReferences.resolve(unresolved, ["candidate", "x"], declaration: verdict))
    }

    func testEstimateNameAndPercentFormat() {
        let estimate: JSONValue = ["kind": "estimate", "name": "TwoNN confirmed", "value": 0.947]
        XCTAssertEqual(ProseReferences.resolve(estimate, ["name"])?.0, "TwoNN confirmed")
        XCTAssertEqual(InlineFormat.apply("%", to: 0.947), "95 %")
        XCTAssertEqual(InlineFormat.apply("%", to: 1), "100 %")
        XCTAssertTrue(InlineFormat.isValid("%"))
        XCTAssertFalse(InlineFormat.isValid(".0%"))
    }
}
