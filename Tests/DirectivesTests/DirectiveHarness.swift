import Directives
import Foundation
import Notebook
import XCTest

/// Runs directive cells one at a time through the real validator and each directive's own
/// `run`, keeping the values they store, so a test can assert on numbers (not only on a
/// report): `try harness.run("```{dataset}\nid: g\nkind: gaussian\n```")`.
final class DirectiveHarness {
    private(set) var source = ""
    private(set) var environment: [String: any NotebookValue] = [:]
    var quick = false
    /// The seed the plan gave the cell run last (the report's "Cell seeds" list shows it).
    private(set) var lastSeed: UInt64?
    private let directory = FileManager.default.temporaryDirectory

    /// Appends `cell` to the notebook, validates the whole notebook, runs the new cell with
    /// the values of the earlier ones and stores its values under `id` and `id.suffix`.
    @discardableResult
    func run(_ cell: String) throws -> CellResult {
        source += cell.trimmingCharacters(in: .newlines) + "\n\n"
        let (document, parseDiagnostics) = NotebookParser.parse(source, file: "nb.md")
        XCTAssertTrue(parseDiagnostics.isEmpty, "\(parseDiagnostics)")
        var overrides = ["seed": "7"]
        if quick { overrides["quick"] = "true" }
        let plan: Plan
        switch Validator(overrides: overrides, registry: DirectiveRegistry.all).plan(document) {
        case .success(let p): plan = p
        case .failure(let f): throw HarnessError(f.diagnostics.map(\.description).joined(separator: "\n"))
        }
        guard let planned = plan.cells.last else { throw HarnessError("no cell") }
        let context = CellContext(cellID: planned.id, seed: planned.seed, settings: plan.settings,
                                  notebookDirectory: directory, dataDirectory: directory,
                                  environment: environment, arguments: planned.arguments)
        lastSeed = planned.seed
        let result = try planned.directive.run(planned.arguments, context: context)
        if let id = planned.id {
            for (suffix, value) in result.values { environment[suffix.isEmpty ? id : "\(id).\(suffix)"] = value }
        }
        return result
    }

    /// The tests' small sweep: a line in R⁴ (n = 300) as `x`, and `{entropy-curve}` `c` over
    /// d = 1, 2, 3 with one seed, no Monte-Carlo and a tiny autoencoder; `extra` adds lines.
    @discardableResult
    func runSmallSweep(extra: String = "") throws -> CellResult {
        try run("```{dataset}\nid: x\nkind: linear\nk: 1\nambient: 4\nn: 300\n```")
        return try run("""
            ```{entropy-curve}
            id: c
            data: x
            dims: [1, 2, 3]
            repeats: 1
            monte-carlo: 0
            autoencoder: {hidden: [8], epochs: 3, batch: 64}
            \(extra.isEmpty ? "" : extra + "\n")```
            """)
    }

    func value<T: NotebookValue>(_ id: String, as type: T.Type = T.self) throws -> T {
        guard let v = environment[id] as? T else { throw HarnessError("no \(T.kind) stored under \(id)") }
        return v
    }

    struct HarnessError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

extension CellResult {
    var figures: [Figure] { outputs.compactMap { if case .figure(let f) = $0 { f } else { nil } } }
    var metrics: [Metric] { outputs.compactMap { if case .metric(let m) = $0 { m } else { nil } } }
    var tables: [Table] { outputs.compactMap { if case .table(let t) = $0 { t } else { nil } } }
    func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }
}
