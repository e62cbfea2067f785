import Foundation
import Notebook

// The README's result blocks, each rendered from one notebook's extract (ReadmeResults).
// They print what the records hold and say whose number each is; no number is typed here
// except the literature's, labelled as such.

/// synthetic.md: every rule's d, the verdict and the estimators on the points, per set.
enum SyntheticBlock {
    /// Each set's `{entropy-curve}` id and the `{dimension}` id of its points.
    static let curves: [(curve: String, points: String)] = [("k2", "dim-bumps"), ("k3", "dim3"), ("k4", "dim4"), ("k8", "dim8")]
    static let rules = ["argmax H", "H_white gain < 0.5", "MSE elbow"]

    static func render(_ e: Extract) throws -> String {
        var noisyName = "noisy slope"
        var rows = [[String]](), explanations = [String]()
        for (curve, points) in curves {
            let kink = try e.result("\(curve).verdict"), dimension = try e.result("\(curve).dimension"), table = try e.result(points)
            let details = dimension["details"]?.objectValue ?? [:]
            let noisy = details.keys.sorted().first { $0.hasPrefix("noisy slope") }
            if let noisy { noisyName = noisy }
            let label = kink["label"]?.stringValue ?? curve
            let verdict = kink["dimension"]?.numberValue.map { "**\(formatNumber($0))**" } ?? "not resolvable"
            let estimators = ["MLE (Levina–Bickel)", "TwoNN", "correlation dimension"].map {
                MarkdownTable.fixed(MarkdownTable.row(table, $0)?["estimate"])
            }
            rows.append([label, MarkdownTable.number(kink["trueDimension"])] + (rules + [noisy ?? ""]).map { MarkdownTable.number(details[$0]) }
                + [verdict] + estimators)
            explanations.append("- \(label): \(kink["explanation"]?.stringValue ?? "")")
        }
        let header = ["data", "true k", "argmax H", "H_white gain rule", "MSE elbow", noisyName, "verdict", "MLE (k = 20)", "TwoNN", "corrdim"]
        return "`entropybook run \(e.source.notebook)` (\(parameters(e))); each rule's d on the median H(d) curve over the seeds "
            + "(— : no bend by that rule), the verdict, and the estimators on the points themselves:\n\n"
            + MarkdownTable.render(header, rows) + "\n\n" + explanations.joined(separator: "\n")
    }

    /// "repeats = 3, epochs = 40; n = 3 000 (bumps), …" from the run's settings and data sets.
    static func parameters(_ e: Extract) -> String {
        let parameters = (e.json["settings"]?["parameters"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key) = \($0.value.stringValue ?? MarkdownTable.number($0.value))" }
        let sizes = (e.json["datasets"]?.arrayValue ?? []).compactMap { d -> String? in
            guard let id = d["id"]?.stringValue, let n = d["n"]?.numberValue else { return nil }
            return "\(id) n = \(Int(n))"
        }
        return (parameters + sizes).joined(separator: ", ")
    }
}

/// verdict-calibration.md: the summary of every method and the default's confusion table.
enum CalibrationBlock {
    static func render(_ e: Extract) throws -> String {
        let summary = try e.result("calibration"), confusion = try e.result("calibration.confusion")
        let chosen = try e.result("calibration.default")
        guard let columns = summary["columns"]?.arrayValue?.compactMap({ $0["name"]?.stringValue }),
              let rows = summary["rows"]?.arrayValue?.compactMap(\.arrayValue) else { throw CellError("calibration: not a table") }
        // Every method but the noisy-slope variants, of which the best verdict (by exact rate, k ≤ 4) stands for all.
        let noisy = rows.filter { ($0.first?.stringValue ?? "").hasPrefix("noisy-slope verdict") }
        let bestNoisy = noisy.max { rate($0[1]) < rate($1[1]) }
        let shown = rows.filter { row in
            let name = row.first?.stringValue ?? ""
            return !name.hasPrefix("noisy") || (bestNoisy.map { $0 == row } ?? false)
        }
        let curveRules = rows.prefix(4)
        let best = curveRules.max { rate($0[1]) < rate($1[1]) }
        var text = "`entropybook run \(e.source.notebook)` — \(summary["title"]?.stringValue ?? ""); of the \(noisy.count) "
            + "noisy-slope verdicts (one per σ and τ) only the best is shown:\n\n"
            + MarkdownTable.render(columns, shown.map { row in row.enumerated().map { summaryCell($1, column: $0 < columns.count ? columns[$0] : "") } })
        if let best {
            text += "\n\nThe best reading of the H(d) curve alone (its three rules and their consensus), \(MarkdownTable.cell(best[0])), is exact in \(summaryCell(best[1], column: columns.count > 1 ? columns[1] : "")) "
                + "of the k ≤ 4 cases. The default verdict, *\(chosen["name"]?.stringValue ?? "?")*, "
                + ((chosen["details"]?["meets acceptance"]?.numberValue ?? 0) == 1 ? "meets" : "does not meet")
                + " the acceptance; its answers (true k × answer):"
        }
        let confusionColumns = confusion["columns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let confusionRows = (confusion["rows"]?.arrayValue ?? []).compactMap(\.arrayValue).map { $0.map { MarkdownTable.cell($0) } }
        return text + "\n\n" + MarkdownTable.render(confusionColumns, confusionRows)
    }

    /// A rate cell for ranking: a fraction (typed tables) or "47 %" (extracts before them).
    static func rate(_ cell: JSONValue) -> Double {
        if let x = cell.numberValue { return 100 * x }
        return Double((cell.stringValue ?? "").replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)) ?? -1
    }

    /// Columns that are not rates: the method, the mean error and the acceptance.
    static func isRateColumn(_ name: String) -> Bool { name != "method" && !name.hasPrefix("mean |error|") && name != "meets acceptance" }

    /// A cell of the summary as the report shows it: a rate as a whole percentage.
    static func summaryCell(_ cell: JSONValue, column: String) -> String {
        if isRateColumn(column), let x = cell.numberValue { return String(format: "%.0f %%", 100 * x) }
        return MarkdownTable.cell(cell)
    }
}

/// mnist.md: the two sweeps' verdicts and the estimators on the images.
enum MNISTBlock {
    /// Published values on the same 5 000 digits, quoted beside the run's.
    static let literature = ["MLE (Levina–Bickel)": "11.3", "TwoNN": "12.6", "CorrInt": "6.3"]

    static func render(_ e: Extract) throws -> String {
        let images = try e.result("images"), corrdim = try e.result("images-corrdim")
        var rows = [[String]]()
        for sweep in ["zoom", "full"] {
            let kink = try e.result("\(sweep).verdict")
            let d = kink["d"]?.arrayValue?.compactMap(\.numberValue) ?? []
            let range = "H(d), d = \(MarkdownTable.number(d.first.map(JSONValue.number)))…\(MarkdownTable.number(d.last.map(JSONValue.number)))"
            let verdict = kink["dimension"]?.numberValue.map { "**\(formatNumber($0))**" } ?? "not resolvable"
            rows.append([range, verdict, kink["explanation"]?.stringValue ?? ""])
        }
        let details = corrdim["details"]?.objectValue ?? [:]
        let bound = details["Eckmann–Ruelle bound"]?.numberValue ?? .infinity
        for method in ["MLE (Levina–Bickel)", "TwoNN", "CorrInt"] {
            let value = MarkdownTable.row(images, method)?["estimate"]
            let above = (value?.numberValue ?? 0) > bound ? "; above 2·log₁₀ N" : ""
            rows.append([method, MarkdownTable.fixed(value), "literature on the same digits: \(literature[method] ?? "—")\(above)"])
        }
        var note = "fit over r ∈ [\(MarkdownTable.number(details["r1"]))" + ", \(MarkdownTable.number(details["r2"]))], "
            + "Eckmann–Ruelle bound 2·log₁₀ N = \(MarkdownTable.number(details["Eckmann–Ruelle bound"]))"
        // A second scaling region only where the local slopes have a real plateau (the
        // `other-region` result); elsewhere the flat stretch is the bottom of a V.
        if let region = e.json["results"]?["images-corrdim.other-region"]?["value"]?.numberValue {
            note += "; a second scaling region at \(formatNumber(region, significantDigits: 3))"
        } else if let turn = details["other scaling region"]?.numberValue {
            note += "; the local slopes also turn at \(formatNumber(turn, significantDigits: 3)) (the bottom of a V, not a second plateau)"
        }
        rows.append(["correlation dimension", MarkdownTable.fixed(corrdim["value"]), note])
        let n = (e.json["datasets"]?.arrayValue ?? []).first { $0["id"]?.stringValue == "digits" }?["n"]
        return "`entropybook run \(e.source.notebook)` (n = \(MarkdownTable.number(n, digits: 6)) digits; "
            + SyntheticBlock.parameters(e) + "):\n\n" + MarkdownTable.render(["estimate", "value", "how / why"], rows)
    }
}

/// presentation.md: the talk's five conclusions, each with its outcome and the numbers it compared.
enum PresentationBlock {
    static func render(_ e: Extract) throws -> String {
        var rows = [[String]]()
        for i in 1...5 {
            let claim = try e.result("c\(i).outcome")
            let outcome = claim["outcome"]?.stringValue ?? "?"
            rows.append(["\(i)", claim["statement"]?.stringValue ?? "", "**\(outcome)**", claim["evidence"]?.stringValue ?? ""])
        }
        let images = try e.result("images"), corrdim = try e.result("images-corrdim")
        let table = MarkdownTable.fixed(MarkdownTable.row(images, "correlation dimension")?["estimate"], decimals: 3)
        return "`entropybook run \(e.source.notebook)` judges the talk's five conclusions by stated rules:\n\n"
            + MarkdownTable.render(["", "conclusion", "outcome", "the numbers"], rows)
            + "\n\nThe images' correlation dimension is \(table) in `{dimension}` and "
            + "\(MarkdownTable.fixed(corrdim["value"], decimals: 3)) in `{corrdim}`."
    }
}

/// mi-benchmark.md: each estimator's MAE, interval coverage and null coverage over the bmi
/// tasks, the MAE per family, and the published numbers as the notebook quotes them.
enum MutualInformationBlock {
    static func render(_ e: Extract) throws -> String {
        let summary = try e.result("bench"), families = try e.result("bench.families"), published = try e.result("bench.published")
        let auto = try e.result("bench.auto")
        var text = "`entropybook run \(e.source.notebook)` — \(summary["title"]?.stringValue ?? ""):\n\n" + table(summary)
        if let coverage = auto["details"]?["coverage"]?.numberValue {
            text += "\n\n`auto`'s intervals cover the truth in \(String(format: "%.0f %%", 100 * coverage)) of the (task, seed) cases"
            if let claimed = auto["details"]?["claimed"]?.numberValue, claimed < 1 {
                text += String(format: " (two-sided in %.0f %%; the others claim a lower bound only, covering when the truth is above it)", 100 * claimed)
            }
            text += "."
        }
        return text + "\n\n" + (families["title"]?.stringValue ?? "MAE per family") + ":\n\n" + table(families)
            + "\n\n" + (published["title"]?.stringValue ?? "Published numbers") + ":\n\n" + table(published)
    }

    /// A stored table as Markdown, every cell as the report prints it.
    static func table(_ record: JSONValue) -> String {
        let columns = record["columns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        // A measurement without an interval (a published number) prints as its value alone.
        func cell(_ value: JSONValue) -> String {
            if case .object(let o) = value, o["lower"]?.numberValue == nil { return MarkdownTable.number(o["value"]) }
            return MarkdownTable.cell(value)
        }
        let rows = (record["rows"]?.arrayValue ?? []).compactMap(\.arrayValue).map { $0.map(cell) }
        return MarkdownTable.render(columns, rows)
    }
}
