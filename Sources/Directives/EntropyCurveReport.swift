import EntropyCurve
import Foundation
import Notebook
import Plot

/// The outputs of `{entropy-curve}`: figures (H(d) with LOO and Monte-Carlo on the same
/// axes, h*(d) against the 0.242 line, MSE(d), H_white(d), corrdim of the codes), the
/// per-d table and the verdict with every rule and its seed spread.
struct EntropyCurveReport {
    var summary: CurveSummary
    var points: [EntropyCurveExperiment.Point]
    var verdict: DimensionVerdict
    var trueDimension: Int?
    var label: String
    /// The images' correlation-dimension values and C(r) (`reference-corrdim`).
    var reference: CorrdimReference?
    var warnings: [String]

    var x: [Double] { summary.d.map(Double.init) }

    func series(_ name: String, _ stats: [CurveSummary.Statistic]) -> Series {
        let spread = stats.contains { $0.max > $0.min }
        return Series(name: name, x: x, y: stats.map(\.median), lower: spread ? stats.map(\.min) : nil,
                      upper: spread ? stats.map(\.max) : nil)
    }

    func result() throws -> CellResult {
        let seeds = Set(points.map(\.repeatIndex)).count
        let spreadNote = seeds > 1 ? " (median over \(seeds) seeds, band: min–max)" : ""
        var hSeries = [series("KDE leave-one-out", summary.entropy)]
        if let mc = summary.monteCarlo { hSeries.append(series("KDE Monte-Carlo", mc)) }
        let entropy = CurveValue(title: "H(d) of the codes — \(label)", xLabel: "code dimension d", yLabel: "H (nats)", series: hSeries)
        let white = CurveValue(title: "Whitened entropy H_white(d) — \(label)", xLabel: "code dimension d",
                               yLabel: "H_white (nats)", series: [series("H_white", summary.whitenedEntropy)])
        let bandwidth = CurveValue(title: "LOO-ML bandwidth h*(d) — \(label)", xLabel: "code dimension d",
                                   yLabel: "h* (whitened units)", series: [series("h*", summary.bandwidth)])
        let mse = CurveValue(title: "Reconstruction error — \(label)", xLabel: "code dimension d", yLabel: "MSE",
                             series: [series("MSE", summary.reconstructionError)])
        let decomposition = CurveValue(title: "H = H_white + ½·ln det Σ — \(label)", xLabel: "code dimension d", yLabel: "nats",
                                       series: [series("H", summary.entropy), series("H_white", summary.whitenedEntropy),
                                                series("½·ln det Σ", summary.logDeterminant)])
        let noisy = noisyCurve()
        let corrdim = summary.correlationDimension.map {
            CurveValue(title: "Correlation dimension of the codes — \(label)", xLabel: "code dimension d",
                       yLabel: "correlation dimension", series: [series("corrdim(codes)", $0)])
        }

        let lines = Self.dimensionLines(trueDimension: trueDimension, verdict: verdict.dimension, candidate: verdict.candidate)
        let h0 = DimensionVerdict.criticalBandwidth

        var outputs = [OutputItem]()
        if let k = verdict.dimension {
            outputs.append(.metric(Metric("intrinsic dimension (H(d) verdict)", Double(k),
                                          note: trueDimension.map { "true: \($0)" })))
            outputs.append(.text(verdict.explanation))
        } else {
            outputs.append(.warning(verdict.explanation))
        }
        outputs.append(.figure(try figure("entropy", "H(d) of the codes\(spreadNote). " + verdict.explanation, entropy, lines)))
        let parts = EntropyDecomposition(d: summary.d, h: summary.entropy.map(\.median), white: summary.whitenedEntropy.map(\.median),
                                         logDeterminant: summary.logDeterminant.map(\.median), bend: verdict.dimension ?? verdict.candidate)
        if let parts { outputs.append(.text(parts.explanation)) }
        outputs.append(.figure(try figure("decomposition", "H(d) and its two terms, H_white(d) and ½·ln det Σ(d)\(spreadNote). "
                                              + (parts?.explanation ?? ""), decomposition, lines)))
        if let noisy, let rule = verdict.noisy.map({ _ in verdict.options.noiseSlope }) {
            outputs.append(.figure(try figure("noisy", "h(standardised codes + σZ), σ = \(formatNumber(rule.sigma)), on all codes and on n/2 and n/4 of them; "
                                                  + "past the intrinsic dimension each d adds about ½·ln(2πeσ²) = \(formatNumber(rule.noiseIncrement, significantDigits: 3)) nats.",
                                              noisy, lines)))
        }
        outputs.append(.figure(try figure("bandwidth", "Bandwidth h*(d); above 0.242 (dashed) an extra whitened code dimension cannot lower H_white "
                                              + "(H can still fall through ½·ln det Σ).",
                                          bandwidth, lines + [.horizontal(h0, label: "h* = 0.242")])))
        outputs.append(.figure(try figure("mse", "Reconstruction MSE against d\(spreadNote).", mse, lines)))
        outputs.append(.figure(try figure("white", "Whitened entropy H_white(d), without ½·ln det Σ\(spreadNote).", white, lines)))
        if let corrdim { outputs.append(.figure(try corrdimFigure(corrdim, lines: lines, spreadNote: spreadNote))) }
        let family = try correlationFamily()
        if let family { outputs.append(.figure(family.0)) }
        let table = perDTable()
        let rulesTable = rulesTable()
        outputs.append(.table(rulesTable))
        outputs.append(.table(table))
        for f in summary.failures { outputs.append(.warning("Not estimated: \(f)")) }
        // How the sweep was run (quick mode, a sample of the codes): information, not a caveat.
        outputs += warnings.map(OutputItem.note)

        var details = verdict.rules.map { EstimateValue.Detail($0.name, $0.d.map(Double.init) ?? .nan) }
        details.append(.init("candidate", verdict.candidate.map(Double.init) ?? .nan))
        details.append(.init("first d with h* ≥ 0.242", verdict.firstUnresolvableD.map(Double.init) ?? .nan))
        if let k = trueDimension { details.append(.init("true dimension", Double(k))) }
        let dimension = EstimateValue(name: verdict.isResolvable ? "intrinsic dimension" : "intrinsic dimension (not resolvable)",
                                      value: verdict.dimension.map(Double.init) ?? .nan, details: details)
        var values: [String: any NotebookValue] = [
            "": entropy, "white": white, "bandwidth": bandwidth, "mse": mse, "table": table, "rules": rulesTable,
            "dimension": dimension, "decomposition": decomposition,
            "verdict": DimensionVerdictValue(verdict: verdict, summary: summary, seeds: seeds, trueDimension: trueDimension, label: label),
        ]
        if let noisy { values["noisy"] = noisy }
        if let corrdim { values["corrdim"] = corrdim }
        if let family { values["correlation-family"] = family.1 }
        return CellResult(values: values, outputs: outputs)
    }

    /// The vertical lines every figure of the sweep carries, so that a figure on its own (a
    /// slide, a PNG pasted into a talk) says what the sweep concluded: the true dimension
    /// when known, and the verdict — on one line when they agree — or, when the rules do not
    /// agree, the candidate marked as not resolvable.
    static func dimensionLines(trueDimension k: Int?, verdict: Int?, candidate: Int?) -> [ReferenceLine] {
        if let k, k == verdict { return [.vertical(Double(k), label: "verdict d = \(k) = true k")] }
        if let k, verdict == nil, k == candidate { return [.vertical(Double(k), label: "true k = \(k) = candidate, not resolvable")] }
        var lines = k.map { [ReferenceLine.vertical(Double($0), label: "true k = \($0)")] } ?? []
        if let verdict {
            lines.append(.vertical(Double(verdict), label: "verdict d = \(verdict)"))
        } else if let candidate {
            lines.append(.vertical(Double(candidate), label: "candidate d = \(candidate), not resolvable"))
        }
        return lines
    }

    /// h(C + σZ) per d on all codes and on each subsample, when measured.
    func noisyCurve() -> CurveValue? {
        let sigma = verdict.options.noiseSlope.sigma
        let divisors = [1] + verdict.options.stabilityDivisors
        let series = divisors.compactMap { divisor in
            CurveSummary.noisy(points, d: summary.d, sigma: sigma, divisor: divisor).map {
                self.series(divisor == 1 ? "all codes" : "n/\(divisor)", $0)
            }
        }
        guard !series.isEmpty else { return nil }
        return CurveValue(title: "h(codes + σZ), σ = \(formatNumber(sigma)) — \(label)", xLabel: "code dimension d",
                          yLabel: "h (nats, standardised codes)", series: series)
    }

    func figure(_ name: String, _ caption: String, _ curve: CurveValue, _ lines: [ReferenceLine]) throws -> Figure {
        let chart = try LineChart(curve: curve, referenceLines: lines)
        return try Figure(name: name, caption: caption, chart: chart)
    }

    func perDTable() -> Table {
        func cell(_ s: CurveSummary.Statistic, _ digits: Int = 4) -> Table.Cell {
            guard s.median.isFinite else { return .measurement(.nan) }
            return .number(Table.Number(s.median, lower: s.min, upper: s.max, format: .significant(digits), spreadFormat: .significant(3)))
        }
        var columns = ["d", "H LOO (nats)"]
        if summary.monteCarlo != nil { columns.append("H MC (nats)") }
        columns += ["H_white (nats)", "h*", "MSE"]
        if summary.correlationDimension != nil { columns.append("corrdim") }
        columns.append("train s")
        let rows = summary.d.indices.map { i -> [Table.Cell] in
            var row: [Table.Cell] = [.parameter(summary.d[i]), cell(summary.entropy[i])]
            if let mc = summary.monteCarlo { row.append(cell(mc[i])) }
            row += [cell(summary.whitenedEntropy[i]), cell(summary.bandwidth[i], 3), cell(summary.reconstructionError[i], 3)]
            if let c = summary.correlationDimension { row.append(cell(c[i], 3)) }
            let secs = points.filter { $0.d == summary.d[i] }.map(\.trainingSeconds)
            row.append(.time(secs.reduce(0, +) / Double(max(secs.count, 1)), digits: 2))
            return row
        }
        let seeds = Set(points.map(\.repeatIndex)).count
        let title = seeds > 1 ? "H(d) per code dimension (median [min–max] over \(seeds) seeds)" : "H(d) per code dimension (one seed)"
        return Table(title: title, columns: columns, cells: rows)
    }

    func rulesTable() -> Table {
        let rows = verdict.rules.map { r -> [Table.Cell] in
            let per = r.perSeed.map { $0.map(String.init) ?? "–" }.joined(separator: ", ")
            return [.text(r.name), r.d.map { .measurement(Double($0)) } ?? .text("none"), .text(per), .text(r.note)]
        } + [[.text("verdict"), verdict.dimension.map { .measurement(Double($0)) } ?? .verdict("not resolvable"), .empty,
              .text(verdict.explanation)]]
        return Table(title: "Dimension rules" + (trueDimension.map { " (true dimension \($0))" } ?? ""),
                     columns: ["rule", "d (median curve)", "d per seed", "note"], cells: rows)
    }
}
