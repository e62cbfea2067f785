import Autoencoder
import EntropyCurve
import Foundation
import Linalg
import Notebook

/// The units of work of `{entropy-curve}`: per (d, seed) one autoencoder, then the entropy
/// estimates of its codes (KDE leave-one-out, Monte-Carlo, reconstruction error) and, with
/// `corrdim: true`, their correlation dimension — each cached on its own through
/// `CellContext.memoized`, so a cluster node can compute any one of them and the cell is
/// assembled from the cache. The parts that name a unit are its settings only: the data
/// it reads is in the cell's input key, which scopes every memo key.
struct EntropyCurveUnits {
    var settings: EntropyCurveExperiment.Settings
    var experiment: EntropyCurveExperiment { EntropyCurveExperiment(settings: settings) }

    /// Autoencoders first; the estimates of each read its model.
    func declarations() throws -> [WorkUnitDeclaration] {
        var out = [WorkUnitDeclaration]()
        for d in settings.dimensions {
            for r in 0..<settings.repeats {
                let model = modelID(d: d, r: r)
                out.append(WorkUnitDeclaration(id: model, parts: try modelParts(d: d, options: experiment.trainingOptions(repeat: r))))
                out.append(WorkUnitDeclaration(id: "entropy d=\(d) seed=\(r + 1)", parts: try entropyParts(d: d, r: r), after: [model]))
                if settings.correlationDimension {
                    out.append(WorkUnitDeclaration(id: "corrdim d=\(d) seed=\(r + 1)", parts: try corrdimParts(d: d, r: r), after: [model]))
                }
            }
        }
        return out
    }

    private func modelID(d: Int, r: Int) -> String { "autoencoder d=\(d) seed=\(r + 1)" }

    /// Computes the declared unit `id` into the cache.
    func compute(_ id: String, data: Matrix, context: CellContext) throws {
        for d in settings.dimensions {
            for r in 0..<settings.repeats where id.hasSuffix(" d=\(d) seed=\(r + 1)") {
                let architecture = try experiment.architecture(d: d, inputDimension: data.columns)
                let trained = try model(architecture, experiment.trainingOptions(repeat: r), data: data, context: context)
                switch id {
                case modelID(d: d, r: r): return
                case "entropy d=\(d) seed=\(r + 1)": _ = try entropyPoint(trained, d: d, r: r, data: data, context: context)
                case "corrdim d=\(d) seed=\(r + 1)": _ = try codeCorrelation(trained, d: d, r: r, data: data, context: context)
                default: break
                }
                return
            }
        }
        throw CellError("{entropy-curve} has no unit of work `\(id)`")
    }

    // MARK: The memoized pieces (the cell's `run` and the units share them)

    /// The (d, seed) autoencoder, from the cache or trained; `epochDone` hears each epoch
    /// trained (none on a cache hit).
    func model(_ architecture: AutoencoderArchitecture, _ options: TrainingOptions, data: Matrix,
               context: CellContext, epochDone: (EpochLoss) -> Void = { _ in }) throws -> EntropyCurveExperiment.TrainedModel {
        let d = architecture.sizes[architecture.codeLayer + 1]
        return try context.memoized(try modelParts(d: d, options: options)) {
            TrainedModelValue(try EntropyCurveExperiment.train(data, architecture, options, epochDone: epochDone))
        }.trained
    }

    /// The (d, r) point: the entropy unit, with the corrdim unit's numbers when asked for.
    /// `computed` hears the seconds of the estimates actually computed (nothing on cache hits).
    func point(_ trained: EntropyCurveExperiment.TrainedModel, d: Int, repeatIndex r: Int, data: Matrix,
               context: CellContext, computed: (Double) -> Void = { _ in }) throws -> EntropyCurveExperiment.Point {
        var point = try entropyPoint(trained, d: d, r: r, data: data, context: context, computed: computed)
        if settings.correlationDimension {
            let correlation = try codeCorrelation(trained, d: d, r: r, data: data, context: context, computed: computed)
            point.correlationDimension = correlation.dimension
            point.correlationIntegral = correlation.integral
        }
        return point
    }

    private func entropyPoint(_ trained: EntropyCurveExperiment.TrainedModel, d: Int, r: Int, data: Matrix,
                              context: CellContext, computed: (Double) -> Void = { _ in }) throws -> EntropyCurveExperiment.Point {
        try context.memoized(try entropyParts(d: d, r: r)) {
            let start = DispatchTime.now().uptimeNanoseconds
            let point = try experiment.measure(trained, data: data, d: d, repeatIndex: r, correlationDimension: false)
            // An estimate stopped by an interrupt is recorded as a failed point: never cache it.
            try Cancellation.checkpoint()
            computed(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            return SweepPointValue(point: point)
        }.point
    }

    private func codeCorrelation(_ trained: EntropyCurveExperiment.TrainedModel, d: Int, r: Int, data: Matrix,
                                 context: CellContext, computed: (Double) -> Void = { _ in }) throws -> CodeCorrelationValue {
        try context.memoized(try corrdimParts(d: d, r: r)) {
            let start = DispatchTime.now().uptimeNanoseconds
            let (dimension, integral) = try experiment.codeCorrelation(trained, data: data, d: d, repeatIndex: r)
            try Cancellation.checkpoint()
            computed(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            return CodeCorrelationValue(dimension: dimension, integral: integral)
        }
    }

    // MARK: Keys

    /// Everything that changes a sweep's autoencoder besides the data (in the cell's input
    /// key): code dimension, architecture settings and every training option (threads too:
    /// BLAS sums differ).
    private struct ModelKey: Encodable {
        var d: Int
        var hidden: [Int]?
        var activation: Activation
        var codeActivation: Activation
        var outputActivation: Activation
        var options: TrainingOptions
    }

    /// A model's key and the settings of the estimates made on its codes.
    private struct EstimateKey: Encodable {
        var model: ModelKey
        var bandwidth: String
        var monteCarlo: Int?
        var sample: Int?
    }

    private func modelKey(d: Int, options: TrainingOptions) -> ModelKey {
        ModelKey(d: d, hidden: settings.hidden, activation: settings.activation, codeActivation: settings.codeActivation,
                 outputActivation: settings.outputActivation, options: options)
    }

    private func modelParts(d: Int, options: TrainingOptions) throws -> [String] {
        try Self.parts("entropy-curve autoencoder", modelKey(d: d, options: options))
    }

    private func entropyParts(d: Int, r: Int) throws -> [String] {
        try Self.parts("entropy-curve entropy", EstimateKey(model: modelKey(d: d, options: experiment.trainingOptions(repeat: r)),
                                                            bandwidth: "\(settings.bandwidth)", monteCarlo: settings.monteCarloSamples,
                                                            sample: settings.entropySample))
    }

    private func corrdimParts(d: Int, r: Int) throws -> [String] {
        // "-integral": the cached value holds C(r) too since the family figure (older entries hold only the number).
        try Self.parts("entropy-curve corrdim-integral", EstimateKey(model: modelKey(d: d, options: experiment.trainingOptions(repeat: r)),
                                                            bandwidth: "", monteCarlo: nil, sample: settings.entropySample))
    }

    /// `what` and the key's JSON (sorted keys), as `CellContext.memoized(_:key:)` makes them.
    private static func parts<K: Encodable>(_ what: String, _ key: K) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [what, String(decoding: try encoder.encode(key), as: UTF8.self)]
    }
}

/// One measured (d, seed) point of a sweep, as the cache stores it (JSON that keeps NaN).
struct SweepPointValue: CacheableValue {
    static var kind: ValueKind { "sweep-point" }
    static var cacheTag: String { "entropy-curve-point" }
    var point: EntropyCurveExperiment.Point
    var summary: String { "d = \(point.d), seed \(point.repeatIndex + 1): H = \(point.entropy)" }

    func encode(to writer: inout ByteWriter) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        writer.write(blob: Array(try encoder.encode(point)))
    }
    static func decode(from reader: inout ByteReader) throws -> SweepPointValue {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return SweepPointValue(point: try decoder.decode(EntropyCurveExperiment.Point.self, from: Data(try reader.readBlob())))
    }
}

/// The correlation dimension of one (d, seed) code set (nil when it could not be fitted)
/// and the C(r) it was fitted on (nil when not even that could be counted), as the cache
/// stores them (JSON).
struct CodeCorrelationValue: CacheableValue {
    static var kind: ValueKind { "sweep-corrdim" }
    static var cacheTag: String { "entropy-curve-corrdim-integral" }
    var dimension: Double?
    var integral: CorrelationCurve?
    var summary: String { dimension.map { "corrdim \($0)" } ?? "corrdim: none" }

    private struct Stored: Codable {
        var dimension: Double?
        var integral: CorrelationCurve?
    }

    func encode(to writer: inout ByteWriter) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        writer.write(blob: Array(try encoder.encode(Stored(dimension: dimension, integral: integral))))
    }
    static func decode(from reader: inout ByteReader) throws -> CodeCorrelationValue {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let stored = try decoder.decode(Stored.self, from: Data(try reader.readBlob()))
        return CodeCorrelationValue(dimension: stored.dimension, integral: stored.integral)
    }
}
