import Foundation
import XCTest

/// `entropybook preview` in real Chromium (issue 29): the preview of quickstart.md (quick
/// mode) updates both open tabs by itself after the `{entropy}` cell's bandwidth is changed
/// on disk, nothing is requested beyond 127.0.0.1, the server answers on 127.0.0.1 only,
/// and paths outside the reports are 404. Skipped only when Chromium or node is missing.
final class PreviewTests: XCTestCase {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    var executable: URL {
        let dir = Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("entropybook")
    }

    func tool(_ names: [String]) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return URL(fileURLWithPath: "\(dir)/\(name)")
            }
        }
        return nil
    }

    /// Lines a process printed, each with the time it was read.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [(Date, String)] = []
        private var partial = ""
        func append(_ data: Data) {
            lock.withLock {
                partial += String(decoding: data, as: UTF8.self)
                while let newline = partial.firstIndex(of: "\n") {
                    lines.append((Date(), String(partial[..<newline])))
                    partial = String(partial[partial.index(after: newline)...])
                }
            }
        }
        var all: [(Date, String)] { lock.withLock { lines } }
        /// Waits (polling) until a line satisfies `match`, up to `seconds`.
        func wait(seconds: Double, for match: (String) -> Bool) -> (Date, String)? {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if let hit = all.first(where: { match($0.1) }) { return hit }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return nil
        }
    }

    /// A raw HTTP/1.1 GET (the path sent as is, not normalised as a URL library would) to
    /// `host:port`: the status line, or nil when the connection is refused.
    func rawGET(host: String, port: Int, path: String) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received = [UInt8]()
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[..<n]
        }
        return String(decoding: received, as: UTF8.self).components(separatedBy: "\r\n").first
    }

    func testPreviewReloadsEveryOpenTabAfterASaveAndServesOnlyLoopback() throws {
        guard tool(["chromium"]) != nil else {
            throw XCTSkip("chromium is not installed (scripts/install-deps.sh installs Debian's chromium); the preview test needs it")
        }
        guard let node = tool(["node"]) else { throw XCTSkip("node (20 or later) is not installed; the DevTools driver needs it") }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("eb-preview-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let notebook = work.appendingPathComponent("quickstart.md")
        try FileManager.default.copyItem(at: repository.appendingPathComponent("notebooks/quickstart.md"), to: notebook)
        let out = work.appendingPathComponent("out")

        let preview = Process()
        preview.executableURL = executable
        preview.arguments = ["preview", notebook.path, "--port", "0", "-o", out.path, "-p", "quick=true", "--quiet"]
        preview.environment = ProcessInfo.processInfo.environment.merging(
            ["ENTROPYBOOK_TEMPLATES": repository.appendingPathComponent("templates").path]) { $1 }
        let stdout = Pipe()
        preview.standardOutput = stdout
        preview.standardError = FileHandle.nullDevice
        let lines = Lines()
        stdout.fileHandleForReading.readabilityHandler = { handle in lines.append(handle.availableData) }
        try preview.run()
        defer {
            if preview.isRunning { preview.interrupt() }
            preview.waitUntilExit()
            stdout.fileHandleForReading.readabilityHandler = nil
        }

        let announced = try XCTUnwrap(lines.wait(seconds: 60) { $0.hasPrefix("preview: http://127.0.0.1:") }, "the server never said where it listens")
        let url = announced.1.replacingOccurrences(of: "preview: ", with: "")
        let port = try XCTUnwrap(Int(url.split(separator: ":").last?.split(separator: "/").first ?? ""))

        // Loopback only, and nothing outside the reports.
        XCTAssertEqual(rawGET(host: "127.0.0.1", port: port, path: "/_nothing"), "HTTP/1.1 404 Not Found")
        XCTAssertNil(rawGET(host: "127.0.0.2", port: port, path: "/"), "bound to 127.0.0.1 only: another loopback address gets no answer")
        for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/figures/..%2f..%2f..%2fetc%2fpasswd", "/.cache/"] {
            XCTAssertEqual(rawGET(host: "127.0.0.1", port: port, path: path), "HTTP/1.1 404 Not Found", path)
        }

        // Both tabs follow an edit of the {entropy} cell's bandwidth.
        let value = """
        (() => { const s = [...document.querySelectorAll("section.cell")].find((c) => c.querySelector(".directive")?.textContent === "entropy"); \
        return s ? (s.querySelector(".metric .value")?.textContent ?? null) : null; })()
        """
        let driver = Process()
        driver.executableURL = node
        driver.arguments = ["--experimental-websocket", repository.appendingPathComponent("scripts/preview-check.mjs").path,
                            url, notebook.path, "bandwidth: loo-ml", "bandwidth: 0.25", value]
        let driverOut = Pipe()
        driver.standardOutput = driverOut
        try driver.run()
        let json = driverOut.fileHandleForReading.readDataToEndOfFile()
        driver.waitUntilExit()
        XCTAssertEqual(driver.terminationStatus, 0, String(decoding: json, as: UTF8.self))
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let before = try XCTUnwrap(result["before"] as? [String]), after = try XCTUnwrap(result["after"] as? [String])
        XCTAssertEqual(before.count, 2)
        XCTAssertEqual(before[0], before[1])
        XCTAssertNotEqual(after[0], before[0], "the first tab shows the new estimate")
        XCTAssertNotEqual(after[1], before[1], "the second tab too")
        XCTAssertEqual(after[0], after[1])
        XCTAssertEqual(result["loads"] as? [Int], [1, 1], "each tab reloaded itself once")
        XCTAssertEqual(result["requests"] as? [String], [], "nothing requested beyond 127.0.0.1")

        // Within 2 s of the end of the run that the save started (its summary line).
        let editedAt = Date(timeIntervalSince1970: try XCTUnwrap(result["editedAt"] as? Double) / 1000)
        let runEnd = try XCTUnwrap(lines.all.first { $0.0 > editedAt && $0.1.hasPrefix("re-ran ") }?.0, "\(lines.all.map(\.1))")
        for updated in try XCTUnwrap(result["updatedAt"] as? [Double]) {
            let delay = Date(timeIntervalSince1970: updated / 1000).timeIntervalSince(runEnd)
            XCTAssertLessThan(delay, 2, "the page updated \(delay) s after the run ended")
        }

        // The served page has the script; the report on disk has none, and keeps its CSP.
        let onDisk = try String(contentsOf: out.appendingPathComponent("quickstart/index.html"), encoding: .utf8)
        XCTAssertFalse(onDisk.contains("<script"))
        XCTAssertTrue(onDisk.contains(#"content="default-src 'none'; img-src data:; style-src 'unsafe-inline'""#))
    }
}
