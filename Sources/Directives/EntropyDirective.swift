import Datasets
import Entropy
import Foundation
import Notebook
import Plot

/// `{entropy}` — the differential entropy of a data set (or of autoencoder codes) by Gaussian
/// KDE, by Kozachenko–Leonenko k-NN, or of the noisy set h(C + σZ) by sample propagation. An
/// adapter: it reads the parameters, calls `KernelEntropy` / `NearestNeighborEntropy` /
/// `SamplePropagationEntropy` and packages the estimate, the bandwidth and the leave-one-out
/// likelihood curve.
public enum EntropyDirective: Directive {
    public static let name = "entropy"
    public static let summary = "Differential entropy (nats) by Gaussian KDE (leave-one-out, resubstitution, Monte-Carlo), k-NN, or of the codes plus known Gaussian noise (noisy)"
    /// One unit of work: a cluster node may compute the whole cell from its cached inputs.
    public static let isWorkUnit = true

    /// The estimator words.
    enum EstimatorName: String, Decodable, CaseIterable, ParameterWords {
        case kdeLOO = "kde-loo", kdeResub = "kde-resub", kdeMC = "kde-mc", knn, noisy
    }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("the points: an earlier dataset or autoencoder codes", kinds: [.dataset]) var data: ResultID
        @Param("kde-loo: leave-one-out KDE; kde-resub: resubstitution (biased low); kde-mc: Monte-Carlo from the KDE; knn: Kozachenko–Leonenko; "
               + "noisy: h(standardised data + σZ) by sample propagation (Goldfeld et al. 2019), no bandwidth search")
        var estimator = EstimatorName.kdeLOO
        @Param(BandwidthChoice.doc + " (whitened units when whitening)", type: BandwidthChoice.type) var bandwidth = BandwidthChoice()
        @Param("neighbour order of the knn estimator", 1...1000) var k = 4
        @Param("Monte-Carlo sample count of kde-mc and noisy", 2...10_000_000) var samples = 10_000
        @Param("whiten the data (Σ^(-1/2)(x − μ)) and add ½·ln det Σ back (kde and knn estimators)") var whiten = true
        // 0.1 in standard deviations: the noise-only increment ½·ln(2πeσ²) is then −0.88 nats per
        // extra dimension against ≈ +1.4 for a signal one, while σ stays above the sample spacing
        // n^(−1/d) up to d ≈ 3–4 at n = 5 000 (notes/noisy-entropy-toy.md: right kink for k = 2);
        // above σ ≈ 0.24 the increment is positive and the kink disappears.
        @Param("noise σ of estimator: noisy, in standard deviations of the standardised data; past the intrinsic dimension each extra dimension adds ½·ln(2πeσ²) (−0.88 nats at 0.1)",
               1e-6...1e6)
        var sigma = 0.1
        @Param("estimator: noisy — centre and divide each coordinate by its sd first, recording Σ ln sd (added back in H, shown as logdet)")
        var standardize = true
    }

    public static let parameters = Settings.parameters

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .estimate, doc: "the entropy in nats ± SE; details: bandwidth, n, d, H_white, logdet (noisy: sigma, m, n, d, H_white = h(standardised + σZ), logdet)"),
        ResultSlot("likelihood", kind: .curve, doc: "leave-one-out log-likelihood against bandwidth (with bandwidth: loo-ml)"),
    ]

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        var problems = [ParameterError]()
        guard let cell = try? arguments.decode(Settings.self) else { return [] }
        let estimator = cell.estimator
        if estimator == .knn, cell.$bandwidth.isExplicit {
            problems.append(ParameterError("bandwidth", "`bandwidth` has no effect with `estimator: knn`; remove it or choose a kde estimator"))
        }
        if estimator != .knn, cell.$k.isExplicit {
            problems.append(ParameterError("k", "`k` is the neighbour order of `estimator: knn`; it has no effect with `\(estimator.rawValue)`"))
        }
        if estimator != .kdeMC, estimator != .noisy, cell.$samples.isExplicit {
            problems.append(ParameterError("samples", "`samples` is used only by `estimator: kde-mc` and `estimator: noisy`"))
        }
        for (name, explicit) in [("sigma", cell.$sigma.isExplicit), ("standardize", cell.$standardize.isExplicit)] where estimator != .noisy && explicit {
            problems.append(ParameterError(name, "`\(name)` is used only by `estimator: noisy`"))
        }
        if estimator == .noisy {
            if cell.$bandwidth.isExplicit {
                problems.append(ParameterError("bandwidth", "`estimator: noisy` has no bandwidth: its kernel is the noise; set `sigma`"))
            }
            if cell.$whiten.isExplicit {
                problems.append(ParameterError("whiten", "`estimator: noisy` uses `standardize`, not `whiten`"))
            }
        }
        return problems
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let data = try context.value(cell.data, as: Dataset.self)
        let estimate: EntropyEstimate
        switch cell.estimator {
        case .noisy:
            return try packageNoisy(try SamplePropagationEntropy(
                noise: cell.sigma, samples: cell.samples, standardization: cell.standardize ? .standardize : .none,
                generator: context.generator("sample"), threads: context.settings.threads).estimate(data.points), of: data)
        case .knn:
            guard cell.k < data.count else {
                throw ParameterError("k", "k = \(cell.k) needs more than \(cell.k) points; `\(data.name)` has \(data.count)")
            }
            estimate = try NearestNeighborEntropy(k: cell.k, whiten: cell.whiten).estimate(data.points)
        case .kdeLOO, .kdeResub, .kdeMC:
            let estimator: KernelEntropy.Estimator = switch cell.estimator {
            case .kdeResub: .resubstitution
            case .kdeMC: .monteCarlo(samples: cell.samples, generator: context.generator("sample"))
            default: .leaveOneOut
            }
            estimate = try KernelEntropy(estimator: estimator, bandwidth: cell.bandwidth.selection, whiten: cell.whiten,
                                         threads: context.settings.threads).estimate(data.points)
        }
        return try package(estimate, of: data)
    }

    /// A sample-propagation estimate as the cell's values and report items: H with the noise,
    /// the draw count and the standardisation's log-determinant beside it.
    static func packageNoisy(_ estimate: EntropyEstimate, of data: Dataset) throws -> CellResult {
        let sigma = estimate.noise ?? .nan, m = Double(estimate.monteCarloSamples ?? 0)
        let details: [EstimateValue.Detail] = [
            .init("sigma", sigma), .init("m", m), .init("n", Double(estimate.count)), .init("d", Double(estimate.dimension)),
            .init("H_white", estimate.whitenedEntropy), .init("logdet", estimate.logDetCovariance),
        ]
        let main = EstimateValue(name: "H(\(data.name) + σZ)", value: estimate.value, standardError: estimate.standardError,
                                 unit: "nats", details: details)
        var outputs: [OutputItem] = [
            .metric(Metric("H", estimate.value, uncertainty: estimate.standardError, unit: "nats",
                           note: "\(estimate.method), n = \(estimate.count), d = \(estimate.dimension); ± is the Monte-Carlo SE")),
        ]
        if estimate.whitened {
            outputs.append(.metric(Metric("h(standardised + σZ)", estimate.whitenedEntropy, uncertainty: estimate.standardError,
                                          unit: "nats", note: "without Σ ln sd = \(formatNumber(estimate.logDeterminantTerm))")))
        }
        outputs.append(.text("Past the intrinsic dimension each extra coordinate adds ½·ln(2πeσ²) = "
            + "\(formatNumber(0.5 * log(2 * Double.pi * M_E * sigma * sigma))) nats at σ = \(formatNumber(sigma))."))
        return CellResult(values: ["": main], outputs: outputs)
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
