import Autoencoder
import Datasets
import Dimension
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
    /// The names of the `dimension` estimate's rule details, the library's rule names
    /// (`DimensionVerdict.RuleResult.Name`): the classic rules at the default gain threshold,
    /// and what a noisy-slope rule's name starts with. Readers (the README) look them up here.
    public static let classicRuleDetails = DimensionVerdict.RuleResult.Name.classic(gainThreshold: VerdictOptions().gainThreshold)
    public static let noisySlopeDetailPrefix = DimensionVerdict.RuleResult.Name.noisySlopePrefix

    public static let name = "entropy-curve"
    public static let summary = "H(d) sweep: autoencoder per code dimension → KDE entropy of the codes → dimension verdict"

    public static let parameters = Settings.parameters

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: .curve, doc: "H(d): KDE leave-one-out (median, spread) and Monte-Carlo"),
            ResultSlot("white", kind: .curve, doc: "H_white(d), the whitened entropy without ½·ln det Σ"),
            ResultSlot("bandwidth", kind: .curve, doc: "the LOO-ML bandwidth h*(d)"),
            ResultSlot("mse", kind: .curve, doc: "reconstruction MSE(d)"),
            ResultSlot("decomposition", kind: .curve, doc: "H(d), H_white(d) and ½·ln det Σ(d) on one axis"),
            ResultSlot("noisy", kind: .curve, doc: "h(standardised codes + σZ) per d on n, n/2 and n/4 codes (the noisy-slope rule's curve)"),
            ResultSlot("corrdim", kind: .curve, doc: "correlation dimension of the codes against d (with corrdim: true)"),
            ResultSlot("correlation-family", kind: .curve,
                       doc: "C(r) of the codes against r / r½ (r½: median pair distance), one series per d (median over seeds, band min–max), and the images' (with corrdim: true)"),
            ResultSlot("table", kind: .table, doc: "one row per d"),
            ResultSlot("rules", kind: .table, doc: "every rule's d with its seed spread, and the verdict row"),
            ResultSlot("verdict", kind: DimensionVerdictValue.kind, doc: "the verdict as numbers for {claim} and prose: dimension, candidate, true k, median curves"),
            ResultSlot("dimension", kind: .estimate, doc: "the verdict: the dimension, or NaN when not resolvable (details say why)"),
        ]
    }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("the dataset whose codes are measured", kinds: [.dataset]) var data: ResultID
        @Param("code dimensions d to sweep", 1...1024) var dims = Array(1...8)
        @Param("seeds per d (median and spread; quick mode: 1)", 1...50) var repeats = 3
        @Param("settings shared by every autoencoder") var autoencoder = AutoencoderSettings()
        @Param(BandwidthChoice.doc + " (on whitened codes)", type: BandwidthChoice.type) var bandwidth = BandwidthChoice()
        @Param("Monte-Carlo samples for the second estimate (0: none)", 0...1_000_000) var monteCarlo = 2000
        @Param("estimate entropies on at most this many codes (default: all)", 50...1_000_000) var sample: Int?
        @Param("also compute the correlation dimension of each code set") var corrdim = false
        @Param("the H_white gain rule's threshold, nats", 0.01...10) var gainThreshold = 0.5
        @Param("cross-checked (the calibrated default, notebooks/verdict-calibration.md): TwoNN of the data when some H(d) rule bends within ±1 of it; noisy-slope: the noisy-slope rule, stable on n/2 and n/4 codes; consensus: two of argmax H, H_white gain and MSE elbow")
        var verdict = VerdictOptions().policy
        @Param("σ of the noise added to the standardised codes for the noisy-slope rule", 1e-3...10)
        var noiseSigma = VerdictOptions().noiseSlope.sigma
        @Param("where the noisy-slope threshold τ sits between the noise increment (0) and a full coordinate's (1)", 0.01...0.99)
        var noisePosition = VerdictOptions().noiseSlope.position
        @Param("the true dimension, for reference lines (default: the dataset's, when known)", 1...100_000) var trueDimension: Int?
        @Param("the {corrdim} estimate of the images: its value and second scaling region drawn as lines on the corrdim figure, its C(r) in black on the C(r) family",
               kinds: [.estimate])
        var referenceCorrdim: ResultID?
        @Param("short name of the data in figure titles (default: the dataset's name)") var label: String?
    }

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        AutoencoderSettings.validate((try? arguments.decode(Settings.self))?.autoencoder, prefix: "autoencoder.")
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let (cell, settings, quickNotes) = try sweepSettings(arguments, run: context.settings, seed: context.seed)
        let data = try context.value(cell.data, as: Dataset.self)
        var warnings = quickNotes
        if let m = settings.entropySample, m < data.count {
            warnings.append("Entropies are estimated on \(m) of the \(data.count) codes.")
        }
        let units = EntropyCurveUnits(settings: settings)
        // Progress per epoch, as a share of the time the sweep is expected to take at the
        // epoch and estimate times measured so far (SweepProgress).
        var clock = SweepProgress(units: settings.dimensions.count * settings.repeats, epochsPerUnit: settings.training.epochs)
        var unit = ""
        let points = try EntropyCurveExperiment(settings: settings).run(
            on: data.points,
            train: { x, architecture, options in
                try units.model(architecture, options, data: x, context: context) { epoch in
                    clock.epochFinished(seconds: epoch.seconds)
                    context.progress(clock.fraction, "\(unit), epoch \(epoch.epoch)/\(settings.training.epochs), "
                                     + "\(formatNumber(clock.secondsPerEpoch ?? epoch.seconds, significantDigits: 2)) s/epoch")
                }
            },
            measure: { trained, d, r in
                context.progress(clock.fraction, "\(unit), estimates")
                defer { clock.unitFinished() }
                return try units.point(trained, d: d, repeatIndex: r, data: data.points, context: context) { clock.estimatesFinished(seconds: $0) }
            },
            progress: { fraction, message in
                unit = message
                context.progress(message == "done" ? 1 : clock.fraction, message)
            })

        let summary = CurveSummary(points: points)
        let options = VerdictOptions(policy: cell.verdict, gainThreshold: cell.gainThreshold,
                                     noiseSlope: NoiseSlopeRule(sigma: cell.noiseSigma, position: cell.noisePosition))
        // The cross-check's second reading: `auto` on the data itself (Gride's scale curve and
        // DANCo, see AutomaticDimension); "not resolvable" when the dimension has no plateau
        // across scales. TwoNN when the data is too small for the scale curve.
        var reading: Double?, readingLabel = "TwoNN of the data", unresolved: String?
        if options.policy == .crossChecked && data.count > 3 {
            if data.count > 65 {
                let auto = try AutomaticDimension(of: data.points, neighbors: try NearestNeighbors(of: data.points, k: 64),
                                                  seed: context.seed, workers: context.settings.threads)
                readingLabel = "auto (\(auto.method)) of the data"
                if auto.isResolved { reading = auto.dimension } else { unresolved = "the data's own dimension is not resolvable across scales. \(auto.note)" }
            } else {
                reading = try TwoNearestNeighborsDimension(neighbors: try NearestNeighbors(of: data.points, k: 2)).dimension
            }
        }
        let verdict = try DimensionVerdict(summary: summary, points: points, options: options, dataDimension: reading,
                                           dataDimensionLabel: readingLabel, unresolvedReason: unresolved)
        let trueK = cell.trueDimension ?? data.intrinsicDimension
        let label = cell.label ?? data.name
        let reference = try cell.referenceCorrdim.map { try CorrdimReference($0, context: context) }
        return try EntropyCurveReport(summary: summary, points: points, verdict: verdict, trueDimension: trueK,
                                      label: label, reference: reference, warnings: warnings).result()
    }

    /// The typed arguments and the sweep's settings, with the notes quick mode adds. Also
    /// what `workUnits` declares its units from, so the two cannot drift apart.
    static func sweepSettings(_ arguments: Arguments, run: RunSettings, seed: UInt64) throws
        -> (Settings, EntropyCurveExperiment.Settings, warnings: [String]) {
        var cell = try arguments.decode(Settings.self)
        var warnings = [String]()
        if let note = cell.autoencoder.applyQuickMode(run.quick) { warnings.append(note) }
        if run.quick && cell.repeats > 1 {
            warnings.append("Quick mode: 1 seed per d instead of \(cell.repeats).")
            cell.repeats = 1
        }
        let ae = cell.autoencoder
        var settings = EntropyCurveExperiment.Settings(
            dimensions: cell.dims.sorted(), repeats: cell.repeats, hidden: ae.hidden,
            activation: ae.activation, codeActivation: ae.codeActivation,
            training: ae.trainingOptions(threads: run.threads), bandwidth: cell.bandwidth.selection,
            monteCarloSamples: cell.monteCarlo > 0 ? cell.monteCarlo : nil,
            entropySample: cell.sample, correlationDimension: cell.corrdim,
            noisy: NoisyEntropySettings(sigmas: [cell.noiseSigma]), seed: seed)
        settings.outputActivation = ae.outputActivation
        return (cell, settings, warnings)
    }

    public static func workUnits(_ arguments: Arguments, settings: RunSettings, seed: UInt64) throws -> [WorkUnitDeclaration] {
        try EntropyCurveUnits(settings: sweepSettings(arguments, run: settings, seed: seed).1).declarations()
    }

    public static func computeWorkUnit(_ id: String, _ arguments: Arguments, context: CellContext) throws {
        let (cell, settings, _) = try sweepSettings(arguments, run: context.settings, seed: context.seed)
        try EntropyCurveUnits(settings: settings).compute(id, data: try context.value(cell.data, as: Dataset.self).points, context: context)
    }
}


/// A trained autoencoder with what its training reported, as the cache stores it.
public struct TrainedModelValue: CacheableValue {
    public static var kind: ValueKind { .model }
    public static var cacheTag: String { "trained-autoencoder" }
    public var trained: EntropyCurveExperiment.TrainedModel
    public init(_ trained: EntropyCurveExperiment.TrainedModel) { self.trained = trained }
    public var summary: String { trained.model.summary }
    public var record: JSONValue { trained.model.record }

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
