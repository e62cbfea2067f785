import Foundation
import Notebook

/// Renders the parser's `Markup` to HTML the way cmark's own renderer does in its safe
/// mode (byte for byte, which `MarkupHTMLTests` checks against `cmark_render_html`): raw
/// HTML becomes a comment, `javascript:`, `vbscript:`, `file:` and non-image `data:` links
/// lose their address, text is escaped. Beyond cmark it renders pipe tables, inline
/// values and cross-references, ids on headings, and images that are not inline
/// `data:image/` URLs as their alt text and address (a report loads nothing).
struct MarkupHTML {
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
        for node in nodes { block(node, tight: false, topLevel: true) }
    }

    /// Puts a cell's HTML where its fence stood, as cmark puts a custom block.
    mutating func appendCell(_ html: String) {
        cr()
        out += html
        out += "\n"
    }

    private mutating func block(_ node: Markup, tight: Bool, topLevel: Bool = false) {
        switch node.kind {
        case .blockQuote:
            cr(); out += "<blockquote>\n"
            for child in node.children { block(child, tight: false) }
            cr(); out += "</blockquote>\n"
        case .list(let ordered, let start, let isTight):
            cr()
            out += !ordered ? "<ul>\n" : start == 1 ? "<ol>\n" : "<ol start=\"\(start)\">\n"
            for item in node.children {
                cr(); out += "<li>"
                for child in item.children { block(child, tight: isTight) }
                out += "</li>\n"
            }
            out += ordered ? "</ol>\n" : "</ul>\n"
        case .codeBlock(let info):
            cr()
            let language = info.prefix { !$0.isWhitespace }
            out += language.isEmpty ? "<pre><code>" : "<pre><code class=\"language-\(escapeHTML(String(language)))\">"
            out += escapeHTML(node.literal) + "</code></pre>\n"
        case .htmlBlock:
            cr(); out += "<!-- raw HTML omitted -->"; cr()
        case .paragraph:
            if tight {
                inlines(node.children)
            } else {
                cr(); out += "<p>"; inlines(node.children); out += "</p>\n"
            }
        case .heading(let level):
            cr()
            if topLevel, headingIndex < headingSlugs.count {
                out += "<h\(level) id=\"\(headingSlugs[headingIndex])\">"
                headingIndex += 1
            } else {
                out += "<h\(level)>"
            }
            inlines(node.children)
            out += "</h\(level)>\n"
        case .thematicBreak:
            cr(); out += "<hr />\n"
        case .table(let alignments):
            table(node, alignments: alignments)
        default:
            inline(node)
        }
    }

    private mutating func table(_ node: Markup, alignments: [TableAlignment]) {
        cr()
        // A scroller of its own on a narrow screen, reachable by keyboard (WCAG 2.1.1), as a
        // directive's tables are.
        out += "<div class=\"table-wrap scroll-x\" role=\"region\" aria-label=\"table (scrolls sideways)\" tabindex=\"0\"><table class=\"prose-table\">\n"
        for (index, row) in node.children.enumerated() {
            let header = index == 0
            if index == 0 { out += "<thead>\n" }
            if index == 1 { out += "<tbody>\n" }
            out += "<tr>\n"
            for (column, cell) in row.children.enumerated() {
                let tag = header ? "th" : "td"
                let alignment = column < alignments.count ? alignments[column] : .none
                out += alignment == .none ? "<\(tag)>" : "<\(tag) style=\"text-align: \(alignment.rawValue)\">"
                inlines(cell.children)
                out += "</\(tag)>\n"
            }
            out += "</tr>\n"
            if index == 0 { out += "</thead>\n" }
        }
        if node.children.count > 1 { out += "</tbody>\n" }
        out += "</table></div>\n"
    }

    private mutating func inlines(_ nodes: [Markup]) {
        for node in nodes { inline(node) }
    }

    private mutating func inline(_ node: Markup) {
        switch node.kind {
        case .text: out += escapeHTML(node.literal)
        case .softBreak: out += "\n"
        case .lineBreak: out += "<br />\n"
        case .code: out += "<code>" + escapeHTML(node.literal) + "</code>"
        case .htmlInline: out += "<!-- raw HTML omitted -->"
        case .emphasis: out += "<em>"; inlines(node.children); out += "</em>"
        case .strong: out += "<strong>"; inlines(node.children); out += "</strong>"
        case .link(let url, let title):
            out += "<a href=\"" + (isDangerous(url) ? "" : escapeHref(url)) + "\""
            if !title.isEmpty { out += " title=\"" + escapeHTML(title) + "\"" }
            out += ">"; inlines(node.children); out += "</a>"
        case .image(let url, let title):
            image(node, url: url, title: title)
        case .inlineValue(let reference): out += inlineValue(reference, node)
        case .crossReference(let reference): out += crossReference(reference)
        default:
            // A block where an inline was expected cannot come from cmark; its text still shows.
            out += escapeHTML(node.plainText)
        }
    }

    private mutating func image(_ node: Markup, url: String, title: String) {
        guard ProseRenderer.isInline(url) else {
            out += "<span class=\"blocked-image\">"
            inlines(node.children)
            out += (node.children.isEmpty ? "" : " ") + "(image not loaded: <code>" + escapeHTML(url) + "</code>)</span>"
            return
        }
        out += "<img src=\"" + (isDangerous(url) ? "" : escapeHref(url)) + "\" alt=\""
        out += escapeHTML(node.children.map(\.plainText).joined())
        if !title.isEmpty { out += "\" title=\"" + escapeHTML(title) }
        out += "\" />"
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

/// cmark's HTML text escape: `&`, `<`, `>`, `"`.
func escapeHTML(_ text: String) -> String {
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
