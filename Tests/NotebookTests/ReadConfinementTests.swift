import Foundation
import XCTest
@testable import Notebook

/// A directive that reads one file, for the read confinement tests.
private enum ReaderDirective: Directive {
    static let name = "reader"
    static let summary = "test directive with a path"
    struct Settings: ParameterSettings { @Param("a file to read", type: .path) var file: String }
    static let parameters = Settings.parameters
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let path = try arguments.decode(Settings.self).file
        _ = try context.readableURL("file", path)
        return CellResult()
    }
}

/// Data paths resolve inside the notebook's folder and the data directory; anything else
/// is an error at the `path:` line unless `--allow-read` or trusted front matter allows it.
final class ReadConfinementTests: XCTestCase {
    var root: URL!
    var notebookDirectory: URL { root.appendingPathComponent("notebook") }
    var dataDirectory: URL { root.appendingPathComponent("data") }
    var outside: URL { root.appendingPathComponent("outside") }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("confinement-\(UUID().uuidString)")
        for directory in [notebookDirectory.appendingPathComponent("sub"), dataDirectory, outside] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        for file in [notebookDirectory.appendingPathComponent("sub/own.csv"), dataDirectory.appendingPathComponent("shared.csv"),
                     outside.appendingPathComponent("secret.csv")] {
            try Data("1,2\n".utf8).write(to: file)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    /// Diagnostics of a one-cell notebook reading `path`, with `front` as front matter.
    func problems(reading path: String, front: String = "", allowRead: [URL] = [], trust: Bool = false) -> [String] {
        let source = (front.isEmpty ? "" : "---\n\(front)\n---\n") + "```{reader}\nfile: \(path)\n```\n"
        let (document, _) = NotebookParser.parse(source, file: "nb.md")
        let locations = FileLocations(notebookDirectory: notebookDirectory, dataDirectory: dataDirectory,
                                      allowedDirectories: allowRead)
        let validator = Validator(registry: [ReaderDirective.self], locations: locations, trust: trust)
        switch validator.plan(document) {
        case .success: return []
        case .failure(let failure): return failure.diagnostics.map(\.description)
        }
    }

    func testPathsInsideTheNotebookFolderAndTheDataDirectoryAreAllowed() {
        XCTAssertEqual(problems(reading: "sub/own.csv"), [])
        XCTAssertEqual(problems(reading: "sub/../sub/own.csv"), [])
        XCTAssertEqual(problems(reading: dataDirectory.appendingPathComponent("shared.csv").path), [])
    }

    func testAbsolutePathOutsideTheNotebookFolderIsALocatedError() {
        XCTAssertEqual(problems(reading: "/etc/passwd"), [
            "nb.md:2:1: error: `/etc/passwd` is outside the notebook's folder and the data directory; "
            + "a notebook reads only there unless `--allow-read DIR` allows more",
        ])
    }

    func testDotDotEscapingTheNotebookFolderIsALocatedError() {
        let problems = problems(reading: "../outside/secret.csv")
        XCTAssertEqual(problems.count, 1)
        XCTAssert(problems.first?.hasPrefix("nb.md:2:1: error: `../outside/secret.csv` is outside the notebook's folder") ?? false,
                  "\(problems)")
    }

    func testHomeDirectoryPathIsALocatedError() {
        let problems = problems(reading: "~/.ssh/id_rsa")
        XCTAssertEqual(problems.count, 1)
        XCTAssert(problems.first?.contains("`~/.ssh/id_rsa` is outside the notebook's folder and the data directory (`~` is the home directory)") ?? false,
                  "\(problems)")
    }

    func testSymlinkLeavingTheNotebookFolderIsALocatedError() throws {
        let link = notebookDirectory.appendingPathComponent("sub/link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside.appendingPathComponent("secret.csv"))
        let linkedDirectory = notebookDirectory.appendingPathComponent("elsewhere")
        try FileManager.default.createSymbolicLink(at: linkedDirectory, withDestinationURL: outside)
        for path in ["sub/link.csv", "elsewhere/secret.csv"] {
            let problems = problems(reading: path)
            XCTAssertEqual(problems.count, 1)
            XCTAssert(problems.first?.contains("`\(path)` leads through a symbolic link to a file outside") ?? false, "\(problems)")
        }
    }

    func testSymlinkStayingInsideTheNotebookFolderIsAllowed() throws {
        try FileManager.default.createSymbolicLink(at: notebookDirectory.appendingPathComponent("alias.csv"),
                                                   withDestinationURL: notebookDirectory.appendingPathComponent("sub/own.csv"))
        XCTAssertEqual(problems(reading: "alias.csv"), [])
    }

    func testFIFOInsideTheNotebookFolderIsALocatedError() throws {
        XCTAssertEqual(mkfifo(notebookDirectory.appendingPathComponent("pipe.csv").path, 0o600), 0)
        XCTAssertEqual(problems(reading: "pipe.csv"), ["nb.md:2:1: error: `pipe.csv` is a FIFO (named pipe), not a regular file"])
    }

    func testDeviceIsALocatedErrorEvenWhenItsDirectoryIsAllowed() {
        XCTAssertEqual(problems(reading: "/dev/zero", allowRead: [URL(fileURLWithPath: "/dev")]),
                       ["nb.md:2:1: error: `/dev/zero` is a device, not a regular file"])
    }

    func testDirectoryWhereAFileIsExpectedIsALocatedError() {
        XCTAssertEqual(problems(reading: "sub"), ["nb.md:2:1: error: `sub` is a directory; a file is expected here"])
    }

    func testPathWithANulCharacterIsRefused() throws {
        let locations = FileLocations(notebookDirectory: notebookDirectory, dataDirectory: dataDirectory)
        XCTAssertThrowsError(try locations.readableURL("sub/own.csv\u{0}/x")) { error in
            XCTAssertEqual("\(error)", "`sub/own.csv\\0/x` contains a NUL character")
        }
        XCTAssertNoThrow(try locations.readableURL("sub/own.csv"))
    }

    func testAllowReadLetsAnOutsideDirectoryIn() {
        let secret = outside.appendingPathComponent("secret.csv").path
        XCTAssertEqual(problems(reading: secret).count, 1)
        XCTAssertEqual(problems(reading: secret, allowRead: [outside]), [])
    }

    func testFrontMatterAllowReadCountsOnlyWithTrust() {
        let front = "allow-read: [../outside]"
        let untrusted = problems(reading: "../outside/secret.csv", front: front)
        XCTAssertEqual(untrusted.count, 1)
        XCTAssert(untrusted.first?.hasSuffix("(the front matter's `allow-read` names it, which counts only with `--trust`)") ?? false,
                  "\(untrusted)")
        XCTAssertEqual(problems(reading: "../outside/secret.csv", front: front, trust: true), [])
        XCTAssertEqual(problems(reading: "/etc/passwd", front: front, trust: true).count, 1)
    }

    func testTrustedFrontMatterDirectoriesReachTheRun() throws {
        let source = "---\nallow-read: ../outside\n---\n```{reader}\nfile: ../outside/secret.csv\n```\n"
        let (document, _) = NotebookParser.parse(source, file: "nb.md")
        let locations = FileLocations(notebookDirectory: notebookDirectory, dataDirectory: dataDirectory)
        let plan = try Validator(registry: [ReaderDirective.self], locations: locations, trust: true).plan(document).get()
        XCTAssertEqual(plan.allowedReadDirectories.map(\.path), [outside.standardizedFileURL.path])
        let records = Executor(plan: plan, notebookDirectory: notebookDirectory, dataDirectory: dataDirectory).run()
        XCTAssertEqual(records.map(\.status), [.ok])
    }

    func testRunRefusesAPathThatValidationDidNotCheck() throws {
        let (document, _) = NotebookParser.parse("```{reader}\nfile: /etc/passwd\n```\n", file: "nb.md")
        let plan = try Validator(registry: [ReaderDirective.self]).plan(document).get()
        let records = Executor(plan: plan, notebookDirectory: notebookDirectory, dataDirectory: dataDirectory).run()
        XCTAssertEqual(records.map(\.status), [.failed])
        XCTAssertEqual(records.first?.error?.location.line, 2)
    }
}
