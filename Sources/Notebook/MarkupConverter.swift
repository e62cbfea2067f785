import CCmark
import Foundation

/// Mirrors a cmark tree in `Markup` values, once, while the parser walks the document.
/// On the way it recognises what cmark does not know: inline values (a code span
/// `` `{=…}` ``), cross-references (`@fig-ID`) and pipe tables (a top-level paragraph whose
/// second line is a delimiter row).
struct MarkupConverter {
    let file: String
    /// Line n (1-based) of the notebook.
    let line: (Int) -> String?
    /// Warnings about malformed pipe tables and inline values.
    var diagnostics = [Diagnostic]()

    /// Converts a top-level block (pipe tables are recognised only there: a nested
    /// paragraph's lines carry list and quote markers).
    mutating func convertTopLevel(_ node: OpaquePointer) -> Markup {
        if cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH,
           let table = PipeTableReader(file: file, line: line).table(firstLine: Int(cmark_node_get_start_line(node)),
                                                                     lastLine: Int(cmark_node_get_end_line(node))) {
            diagnostics += table.diagnostics
            if let markup = table.markup { return markup }
        }
        return convert(node, parentLine: 1, parentColumn: 1)
    }

    /// The node and its subtree.
    func convert(_ node: OpaquePointer, parentLine: Int, parentColumn: Int) -> Markup {
        let startLine = Int(cmark_node_get_start_line(node))
        let line = startLine > 0 ? startLine : parentLine
        let column = startLine > 0 ? Int(cmark_node_get_start_column(node)) : parentColumn
        let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
        var children = [Markup]()
        var child = cmark_node_first_child(node)
        while let c = child {
            children.append(convert(c, parentLine: line, parentColumn: column))
            child = cmark_node_next(c)
        }
        let kind: Markup.Kind
        switch cmark_node_get_type(node) {
        case CMARK_NODE_BLOCK_QUOTE: kind = .blockQuote
        case CMARK_NODE_LIST:
            kind = .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                         start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0)
        case CMARK_NODE_ITEM: kind = .item
        case CMARK_NODE_CODE_BLOCK: kind = .codeBlock(info: cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "")
        case CMARK_NODE_HTML_BLOCK: kind = .htmlBlock
        case CMARK_NODE_PARAGRAPH: kind = .paragraph
        case CMARK_NODE_HEADING: kind = .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_THEMATIC_BREAK: kind = .thematicBreak
        case CMARK_NODE_SOFTBREAK: kind = .softBreak
        case CMARK_NODE_LINEBREAK: kind = .lineBreak
        case CMARK_NODE_CODE: kind = .code
        case CMARK_NODE_HTML_INLINE: kind = .htmlInline
        case CMARK_NODE_EMPH: kind = .emphasis
        case CMARK_NODE_STRONG: kind = .strong
        case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            let title = cmark_node_get_title(node).map { String(cString: $0) } ?? ""
            kind = cmark_node_get_type(node) == CMARK_NODE_LINK ? .link(url: url, title: title) : .image(url: url, title: title)
        default: kind = .text // text, and the custom nodes a parse never makes
        }
        var markup = Markup(kind, literal: literal, children: children, line: line, column: column)
        switch kind {
        case .paragraph, .heading:
            var scanner = InlineScanner(lines: self.line)
            markup.children = scanner.scan(children, from: line)
        default: break
        }
        return markup
    }
}

/// Finds inline values and cross-references among a block's inline nodes and locates
/// them in the source: cmark gives inline nodes no position, so each is searched for in
/// the block's lines, after the previous one.
struct InlineScanner {
    let lines: (Int) -> String?
    private var cursor = (line: 0, offset: 0)

    init(lines: @escaping (Int) -> String?) { self.lines = lines }

    /// The inlines with inline values and cross-references recognised, searched for from
    /// `offset` (0-based, in characters) on line `firstLine`.
    mutating func scan(_ inlines: [Markup], from firstLine: Int, offset: Int = 0) -> [Markup] {
        cursor = (firstLine, offset)
        return rewrite(inlines)
    }

    private mutating func rewrite(_ inlines: [Markup]) -> [Markup] {
        var out = [Markup]()
        for node in mergedText(inlines) {
            switch node.kind {
            case .code:
                if let reference = Self.inlineReference(node.literal) {
                    let (l, c) = locate("{=", fallback: node)
                    out.append(Markup(.inlineValue(reference), literal: node.literal, line: l, column: c))
                } else {
                    out.append(node)
                }
            case .text:
                out += splitCrossReferences(node)
            default:
                var copy = node
                copy.children = rewrite(node.children)
                out.append(copy)
            }
        }
        return out
    }

    /// Adjacent text nodes joined: cmark splits text at characters such as `_`, which may
    /// sit inside a label.
    private func mergedText(_ inlines: [Markup]) -> [Markup] {
        var out = [Markup]()
        for node in inlines {
            if case .text = node.kind, let last = out.last, case .text = last.kind {
                out[out.count - 1].literal += node.literal
            } else {
                out.append(node)
            }
        }
        return out
    }

    /// `{=path:format}` → the reference; nil for any other code span.
    static func inlineReference(_ code: String) -> InlineReference? {
        let text = code.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("{="), text.hasSuffix("}"), text.count > 3 else { return nil }
        let inner = String(text.dropFirst(2).dropLast()).trimmingCharacters(in: .whitespaces)
        let parts = inner.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0]).trimmingCharacters(in: .whitespaces)
        let format = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : nil
        return InlineReference(source: inner, path: path.split(separator: ".", omittingEmptySubsequences: false).map(String.init),
                               format: format)
    }

    /// A text node with `@fig-a`, `@tbl-b.c`, `@cell-d` split out as cross-references.
    private mutating func splitCrossReferences(_ node: Markup) -> [Markup] {
        let scalars = Array(node.literal.unicodeScalars)
        var out = [Markup]()
        var pending = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "@", i == 0 || !Self.isLabelScalar(scalars[i - 1]),
               let (reference, length) = Self.crossReference(at: i + 1, in: scalars) {
                if !pending.isEmpty { out.append(Markup(.text, literal: String(pending), line: node.line, column: node.column)) }
                pending = String.UnicodeScalarView()
                let (l, c) = locate("@" + reference.label, fallback: node)
                out.append(Markup(.crossReference(reference), literal: "@" + reference.label, line: l, column: c))
                i += 1 + length
                continue
            }
            pending.append(scalars[i])
            i += 1
        }
        if !pending.isEmpty || out.isEmpty { out.append(Markup(.text, literal: String(pending), line: node.line, column: node.column)) }
        return out
    }

    /// `fig-ID[.suffix]` starting at `start`; a trailing `.` or `-` is punctuation, not label.
    static func crossReference(at start: Int, in scalars: [Unicode.Scalar]) -> (CrossReference, Int)? {
        for kind in CrossReference.Kind.allCases {
            let prefix = Array((kind.rawValue + "-").unicodeScalars)
            guard start + prefix.count < scalars.count, Array(scalars[start..<start + prefix.count]) == prefix else { continue }
            var end = start + prefix.count
            guard scalars[end].properties.isAlphabetic, scalars[end].isASCII else { return nil }
            while end < scalars.count, isLabelScalar(scalars[end]) || (scalars[end] == "." && end + 1 < scalars.count && isLabelScalar(scalars[end + 1])) {
                end += 1
            }
            while end > start + prefix.count + 1, scalars[end - 1] == "-" { end -= 1 }
            let target = String(String.UnicodeScalarView(scalars[(start + prefix.count)..<end]))
            return (CrossReference(kind: kind, target: target), end - start)
        }
        return nil
    }

    static func isLabelScalar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "_" || s == "-")
    }

    /// The position of the next `needle` at or after the cursor, within a few lines.
    private mutating func locate(_ needle: String, fallback: Markup) -> (Int, Int) {
        var lineNumber = cursor.line
        var offset = cursor.offset
        while lineNumber < cursor.line + 200, let text = lines(lineNumber) {
            let characters = Array(text)
            let pattern = Array(needle)
            if offset <= characters.count - pattern.count {
                for start in offset...(characters.count - pattern.count) where Array(characters[start..<start + pattern.count]) == pattern {
                    cursor = (lineNumber, start + pattern.count)
                    return (lineNumber, start + 1)
                }
            }
            lineNumber += 1
            offset = 0
        }
        return (fallback.line, fallback.column)
    }
}
