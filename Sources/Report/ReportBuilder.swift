import Foundation
import Mustache
import Notebook

/// Everything a report is made of, apart from the template.
public struct ReportInput: Sendable {
    public var plan: Plan
    public var records: [CellRecord]
    public var manifest: RunManifest
    public init(plan: Plan, records: [CellRecord], manifest: RunManifest) {
        self.plan = plan
        self.records = records
        self.manifest = manifest
    }
}

/// The files of one report, in memory: index.html, figures, data, run.json.
public struct ReportFiles: Sendable {
    public var html: String
    /// Relative path → bytes (figures/*.png, data/*.csv, run.json).
    public var files: [String: [UInt8]]

    /// The deck's file name beside index.html (`--slides`).
    public static let slidesPath = "slides.html"
}

/// Renders a run to a self-contained HTML page (CSS and figures inlined, no external
/// request) plus the slide-size PNGs, the CSVs behind them and run.json.
public struct ReportBuilder {
    public var templates: Templates

    public init(templates: Templates) { self.templates = templates }

    /// The slide deck of the run (slides.html), for `entropybook run --slides`.
    public func slides(_ input: ReportInput) -> String {
        SlideDeck(template: templates.slides, css: templates.slidesCSS).render(input)
    }

    public func build(_ input: ReportInput) throws -> ReportFiles {
        var files = [String: [UInt8]]()
        var cellHTML = [String]()
        var failures = [[String: Any]]()
        let recordsByIndex = Dictionary(uniqueKeysWithValues: input.records.map { ($0.cell.index, $0) })
        let plan = input.plan
        var figureIndex = 0, tableIndex = 0
        let references = ProseReferences()
        for i in plan.document.cells.indices {
            guard let record = recordsByIndex[i] else {
                cellHTML.append("")
                continue
            }
            var context = cellContext(record, document: plan.document)
            let anchor = "cell-\(fileStem(record.cell.label))"
            references.register(record, number: i + 1, anchor: anchor)
            var cellFigures = 0, cellTables = 0
            var outputs = [[String: Any]]()
            var metricGroup = [[String: Any]]()
            func flushMetrics() {
                if !metricGroup.isEmpty { outputs.append(["metrics": ["items": metricGroup] as [String: Any]]) }
                metricGroup = []
            }
            for item in record.outputs {
                switch item {
                case .metric(let m):
                    metricGroup.append(metricContext(m))
                    continue
                case .table(let t):
                    flushMetrics()
                    tableIndex += 1
                    cellTables += 1
                    var table = tableContext(t)
                    table["number"] = tableIndex
                    table["anchor"] = references.registerTable(t, of: record, number: tableIndex, first: cellTables == 1)
                    outputs.append(["table": table])
                case .figure(let f):
                    flushMetrics()
                    figureIndex += 1
                    let stem = fileStem("\(record.cell.label)-\(f.name)")
                    files["figures/\(stem).png"] = f.slidePNG
                    files["data/\(stem).csv"] = Array(f.csv.utf8)
                    var figure: [String: Any] = [
                        "png": Data(f.reportPNG).base64EncodedString(),
                        "caption": f.caption, "number": figureIndex,
                        "slide": "figures/\(stem).png", "csv": "data/\(stem).csv",
                    ]
                    cellFigures += 1
                    figure["anchor"] = references.registerFigure(f.name, of: record, number: figureIndex, first: cellFigures == 1)
                    // Width and height reserve the figure's box before it decodes.
                    figure["size"] = Self.cssSize(f.reportPNG, column: Self.figureWidth)
                    // A phone gets the variant laid out for its width (larger type, fewer ticks).
                    if let size = Self.cssSize(f.narrowPNG, column: Self.narrowFigureWidth) {
                        figure["narrow"] = ["png": Data(f.narrowPNG).base64EncodedString(), "size": size] as [String: Any]
                    }
                    outputs.append(["figure": figure])
                case .text(let t):
                    flushMetrics()
                    outputs.append(["text": t])
                case .warning(let w):
                    flushMetrics()
                    outputs.append(["warning": w])
                case .claim(let c):
                    flushMetrics()
                    // A claim that is not confirmed is a finding, not a warning: it gets its verdict style.
                    let verdict = Typesetting.Verdict(c.outcome)
                    outputs.append(["verdict": ["kind": verdict.rawValue, "mark": "\(c.outcome.mark) \(c.outcome.title)",
                                                "rest": " — " + c.sentence] as [String: Any]])
                case .note(let n):
                    flushMetrics()
                    outputs.append(["info": n])
                }
            }
            flushMetrics()
            context["outputs"] = outputs
            if record.status == .failed, let e = record.error {
                failures.append(["anchor": context["anchor"] ?? "", "location": e.location.description, "message": e.message])
            }
            cellHTML.append(templates.cell.render(context))
        }
        let body = ProseRenderer.render(plan.document, cellHTML: cellHTML, references: references)
        var manifest = input.manifest
        manifest.inlineValues = references.rendered
        files["run.json"] = try manifestJSON(manifest)
        let blockedImages: [[String: Any]] = ProseRenderer.blockedImageSources(in: plan.document).map {
            ["location": $0.location.description, "url": $0.url]
        }
        let slugs = ProseRenderer.uniqueSlugs(plan.document.headings.map(\.text))
        let minLevel = plan.document.headings.map(\.level).min() ?? 1
        let toc: [[String: Any]] = zip(plan.document.headings, slugs).compactMap { h, slug in
            h.level <= minLevel + 2 ? ["text": h.text, "slug": slug, "depth": h.level - minLevel] : nil
        }
        let m = input.manifest
        let counts = Dictionary(grouping: input.records, by: \.status).mapValues(\.count)
        let summary = [CellRecord.Status.ok, .cached, .failed, .skipped, .interrupted].compactMap { s in
            counts[s].map { "\($0) \(s.rawValue)" }
        }.joined(separator: " · ")
        let notebookDirectory = URL(fileURLWithPath: m.notebook).deletingLastPathComponent()
        let context: [String: Any] = presentOnly([
            "title": plan.document.title,
            "author": plan.document.frontMatter.author ?? "",
            "css": templates.css,
            "toc": toc,
            "hasTOC": toc.count > 1,
            "body": body,
            "failures": failures,
            "hasFailures": !failures.isEmpty,
            "blockedImages": blockedImages,
            "hasBlockedImages": !blockedImages.isEmpty,
            "interrupted": m.status == "interrupted",
            "summary": summary,
            "started": iso(m.started),
            "finished": iso(m.finished),
            "duration": formatSeconds(m.finished.timeIntervalSince(m.started)),
            "computeTime": Self.computeTime(input.records).map(formatSeconds) ?? "",
            "program": "\(m.program) \(m.version)" + (m.programCommit.map { " (commit \($0))" } ?? ""),
            "dataFiles": m.dataFiles.sorted { $0.key < $1.key }.map {
                ["path": DisplayPath.relative($0.key, to: notebookDirectory), "hash": String($0.value.prefix(16))]
            },
            "notebook": m.notebook,
            "notebookHash": String(m.notebookSHA256.prefix(16)),
            "seed": String(m.settings.seed),
            "threads": String(m.settings.threads),
            "quick": m.settings.quick ? "yes" : "no",
            "parameters": m.settings.parameters.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
            "machine": "\(m.machine.cpu), \(m.machine.cores) cores, \(formatNumber(m.machine.memoryGiB)) GiB, \(m.machine.os)",
            "blas": "OpenBLAS (\(m.machine.blasCore) kernels, \(m.machine.blasThreads) threads)",
            "cellSeeds": input.records.map { ["label": $0.cell.label, "seed": String($0.cell.seed)] },
        ])
        return ReportFiles(html: templates.report.render(context), files: files)
    }

    private func cellContext(_ record: CellRecord, document: Document) -> [String: Any] {
        let cell = record.cell
        let source = "```{\(cell.cell.name)}\n" + cell.cell.body + "```"
        var context: [String: Any] = presentOnly([
            "directive": cell.directive.name,
            "anchor": "cell-\(fileStem(cell.label))",
            "label": cell.id ?? "",
            "line": cell.cell.location.line,
            "location": cell.cell.location.description,
            "status": record.status.rawValue,
            "statusText": Self.statusText(record),
            // How to recompute it: only a cell with an id can be named on the command line.
            // (A failed cell is never cached: the next run computes it anyway.)
            "refreshID": [CellRecord.Status.ok, .cached].contains(record.status) ? (cell.id ?? "") : "",
            "echo": cell.echo,
            "source": source,
            "caption": cell.caption ?? "",
            "stored": record.stored.map { ["id": $0.id, "summary": $0.summary] },
        ])
        if let e = record.error {
            context["error"] = ["rendered": e.rendered, "isNote": e.severity != .error]
        }
        return context
    }

    /// Computed or cached, said in place: the time this run spent on the cell and, for a
    /// cached one, when its result was computed, what that took and the time saved.
    static func statusText(_ r: CellRecord) -> String {
        switch r.status {
        case .ok: "computed in \(formatSeconds(r.seconds))"
        case .cached:
            "cached · loaded in \(formatSeconds(r.seconds))" + (r.computedAt.map { " · computed \(Self.shortDate($0))" } ?? "")
                + (r.computeSeconds.map { " in \(formatSeconds($0)) (\(formatSeconds(max(0, $0 - r.seconds))) saved)" } ?? "")
        case .failed: "failed after \(formatSeconds(r.seconds))"
        case .skipped: "skipped"
        case .interrupted: r.seconds > 0 ? "interrupted after \(formatSeconds(r.seconds))" : "not run (interrupted)"
        }
    }

    /// "2027-01-15 08:00 UTC": when a cached result was computed.
    static func shortDate(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: d)
    }

    private func metricContext(_ m: Metric) -> [String: Any] {
        presentOnly([
            "name": m.name,
            "value": Typesetting.typeset(formatNumber(m.value)),
            "uncertainty": m.uncertainty.map { "± " + formatNumber($0, significantDigits: 2) } ?? "",
            "unit": m.unit ?? "",
            "note": m.note ?? "",
        ])
    }


    /// Columns with no value in any row are left out (an "± SE" column of a table without
    /// standard errors); numbers and ranges are typeset, right-aligned and kept on one
    /// line; a status column's verdicts get the verdict styles.
    private func tableContext(_ t: Table) -> [String: Any] {
        let blank: (String) -> Bool = { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        let kept = t.columns.indices.filter { c in t.rows.isEmpty || t.rows.contains { c < $0.count && !blank($0[c]) } }
        let numericColumn = kept.map { c in
            let values = t.rows.compactMap { c < $0.count && !blank($0[c]) ? $0[c] : nil }
            return !values.isEmpty && values.allSatisfy { Typesetting.isNumeric($0) || $0 == "—" }
        }
        // A table with sentences in it (a claims table's evidence) is read row by row on a
        // phone: each row stacked as a card, not a 20-line-tall row in a sideways scroller.
        let hasSentences = t.rows.contains { row in row.contains { $0.count > Self.sentenceLength && !Typesetting.isNumeric($0) } }
        return presentOnly([
            "title": t.title ?? "",
            "stacked": hasSentences,
            "columns": zip(kept, numericColumn).map { c, numeric in ["name": t.columns[c], "numeric": numeric] },
            "rows": t.rows.map { row in
                ["cells": zip(kept, numericColumn).map { c, numeric -> [String: Any] in
                    let value = c < row.count ? row[c] : ""
                    // "—" (no value) lines up with the numbers of its column.
                    let isNumber = Typesetting.isNumeric(value) || (numeric && value == "—")
                    var cell: [String: Any] = ["value": Typesetting.typeset(value), "numeric": isNumber, "label": t.columns[c]]
                    if let verdict = Typesetting.Verdict(status: value) { cell["verdict"] = ["kind": verdict.rawValue, "mark": verdict.mark] }
                    return cell
                }]
            },
        ])
    }

    /// What the results on the page cost to compute, when some came from the cache: the
    /// cached cells' original compute times plus the others' times in this run. Nil when
    /// nothing was cached (the run's own duration says it) or a cached cell's time is
    /// unknown (an entry of an older run that did not record it).
    static func computeTime(_ records: [CellRecord]) -> Double? {
        let cached = records.filter { $0.status == .cached }
        guard !cached.isEmpty, cached.allSatisfy({ $0.computeSeconds != nil }) else { return nil }
        return records.reduce(0) { $0 + ($1.status == .cached ? ($1.computeSeconds ?? 0) : $1.seconds) }
    }

    /// A cell longer than this many characters is a sentence: its table stacks on a phone.
    static let sentenceLength = 60

    /// CSS pixels of the report's figure column (templates/style.css: `figure img`).
    static let figureWidth = 900
    /// CSS pixels a phone's (narrow) figure is laid out for (Plot's `FigureSize.narrow`).
    static let narrowFigureWidth = 360

    /// The CSS width and height of a PNG drawn for a `column` px wide column: a PNG wider
    /// than the column is a hi-DPI rendering (2× for the report's figures), shown at the
    /// column's width. Nil when the bytes are not a PNG (no figure of that kind).
    static func cssSize(_ png: [UInt8], column: Int) -> [String: Any]? {
        guard let (w, h) = Typesetting.pngSize(png) else { return nil }
        let width = min(w, column)
        return ["width": width, "height": Int((Double(h) * Double(width) / Double(w)).rounded())]
    }

    private func manifestJSON(_ m: RunManifest) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(m))
    }
}

/// The dictionary without empty strings: Mustache treats "" as true in sections, and the
/// templates use `{{#key}}…{{/key}}` to show optional parts only when present.
func presentOnly(_ d: [String: Any]) -> [String: Any] {
    d.filter { !(($0.value as? String)?.isEmpty ?? false) }
}

/// "0.42 s", "3.1 s", "2 min 05 s".
func formatSeconds(_ s: Double) -> String {
    if s < 0.01 { return "<0.01 s" }
    if s < 10 { return String(format: "%.2f s", s) }
    if s < 120 { return String(format: "%.1f s", s) }
    return String(format: "%d min %02d s", Int(s) / 60, Int(s) % 60)
}

/// A date as the pages show it: ISO 8601 to the second, UTC ("2026-12-07T02:52:22Z").
public func iso(_ d: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.string(from: d)
}

/// A safe file name: letters, digits, `-`, `_`, `.`.
func fileStem(_ s: String) -> String {
    String(s.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) ? Character($0) : "_" })
}
