import Foundation
import Hummingbird
import Logging

/// `entropybook preview`'s HTTP server (Hummingbird 2, on 127.0.0.1 only): serves the
/// reports of one notebook or of a folder's notebooks from the output directory, with a
/// reload script added to each page, and the event stream (`/_events`) that tells open
/// pages when a run has finished.
///
/// URLs: for one notebook `/` is its report and `/figures/…`, `/data/…` its files; for a
/// folder `/` is the index and `/STEM/…` each notebook's. A path with `..`, `.`, a hidden
/// name, an encoded slash or a NUL, or that leads (through a symbolic link) outside the
/// report's folder, is 404; so is anything else the server does not make.
public struct PreviewServer: Sendable {
    public enum Mode: Sendable {
        /// `/` is this notebook's report.
        case notebook
        /// `/` lists the notebooks; `/STEM/` is each report. The folder's path, for the title.
        case folder(String)
    }

    public let state: PreviewState
    public let output: URL
    public let mode: Mode
    /// The report's stylesheet, for the pages the server makes (index, errors).
    public let css: String

    public init(state: PreviewState, output: URL, mode: Mode, css: String) {
        self.state = state
        self.output = output.standardizedFileURL
        self.mode = mode
        self.css = css
    }

    /// Runs the server on 127.0.0.1:`port` (0: a free port) until the task is cancelled;
    /// `onListening` gets the port it listens on.
    public func run(port: Int, onListening: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "entropybook-preview")
        logger.logLevel = .error
        let responder = CallbackResponder<BasicRequestContext>(callback: { request, _ in
            await self.respond(method: request.method, path: request.uri.path)
        })
        let app = Application(responder: responder,
                              configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
                              onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
                              logger: logger)
        try await app.run()
    }

    /// The response to `method path`. Internal for tests.
    func respond(method: HTTPRequest.Method, path: String) async -> Response {
        guard method == .get || method == .head else { return Self.plain(.methodNotAllowed, "only GET and HEAD") }
        guard let components = Self.components(of: path) else { return Self.notFound }
        if components == ["_events"] { return events() }
        switch mode {
        case .notebook:
            guard let notebook = state.notebooks.first else { return Self.notFound }
            return serve(notebook, rest: components)
        case .folder(let folder):
            guard let first = components.first else {
                let nonce = Self.nonce()
                return Self.html(PreviewPages.index(folder: folder, notebooks: state.notebooks, css: css, nonce: nonce,
                                                    generation: state.generation), nonce: nonce)
            }
            guard let notebook = state.notebooks.first(where: { $0.stem == first }) else { return Self.notFound }
            return serve(notebook, rest: Array(components.dropFirst()))
        }
    }

    /// A notebook's page (`rest` empty or index.html) or one of its report's files.
    private func serve(_ notebook: PreviewState.Notebook, rest: [String]) -> Response {
        let folder = output.appendingPathComponent(notebook.stem)
        let generation = state.generation
        if rest.isEmpty || rest == ["index.html"] {
            let nonce = Self.nonce()
            switch notebook.outcome {
            case .invalid(let diagnostics):
                return Self.html(PreviewPages.invalid(notebook, diagnostics: diagnostics, css: css, nonce: nonce, generation: generation), nonce: nonce)
            case .pending:
                return Self.html(PreviewPages.waiting(notebook, message: "The first run of \(notebook.path) is going on; this page shows its report when it ends.",
                                                      css: css, nonce: nonce, generation: generation), nonce: nonce)
            case .notWritten(let reason):
                return Self.html(PreviewPages.waiting(notebook, message: "The report could not be written: \(reason)", css: css, nonce: nonce,
                                                      generation: generation), nonce: nonce)
            case .reported:
                guard let data = Self.regularFile(folder.appendingPathComponent("index.html"), inside: folder) else { return Self.notFound }
                let text = String(decoding: data, as: UTF8.self)
                return Self.html(PreviewPages.inject(into: text, nonce: nonce, generation: generation), nonce: nonce)
            }
        }
        guard let data = Self.regularFile(rest.reduce(folder) { $0.appendingPathComponent($1) }, inside: folder) else { return Self.notFound }
        var headers = Self.commonHeaders
        headers[.contentType] = Self.contentType(of: rest.last ?? "")
        if rest.last?.hasSuffix(".html") == true {
            // A deck or another page of the report: served as written (no script, its own CSP).
            headers[.contentSecurityPolicy] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Server-sent events: `event: run` with the generation, each time a run finishes.
    private func events() -> Response {
        let stream = state.subscribe()
        var headers = Self.commonHeaders
        headers[.contentType] = "text/event-stream"
        let first = state.generation
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // Retry after 1 s if the stream breaks; the current generation at once.
            try await writer.write(ByteBuffer(string: "retry: 1000\nevent: run\ndata: \(first)\n\n"))
            for await generation in stream {
                try await writer.write(ByteBuffer(string: "event: run\ndata: \(generation)\n\n"))
            }
            try await writer.finish(nil)
        })
    }

    // MARK: Paths and files

    /// The decoded components of a URL path, or nil when one of them could leave the
    /// folder or name a hidden file: `..`, `.`, a name starting with a dot, an encoded
    /// slash or backslash, a NUL, or an empty component other than a trailing slash.
    static func components(of path: String) -> [String]? {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        guard withoutQuery.hasPrefix("/") else { return nil }
        var parts = withoutQuery.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        var decoded = [String]()
        for part in parts {
            guard let d = part.removingPercentEncoding, !d.isEmpty, !d.hasPrefix("."),
                  !d.contains("/"), !d.contains("\\"), !d.contains("\0") else { return nil }
            decoded.append(d)
        }
        return decoded
    }

    /// The bytes of `url` when it is a regular file whose real path (symbolic links
    /// resolved) lies inside `folder`'s; nil otherwise.
    static func regularFile(_ url: URL, inside folder: URL) -> [UInt8]? {
        let real = url.resolvingSymlinksInPath().path
        let base = folder.resolvingSymlinksInPath().path
        guard real.hasPrefix(base + "/") else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: real) else { return nil }
        return [UInt8](data)
    }

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "png": "image/png"
        case "csv": "text/csv; charset=utf-8"
        case "json": "application/json"
        case "css": "text/css; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    // MARK: Responses

    static let commonHeaders: HTTPFields = [.cacheControl: "no-store"]

    static var notFound: Response { plain(.notFound, "not found") }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = commonHeaders
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func html(_ page: String, nonce: String) -> Response {
        var headers = commonHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = PreviewPages.contentSecurityPolicy(nonce: nonce)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// 128 random bits, base64: a new nonce for every page.
    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
    }
}
