import Autoencoder
import Datasets
import Entropy
import EntropyCurve
import Foundation
import Linalg
import Notebook
import Plot

/// `{entropy-curve}` — the H(d) sweep: an autoencoder per code dimension d, the KDE entropy
/// of its codes, and a dimension verdict that says when the kink cannot be resolved. A thin
/// adapter over `EntropyCurveExperiment` and `DimensionVerdict`; autoencoders are memoized
/// in the cache per (data, architecture, training settings, seed), so changing only the
/// entropy settings re-uses them.
public enum EntropyCurveDirective: Directive {
    public static let name = "entropy-curve"
    public static let summary = "H(d) sweep: autoencoder per code dimension → KDE entropy of the codes → dimension verdict"

    static let activations = Activation.allCases.map(\.rawValue)
    static let autoencoderParameters: [Parameter] = [
        Parameter("hidden", .intList(1...65_536), doc: "encoder hidden widths (default: sized to the data)"),
        Parameter("activation", .choice(activations), default: .string("relu"), doc: "hidden activation"),
        Parameter("code-activation", .choice(["linear", "sigmoid"]), default: .string("linear"), doc: "code layer activation"),
        Parameter("epochs", .int(1...100_000), default: .int(30), doc: "epochs per autoencoder (quick mode: at most 5)"),
        Parameter("batch", .int(1...65_536), default: .int(128), doc: "mini-batch rows"),
        Parameter("lr", .double(1e-9...10), default: .double(1e-3), doc: "Adam learning rate"),
        Parameter("noise", .double(0...1e6), default: .double(0), doc: "Gaussian input noise σ"),
        Parameter("validation", .double(0...0.9), default: .double(0.1), doc: "validation fraction"),
    ]

    public static let parameters: [Parameter] = [
        Parameter("data", .reference([.dataset]), required: true, doc: "the dataset whose codes are measured"),
        Parameter("dims", .intList(1...1024), default: .list((1...8).map(ParameterValue.int)), doc: "code dimensions d to sweep"),
        Parameter("repeats", .int(1...50), default: .int(3), doc: "seeds per d (median and spread; quick mode: 1)"),
        Parameter("autoencoder", .object(autoencoderParameters), doc: "settings shared by every autoencoder"),
        Parameter("bandwidth", .choiceOrNumber(["loo-ml", "scott", "silverman"], 1e-6...1e3), default: .string("loo-ml"),
                  doc: "KDE bandwidth on whitened codes: leave-one-out maximum likelihood, a rule, or a number"),
        Parameter("monte-carlo", .int(0...1_000_000), default: .int(2000), doc: "Monte-Carlo samples for the second estimate (0: none)"),
        Parameter("sample", .int(50...1_000_000), doc: "estimate entropies on at most this many codes (default: all)"),
        Parameter("corrdim", .bool, default: .bool(false), doc: "also compute the correlation dimension of each code set"),
        Parameter("gain-threshold", .double(0.01...10), default: .double(0.5), doc: "the H_white gain rule's threshold, nats"),
        Parameter("true-dimension", .int(1...100_000), doc: "the true dimension, for reference lines (default: the dataset's, when known)"),
        Parameter("reference-corrdim", .reference([.estimate]), doc: "an estimate (e.g. the images' correlation dimension) drawn as a line on the corrdim figure"),
        Parameter("label", .string, doc: "short name of the data in figure titles (default: the dataset's name)"),
    ]

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: .curve, doc: "H(d): KDE leave-one-out (median, spread) and Monte-Carlo"),
            ResultSlot("white", kind: .curve, doc: "H_white(d), the whitened entropy without ½·ln det Σ"),
            ResultSlot("bandwidth", kind: .curve, doc: "the LOO-ML bandwidth h*(d)"),
            ResultSlot("mse", kind: .curve, doc: "reconstruction MSE(d)"),
            ResultSlot("corrdim", kind: .curve, doc: "correlation dimension of the codes against d (with corrdim: true)"),
            ResultSlot("table", kind: .table, doc: "one row per d"),
            ResultSlot("verdict", kind: .table, doc: "every rule's d with its seed spread"),
            ResultSlot("dimension", kind: .estimate, doc: "the verdict: the dimension, or NaN when not resolvable (details say why)"),
        ]
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let data = try context.value(of: "data", as: Dataset.self)
        var (settings, warnings) = try sweepSettings(arguments, run: context.settings, seed: context.seed)
        if let m = settings.entropySample, m < data.count {
            warnings.append("Entropies are estimated on \(m) of the \(data.count) codes.")
        }
        let units = EntropyCurveUnits(settings: settings)
        let points = try EntropyCurveExperiment(settings: settings).run(
            on: data.points,
            train: { x, architecture, options in try units.model(architecture, options, data: x, context: context) },
            measure: { trained, d, r in try units.point(trained, d: d, repeatIndex: r, data: data.points, context: context) },
            progress: { fraction, message in context.progress(fraction, message) })

        let summary = CurveSummary(points: points)
        let verdict = try DimensionVerdict(summary: summary, points: points, gainThreshold: try arguments.double("gain-threshold"))
        let trueK = try arguments.optionalInt("true-dimension") ?? data.intrinsicDimension
        let label = try arguments.optionalString("label") ?? data.name
        let referenceCorrdim = arguments.has("reference-corrdim") ? try context.value(of: "reference-corrdim", as: EstimateValue.self) : nil
        return try EntropyCurveReport(summary: summary, points: points, verdict: verdict, trueDimension: trueK,
                                      label: label, referenceCorrdim: referenceCorrdim, warnings: warnings).result()
    }

    /// The sweep's settings from the arguments, with the notes quick mode adds. Also what
    /// `workUnits` declares its units from, so the two cannot drift apart.
    static func sweepSettings(_ arguments: Arguments, run: RunSettings, seed: UInt64) throws
        -> (EntropyCurveExperiment.Settings, warnings: [String]) {
        let ae = try arguments.object("autoencoder")
        var warnings = [String]()
        var repeats = try arguments.int("repeats")
        var training = TrainingOptions(epochs: try ae.int("epochs"), batchSize: try ae.int("batch"),
                                       learningRate: try ae.double("lr"), inputNoise: try ae.double("noise"),
                                       validationFraction: try ae.double("validation"), threads: run.threads)
        if run.quick {
            if training.epochs > 5 { warnings.append("Quick mode: 5 epochs instead of \(training.epochs)."); training.epochs = 5 }
            if repeats > 1 { warnings.append("Quick mode: 1 seed per d instead of \(repeats)."); repeats = 1 }
        }
        let bandwidth: BandwidthSelection
        switch arguments.values["bandwidth"] {
        case .string("scott")?: bandwidth = .scott
        case .string("silverman")?: bandwidth = .silverman
        case .double(let h)?: bandwidth = .fixed(h)
        default: bandwidth = .leaveOneOutML
        }
        func activation(_ key: String) throws -> Activation {
            guard let a = Activation(rawValue: try ae.string(key)) else { throw ParameterError("autoencoder.\(key)", "unknown activation") }
            return a
        }
        let monteCarlo = try arguments.int("monte-carlo")
        let settings = EntropyCurveExperiment.Settings(
            dimensions: try arguments.ints("dims").sorted(), repeats: repeats,
            hidden: ae.has("hidden") ? try ae.ints("hidden") : nil,
            activation: try activation("activation"), codeActivation: try activation("code-activation"),
            training: training, bandwidth: bandwidth, monteCarloSamples: monteCarlo > 0 ? monteCarlo : nil,
            entropySample: try arguments.optionalInt("sample"), correlationDimension: try arguments.bool("corrdim"),
            seed: seed)
        return (settings, warnings)
    }

    public static func workUnits(_ arguments: Arguments, settings: RunSettings, seed: UInt64) throws -> [WorkUnitDeclaration] {
        EntropyCurveUnits(settings: try sweepSettings(arguments, run: settings, seed: seed).0).declarations
    }

    public static func computeWorkUnit(_ id: String, _ arguments: Arguments, context: CellContext) throws {
        let data = try context.value(of: "data", as: Dataset.self)
        let units = EntropyCurveUnits(settings: try sweepSettings(arguments, run: context.settings, seed: context.seed).0)
        try units.compute(id, data: data.points, context: context)
    }

    /// The training settings that change the model (threads do too: BLAS sums differ).
    static func trainingKey(_ o: TrainingOptions) -> String {
        "epochs=\(o.epochs) batch=\(o.batchSize) lr=\(o.learningRate) b1=\(o.beta1) b2=\(o.beta2) eps=\(o.epsilon) "
            + "wd=\(o.weightDecay) noise=\(o.inputNoise) val=\(o.validationFraction) patience=\(o.earlyStoppingPatience ?? 0) "
            + "threads=\(o.threads) split=\(o.splitProducts) seed=\(o.seed)"
    }
}

/// A trained autoencoder with what its training reported, as the cache stores it.
public struct TrainedModelValue: CacheableValue {
    public static var kind: ValueKind { .model }
    public static var cacheTag: String { "trained-autoencoder" }
    public var trained: EntropyCurveExperiment.TrainedModel
    public init(_ trained: EntropyCurveExperiment.TrainedModel) { self.trained = trained }
    public var summary: String { trained.model.summary }

    public func encode(to writer: inout ByteWriter) throws {
        writer.write(blob: trained.model.serialized())
        writer.write(trained.finalValidationLoss ?? .nan)
        writer.write(trained.seconds)
    }
    public static func decode(from reader: inout ByteReader) throws -> TrainedModelValue {
        let model = try Autoencoder(bytes: try reader.readBlob())
        let loss = try reader.readDouble()
        return TrainedModelValue(.init(model: model, finalValidationLoss: loss.isNaN ? nil : loss, seconds: try reader.readDouble()))
    }
}
