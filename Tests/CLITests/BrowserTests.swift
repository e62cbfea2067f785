import Foundation
import XCTest

/// The report as a reader's browser sees it (issue 17): the built executable runs a small
/// notebook, then headless Chromium opens the report through the DevTools protocol
/// (scripts/browser-check.mjs) at 1440 and 390 CSS pixels. Skipped, with the reason, when
/// Chromium or node is not installed (scripts/install-deps.sh installs Chromium).
final class BrowserTests: XCTestCase {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    var executable: URL {
        let dir = Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("entropybook")
    }

    /// The first of `names` found on PATH (or as an absolute path).
    func tool(_ names: [String]) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            if name.hasPrefix("/") { if FileManager.default.isExecutableFile(atPath: name) { return URL(fileURLWithPath: name) } else { continue } }
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return URL(fileURLWithPath: "\(dir)/\(name)")
            }
        }
        return nil
    }

    @discardableResult
    func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // stderr goes to a file: two pipes read one after the other can deadlock.
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("eb-browser-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let e = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        return (p.terminationStatus, o, e)
    }

    func testReportLoadsCleanlyAndFitsAPhoneAndADesktop() throws {
        guard let chromium = tool(["chromium", "chromium-browser", "google-chrome"]) else {
            throw XCTSkip("chromium is not installed (scripts/install-deps.sh installs Debian's chromium); the browser test needs it")
        }
        guard let node = tool(["node"]) else { throw XCTSkip("node (20 or later) is not installed; the DevTools driver needs it") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("eb-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let notebook = repository.appendingPathComponent("Tests/CLITests/Fixtures/browser.md")
        let built = try run(executable, ["run", notebook.path, "-o", out.path, "--quiet", "--slides"],
                            environment: ["ENTROPYBOOK_TEMPLATES": repository.appendingPathComponent("templates").path])
        XCTAssertEqual(built.status, 0, built.stderr)
        for page in ["index.html", "slides.html"] {
            try check(out.appendingPathComponent("browser/\(page)"), chromium: chromium, node: node, isDeck: page == "slides.html")
        }
    }

    /// Opens `report` at 1440 and 390 CSS px and asserts what a reader must get: no sideways
    /// scrolling, no request, no console error, every anchor and image resolved, and — on the
    /// report — each figure in the variant laid out for the screen (a phone's narrow one, with
    /// type sized for ~360 px), at 2× and never squeezed below 90% of its layout width.
    func check(_ report: URL, chromium: URL, node: URL, isDeck: Bool) throws {
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: report.path)[.size] as? Int)
        XCTAssertLessThan(size, 2_500_000, "\(report.lastPathComponent) is over the size budget")
        var arguments = ["--experimental-websocket", repository.appendingPathComponent("scripts/browser-check.mjs").path,
                         report.path, "--widths", "1440,390", "--chromium", chromium.path]
        if let dir = ProcessInfo.processInfo.environment["ENTROPYBOOK_SCREENSHOTS"] { arguments += ["--screenshots", dir] }
        let checked = try run(node, arguments)
        XCTAssertEqual(checked.status, 0, checked.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: checked.stdout) as? [String: Any], checked.stderr)
        let widths = try XCTUnwrap(json["widths"] as? [String: [String: Any]])
        XCTAssertEqual(Set(widths.keys), ["1440", "390"])
        for (width, page) in widths {
            let scrollWidth = try XCTUnwrap(page["scrollWidth"] as? Int), clientWidth = try XCTUnwrap(page["clientWidth"] as? Int)
            XCTAssertEqual(clientWidth, Int(width))
            XCTAssertLessThanOrEqual(scrollWidth, clientWidth, "\(width) px: the page scrolls sideways: \(page["overflowing"] ?? "")")
            XCTAssertEqual((page["overflowing"] as? [String]) ?? ["?"], [], "\(width) px: elements past the right edge")
            XCTAssertEqual((page["requests"] as? [String]) ?? ["?"], [], "\(width) px: the report made requests")
            XCTAssertEqual((page["consoleErrors"] as? [String]) ?? ["?"], [], "\(width) px: console errors")
            XCTAssertEqual((page["brokenAnchors"] as? [String]) ?? ["?"], [], "\(width) px: links to missing anchors")
            let images = try XCTUnwrap(page["images"] as? [[String: Any]])
            XCTAssertGreaterThanOrEqual(images.count, 3, "the sample scatter, C(r) and its local slopes")
            if isDeck {
                for image in images { XCTAssertGreaterThan(image["naturalWidth"] as? Int ?? 0, 0, "\(width) px: a slide's figure does not decode") }
                continue
            }
            let phone = Int(width) ?? 0 < 700
            for image in images {
                let alt = image["alt"] as? String ?? "?"
                XCTAssertGreaterThan(image["naturalWidth"] as? Int ?? 0, 0, "\(width) px: \(alt) does not decode")
                XCTAssertNotNil(image["width"] as? String, "\(width) px: \(alt) has no width attribute")
                XCTAssertNotNil(image["height"] as? String, "\(width) px: \(alt) has no height attribute")
                guard image["inFigure"] as? Bool == true else { continue }
                // Every figure of the fixture has a phone variant, and a phone shows it; a desktop the wide one.
                XCTAssertEqual(image["variants"] as? [String], ["narrow", "default"], "\(width) px: \(alt)")
                XCTAssertEqual(image["variant"] as? String, phone ? "narrow" : "default", "\(width) px: \(alt)")
                // Tick labels stay legible: the chosen variant is shown at 90% of the CSS
                // width it was laid out for at least (its type was sized for that width).
                let layoutWidth = try XCTUnwrap(image["layoutWidth"] as? Int, "\(width) px: \(alt)")
                XCTAssertEqual(layoutWidth, phone ? 360 : 900, "\(width) px: \(alt)")
                XCTAssertGreaterThanOrEqual(Double(image["renderedWidth"] as? Int ?? 0), 0.9 * Double(layoutWidth), "\(width) px: \(alt)")
                // Drawn at 2× for hi-DPI screens: at least 1.9 PNG pixels per CSS pixel shown.
                XCTAssertGreaterThanOrEqual(image["density"] as? Double ?? 0, 1.9, "\(width) px: \(alt)")
            }
            // Tables scroll inside their wrapper, which stays inside the page; on the phone a
            // table with sentences (the estimates' evidence) stacks its rows and fits the width.
            let wraps = try XCTUnwrap(page["tableWraps"] as? [[String: Any]])
            XCTAssertFalse(wraps.isEmpty)
            for wrap in wraps {
                XCTAssertEqual(wrap["overflowX"] as? String, "auto")
                XCTAssertLessThanOrEqual(wrap["right"] as? Int ?? .max, Int(width) ?? 0)
            }
            let stacked = wraps.filter { $0["stacked"] as? Bool == true }
            XCTAssertFalse(stacked.isEmpty, "the fixture's estimates table has evidence sentences")
            if phone {
                for wrap in stacked {
                    XCTAssertLessThanOrEqual(wrap["scrollWidth"] as? Int ?? .max, (wrap["clientWidth"] as? Int ?? 0) + 1, "a stacked table fits a phone")
                }
            }
        }
    }
}
