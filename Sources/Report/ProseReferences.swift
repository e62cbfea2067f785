import Foundation
import Notebook

/// What the prose's inline values and cross-references point at once the cells have run:
/// each stored result's record, the numbered figures, tables and cells with their anchors.
/// Validation has already refused unknown ids and fields; what only the run can tell (a
/// failed cell, a table row that is not there) becomes a marked placeholder that links to
/// the cell, never a wrong or silent value.
final class ProseReferences {
    struct Target {
        var number: Int
        var anchor: String
    }

    var results = [String: (record: JSONValue, anchor: String)]()
    /// The declared record of each result, from the kinds the cells write.
    var declarations = [String: RecordDeclaration]()
    /// Results of cells that failed, were skipped or interrupted: why, and the cell's anchor.
    var unavailable = [String: (status: String, anchor: String)]()
    var figures = [String: Target]()
    var tables = [String: Target]()
    var cells = [String: Target]()
    /// Every inline value as rendered, in document order, for run.json.
    private(set) var rendered = [RunManifest.InlineValue]()

    /// Records a cell's results (or, when it did not finish, that they are unavailable).
    func register(_ record: CellRecord, number: Int, anchor: String) {
        if let id = record.cell.id { cells[id] = Target(number: number, anchor: anchor) }
        for w in record.cell.writes { declarations[w.id] = w.kind.declaration }
        if record.status == .ok || record.status == .cached {
            for (name, value) in record.results { results[name] = (value, anchor) }
        } else {
            for w in record.cell.writes { unavailable[w.id] = (record.status.rawValue, anchor) }
        }
    }

    /// Labels a figure `ID.NAME` (and `ID` when it is the cell's first); returns its anchor.
    func registerFigure(_ name: String, of record: CellRecord, number: Int, first: Bool) -> String {
        let anchor = "fig-" + fileStem("\(record.cell.label)-\(name)")
        if let id = record.cell.id {
            figures["\(id).\(name)"] = Target(number: number, anchor: anchor)
            if first { figures[id] = Target(number: number, anchor: anchor) }
        }
        return anchor
    }

    /// Labels a table `ID` when it is the cell's first and `ID.SUFFIX` when it is the result
    /// stored under that name; returns its anchor.
    func registerTable(_ table: Table, of record: CellRecord, number: Int, first: Bool) -> String {
        let anchor = "tbl-" + fileStem(record.cell.label) + "-\(number)"
        guard let id = record.cell.id else { return anchor }
        if first { tables[id] = Target(number: number, anchor: anchor) }
        let tableRecord = table.record
        for (name, value) in record.results where name.hasPrefix(id + ".") && value == tableRecord {
            tables[name] = Target(number: number, anchor: anchor)
        }
        return anchor
    }

    /// The inline value's HTML: its text escaped (unit included), or a placeholder.
    func html(for reference: InlineReference, at node: Markup) -> String {
        let source = "{=" + reference.source + "}"
        func placeholder(_ status: String, _ why: String, anchor: String?) -> String {
            rendered.append(.init(reference: reference.source, line: node.line, column: node.column, value: nil,
                                  text: source + " (" + why + ")", status: status))
            let body = "⚠ " + escapeHTML(source) + " <small>(" + escapeHTML(why) + ")</small>"
            guard let anchor else { return "<span class=\"inline-value unavailable\">" + body + "</span>" }
            return "<a class=\"inline-value unavailable\" href=\"#\(anchor)\">" + body + "</a>"
        }
        let ids = Array(results.keys) + Array(unavailable.keys)
        guard let (id, fields) = InlineValuePath.split(reference.path, known: ids) else {
            return placeholder("missing", "no such result", anchor: nil)
        }
        if let missing = unavailable[id] {
            return placeholder(missing.status, "its cell " + (missing.status == "failed" ? "failed" : "was \(missing.status)"), anchor: missing.anchor)
        }
        guard let result = results[id] else { return placeholder("missing", "no such result", anchor: nil) }
        guard let (value, unit) = Self.resolve(result.record, fields, declaration: declarations[id]) else {
            return placeholder("missing", "`\(id)` has no `\(fields.joined(separator: "."))`", anchor: result.anchor)
        }
        let text: String
        var number: Double?
        switch value {
        case .number(let x):
            number = x
            text = InlineFormat.apply(reference.format, to: x) + (unit.map { " " + $0 } ?? "")
        case .string(let s): text = s
        case .bool(let b): text = b ? "yes" : "no"
        default: text = "—"
        }
        rendered.append(.init(reference: reference.source, line: node.line, column: node.column, value: number, text: text, status: "ok"))
        return "<span class=\"inline-value\" title=\"" + escapeHTML(source) + "\">" + escapeHTML(text) + "</span>"
    }

    /// A numbered link ("Figure 3"), or a marked placeholder when the run made no such output.
    func html(for reference: CrossReference) -> String {
        let (targets, noun): ([String: Target], String) = switch reference.kind {
        case .figure: (figures, "Figure")
        case .table: (tables, "Table")
        case .cell: (cells, "Cell")
        }
        guard let target = targets[reference.target] else {
            return "<span class=\"xref unavailable\">⚠ @" + escapeHTML(reference.label) + " <small>(no such "
                + noun.lowercased() + " in this run)</small></span>"
        }
        return "<a class=\"xref\" href=\"#\(target.anchor)\">\(noun) \(target.number)</a>"
    }

    /// The value a field path names in a record, with its unit: a table's ROW.COLUMN (by
    /// its declared keys, `Table.StoredRecord`), through the record's declaration (the
    /// engine's own are known by kind), else by path.
    static func resolve(_ record: JSONValue, _ fields: [String], declaration: RecordDeclaration? = nil) -> (JSONValue, String?)? {
        let kind = record["kind"]?.stringValue
        if kind == RecordDeclaration.table.kind {
            guard fields.count == 2, let table = Table.StoredRecord(record) else { return nil }
            return table.value(row: fields[0], column: fields[1])
        }
        if let declaration = declaration ?? RecordDeclaration.engine.first(where: { $0.kind == kind }) {
            return declaration.resolve(record, fields)
        }
        var current = record
        for field in fields {
            guard let next = current[field] else { return nil }
            current = next
        }
        return fields.isEmpty ? nil : (current, nil)
    }
}
