import EntropyCurve
import Foundation
import Notebook

private typealias Label = VerdictCalibrationDirective.Label

/// The outputs of `{verdict-calibration}`: the score of every method, the chosen default
/// and its confusion table, and every case's answers.
struct CalibrationReport {
    var cases: [VerdictCalibration.Case]
    var sigmas: [Double]
    var positions: [Double]
    var warnings: [String]

    func result() throws -> CellResult {
        let methods = VerdictCalibration.methods(sigmas: sigmas, positions: positions)
        let scores = try methods.map { try CalibrationScore(method: $0, cases: cases) }
        let verdicts = scores.indices.filter { scores[$0].method.contains("verdict") }
        // The default: the verdict (noisy-slope or cross-checked) that meets the acceptance with the best exact
        // rate for k ≤ 4; failing that, the one with the fewest numbers more than 1 off, then
        // the best exact rate.
        func key(_ i: Int) -> (Int, Double, Double) {
            let s = scores[i]
            return (s.meetsAcceptance ? 1 : 0, -s.farOffRate, s.restricted(to: 1...4).exactRate)
        }
        let chosen = verdicts.max { key($0) < key($1) }
        var outputs = [OutputItem]()
        let summary = summaryTable(scores, chosen: chosen.map { scores[$0].method })
        let seconds = cases.map(\.seconds).reduce(0, +)
        outputs.append(.metric(Metric("calibration cases", Double(cases.count),
                                      note: "sweeps took \(formatNumber(seconds / 60, significantDigits: 3)) min (memoized across runs)")))
        var values: [String: any NotebookValue] = ["": summary, "cases": caseTable(methods)]
        if let chosen {
            let s = scores[chosen]
            let low = s.restricted(to: 1...4)
            outputs.append(s.meetsAcceptance
                ? .text("Default verdict: \(s.method). For k ≤ 4 it is exact in \(percent(low.exactRate)) of the cases and never more than 1 off; for k ≥ 8 it gives no number more than 1 off.")
                : .warning("No verdict meets the acceptance (k ≤ 4 exact ≥ 90 %, never more than 1 off; k ≥ 8 never more than 1 off). Closest: \(s.method), exact \(percent(low.exactRate)) for k ≤ 4, more than 1 off in \(percent(low.farOffRate)) (k ≤ 4) and \(percent(s.restricted(to: 8...Int.max).farOffRate)) (k ≥ 8)."))
            let confusion = confusionTable(s)
            values["confusion"] = confusion
            values["default"] = defaultEstimate(s)
            outputs.append(.table(summary))
            outputs.append(.table(confusion))
        } else {
            outputs.append(.table(summary))
        }
        for name in ["consensus (previous default)", "MLE (k = 20), rounded", "TwoNN, rounded", "CorrInt, rounded"] {
            if let s = scores.first(where: { $0.method == name }) { outputs.append(.table(confusionTable(s))) }
        }
        outputs.append(.table(caseTable(methods)))
        outputs += warnings.map(OutputItem.warning)
        return CellResult(values: values, outputs: outputs)
    }

    func summaryTable(_ scores: [CalibrationScore], chosen: String?) -> Table {
        let rows = scores.map { s -> [Table.Cell] in
            let low = s.restricted(to: 1...4), mid = s.restricted(to: 1...6), high = s.restricted(to: 8...Int.max)
            return [.text(s.method + (s.method == chosen ? " (default)" : "")), .percent(low.exactRate), .percent(low.farOffRate),
                    .percent(low.notResolvableRate), .percent(mid.exactRate), .percent(mid.confidentWrongRate),
                    .measurement(mid.meanAbsoluteError, digits: 2), .percent(high.count == 0 ? .nan : high.farOffRate),
                    .verdict(s.meetsAcceptance ? "yes" : "no")]
        }
        return Table(title: "Every method on \(cases.count) cases (set × n × seed)",
                     columns: [Label.method, "exact, k ≤ 4", "> 1 off, k ≤ 4", "not resolvable, k ≤ 4", "exact, k ≤ 6",
                               "confident wrong, k ≤ 6", Label.meanError, "> 1 off, k ≥ 8", Label.meetsAcceptance],
                     cells: rows)
    }

    func confusionTable(_ s: CalibrationScore) -> Table {
        let c = s.confusion()
        let rows = c.rows.map { row -> [Table.Cell] in [.parameter(row.k)] + row.counts.map(Table.Cell.count) + [.count(row.notResolvable)] }
        return Table(title: "Confusion: true k × answer — \(s.method)", columns: ["true k"] + c.answers.map { "says \($0)" } + ["not resolvable"],
                     cells: rows)
    }

    func caseTable(_ methods: [CalibrationScore.Method]) -> Table {
        let shown = methods.filter { !$0.name.hasPrefix(VerdictCalibration.noisySlopeAlonePrefix) }
        let rows = cases.map { c -> [Table.Cell] in
            [.text(c.set), .parameter(c.k), .parameter(c.n), .parameter(c.seed + 1)] + shown.map { m in
                ((try? m.answer(c)) ?? nil).map { .measurement(Double($0)) } ?? .verdict("NR")
            } + [.time(c.seconds, digits: 2)]
        }
        return Table(title: "Every case's answers (NR: not resolvable)", columns: ["set", "k", "n", "seed"] + shown.map(\.name) + ["seconds"],
                     cells: rows)
    }

    func defaultEstimate(_ s: CalibrationScore) -> EstimateValue {
        let low = s.restricted(to: 1...4)
        return EstimateValue(name: s.method, value: low.exactRate, details: [
            .init("cases", Double(s.count)), .init("exact rate k ≤ 4", low.exactRate), .init("more than 1 off, k ≤ 4", low.farOffRate),
            .init("more than 1 off, k ≥ 8", s.restricted(to: 8...Int.max).farOffRate), .init(Label.meetsAcceptance, s.meetsAcceptance ? 1 : 0),
        ])
    }

    func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.0f %%", 100 * x) : "—" }
}
