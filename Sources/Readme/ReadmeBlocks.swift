import Directives
import Foundation
import Notebook

// The README's result blocks, each rendered from one notebook's extract (ReadmeResults).
// They print what the records hold and say whose number each is; no number is typed here
// except the literature's, labelled as such. Records are read through their declarations
// (`DeclaredRecord` with the declared field constants, `Table.StoredRecord`, the manifest's
// own types), so a field renamed where it is declared is renamed here too, and a record
// without a field the block reads is an error rather than a silent "—".

/// The declared field constants the blocks read.
private typealias Verdict = DimensionVerdictValue.Field
private typealias Estimate = RecordDeclaration.Estimate
private typealias Claim = RecordDeclaration.Claim
/// The labels the directives write and the blocks look up (rows, columns, details),
/// declared beside the directives.
private typealias DimensionRow = DimensionTableLabel
private typealias CorrdimDetail = CorrdimDirective.Detail
private typealias CalibrationLabel = VerdictCalibrationDirective.Label

/// synthetic.md: every rule's d, the verdict and the estimators on the points, per set.
enum SyntheticBlock {
    /// Each set's `{entropy-curve}` id and the `{dimension}` id of its points.
    static let curves: [(curve: String, points: String)] = [("k2", "dim-bumps"), ("k3", "dim3"), ("k4", "dim4"), ("k8", "dim8")]
    static let rules = EntropyCurveDirective.classicRuleDetails

    static func render(_ e: Extract) throws -> String {
        var noisyName = EntropyCurveDirective.noisySlopeDetailPrefix
        var rows = [[String]](), explanations = [String]()
        for (curve, points) in curves {
            let kink = try e.verdict("\(curve).verdict"), dimension = try e.estimate("\(curve).dimension"), table = try e.table(points)
            let details = dimension[Estimate.details].objectValue ?? [:]
            let noisy = details.keys.sorted().first { $0.hasPrefix(EntropyCurveDirective.noisySlopeDetailPrefix) }
            if let noisy { noisyName = noisy }
            let label = kink[Verdict.label].stringValue ?? curve
            let verdict = kink[Verdict.dimension].numberValue.map { "**\(formatNumber($0))**" } ?? "not resolvable"
            let estimators = [DimensionRow.maximumLikelihood, DimensionRow.twoNearestNeighbors, DimensionRow.correlationDimension].map {
                MarkdownTable.fixed(table.row($0)?[DimensionRow.estimate])
            }
            rows.append([label, MarkdownTable.number(kink[Verdict.trueDimension])] + (rules + [noisy ?? ""]).map { MarkdownTable.number(details[$0]) }
                + [verdict] + estimators)
            explanations.append("- \(label): \(kink[Verdict.explanation].stringValue ?? "")")
        }
        let header = ["data", "true k", "argmax H", "H_white gain rule", "MSE elbow", noisyName, "verdict", "MLE (k = 20)", "TwoNN", "corrdim"]
        return "`entropybook run \(e.source.notebook)` (\(parameters(e))); each rule's d on the median H(d) curve over the seeds "
            + "(— : no bend by that rule), the verdict, and the estimators on the points themselves:\n\n"
            + MarkdownTable.render(header, rows) + "\n\n" + explanations.joined(separator: "\n")
    }

    /// "repeats = 3, epochs = 40; n = 3 000 (bumps), …" from the run's settings and data sets.
    static func parameters(_ e: Extract) -> String {
        let parameters = (e.settings?.parameters ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }
        let sizes = e.datasets.compactMap { d -> String? in d.n.map { "\(d.id) n = \($0)" } }
        return (parameters + sizes).joined(separator: ", ")
    }
}

/// verdict-calibration.md: the summary of every method and the default's confusion table.
enum CalibrationBlock {
    static func render(_ e: Extract) throws -> String {
        let summary = try e.table("calibration"), confusion = try e.table("calibration.confusion")
        let chosen = try e.estimate("calibration.default")
        let columns = summary.columns, rows = summary.rows
        // Every method but the noisy-slope variants, of which the best verdict (by exact rate, k ≤ 4) stands for all.
        let noisy = rows.filter { ($0.first?.stringValue ?? "").hasPrefix(CalibrationLabel.noisySlopeVerdictPrefix) }
        let bestNoisy = noisy.max { rate($0[1]) < rate($1[1]) }
        let shown = rows.filter { row in
            let name = row.first?.stringValue ?? ""
            let isNoisy = name.hasPrefix(CalibrationLabel.noisySlopeVerdictPrefix) || name.hasPrefix(CalibrationLabel.noisySlopeAlonePrefix)
            return !isNoisy || (bestNoisy.map { $0 == row } ?? false)
        }
        let curveRules = rows.prefix(4)
        let best = curveRules.max { rate($0[1]) < rate($1[1]) }
        var text = "`entropybook run \(e.source.notebook)` — \(summary.title ?? ""); of the \(noisy.count) "
            + "noisy-slope verdicts (one per σ and τ) only the best is shown:\n\n"
            + MarkdownTable.render(columns, shown.map { row in row.enumerated().map { summaryCell($1, column: $0 < columns.count ? columns[$0] : "") } })
        if let best {
            text += "\n\nThe best reading of the H(d) curve alone (its three rules and their consensus), \(MarkdownTable.cell(best[0])), is exact in \(summaryCell(best[1], column: columns.count > 1 ? columns[1] : "")) "
                + "of the k ≤ 4 cases. The default verdict, *\(chosen[Estimate.name].stringValue ?? "?")*, "
                + ((chosen[Estimate.details][CalibrationLabel.meetsAcceptance]?.numberValue ?? 0) == 1 ? "meets" : "does not meet")
                + " the acceptance; its answers (true k × answer):"
        }
        let confusionRows = confusion.rows.map { $0.map { MarkdownTable.cell($0) } }
        return text + "\n\n" + MarkdownTable.render(confusion.columns, confusionRows) + "\n\n" + (try estimators(e))
    }

    /// The `{dimension-benchmark}` cell: every estimator on the 24 benchmark manifolds, then
    /// `auto` and TwoNN under each noise level on the low-k sets.
    static func estimators(_ e: Extract) throws -> String {
        let clean = try e.table("estimators"), noisy = try e.table("estimators.noisy")
        let shown = noisy.rows.filter { row in
            let name = row.first?.stringValue ?? ""
            return name.hasSuffix(" auto") || name.hasSuffix(" TwoNN")
        }
        return "\(clean.title ?? "The estimators on the benchmark manifolds"), seeds that chose none of `auto`'s thresholds "
            + "(MRE: mean |d̂ − k|/k over all cases, `auto`'s number whether resolved or not; exact and more than 1 off: "
            + "its confident answers):\n\n"
            + MarkdownTable.render(clean.columns, clean.rows.map { $0.map { MarkdownTable.cell($0) } })
            + "\n\n\(noisy.title ?? "With noise"), `auto` and TwoNN:\n\n"
            + MarkdownTable.render(noisy.columns, shown.map { $0.map { MarkdownTable.cell($0) } })
    }

    /// A rate cell for ranking: a fraction (typed tables) or "47 %" (extracts before them).
    static func rate(_ cell: JSONValue) -> Double {
        if let x = cell.numberValue { return 100 * x }
        return Double((cell.stringValue ?? "").replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)) ?? -1
    }

    /// Columns that are not rates: the method, the mean error and the acceptance.
    static func isRateColumn(_ name: String) -> Bool {
        name != CalibrationLabel.method && name != CalibrationLabel.meanError && name != CalibrationLabel.meetsAcceptance
    }

    /// A cell of the summary as the report shows it: a rate as a whole percentage.
    static func summaryCell(_ cell: JSONValue, column: String) -> String {
        if isRateColumn(column), let x = cell.numberValue { return String(format: "%.0f %%", 100 * x) }
        if column == CalibrationLabel.meanError, cell.numberValue != nil { return MarkdownTable.number(cell, digits: 2) }
        return MarkdownTable.cell(cell)
    }
}

/// mnist.md: the two sweeps' verdicts and the estimators on the images.
enum MNISTBlock {
    /// Published values on the same 5 000 digits, quoted beside the run's.
    static let literature = [DimensionRow.maximumLikelihood: "11.3", DimensionRow.twoNearestNeighbors: "12.6", DimensionRow.corrInt: "6.3"]

    static func render(_ e: Extract) throws -> String {
        let images = try e.table("images"), corrdim = try e.estimate("images-corrdim")
        var rows = [[String]]()
        for sweep in ["zoom", "full"] {
            let kink = try e.verdict("\(sweep).verdict")
            let d = kink[Verdict.d].arrayValue?.compactMap(\.numberValue) ?? []
            let range = "H(d), d = \(MarkdownTable.number(d.first.map(JSONValue.number)))…\(MarkdownTable.number(d.last.map(JSONValue.number)))"
            let verdict = kink[Verdict.dimension].numberValue.map { "**\(formatNumber($0))**" } ?? "not resolvable"
            rows.append([range, verdict, kink[Verdict.explanation].stringValue ?? ""])
        }
        let details = corrdim[Estimate.details].objectValue ?? [:]
        let bound = details[CorrdimDetail.eckmannRuelleBound]?.numberValue ?? .infinity
        for method in [DimensionRow.maximumLikelihood, DimensionRow.twoNearestNeighbors, DimensionRow.corrInt] {
            let value = images.row(method)?[DimensionRow.estimate]
            let above = (value?.numberValue ?? 0) > bound ? "; above 2·log₁₀ N" : ""
            rows.append([method, MarkdownTable.fixed(value), "literature on the same digits: \(literature[method] ?? "—")\(above)"])
        }
        // The talk's "dimension of the digit manifold": Gride's reading at both ends of the
        // scale it depends on.
        if let small = images.row(DimensionRow.grideSmallestScale), let large = images.row(DimensionRow.grideLargestScale) {
            let how = { (row: [String: JSONValue]) in row[DimensionRow.how]?.stringValue ?? "" }
            rows.append(["Gride, smallest → largest scale",
                         MarkdownTable.fixed(small[DimensionRow.estimate]) + " → " + MarkdownTable.fixed(large[DimensionRow.estimate]),
                         "the estimate depends on the neighbourhood scale it is read at: \(how(small)) → \(how(large))"])
        }
        var note = "fit over r ∈ [\(MarkdownTable.number(details[CorrdimDetail.r1]))" + ", \(MarkdownTable.number(details[CorrdimDetail.r2]))], "
            + "Eckmann–Ruelle bound 2·log₁₀ N = \(MarkdownTable.number(details[CorrdimDetail.eckmannRuelleBound]))"
        // A second scaling region only where the local slopes have a real plateau (the
        // `other-region` result); elsewhere the flat stretch is the bottom of a V.
        if let region = try e.optionalEstimate("images-corrdim." + CorrdimDirective.otherRegionSlot)?[Estimate.value].numberValue {
            note += "; a second scaling region at \(formatNumber(region, significantDigits: 3))"
        } else if let turn = details[CorrdimDetail.otherScalingRegion]?.numberValue {
            note += "; the local slopes also turn at \(formatNumber(turn, significantDigits: 3)) (the bottom of a V, not a second plateau)"
        }
        rows.append(["correlation dimension", MarkdownTable.fixed(corrdim[Estimate.value]), note])
        let n = e.datasets.first { $0.id == "digits" }?.n.map { JSONValue.number(Double($0)) }
        return "`entropybook run \(e.source.notebook)` (n = \(MarkdownTable.number(n, digits: 6)) digits; "
            + SyntheticBlock.parameters(e) + "):\n\n" + MarkdownTable.render(["estimate", "value", "how / why"], rows)
    }
}

/// presentation.md: the talk's five conclusions, each with its outcome and the numbers it compared.
enum PresentationBlock {
    static func render(_ e: Extract) throws -> String {
        var rows = [[String]]()
        for i in 1...5 {
            let claim = try e.claim("c\(i).outcome")
            let outcome = claim[Claim.outcome].stringValue ?? "?"
            rows.append(["\(i)", claim[Claim.statement].stringValue ?? "", "**\(outcome)**", claim[Claim.evidence].stringValue ?? ""])
        }
        let images = try e.table("images"), corrdim = try e.estimate("images-corrdim")
        let table = MarkdownTable.fixed(images.row(DimensionRow.correlationDimension)?[DimensionRow.estimate], decimals: 3)
        return "`entropybook run \(e.source.notebook)` judges the talk's five conclusions by stated rules:\n\n"
            + MarkdownTable.render(["", "conclusion", "outcome", "the numbers"], rows)
            + "\n\nThe images' correlation dimension is \(table) in `{dimension}` and "
            + "\(MarkdownTable.fixed(corrdim[Estimate.value], decimals: 3)) in `{corrdim}`."
    }
}

/// mi-benchmark.md: each estimator's MAE, interval coverage and null coverage over the bmi
/// tasks, the MAE per family, and the published numbers as the notebook quotes them.
enum MutualInformationBlock {
    static func render(_ e: Extract) throws -> String {
        let summary = try e.table("bench"), families = try e.table("bench.families"), published = try e.table("bench.published")
        let auto = try e.estimate("bench.auto")
        var text = "`entropybook run \(e.source.notebook)` — \(summary.title ?? ""):\n\n" + table(summary)
        let details = auto[Estimate.details]
        if let coverage = details[MutualInformationBenchmarkDirective.AutoDetail.coverage]?.numberValue {
            text += "\n\n`auto`'s intervals cover the truth in \(String(format: "%.0f %%", 100 * coverage)) of the (task, seed) cases"
            if let claimed = details[MutualInformationBenchmarkDirective.AutoDetail.claimed]?.numberValue, claimed < 1 {
                text += String(format: " (two-sided in %.0f %%; the others claim a lower bound only, covering when the truth is above it)", 100 * claimed)
            }
            text += "."
        }
        return text + "\n\n" + (families.title ?? "MAE per family") + ":\n\n" + table(families)
            + "\n\n" + (published.title ?? "Published numbers") + ":\n\n" + table(published)
    }

    /// A stored table as Markdown, every cell as the report prints it.
    static func table(_ record: Table.StoredRecord) -> String {
        // A measurement without an interval (a published number) prints as its value alone.
        func cell(_ value: JSONValue) -> String {
            typealias Cell = Table.StoredRecord.Key.Cell
            if case .object(let o) = value, o[Cell.lower.name]?.numberValue == nil { return MarkdownTable.number(o[Cell.value.name]) }
            return MarkdownTable.cell(value)
        }
        return MarkdownTable.render(record.columns, record.rows.map { $0.map(cell) })
    }
}
