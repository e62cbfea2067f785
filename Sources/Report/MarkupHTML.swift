import Foundation
import Notebook

/// Renders the parser's `Markup` to HTML the way cmark's own renderer does in its safe
/// mode (byte for byte, which `MarkupHTMLTests` checks against `cmark_render_html`): raw
/// HTML becomes a comment, `javascript:`, `vbscript:`, `file:` and non-image `data:` links
/// lose their address, text is escaped. Beyond cmark it renders pipe tables, inline
/// values and cross-references, ids on headings, and images that are not inline
/// `data:image/` URLs as their alt text and address (a report loads nothing).
struct MarkupHTML: MarkupWalker {
    /// The ids of the top-level headings, in order.
    var headingSlugs: [String] = []
    /// The HTML of an inline value (escaped by the callee).
    var inlineValue: (InlineReference, Markup) -> String = { r, _ in "<code>" + escapeHTML("{=" + r.source + "}") + "</code>" }
    /// The HTML of a cross-reference.
    var crossReference: (CrossReference) -> String = { escapeHTML("@" + $0.label) }

    private(set) var out = ""
    private var headingIndex = 0

    /// Appends a newline unless the output is empty or ends with one (cmark's `cr`).
    mutating func cr() {
        if let last = out.utf8.last, last != UInt8(ascii: "\n") { out += "\n" }
    }

    /// Renders top-level blocks (headings get their ids).
    mutating func renderTopLevel(_ nodes: [Markup]) {
        for node in nodes { render(node) }
    }

    /// Puts a cell's HTML where its fence stood, as cmark puts a custom block.
    mutating func appendCell(_ html: String) {
        cr()
        out += html
        out += "\n"
    }

    /// One top-level block, through `Markup.walk` (a loop with a stack of the open nodes,
    /// as cmark's renderer walks with its iterator — never a recursion as deep as the nesting).
    private mutating func render(_ root: Markup) {
        root.walk(with: &self)
    }

    /// Whether a node sits where inline content belongs (its parent holds inlines).
    private func isInInlineContext(_ node: Markup) -> Bool {
        guard let parent = node.parent else { return false }
        switch parent.kind {
        case .paragraph, .heading, .tableCell, .emphasis, .strong, .link, .image: return true
        default: return false
        }
    }

    /// A paragraph directly in an item of a tight list is written without `<p>`.
    private func isTight(_ node: Markup) -> Bool {
        guard let item = node.parent, case .item = item.kind, let list = item.parent,
              case .list(_, _, let tight) = list.kind else { return false }
        return tight
    }

    /// Writes what comes before a node's children; returns whether to walk into them
    /// (false: the node is written whole, or has none).
    mutating func enter(_ node: Markup) -> Bool {
        if node.kind.isBlock, isInInlineContext(node) {
            // A block where an inline was expected cannot come from cmark; its text still shows.
            out += escapeHTML(node.plainText)
            return false
        }
        switch node.kind {
        case .blockQuote:
            cr(); out += "<blockquote>\n"
        case .list(let ordered, let start, _):
            cr()
            out += !ordered ? "<ul>\n" : start == 1 ? "<ol>\n" : "<ol start=\"\(start)\">\n"
        case .item:
            cr(); out += "<li>"
        case .codeBlock(let info):
            cr()
            let language = info.prefix { !$0.isWhitespace }
            out += language.isEmpty ? "<pre><code>" : "<pre><code class=\"language-\(escapeHTML(String(language)))\">"
            out += escapeHTML(node.literal) + "</code></pre>\n"
            return false
        case .htmlBlock:
            cr(); out += "<!-- raw HTML omitted -->"; cr()
            return false
        case .paragraph:
            if !isTight(node) { cr(); out += "<p>" }
        case .heading(let level):
            cr()
            if node.parent == nil, headingIndex < headingSlugs.count {
                out += "<h\(level) id=\"\(headingSlugs[headingIndex])\">"
                headingIndex += 1
            } else {
                out += "<h\(level)>"
            }
        case .thematicBreak:
            cr(); out += "<hr />\n"
            return false
        case .table:
            cr()
            // A scroller of its own on a narrow screen, reachable by keyboard (WCAG 2.1.1), as a
            // directive's tables are.
            out += "<div class=\"table-wrap scroll-x\" role=\"region\" aria-label=\"table (scrolls sideways)\" tabindex=\"0\"><table class=\"prose-table\">\n"
        case .tableRow:
            if node.siblingIndex == 0 { out += "<thead>\n" }
            if node.siblingIndex == 1 { out += "<tbody>\n" }
            out += "<tr>\n"
        case .tableCell:
            let header = node.parent?.siblingIndex == 0
            var alignment = TableAlignment.none
            if case .table(let alignments) = node.parent?.parent?.kind, node.siblingIndex < alignments.count {
                alignment = alignments[node.siblingIndex]
            }
            let tag = header ? "th" : "td"
            out += alignment == .none ? "<\(tag)>" : "<\(tag) style=\"text-align: \(alignment.rawValue)\">"
        case .text: out += escapeHTML(node.literal); return false
        case .softBreak: out += "\n"; return false
        case .lineBreak: out += "<br />\n"; return false
        case .code: out += "<code>" + escapeHTML(node.literal) + "</code>"; return false
        case .htmlInline: out += "<!-- raw HTML omitted -->"; return false
        case .emphasis: out += "<em>"
        case .strong: out += "<strong>"
        case .link(let url, let title):
            out += "<a href=\"" + (isDangerous(url) ? "" : escapeHref(url)) + "\""
            if !title.isEmpty { out += " title=\"" + escapeHTML(title) + "\"" }
            out += ">"
        case .image(let url, let title):
            guard ProseRenderer.isInline(url) else {
                out += "<span class=\"blocked-image\">"
                return true
            }
            out += "<img src=\"" + (isDangerous(url) ? "" : escapeHref(url)) + "\" alt=\""
            out += escapeHTML(node.plainText)
            if !title.isEmpty { out += "\" title=\"" + escapeHTML(title) }
            out += "\" />"
            return false
        case .inlineValue(let reference): out += inlineValue(reference, node); return false
        case .crossReference(let reference): out += crossReference(reference); return false
        }
        return true
    }

    /// Writes what comes after a node's children.
    mutating func leave(_ node: Markup) {
        switch node.kind {
        case .blockQuote: cr(); out += "</blockquote>\n"
        case .list(let ordered, _, _): out += ordered ? "</ol>\n" : "</ul>\n"
        case .item: out += "</li>\n"
        case .paragraph: if !isTight(node) { out += "</p>\n" }
        case .heading(let level): out += "</h\(level)>\n"
        case .table:
            if node.children.count > 1 { out += "</tbody>\n" }
            out += "</table></div>\n"
        case .tableRow:
            out += "</tr>\n"
            if node.siblingIndex == 0 { out += "</thead>\n" }
        case .tableCell: out += node.parent?.siblingIndex == 0 ? "</th>\n" : "</td>\n"
        case .emphasis: out += "</em>"
        case .strong: out += "</strong>"
        case .link: out += "</a>"
        case .image(let url, _):
            out += (node.hasChildren ? " " : "") + "(image not loaded: <code>" + escapeHTML(url) + "</code>)</span>"
        default: break
        }
    }

    /// cmark's `_scan_dangerous_url`: these schemes lose their address in safe mode.
    private func isDangerous(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("data:") {
            return !["image/png", "image/gif", "image/jpeg", "image/webp"].contains { lower.dropFirst(5).hasPrefix($0) }
        }
        return ["javascript:", "vbscript:", "file:"].contains { lower.hasPrefix($0) }
    }

    /// cmark's `houdini_escape_href`: URL-safe bytes kept, `&` and `'` as entities, the rest %XX.
    private func escapeHref(_ url: String) -> String {
        var result = ""
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "&"): result += "&amp;"
            case UInt8(ascii: "'"): result += "&#x27;"
            default:
                if Self.hrefSafe(byte) { result.unicodeScalars.append(Unicode.Scalar(byte)) } else { result += String(format: "%%%02X", byte) }
            }
        }
        return result
    }

    private static func hrefSafe(_ byte: UInt8) -> Bool {
        guard byte < 128 else { return false }
        let c = Character(Unicode.Scalar(byte))
        return c.isLetter || c.isNumber || "-_.+!*(),%#@?=;:/$~".contains(c)
    }
}

/// cmark's HTML text escape: `&`, `<`, `>`, `"` (enough for text and double-quoted attributes).
public func escapeHTML(_ text: String) -> String {
    guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
