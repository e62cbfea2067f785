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

    public func plan(_ document: Document) -> Result<Plan, ValidationFailure> {
        var diagnostics = [Diagnostic]()
        var settings = RunSettings(seed: document.frontMatter.seed ?? 0,
                                   threads: document.frontMatter.threads ?? 2,
                                   quick: document.frontMatter.quick ?? false,
                                   parameters: document.frontMatter.params)
        var cells = [PlannedCell]()
        var defined = [String: (kind: ValueKind, line: Int)]()
        var shapes = [String: DataShape]()
        var estimated = [(cell: Int, arguments: Arguments, directive: any Directive.Type, referenced: [String: String], id: String?)]()
        let allCells = document.cells
        let access = readAccess(for: document)

        // Command-line overrides of the notebook's own parameters apply before anything
        // refers to them; seed/threads/quick are applied after {config} cells below.
        for (k, v) in overrides where !["seed", "threads", "quick"].contains(k) {
            if settings.parameters[k] == nil {
                let known = settings.parameters.keys.sorted()
                diagnostics.append(Diagnostic(at: SourceLocation(file: document.file, line: 1),
                    "`-p \(k)=\(v)`: the notebook has no parameter `\(k)`" + suggestion(for: k, among: known + ["seed", "threads", "quick"])
                    + (known.isEmpty ? " (it declares none; add `params:` to its front matter)" : " (it declares: \(known.joined(separator: ", ")))")))
            }
            settings.parameters[k] = v
        }

        for (index, cell) in allCells.enumerated() {
            let sourceLine = document.line(cell.location.line)
            guard let directive = registry.first(where: { $0.name == cell.name }) else {
                diagnostics.append(Diagnostic(at: cell.location, directive: cell.name,
                    "unknown directive `{\(cell.name)}`" + suggestion(for: cell.name, among: registry.map { $0.name }) { "`{\($0)}`" },
                    sourceLine: sourceLine))
                continue
            }
            let directiveName: String = directive.name
            var reader = BodyReader(document: document, cell: cell, directive: directive, parameters: settings.parameters)
            guard let parsed = reader.read() else { diagnostics += reader.diagnostics; continue }
            diagnostics += reader.diagnostics
            var arguments = parsed
            let id = arguments.values["id"].flatMap { if case .string(let s) = $0 { s } else { nil } }
            let caption = arguments.values["caption"].flatMap { if case .string(let s) = $0 { s } else { nil } }
            let echo = arguments.values["echo"].flatMap { if case .bool(let b) = $0 { b } else { nil } } ?? true
            let explicitSeed = arguments.values["seed"].flatMap { if case .int(let s) = $0 { UInt64(s) } else { nil } }
            for key in ["id", "caption", "echo", "seed"] { arguments.values[key] = nil }

            func location(of key: String) -> SourceLocation {
                SourceLocation(file: document.file, line: arguments.lines[key] ?? parsed.lines[key] ?? cell.location.line, column: 1)
            }
            func diagnostic(_ key: String?, _ message: String) -> Diagnostic {
                let loc = key.map(location(of:)) ?? cell.location
                return Diagnostic(at: loc, directive: directiveName, parameter: key, message, sourceLine: document.line(loc.line))
            }

            // References must name results defined earlier, of an accepted kind.
            var reads = [String]()
            var referencedByKey = [String: String]()
            let declared: [Parameter] = directive.parameters
            for (key, referenced, kinds) in references(in: arguments, parameters: declared) {
                reads.append(referenced)
                referencedByKey[key] = referenced
                if let found = defined[referenced] {
                    if !kinds.isEmpty && !kinds.contains(found.kind) {
                        diagnostics.append(diagnostic(key, "`\(key)` must name \(kinds.map { withArticle($0.name) }.joined(separator: " or ")), but `\(referenced)` (line \(found.line)) is \(withArticle(found.kind.name))"))
                    }
                } else if let later = laterDefinition(of: referenced, after: index, in: allCells) {
                    diagnostics.append(diagnostic(key, "`\(referenced)` is used before it is defined (line \(later)); cells run in order"))
                } else {
                    let known = defined.keys.sorted()
                    diagnostics.append(diagnostic(key, "no earlier cell defines `\(referenced)`" + suggestion(for: referenced, among: known)
                        + (known.isEmpty ? "" : " (defined so far: \(known.joined(separator: ", ")))")))
                }
            }

            var problems: [ParameterError] = directive.validate(arguments)
            if let access { problems += confinementProblems(directive, arguments, access: access) }
            for problem in problems {
                diagnostics.append(diagnostic(arguments.lines[problem.parameter] != nil ? problem.parameter : nil, problem.message))
            }

            var writes = [(id: String, kind: ValueKind)]()
            if let id {
                if id.unicodeScalars.count > maximumIdentifierLength {
                    diagnostics.append(diagnostic("id", "the id is \(id.unicodeScalars.count) characters long; ids name files of the report, so at most \(maximumIdentifierLength)"))
                } else if !isValidIdentifier(id) {
                    diagnostics.append(diagnostic("id", "`\(id)` is not a valid id: use ASCII letters, digits, `_` and `-`, starting with a letter"))
                } else if let previous = defined[id] {
                    diagnostics.append(diagnostic("id", "duplicate id `\(id)`: line \(previous.line) defines it already"))
                } else {
                    let slots: [ResultSlot] = directive.results
                    for slot in slots {
                        let name = slot.suffix.map { "\(id).\($0)" } ?? id
                        writes.append((name, slot.kind))
                        defined[name] = (slot.kind, arguments.lines["id"] ?? cell.location.line)
                    }
                    if slots.isEmpty { defined[id] = (ValueKind("none"), arguments.lines["id"] ?? cell.location.line) }
                }
            }

            directive.applySettings(arguments, to: &settings)
            estimated.append((cells.count, arguments, directive, referencedByKey, isValidIdentifier(id ?? "") ? id : nil))
            cells.append(PlannedCell(index: index, cell: cell, directive: directive, id: id, caption: caption, echo: echo,
                                     explicitSeed: explicitSeed, seed: 0, arguments: arguments, reads: reads, writes: writes))
        }

        // Command-line settings win over front matter and {config}.
        if let s = overrides["seed"] {
            if let v = UInt64(s) { settings.seed = v } else { diagnostics.append(commandLineError("seed", s, "a non-negative integer", document)) }
        }
        if let s = overrides["threads"] {
            if let v = Int(s), (1...64).contains(v) { settings.threads = v } else { diagnostics.append(commandLineError("threads", s, "an integer in 1...64", document)) }
        }
        if let s = overrides["quick"] {
            if let v = Bool(s) { settings.quick = v } else { diagnostics.append(commandLineError("quick", s, "true or false", document)) }
        }
        // The memory budget, once quick mode is final: shapes flow from cell to cell.
        for entry in estimated {
            let inputs = EstimateInputs(arguments: entry.arguments, shapes: entry.referenced.compactMapValues { shapes[$0] },
                                        settings: settings)
            guard let estimate = entry.directive.estimate(inputs) else { continue }
            if let id = entry.id {
                for (suffix, shape) in estimate.shapes { shapes[suffix.map { "\(id).\($0)" } ?? id] = shape }
            }
            if estimate.bytes > budget.memoryLimit {
                let cell = cells[entry.cell]
                let line = entry.arguments.lines[estimate.parameter] ?? cell.cell.location.line
                let location = SourceLocation(file: document.file, line: line, column: 1)
                diagnostics.append(Diagnostic(at: location, directive: entry.directive.name, parameter: estimate.parameter,
                    "{\(entry.directive.name)} would need about \(ResourceBudget.format(bytes: estimate.bytes)) of memory "
                    + "(\(estimate.explanation)), over the limit of \(ResourceBudget.format(bytes: budget.memoryLimit)); "
                    + "lower `\(estimate.parameter)`, or raise the limit with --memory-limit",
                    sourceLine: document.line(line)))
            }
        }

        // Seeds are derived once the notebook seed is final.
        for i in cells.indices {
            var derived = SeededGenerator(seed: settings.seed).derived(cells[i].id ?? "#\(cells[i].index)")
            cells[i].seed = cells[i].explicitSeed ?? derived.next()
        }

        diagnostics += ProseReferenceCheck(document: document, cells: cells).diagnostics()
        let errors = diagnostics.filter { $0.severity == .error }
        let warnings = diagnostics.filter { $0.severity != .error }
        if !errors.isEmpty { return .failure(ValidationFailure(diagnostics: diagnostics)) }
        var plan = Plan(document: document, cells: cells, settings: settings, warnings: warnings,
                        allowedReadDirectories: access?.locations.allowedDirectories ?? [])
        // Files a cell reads are sized only when read: the readers stop at the budget too.
        let budgeted = ReadLimits(memoryBudget: Int(min(budget.memoryLimit, 1e15)))
        if budgeted.fileBytes < plan.readLimits.fileBytes { plan.readLimits = budgeted }
        return .success(plan)
    }

    private func commandLineError(_ key: String, _ value: String, _ expected: String, _ document: Document) -> Diagnostic {
        Diagnostic(at: SourceLocation(file: document.file, line: 1), "`-p \(key)=\(value)`: \(key) must be \(expected)")
    }

    /// Every reference in the arguments (nested objects included): key path, id, kinds.
    private func references(in arguments: Arguments, parameters: [Parameter], prefix: String = "") -> [(String, String, [ValueKind])] {
        var out = [(String, String, [ValueKind])]()
        for p in parameters {
            guard let value = arguments.values[p.name] else { continue }
            switch (p.type, value) {
            case (.reference(let kinds), .reference(let id)): out.append((prefix + p.name, id, kinds))
            case (.referenceList(let kinds), .list(let items)):
                for case .reference(let id) in items { out.append((prefix + p.name, id, kinds)) }
            case (.object(let nested), .object(let values)):
                out += references(in: Arguments(values: values), parameters: nested, prefix: prefix + p.name + ".")
            default: break
            }
        }
        return out
    }

    private func laterDefinition(of id: String, after index: Int, in cells: [Document.DirectiveCell]) -> Int? {
        let base = id.split(separator: ".").first.map(String.init) ?? id
        for cell in cells.dropFirst(index + 1) {
            for line in cell.body.split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                if t == "id: \(base)" || t == "id: \"\(base)\"" { return cell.location.line }
            }
        }
        return nil
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
