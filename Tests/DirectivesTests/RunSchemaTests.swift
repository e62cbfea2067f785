import Directives
import Foundation
import Notebook
import XCTest

/// Issue 24: the committed schemas/run.schema.json describes every declared record exactly as
/// its declaration generates it. `ENTROPYBOOK_RECORD=1` rewrites the file's definitions of the
/// declared kinds (and the `oneOf` of `result`) from the declarations.
final class RunSchemaTests: XCTestCase {
    static let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas/run.schema.json")

    /// Every declared record the program writes: the engine's and those of the directives' results.
    static var declarations: [RecordDeclaration] {
        var seen = Set<String>(), out = [RecordDeclaration]()
        let kinds = DirectiveRegistry.all.flatMap { $0.results.map(\.kind) }
        for d in RecordDeclaration.engine + kinds.compactMap(\.declaration) where seen.insert(d.kind).inserted { out.append(d) }
        return out
    }

    func testCommittedSchemaEqualsTheGeneratedDefinitions() throws {
        var schema = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: Self.schemaURL))
        guard case .object(var top) = schema, case .object(var definitions)? = top["definitions"] else {
            return XCTFail("schemas/run.schema.json has no definitions")
        }
        if ProcessInfo.processInfo.environment["ENTROPYBOOK_RECORD"] != nil {
            try Self.record(Self.declarations)
            schema = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: Self.schemaURL))
            guard case .object(let t) = schema, case .object(let d)? = t["definitions"] else { return XCTFail("rewrite lost the definitions") }
            (top, definitions) = (t, d)
        }
        var oneOf = [JSONValue]()
        if case .array(let a)? = definitions["result"]?["oneOf"] { oneOf = a }
        let references = Set(oneOf.compactMap { $0["$ref"]?.stringValue })
        XCTAssertGreaterThanOrEqual(Self.declarations.count, 5)
        for d in Self.declarations {
            XCTAssertEqual(definitions[d.kind], d.schema, "the schema's `\(d.kind)` is not what its declaration generates (ENTROPYBOOK_RECORD=1 to rewrite)")
            XCTAssertTrue(references.contains("#/definitions/\(d.kind)"), "`result` does not list `\(d.kind)`")
        }
        for (name, generated) in RecordDeclaration.sharedDefinitions {
            XCTAssertEqual(definitions[name], generated, "the schema's `\(name)` is not what the declarations generate (ENTROPYBOOK_RECORD=1 to rewrite)")
        }
        for kind in [ValueKind.curve, .histogram, .table] {
            XCTAssertNotNil(Self.declarations.first { $0.kind == kind.name }, "`\(kind)` has no declaration")
        }
    }

    /// Replaces each declared kind's definition in the file's text (`    "KIND": {…}` at the
    /// definitions' indentation, found by matching braces outside strings) by the generated
    /// one on one line, so the rest of the hand-formatted file stays as it is.
    static func record(_ declarations: [RecordDeclaration]) throws {
        var text = try String(contentsOf: schemaURL, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let definitions = declarations.map { ($0.kind, $0.schema) } + RecordDeclaration.sharedDefinitions.sorted { $0.key < $1.key }
        for (name, schema) in definitions {
            let generated = String(decoding: try encoder.encode(schema), as: UTF8.self)
            let opening = "\n    \"\(name)\": "
            guard let start = text.range(of: opening) else { continue }
            var depth = 0, inString = false, escaped = false
            var index = start.upperBound
            while index < text.endIndex {
                let c = text[index]
                if inString {
                    if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                } else if c == "\"" { inString = true } else if c == "{" { depth += 1 } else if c == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                index = text.index(after: index)
            }
            guard index < text.endIndex else { continue }
            text.replaceSubrange(start.upperBound...index, with: generated)
        }
        try text.write(to: schemaURL, atomically: true, encoding: .utf8)
    }

    /// Each declared value's record holds exactly its declared fields.
    func testRecordsHoldExactlyTheDeclaredFields() {
        let estimate = EstimateValue(name: "x", value: 1, details: [.init("n", 3)]).record
        XCTAssertEqual(estimate.objectKeys, Set(["kind"] + RecordDeclaration.estimate.fields.map(\.name)))
        let claim = ClaimValue(statement: "s", test: "kink", outcome: .confirmed, rule: "r", thresholds: [], numbers: [], evidence: "e").record
        XCTAssertEqual(claim.objectKeys, Set(["kind"] + RecordDeclaration.claim.fields.map(\.name)))
        let curve = CurveValue(title: "t", xLabel: "x", yLabel: "y", series: [Series(name: "a", x: [1, 2], y: [3, 4], lower: [2, 3], upper: [4, 5])]).record
        XCTAssertEqual(curve.objectKeys, Set(["kind"] + RecordDeclaration.curve.fields.map(\.name)))
        guard case .records(let seriesFields) = RecordDeclaration.Curve.series.type else { return XCTFail("a curve's series are not sub-records") }
        XCTAssertEqual(curve[RecordDeclaration.Curve.series.name]?.arrayValue?.first?.objectKeys, Set(seriesFields.map(\.name)))
        let histogram = HistogramValue(title: "t", xLabel: "x", edges: [0, 1], groups: [.init(name: "g", values: [1])], normalized: true).record
        XCTAssertEqual(histogram.objectKeys, Set(["kind"] + RecordDeclaration.histogram.fields.map(\.name)))
        let table = Table(title: "t", columns: ["name", "H (nats)"], rows: [["a", "1.5"]]).record
        XCTAssertEqual(table.objectKeys, Set(["kind"] + RecordDeclaration.table.fields.map(\.name)))
        XCTAssertEqual(Table.StoredRecord(table)?.value(row: "a", column: "h-nats")?.0, .number(1.5))
        XCTAssertEqual(Table.StoredRecord(table)?.value(row: "a", column: "h-nats")?.1, "nats")
    }
}

private extension JSONValue {
    var objectKeys: Set<String> { if case .object(let o) = self { Set(o.keys) } else { [] } }
}
