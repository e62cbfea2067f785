import Classifier
import Dimension
import Foundation
import InformationPlane
import Linalg
import Notebook
import Plot

/// `{information-plane}` — I(X;T) and I(T;Y) of every hidden layer of a `{classifier}` at every
/// read-out, by the noise-aware estimator (sample propagation, h(T|X) exact) and by the
/// compressed one (autoencoder → KDE) side by side; spreads over the classifier's seeds;
/// distance histograms within and between labels at the first and last read-out.
public enum InformationPlaneDirective: Directive {
    public static let name = "information-plane"
    public static let summary = "I(X;T) and I(T;Y) per layer and epoch of a {classifier}: noise-aware and compressed-KDE estimators, plane, curves, distance histograms"

    /// Which estimators run: the words of `estimators`.
    enum Estimators: String, CaseIterable, Decodable, ParameterWords {
        case both
        case noiseAware = "noise-aware"
        case compressed
    }

    public static let parameters = Settings.parameters

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: .table, doc: "per layer and epoch: I(X;T), I(T;Y) by both estimators, median [min–max] over seeds"),
            ResultSlot("plane", kind: InformationPlaneValue.kind, doc: "the numbers behind the claims: per layer and epoch, and the distance ratios"),
            ResultSlot("ixt", kind: .curve, doc: "noise-aware I(X;T) against epoch, one series per layer"),
            ResultSlot("ity", kind: .curve, doc: "noise-aware I(T;Y) against epoch, one series per layer"),
        ]
    }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("a {classifier} result", kinds: [ClassifierValue.kind]) var classifier: ResultID
        @Param("noise-aware: sample propagation with the known σ; compressed: autoencoder to `code` dims, then KDE")
        var estimators = Estimators.both
        @Param("readout: T_l = S_l + σZ on the noise-free pass (h(T|X) exact; cheap); propagated: the noisy network as trained, T_l = f_l(T_{l−1}) + σZ_l (Goldfeld et al.; the true I(X;T) falls with depth), `chains` times the cost, and in wide layers whose chains do not overlap its estimate reads high (a warning says so)")
        var noise = InformationPlaneExperiment.NoiseMode.readout
        @Param("noise chains per input behind each deeper layer's mixture, propagated noise (quick mode: at most 4)", 1...1000) var chains = 8
        @Param("Monte-Carlo draws per noise-aware entropy (quick mode: at most 500)", 2...10_000_000) var samples = 2000
        @Param("code width d′ of the compressing autoencoders", 1...64) var code = 4
        @Param("epochs of each compressing autoencoder (quick mode: at most 3)", 1...10_000) var aeEpochs = 30
        @Param("bins of the distance histograms", 2...254) var bins = 40
        @Param("measure on the first `rows` evaluation rows only (a control: are the verdicts and peak epochs stable in n?); all of them when not given; quick mode: at most half the classifier's rows",
               2...10_000_000)
        var rows: Int?
        var noiseAware: Bool { estimators != .compressed }
        var compressed: Bool { estimators != .noiseAware }
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        var settings = try arguments.decode(Settings.self)
        var classifier = try context.value(settings.classifier, as: ClassifierValue.self)
        if var rows = settings.rows {
            if context.settings.quick { rows = min(rows, max(2, classifier.evaluation.rows / 2)) }
            guard rows <= classifier.evaluation.rows else {
                throw ParameterError("rows", "`rows: \(rows)` is more than the classifier's \(classifier.evaluation.rows) evaluation rows")
            }
            classifier = classifier.firstEvaluationRows(rows)
        }
        if context.settings.quick {
            settings.samples = min(settings.samples, 500)
            settings.chains = min(settings.chains, 4)
            settings.aeEpochs = min(settings.aeEpochs, 3)
        }
        guard classifier.noise > 0 else {
            throw ParameterError("classifier", "the classifier has no noise (σ = 0): I(X;T) of a deterministic layer is infinite; train it with `noise` above 0")
        }
        var experimentSettings = InformationPlaneExperiment.Settings(noise: classifier.noise)
        experimentSettings.monteCarloSamples = settings.samples
        experimentSettings.noiseMode = settings.noise
        experimentSettings.propagationSamples = settings.chains
        experimentSettings.compressed = settings.compressed
        experimentSettings.compressedDimension = settings.code
        experimentSettings.compression.epochs = settings.aeEpochs
        experimentSettings.threads = context.settings.threads
        experimentSettings.seed = context.generator("plane").seed
        let experiment = InformationPlaneExperiment(settings: experimentSettings)
        let compressedInput = settings.compressed ? try experiment.compressInput(classifier.evaluation) : nil
        var points = [InformationPlaneExperiment.Point]()
        for (r, run) in classifier.runs.enumerated() {
            points += try experiment.measure(run.snapshots, network: classifier.architecture, input: classifier.evaluation,
                                             labels: classifier.evaluationLabels, compressedInput: compressedInput,
                                             repeatIndex: r) { fraction, message in
                context.progress((Double(r) + fraction) / Double(classifier.runs.count), message)
            }
        }
        let value = InformationPlaneValue(classifier: classifier, points: points, noiseAware: settings.noiseAware,
                                          clustering: try clustering(classifier, experiment: experiment, bins: settings.bins),
                                          settings: experimentSettings)
        var outputs = InformationPlaneReport.items(value, settings: settings)
        var warnings = Array(points.compactMap(\.failure).prefix(5).map { "Compressed estimate failed: \($0)" })
        do {
            outputs += try InformationPlaneReport.figures(value).map(OutputItem.figure)
        } catch {
            warnings.append("A figure could not be drawn: \(error)")
        }
        outputs += warnings.map(OutputItem.warning)
        return CellResult(values: ["": value.table(), "plane": value, "ixt": value.curve(\.inputInformation, title: "I(X;T)"),
                                   "ity": value.curve(\.labelInformation, title: "I(T;Y)")],
                          outputs: outputs)
    }

    /// Within/between-label distance ratios of every hidden layer's noise-free outputs, in
    /// units of σ, at every snapshot of the first seed, and the histograms of the first and last
    /// snapshot on a common range per layer. The noise-free pass in both noise modes: the noisy
    /// read-out adds the noise floor √(2d)·σ to every pair and hides what the network does.
    static func clustering(_ classifier: ClassifierValue, experiment: InformationPlaneExperiment,
                           bins: Int) throws -> [InformationPlaneValue.Clustering] {
        guard let run = classifier.runs.first, let first = run.snapshots.first, let last = run.snapshots.last else { return [] }
        let labels = classifier.evaluationLabels
        let root = SeededGenerator(seed: experiment.settings.seed)
        let scale = Float(1 / classifier.noise)
        var result = [InformationPlaneValue.Clustering]()
        for l in first.layers.indices {
            try Cancellation.checkpoint()
            var g = root.derived("histogram-l\(l)")
            func scaled(_ s: LayerSnapshot) -> Matrix {
                var m = s.layers[l]
                for k in m.elements.indices { m.elements[k] *= scale }
                return m
            }
            let ends = [first, last].map(scaled)
            let ranges = try ends.map { try DistanceHistogram(of: $0, bins: bins, using: &g).edges.last ?? 1 }
            let range = 0...max(ranges.max() ?? 1, 1e-9)
            let histograms = try ends.map { try DistanceHistogram(of: $0, labels: labels, bins: bins, range: range, using: &g) }
            var all = [Double]()
            for s in run.snapshots {
                all.append(InformationPlaneValue.Clustering.ratio(try DistanceHistogram(of: scaled(s), labels: labels, bins: 200, using: &g)))
            }
            var c = InformationPlaneValue.Clustering(layer: l + 1, epochs: [first.epoch, last.epoch], histograms: histograms)
            c.allEpochs = run.snapshots.map(\.epoch)
            c.allRatios = all
            result.append(c)
        }
        return result
    }
}
