import CCmark
import Foundation
import TestSupport
import XCTest
@testable import Notebook
@testable import Report

/// The report renders prose from the parser's mirror of cmark's tree (issue 13, item 4: one
/// cmark front door). Where cmark knows the construct, the output must be cmark's own,
/// byte for byte: checked against `cmark_render_html` in safe mode.
final class MarkupHTMLTests: XCTestCase {
    private func cmarkHTML(_ markdown: String) -> String {
        guard let root = NotebookParser.cmarkParse(markdown), let raw = cmark_render_html(root, CMARK_OPT_DEFAULT) else { return "" }
        defer { cmark_node_free(root); free(raw) }
        return String(cString: raw)
    }

    private func mirrorHTML(_ markdown: String) -> String {
        let (document, _) = NotebookParser.parse(markdown, file: "nb.md")
        var renderer = MarkupHTML()
        renderer.renderTopLevel(document.proseNodes)
        return renderer.out
    }

    func testMirrorRendersLikeCmarkInSafeMode() {
        let samples = [
            "# Title\n\nA *b* **c** `d` [e](https://x.org/a?b=1&c='2' \"t\") <b>raw</b> & < > \" 'q'\n",
            "Soft\nbreak and hard  \nbreak\\\nagain\n",
            "- tight\n- list\n\n1. a\n2. b\n\n3) start\n4) three\n",
            "- loose\n\n- list\n  > quote\n  > more\n",
            "> # nested heading\n> para\n\n---\n\n***\n",
            "```python\nx = '<y>'\n```\n\n    indented <code>\n\n~~~\nplain\n~~~\n",
            "<div>\nblock html\n</div>\n\npara <span>inline</span> <!-- c -->\n",
            "[bad](javascript:alert(1)) [v](VBScript:x) [f](file:///etc/passwd) [d](data:text/html,x) [ok](data:image/png;base64,AA)\n",
            "![alt *em* `c`](data:image/png;base64,AAAA \"title\") [ref]\n\n[ref]: /url%20x?q=a b\n",
            "Entities: &amp; &copy; &#35; &#x22; \\* \\_ ü ∑ 😀 [~tilde](/a~b{c}|d^e`f)\n",
            "Setext\n===\n\nSecond\n---\n",
        ]
        for sample in samples {
            XCTAssertEqual(mirrorHTML(sample), cmarkHTML(sample), "sample: \(sample)")
        }
    }

    /// Issue 28: the mirror and its renderer walk with explicit stacks, so nesting as deep as
    /// the parser allows renders — byte for byte as cmark's own (iterative) renderer.
    func testDeepNestingRendersLikeCmark() {
        let n = 20_000
        let samples = [
            String(repeating: ">", count: 5 * n) + " deep\n",
            String(repeating: "- ", count: n) + "x\n",
            String(repeating: "*", count: n) + "x" + String(repeating: "*", count: n) + "\n",
            String(repeating: "[", count: n) + "x" + String(repeating: "](u)", count: n) + "\n",
            String(repeating: "![", count: n) + "x" + String(repeating: "](data:image/png;base64,AA)", count: n) + "\n",
        ]
        for sample in samples {
            let mirror = mirrorHTML(sample)
            XCTAssertEqual(mirror, cmarkHTML(sample), String(sample.prefix(20)))
        }
    }

    func testEveryNotebookProseRendersLikeCmark() throws {
        let notebooks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("notebooks")
        for name in try FileManager.default.contentsOfDirectory(atPath: notebooks.path) where name.hasSuffix(".md") {
            let source = try String(contentsOf: notebooks.appendingPathComponent(name), encoding: .utf8)
            // Prose only: directive fences become the cells' HTML, which cmark knows nothing of;
            // pipe tables and inline values are the project's own.
            let (document, _) = NotebookParser.parse(source, file: name)
            var prose = [String]()
            for block in document.blocks {
                guard case .prose(let p) = block else { continue }
                prose.append((p.firstLine...p.lastLine).compactMap { document.line($0) }.joined(separator: "\n"))
            }
            let text = prose.joined(separator: "\n\n")
            guard !text.contains("|"), !text.contains("`{="), !text.contains("@fig-"), !text.contains("@tbl-"), !text.contains("@cell-") else { continue }
            XCTAssertEqual(mirrorHTML(text), cmarkHTML(text), name)
        }
    }

    /// Issue 16, item 4: alignment, inline Markdown in cells (safe mode), an escaped `\<script>`
    /// shown as text and a raw one dropped, an escaped pipe inside a cell.
    func testPipeTableGolden() throws {
        let markdown = """
            Before the table.

            | estimator | value | note |
            |:--|--:|:-:|
            | `mle` (k = 20) | **11.31** | \\<script>alert(1)</script> |
            | TwoNN | 12.59 | a \\| b, <script>x</script> [link](javascript:alert(1)) |

            After.

            """
        let (document, diagnostics) = NotebookParser.parse(markdown, file: "nb.md")
        XCTAssertEqual(diagnostics, [])
        let html = ProseRenderer.render(document, cellHTML: [])
        XCTAssertFalse(html.contains("<script"), html)
        try assertGolden(html, "pipe-table.html")
    }

    func testMalformedTableRowFallsBackToTextWithAWarning() {
        let markdown = "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n"
        let (document, diagnostics) = NotebookParser.parse(markdown, file: "nb.md")
        XCTAssertEqual(diagnostics.map(\.description), [
            "nb.md:3:1: warning: this table row has 3 cells separated by `|` but the header has 2; the table is shown as text",
        ])
        XCTAssertEqual(ProseRenderer.render(document, cellHTML: []), "<p>| a | b |\n|---|---|\n| 1 | 2 | 3 |</p>\n")
    }

    func testDelimiterRowOfAnotherWidthIsAWarning() {
        let (_, diagnostics) = NotebookParser.parse("| a | b |\n|---|\n", file: "nb.md")
        XCTAssertEqual(diagnostics.map(\.description), [
            "nb.md:2:1: warning: the table's delimiter row has 1 cells but its header has 2; the table is shown as text",
        ])
    }

    func testCellThatLooksLikeABlockStaysInline() {
        let (document, _) = NotebookParser.parse("| h | i |\n|---|---|\n| # not a heading | 1. not a list |\n", file: "nb.md")
        let html = ProseRenderer.render(document, cellHTML: [])
        XCTAssertTrue(html.contains("<td># not a heading</td>"), html)
        XCTAssertTrue(html.contains("<td>1. not a list</td>"), html)
    }
}
