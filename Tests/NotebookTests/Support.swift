import Directives
import Foundation
import TestSupport
import XCTest
@testable import Notebook

/// A directive with one parameter of every type, for validation tests.
enum ProbeDirective: Directive {
    static let name = "probe"
    static let summary = "test directive"
    static let parameters: [Parameter] = [
        Parameter("count", .int(1...1000), default: .int(10), doc: "a count"),
        Parameter("ratio", .double(0...1), doc: "a ratio"),
        Parameter("mode", .choice(["fast", "exact"]), default: .string("fast"), doc: "a mode"),
        Parameter("dims", .intList(1...64), doc: "dimensions"),
        Parameter("window", .choiceOrNumbers(["auto"], count: 2), default: .string("auto"), doc: "a window"),
        Parameter("data", .reference([.dataset]), doc: "input"),
        Parameter("needed", .bool, doc: "a flag"),
        Parameter("nested", .object([Parameter("epochs", .int(1...100), default: .int(5), doc: "epochs")]), doc: "nested settings"),
    ]
    static let results: [ResultSlot] = [ResultSlot(kind: .dataset, doc: "a dataset"), ResultSlot("side", kind: .estimate, doc: "a number")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult { CellResult() }
}

/// A directive with a required parameter.
enum StrictDirective: Directive {
    static let name = "strict"
    static let summary = "test directive with a required key"
    static let parameters: [Parameter] = [Parameter("path", .string, required: true, doc: "a file")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult { CellResult() }
}

let testRegistry: [any Directive.Type] = [ProbeDirective.self, StrictDirective.self, ConfigDirective.self, TableDirective.self]

/// Parses and validates `source`, returning the diagnostics' descriptions (sorted by line).
func diagnostics(of source: String, overrides: [String: String] = [:]) -> [String] {
    let (document, parseDiagnostics) = NotebookParser.parse(source, file: "nb.md")
    switch Validator(overrides: overrides, registry: testRegistry).plan(document) {
    case .success(let plan): return (parseDiagnostics + plan.warnings).map(\.description)
    case .failure(let f): return (parseDiagnostics + f.diagnostics).sorted { $0.location.line < $1.location.line }.map(\.description)
    }
}

/// The fixture's text, from Tests/NotebookTests/Fixtures.
func fixture(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
}

