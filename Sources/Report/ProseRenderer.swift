import Foundation
import Notebook

/// Renders a notebook's prose to HTML from the parser's `Markup` (cmark's parse, kept in
/// the `Document`; nothing here calls cmark again), in cmark's safe mode (raw HTML becomes
/// a comment, `javascript:` links are dropped), putting each directive cell's HTML where
/// its fenced block stood. Headings get ids for the table of contents.
///
/// Images are shown only when they are inline `data:image/` URLs: a report must open
/// without touching the network or the disk (issue 14, row 7), so any other image —
/// `https://…`, protocol-relative `//host/…`, a relative path that would read a file beside
/// the report, inline or reference-style — is shown as its alt text and its address as
/// text, and `imageWarnings` reports it with its location.
public enum ProseRenderer {
    /// `cellHTML[i]` replaces the i-th directive cell's fenced block; `references` renders
    /// inline values and cross-references (their source text when nil).
    static func render(_ document: Document, cellHTML: [String], references: ProseReferences? = nil) -> String {
        var renderer = MarkupHTML()
        renderer.headingSlugs = uniqueSlugs(document.headings.map(\.text))
        if let references {
            renderer.inlineValue = { reference, node in references.html(for: reference, at: node) }
            renderer.crossReference = { references.html(for: $0) }
        }
        var cellIndex = 0
        for block in document.blocks {
            switch block {
            case .prose(let prose):
                renderer.renderTopLevel(prose.nodes)
            case .directive:
                renderer.appendCell(cellIndex < cellHTML.count ? cellHTML[cellIndex] : "")
                cellIndex += 1
            }
        }
        return renderer.out
    }

    /// One warning per image in the prose that the report will not show, located at the
    /// image: `nb.md:9:3: warning: image `https://…` is not loaded: …`. For `run` and
    /// `check` to print and the report to list.
    /// At most `maximumImageWarnings` are listed, then one warning with the count of the
    /// rest (each warning quotes its line, and a hostile line may hold 100 000 images).
    public static func imageWarnings(in document: Document) -> [Diagnostic] {
        let images = blockedImageSources(in: document)
        var warnings = images.prefix(maximumImageWarnings).map { image in
            Diagnostic(.warning, at: image.location,
                       "image `\(image.url.prefix(200))` is not loaded: a report makes no requests and reads no files, so only " +
                       "inline data:image/ images are shown; its alt text and address are shown instead",
                       sourceLine: document.line(image.location.line))
        }
        if images.count > maximumImageWarnings, let next = images.dropFirst(maximumImageWarnings).first {
            warnings.append(Diagnostic(.warning, at: next.location,
                                       "\(images.count - maximumImageWarnings) more images from here on are not loaded either"))
        }
        return warnings
    }

    static let maximumImageWarnings = 10

    /// The images the report will not show, with where they are in the notebook.
    static func blockedImageSources(in document: Document) -> [(location: SourceLocation, url: String)] {
        var images = [(location: SourceLocation, url: String)]()
        for node in document.proseNodes {
            node.forEach { n in
                if case .image(let url, _) = n.kind, !isInline(url) {
                    images.append((SourceLocation(file: document.file, line: max(n.line, 1), column: max(n.column, 1)), url))
                }
            }
        }
        return images
    }

    /// Whether an image source may become an `<img>`: only an inline `data:image/` URL,
    /// which the Content-Security-Policy (`img-src data:`) allows and which loads nothing.
    static func isInline(_ url: String) -> Bool {
        url.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("data:image/")
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
