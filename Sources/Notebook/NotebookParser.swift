import CCmark
import Foundation

/// Parses notebook Markdown with cmark into a `Document`: front matter split off (line
/// numbers kept), fenced blocks with info string `{name}` become directive cells, every
/// other top-level block is prose. Never throws: problems come back as diagnostics.
public enum NotebookParser {
    /// Parses `source`; `file` is the name used in locations.
    public static func parse(_ source: String, file: String) -> (Document, [Diagnostic]) {
        let (frontMatter, body, diagnostics) = FrontMatter.split(source, file: file)
        var blocks = [Document.Block]()
        var prose: Document.Prose?

        func flushProse() {
            if let p = prose { blocks.append(.prose(p)) }
            prose = nil
        }

        let utf8 = Array(body.utf8)
        guard let root = utf8.withUnsafeBufferPointer({ p in
            p.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: p.count) {
                    cmark_parse_document($0, p.count, CMARK_OPT_DEFAULT)
                }
            } ?? cmark_parse_document("", 0, CMARK_OPT_DEFAULT)
        }) else {
            return (Document(file: file, source: source, frontMatter: frontMatter, blocks: []), diagnostics)
        }
        defer { cmark_node_free(root) }

        var node = cmark_node_first_child(root)
        while let current = node {
            let first = Int(cmark_node_get_start_line(current))
            let last = Int(cmark_node_get_end_line(current))
            if cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK,
               let name = directiveName(cmark_node_get_fence_info(current).map { String(cString: $0) }) {
                flushProse()
                let literal = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
                let column = Int(cmark_node_get_start_column(current))
                blocks.append(.directive(Document.DirectiveCell(
                    name: name, location: SourceLocation(file: file, line: first, column: column),
                    body: literal, bodyFirstLine: first + 1, lastLine: last)))
            } else {
                var headings = [Document.Heading]()
                if cmark_node_get_type(current) == CMARK_NODE_HEADING {
                    headings.append(Document.Heading(level: Int(cmark_node_get_heading_level(current)),
                                                     text: plainText(current), line: first))
                }
                if prose == nil {
                    prose = Document.Prose(firstLine: first, lastLine: last, headings: headings)
                } else {
                    prose?.lastLine = last
                    prose?.headings += headings
                }
            }
            node = cmark_node_next(current)
        }
        flushProse()
        return (Document(file: file, source: source, frontMatter: frontMatter, blocks: blocks), diagnostics)
    }

    /// Reads and parses a notebook file.
    public static func parse(contentsOf url: URL, displayName: String? = nil) throws -> (Document, [Diagnostic]) {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw CellError("\(displayName ?? url.path): not UTF-8 text")
        }
        return parse(text, file: displayName ?? url.path)
    }

    /// `{name}` → name (letters, digits, `-`); nil for any other info string.
    static func directiveName(_ info: String?) -> String? {
        guard let info = info?.trimmingCharacters(in: .whitespaces),
              info.hasPrefix("{"), info.hasSuffix("}"), info.count > 2 else { return nil }
        let name = info.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// The concatenated text and code of a node's inline children.
    static func plainText(_ node: OpaquePointer) -> String {
        var out = ""
        guard let iter = cmark_iter_new(node) else { return out }
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let n = cmark_iter_get_node(iter) else { continue }
            switch cmark_node_get_type(n) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let l = cmark_node_get_literal(n) { out += String(cString: l) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: out += " "
            default: break
            }
        }
        return out
    }
}
