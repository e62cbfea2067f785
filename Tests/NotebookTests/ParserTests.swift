import TestSupport
import XCTest
@testable import Notebook

final class ParserTests: XCTestCase {
    func testDocumentDumpMatchesGolden() throws {
        let (document, diagnostics) = NotebookParser.parse(try fixture("structure.md"), file: "structure.md")
        XCTAssertEqual(diagnostics, [])
        try assertGolden(document.dump(), "structure.dump.txt")
    }

    func testFrontMatterKeepsLineNumbers() {
        let (document, _) = NotebookParser.parse("---\ntitle: T\n---\n\n```{probe}\ncount: 3\n```\n", file: "x.md")
        XCTAssertEqual(document.cells.first?.location.line, 5)
        XCTAssertEqual(document.cells.first?.bodyFirstLine, 6)
        XCTAssertEqual(document.title, "T")
    }

    func testTitleFallsBackToFirstHeading() {
        let (document, _) = NotebookParser.parse("Intro\n\n# Real title\n", file: "x.md")
        XCTAssertEqual(document.title, "Real title")
    }

    func testUnclosedFrontMatterIsAnError() {
        let (_, diagnostics) = NotebookParser.parse("---\ntitle: T\n\nbody\n", file: "x.md")
        XCTAssertEqual(diagnostics.map(\.description), ["x.md:1:1: error: front matter starts with `---` on line 1 but is never closed by another `---`"])
    }

    func testOnlyBracedInfoStringsAreDirectives() {
        XCTAssertEqual(NotebookParser.directiveName("{dataset}"), "dataset")
        XCTAssertEqual(NotebookParser.directiveName(" { entropy-curve } "), "entropy-curve")
        XCTAssertNil(NotebookParser.directiveName("yaml"))
        XCTAssertNil(NotebookParser.directiveName("{}"))
        XCTAssertNil(NotebookParser.directiveName(nil))
    }

    func testSHA256MatchesFIPSVectors() {
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
