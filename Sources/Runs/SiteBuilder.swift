import Foundation
import Notebook
import Report

/// `entropybook site`: a static site of a folder's notebooks, publishable on any static
/// host. An index (title, last run, cells computed and cached, each claim's outcome and
/// each dimension verdict, link), every report as `run` writes it, and per notebook a page
/// of its recent runs, each with a one-line `RunDiff` summary against the run before.
/// Like the reports: no script, the same Content-Security-Policy, no external request.
public struct SiteBuilder {
    /// One notebook's latest run, for the index.
    public struct Entry: Sendable {
        public var stem: String
        public var path: String
        public var title: String
        /// nil when the notebook did not validate (`diagnostics` say why).
        public var finished: Date?
        public var total = 0, computed = 0, cached = 0, failed = 0
        /// "✓ Confirmed — “statement”. …" per claim, and its style (`verdictStyle`).
        public var claims: [(kind: String, mark: String, statement: String)] = []
        /// "id: summary" per dimension verdict stored ("c.kink: swiss roll: intrinsic dimension 2 (…)").
        public var verdicts: [String] = []
        public var diagnostics: [String] = []

        public init(stem: String, path: String, title: String) {
            self.stem = stem
            self.path = path
            self.title = title
        }

        /// The entry of a finished run: counts, claims and verdicts from its records.
        public init(stem: String, path: String, title: String, finished: Date, records: [CellRecord]) {
            self.init(stem: stem, path: path, title: title)
            self.finished = finished
            total = records.count
            computed = records.filter { $0.status == .ok || $0.status == .failed }.count
            cached = records.filter { $0.status == .cached }.count
            failed = records.filter { $0.status == .failed }.count
            for record in records {
                for case .claim(let c) in record.outputs {
                    claims.append((verdictStyle(c.outcome), "\(c.outcome.mark) \(c.outcome.title)", c.statement))
                }
                for (id, result) in record.results.sorted(by: { $0.key < $1.key }) {
                    // A dimension verdict's record says it in a sentence ("…: intrinsic dimension 1 (…)").
                    guard case .string("verdict")? = result["kind"] else { continue }
                    if case .string(let summary)? = result["summary"] {
                        verdicts.append("\(id): \(summary)")
                    } else if case .string(let label)? = result["label"] {
                        verdicts.append("\(id): \(label)")
                    }
                }
            }
        }
    }

    /// Runs kept per notebook in STEM/runs/ (the oldest go first).
    public static let keptRuns = 10
    /// The tolerance of the one-line diffs (as `entropybook diff`'s default).
    public static let rtol = 1e-9

    public let output: URL
    public let css: String

    public init(output: URL, css: String) {
        self.output = output
        self.css = css
    }

    /// Adds the run.json of STEM's report to its history (STEM/runs/DATE.json, the last
    /// `keptRuns`) and writes STEM/runs.html.
    public func recordRun(stem: String, title: String) throws {
        let folder = output.appendingPathComponent(stem)
        let runs = folder.appendingPathComponent("runs")
        try AtomicFile.createDirectory(runs)
        let current = folder.appendingPathComponent("run.json")
        if let data = FileManager.default.contents(atPath: current.path) {
            let name = Self.stamp(Date()) + ".json"
            try AtomicFile.write([UInt8](data), to: runs.appendingPathComponent(name))
        }
        var history = ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        while history.count > Self.keptRuns { try? FileManager.default.removeItem(at: runs.appendingPathComponent(history.removeFirst())) }
        var rows = [String]()
        var previous: JSONValue?
        for name in history {
            let run = try? RunDiff.load(runs.appendingPathComponent(name).path)
            let when = run.flatMap { if case .string(let s)? = $0["finished"] { s } else { nil } } ?? name
            let summary: String
            switch (previous, run) {
            case (_, nil): summary = "run.json unreadable"
            case (nil, _): summary = "first run kept"
            case (let old?, let new?): summary = Self.oneLine(RunDiff(old: old, new: new, rtol: Self.rtol, atol: 0))
            }
            rows.append("<tr><td>\(escapeHTML(when))</td><td>\(escapeHTML(summary))</td><td><a href=\"runs/\(escapeHTML(name))\">run.json</a></td></tr>")
            previous = run ?? previous
        }
        let body = """
        <p><a href="../index.html">All notebooks</a> · <a href="index.html">latest report</a></p>
        <div class="table-wrap scroll-x" role="region" aria-label="recent runs (scrolls sideways)" tabindex="0"><table>
        <caption>The last \(history.count) \(history.count == 1 ? "run" : "runs"), oldest first; each compared with the one before \
        (entropybook diff, rtol \(Self.rtol)).</caption>
        <thead><tr><th>finished</th><th>change from the run before</th><th>record</th></tr></thead>
        <tbody>
        \(rows.joined(separator: "\n"))
        </tbody></table></div>
        """
        try write(page(title: "\(title): recent runs", heading: "Recent runs", byline: title, body: body),
                  to: folder.appendingPathComponent("runs.html"))
    }

    /// A diff in one line: "no change in 42 numbers" or "2 flips, 3 of 42 numbers changed
    /// (first: H · value 4.1 → 4.3)".
    public static func oneLine(_ diff: RunDiff) -> String {
        if diff.isWithinTolerance { return "no change in \(diff.compared) numbers" }
        var parts = [String]()
        if !diff.flips.isEmpty { parts.append("\(diff.flips.count) \(diff.flips.count == 1 ? "flip" : "flips")") }
        parts.append("\(diff.changes.count) of \(diff.compared) numbers changed")
        let first = diff.flips.first ?? diff.changes.first
        return parts.joined(separator: ", ") + (first.map { " (first: \($0.result) · \($0.field) \($0.old) → \($0.new))" } ?? "")
    }

    /// Writes OUTPUT/index.html: one row per notebook.
    public func writeIndex(folder: String, entries: [Entry]) throws {
        let rows = entries.map { e -> String in
            let link = "<a href=\"\(escapeHTML(e.stem))/index.html\">\(escapeHTML(e.title))</a>"
            guard let finished = e.finished else {
                return "<tr><td>\(link)<br><span class=\"note\">\(escapeHTML(e.stem)).md</span></td><td>not run</td><td>—</td>"
                    + "<td><pre class=\"diagnostic\">\(escapeHTML(e.diagnostics.joined(separator: "\n")))</pre></td><td>—</td></tr>"
            }
            let cells = "\(e.computed) computed, \(e.cached) cached" + (e.failed > 0 ? ", \(e.failed) failed" : "") + " of \(e.total)"
            let claims = e.claims.map { "<li><span class=\"badge verdict-\($0.kind)\">\(escapeHTML($0.mark))</span> \(escapeHTML($0.statement))</li>" }
                + e.verdicts.map { "<li>\(escapeHTML($0))</li>" }
            let outcomes = claims.isEmpty ? "—" : "<ul class=\"outcomes\">" + claims.joined() + "</ul>"
            return "<tr><td>\(link)<br><span class=\"note\">\(escapeHTML(e.stem)).md</span></td><td>\(iso(finished))</td><td>\(cells)</td>"
                + "<td>\(outcomes)</td><td><a href=\"\(escapeHTML(e.stem))/runs.html\">recent runs</a></td></tr>"
        }
        let body = """
        <div class="table-wrap scroll-x" role="region" aria-label="notebooks (scrolls sideways)" tabindex="0"><table>
        <caption>Each notebook's last run: its cells, its claims' outcomes and its dimension verdicts.</caption>
        <thead><tr><th>notebook</th><th>last run</th><th>cells</th><th>claims and verdicts</th><th>history</th></tr></thead>
        <tbody>
        \(rows.joined(separator: "\n"))
        </tbody></table></div>
        """
        let name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
        try write(page(title: "Notebooks in \(name)", heading: "Notebooks in \(name)",
                       byline: "\(entries.count) \(entries.count == 1 ? "notebook" : "notebooks") in \(folder) · built \(iso(Date()))", body: body),
                  to: output.appendingPathComponent("index.html"))
    }

    /// A page laid out as a report is, with no script and the reports' policy.
    private func page(title: String, heading: String, byline: String, body: String) -> String {
        PageShell.html(title: title, kicker: "EntropyBook site", heading: heading, byline: byline, body: body, css: css)
    }

    private func write(_ text: String, to url: URL) throws {
        try AtomicFile.write(Array(text.utf8), to: url)
    }

    /// A file name that sorts by time: 20270115T080000Z-123.
    static func stamp(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'-SSS"
        return f.string(from: d)
    }
}
