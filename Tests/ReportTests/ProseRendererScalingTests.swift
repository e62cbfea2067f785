import Foundation
import XCTest
import TestSupport
@testable import Notebook
@testable import Report

/// Issue 14, row 12: a notebook of many cells rendered in time linear in its length. Each
/// cell's HTML replaced its marker by a search over the whole page, so 1 000 cells took
/// seconds. Work is compared at two sizes, not timed against a clock.
final class ProseRendererScalingTests: XCTestCase {
    func testRenderingCostGrowsLinearlyWithCellCount() {
        func cost(_ cells: Int) -> Double {
            let source = String(repeating: "Text.\n\n```{probe}\ncount: 1\n```\n\n", count: cells)
            let (document, _) = NotebookParser.parse(source, file: "nb.md")
            let html = Array(repeating: "<div class=\"cell\">output</div>", count: cells)
            return leastThreadCPUTime { _ = ProseRenderer.render(document, cellHTML: html) }
        }
        // Sizes past the caches' warm-up (2 000 cells render in under a millisecond, noise),
        // least thread CPU time of five. Four times the cells: linear work is 4×, the old
        // quadratic search 16×; the limit sits between them.
        let ratio = cost(32000) / cost(8000)
        XCTAssertLessThan(ratio, 8, "32 000 cells cost \(ratio)× 8 000 cells")
    }

    func testEachCellsHTMLLandsWhereItsFenceStood() {
        let (document, _) = NotebookParser.parse("A\n\n```{probe}\n```\n\nB\n\n```{probe}\n```\n\nC\n", file: "nb.md")
        let html = ProseRenderer.render(document, cellHTML: ["<i>one</i>", "<i>two</i>"])
        XCTAssertEqual(html.replacingOccurrences(of: "\n", with: ""), "<p>A</p><i>one</i><p>B</p><i>two</i><p>C</p>")
    }
}
