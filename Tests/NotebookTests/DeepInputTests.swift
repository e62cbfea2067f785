import Foundation
import XCTest
@testable import Notebook

/// Issue 28's two regressions: prose nested 10⁵–10⁶ deep crashed `check` (a recursive walk
/// over cmark's tree overflowed the stack), and a YAML alias bomb hung it (a walk over the
/// alias-expanded tree). Each input here gets an answer — a tree of the right depth or a
/// located error. What the tests show is the absence of a crash or a hang (a hang would time
/// the suite out); the inputs are sized so that correct code answers in well under a second.
final class DeepInputTests: XCTestCase {
    // MARK: Prose

    func testMillionDeepBlockQuoteIsALocatedError() {
        let source = "# t\n\n" + String(repeating: "> ", count: 1_000_000) + "deep\n"
        let (document, messages) = NotebookParser.parse(source, file: "nb.md")
        XCTAssertEqual(messages.map(\.description), [
            "nb.md:3:200001: error: block quotes and list items nest more than 100 000 deep from here on; "
                + "prose may nest at most 100 000 levels (each level is held in memory)"])
        XCTAssertTrue(document.blocks.isEmpty)
        XCTAssertLessThan(messages[0].rendered.count, 800, "a hostile line is quoted as a window, not whole")
    }

    func testHundredThousandDeepBlockQuoteIsMirroredWhole() {
        let depth = 100_000
        let (document, messages) = NotebookParser.parse(String(repeating: ">", count: depth) + " deep\n", file: "nb.md")
        XCTAssertEqual(messages, [])
        let root = try? XCTUnwrap(document.proseNodes.first)
        var quotes = 0, text = ""
        root?.forEach { node in
            if case .blockQuote = node.kind { quotes += 1 }
            if case .text = node.kind { text += node.literal }
        }
        XCTAssertEqual(quotes, depth)
        XCTAssertEqual(text, "deep")
        // Compared, hashed and freed as flat storage: none of these may recurse 10⁵ deep.
        XCTAssertEqual(document.proseNodes, NotebookParser.parse(String(repeating: ">", count: depth) + " deep\n", file: "nb.md").0.proseNodes)
        var hasher = Hasher()
        root.hash(into: &hasher)
        _ = hasher.finalize()
    }

    func testDeepListsEmphasisBracketsAndLinksAnswer() {
        let n = 20_000
        // Lists, ordered lists: one list and one item per level.
        XCTAssertEqual(depthOfLeaf(String(repeating: "- ", count: n) + "x\n"), 2 * n + 1)
        XCTAssertEqual(depthOfLeaf(String(repeating: "1. ", count: n) + "x\n"), 2 * n + 1)
        // Emphasis: cmark pairs `**` as strong, one level per pair.
        XCTAssertEqual(depthOfLeaf(String(repeating: "*", count: n) + "x" + String(repeating: "*", count: n) + "\n"), n / 2 + 1)
        // Images nest (links may not contain links): one image per level.
        XCTAssertEqual(depthOfLeaf(String(repeating: "![", count: n) + "x" + String(repeating: "](u)", count: n) + "\n"), n + 1)
        // Brackets without a destination stay text.
        XCTAssertEqual(depthOfLeaf(String(repeating: "[", count: n) + "x" + String(repeating: "]", count: n) + "\n"), 1)
    }

    /// Depth of the deepest text node (0 for a top-level block), through parents.
    private func depthOfLeaf(_ source: String) -> Int {
        let (document, messages) = NotebookParser.parse(source, file: "nb.md")
        XCTAssertEqual(messages.filter { $0.severity == .error }, [])
        var deepest = -1
        for root in document.proseNodes {
            root.forEach { node in
                guard case .text = node.kind else { return }
                var d = 0
                var p = node.parent
                while let q = p { d += 1; p = q.parent }
                deepest = max(deepest, d)
            }
        }
        return deepest
    }

    func testNestingPastTheLimitIsLocatedForEachConstruct() {
        let n = 100_001
        let cases: [(String, String)] = [
            (String(repeating: "- ", count: n) + "x\n",
             "nb.md:1:200001: error: block quotes and list items nest more than 100 000 deep"),
            (String(repeating: "*", count: 2 * n) + "x" + String(repeating: "*", count: 2 * n) + "\n",
             "nb.md:1:200002: error: emphasis, links and images in this paragraph could nest more than 100 000 deep"),
            (String(repeating: "[", count: n) + "x" + String(repeating: "]", count: n) + "\n",
             "nb.md:1:100001: error: brackets `[` in this paragraph nest more than 100 000 deep"),
            ("para\n\n" + String(repeating: "![", count: n) + "x" + String(repeating: "](u)", count: n) + "\n",
             "nb.md:3:200002: error: brackets `[` in this paragraph nest more than 100 000 deep"),
        ]
        for (source, prefix) in cases {
            let messages = NotebookParser.parse(source, file: "nb.md").1.map(\.description)
            XCTAssertEqual(messages.count, 1, prefix)
            XCTAssert(messages.first?.hasPrefix(prefix) == true, "\(messages.first ?? "none") does not start with \(prefix)")
        }
    }

    func testFencedCodeAndThematicBreaksAreNotCountedAsNesting() {
        let stars = String(repeating: "*", count: 300_000)
        XCTAssertEqual(NotebookParser.parse("\(stars)\n\n```\n" + String(repeating: "> ", count: 200_000) + "\n```\n", file: "nb.md").1, [])
    }

    func testBoundIsAnUpperBoundOnRealNesting() {
        // Indentation continues a list only as deep as lists were opened before.
        XCTAssertNil(ProseNesting.check(String(repeating: " ", count: 10_000) + "x\n", file: "nb.md", lineText: { _ in nil }, limit: 10))
        XCTAssertNotNil(ProseNesting.check("- - - - - x\n" + String(repeating: " ", count: 30) + "- - - - - - x\n", file: "nb.md",
                                           lineText: { _ in nil }, limit: 10))
        XCTAssertNil(ProseNesting.check("- - - - - x\n" + String(repeating: " ", count: 30) + "- x\n", file: "nb.md",
                                        lineText: { _ in nil }, limit: 10))
    }

    // MARK: YAML alias bombs

    /// `levels` levels of ten aliases each: 10^levels nodes once expanded.
    private func bomb(_ levels: Int, indent: String = "") -> String {
        var lines = ["\(indent)a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1..<levels {
            lines.append("\(indent)a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines.append("\(indent)n: *a\(levels - 1)")
        return lines.joined(separator: "\n")
    }

    private let refusal = "YAML aliases expand past 100 000 nodes here: `*a3` stands for 11 111 nodes, copied where it is used; "
        + "a block may expand to at most 100 000 (write the values out, or use fewer aliases)"

    func testAliasBombInACellBodyIsALocatedError() {
        XCTAssertEqual(diagnostics(of: "```{probe}\n" + bomb(15) + "\n```\n"),
                       ["nb.md:6:45: error: the body of {probe}: " + refusal])
    }

    func testAliasBombAsAMappingKeyIsRefusedBeforeYamsHashesIt() {
        XCTAssertEqual(diagnostics(of: "```{probe}\n" + bomb(15) + "\n? *a14\n: 1\n```\n"),
                       ["nb.md:6:45: error: the body of {probe}: " + refusal])
        XCTAssertEqual(diagnostics(of: "```{probe}\n" + bomb(15) + "\n{*a14: 1}: 2\n```\n"),
                       ["nb.md:6:45: error: the body of {probe}: " + refusal])
    }

    func testAliasBombInFrontMatterIsALocatedError() {
        XCTAssertEqual(diagnostics(of: "---\n" + bomb(15) + "\ntitle: *a14\n---\n# x\n"),
                       ["nb.md:6:45: error: front matter: " + refusal])
        XCTAssertEqual(diagnostics(of: "---\nparams:\n" + bomb(15, indent: "  ") + "\n---\n# x\n"),
                       ["nb.md:7:47: error: front matter: " + refusal])
    }

    func testAliasBombInACommandLineValueIsText() {
        // `-p` values are substituted into a scalar's text and never read as YAML.
        let value = bomb(15).replacingOccurrences(of: "\n", with: " ")
        XCTAssertEqual(diagnostics(of: "---\nparams:\n  n: 3\n---\n```{probe}\ncount: ${n}\n```\n", overrides: ["n": value]).count, 1)
        let message = diagnostics(of: "---\nparams:\n  n: 3\n---\n```{probe}\ncount: ${n}\n```\n", overrides: ["n": value]).first ?? ""
        XCTAssertEqual(message, "nb.md:6:8: error: `count` must be an integer, not `${n}`")
    }

    func testModerateAliasesStillWork() {
        XCTAssertEqual(diagnostics(of: "```{probe}\ndims: &d [1, 2, 3]\n```\n\n```{probe}\ncount: &c 5\nratio: 0.5\n```\n"), [])
        XCTAssertNoThrow(try YAMLGuard.checkExpansion("a: &a [1, 2]\nb: [*a, *a]\nc: '*a'\n"))
        // Five levels of nine stay under the budget (the fuzzer's old bomb, 9⁶ would not).
        XCTAssertNoThrow(try YAMLGuard.checkExpansion("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b]\n"))
    }

    func testAliasesThatNestPastTheDepthLimitAreRefused() {
        // Each level 20 brackets deep, 60 levels: 1 200 levels once expanded.
        var yaml = "l0: &l0 " + String(repeating: "[", count: 20) + "x" + String(repeating: "]", count: 20) + "\n"
        for i in 1..<60 {
            yaml += "l\(i): &l\(i) " + String(repeating: "[", count: 20) + "*l\(i - 1)" + String(repeating: "]", count: 20) + "\n"
        }
        XCTAssertThrowsError(try YAMLGuard.checkExpansion(yaml)) { error in
            let refusal = error as? YAMLGuard.Refusal
            XCTAssert(refusal?.message.hasPrefix("YAML aliases nest past 1 000 levels here") == true, "\(error)")
        }
    }

    func testDeepYAMLNestingIsLibyamlsLocatedError() {
        let flow = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertEqual(diagnostics(of: "```{probe}\ndims: \(flow)\n```\n"),
                       ["nb.md:2:8: error: the body of {probe} is not valid YAML: the YAML nests more than 1 000 levels deep from here; a block may nest at most 1 000 levels"])
        XCTAssertEqual(diagnostics(of: "---\ntitle: \(flow)\n---\n"),
                       ["nb.md:2:9: error: front matter is not valid YAML: the YAML nests more than 1 000 levels deep from here; a block may nest at most 1 000 levels"])
        let block = String(repeating: "- ", count: 100_000) + "x"
        XCTAssertEqual(diagnostics(of: "```{probe}\ndims:\n\(block)\n```\n").count, 1)
    }
}
