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
    }

    /// Replaces each declared kind's definition in the file's text (`    "KIND": {…}` at the
    /// definitions' indentation, found by matching braces outside strings) by the generated
    /// one on one line, so the rest of the hand-formatted file stays as it is.
    static func record(_ declarations: [RecordDeclaration]) throws {
        var text = try String(contentsOf: schemaURL, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for d in declarations {
            let generated = String(decoding: try encoder.encode(d.schema), as: UTF8.self)
            let opening = "\n    \"\(d.kind)\": "
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
    }
}

private extension JSONValue {
    var objectKeys: Set<String> { if case .object(let o) = self { Set(o.keys) } else { [] } }
}
