import CCmark
import Foundation
import Notebook

/// Renders a notebook's Markdown to HTML with cmark in its safe mode (raw HTML becomes a
/// comment, `javascript:` links are dropped), putting each directive cell's HTML where its
/// fenced block stood. The whole document is parsed once, so link references work across
/// cells. Headings get ids for the table of contents.
enum ProseRenderer {
    /// `cellHTML[i]` replaces the i-th directive cell's fenced block.
    static func render(_ document: Document, cellHTML: [String]) -> String {
        // Blank the front matter, as the parser did, so cmark sees the same lines.
        let lines = document.source.split(separator: "\n", omittingEmptySubsequences: false)
        let body = lines.enumerated().map { $0.offset < document.frontMatter.lastLine ? "" : String($0.element) }
            .joined(separator: "\n")
        let cellLines = Set(document.cells.map(\.location.line))
        var markers = [String]()
        let utf8 = Array(body.utf8)
        guard let root = utf8.withUnsafeBufferPointer({ p -> OpaquePointer? in
            guard let base = p.baseAddress else { return cmark_parse_document("", 0, CMARK_OPT_DEFAULT) }
            return base.withMemoryRebound(to: CChar.self, capacity: p.count) { cmark_parse_document($0, p.count, CMARK_OPT_DEFAULT) }
        }) else { return "" }
        defer { cmark_node_free(root) }

        var node = cmark_node_first_child(root)
        var cellIndex = 0
        while let current = node {
            let next = cmark_node_next(current)
            if cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK,
               cellLines.contains(Int(cmark_node_get_start_line(current))),
               let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) {
                let marker = "<!--entropybook-cell-\(cellIndex)-->"
                markers.append(marker)
                cmark_node_set_on_enter(custom, marker)
                cmark_node_replace(current, custom)
                cmark_node_free(current)
                cellIndex += 1
            }
            node = next
        }
        guard let raw = cmark_render_html(root, CMARK_OPT_DEFAULT) else { return "" }
        var html = String(cString: raw)
        free(raw)
        html = addHeadingIDs(html, headings: document.headings)
        return replacingMarkers(markers, in: html, with: cellHTML)
    }

    /// Puts each cell's HTML where its marker stands, in one pass: the markers come in
    /// document order, and replacing them one by one over the whole page was quadratic in
    /// the number of cells (a 1 000-cell notebook spent seconds here).
    static func replacingMarkers(_ markers: [String], in html: String, with cellHTML: [String]) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count + cellHTML.reduce(0) { $0 + $1.utf8.count })
        var rest = Substring(html)
        for (i, marker) in markers.enumerated() {
            guard let r = rest.range(of: marker) else { continue }
            out += rest[..<r.lowerBound]
            out += i < cellHTML.count ? cellHTML[i] : ""
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    /// Gives the n-th `<hK>` the id of the n-th heading (cmark emits them in order and
    /// without attributes).
    static func addHeadingIDs(_ html: String, headings: [Document.Heading]) -> String {
        var out = ""
        var rest = Substring(html)
        let slugs = uniqueSlugs(headings.map(\.text))
        for (heading, slug) in zip(headings, slugs) {
            let tag = "<h\(heading.level)>"
            guard let r = rest.range(of: tag) else { break }
            out += rest[..<r.lowerBound]
            out += "<h\(heading.level) id=\"\(slug)\">"
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    /// GitHub-style slugs, made unique with -1, -2, …
    static func uniqueSlugs(_ texts: [String]) -> [String] {
        var seen = [String: Int]()
        return texts.map { text in
            var slug = String(text.lowercased().unicodeScalars.compactMap { s -> Character? in
                if CharacterSet.alphanumerics.contains(s) { return Character(s) }
                if s == " " || s == "-" || s == "_" { return "-" }
                return nil
            })
            if slug.isEmpty { slug = "section" }
            if let n = seen[slug] { seen[slug] = n + 1; slug += "-\(n + 1)" } else { seen[slug] = 0 }
            return slug
        }
    }
}
