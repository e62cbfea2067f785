import Foundation

/// Validation of the prose's inline values (`` `{=id.field:format}` ``) and
/// cross-references (`@fig-ID`, `@tbl-ID`, `@cell-ID`) against the cells' ids, before
/// anything runs: an unknown id, field or format is an error at its place in the prose.
/// What only the run can tell (a table's row, a figure's name) is checked when the report
/// is written, where a missing value becomes a marked placeholder.
struct ProseReferenceCheck {
    let document: Document
    /// Result ids with their kinds, as the cells declare them.
    let results: [String: ValueKind]
    /// Cell ids, for cross-references.
    let cellIDs: [String]

    init(document: Document, cells: [PlannedCell]) {
        self.document = document
        var results = [String: ValueKind]()
        for cell in cells { for w in cell.writes { results[w.id] = w.kind } }
        self.results = results
        cellIDs = cells.compactMap(\.id)
    }

    func diagnostics() -> [Diagnostic] {
        var out = [Diagnostic]()
        for node in document.proseNodes {
            node.forEach { n in
                switch n.kind {
                case .inlineValue(let reference): out += check(reference, at: n)
                case .crossReference(let reference): out += check(reference, at: n)
                default: break
                }
            }
        }
        // Each error quotes its line, and a hostile line may hold 100 000 references.
        for i in out.indices.prefix(Self.maximumErrors) { out[i].sourceLine = document.line(out[i].location.line) }
        guard out.count > Self.maximumErrors else { return out }
        let rest = out.count - Self.maximumErrors
        return Array(out.prefix(Self.maximumErrors)) + [Diagnostic(at: out[Self.maximumErrors].location,
            "\(rest) more inline values and cross-references from here on are wrong too (only the first \(Self.maximumErrors) are listed)")]
    }

    static let maximumErrors = 20

    private func error(_ node: Markup, _ message: String) -> Diagnostic {
        Diagnostic(at: SourceLocation(file: document.file, line: node.line, column: node.column), message)
    }

    private func check(_ reference: InlineReference, at node: Markup) -> [Diagnostic] {
        var problems = [Diagnostic]()
        if let format = reference.format, !InlineFormat.isValid(format) {
            problems.append(error(node, "`{=\(reference.source)}`: `\(format)` is not a format; write .2f, .3g, .2e, d or %"))
        }
        guard let (id, fields) = InlineValuePath.split(reference.path, known: results.keys) else {
            let name = reference.path.joined(separator: ".")
            let known = results.keys.sorted()
            return problems + [error(node, "`{=\(reference.source)}`: no cell stores a result `\(reference.path.first ?? name)`"
                + suggestion(for: name, among: known) + (known.isEmpty ? "" : " (results: \(known.joined(separator: ", ")))"))]
        }
        let kind = results[id] ?? ValueKind("none")
        let allowed = InlineValuePath.fields(of: kind)
        if kind.name == "none" || allowed == [] {
            problems.append(error(node, "`{=\(reference.source)}`: `\(id)` is \(withArticle(kind.name)), which has no number to show; "
                + "inline values read estimates, data sets, models, tables, claims and verdicts"))
        } else if fields.isEmpty, !InlineValuePath.hasDefaultField(kind) {
            problems.append(error(node, "`{=\(reference.source)}`: name a field of \(withArticle(kind.name))"
                + (allowed.map { ": " + $0.joined(separator: ", ") } ?? " (a table's is ROW.COLUMN)")))
        } else if let allowed, let field = fields.first, !allowed.contains(field) {
            problems.append(error(node, "`{=\(reference.source)}`: \(withArticle(kind.name)) has no field `\(field)`"
                + suggestion(for: field, among: allowed) + " (fields: \(allowed.joined(separator: ", ")))"))
        } else if kind == .table, fields.count != 2 {
            problems.append(error(node, "`{=\(reference.source)}`: a table's value is `\(id).ROW.COLUMN` (the row's first cell and the column's name, lowercase, with `-` for spaces)"))
        } else if let field = fields.first, kind.declaration?.namedListFields.contains(field) == true, fields.count != 2 {
            let what = field == "detail" ? "a detail of the estimate" : "the name of one of the claim's \(field)s"
            problems.append(error(node, "`{=\(reference.source)}`: write `\(id).\(field).NAME`, NAME \(what)"))
        }
        return problems
    }

    private func check(_ reference: CrossReference, at node: Markup) -> [Diagnostic] {
        let cell = reference.target.split(separator: ".", maxSplits: 1).first.map(String.init) ?? reference.target
        guard !cellIDs.contains(cell) else { return [] }
        return [error(node, "`@\(reference.label)`: no cell has the id `\(cell)`" + suggestion(for: cell, among: cellIDs)
            + " (a cross-reference is @fig-ID, @tbl-ID or @cell-ID, ID a cell's id, optionally .NAME of one of its figures or tables)")]
    }
}

/// How an inline value's path names a result and a field.
public enum InlineValuePath {
    /// The fields a kind offers at validation: its declaration's inline fields
    /// (`RecordDeclaration`); [] for kinds without a number to show; nil for fields known
    /// only after the run (a table's ROW.COLUMN, a record read by path).
    public static func fields(of kind: ValueKind) -> [String]? {
        if kind == .table { return nil } // ROW.COLUMN, by the run's rows (`Table.StoredRecord.value`)
        if let declaration = kind.declaration { return declaration.inlineFields }
        return kind == .config ? [] : nil
    }

    /// Kinds whose bare id shows a default field (an estimate's value, a claim's outcome,
    /// a verdict's dimension): the declaration names it.
    public static func hasDefaultField(_ kind: ValueKind) -> Bool {
        kind.declaration?.defaultField != nil
    }

    /// The longest leading part of `path` that is a result id, and the fields after it.
    public static func split<C: Collection>(_ path: [String], known: C) -> (id: String, fields: [String])? where C.Element == String {
        let ids = Set(known)
        for length in stride(from: path.count, through: 1, by: -1) {
            let id = path.prefix(length).joined(separator: ".")
            if ids.contains(id) { return (id, Array(path.dropFirst(length))) }
        }
        return nil
    }

    /// A row or column name as a reference spells it: lowercase, runs of anything but
    /// letters and digits as one `-` ("Levina–Bickel MLE (k = 20)" → "levina-bickel-mle-k-20").
    public static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII && CharacterSet.alphanumerics.contains(scalar) { out.unicodeScalars.append(scalar) }
            else if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }
}

/// The formats an inline value accepts: `.Nf`, `.Ng`, `.Ne` (N ≤ 12), `d` (rounded) and
/// `%` (a fraction as a whole percentage, "0.47" → "47 %", the project's rates).
public enum InlineFormat {
    public static func isValid(_ format: String) -> Bool {
        if format == "d" || format == "%" { return true }
        guard format.hasPrefix("."), let last = format.last, "fge".contains(last),
              let digits = Int(format.dropFirst().dropLast()), (0...12).contains(digits) else { return false }
        return true
    }

    /// `x` in `format`, or the project's default (4 significant digits) when nil.
    public static func apply(_ format: String?, to x: Double) -> String {
        guard x.isFinite else { return formatNumber(x) }
        guard let format, isValid(format) else { return formatNumber(x) }
        if format == "d" { return String(Int(x.rounded())) }
        if format == "%" { return String(Int((100 * x).rounded())) + " %" }
        return String(format: "%" + format, x)
    }
}
