import Foundation
import XCTest
@testable import Notebook
@testable import Report
@testable import Runs

/// A fixture value whose one field's name can be changed, as a developer would rename it in
/// the declaration.
struct ScoreValue: NotebookValue {
    nonisolated(unsafe) static var fieldName = "score"
    static var declaration: RecordDeclaration {
        RecordDeclaration(kind: "score", doc: "a fixture: one number", defaultField: fieldName, fields: [
            RecordField(fieldName, .number, unit: "nats", inline: true, doc: "the score"),
            RecordField("label", .string(nullable: false), doc: "what was scored"),
        ])
    }
    static var kind: ValueKind { ValueKind(declaration) }
    /// The field as readers name it (the README's blocks name theirs by such constants).
    static var scoreField: RecordField { declaration.fields[0] }
    var score: Double
    var summary: String { "score \(score)" }
    var record: JSONValue { Self.declaration.record([Self.fieldName: .number(score), "label": "fixture"]) }
}

enum ScoreDirective: Directive {
    static let name = "score"
    static let summary = "test: stores a ScoreValue"
    static let parameters: [Parameter] = []
    static var results: [ResultSlot] { [ResultSlot(kind: ScoreValue.kind, doc: "the score")] }
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        CellResult(values: ["": ScoreValue(score: 2.5)])
    }
}

/// Issue 24: a field is named once, in its record's declaration. Renamed there, run.json,
/// the prose's inline values (validation and the report) and the generated schema follow.
final class DeclaredFieldTests: XCTestCase {
    override func tearDown() { ScoreValue.fieldName = "score" }

    private func run(prose: String) throws -> (Result<Plan, ValidationFailure>, JSONValue?) {
        let markdown = "```{score}\nid: s\n```\n\n" + prose + "\n"
        let (document, _) = NotebookParser.parse(markdown, file: "nb.md")
        let planned = Validator(registry: [ScoreDirective.self]).plan(document)
        guard case .success(let plan) = planned else { return (planned, nil) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("entropybook-fields-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        try NotebookRun(plan: plan, notebookPath: "nb.md", outputDirectory: out,
                        templates: try Templates(directory: templates), dataDirectory: out).run()
        return (planned, try RunDiff.load(out.path))
    }

    func testRenamingAFieldInItsDeclarationRenamesItEverywhere() throws {
        for name in ["score", "rating"] {
            ScoreValue.fieldName = name
            // run.json and the prose follow the declaration.
            let (_, manifest) = try run(prose: "It is `{=s.\(name):.1f}`; bare, `{=s}`.")
            let cell = manifest?["cells"]?.arrayValue?.first
            XCTAssertEqual(cell?["results"]?["s"]?[name], .number(2.5), "run.json names the field `\(name)`")
            let inline = manifest?["inlineValues"]?.arrayValue ?? []
            XCTAssertEqual(inline.map { $0["text"] }, ["2.5 nats", "2.5 nats"])
            // The old name is refused before anything runs, with the new one suggested.
            let other = name == "score" ? "rating" : "score"
            guard case .failure(let failure) = try run(prose: "It is `{=s.\(other)}`.").0 else { return XCTFail("`\(other)` passed check") }
            XCTAssertTrue(failure.diagnostics.contains { $0.message.contains("no field `\(other)`") && $0.message.contains(name) },
                          failure.diagnostics.map(\.message).joined(separator: "\n"))
            // A reader of the stored record (as the README's blocks read theirs) names the
            // field by its declared constant and follows; the record under the old name is refused.
            let record = try XCTUnwrap(cell?["results"]?["s"])
            XCTAssertEqual(try DeclaredRecord(record, as: ScoreValue.declaration)[ScoreValue.scoreField], .number(2.5))
            guard case .object(var renamed) = record else { return XCTFail("not an object") }
            renamed[other] = renamed.removeValue(forKey: name)
            XCTAssertThrowsError(try DeclaredRecord(.object(renamed), as: ScoreValue.declaration)) {
                XCTAssertTrue("\($0)".contains("without the declared field `\(name)`"), "\($0)")
            }
            // The schema generated from the declaration.
            XCTAssertNotNil(ScoreValue.declaration.schema["properties"]?[name])
            XCTAssertNil(ScoreValue.declaration.schema["properties"]?[other])
            XCTAssertEqual(ScoreValue.declaration.schema["required"], ["kind", .string(name), "label"])
        }
    }
}
