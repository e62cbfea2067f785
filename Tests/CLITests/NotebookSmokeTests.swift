import Foundation
import TestSupport
import XCTest

/// Every notebook of the repository, run in quick mode by the built binary: every cell ok and
/// every id the notebook declares stored. Quick mode (fewer points, epochs and seeds) keeps
/// the six notebooks near a minute on two cores; the full runs live in the README's table.
final class NotebookSmokeTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The notebooks with a smoke test below; a notebook added without one fails
    /// `testEveryNotebookHasASmokeTest`.
    static let covered: Set<String> = ["fractal-dimension", "information-plane", "mi-benchmark", "mnist", "plot-gallery", "presentation", "quickstart",
                                       "synthetic", "verdict-calibration"]

    func testEveryNotebookHasASmokeTest() throws {
        let names = try FileManager.default.contentsOfDirectory(at: root.appendingPathComponent("notebooks"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }.map { $0.deletingPathExtension().lastPathComponent }
        XCTAssertEqual(Set(names), Self.covered, "add a test method per notebook")
    }

    func testFractalDimension() throws { try smoke("fractal-dimension") }
    func testInformationPlane() throws { try smoke("information-plane") }
    func testMIBenchmark() throws { try smoke("mi-benchmark") }
    func testMNIST() throws { try smoke("mnist") }
    func testPlotGallery() throws { try smoke("plot-gallery") }
    func testPresentation() throws { try smoke("presentation", slides: true, everyNumberInRunJSON: true) }
    func testQuickstart() throws { try smoke("quickstart", everyNumberInRunJSON: true) }
    func testSynthetic() throws { try smoke("synthetic") }
    func testVerdictCalibration() throws { try smoke("verdict-calibration") }

    /// The size budget of a report page and of its slide deck, figures inlined: 2.5 MB each
    /// (issue 17). presentation.md, the notebook with the most figures, is held to it.
    static let pageBudget = 2_500_000

    /// Runs notebooks/NAME.md in quick mode: exit 0, every cell ok, every declared id stored,
    /// run.json valid under schemas/run.schema.json, every inline value resolved; with
    /// `slides`, also the deck, and index.html and slides.html within `pageBudget`; with
    /// `everyNumberInRunJSON`, every number the report shows as a result is in run.json.
    private func smoke(_ name: String, slides: Bool = false, everyNumberInRunJSON: Bool = false) throws {
        let notebook = root.appendingPathComponent("notebooks/\(name).md")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("eb-smoke-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let status = try runEntropybook(["run", notebook.path, "-o", output.path, "-p", "quick=true", "-q"] + (slides ? ["--slides"] : []))
        XCTAssertEqual(status, 0, "\(name): exit \(status)")
        for page in slides ? ["index.html", "slides.html"] : [] {
            let path = output.appendingPathComponent(name).appendingPathComponent(page).path
            let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, "\(name): no \(page)")
            XCTAssertLessThanOrEqual(size, Self.pageBudget, "\(name): \(page) is \(size) bytes, over the \(Self.pageBudget)-byte budget")
        }
        let manifest = output.appendingPathComponent(name).appendingPathComponent("run.json")
        guard let data = try? Data(contentsOf: manifest),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cells = json["cells"] as? [[String: Any]] else {
            return XCTFail("\(name): no readable run.json")
        }
        XCTAssertEqual(json["status"] as? String, "ok", name)
        // Issue 16: the JSON Schema in the repository describes every notebook's run.json.
        let schema = try JSONSchemaCheck(schema: Data(contentsOf: root.appendingPathComponent("schemas/run.schema.json")))
        let violations = schema.violations(of: try JSONDecoder().decode(JSONDocument.self, from: data))
        XCTAssertEqual(violations, [], "\(name): run.json does not match schemas/run.schema.json")
        // Every inline value of the prose found its number (no placeholder in the report).
        for value in json["inlineValues"] as? [[String: Any]] ?? [] where value["status"] as? String != "ok" {
            XCTFail("\(name):\(value["line"] ?? "?"): `{=\(value["reference"] ?? "?")}` is \(value["status"] ?? "?")")
        }
        for cell in cells where cell["status"] as? String != "ok" {
            XCTFail("\(name): cell at line \(cell["line"] ?? "?") is \(cell["status"] ?? "?")")
        }
        // Issue 17: the cells' output names files relative to the notebook, never by the
        // machine's absolute paths (the header and the provenance footer may name the
        // notebook as it was given on the command line).
        let html = try String(contentsOf: output.appendingPathComponent(name).appendingPathComponent("index.html"), encoding: .utf8)
        let body = html.components(separatedBy: #"<main class="content">"#).last?.components(separatedBy: "</main>").first ?? ""
        XCTAssertFalse(body.isEmpty, "\(name): no <main> in the report")
        XCTAssertFalse(body.contains(root.path), "\(name): the report's body prints an absolute path of this machine")
        for line in html.split(separator: "\n") where line.contains("<dt>Data file</dt>") {
            XCTAssertFalse(line.contains(root.path), "\(name): the provenance names a data file by its absolute path: \(line)")
        }
        if everyNumberInRunJSON { try checkEveryShownNumber(html: html, runJSON: data, name: name) }
        let stored = Set(cells.flatMap { ($0["stored"] as? [String: Any])?.keys.map { $0 } ?? [] })
        for id in try declaredIds(in: notebook) {
            XCTAssertTrue(stored.contains(id), "\(name): `\(id)` is declared but not stored")
        }
    }

    /// Issue 24: every number the report shows as a result — each number in a numeric table
    /// cell, a metric's value and uncertainty, an inline value — is a number of run.json
    /// (results, inline values, settings), equal to it at the precision shown ("3.067" is
    /// any x with |x − 3.067| ≤ 0.0005; "47 %" may be 0.47). Numbers inside sentences
    /// (captions, notes, a column of explanations) are not results and are not walked.
    private func checkEveryShownNumber(html: String, runJSON: Data, name: String) throws {
        let run = try JSONSerialization.jsonObject(with: runJSON) as? [String: Any] ?? [:]
        var stored = [Double]()
        func collect(_ v: Any?) {
            switch v {
            case let n as NSNumber: stored.append(n.doubleValue)
            case let a as [Any]: a.forEach(collect)
            case let o as [String: Any]: o.values.forEach(collect)
            default: break
            }
        }
        for cell in run["cells"] as? [[String: Any]] ?? [] { collect(cell["results"]); collect(cell["metrics"]) }
        collect(run["inlineValues"])
        collect(run["settings"])
        stored.sort()
        func shown(_ pattern: String) -> [String] {
            let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
            let ns = html as NSString
            return regex?.matches(in: html, range: NSRange(location: 0, length: ns.length)).map {
                ns.substring(with: $0.range(at: 1)).replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            } ?? []
        }
        let texts = shown(#"<td[^>]*class="num"[^>]*>(.*?)</td>"#) + shown(#"<span class="value">(.*?)</span>"#)
            + shown(#"<span class="unc">(.*?)</span>"#) + shown(#"<span class="inline-value"[^>]*>(.*?)</span>"#)
        XCTAssertGreaterThan(texts.count, 10, "\(name): the walk found almost no numbers; has the report's markup changed?")
        let number = try NSRegularExpression(pattern: #"-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?"#)
        var walked = 0
        for text in texts {
            // "5.637×10⁻⁴" as the report typesets it is 5.637e-4.
            var t = text.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: "&#8722;", with: "-")
            if let times = t.range(of: "×10") {
                let exponent = String(t[times.upperBound...].map { c -> Character in
                    let superscripts = Array("⁰¹²³⁴⁵⁶⁷⁸⁹"), index = superscripts.firstIndex(of: c)
                    return c == "⁻" ? "-" : index.map { Character(String($0)) } ?? c
                })
                t = String(t[..<times.lowerBound]) + "e" + exponent
            }
            let ns = t as NSString
            for match in number.matches(in: t, range: NSRange(location: 0, length: ns.length)) {
                let token = ns.substring(with: match.range)
                guard let x = Double(token) else { continue }
                walked += 1
                // Half a unit of the last digit shown.
                let mantissa = token.split(separator: "e").first.map(String.init) ?? token
                let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
                let exponent = token.split(separator: "e").dropFirst().first.flatMap { Int($0) } ?? 0
                let tolerance = 0.5 * pow(10, Double(exponent - decimals)) * (1 + 1e-9) + 1e-12
                let found = [x, x / 100].contains { target in
                    var lo = 0, hi = stored.count
                    while lo < hi { let mid = (lo + hi) / 2; if stored[mid] < target - tolerance { lo = mid + 1 } else { hi = mid } }
                    return lo < stored.count && abs(stored[lo] - target) <= tolerance
                }
                XCTAssertTrue(found, "\(name): the report shows \(token) (in “\(text)”) but run.json holds no such number")
            }
        }
        XCTAssertGreaterThan(walked, 10, name)
    }

    /// Every `id:` written in a directive cell.
    private func declaredIds(in notebook: URL) throws -> [String] {
        var ids = [String]()
        var inCell = false
        for line in try String(contentsOf: notebook, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCell = line.hasPrefix("```{"); continue }
            if inCell, line.hasPrefix("id:") { ids.append(line.dropFirst(3).trimmingCharacters(in: .whitespaces)) }
        }
        return ids
    }

    private func runEntropybook(_ arguments: [String]) throws -> Int32 {
        let binary = (Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()).appendingPathComponent("entropybook")
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["ENTROPYBOOK_TEMPLATES"] = root.appendingPathComponent("templates").path
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
