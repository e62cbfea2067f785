import CCmark
import Foundation

/// Recognises a GitHub-style pipe table in a top-level paragraph, which libcmark (plain
/// CommonMark, the notebook's parser) leaves as text: a header row, a delimiter row
/// (`|---|:-:|--:|`) with as many cells, then body rows. Each cell's text is parsed by
/// cmark as inline Markdown, so the report renders it in the same safe mode as all prose.
/// A row with another number of cells is malformed: the paragraph stays text and a
/// warning points at the row, so a table never turns into something else silently.
struct PipeTableReader {
    let file: String
    let line: (Int) -> String?

    struct Outcome {
        /// The table; nil when the paragraph must stay text.
        var markup: Markup?
        var diagnostics: [Diagnostic]
    }

    /// nil when the paragraph is not meant as a table (no delimiter row on its second line).
    func table(firstLine: Int, lastLine: Int) -> Outcome? {
        guard lastLine > firstLine, let header = line(firstLine), let delimiter = line(firstLine + 1),
              header.contains("|"), let alignments = Self.alignments(delimiter) else { return nil }
        let headerCells = Self.cells(header)
        guard alignments.count == headerCells.count else {
            return Outcome(markup: nil, diagnostics: [warning(firstLine + 1, delimiter,
                "the table's delimiter row has \(alignments.count) cells but its header has \(headerCells.count); the table is shown as text")])
        }
        var rows = [(cells: headerCells, line: firstLine)]
        if lastLine >= firstLine + 2 {
            for number in (firstLine + 2)...lastLine {
                let text = line(number) ?? ""
                let cells = Self.cells(text)
                guard text.contains("|"), cells.count == alignments.count else {
                    return Outcome(markup: nil, diagnostics: [warning(number, text,
                        "this table row has \(text.contains("|") ? cells.count : 0) cells separated by `|` but the header has \(headerCells.count); the table is shown as text")])
                }
                rows.append((cells, number))
            }
        }
        let indent = header.prefix(while: { $0 == " " }).count
        var builder = MarkupBuilder()
        builder.open(.table(alignments: alignments), line: firstLine, column: indent + 1)
        for (index, row) in rows.enumerated() {
            builder.open(.tableRow(header: index == 0), line: row.line, column: 1)
            for cell in row.cells {
                builder.open(.tableCell, line: row.line, column: cell.column)
                appendInlines(cell.text, line: row.line, column: cell.column, into: &builder)
                builder.close()
            }
            builder.close()
        }
        return Outcome(markup: builder.finish(), diagnostics: [])
    }

    private func warning(_ number: Int, _ text: String, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: SourceLocation(file: file, line: number, column: 1), message, sourceLine: text)
    }

    /// The cell's text as inline Markdown. Text that cmark would read as a block (`# x`,
    /// `- x`, `1. x`) is parsed again with its marker escaped; a cell is never a block.
    /// Every node sits at the cell's position (the cell's own parse starts at line 1).
    private func appendInlines(_ text: String, line number: Int, column: Int, into builder: inout MarkupBuilder) {
        guard !text.isEmpty else { return }
        for attempt in [text, Self.escapingBlockMarker(text)] {
            guard let root = NotebookParser.cmarkParse(attempt) else { continue }
            defer { cmark_node_free(root) }
            guard let paragraph = cmark_node_first_child(root), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH,
                  cmark_node_next(paragraph) == nil else { continue }
            MarkupConverter(file: file, line: line).append(paragraph, into: &builder, position: (number, column),
                                                           childrenOnly: true, forced: true,
                                                           scanFrom: (number, max(column - 1, 0)))
            return
        }
        builder.leaf(.text, literal: text, line: number, column: column)
    }

    static func escapingBlockMarker(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        if first.properties.numericType != nil, first.isASCII {
            let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
            let rest = text.dropFirst(digits.count)
            return rest.first == "." || rest.first == ")" ? digits + "\\" + rest : text
        }
        return first.isASCII && CharacterSet.punctuationCharacters.union(.symbols).contains(first) ? "\\" + text : text
    }

    /// `:--` left, `:-:` center, `--:` right, `---` none; nil unless every cell is one.
    static func alignments(_ text: String) -> [TableAlignment]? {
        guard text.contains("|"), text.contains("-") else { return nil }
        var result = [TableAlignment]()
        for cell in cells(text) {
            let t = cell.text
            let left = t.hasPrefix(":"), right = t.hasSuffix(":")
            let dashes = t.dropFirst(left ? 1 : 0).dropLast(right && t.count > 1 ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            result.append(left && right ? .center : left ? .left : right ? .right : .none)
        }
        return result.isEmpty ? nil : result
    }

    struct Cell {
        var text: String
        /// 1-based column of the cell's first character.
        var column: Int
    }

    /// The cells of a row: split at `|` not escaped by `\`, an outer `|` on either side
    /// dropped, each trimmed, `\|` read as `|`.
    static func cells(_ text: String) -> [Cell] {
        let characters = Array(text)
        var cells = [Cell]()
        var current = "", start = 0, i = 0
        var escaped = false
        func flush(at end: Int) {
            let leading = current.prefix(while: { $0 == " " || $0 == "\t" }).count
            cells.append(Cell(text: current.trimmingCharacters(in: CharacterSet(charactersIn: " \t")), column: start + leading + 1))
            current = ""
            start = end + 1
        }
        while i < characters.count {
            let c = characters[i]
            if c == "|" && !escaped {
                flush(at: i)
            } else if c == "|" {
                current.removeLast()
                current.append(c)
            } else {
                current.append(c)
            }
            escaped = c == "\\" && !escaped
            i += 1
        }
        flush(at: characters.count)
        // An outer pipe leaves an empty first or last cell.
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if trimmed.hasPrefix("|"), let first = cells.first, first.text.isEmpty { cells.removeFirst() }
        if trimmed.hasSuffix("|") && !trimmed.hasSuffix("\\|") && trimmed.count > 1, let last = cells.last, last.text.isEmpty {
            cells.removeLast()
        }
        return cells
    }
}
