import Foundation
import InformationPlane
import Notebook
import Plot

/// The report items and figures of `{information-plane}`.
enum InformationPlaneReport {
    static func items(_ value: InformationPlaneValue, settings: InformationPlaneDirective.Settings) -> [OutputItem] {
        var outputs: [OutputItem] = [
            // Only the estimators the cell ran.
            .text(noiseText(value) + " σ = \(formatNumber(value.noise)) on \(value.evaluationRows) evaluation rows, "
                  + "\(value.seeds) seed(s)."
                  + (settings.noiseAware ? " Noise-aware: sample propagation, the Gaussian mixtures with the known σ integrated by "
                     + "Monte-Carlo (m = \(settings.samples) draws per point)." : "")
                  + (settings.compressed ? " Compressed: one draw of each layer (and X) encoded to "
                     + "d′ = \(settings.code) by an autoencoder (\(settings.aeEpochs) epochs), then leave-one-out KDE." : "")),
            .metric(Metric("H(Y)", value.labelEntropy, unit: "nats", note: "of the evaluation labels: the ceiling of I(T;Y)")),
            .metric(Metric("ln n", log(Double(value.evaluationRows)), unit: "nats",
                           note: "the ceiling of an I(X;T) estimate from n points whose read-outs do not overlap")),
        ]
        for c in value.clustering {
            let r = c.ratios
            guard r.count == 2 else { continue }
            outputs.append(.metric(Metric("within/between distance, layer \(c.layer)", r[1],
                                          note: "epoch \(c.epochs[1]); \(formatNumber(r[0])) at epoch \(c.epochs[0])")))
        }
        outputs.append(.table(value.table()))
        outputs += unresolvedChains(value)
        outputs += compressedCaveat(value)
        return outputs
    }

    /// A warning for the layers whose noise chains do not overlap (propagated noise): their
    /// mixtures given X are k separate bumps, so ĥ(T|X) reads low and I(X;T) high.
    static func unresolvedChains(_ value: InformationPlaneValue) -> [OutputItem] {
        guard value.noiseMode == .propagated, value.propagationSamples > 1 else { return [] }
        let threshold = 1.5
        let layers = value.layers.filter { l in
            l > 1 && value.rows(layer: l).contains { ($0.effectiveChains ?? .infinity) < threshold }
        }
        guard !layers.isEmpty else { return [] }
        let worst = layers.map { l in value.rows(layer: l).compactMap(\.effectiveChains).min() ?? 1 }.min() ?? 1
        return [.warning("Layer(s) \(layers.map(String.init).joined(separator: ", ")): at some read-outs the \(value.propagationSamples) noise "
                         + "chains per input barely overlap (chain overlap 1/mean(w), w the posterior weight of a draw's own chain, down to "
                         + "\(formatNumber(worst, significantDigits: 3)) of \(value.propagationSamples); below \(formatNumber(threshold)) counts), so "
                         + "the in-sample estimate of I(X;T) reads high, towards ln n. The claims read these rows as inconclusive and use the "
                         + "bracket: the held-out lower bound and the data-processing upper bound.")]
    }

    /// A note on the compressed columns: lower bounds of a lossy code, never in a claim; and
    /// the read-outs where they break I(T;Y) ≤ I(X;T) by more than 0.1 nats.
    static func compressedCaveat(_ value: InformationPlaneValue) -> [OutputItem] {
        let broken = value.rows.filter { r in
            guard let x = r.compressedInput?.median, let y = r.compressedLabel?.median else { return false }
            return y > x + 0.1
        }
        guard value.rows.contains(where: { $0.compressedInput != nil }) else { return [] }
        var text = "Compressed columns: a \(value.compressedDimension)-coordinate code of a 64–256-wide noisy read-out is far from the "
            + "near-lossless compression Butakov et al. require, and the estimator is not validated here, so its columns are lower "
            + "bounds of a lossy code (\"lower bound (lossy code)\") and no claim reads them."
        if !broken.isEmpty {
            text += " They break I(T;Y) ≤ I(X;T) by more than 0.1 nats at \(broken.count) of \(value.rows.filter { $0.compressedInput != nil }.count) read-outs."
        }
        return [.warning(text)]
    }

    /// What T is, in words.
    static func noiseText(_ value: InformationPlaneValue) -> String {
        switch value.noiseMode {
        case .propagated:
            "Propagated noise (Goldfeld et al.'s noisy network, as trained): T₁ = f₁(X) + σZ₁, T_l = f_l(T_{l−1}) + σZ_l, so "
                + "h(T_l|X) is a mixture's entropy, estimated from \(value.propagationSamples) noise chains per input; "
                + "I(X;T_l) cannot rise with depth (data processing)."
        case .readout:
            "Read-out noise: T_l = S_l + σZ on the noise-free pass, h(T|X) = ½·d·ln(2πeσ²) exactly; the layers are not a "
                + "Markov chain, so I(X;T_l) may rise with depth."
        }
    }

    static func figures(_ value: InformationPlaneValue) throws -> [Figure] {
        var figures = [Figure]()
        for (tag, label, pickX, pickY) in [
            ("plane", "noise-aware", { (r: InformationPlaneValue.Row) in r.inputInformation }, { (r: InformationPlaneValue.Row) in r.labelInformation }),
            ("plane-compressed", "compressed", { (r: InformationPlaneValue.Row) in r.compressedInput }, { (r: InformationPlaneValue.Row) in r.compressedLabel }),
        ] {
            let trajectories = value.layers.compactMap { l -> TrajectoryChart.Trajectory? in
                let rows = value.rows(layer: l).filter { pickX($0) != nil && pickY($0) != nil }
                guard !rows.isEmpty else { return nil }
                return TrajectoryChart.Trajectory(name: "layer \(l) (\(rows[0].width))", x: rows.compactMap { pickX($0)?.median },
                                                  y: rows.compactMap { pickY($0)?.median }, steps: rows.map { Double($0.epoch) })
            }
            guard !trajectories.isEmpty else { continue }
            let chart = try TrajectoryChart(title: "Information plane (\(label), \(value.noiseMode.rawValue) noise), σ = \(formatNumber(value.noise))",
                                            xLabel: "I(X;T) (nats)", yLabel: "I(T;Y) (nats)", trajectories: trajectories, stepName: "epoch")
            figures.append(try Figure(name: tag, caption: "The information plane by the \(label) estimator: one trajectory per hidden layer, "
                                      + "points coloured by epoch (light: first read-out, dark: last), circle at the start, square at the end; "
                                      + "medians over \(value.seeds) seed(s).", chart: chart))
        }
        let propagated = value.noiseMode == .propagated
        for (tag, title, noisy, compressed, ceiling, ceilingLabel) in [
            ("ixt", "I(X;T)", { (r: InformationPlaneValue.Row) in r.inputInformation }, { (r: InformationPlaneValue.Row) in r.compressedInput },
             log(Double(value.evaluationRows)), "ln n"),
            ("ity", "I(T;Y)", { (r: InformationPlaneValue.Row) in r.labelInformation }, { (r: InformationPlaneValue.Row) in r.compressedLabel },
             value.labelEntropy, "H(Y)"),
        ] {
            // Layer-paired colours: one palette colour per layer, the estimators told apart by marker.
            var series = [LineChart.Series]()
            for l in value.layers {
                let rows = value.rows(layer: l)
                let color = Palette.color(l - 1)
                if propagated, tag == "ixt" {
                    let pts = rows.compactMap { r in r.inputLower.flatMap { lo in r.inputUpper.map { (Double(r.epoch) + 1, lo.median, $0.median) } } }
                    if !pts.isEmpty {
                        series.append(LineChart.Series(name: "layer \(l), bracket (lower bound – upper bound)", x: pts.map(\.0), y: pts.map(\.1),
                                                       lower: pts.map { min($0.1, $0.2) }, upper: pts.map { max($0.1, $0.2) },
                                                       marker: .circle, color: color))
                    }
                } else {
                    let pts = rows.compactMap { r in noisy(r).map { (Double(r.epoch) + 1, $0) } }
                    if !pts.isEmpty {
                        series.append(LineChart.Series(name: "layer \(l), noise-aware", x: pts.map(\.0), y: pts.map(\.1.median),
                                                       lower: value.seeds > 1 ? pts.map(\.1.min) : nil,
                                                       upper: value.seeds > 1 ? pts.map(\.1.max) : nil, marker: .circle, color: color))
                    }
                }
                let cpts = rows.compactMap { r in compressed(r).map { (Double(r.epoch) + 1, $0) } }
                if !cpts.isEmpty {
                    series.append(LineChart.Series(name: "layer \(l), compressed (lower bound, lossy code)", x: cpts.map(\.0), y: cpts.map(\.1.median),
                                                   lower: value.seeds > 1 ? cpts.map(\.1.min) : nil,
                                                   upper: value.seeds > 1 ? cpts.map(\.1.max) : nil, marker: .square, color: color))
                }
            }
            guard !series.isEmpty else { continue }
            let chart = try LineChart(title: "\(title) per layer, σ = \(formatNumber(value.noise))", xLabel: "epoch + 1",
                                      yLabel: "\(title) (nats)", series: series, xScale: .log,
                                      referenceLines: [.horizontal(ceiling, label: ceilingLabel)])
            let bands = propagated && tag == "ixt"
                ? "the band of each layer is its bracket: the held-out lower bound (the line) and the data-processing upper bound"
                : "bands: min–max over \(value.seeds) seed(s)"
            let estimators = value.rows.contains { $0.compressedInput != nil } ? "noise-aware (circles) and compressed (squares, a lower bound of a lossy code)" : "noise-aware estimator"
            figures.append(try Figure(name: tag, caption: "\(title) of each hidden layer against epoch (log scale, epoch + 1 so the "
                                      + "initial network shows), \(estimators), one colour per layer; medians; \(bands); the line at "
                                      + "\(ceilingLabel) is the estimate's ceiling.", chart: chart))
        }
        for c in value.clustering where c.histograms.count == 2 {
            var groups = [HistogramChart.Group]()
            for (h, epoch) in zip(c.histograms, c.epochs) {
                for g in h.groups { groups.append(HistogramChart.Group(name: "\(g.name), epoch \(epoch)", values: g.density)) }
            }
            let chart = try HistogramChart(title: "Distances of layer \(c.layer)'s noise-free outputs", xLabel: "distance / σ", yLabel: "density",
                                           edges: c.histograms[0].edges, groups: groups)
            figures.append(try Figure(name: "distances-layer\(c.layer)",
                                      caption: "Pairwise distances of layer \(c.layer)'s noise-free outputs in units of σ at the first and "
                                        + "last snapshot (first seed), within and between labels, each normalised; clustering shows as "
                                        + "within-label pairs moving to shorter distances than between-label ones.", chart: chart))
        }
        return figures
    }
}
