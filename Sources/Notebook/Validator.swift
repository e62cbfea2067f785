import FileAccess
import Foundation
import Linalg
import Yams

/// Turns a parsed `Document` into a `Plan`, or into every problem found at once: unknown
/// directive or key (with a did-you-mean), wrong type or range, missing required key,
/// a reference to an id that is not defined earlier, a duplicate id. Nothing runs here.
public struct Validator {
    /// `-p key=value` overrides from the command line.
    public var overrides: [String: String]
    /// The directives a notebook may use. The engine knows none of its own: the CLI passes
    /// `DirectiveRegistry.all` (module Directives), tests pass their own.
    public var registry: [any Directive.Type]
    /// The memory limit every cell's estimate is checked against.
    public var budget: ResourceBudget
    /// Where the notebook's files are and which it may read; `nil` skips the read
    /// confinement check here (the run still checks every path before reading it).
    public var locations: FileLocations?
    /// `--trust`: the front matter's `allow-read` directories count as allowed.
    public var trust: Bool

    public init(overrides: [String: String] = [:], registry: [any Directive.Type],
                budget: ResourceBudget = .default, locations: FileLocations? = nil, trust: Bool = false) {
        self.overrides = overrides
        self.registry = registry
        self.budget = budget
        self.locations = locations
        self.trust = trust
    }

    /// Keys every directive accepts.
    static let commonParameters: [Parameter] = [
        Parameter("id", .string, doc: "name of this cell's result, for later cells"),
        Parameter("caption", .string, doc: "caption shown under the cell's output"),
        Parameter("echo", .bool, default: .bool(true), doc: "show the directive's source (folded) in the report"),
        Parameter("seed", .int(0...Int(Int32.max)), doc: "seed of this cell's random draws (default: derived from the notebook seed and the cell's id)"),
    ]

    /// The validation stages, in order: `-p` overrides of the notebook's parameters, then
    /// each cell (body, references, the directive's own checks, ids, `{config}` settings),
    /// the command-line settings, the memory budget and the seeds. Every problem of every
    /// stage is collected before the notebook is refused.
    public func plan(_ document: Document) -> Result<Plan, ValidationFailure> {
        var builder = PlanBuilder(validator: self, document: document, access: readAccess(for: document))
        builder.applyParameterOverrides()
        for (index, cell) in document.cells.enumerated() { builder.planCell(index, cell) }
        builder.applyCommandLineSettings()
        builder.checkMemoryBudget()
        builder.checkTimeBudget()
        builder.deriveSeeds()
        builder.generateIDs()
        builder.diagnostics += ProseReferenceCheck(document: document, cells: builder.cells).diagnostics()

        let errors = builder.diagnostics.filter { $0.severity == .error }
        let warnings = builder.diagnostics.filter { $0.severity != .error }
        if !errors.isEmpty { return .failure(ValidationFailure(diagnostics: builder.diagnostics)) }
        var plan = Plan(document: document, cells: builder.cells, settings: builder.settings, warnings: warnings,
                        allowedReadDirectories: builder.access?.locations.allowedDirectories ?? [])
        plan.estimates = builder.estimates
        plan.readLimits = readLimits
        return .success(plan)
    }

    /// What the readers may take in: the standard limits, or less under a small memory
    /// budget (files are sized when read, so the readers stop at the budget too).
    var readLimits: ReadLimits {
        let budgeted = ReadLimits(memoryBudget: Int(min(budget.memoryLimit, 1e15)))
        return budgeted.fileBytes < ReadLimits.standard.fileBytes ? budgeted : .standard
    }

    func commandLineError(_ key: String, _ value: String, _ expected: String, _ document: Document) -> Diagnostic {
        Diagnostic(at: SourceLocation(file: document.file, line: 1), "`-p \(key)=\(value)`: \(key) must be \(expected)")
    }

    /// Every reference in the arguments (nested objects included): key path, id, kinds, and
    /// the words the parameter takes instead of an id (`referenceOrWord`).
    func references(in arguments: Arguments, parameters: [Parameter], prefix: String = "") -> [(String, String, [ValueKind], words: [String])] {
        var out = [(String, String, [ValueKind], words: [String])]()
        for p in parameters {
            guard let value = arguments.values[p.name] else { continue }
            switch (p.type, value) {
            case (.reference(let kinds), .reference(let id)): out.append((prefix + p.name, id, kinds, []))
            case (.referenceOrWord(let kinds, let words), .reference(let id)): out.append((prefix + p.name, id, kinds, words))
            case (.referenceList(let kinds), .list(let items)):
                for case .reference(let id) in items { out.append((prefix + p.name, id, kinds, [])) }
            case (.object(let nested), .object(let values)):
                out += references(in: Arguments(values: values), parameters: nested, prefix: prefix + p.name + ".")
            default: break
            }
        }
        return out
    }

    func laterDefinition(of id: String, after index: Int, in cells: [Document.DirectiveCell]) -> Int? {
        laterDefinition(of: id, after: index, among: Self.definitions(in: cells))
    }

    /// The line of the first cell after `index` whose body defines `id`'s base, from
    /// `definitions(in:)`.
    func laterDefinition(of id: String, after index: Int, among definitions: [String: [(index: Int, line: Int)]]) -> Int? {
        let base = id.split(separator: ".").first.map(String.init) ?? id
        return definitions[base]?.first { $0.index > index }?.line
    }

    /// Every `id: NAME` line of every cell body, by name, in cell order: one pass over the
    /// bodies, so a notebook with many dangling references is not scanned once per reference.
    static func definitions(in cells: [Document.DirectiveCell]) -> [String: [(index: Int, line: Int)]] {
        var out = [String: [(index: Int, line: Int)]]()
        for (index, cell) in cells.enumerated() {
            for line in cell.body.split(separator: "\n") {
                // Cheap test first: a body line may be 300 000 characters long.
                guard line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("id: ") else { continue }
                let t = line.trimmingCharacters(in: .whitespaces)
                var name = t.dropFirst(4).trimmingCharacters(in: .whitespaces)
                if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
                if out[name]?.last?.index != index { out[name, default: []].append((index, cell.location.line)) }
            }
        }
        return out
    }
}

/// Every error (and warning) found by validation.
public struct ValidationFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

/// The longest id: ids become file names (`figures/ID.png`, `data/ID.csv`), and every file
/// system takes 64 ASCII characters with room to spare.
let maximumIdentifierLength = 64

/// ASCII letters, digits, `_` and `-`, starting with a letter. ASCII only: ids become file
/// names and anchors, and look-alike letters would make two ids that read the same.
func isValidIdentifier(_ s: String) -> Bool {
    guard let first = s.unicodeScalars.first, first.isASCII, CharacterSet.letters.contains(first),
          s.unicodeScalars.count <= maximumIdentifierLength else { return false }
    return s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
}
