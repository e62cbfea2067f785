import Foundation
import Report

/// The pages `preview` serves beyond the report files: the report with the reload script
/// added, a notebook's errors, and a folder's index. Reports on disk stay script-free; only
/// the served copy gets the script, allowed by a nonce in its Content-Security-Policy.
enum PreviewPages {
    /// The CSP of every page the server makes or changes: the report's own (nothing but
    /// inline styles and data: images) plus this one script and its event stream.
    static func contentSecurityPolicy(nonce: String) -> String {
        PageShell.reportPolicy + "; script-src 'nonce-\(nonce)'; connect-src 'self'"
    }

    /// The script: listens to /_events and reloads the page once a run later than the one
    /// it shows has finished. `generation` is the one the page was made from, so a run
    /// that ends between the page's load and the stream's start is not missed.
    static func reloadScript(nonce: String, generation: Int) -> String {
        """
        <script nonce="\(nonce)">
        (() => {
          const shown = \(generation);
          const events = new EventSource("/_events");
          events.addEventListener("run", (e) => { if (Number(e.data) > shown) { events.close(); location.reload(); } });
        })();
        </script>
        """
    }

    /// The report's HTML with its CSP widened for the script and the script added before
    /// `</body>`.
    static func inject(into html: String, nonce: String, generation: Int) -> String {
        var page = html
        let policy = contentSecurityPolicy(nonce: nonce)
        if let meta = page.range(of: #"<meta http-equiv="Content-Security-Policy" content="[^"]*">"#, options: .regularExpression) {
            page.replaceSubrange(meta, with: #"<meta http-equiv="Content-Security-Policy" content="\#(policy)">"#)
        }
        let script = reloadScript(nonce: nonce, generation: generation)
        if let end = page.range(of: "</body>", options: .backwards) {
            page.insert(contentsOf: script + "\n", at: end.lowerBound)
        } else {
            page += script
        }
        return page
    }

    /// A page of its own: the report's stylesheet, a heading, `body` (HTML) and the script.
    static func page(title: String, heading: String, body: String, css: String, nonce: String, generation: Int) -> String {
        PageShell.html(title: title, kicker: "EntropyBook preview", heading: heading, body: body, css: css,
                       contentSecurityPolicy: contentSecurityPolicy(nonce: nonce),
                       trailer: reloadScript(nonce: nonce, generation: generation))
    }

    /// The page of a notebook whose last save did not validate: its located errors.
    static func invalid(_ notebook: PreviewState.Notebook, diagnostics: [String], css: String, nonce: String, generation: Int) -> String {
        let body = """
        <p class="warning"><strong class="output-kind">Not run:</strong> \(escapeHTML(notebook.path)) has \(diagnostics.count) \
        \(diagnostics.count == 1 ? "error" : "errors"). Fix and save it; this page reloads when the next run ends.</p>
        <pre class="diagnostic">\(escapeHTML(diagnostics.joined(separator: "\n")))</pre>
        """
        return page(title: "\(notebook.title): not run", heading: notebook.title, body: body, css: css, nonce: nonce, generation: generation)
    }

    /// A notebook not run yet, or whose report could not be written.
    static func waiting(_ notebook: PreviewState.Notebook, message: String, css: String, nonce: String, generation: Int) -> String {
        page(title: notebook.title, heading: notebook.title, body: "<p class=\"info\">\(escapeHTML(message))</p>", css: css, nonce: nonce,
             generation: generation)
    }

    /// A folder's index: every notebook, its latest run and a link to its page.
    static func index(folder: String, notebooks: [PreviewState.Notebook], css: String, nonce: String, generation: Int) -> String {
        let rows = notebooks.map { n -> String in
            let state: String = switch n.outcome {
            case .pending: "running…"
            case .reported(let summary): summary
            case .invalid(let d): "not run: \(d.count) \(d.count == 1 ? "error" : "errors")"
            case .notWritten(let reason): "report not written: \(reason)"
            }
            let when = n.finished.map { " · " + ISO8601DateFormatter().string(from: $0) } ?? ""
            return "<li><a href=\"/\(percentEncode(n.stem))/\">\(escapeHTML(n.title))</a> <span class=\"note\">\(escapeHTML(n.stem)).md · \(escapeHTML(state))\(when)</span></li>"
        }
        let body = notebooks.isEmpty ? "<p>No notebook (*.md) in this folder.</p>" : "<ul class=\"notebooks\">\n" + rows.joined(separator: "\n") + "\n</ul>"
        let name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
        return page(title: "Notebooks in \(name)", heading: "Notebooks in \(name)", body: body, css: css, nonce: nonce, generation: generation)
    }

    static func percentEncode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }
}
