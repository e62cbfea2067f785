import FileAccess
import Foundation
import Linalg

/// The state of one `Validator.plan` call and its stages, one method each. Every stage adds
/// to `diagnostics` and goes on, so a notebook is refused with all its problems at once.
struct PlanBuilder {
    let validator: Validator
    let document: Document
    /// Where the notebook may read, when the validator checks read confinement.
    let access: (locations: FileLocations, unconfirmed: [URL])?

    var diagnostics = [Diagnostic]()
    var settings: RunSettings
    var cells = [PlannedCell]()
    /// Every id defined so far, with its kind and line.
    private var defined = [String: (kind: ValueKind, line: Int)]()
    /// What the memory-budget stage needs of each planned cell: the references by key
    /// (to pass their shapes on) and its id, if valid.
    private var budgetInputs = [(referenced: [String: String], id: String?)]()
    /// Each planned cell's estimate, filled by the budget stage.
    var estimates = [CellEstimate]()
    /// `Validator.definitions` of the document's cells, made on the first dangling reference.
    private var definitions: [String: [(index: Int, line: Int)]]?

    private mutating func laterDefinitions() -> [String: [(index: Int, line: Int)]] {
        if let definitions { return definitions }
        let made = Validator.definitions(in: document.cells)
        definitions = made
        return made
    }

    init(validator: Validator, document: Document, access: (locations: FileLocations, unconfirmed: [URL])?) {
        self.validator = validator
        self.document = document
        self.access = access
        let front = document.frontMatter
        settings = RunSettings(seed: front.seed ?? 0, threads: front.threads ?? 2, quick: front.quick ?? false,
                               parameters: front.params)
    }

    /// Command-line overrides of the notebook's own parameters apply before anything refers
    /// to them; seed/threads/quick wait for `applyCommandLineSettings`, after `{config}`.
    mutating func applyParameterOverrides() {
        for (k, v) in validator.overrides where !["seed", "threads", "quick"].contains(k) {
            if settings.parameters[k] == nil {
                let known = settings.parameters.keys.sorted()
                diagnostics.append(Diagnostic(at: SourceLocation(file: document.file, line: 1),
                    "`-p \(k)=\(v)`: the notebook has no parameter `\(k)`" + suggestion(for: k, among: known + ["seed", "threads", "quick"])
                    + (known.isEmpty ? " (it declares none; add `params:` to its front matter)" : " (it declares: \(known.joined(separator: ", ")))")))
            }
            settings.parameters[k] = v
        }
    }

    /// One cell: its directive, its body read into typed arguments, the common keys, its
    /// references, the directive's own checks and read confinement, its id, and the run
    /// settings it sets (`{config}`).
    mutating func planCell(_ index: Int, _ cell: Document.DirectiveCell) {
        guard let directive = validator.registry.first(where: { $0.name == cell.name }) else {
            diagnostics.append(Diagnostic(at: cell.location, directive: cell.name,
                "unknown directive `{\(cell.name)}`" + suggestion(for: cell.name, among: validator.registry.map { $0.name }) { "`{\($0)}`" },
                sourceLine: document.line(cell.location.line)))
            return
        }
        var reader = BodyReader(document: document, cell: cell, directive: directive, parameters: settings.parameters)
        guard var arguments = reader.read() else { diagnostics += reader.diagnostics; return }
        diagnostics += reader.diagnostics
        let id = arguments.values["id"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        let caption = arguments.values["caption"].flatMap { if case .string(let s) = $0 { s } else { nil } }
        let echo = arguments.values["echo"].flatMap { if case .bool(let b) = $0 { b } else { nil } } ?? true
        let explicitSeed = arguments.values["seed"].flatMap { if case .int(let s) = $0 { UInt64(s) } else { nil } }
        for key in ["id", "caption", "echo", "seed"] { arguments.values[key] = nil }

        let (reads, referencedByKey) = checkReferences(arguments, of: directive, in: cell, at: index)
        var problems: [ParameterError] = directive.validate(arguments)
        if let access { problems += validator.confinementProblems(directive, arguments, access: access) }
        for problem in problems {
            diagnostics.append(diagnostic(arguments.lines[problem.parameter] != nil ? problem.parameter : nil, problem.message,
                                          directive: directive, cell: cell, arguments: arguments))
        }
        let writes = defineResults(id, of: directive, in: cell, arguments: arguments)

        directive.applySettings(arguments, to: &settings)
        budgetInputs.append((referencedByKey, isValidIdentifier(id ?? "") ? id : nil))
        cells.append(PlannedCell(index: index, cell: cell, directive: directive, id: id, caption: caption, echo: echo,
                                 explicitSeed: explicitSeed, seed: 0, arguments: arguments, reads: reads, writes: writes))
    }

    /// A diagnostic at `key`'s line (the cell's first line without a key).
    private func diagnostic(_ key: String?, _ message: String, directive: any Directive.Type,
                            cell: Document.DirectiveCell, arguments: Arguments) -> Diagnostic {
        let location = key.map { SourceLocation(file: document.file, line: arguments.lines[$0] ?? cell.location.line, column: 1) }
            ?? cell.location
        return Diagnostic(at: location, directive: directive.name, parameter: key, message, sourceLine: document.line(location.line))
    }

    /// References must name results defined earlier, of an accepted kind. Returns the ids
    /// read and, by key, the id each reference parameter names.
    private mutating func checkReferences(_ arguments: Arguments, of directive: any Directive.Type,
                                          in cell: Document.DirectiveCell, at index: Int) -> ([String], [String: String]) {
        var reads = [String](), referencedByKey = [String: String]()
        for (key, referenced, kinds, words) in validator.references(in: arguments, parameters: directive.parameters) {
            reads.append(referenced)
            referencedByKey[key] = referenced
            let message: String
            if let found = defined[referenced] {
                guard !kinds.isEmpty && !kinds.contains(found.kind) else { continue }
                message = "`\(key)` must name \(kinds.map { withArticle($0.name) }.joined(separator: " or ")), but `\(referenced)` (line \(found.line)) is \(withArticle(found.kind.name))"
            } else if let later = validator.laterDefinition(of: referenced, after: index, among: laterDefinitions()) {
                message = "`\(referenced)` is used before it is defined (line \(later)); cells run in order"
            } else {
                let known = defined.keys.sorted()
                message = "no earlier cell defines `\(referenced)`" + suggestion(for: referenced, among: known + words)
                    + (known.isEmpty ? "" : " (defined so far: \(known.joined(separator: ", ")))")
                    + (words.isEmpty ? "" : "; `\(key)` also takes " + words.map { "`\($0)`" }.joined(separator: ", "))
            }
            diagnostics.append(diagnostic(key, message, directive: directive, cell: cell, arguments: arguments))
        }
        return (reads, referencedByKey)
    }

    /// Checks the cell's id and defines its results (`id`, `id.suffix`) for later cells.
    private mutating func defineResults(_ id: String?, of directive: any Directive.Type, in cell: Document.DirectiveCell,
                                        arguments: Arguments) -> [(id: String, kind: ValueKind)] {
        guard let id else { return [] }
        func refuse(_ message: String) -> [(id: String, kind: ValueKind)] {
            diagnostics.append(diagnostic("id", message, directive: directive, cell: cell, arguments: arguments))
            return []
        }
        if id.unicodeScalars.count > maximumIdentifierLength {
            return refuse("the id is \(id.unicodeScalars.count) characters long; ids name files of the report, so at most \(maximumIdentifierLength)")
        }
        if !isValidIdentifier(id) {
            return refuse("`\(id)` is not a valid id: use ASCII letters, digits, `_` and `-`, starting with a letter")
        }
        if let previous = defined[id] { return refuse("duplicate id `\(id)`: line \(previous.line) defines it already") }
        let line = arguments.lines["id"] ?? cell.location.line
        let slots: [ResultSlot] = directive.results
        var writes = [(id: String, kind: ValueKind)]()
        for slot in slots {
            let name = slot.suffix.map { "\(id).\($0)" } ?? id
            writes.append((name, slot.kind))
            defined[name] = (slot.kind, line)
        }
        if slots.isEmpty { defined[id] = (ValueKind("none"), line) }
        return writes
    }

    /// Command-line settings win over front matter and `{config}`.
    mutating func applyCommandLineSettings() {
        let overrides = validator.overrides
        if let s = overrides["seed"] {
            if let v = UInt64(s) { settings.seed = v } else { diagnostics.append(validator.commandLineError("seed", s, "a non-negative integer", document)) }
        }
        if let s = overrides["threads"] {
            if let v = Int(s), (1...64).contains(v) { settings.threads = v } else { diagnostics.append(validator.commandLineError("threads", s, "an integer in 1...64", document)) }
        }
        if let s = overrides["quick"] {
            if let v = Bool(s) { settings.quick = v } else { diagnostics.append(validator.commandLineError("quick", s, "true or false", document)) }
        }
    }

    /// The memory budget, once quick mode is final: each cell's estimate, with the shapes of
    /// the results it reads flowing from the cells that made them; and each directive's own
    /// checks of those shapes (`validateShapes`).
    mutating func checkMemoryBudget() {
        var shapes = [String: DataShape]()
        let limit = validator.budget.memoryLimit
        let files = access.map { DataFileAccess(locations: $0.locations, limits: validator.readLimits) }
        for (cell, inputs) in zip(cells, budgetInputs) {
            let arguments = cell.arguments, directive = cell.directive
            let estimateInputs = EstimateInputs(arguments: arguments, shapes: inputs.referenced.compactMapValues { shapes[$0] },
                                                settings: settings, files: files)
            for problem in directive.validateShapes(estimateInputs) {
                diagnostics.append(diagnostic(problem.parameter, problem.message, directive: directive, cell: cell.cell, arguments: arguments))
            }
            let estimate = directive.estimate(estimateInputs)
            estimates.append(cellEstimate(cell, estimate))
            guard let estimate else { continue }
            for problem in estimate.problems {
                diagnostics.append(diagnostic(problem.parameter, problem.message, directive: directive, cell: cell.cell, arguments: arguments))
            }
            for warning in estimate.warnings {
                var d = diagnostic(warning.parameter, warning.message, directive: directive, cell: cell.cell, arguments: arguments)
                d.severity = .warning
                diagnostics.append(d)
            }
            if let id = inputs.id {
                for (suffix, shape) in estimate.shapes { shapes[suffix.map { "\(id).\($0)" } ?? id] = shape }
            }
            guard estimate.bytes > limit else { continue }
            let line = arguments.lines[estimate.parameter] ?? cell.cell.location.line
            diagnostics.append(Diagnostic(at: SourceLocation(file: document.file, line: line, column: 1),
                directive: directive.name, parameter: estimate.parameter,
                "{\(directive.name)} would need about \(describeBytes(estimate.bytes)) of memory "
                + "(\(estimate.explanation)), over the limit of \(describeBytes(limit)); "
                + "lower `\(estimate.parameter)`, or raise the limit with --memory-limit",
                sourceLine: document.line(line)))
        }
    }

    /// A cell without `id` that stores results gets one from its directive and its position
    /// among that directive's cells (`dimension-1`); one that an id of the notebook already
    /// takes gets the cell's number too (`dimension-1-cell-4`). Generated after every cell
    /// is planned, so no later id can collide; later cells cannot read them (validation
    /// knows only written ids), the prose can.
    mutating func generateIDs() {
        var taken = Set(cells.flatMap { $0.writes.map(\.id) } + cells.compactMap(\.id))
        var ordinal = [String: Int]()
        for i in cells.indices {
            let directive = cells[i].directive
            ordinal[directive.name, default: 0] += 1
            guard cells[i].id == nil, !directive.results.isEmpty else { continue }
            var id = "\(directive.name)-\(ordinal[directive.name] ?? 1)"
            if taken.contains(id) { id += "-cell-\(cells[i].index + 1)" }
            let writes = directive.results.map { slot in (id: slot.suffix.map { "\(id).\($0)" } ?? id, kind: slot.kind) }
            guard !writes.contains(where: { taken.contains($0.id) }) else { continue }
            taken.formUnion(writes.map(\.id))
            cells[i].generatedID = id
            cells[i].writes = writes
        }
    }

    /// The cell's estimate as the plan lists it: seconds from the machine speeds.
    private func cellEstimate(_ cell: PlannedCell, _ estimate: ResourceEstimate?) -> CellEstimate {
        let seconds = estimate.flatMap { e in validator.budget.speeds.map { $0.seconds(e.work) } } ?? 0
        let parameter = estimate.map { $0.timeParameter ?? $0.parameter }
        return CellEstimate(id: cell.label, directive: cell.directive.name, line: cell.cell.location.line, seconds: seconds,
                            memoryBytes: estimate?.bytes ?? 0, timeParameter: parameter,
                            timeParameterLine: parameter.flatMap { cell.arguments.lines[$0] },
                            timeExplanation: estimate?.timeExplanation, work: estimate?.work ?? .none)
    }

    /// The time budget: the notebook's estimated seconds against `--time-limit`, refused at
    /// the cell that costs most, at the parameter that drives its time.
    mutating func checkTimeBudget() {
        guard let limit = validator.budget.timeLimit, validator.budget.speeds != nil else { return }
        let total = estimates.reduce(0) { $0 + $1.seconds }
        guard total > limit, let worst = estimates.indices.max(by: { estimates[$0].seconds < estimates[$1].seconds }) else { return }
        let e = estimates[worst]
        let line = e.timeParameterLine ?? e.line
        let parameter = e.timeParameter.map { "`\($0)`" } ?? "its arguments"
        diagnostics.append(Diagnostic(at: SourceLocation(file: document.file, line: line, column: 1),
            directive: e.directive, parameter: e.timeParameter,
            "{\(e.directive)} `\(e.id)` would take about \(describeSeconds(e.seconds))"
            + (e.timeExplanation.map { " (\($0))" } ?? "") + "; the notebook about \(describeSeconds(total)) in all, "
            + "over the time limit of \(describeSeconds(limit)); lower \(parameter), or raise --time-limit",
            sourceLine: document.line(line)))
    }

    /// Seeds are derived once the notebook seed is final.
    mutating func deriveSeeds() {
        for i in cells.indices {
            var derived = SeededGenerator(seed: settings.seed).derived(cells[i].id ?? "#\(cells[i].index)")
            cells[i].seed = cells[i].explicitSeed ?? derived.next()
        }
    }
}
