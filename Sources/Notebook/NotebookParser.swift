import CCmark
import Foundation

/// Parses notebook Markdown with cmark into a `Document`: front matter split off (line
/// numbers kept), fenced blocks with info string `{name}` become directive cells, every
/// other top-level block is prose. Never throws: problems come back as diagnostics.
public enum NotebookParser {
    /// Parses `source`; `file` is the name used in locations.
    public static func parse(_ source: String, file: String) -> (Document, [Diagnostic]) {
        if let nul = TextCheck.firstNUL(in: source) {
            let d = Diagnostic(at: SourceLocation(file: file, line: nul.line, column: nul.column),
                               "the notebook contains a NUL character (U+0000); a notebook is plain text")
            return (Document(file: file, source: source, frontMatter: FrontMatter(), blocks: []), [d])
        }
        var (frontMatter, body, diagnostics) = FrontMatter.split(source, file: file)
        let document = Document(file: file, source: source, frontMatter: frontMatter, blocks: [])
        var blocks = [Document.Block]()
        var prose: Document.Prose?

        func flushProse() {
            if let p = prose { blocks.append(.prose(p)) }
            prose = nil
        }

        if let tooDeep = ProseNesting.check(body, file: file, lineText: document.line) {
            return (document, diagnostics + [tooDeep])
        }
        guard let root = cmarkParse(body) else { return (document, diagnostics) }
        defer { cmark_node_free(root) }
        var converter = MarkupConverter(file: file, line: document.line)

        var node = cmark_node_first_child(root)
        while let current = node {
            let first = Int(cmark_node_get_start_line(current))
            let last = Int(cmark_node_get_end_line(current))
            let info = cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK
                ? cmark_node_get_fence_info(current).map { String(cString: $0) } : nil
            let column = Int(cmark_node_get_start_column(current))
            if let problem = malformedDirectiveInfo(info) {
                diagnostics.append(Diagnostic(at: SourceLocation(file: file, line: first, column: column), problem,
                                              sourceLine: document.line(first)))
            }
            if let name = directiveName(info) {
                flushProse()
                if !isClosedFence(opening: document.line(first), closing: last > first ? document.line(last) : nil) {
                    diagnostics.append(Diagnostic(at: SourceLocation(file: file, line: first, column: column),
                        "the fence of {\(name)} opened here is never closed; end the cell with a line of ``` as long as the opening one",
                        sourceLine: document.line(first)))
                }
                let literal = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
                blocks.append(.directive(Document.DirectiveCell(
                    name: name, location: SourceLocation(file: file, line: first, column: column),
                    body: literal, bodyFirstLine: first + 1, lastLine: last)))
            } else {
                var headings = [Document.Heading]()
                if cmark_node_get_type(current) == CMARK_NODE_HEADING {
                    headings.append(Document.Heading(level: Int(cmark_node_get_heading_level(current)),
                                                     text: plainText(current), line: first))
                }
                let markup = converter.convertTopLevel(current)
                if prose == nil {
                    prose = Document.Prose(firstLine: first, lastLine: last, headings: headings, nodes: [markup])
                } else {
                    prose?.lastLine = last
                    prose?.headings += headings
                    prose?.nodes.append(markup)
                }
            }
            node = cmark_node_next(current)
        }
        flushProse()
        return (Document(file: file, source: source, frontMatter: frontMatter, blocks: blocks), diagnostics + converter.diagnostics)
    }

    /// cmark's parse of `text` in its default (safe) options; the caller frees the root.
    /// The one place the engine hands text to cmark: the notebook, and a pipe table's cells.
    static func cmarkParse(_ text: String) -> OpaquePointer? {
        let utf8 = Array(text.utf8)
        return utf8.withUnsafeBufferPointer { p in
            p.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: p.count) {
                    cmark_parse_document($0, p.count, CMARK_OPT_DEFAULT)
                }
            } ?? cmark_parse_document("", 0, CMARK_OPT_DEFAULT)
        }
    }

    /// The largest notebook read (a notebook is hand-written text; 16 MiB is far past any).
    public static let maximumSize = 16 << 20

    /// Reads and parses a notebook file. Every problem — missing, not a regular file, too
    /// large, not UTF-8 — comes back as a located diagnostic, never as a thrown error.
    public static func parse(contentsOf url: URL, displayName: String? = nil) -> (Document?, [Diagnostic]) {
        let file = displayName ?? url.path
        func failure(_ message: String, line: Int = 1, column: Int = 1) -> (Document?, [Diagnostic]) {
            (nil, [Diagnostic(at: SourceLocation(file: file, line: line, column: column), message)])
        }
        let bytes: [UInt8]
        switch TextCheck.readRegularFile(url, limit: maximumSize) {
        case .success(let b): bytes = b
        case .failure(let problem):
            return failure(problem.isMissing ? "no such notebook file" : "cannot read the notebook: \(problem.message)")
        }
        if let bad = TextCheck.firstInvalidUTF8(in: bytes) {
            return failure("the notebook is not UTF-8 text: byte 0x\(String(bad.byte, radix: 16, uppercase: true)) at line \(bad.line), column \(bad.column) is not valid UTF-8",
                           line: bad.line, column: bad.column)
        }
        let (document, diagnostics) = parse(String(decoding: bytes, as: UTF8.self), file: file)
        return (document, diagnostics)
    }

    /// `{name}` → name; nil for any other info string (and for malformed names, which
    /// `malformedDirectiveInfo` reports).
    static func directiveName(_ info: String?) -> String? {
        guard let name = bracedName(info), isDirectiveName(name) else { return nil }
        return name
    }

    /// Text inside `{…}` of an info string that starts with `{`, trimmed.
    /// Only ASCII blanks are trimmed: Foundation's `.whitespaces` also strips a zero-width
    /// space, which would let `{dataset` + U+200B + `}` pass as `{dataset}`.
    private static func bracedName(_ info: String?) -> String? {
        guard let info = info.map(trimBlanks), info.hasPrefix("{"), info.hasSuffix("}"), info.count > 2 else { return nil }
        let name = trimBlanks(String(info.dropFirst().dropLast()))
        return name.isEmpty ? nil : name
    }

    private static func trimBlanks(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = scalars.firstIndex(where: { !isBlank($0) }), let end = scalars.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(scalars[start...end])
    }

    /// Directive names are ASCII: lowercase letters, digits and `-`, starting with a letter.
    /// Comparing them scalar by scalar keeps look-alikes (a zero-width space, a Cyrillic
    /// `е`) from passing as a real directive.
    static func isDirectiveName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.unicodeScalars.count <= 64 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Why an info string that looks like a directive (`{…`) is not one; nil when it is a
    /// directive or plainly something else (`yaml`, `python`).
    static func malformedDirectiveInfo(_ info: String?) -> String? {
        guard let trimmed = info.map(trimBlanks), trimmed.hasPrefix("{") else { return nil }
        guard let name = bracedName(trimmed) else {
            return "`\(visible(trimmed))` is not a directive: write the name in braces, as in ```{dataset}"
        }
        guard isDirectiveName(name) else {
            return "`{\(visible(name))}` is not a directive name: names are lowercase ASCII letters, digits and `-`"
        }
        return nil
    }

    /// The text with invisible and non-ASCII scalars spelled out (U+200B), so a message
    /// shows what is really there.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            if scalar.isASCII && scalar.value >= 0x20 && scalar.value < 0x7F { out.unicodeScalars.append(scalar) }
            else { out += String(format: "U+%04X", scalar.value) }
        }
        return out
    }

    /// Whether `closing` closes the fence that `opening` starts (CommonMark: the same
    /// character, at least as many of it, nothing else but spaces).
    static func isClosedFence(opening: String?, closing: String?) -> Bool {
        guard let opening, let closing else { return false }
        let open = opening.drop(while: { $0 == " " })
        guard let mark = open.first, mark == "`" || mark == "~" else { return true }
        let length = open.prefix(while: { $0 == mark }).count
        let close = closing.drop(while: { $0 == " " })
        let run = close.prefix(while: { $0 == mark }).count
        return run >= length && close.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
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
