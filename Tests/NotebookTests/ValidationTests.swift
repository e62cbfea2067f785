import XCTest
@testable import Notebook

/// One test per class of validation error, with its exact message.
final class ValidationTests: XCTestCase {
    func testUnknownDirectiveSuggestsNearestName() {
        XCTAssertEqual(diagnostics(of: "```{prob}\n```\n"),
                       ["nb.md:1:1: error: unknown directive `{prob}`; did you mean `{probe}`?"])
    }

    func testUnknownKeySuggestsNearestParameter() {
        XCTAssertEqual(diagnostics(of: "```{probe}\ncont: 3\n```\n"),
                       ["nb.md:2:1: error: `cont` is not a parameter of {probe}; did you mean `count`?"])
    }

    func testUnknownKeyWithoutCloseNameHasNoSuggestion() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nzzzzzz: 3\n```\n"),
                       ["nb.md:2:1: error: `zzzzzz` is not a parameter of {probe}"])
    }

    func testWrongTypeNamesExpectedType() {
        XCTAssertEqual(diagnostics(of: "```{probe}\ncount: ten\n```\n"),
                       ["nb.md:2:8: error: `count` must be an integer, not `ten`"])
    }

    func testOutOfRangeNamesTheRange() {
        XCTAssertEqual(diagnostics(of: "```{probe}\n\nratio: 1.5\n```\n"),
                       ["nb.md:3:8: error: `ratio` is 1.5, outside the allowed range 0...1"])
    }

    func testBadChoiceListsChoicesAndSuggests() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nmode: exakt\n```\n"),
                       ["nb.md:2:7: error: `mode` must be one of `fast`, `exact`, not `exakt`; did you mean `exact`?"])
    }

    /// A word of the choices, or a list of exactly `count` numbers (corrdim's `range`).
    func testChoiceOrNumbersTakesAWordOrAFixedLengthList() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nwindow: auto\n```\n"), [])
        XCTAssertEqual(diagnostics(of: "```{probe}\nwindow: [0.1, 2]\n```\n"), [])
        XCTAssertEqual(diagnostics(of: "```{probe}\nwindow: autoo\n```\n"),
                       ["nb.md:2:9: error: `window` must be `auto` or a list of 2 numbers, not `autoo`; did you mean `auto`?"])
        XCTAssertEqual(diagnostics(of: "```{probe}\nwindow: [1, 2, 3]\n```\n"),
                       ["nb.md:2:9: error: `window` takes 2 numbers, not 3 (or one of `auto`)"])
        XCTAssertEqual(diagnostics(of: "```{probe}\nwindow: [1, x]\n```\n"),
                       ["nb.md:2:13: error: `window`: `x` is not a number"])
    }

    func testMissingRequiredKey() {
        XCTAssertEqual(diagnostics(of: "text\n\n```{strict}\n```\n"),
                       ["nb.md:3:1: error: {strict} needs `path` (text): a file"])
    }

    func testReferenceToUndefinedId() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nid: a\n```\n\n```{probe}\ndata: b\n```\n"),
                       ["nb.md:6:1: error: no earlier cell defines `b` (defined so far: a, a.side)"])
    }

    func testReferenceBeforeDefinition() {
        XCTAssertEqual(diagnostics(of: "```{probe}\ndata: later\n```\n\n```{probe}\nid: later\n```\n"),
                       ["nb.md:2:1: error: `later` is used before it is defined (line 5); cells run in order"])
    }

    func testReferenceOfWrongKind() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nid: a\n```\n\n```{probe}\ndata: a.side\n```\n"),
                       ["nb.md:6:1: error: `data` must name a dataset, but `a.side` (line 2) is an estimate"])
    }

    func testDuplicateId() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nid: a\n```\n\n```{probe}\nid: a\n```\n"),
                       ["nb.md:6:1: error: duplicate id `a`: line 2 defines it already"])
    }

    func testInvalidYAMLPointsIntoTheBody() {
        XCTAssertEqual(diagnostics(of: "# T\n\n```{probe}\ncount: 3\n  bad: [\n```\n"),
                       ["nb.md:5:6: error: the body of {probe} is not valid YAML: mapping values are not allowed in this context"])
    }

    func testUnknownNestedKey() {
        XCTAssertEqual(diagnostics(of: "```{probe}\nnested:\n  epochz: 3\n```\n"),
                       ["nb.md:3:3: error: `epochz` is not a parameter of `nested`; did you mean `epochs`?"])
    }

    func testUnknownNotebookParameter() {
        XCTAssertEqual(diagnostics(of: "---\nparams:\n  samples: 3\n---\n```{probe}\ncount: ${sample}\n```\n"),
                       ["nb.md:6:8: error: `${sample}` is not a notebook parameter; did you mean `samples`?"])
    }

    func testUnknownCommandLineParameter() {
        XCTAssertEqual(diagnostics(of: "---\nparams:\n  epochs: 3\n---\n", overrides: ["epoch": "4"]),
                       ["nb.md:1:1: error: `-p epoch=4`: the notebook has no parameter `epoch`; did you mean `epochs`? (it declares: epochs)"])
    }

    func testEveryProblemIsReportedAtOnce() {
        XCTAssertEqual(diagnostics(of: "```{probe}\ncount: 0\nmode: slow\n```\n\n```{nope}\n```\n").count, 3)
    }

    func testParametersAndDefaultsAreTyped() throws {
        let (document, _) = NotebookParser.parse("---\nparams:\n  n: 7\n---\n```{probe}\nid: a\ncount: ${n}\ndims: 1...4\nnested:\n  epochs: 9\n```\n", file: "nb.md")
        let plan = try Validator(registry: testRegistry).plan(document).get()
        let args = plan.cells[0].arguments
        XCTAssertEqual(args.values["count"], .int(7))
        XCTAssertEqual(args.values["dims"], .list([1, 2, 3, 4].map(ParameterValue.int)))
        XCTAssertEqual(args.values["mode"], .string("fast"))
        guard case .object(let nested)? = args.values["nested"] else { return XCTFail("no nested mapping") }
        XCTAssertEqual(nested["epochs"], .int(9))
        XCTAssertEqual(plan.cells[0].writes.map(\.id), ["a", "a.side"])
    }

    func testCellSeedsDeriveFromNotebookSeedAndId() throws {
        func seeds(_ overrides: [String: String]) throws -> [UInt64] {
            let (document, _) = NotebookParser.parse("```{probe}\nid: a\n```\n\n```{probe}\nid: b\nseed: 5\n```\n", file: "nb.md")
            return try Validator(overrides: overrides, registry: testRegistry).plan(document).get().cells.map(\.seed)
        }
        let s1 = try seeds(["seed": "1"]), s2 = try seeds(["seed": "2"])
        XCTAssertNotEqual(s1[0], s2[0])
        XCTAssertEqual(s1[1], 5)
        XCTAssertEqual(s2[1], 5)
        XCTAssertEqual(try seeds(["seed": "1"]), s1)
    }

    func testIntListForms() {
        XCTAssertEqual(parseIntList("1...4"), .success([1, 2, 3, 4]))
        XCTAssertEqual(parseIntList("2..3"), .success([2, 3]))
        XCTAssertEqual(parseIntList("[1, 5, 9]"), .success([1, 5, 9]))
        XCTAssertEqual(parseIntList("7"), .success([7]))
        XCTAssertEqual(parseIntList("1...x"), .failure(.malformed))
        XCTAssertEqual(parseIntList("4...1"), .failure(.malformed))
        XCTAssertEqual(parseIntList("1,,2"), .failure(.malformed))
    }
}
