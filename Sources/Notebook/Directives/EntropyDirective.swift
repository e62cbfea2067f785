import Datasets
import Entropy
import Foundation
import Plot

/// `{entropy}` — the differential entropy of a data set (or of autoencoder codes) by Gaussian
/// KDE or by Kozachenko–Leonenko k-NN. An adapter: it reads the parameters, calls
/// `KernelEntropy` / `NearestNeighborEntropy` and packages the estimate, the bandwidth and
/// the leave-one-out likelihood curve.
public enum EntropyDirective: Directive {
    public static let name = "entropy"
    public static let summary = "Differential entropy (nats) by Gaussian KDE (leave-one-out, resubstitution, Monte-Carlo) or k-NN"

    static let estimators = ["kde-loo", "kde-resub", "kde-mc", "knn"]

    public static let parameters: [Parameter] = [
        Parameter("data", .reference([.dataset]), required: true, doc: "the points: an earlier dataset or autoencoder codes"),
        Parameter("estimator", .choice(estimators), default: .string("kde-loo"),
                  doc: "kde-loo: leave-one-out KDE; kde-resub: resubstitution (biased low); kde-mc: Monte-Carlo from the KDE; knn: Kozachenko–Leonenko"),
        Parameter("bandwidth", .choiceOrNumber(["loo-ml", "scott", "silverman"], 1e-6...1e6), default: .string("loo-ml"),
                  doc: "kernel bandwidth h: leave-one-out maximum likelihood, a rule of thumb, or a number (whitened units when whitening)"),
        Parameter("k", .int(1...1000), default: .int(4), doc: "neighbour order of the knn estimator"),
        Parameter("samples", .int(2...10_000_000), default: .int(10_000), doc: "Monte-Carlo sample count of kde-mc"),
        Parameter("whiten", .bool, default: .bool(true),
                  doc: "whiten the data (Σ^(-1/2)(x − μ)) and add ½·ln det Σ back"),
    ]

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .estimate, doc: "the entropy in nats ± SE; details: bandwidth, n, d, H_white, logdet"),
        ResultSlot("likelihood", kind: .curve, doc: "leave-one-out log-likelihood against bandwidth (with bandwidth: loo-ml)"),
    ]

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        var problems = [ParameterError]()
        let estimator = (try? arguments.string("estimator")) ?? "kde-loo"
        if estimator == "knn", arguments.isExplicit("bandwidth") {
            problems.append(ParameterError("bandwidth", "`bandwidth` has no effect with `estimator: knn`; remove it or choose a kde estimator"))
        }
        if estimator != "knn", arguments.isExplicit("k") {
            problems.append(ParameterError("k", "`k` is the neighbour order of `estimator: knn`; it has no effect with `\(estimator)`"))
        }
        if estimator != "kde-mc", arguments.isExplicit("samples") {
            problems.append(ParameterError("samples", "`samples` is used only by `estimator: kde-mc`"))
        }
        return problems
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let data = try context.value(of: "data", as: Dataset.self)
        let whiten = try arguments.bool("whiten")
        let estimatorName = try arguments.string("estimator")
        let estimate: EntropyEstimate
        if estimatorName == "knn" {
            let k = try arguments.int("k")
            guard k < data.count else { throw ParameterError("k", "k = \(k) needs more than \(k) points; `\(data.name)` has \(data.count)") }
            estimate = try NearestNeighborEntropy(k: k, whiten: whiten).estimate(data.points)
        } else {
            let estimator: KernelEntropy.Estimator = switch estimatorName {
            case "kde-resub": .resubstitution
            case "kde-mc": .monteCarlo(samples: try arguments.int("samples"), generator: context.generator("sample"))
            default: .leaveOneOut
            }
            estimate = try KernelEntropy(estimator: estimator, bandwidth: try bandwidth(arguments), whiten: whiten,
                                         threads: context.settings.threads).estimate(data.points)
        }
        return try package(estimate, of: data)
    }

    static func bandwidth(_ arguments: Arguments) throws -> BandwidthSelection {
        switch arguments.values["bandwidth"] {
        case .string("scott")?: return .scott
        case .string("silverman")?: return .silverman
        case .double(let h)?: return .fixed(h)
        case .int(let h)?: return .fixed(Double(h))
        default: return .leaveOneOutML
        }
    }

    /// The estimate as the cell's values and report items.
    static func package(_ estimate: EntropyEstimate, of data: Dataset) throws -> CellResult {
        var details = [EstimateValue.Detail]()
        if let h = estimate.bandwidth { details.append(.init("bandwidth", h)) }
        details += [.init("n", Double(estimate.count)), .init("d", Double(estimate.dimension)),
                    .init("H_white", estimate.whitenedEntropy), .init("logdet", estimate.logDetCovariance)]
        let main = EstimateValue(name: "H(\(data.name))", value: estimate.value, standardError: estimate.standardError,
                                 unit: "nats", details: details)
        var values: [String: any NotebookValue] = ["": main]
        var outputs: [OutputItem] = [
            .metric(Metric("H", estimate.value, uncertainty: estimate.standardError, unit: "nats",
                           note: "\(estimate.method), n = \(estimate.count), d = \(estimate.dimension)")),
        ]
        if let h = estimate.bandwidth {
            outputs.append(.metric(Metric("bandwidth h", h, note: estimate.whitened ? "in whitened units (standard deviations)" : nil)))
        }
        if estimate.whitened {
            outputs.append(.metric(Metric("H_white", estimate.whitenedEntropy, unit: "nats",
                                          note: "whitened data, without ½·ln det Σ = \(formatNumber(estimate.logDetCovariance / 2))")))
        }
        if let curve = estimate.likelihoodCurve {
            let unit = estimate.whitened ? "bandwidth h (whitened units)" : "bandwidth h"
            var series = [Series(name: "all \(estimate.count) points", x: curve.bandwidths, y: curve.logLikelihoods)]
            if let coarse = curve.subsample {
                series.append(Series(name: "coarse grid, \(coarse.rows) rows", x: coarse.bandwidths, y: coarse.logLikelihoods))
            }
            let curveValue = CurveValue(title: "Leave-one-out log-likelihood of \(data.name)", xLabel: unit,
                                        yLabel: "mean LOO log-likelihood (nats)", series: series)
            values["likelihood"] = curveValue
            // L(h) plunges by hundreds of nats at the smallest grid bandwidths; the figure shows the
            // window around the maximum (the stored curve keeps every point).
            let window = 2 + 0.25 * Double(estimate.dimension)
            let shown = series.map { s -> LineChart.Series in
                let top = s.y.max() ?? 0
                let keep = s.y.indices.filter { s.y[$0] >= top - window }
                return LineChart.Series(name: s.name, x: keep.map { s.x[$0] }, y: keep.map { s.y[$0] })
            }
            let chart = try LineChart(title: curveValue.title, xLabel: unit, yLabel: curveValue.yLabel, series: shown,
                                      xScale: .log, referenceLines: [.vertical(curve.best, label: "h* = \(formatNumber(curve.best))")])
            var caption = "Mean leave-one-out log-likelihood against the kernel bandwidth, within \(formatNumber(window)) nats "
                + "of its maximum; the maximum h* is the bandwidth used."
            if let coarse = curve.subsample {
                caption += " The coarse grid averages over \(coarse.rows) evenly spaced points only (each against all "
                    + "\(estimate.count)), to find the bracket that is then refined on all points."
            }
            outputs.append(.figure(try Figure(name: "likelihood", caption: caption, chart: chart)))
        }
        return CellResult(values: values, outputs: outputs)
    }
}
