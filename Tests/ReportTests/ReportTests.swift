import Foundation
import TestSupport
import XCTest
@testable import Notebook
@testable import Report
@testable import Runs

/// Shows one of each output kind.
enum NumbersDirective: Directive {
    static let name = "numbers"
    static let summary = "test outputs"
    static let parameters: [Parameter] = [Parameter("source", .reference([.estimate]), doc: "upstream")]
    static let results: [ResultSlot] = [ResultSlot(kind: .estimate, doc: "a number")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let table = Table(title: "Side by side", columns: ["d", "H (nats)"], rows: [["1", "1.419"], ["2", "2.838"]])
        // A claims table: an empty "± SE" column, verdicts, ranges and small numbers as the engine prints them.
        let claims = Table(title: nil, columns: ["claim", "status", "± SE", "range", "p"], rows: [
            ["H(d) has a kink: it bends at d = 2 on every curve of the sweep, k = 2", "confirmed", "", "[-2.11–-1.41]", "3.97e-04"],
            ["the kink is at k", "partly confirmed", "", "[0.5–1.2]", "-0.25"],
            ["corrdim saturates", "not confirmed", "", "—", "12"],
        ])
        // A hand-made 3×2 PNG: the golden file must not depend on libgd's encoder.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
                            0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0x12, 0x16, 0xF1,
                            0x4D, 0x00, 0x00, 0x00, 0x0E, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xF8, 0x0F, 0x03, 0x0C,
                            0x70, 0x16, 0x00, 0xB3, 0x60, 0x11, 0xEF, 0x2B, 0xDF, 0x57, 0x24, 0x00, 0x00, 0x00, 0x00, 0x49,
                            0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        // And a 4×3 one as the figure's narrow (phone) variant.
        let narrow: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
                               0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x08, 0x02, 0x00, 0x00, 0x00, 0x3B, 0x96, 0x39,
                               0x91, 0x00, 0x00, 0x00, 0x0E, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xF8, 0x8F, 0x04, 0x18,
                               0x70, 0x72, 0x00, 0xBB, 0x87, 0x23, 0xDD, 0x8E, 0x91, 0xAA, 0x4A, 0x00, 0x00, 0x00, 0x00, 0x49,
                               0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        return CellResult(values: ["": EstimateValue(name: "H", value: 1.4189, standardError: 0.01, unit: "nats")], outputs: [
            .metric(Metric("H", 1.41894, uncertainty: 0.0123, unit: "nats")),
            .metric(Metric("bandwidth h", 0.25)),
            .table(table),
            .figure(Figure(name: "curve", caption: "A curve & its <band>", reportPNG: png, narrowPNG: narrow, slidePNG: png, csv: "x,y\n1,2\n")),
            .warning("Estimates above 2·log10 N are unreliable."),
            .note("Quick mode: 1000 points instead of 3000."),
            .table(claims),
            .claim(ClaimValue(statement: "H(d) has a kink", test: "kink", outcome: .confirmed, rule: "every curve has a kink",
                              thresholds: [], numbers: [.init("kink", 2)], evidence: "every curve bends")),
            .claim(ClaimValue(statement: "the kink is at k", test: "kink-near-truth", outcome: .partly, rule: "within ±1",
                              thresholds: [.init("tolerance", 1)], numbers: [], evidence: "within ±1 where resolvable")),
            .claim(ClaimValue(statement: "corrdim saturates", test: "corrdim-saturates", outcome: .notConfirmed, rule: "flat tail",
                              thresholds: [], numbers: [], evidence: "it keeps growing")),
        ])
    }
}

/// Always fails.
enum ExplodeDirective: Directive {
    static let name = "explode"
    static let summary = "test failure"
    static let parameters: [Parameter] = []
    static let results: [ResultSlot] = [ResultSlot(kind: .estimate, doc: "never made")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("the loss became NaN at epoch 3, batch 17")
    }
}

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("templates")

/// Runs the fixture notebook with fixed dates and machine into a temporary directory.
func runFixture(slides: Bool = false) throws -> (URL, [CellRecord]) {
    let run = try fixtureRun(slides: slides)
    return (run.outputDirectory, try run.run())
}

/// The fixture notebook's run with fixed dates and machine, not yet started.
func fixtureRun(slides: Bool = false) throws -> NotebookRun {
        let document = try XCTUnwrap(NotebookParser.parse(contentsOf: fixtures.appendingPathComponent("run.md"), displayName: "run.md").0)
        let registry: [any Directive.Type] = [NumbersDirective.self, ExplodeDirective.self]
        let plan = try Validator(registry: registry).plan(document).get()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("entropybook-report-\(UUID().uuidString)")
        let run = NotebookRun(plan: plan, notebookPath: "run.md", outputDirectory: out,
                              templates: try Templates(directory: templates), dataDirectory: out)
        let fixed = Date(timeIntervalSince1970: 1_800_000_000)
        run.startDate = fixed
        run.clock = { fixed.addingTimeInterval(2.5) }
        run.programCommit = "0123456789"
        run.slides = slides
        run.machine = MachineInfo(os: "Debian GNU/Linux 12", cpu: "Test CPU", cores: 2, memoryGiB: 24, blasCore: "Zen", blasThreads: 2, blasConfig: "test")
        return run
}

final class ReportTests: XCTestCase {
    /// The report with per-cell times blanked (they vary run to run).
    func normalizedHTML(_ dir: URL) throws -> String {
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        // The stylesheet is templates/style.css verbatim; the golden file checks the page, not
        // a second copy of the CSS.
        return html
            .replacingOccurrences(of: #"line (\d+) · (failed after )?[<0-9.]+ s"#, with: "line $1 · $2T", options: .regularExpression)
            .replacingOccurrences(of: #"<style>[\s\S]*?</style>"#, with: "<style>/* templates/style.css */</style>", options: .regularExpression)
    }

    func testReportMatchesGolden() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        try assertGolden(try normalizedHTML(dir), "run.html")
    }

    /// A re-run served from the cache keeps the real cost in the header and the cell: the
    /// cached cells' original compute times, next to this run's seconds.
    func testCachedCellsShowTheirOriginalComputeTime() throws {
        let (dir, records) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        var cached = records
        cached[0].status = .cached
        cached[0].seconds = 0.02
        cached[0].computeSeconds = 600
        cached[3].status = .cached
        cached[3].computeSeconds = 125
        let computed = try XCTUnwrap(ReportBuilder.computeTime(cached))
        XCTAssertEqual(computed, 600 + cached[1].seconds + cached[2].seconds + 125, accuracy: 1e-9)
        XCTAssertEqual(formatSeconds(computed), "12 min 05 s")
        XCTAssertNil(ReportBuilder.computeTime(records), "nothing cached: the run's own duration says it")
        cached[3].computeSeconds = nil
        XCTAssertNil(ReportBuilder.computeTime(cached), "an entry without a recorded time: no sum that would understate it")
    }

    /// The page of a cached re-run: the header keeps this run's time and adds what the
    /// results cost, the footer says the same in words, each cached cell its own cost.
    func testCachedRerunHeaderShowsThisRunsTimeAndTheOriginalComputeTime() throws {
        let run = try fixtureRun()
        defer { try? FileManager.default.removeItem(at: run.outputDirectory) }
        let fresh = try run.run()
        var records = fresh
        records[0].status = .cached
        records[0].seconds = 0.02
        records[0].computeSeconds = 600
        records[0].computedAt = Date(timeIntervalSince1970: 1800000000)  // 2027-01-15 08:00 UTC
        records[3].status = .cached
        records[3].seconds = 0.01
        records[3].computeSeconds = 125
        try run.writeReport(records: records, interrupted: false)
        let html = try String(contentsOf: run.outputDirectory.appendingPathComponent("index.html"), encoding: .utf8)
        let total = try XCTUnwrap(ReportBuilder.computeTime(records))
        let byline = try XCTUnwrap(html.firstMatch(of: /<p class="byline">([^<]*)<\/p>/)?.1)
        XCTAssertTrue(byline.contains(" · run 2027-01-15T08:00:00Z · \(formatSeconds(2.5)) (results computed in \(formatSeconds(total))) · "),
                      String(byline))
        XCTAssertTrue(html.contains("(\(formatSeconds(2.5)); the results took \(formatSeconds(total)) to compute, cached cells included)"))
        XCTAssertTrue(html.contains("cached · loaded in \(formatSeconds(0.02)) · computed 2027-01-15 08:00 UTC in 10 min 00 s (\(formatSeconds(599.98)) saved)"), html)
        // Nothing cached: the header has this run's time only.
        try run.writeReport(records: fresh, interrupted: false)
        let freshHTML = try String(contentsOf: run.outputDirectory.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertFalse(freshHTML.contains("results computed in"))
        XCTAssertFalse(freshHTML.contains("cached ·"))
    }

    /// Notes (how a result was obtained) and warnings (what to distrust) look different
    /// and say which they are in words, not only in colour.
    func testNotesAndWarningsAreDistinct() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try normalizedHTML(dir)
        XCTAssertTrue(html.contains(#"<p class="info"><strong class="output-kind">Note:</strong> Quick mode: 1000 points instead of 3000.</p>"#))
        XCTAssertTrue(html.contains(#"<p class="warning"><strong class="output-kind">Warning:</strong> Estimates above 2·log10 N are unreliable.</p>"#))
    }

    /// `--slides`: a self-contained 16:9 deck beside the report — one slide per figure with
    /// its caption, its cell's verdicts and source, snapping without script or request.
    func testSlideDeckHasOneSlidePerFigureAndNoScriptOrRequest() throws {
        let (dir, _) = try runFixture(slides: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let deck = try String(contentsOf: dir.appendingPathComponent("slides.html"), encoding: .utf8)
        XCTAssertTrue(deck.contains(#"content="default-src 'none'; img-src data:; style-src 'unsafe-inline'""#))
        XCTAssertFalse(deck.lowercased().contains("<script"))
        XCTAssertTrue(deck.contains("scroll-snap-type: y mandatory"))
        // One slide per screen, its content the largest 16:9 box that fits (160vh = 16/9 of 90vh).
        XCTAssertTrue(deck.contains(".slide { scroll-snap-align: start; scroll-snap-stop: always; height: 100vh;"))
        XCTAssertTrue(deck.contains(".slide > * { width: min(94vw, 160vh); }"))
        XCTAssertEqual(deck.components(separatedBy: #"<section class="slide" id="slide-"#).count - 1, 2, "two figures, two slides")
        XCTAssertTrue(deck.contains(#"<a class="slide-image" href="figures/nums-curve.png""#))
        XCTAssertTrue(deck.contains(#"width="3" height="2" alt="A curve &amp; its &lt;band&gt;""#))
        XCTAssertTrue(deck.contains("Figure 1.</span> A curve &amp; its &lt;band&gt;"))
        XCTAssertTrue(deck.contains("run.md:12:1"), "the slide names its source cell")
        // Each figure's cell reached three verdicts; the closing slide lists all six.
        XCTAssertEqual(deck.components(separatedBy: #"<p class="verdict verdict-"#).count - 1, 12)
        XCTAssertTrue(deck.contains(#"<p class="verdict verdict-not-confirmed"><strong>✘ Not confirmed</strong>"#))
        for match in deck.matches(of: /(src|href)="([^"#]*)"/) {
            let target = String(match.2)
            XCTAssertTrue(target.hasPrefix("data:") || target.hasPrefix("figures/"), "\(target) would be a request or a missing file")
        }
        let (plain, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: plain) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: plain.appendingPathComponent("slides.html").path), "only with --slides")
    }

    func testFailingCellLeavesCompleteReport() throws {
        let (dir, records) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(records.map(\.status), [.ok, .failed, .skipped, .ok])
        XCTAssertEqual(records[2].error?.message, "skipped: it reads `boom`, which failed (line 18)")
        let html = try normalizedHTML(dir)
        XCTAssertTrue(html.contains("run.md:18:1: error: {explode} failed: the loss became NaN at epoch 3, batch 17"))
        XCTAssertTrue(html.contains("This cell does not depend on the failed one."))
        XCTAssertTrue(html.hasSuffix("</html>\n"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run.json"))) as? [String: Any]
        XCTAssertEqual(manifest?["status"] as? String, "failed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("figures/nums-curve.png").path))
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("data/nums-curve.csv"), encoding: .utf8), "x,y\n1,2\n")
    }

    func testScriptInProseDoesNotReachTheReport() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try normalizedHTML(dir)
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("javascript:"))
    }

    func testReportMakesNoExternalRequests() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try normalizedHTML(dir)
        for needle in ["src=\"http", "href=\"http", "<script src", "@import", "url(http", "<link"] {
            XCTAssertFalse(html.contains(needle), needle)
        }
    }

    /// Issue 14, row 7: inline, protocol-relative, reference-style and relative images, and
    /// a raw HTML `<img>`, none of which may become an `<img>` that loads something.
    func testNonInlineImagesAreShownAsAltTextAndAddressAndNotLoaded() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try normalizedHTML(dir)
        let sources = html.components(separatedBy: "<img ").dropFirst().map { $0.prefix(while: { $0 != ">" }) }
        XCTAssertFalse(sources.isEmpty, "the data: image and the figures stay")
        for tag in sources { XCTAssertTrue(tag.hasPrefix("src=\"data:image/"), String(tag)) }
        for (alt, url) in [("pixel", "https://example.com/pixel.png"), ("relative", "//host/p.gif"),
                           ("logo", "https://example.com/logo.png"), ("diagram", "diagram.png")] {
            XCTAssertTrue(html.contains("<span class=\"blocked-image\">\(alt) (image not loaded: <code>\(url)</code>)</span>"), url)
            XCTAssertTrue(html.contains("<code>\(url)</code></li>"), "listed in the banner: \(url)")
        }
        XCTAssertTrue(html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"dot\" />"))
        XCTAssertFalse(html.contains("raw.png"), "raw HTML is omitted by cmark's safe mode")
        XCTAssertTrue(html.contains("<strong>Images not loaded.</strong>"))
    }

    func testImageWarningsPointAtEachImage() throws {
        let document = try XCTUnwrap(NotebookParser.parse(contentsOf: fixtures.appendingPathComponent("run.md"), displayName: "run.md").0)
        let warnings = ProseRenderer.imageWarnings(in: document)
        XCTAssertEqual(warnings.map { "\($0.location)" }, ["run.md:34:16", "run.md:35:1", "run.md:35:50", "run.md:36:1"])
        XCTAssertTrue(warnings.allSatisfy { $0.severity == .warning })
        XCTAssertTrue(warnings[0].description.hasPrefix("run.md:34:16: warning: image `https://example.com/pixel.png` is not loaded"),
                      warnings[0].description)
    }

    /// Even what slipped past the renderer could not load: the page forbids every source
    /// but inline images and its own inline stylesheet (it has no script).
    func testReportCarriesAContentSecurityPolicyAllowingOnlyInlineImagesAndStyles() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try normalizedHTML(dir)
        let head = html.components(separatedBy: "</head>").first ?? ""
        XCTAssertTrue(head.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">"#))
        XCTAssertFalse(html.contains("<script"), "no script-src is granted, so there must be no script")
    }

    /// Issue 17, page: three distinct verdict styles (colour, glyph and word), also in tables,
    /// never the warning box; empty columns hidden; numbers typeset and kept on one line.
    func testVerdictsGetTheirOwnStylesAndNumbersAreTypeset() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try normalizedHTML(dir)
        XCTAssertTrue(html.contains(#"<p class="verdict verdict-confirmed"><strong class="verdict-mark">✔ Confirmed</strong> — “H(d) has a kink”. every curve bends. Rule: every curve has a kink.</p>"#))
        XCTAssertTrue(html.contains(#"<p class="verdict verdict-partly"><strong class="verdict-mark">◐ Partly confirmed</strong>"#))
        XCTAssertTrue(html.contains(#"<p class="verdict verdict-not-confirmed"><strong class="verdict-mark">✘ Not confirmed</strong>"#))
        XCTAssertFalse(html.contains(#"<p class="warning">◐"#) || html.contains(#"<p class="warning">✘"#))
        XCTAssertTrue(html.contains(#"<span class="badge verdict-partly">◐ partly confirmed</span>"#))
        XCTAssertTrue(html.contains(#"<span class="badge verdict-not-confirmed">✘ not confirmed</span>"#))
        XCTAssertFalse(html.contains("<th>± SE</th>"), "a column without values is left out")
        XCTAssertTrue(html.contains("<td class=\"num\" data-label=\"range\">[−2.11\u{2009}–\u{2009}−1.41]</td>"))
        XCTAssertTrue(html.contains(#"<td class="num" data-label="p">3.97×10⁻⁴</td>"#))
        XCTAssertTrue(html.contains(#"<td class="num" data-label="p">−0.25</td>"#))
        let css = try String(contentsOf: templates.appendingPathComponent("style.css"), encoding: .utf8)
        for rule in [".verdict-confirmed", ".verdict-partly", ".verdict-not-confirmed", "td.num, th.num { text-align: right; }", "td.num { white-space: nowrap; }"] {
            XCTAssertTrue(css.contains(rule), rule)
        }
    }

    /// Issue 17, phone: figures reserve their box (width and height) and open full size on tap;
    /// tables scroll inside a focusable wrapper; provenance paths may break anywhere.
    func testFiguresHaveSizesAndTablesScrollInsideTheirWrapper() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try normalizedHTML(dir)
        XCTAssertTrue(html.contains(#"<a class="figure-open" href="figures/nums-curve.png" title="Open the full-size figure"><picture class="has-narrow"><source media="(max-width: 700px)" srcset="data:image/png;base64,"#))
        XCTAssertTrue(html.contains(#" width="4" height="3" data-variant="narrow"><img src="data:image/png;base64,"#))
        XCTAssertTrue(html.contains(#" width="3" height="2" alt="A curve &amp; its &lt;band&gt;"></picture></a>"#))
        XCTAssertTrue(html.contains(#"<div class="table-wrap scroll-x" role="region" aria-label="Side by side (scrolls sideways)" tabindex="0">"#))
        // The claims table has a sentence in it: on a phone it stacks, each value under its column's name.
        XCTAssertTrue(html.contains(#"<div class="table-wrap scroll-x stack" role="region""#))
        XCTAssertTrue(html.contains(#"<td class="num" data-label="p">"#))
        let css = try String(contentsOf: templates.appendingPathComponent("style.css"), encoding: .utf8)
        XCTAssertTrue(css.contains("overflow-wrap: anywhere"))
        XCTAssertTrue(css.contains("@media (max-width: 700px)"), "the narrow variant's breakpoint matches the <source> media")
    }

    func testTableOfContentsLinksToHeadingIds() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try normalizedHTML(dir)
        XCTAssertTrue(html.contains("<h2 id=\"failures\">Failures</h2>"))
        XCTAssertTrue(html.contains("<a href=\"#failures\">Failures</a>"))
    }
}


/// Well-formedness of the report: every non-void element closed in order (what an HTML5
/// parser would otherwise repair silently), and a doctype first.
final class WellFormedHTMLTests: XCTestCase {
    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]

    /// Problems found, empty when the page is balanced.
    static func problems(in html: String) -> [String] {
        var stack = [String]()
        var problems = [String]()
        var rest = Substring(html)
        guard html.hasPrefix("<!DOCTYPE html>") else { return ["no doctype"] }
        while let open = rest.firstIndex(of: "<") {
            rest = rest[open...]
            if rest.hasPrefix("<!--") {
                guard let end = rest.range(of: "-->") else { return problems + ["unclosed comment"] }
                rest = rest[end.upperBound...]
                continue
            }
            guard let close = rest.firstIndex(of: ">") else { return problems + ["unclosed tag"] }
            let tag = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("!") { continue }
            let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
            if tag.hasPrefix("/") {
                guard stack.last == name else { problems.append("</\(name)> closes <\(stack.last ?? "nothing")>"); continue }
                stack.removeLast()
            } else if !voidElements.contains(name) && !tag.hasSuffix("/") {
                stack.append(name)
                if name == "style" || name == "script", let end = rest.range(of: "</\(name)>") {
                    rest = rest[end.lowerBound...]
                }
            }
        }
        return problems + (stack.isEmpty ? [] : ["unclosed: \(stack)"])
    }

    func testCheckerFindsProblems() {
        XCTAssertEqual(WellFormedHTMLTests.problems(in: "<!DOCTYPE html><p><b></p>").count, 2)
        XCTAssertEqual(WellFormedHTMLTests.problems(in: "<!DOCTYPE html><p>a<br>b<img src=x></p>"), [])
    }

    func testReportIsWellFormed() throws {
        let (dir, _) = try runFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertEqual(WellFormedHTMLTests.problems(in: html), [])
    }
}
