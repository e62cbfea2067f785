import CCmark
import Foundation

/// Mirrors a cmark tree in `Markup` values, once, while the parser walks the document.
/// On the way it recognises what cmark does not know: inline values (a code span
/// `` `{=…}` ``), cross-references (`@fig-ID`) and pipe tables (a top-level paragraph whose
/// second line is a delimiter row).
///
/// The walk is cmark's own iterator (enter and exit events) into a `MarkupBuilder`: no
/// recursion, however deep the notebook nests (cmark parses deep nesting iteratively too;
/// `ProseNesting` bounds the depth before cmark sees the text).
struct MarkupConverter {
    let file: String
    /// Line n (1-based) of the notebook.
    let line: (Int) -> String?
    /// Warnings about malformed pipe tables and inline values.
    var diagnostics = [Diagnostic]()

    init(file: String, line: @escaping (Int) -> String?) {
        self.file = file
        self.line = line
    }

    /// Converts a top-level block (pipe tables are recognised only there: a nested
    /// paragraph's lines carry list and quote markers).
    mutating func convertTopLevel(_ node: OpaquePointer) -> Markup {
        if cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH,
           let table = PipeTableReader(file: file, line: line).table(firstLine: Int(cmark_node_get_start_line(node)),
                                                                     lastLine: Int(cmark_node_get_end_line(node))) {
            diagnostics += table.diagnostics
            if let markup = table.markup { return markup }
        }
        var builder = MarkupBuilder()
        append(node, into: &builder, position: (1, 1))
        return builder.finish() ?? Markup(tree: MarkupTree(nodes: [
            MarkupNode(kind: .text, literal: "", line: 1, column: 1, parent: -1, siblingIndex: 0, end: 1)]), index: 0)
    }

    /// Appends `node`'s subtree (or, with `childrenOnly`, its children as inline content)
    /// to the builder's open node. `position` is where nodes cmark does not locate are put;
    /// with `forced`, every node is put there (a table cell's own parse starts at line 1).
    /// `scanFrom` starts the inline scanner at once (a table cell's inlines); otherwise it
    /// starts at each paragraph and heading.
    func append(_ node: OpaquePointer, into builder: inout MarkupBuilder, position: (line: Int, column: Int),
                childrenOnly: Bool = false, forced: Bool = false, scanFrom: (line: Int, offset: Int)? = nil) {
        guard let iterator = cmark_iter_new(node) else { return }
        defer { cmark_iter_free(iterator) }
        var positions = [position]
        var inline = InlineWriter(lines: line)
        // The depth (in `positions`) of the paragraph or heading whose inlines are scanned.
        var scanningDepth: Int? = nil
        if let scanFrom {
            inline.start(line: scanFrom.line, offset: scanFrom.offset)
            scanningDepth = 0
        }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let current = cmark_iter_get_node(iterator) else { continue }
            let isRoot = current == node
            if event == CMARK_EVENT_EXIT {
                if scanningDepth != nil { inline.flush(into: &builder) }
                if isRoot && childrenOnly { continue }
                positions.removeLast()
                if let depth = scanningDepth, depth == positions.count { scanningDepth = nil }
                builder.close()
                continue
            }
            guard event == CMARK_EVENT_ENTER else { continue }
            if isRoot && childrenOnly { continue }
            let type = cmark_node_get_type(current)
            let startLine = Int(cmark_node_get_start_line(current))
            let parent = positions[positions.count - 1]
            let here: (line: Int, column: Int) = forced ? position
                : startLine > 0 ? (startLine, Int(cmark_node_get_start_column(current))) : parent
            let literal = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
            let kind = Self.kind(of: current, type: type)
            let isLeaf = Self.isLeaf(type)
            if scanningDepth != nil {
                if case .text = kind { inline.addText(literal, line: here.line, column: here.column); continue }
                inline.flush(into: &builder)
                if case .code = kind { inline.addCode(literal, line: here.line, column: here.column, into: &builder); continue }
            }
            if isLeaf {
                builder.leaf(kind, literal: literal, line: here.line, column: here.column)
                continue
            }
            builder.open(kind, literal: literal, line: here.line, column: here.column)
            positions.append(here)
            if scanningDepth == nil, type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING {
                inline.start(line: here.line, offset: 0)
                scanningDepth = positions.count - 1
            }
        }
        if scanningDepth != nil { inline.flush(into: &builder) }
    }

    /// cmark's leaf types: the iterator gives them an enter event only.
    private static func isLeaf(_ type: cmark_node_type) -> Bool {
        switch type {
        case CMARK_NODE_TEXT, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE,
             CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK, CMARK_NODE_THEMATIC_BREAK:
            return true
        default:
            return false
        }
    }

    private static func kind(of node: OpaquePointer, type: cmark_node_type) -> Markup.Kind {
        switch type {
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST:
            return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                         start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0)
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_CODE_BLOCK: return .codeBlock(info: cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "")
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            let title = cmark_node_get_title(node).map { String(cString: $0) } ?? ""
            return type == CMARK_NODE_LINK ? .link(url: url, title: title) : .image(url: url, title: title)
        default: return .text // text, and the custom nodes a parse never makes
        }
    }
}

/// Writes a paragraph's inlines with inline values and cross-references recognised, and
/// locates them in the source: cmark gives inline nodes no position, so each is searched
/// for in the block's lines, after the previous one. Adjacent text nodes are joined first
/// (cmark splits text at characters such as `_`, which may sit inside a label).
struct InlineWriter {
    let lines: (Int) -> String?
    private var cursor = (line: 0, offset: 0)
    /// Text waiting to be joined with the next text node.
    private var pending: (text: String, line: Int, column: Int)?
    /// The characters of the line `locate` searched last (a long line is split once).
    private var cachedLine: (number: Int, characters: [Character])?

    init(lines: @escaping (Int) -> String?) { self.lines = lines }

    /// Starts scanning at `offset` (0-based, in characters) on line `line`.
    mutating func start(line: Int, offset: Int) {
        cursor = (line, offset)
        pending = nil
    }

    mutating func addText(_ text: String, line: Int, column: Int) {
        if pending == nil { pending = (text, line, column) } else { pending?.text += text }
    }

    /// A code span: an inline value when it reads `{=…}`.
    mutating func addCode(_ code: String, line: Int, column: Int, into builder: inout MarkupBuilder) {
        if let reference = Self.inlineReference(code) {
            let (l, c) = locate("{=", fallback: (line, column))
            builder.leaf(.inlineValue(reference), literal: code, line: l, column: c)
        } else {
            builder.leaf(.code, literal: code, line: line, column: column)
        }
    }

    /// Writes the pending text, with `@fig-a`, `@tbl-b.c`, `@cell-d` split out as cross-references.
    mutating func flush(into builder: inout MarkupBuilder) {
        guard let node = pending else { return }
        pending = nil
        let scalars = Array(node.text.unicodeScalars)
        var wrote = false
        var text = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "@", i == 0 || !Self.isLabelScalar(scalars[i - 1]),
               let (reference, length) = Self.crossReference(at: i + 1, in: scalars) {
                if !text.isEmpty { builder.leaf(.text, literal: String(text), line: node.line, column: node.column) }
                text = String.UnicodeScalarView()
                let (l, c) = locate("@" + reference.label, fallback: (node.line, node.column))
                builder.leaf(.crossReference(reference), literal: "@" + reference.label, line: l, column: c)
                wrote = true
                i += 1 + length
                continue
            }
            text.append(scalars[i])
            i += 1
        }
        if !text.isEmpty || !wrote { builder.leaf(.text, literal: String(text), line: node.line, column: node.column) }
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
    private mutating func locate(_ needle: String, fallback: (Int, Int)) -> (Int, Int) {
        var lineNumber = cursor.line
        var offset = cursor.offset
        let pattern = Array(needle)
        while lineNumber < cursor.line + 200 {
            let characters: [Character]
            if let cached = cachedLine, cached.number == lineNumber {
                characters = cached.characters
            } else {
                guard let text = lines(lineNumber) else { break }
                characters = Array(text)
                cachedLine = (lineNumber, characters)
            }
            if offset <= characters.count - pattern.count {
                for start in offset...(characters.count - pattern.count) where characters[start] == pattern[0]
                    && Array(characters[start..<start + pattern.count]) == pattern {
                    cursor = (lineNumber, start + pattern.count)
                    return (lineNumber, start + 1)
                }
            }
            lineNumber += 1
            offset = 0
        }
        return fallback
    }
}
