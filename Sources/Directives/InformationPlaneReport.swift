import Foundation
import Notebook
import Plot

/// The report items and figures of `{information-plane}`.
enum InformationPlaneReport {
    static func items(_ value: InformationPlaneValue, settings: InformationPlaneDirective.Settings) -> [OutputItem] {
        var outputs: [OutputItem] = [
            .text("Read-out T = S + σZ with σ = \(formatNumber(value.noise)) on \(value.evaluationRows) evaluation rows, "
                  + "\(value.seeds) seed(s). Noise-aware: h(T|X) = ½·d·ln(2πeσ²) exactly, h(T) and h(T|Y) by sample propagation "
                  + "(m = \(settings.samples)). Compressed: each read-out (and X) encoded to d′ = \(settings.code) by an autoencoder "
                  + "(\(settings.aeEpochs) epochs), then leave-one-out KDE."),
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
        return outputs
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
                return TrajectoryChart.Trajectory(name: "layer \(l) (\(rows[0].width))", x: rows.compactMap { pickX($0)?.mean },
                                                  y: rows.compactMap { pickY($0)?.mean }, steps: rows.map { Double($0.epoch) })
            }
            guard !trajectories.isEmpty else { continue }
            let chart = try TrajectoryChart(title: "Information plane (\(label)), σ = \(formatNumber(value.noise))",
                                            xLabel: "I(X;T) (nats)", yLabel: "I(T;Y) (nats)", trajectories: trajectories, stepName: "epoch")
            figures.append(try Figure(name: tag, caption: "The information plane by the \(label) estimator: one trajectory per hidden layer, "
                                      + "points coloured by epoch (light: first read-out, dark: last), circle at the start, square at the end; "
                                      + "means over \(value.seeds) seed(s).", chart: chart))
        }
        for (tag, title, noisy, compressed) in [
            ("ixt", "I(X;T)", { (r: InformationPlaneValue.Row) in r.inputInformation }, { (r: InformationPlaneValue.Row) in r.compressedInput }),
            ("ity", "I(T;Y)", { (r: InformationPlaneValue.Row) in r.labelInformation }, { (r: InformationPlaneValue.Row) in r.compressedLabel }),
        ] {
            var series = [LineChart.Series]()
            for (estimator, pick) in [("noise-aware", noisy), ("compressed", compressed)] {
                for s in value.curve(pick, title: title).series {
                    series.append(LineChart.Series(name: "\(s.name), \(estimator)", x: s.x.map { $0 + 1 }, y: s.y,
                                                   lower: value.seeds > 1 ? s.lower : nil, upper: value.seeds > 1 ? s.upper : nil))
                }
            }
            guard !series.isEmpty else { continue }
            let chart = try LineChart(title: "\(title) per layer, σ = \(formatNumber(value.noise))", xLabel: "epoch + 1",
                                      yLabel: "\(title) (nats)", series: series, xScale: .log)
            figures.append(try Figure(name: tag, caption: "\(title) of each hidden layer against epoch (log scale, epoch + 1 so the "
                                      + "initial network shows), both estimators; bands: ± sd over seeds.", chart: chart))
        }
        for c in value.clustering where c.histograms.count == 2 {
            var groups = [HistogramChart.Group]()
            for (h, epoch) in zip(c.histograms, c.epochs) {
                for g in h.groups { groups.append(HistogramChart.Group(name: "\(g.name), epoch \(epoch)", values: g.density)) }
            }
            let chart = try HistogramChart(title: "Distances of layer \(c.layer)'s read-out", xLabel: "distance", yLabel: "density",
                                           edges: c.histograms[0].edges, groups: groups)
            figures.append(try Figure(name: "distances-layer\(c.layer)",
                                      caption: "Pairwise distances of layer \(c.layer)'s noisy read-out at the first and last snapshot "
                                        + "(first seed), within and between labels, each normalised; clustering shows as within-label "
                                        + "pairs moving to shorter distances than between-label ones.", chart: chart))
        }
        return figures
    }
}
