import XCTest
@testable import Notebook

/// Issue 16, items 2 and 3: inline values and cross-references are checked before anything
/// runs, each error with its exact message at its place in the prose.
final class ProseReferenceTests: XCTestCase {
    /// A cell `p` storing a dataset `p` and an estimate `p.side`, then `source` as prose.
    private func check(_ prose: String) -> [String] {
        diagnostics(of: "```{probe}\nid: p\n```\n\n" + prose + "\n")
    }

    func testKnownReferencesPass() {
        XCTAssertEqual(check("n = `{=p.n}`, H = `{=p.side:.2f}` ± `{=p.side.se}`, see @cell-p and @fig-p.entropy."), [])
    }

    func testUnknownResultSuggestsNearestId() {
        XCTAssertEqual(check("Value: `{=p.sied}`."), [
            "nb.md:5:9: error: `{=p.sied}`: a dataset has no field `sied` (fields: n, D, k)",
        ])
        XCTAssertEqual(check("Value: `{=q.side}`."), [
            "nb.md:5:9: error: `{=q.side}`: no cell stores a result `q`; did you mean `p.side`? (results: p, p.side)",
        ])
    }

    func testUnknownFieldSuggestsNearestField() {
        XCTAssertEqual(check("SE: `{=p.side.sr}`"), [
            "nb.md:5:6: error: `{=p.side.sr}`: an estimate has no field `sr`; did you mean `se`? (fields: name, value, se, unit, detail)",
        ])
    }

    func testDatasetNeedsAField() {
        XCTAssertEqual(check("`{=p}`"), ["nb.md:5:2: error: `{=p}`: name a field of a dataset: n, D, k"])
    }

    func testBadFormatIsAnError() {
        XCTAssertEqual(check("`{=p.side:.2x}`"), ["nb.md:5:2: error: `{=p.side:.2x}`: `.2x` is not a format; write .2f, .3g, .2e, d or %"])
    }

    func testDetailNeedsAName() {
        XCTAssertEqual(check("`{=p.side.detail}`"), ["nb.md:5:2: error: `{=p.side.detail}`: write `p.side.detail.NAME`, NAME a detail of the estimate"])
    }

    func testUnknownCrossReferenceLabelSuggests() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nid: curve\n```\n\nAs @fig-curv shows, and @tbl-zz.\n"), [
            "nb.md:5:4: error: `@fig-curv`: no cell has the id `curv`; did you mean `curve`? (a cross-reference is @fig-ID, @tbl-ID or @cell-ID, ID a cell's id, optionally .NAME of one of its figures or tables)",
            "nb.md:5:25: error: `@tbl-zz`: no cell has the id `zz` (a cross-reference is @fig-ID, @tbl-ID or @cell-ID, ID a cell's id, optionally .NAME of one of its figures or tables)",
        ])
    }

    func testReferencesAreRecognisedOnlyWhereTheyAreMeant() {
        // An e-mail address and a plain code span are text; a trailing full stop is punctuation.
        let (document, _) = NotebookParser.parse("mail a@fig-x.org, `{not}` and @cell-p.\n", file: "nb.md")
        var found = [String]()
        for node in document.proseNodes {
            node.forEach { n in
                if case .crossReference(let r) = n.kind { found.append(r.label) }
                if case .inlineValue(let r) = n.kind { found.append(r.source) }
            }
        }
        XCTAssertEqual(found, ["cell-p"])
    }
}
