import Foundation
import XCTest

/// A notebook from someone else cannot read outside its folder: every such path is a
/// located error, and no byte of the files it points at reaches the output or the terminal.
extension CLITests {
    /// A notebook folder beside an `outside` folder holding a file with a unique secret.
    struct PlantedSecret {
        var root: URL
        var notebook: URL
        var outside: URL
        var secret: String
    }

    func plantSecret() throws -> PlantedSecret {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eb-confine-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("notebook"), outside = root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let secret = "EB-SECRET-\(UUID().uuidString)"
        // A header line, then a row whose second field is the secret: a parser that quoted
        // the offending token would print it.
        try Data("\(secret),1\n2,\(secret)\n".utf8).write(to: outside.appendingPathComponent("private.csv"))
        try Data("\(secret)\n".utf8).write(to: outside.appendingPathComponent("private.npy"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.csv"),
                                                   withDestinationURL: outside.appendingPathComponent("private.csv"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("elsewhere"), withDestinationURL: outside)
        try Data("1,2\n3,4\n".utf8).write(to: folder.appendingPathComponent("own.csv"))
        let notebook = folder.appendingPathComponent("stranger.md")
        try """
        # Reads everywhere

        ```{dataset}
        kind: csv
        path: \(outside.path)/private.csv
        ```

        ```{dataset}
        kind: csv
        path: ../outside/private.csv
        ```

        ```{dataset}
        kind: csv
        path: link.csv
        ```

        ```{dataset}
        kind: npy
        path: elsewhere/private.npy
        ```

        ```{dataset}
        kind: npy
        path: own.csv
        labels: ../outside/private.npy
        ```

        """.write(to: notebook, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return PlantedSecret(root: root, notebook: notebook, outside: outside, secret: secret)
    }

    /// Every regular file under `directory`, as text (bytes decoded leniently).
    func contentsOfEveryFile(under directory: URL) -> [(String, String)] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { item in
            guard let url = item as? URL, let data = FileManager.default.contents(atPath: url.path) else { return nil }
            return (url.path, String(decoding: data, as: UTF8.self))
        }
    }

    func testNotebookReadingOutsideItsFolderFailsCheckAtEveryPathLine() throws {
        let planted = try plantSecret()
        let r = try entropybook(["check", planted.notebook.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        let located = r.stderr.split(separator: "\n").compactMap { line -> String? in
            guard let at = line.range(of: "stranger.md:"), let end = line.range(of: ": error: ") else { return nil }
            return String(line[at.lowerBound..<end.lowerBound])
        }
        XCTAssertEqual(located, ["stranger.md:5:1", "stranger.md:10:1", "stranger.md:15:1", "stranger.md:20:1", "stranger.md:26:1"])
        XCTAssertFalse(r.stderr.contains(planted.secret))
    }

    /// The acceptance test of issue 14: located errors, and none of the files' bytes in
    /// the output or on the terminal — also when the user allows the folder and the
    /// readers' errors (not the confinement) stop the cells.
    func testPlantedSecretOutsideTheFolderReachesNoOutput() throws {
        let planted = try plantSecret()
        let output = planted.root.appendingPathComponent("output")
        let refused = try entropybook(["run", planted.notebook.path, "-o", output.path, "--quiet"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertEqual(refused.stderr.components(separatedBy: ": error: ").count - 1, 5, refused.stderr)
        XCTAssertFalse(refused.stderr.contains(planted.secret))
        for (path, text) in contentsOfEveryFile(under: output) { XCTAssertFalse(text.contains(planted.secret), path) }

        // Allowed, the npy cells' headers are read by the check: located errors, no secret.
        let allowed = try entropybook(["run", planted.notebook.path, "-o", output.path, "--quiet", "--allow-read", planted.outside.path])
        XCTAssertEqual(allowed.status, 2, allowed.stderr)
        XCTAssertTrue(allowed.stderr.contains("stranger.md:20:1: error:") && allowed.stderr.contains("stranger.md:25:1: error:"), allowed.stderr)
        XCTAssertFalse(allowed.stderr.contains(planted.secret), allowed.stderr)
        // The csv cells pass the check and fail in the run: the report holds no secret either.
        let csvOnly = planted.notebook.deletingLastPathComponent().appendingPathComponent("csv-only.md")
        let text = try String(contentsOf: planted.notebook, encoding: .utf8)
        try String(text[..<(text.range(of: "```{dataset}\nkind: npy")?.lowerBound ?? text.endIndex)])
            .write(to: csvOnly, atomically: true, encoding: .utf8)
        let ran = try entropybook(["run", csvOnly.path, "-o", output.path, "--quiet", "--allow-read", planted.outside.path])
        XCTAssertEqual(ran.status, 1, ran.stderr)
        XCTAssertFalse(ran.stderr.contains(planted.secret), ran.stderr)
        let files = contentsOfEveryFile(under: output)
        XCTAssert(files.contains { $0.0.hasSuffix("csv-only/index.html") } && files.contains { $0.0.hasSuffix("csv-only/run.json") })
        for (path, text) in files { XCTAssertFalse(text.contains(planted.secret), path) }
    }

    func testAllowReadOnTheCommandLineLetsAnOutsideDirectoryIn() throws {
        let planted = try plantSecret()
        let notebook = planted.notebook.deletingLastPathComponent().appendingPathComponent("outside-ok.md")
        try Data("1,2\n3,4\n".utf8).write(to: planted.outside.appendingPathComponent("table.csv"))
        try "```{dataset}\nkind: csv\npath: ../outside/table.csv\n```\n".write(to: notebook, atomically: true, encoding: .utf8)
        XCTAssertEqual(try entropybook(["check", notebook.path]).status, 2)
        let r = try entropybook(["check", notebook.path, "--allow-read", planted.outside.path])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testFrontMatterAllowReadNeedsTrustOnTheCommandLine() throws {
        let planted = try plantSecret()
        let notebook = planted.notebook.deletingLastPathComponent().appendingPathComponent("asks.md")
        try Data("1,2\n3,4\n".utf8).write(to: planted.outside.appendingPathComponent("table.csv"))
        try "---\nallow-read: [../outside]\n---\n```{dataset}\nkind: csv\npath: ../outside/table.csv\n```\n"
            .write(to: notebook, atomically: true, encoding: .utf8)
        let untrusted = try entropybook(["check", notebook.path])
        XCTAssertEqual(untrusted.status, 2)
        XCTAssertTrue(untrusted.stderr.contains("asks.md:6:1: error:"), untrusted.stderr)
        XCTAssertTrue(untrusted.stderr.contains("which counts only with `--trust`"), untrusted.stderr)
        XCTAssertEqual(try entropybook(["check", notebook.path, "--trust"]).status, 0)
    }

    func testDevZeroIsALocatedErrorEvenWithItsDirectoryAllowed() throws {
        let planted = try plantSecret()
        let notebook = planted.notebook.deletingLastPathComponent().appendingPathComponent("zero.md")
        try "```{dataset}\nkind: csv\npath: /dev/zero\n```\n".write(to: notebook, atomically: true, encoding: .utf8)
        let r = try entropybook(["check", notebook.path, "--allow-read", "/dev"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("zero.md:3:1: error: {dataset}: `/dev/zero` is a device, not a regular file")
                      || r.stderr.contains("zero.md:3:1: error: `/dev/zero` is a device, not a regular file"), r.stderr)
    }
}
