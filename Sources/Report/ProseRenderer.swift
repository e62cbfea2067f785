import CCmark
import Foundation
import Notebook

/// Renders a notebook's Markdown to HTML with cmark in its safe mode (raw HTML becomes a
/// comment, `javascript:` links are dropped), putting each directive cell's HTML where its
/// fenced block stood. The whole document is parsed once, so link references work across
/// cells. Headings get ids for the table of contents.
///
/// Images are shown only when they are inline `data:image/` URLs: a report must open
/// without touching the network or the disk (issue 14, row 7), so any other image —
/// `https://…`, protocol-relative `//host/…`, a relative path that would read a file beside
/// the report, inline or reference-style — is shown as its alt text and its address as
/// text, and `imageWarnings` reports it with its location.
public enum ProseRenderer {
    /// `cellHTML[i]` replaces the i-th directive cell's fenced block.
    static func render(_ document: Document, cellHTML: [String]) -> String {
        guard let root = parse(document) else { return "" }
        defer { cmark_node_free(root) }
        let cellLines = Set(document.cells.map(\.location.line))
        var markers = [String]()
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
        for image in blockedImages(in: root) { replaceWithText(image.node, url: image.url) }
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
            guard let r = firstRange(of: marker, in: rest) else { continue }
            out += rest[..<r.lowerBound]
            out += i < cellHTML.count ? cellHTML[i] : ""
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    /// The first occurrence of `needle` in `text`, searched in UTF-8 from the start and
    /// stopping there. Foundation's `range(of:)` on a Substring bridges the whole rest of
    /// the page each call, which made the passes above quadratic again.
    static func firstRange(of needle: String, in text: Substring) -> Range<Substring.Index>? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return nil }
        let utf8 = text.utf8
        var i = utf8.startIndex
        while let start = utf8[i...].firstIndex(of: first) {
            var end = start
            var matched = true
            for byte in pattern {
                guard end < utf8.endIndex, utf8[end] == byte else { matched = false; break }
                end = utf8.index(after: end)
            }
            if matched { return start..<end }
            i = utf8.index(after: start)
        }
        return nil
    }

    /// One warning per image in the prose that the report will not show, located at the
    /// image: `nb.md:9:3: warning: image `https://…` is not loaded: …`. For `run` and
    /// `check` to print and the report to list.
    public static func imageWarnings(in document: Document) -> [Diagnostic] {
        blockedImageSources(in: document).map { image in
            Diagnostic(.warning, at: image.location,
                       "image `\(image.url)` is not loaded: a report makes no requests and reads no files, so only " +
                       "inline data:image/ images are shown; its alt text and address are shown instead",
                       sourceLine: document.line(image.location.line))
        }
    }

    /// The images the report will not show, with where they are in the notebook.
    static func blockedImageSources(in document: Document) -> [(location: SourceLocation, url: String)] {
        guard let root = parse(document) else { return [] }
        defer { cmark_node_free(root) }
        return blockedImages(in: root).map {
            (SourceLocation(file: document.file, line: $0.line, column: $0.column), $0.url)
        }
    }

    /// Whether an image source may become an `<img>`: only an inline `data:image/` URL,
    /// which the Content-Security-Policy (`img-src data:`) allows and which loads nothing.
    static func isInline(_ url: String) -> Bool {
        url.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("data:image/")
    }

    /// The document's Markdown with the front matter blanked, as the parser saw it (so
    /// lines and columns match), or nil when cmark fails.
    private static func parse(_ document: Document) -> OpaquePointer? {
        let lines = document.source.split(separator: "\n", omittingEmptySubsequences: false)
        let body = lines.enumerated().map { $0.offset < document.frontMatter.lastLine ? "" : String($0.element) }
            .joined(separator: "\n")
        let utf8 = Array(body.utf8)
        return utf8.withUnsafeBufferPointer { p -> OpaquePointer? in
            guard let base = p.baseAddress else { return cmark_parse_document("", 0, CMARK_OPT_DEFAULT) }
            return base.withMemoryRebound(to: CChar.self, capacity: p.count) { cmark_parse_document($0, p.count, CMARK_OPT_DEFAULT) }
        }
    }

    private struct BlockedImage {
        var node: OpaquePointer
        var url: String
        var line: Int
        var column: Int
    }

    /// Every image node whose source is not inline, in document order. Collected before
    /// any is replaced: cmark's iterator must not see the tree change under it.
    private static func blockedImages(in root: OpaquePointer) -> [BlockedImage] {
        guard let iterator = cmark_iter_new(root) else { return [] }
        defer { cmark_iter_free(iterator) }
        var images = [BlockedImage]()
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
                  let node = cmark_iter_get_node(iterator), cmark_node_get_type(node) == CMARK_NODE_IMAGE else { continue }
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            guard !isInline(url) else { continue }
            // Inline nodes may carry no position; the nearest block that has one stands in.
            var located: OpaquePointer? = node
            while let n = located, cmark_node_get_start_line(n) == 0 { located = cmark_node_parent(n) }
            let line = located.map { Int(cmark_node_get_start_line($0)) } ?? 1
            let column = located.map { Int(cmark_node_get_start_column($0)) } ?? 1
            images.append(BlockedImage(node: node, url: url, line: max(line, 1), column: max(column, 1)))
        }
        return images
    }

    /// Replaces an image by `<span class="blocked-image">ALT (image not loaded: <code>URL</code>)</span>`,
    /// built from cmark nodes so the alt text and the URL are escaped like any text.
    private static func replaceWithText(_ image: OpaquePointer, url: String) {
        guard let span = cmark_node_new(CMARK_NODE_CUSTOM_INLINE),
              let open = cmark_node_new(CMARK_NODE_TEXT), let code = cmark_node_new(CMARK_NODE_CODE),
              let close = cmark_node_new(CMARK_NODE_TEXT) else {
            // Out of memory: dropping the image still keeps the report from calling out.
            cmark_node_unlink(image)
            cmark_node_free(image)
            return
        }
        cmark_node_set_on_enter(span, "<span class=\"blocked-image\">")
        cmark_node_set_on_exit(span, "</span>")
        while let child = cmark_node_first_child(image) { cmark_node_append_child(span, child) }
        cmark_node_set_literal(open, cmark_node_first_child(span) == nil ? "(image not loaded: " : " (image not loaded: ")
        cmark_node_set_literal(code, url)
        cmark_node_set_literal(close, ")")
        cmark_node_append_child(span, open)
        cmark_node_append_child(span, code)
        cmark_node_append_child(span, close)
        cmark_node_replace(image, span)
        cmark_node_free(image)
    }

    /// Gives the n-th `<hK>` the id of the n-th heading (cmark emits them in order and
    /// without attributes).
    static func addHeadingIDs(_ html: String, headings: [Document.Heading]) -> String {
        var out = ""
        var rest = Substring(html)
        let slugs = uniqueSlugs(headings.map(\.text))
        for (heading, slug) in zip(headings, slugs) {
            let tag = "<h\(heading.level)>"
            guard let r = firstRange(of: tag, in: rest) else { break }
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
