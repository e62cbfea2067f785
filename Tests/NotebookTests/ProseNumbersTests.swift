import Foundation
import XCTest
@testable import Notebook

/// Issue 16's acceptance: a notebook's prose states the numbers a run produced through
/// inline values (`` `{=id.field}` ``), never typed by hand, so the text cannot drift from
/// the run. The test reads every notebook's prose as the parser sees it — outside cells,
/// front matter, code spans and inline values — and flags what looks like a result.
///
/// **A hand-typed result** is any of
/// - a decimal fraction: `3.70`, `−0.19`, `+0.6`, `1.0e-3`;
/// - a percentage: `64 %`;
/// - a count of cases: `9 of 18`;
/// - a duration: `5.5 min`, `117 s`, `40 seconds`.
///
/// **Not a result** (allowed):
/// - whole numbers otherwise: dimensions, sizes, seeds, epochs, years — the notebook's
///   inputs and facts (`d = 1…20`, `n = 5 000`, `2019`);
/// - a number right after a parameter symbol and `=` (`σ = 0.2`, `τ = 0.65`): a setting
///   the notebook chose, not something it measured;
/// - a number right after a comparison (`<`, `≤`, `≥`, `>`, "below", "above", "at least",
///   "less than", "more than"): the threshold of a stated rule (`h* < 0.242`);
/// - a closed form listed in `closedForms` with its formula, which this test evaluates, so
///   the printed digits are checked too;
/// - a literature value listed in `literature` for its notebook, quoted beside the run's own.
final class ProseNumbersTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Constants of the method, as the prose prints them, with the value they round.
    static let closedForms: [String: (formula: String, value: Double)] = [
        "0.242": ("1/√(2πe), the bandwidth below which an extra whitened coordinate lowers H", 1 / (2 * Double.pi * M_E).squareRoot()),
        "1.4": ("½·ln(2πe), the entropy of a unit Gaussian coordinate", 0.5 * log(2 * Double.pi * M_E)),
        "−0.19": ("½·ln(2πeσ²) at σ = 0.2, the noise's increment", 0.5 * log(2 * Double.pi * M_E * 0.04)),
        "7.4": ("2·log₁₀ N at N = 5 000, the Eckmann–Ruelle bound", 2 * log10(5000)),
    ]

    /// Published values a notebook quotes next to its own, by notebook.
    static let literature: [String: Set<String>] = [
        // TwoNN, Levina–Bickel MLE (k = 20) and CorrInt on the same 5 000 MNIST digits.
        "mnist.md": ["12.6", "11.3", "6.3"],
        // Mean relative errors over the 24 benchmark manifolds, 20 replicates (Campadelli et al.
        // 2015, as scikit-dimension's benchmark reports them), quoted beside `{dimension-benchmark}`'s.
        "verdict-calibration.md": ["6.33 %", "11.12 %", "13.58 %", "18.84 %", "20.20 %", "38.19 %"],
    ]

    /// Notebooks whose prose still types results, with why; each must still have some (a
    /// notebook that is clean leaves this list).
    static let pending: [String: String] = [
        "information-plane.md": "its findings are inline values, but its cost paragraph quotes a measured run time "
            + "and its “20 % held out” is a split the rule cannot tell from a rate",
    ]

    /// The notebooks whose key numbers must be inline values, with the fewest references each.
    static let literate: [String: Int] = ["presentation.md": 8, "mnist.md": 8, "verdict-calibration.md": 8]

    func testNoNotebookTypesAResultInItsProse() throws {
        var found = [String]()
        for url in try notebooks() {
            let name = url.lastPathComponent
            let hits = try Self.handTypedResults(in: url)
            if Self.pending[name] != nil {
                XCTAssertFalse(hits.isEmpty, "\(name) no longer types results in its prose: remove it from `pending`")
                continue
            }
            found += hits.map { "notebooks/\(name):\($0.line): `\($0.text)` in “\($0.context)”" }
        }
        XCTAssertEqual(found, [], "hand-typed results in notebook prose; state them with inline values `{=id.field}` "
            + "(or, for a constant, parameter or published value, see the rule at the top of ProseNumbersTests):\n"
            + found.joined(separator: "\n"))
    }

    func testKeyNotebooksStateTheirNumbersThroughInlineValues() throws {
        for (name, least) in Self.literate.sorted(by: { $0.key < $1.key }) {
            let url = Self.repository.appendingPathComponent("notebooks/\(name)")
            let (document, _) = NotebookParser.parse(contentsOf: url)
            var count = 0
            for node in document?.proseNodes ?? [] {
                node.forEach { if case .inlineValue = $0.kind { count += 1 } }
            }
            XCTAssertGreaterThanOrEqual(count, least, "\(name) has \(count) inline values; its key numbers belong in `{=…}`")
        }
    }

    func testClosedFormsPrintTheirValue() {
        for (text, form) in Self.closedForms {
            let printed = Double(text.replacingOccurrences(of: "−", with: "-")) ?? .nan
            let decimals = text.split(separator: ".").last.map(\.count) ?? 0
            XCTAssertEqual(printed, form.value, accuracy: 0.5 * pow(10, -Double(decimals)) + 1e-12, "\(text) is not \(form.formula)")
        }
    }

    /// The rule on made-up sentences: what is flagged and what is not.
    func testTheRule() {
        func flagged(_ text: String) -> [String] { Self.flags(in: text, notebook: "x.md") }
        XCTAssertEqual(flagged("H falls from 3.70 to −7.05 nats"), ["3.70", "−7.05"])
        XCTAssertEqual(flagged("exact in 64 % of the cases, 9 of 18 not resolvable, in 5.5 min"), ["64 %", "9 of 18", "5.5 min"])
        XCTAssertEqual(flagged("d = 1…20, n = 5 000, 3 seeds, 30 epochs, in 2019"), [])
        XCTAssertEqual(flagged("at σ = 0.2 with τ = 0.65; h* < 0.242, at least 90 %, less than 0.5 nat"), [])
        XCTAssertEqual(flagged("h* = 0.35 at d = 7"), ["0.35"])
        XCTAssertEqual(flagged("the literature's 12.6"), ["12.6"])
        XCTAssertEqual(Self.flags(in: "the literature's 12.6", notebook: "mnist.md"), [])
    }

    // MARK: - The scan

    struct Hit {
        var line: Int
        var text: String
        var context: String
    }

    private func notebooks() throws -> [URL] {
        let directory = Self.repository.appendingPathComponent("notebooks")
        let urls = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertFalse(urls.isEmpty, "no notebooks under \(directory.path)")
        return urls
    }

    static func handTypedResults(in url: URL) throws -> [Hit] {
        let (document, _) = NotebookParser.parse(contentsOf: url)
        guard let document else { throw CocoaError(.fileReadCorruptFile) }
        var hits = [Hit]()
        for node in document.proseNodes {
            node.forEach { block in
                guard Self.isTextBlock(block.kind) else { return }
                let text = Self.prose(of: block)
                hits += flags(in: text, notebook: url.lastPathComponent).map { Hit(line: block.line, text: $0, context: text) }
            }
        }
        return hits
    }

    /// Blocks whose inline content is read as one string: paragraphs, headings, table cells.
    private static func isTextBlock(_ kind: Markup.Kind) -> Bool {
        switch kind {
        case .paragraph, .heading, .tableCell: true
        default: false
        }
    }

    /// The block's words with code spans and inline values left out (they are not typed numbers).
    private static func prose(of node: Markup) -> String {
        switch node.kind {
        case .text: node.literal
        case .softBreak, .lineBreak: " "
        case .code, .inlineValue, .htmlInline: " ‹value› "
        default: node.children.map(prose).joined()
        }
    }

    /// Tried in this order; a later pattern skips what an earlier one matched.
    static let resultPatterns: [NSRegularExpression] = [
        #"\b\d+(?:\.\d+)?(?:[–…]\d+(?:\.\d+)?)?\s?(?:ms|s|min|seconds|minutes|hours)\b"#,
        #"\d+(?:\.\d+)?\s?%"#,
        #"\b\d+ of \d+\b"#,
        #"(?<![\w.])[+−-]?\d+(?:\.\d+)?[eE][+−-]?\d+\b"#,
        #"(?<![\w.])[+−-]?\d+\.\d+"#,
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    /// A parameter symbol and `=`, or a comparison, right before the number.
    static let allowedBefore = try? NSRegularExpression(
        pattern: #"(?:(?:^|[^\w])(?:σ|τ|n|N|k|d|D|epochs|seed|repeats|sample|pairs)\s*=|[<≤≥>]|\b(?:below|above|at least|at most|less than|more than))\s*$"#)

    static func flags(in text: String, notebook: String) -> [String] {
        let ns = text as NSString
        var taken = [NSRange]()
        var out = [(Int, String)]()
        for pattern in resultPatterns {
            for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let r = match.range
                guard !taken.contains(where: { NSIntersectionRange($0, r).length > 0 }) else { continue }
                taken.append(r)
                let number = ns.substring(with: r)
                let before = ns.substring(to: r.location)
                let beforeRange = NSRange(location: 0, length: (before as NSString).length)
                if allowedBefore?.firstMatch(in: before, range: beforeRange) != nil { continue }
                if closedForms[number] != nil || literature[notebook]?.contains(number) == true { continue }
                out.append((r.location, number))
            }
        }
        return out.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
