import Directives
import Foundation
import XCTest
import TestSupport
@testable import Notebook

/// Notebooks written to break the runner (issue 14's table, one test per row that belongs
/// to parsing and validation): each is a located error before anything runs, never an
/// allocation, an overflow trap, a loop or silent acceptance.
final class HostileInputTests: XCTestCase {
    // Row 1: a range is checked by its bounds and size before it exists.
    func testHugeIntegerRangeIsRefusedBeforeItIsMaterialised() {
        XCTAssertEqual(diagnostics(of: "```{probe}\ndims: 1...1000000000000\n```\n"),
                       ["nb.md:2:7: error: `dims` is 1000000000000, outside the allowed range 1...64"])
        XCTAssertEqual(parseIntList("1...1000000000000"), .failure(.tooMany("1000000000000")))
        XCTAssertEqual(parseIntList("1...\(maximumListLength)").map(\.count), .success(maximumListLength))
    }

    // Row 2: bounds at Int.max must not overflow the count.
    func testRangeUpToIntMaxDoesNotOverflow() {
        XCTAssertEqual(parseIntList("0...9223372036854775807"), .failure(.tooMany("9223372036854775808")))
        XCTAssertEqual(parseIntList("-9223372036854775808...9223372036854775807"), .failure(.tooMany("more than \(Int.max)")))
        XCTAssertEqual(parseIntList("0...9223372036854775807", within: 0...1_000_000), .failure(.outside("9223372036854775807")))
    }

    func testLongExplicitListsAreRefused() {
        let many = (1...(maximumListLength + 1)).map(String.init).joined(separator: ", ")
        XCTAssertEqual(parseIntList("[\(many)]"), .failure(.tooMany("\(maximumListLength + 1)")))
    }

    // Row 3: what the arguments imply in memory is checked against the budget.
    func testAutoencoderTooLargeForMemoryIsALocatedError() {
        let source = """
        ```{dataset}
        id: x
        kind: linear
        k: 2
        ambient: 100
        n: 1000
        ```

        ```{autoencoder}
        data: x
        code: 2
        hidden: [65536, 65536]
        ```
        """
        let messages = realDiagnostics(of: source, budget: ResourceBudget(memoryLimit: 16e9))
        XCTAssertEqual(messages.count, 1)
        XCTAssert(messages[0].hasPrefix("nb.md:12:1: error: {autoencoder} would need about 192.7 GiB of memory (layers 100–65 536–65 536–2"), messages[0])
        XCTAssert(messages[0].hasSuffix("over the limit of 14.9 GiB; lower `hidden`, or raise the limit with --memory-limit"), messages[0])
    }

    func testDatasetTooLargeNamesTheParameterThatDrivesIt() {
        let wide = realDiagnostics(of: "```{dataset}\nkind: linear\nk: 2\nambient: 10000000\nn: 1000\n```\n", budget: ResourceBudget(memoryLimit: 16e9))
        XCTAssertEqual(wide.count, 1)
        XCTAssert(wide[0].hasPrefix("nb.md:4:1: error: {dataset} would need about 74.5 GiB"), wide[0])
        XCTAssert(wide[0].contains("lower `ambient`"), wide[0])
        let long = realDiagnostics(of: "```{dataset}\nkind: mixing\nk: 3\nn: 99999999\n```\n", budget: ResourceBudget(memoryLimit: 16e9))
        XCTAssertEqual(long.count, 1)
        XCTAssert(long[0].hasPrefix("nb.md:4:1: error: {dataset} would need about"), long[0])
        XCTAssert(long[0].contains("lower `n`"), long[0])
    }

    func testRepositorySizedCellsFitTheDefaultBudget() {
        let source = """
        ```{dataset}
        id: digits
        kind: mnist
        split: all
        ```

        ```{entropy-curve}
        data: digits
        dims: 1...64
        ```
        """
        XCTAssertEqual(realDiagnostics(of: source, budget: ResourceBudget(memoryLimit: 16e9)), [])
    }

    func testMemoryLimitParsesUnitsAndPercentages() {
        XCTAssertEqual(ResourceBudget.parseLimit("16G"), 16e9)
        XCTAssertEqual(ResourceBudget.parseLimit("500 MB"), 500e6)
        XCTAssertEqual(ResourceBudget.parseLimit("1234"), 1234)
        XCTAssertEqual(ResourceBudget.parseLimit("12GiB"), 12 * 0x1p30) // as messages print sizes
        XCTAssertEqual(ResourceBudget.parseLimit("50%"), 0.5 * Double(ProcessInfo.processInfo.physicalMemory))
        for bad in ["", "G", "-1G", "0", "150%", "nanG", "infG"] { XCTAssertNil(ResourceBudget.parseLimit(bad), bad) }
    }

    // Row 4: `${n}` whose value is `${n}` is substituted once, not forever.
    func testSelfReferentialParameterDoesNotLoop() {
        let source = "---\nparams:\n  n: ${n}\n---\n```{probe}\ncount: ${n}\n```\n"
        XCTAssertEqual(diagnostics(of: source), ["nb.md:6:8: error: `count` must be an integer, not `${n}`"])
        XCTAssertEqual(diagnostics(of: "---\nparams:\n  n: 3\n---\n```{probe}\ncount: ${n}\n```\n", overrides: ["n": "${n}"]),
                       ["nb.md:6:8: error: `count` must be an integer, not `${n}`"])
        XCTAssertEqual(try substituteParameters(in: "${a}${b}x", ["a": "${b}", "b": "1"]).get(), "${b}1x")
    }

    // Row 9: ids become file names.
    func testOverlongIdIsALocatedError() {
        let id = String(repeating: "a", count: 250)
        XCTAssertEqual(diagnostics(of: "```{probe}\nid: \(id)\n```\n"),
                       ["nb.md:2:1: error: the id is 250 characters long; ids name files of the report, so at most 64"])
    }

    func testNonASCIILookalikeIdIsRefused() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nid: d\u{0430}ta\n```\n"),
                       ["nb.md:2:1: error: `d\u{0430}ta` is not a valid id: use ASCII letters, digits, `_` and `-`, starting with a letter"])
    }

    // Row 10: bytes that are not UTF-8, and files that are not text, keep their cause.
    func testInvalidUTF8IsLocatedAtTheByte() throws {
        let url = try temporaryFile(Data("# title\nok \u{e9}\nbad ".utf8) + Data([0xFF, 0x41]) + Data("\n".utf8))
        let (document, diagnostics) = NotebookParser.parse(contentsOf: url, displayName: "nb.md")
        XCTAssertNil(document)
        XCTAssertEqual(diagnostics.map(\.description),
                       ["nb.md:3:5: error: the notebook is not UTF-8 text: byte 0xFF at line 3, column 5 is not valid UTF-8"])
    }

    func testBinaryFileIsNotText() throws {
        let url = try temporaryFile(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]))
        let messages = NotebookParser.parse(contentsOf: url, displayName: "nb.md").1.map(\.description)
        XCTAssertEqual(messages, ["nb.md:1:1: error: the notebook is not UTF-8 text: byte 0x89 at line 1, column 1 is not valid UTF-8"])
    }

    func testNotebookThatIsNotARegularFileIsRefusedWithoutBlocking() throws {
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("eb-fifo-\(UUID().uuidString)")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        defer { try? FileManager.default.removeItem(at: fifo) }
        XCTAssertEqual(NotebookParser.parse(contentsOf: fifo, displayName: "nb.md").1.map(\.description),
                       ["nb.md:1:1: error: cannot read the notebook: it is a FIFO (named pipe), not a regular file"])
        XCTAssertEqual(NotebookParser.parse(contentsOf: URL(fileURLWithPath: "/dev/zero"), displayName: "nb.md").1.map(\.description),
                       ["nb.md:1:1: error: cannot read the notebook: it is a device, not a regular file"])
    }

    // Row 11: each of these was accepted silently.
    func testUnterminatedFenceIsAnError() {
        XCTAssertEqual(diagnostics(of: "# x\n\n```{probe}\ncount: 3\n"),
                       ["nb.md:3:1: error: the fence of {probe} opened here is never closed; end the cell with a line of ``` as long as the opening one"])
        XCTAssertEqual(diagnostics(of: "````{probe}\ncount: 3\n```\n").first,
                       "nb.md:1:1: error: the fence of {probe} opened here is never closed; end the cell with a line of ``` as long as the opening one")
        XCTAssertEqual(diagnostics(of: "````{probe}\ncount: 3\n`````\n"), [])
    }

    func testZeroWidthSpaceInDirectiveNameIsShown() {
        XCTAssertEqual(diagnostics(of: "```{probe\u{200B}}\ncount: 3\n```\n"),
                       ["nb.md:1:1: error: `{probeU+200B}` is not a directive name: names are lowercase ASCII letters, digits and `-`"])
        XCTAssertEqual(diagnostics(of: "```{probe\ncount: 3\n```\n"),
                       ["nb.md:1:1: error: `{probe` is not a directive: write the name in braces, as in ```{dataset}"])
    }

    func testFrontMatterTitleMustBeText() {
        XCTAssertEqual(diagnostics(of: "---\ntitle: [a, b]\n---\n"), ["nb.md:2:8: error: `title` must be text, not a list"])
    }

    func testYAMLTagsAreRefused() {
        XCTAssertEqual(diagnostics(of: "```{probe}\ncount: !custom 50\nmode: !!str fast\n```\n"),
                       ["nb.md:2:8: error: YAML tags such as `!custom` are not read; write the value plainly",
                        "nb.md:3:7: error: YAML tags such as `!!str` are not read; write the value plainly"])
        XCTAssertEqual(diagnostics(of: "---\nseed: !!int 3\n---\n"),
                       ["nb.md:2:7: error: YAML tags such as `!!int` are not read; write the value plainly"])
        // Quoted text that merely starts with `!` is a value, not a tag.
        XCTAssertEqual(diagnostics(of: "```{probe}\ncaption: \"!important\"\n```\n"), [])
    }

    func testNULInAValueIsLocated() {
        XCTAssertEqual(diagnostics(of: "```{probe}\ncaption: a\u{0}b\n```\n"),
                       ["nb.md:2:11: error: the notebook contains a NUL character (U+0000); a notebook is plain text"])
    }

    // Row 12: validation is linear in the notebook's length (it re-split the whole file
    // for every source line it quoted). Work is compared at two sizes, not timed against a
    // clock: four times the cells must cost well under the sixteen times of a quadratic.
    func testValidationCostGrowsLinearlyWithCellCount() {
        func cost(_ cells: Int) -> Double {
            let source = String(repeating: "\n```{config}\nquick: true\n```\n", count: cells)
            return leastThreadCPUTime(repeats: 3) { _ = diagnostics(of: source) }
        }
        let ratio = cost(8000) / cost(2000)
        XCTAssertLessThan(ratio, 8, "8 000 cells cost \(ratio)× 2 000 cells")
    }

    private func temporaryFile(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eb-nb-\(UUID().uuidString).md")
        try data.write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

/// Diagnostics with the real directives, as `check` validates.
private func realDiagnostics(of source: String, budget: ResourceBudget) -> [String] {
    let (document, parseDiagnostics) = NotebookParser.parse(source, file: "nb.md")
    switch Validator(registry: DirectiveRegistry.all, budget: budget).plan(document) {
    case .success: return parseDiagnostics.map(\.description)
    case .failure(let f): return (parseDiagnostics + f.diagnostics).map(\.description)
    }
}
