import Autoencoder
import Dimension
import Entropy
import Foundation
import Linalg

/// The H(d) experiment: for each code dimension d, train an autoencoder, encode every
/// input, and estimate the entropy of the codes by Gaussian KDE (leave-one-out, with the
/// leave-one-out maximum-likelihood bandwidth h*), optionally also by Monte-Carlo and the
/// correlation dimension of the codes; `repeats` seeds per d.
///
/// On a k-dimensional manifold each code dimension beyond k adds about ½·ln(2πe·h*²) to H,
/// which is negative only while h* < 1/√(2πe) ≈ 0.242 (whitened units): the kink in H(d) can
/// only show where the bandwidth is below that. `DimensionVerdict` turns the curves into a
/// verdict that says so.
public struct EntropyCurveExperiment: Sendable {
    public struct Settings: Sendable, Hashable {
        /// Code dimensions to sweep, ascending.
        public var dimensions: [Int]
        /// Seeds per d (the same seed set for every d: common random numbers make the
        /// curves comparable across d).
        public var repeats: Int
        /// Encoder hidden widths (nil: sized to the data).
        public var hidden: [Int]?
        public var activation: Activation
        public var codeActivation: Activation
        public var outputActivation: Activation = .linear
        public var training: TrainingOptions
        public var bandwidth: BandwidthSelection
        /// Also estimate H by Monte-Carlo with this many samples (nil: skip).
        public var monteCarloSamples: Int?
        /// Estimate entropies on at most this many codes (nil: all).
        public var entropySample: Int?
        /// Also compute the correlation dimension of each code set.
        public var correlationDimension: Bool
        /// Also estimate h(standardised codes + σZ) by sample propagation (nil: skip).
        public var noisy: NoisyEntropySettings?
        public var seed: UInt64

        public init(dimensions: [Int], repeats: Int = 3, hidden: [Int]? = nil, activation: Activation = .relu,
                    codeActivation: Activation = .linear, training: TrainingOptions = TrainingOptions(),
                    bandwidth: BandwidthSelection = .leaveOneOutML, monteCarloSamples: Int? = 2000,
                    entropySample: Int? = nil, correlationDimension: Bool = false,
                    noisy: NoisyEntropySettings? = nil, seed: UInt64 = 0) {
            self.dimensions = dimensions
            self.repeats = repeats
            self.hidden = hidden
            self.activation = activation
            self.codeActivation = codeActivation
            self.training = training
            self.bandwidth = bandwidth
            self.monteCarloSamples = monteCarloSamples
            self.entropySample = entropySample
            self.correlationDimension = correlationDimension
            self.noisy = noisy
            self.seed = seed
        }

        /// The seed of repeat `r` (shared by every d).
        public func seed(repeat r: Int) -> UInt64 {
            var g = SeededGenerator(seed: seed).derived("repeat-\(r)")
            return g.next()
        }
    }

    /// One (d, seed) point of the sweep.
    public struct Point: Sendable, Hashable, Codable {
        public var d: Int
        public var repeatIndex: Int
        /// KDE leave-one-out entropy of the codes, nats (with ½·ln det Σ).
        public var entropy: Double
        public var standardError: Double
        /// KDE Monte-Carlo entropy at the same bandwidth, nats.
        public var monteCarlo: Double?
        /// Whitened entropy without ½·ln det Σ (affine invariant).
        public var whitenedEntropy: Double
        /// ½·ln det Σ of the codes: entropy = whitenedEntropy + logDeterminant.
        public var logDeterminant: Double
        /// The bandwidth h* in whitened units.
        public var bandwidth: Double
        /// Reconstruction mean squared error over all inputs.
        public var reconstructionError: Double
        public var correlationDimension: Double?
        /// The correlation integral C(r) the correlation dimension was fitted on (with
        /// `correlationDimension`), for the family of C(r) curves.
        public var correlationIntegral: CorrelationCurve?
        /// h(standardised codes + σZ) per noise level and subsample (empty without `noisy`).
        public var noisy: [NoisyEntropy]
        public var trainingSeconds: Double
        /// Set when this point could not be estimated (degenerate codes, …); the numbers are NaN.
        public var failure: String?
    }

    /// A trained model and what training reported, as cached between runs.
    public struct TrainedModel: Sendable {
        public var model: Autoencoder
        public var finalValidationLoss: Double?
        public var seconds: Double
        public init(model: Autoencoder, finalValidationLoss: Double?, seconds: Double) {
            self.model = model
            self.finalValidationLoss = finalValidationLoss
            self.seconds = seconds
        }
    }

    public var settings: Settings
    public init(settings: Settings) { self.settings = settings }

    /// Runs the sweep on the rows of `data`. Cancellable: `Cancellation` is checked before
    /// every (d, seed) point and once more at the end (a point may have absorbed a
    /// cancelled estimate as a failure), and inside training and the kernel sums; a
    /// request throws `CancellationError`.
    /// - Parameters:
    ///   - train: called for every (d, repeat) with the data, architecture and options to
    ///     train; the default trains. A caller may return a cached model for the same request.
    ///   - measure: called with each trained model, d and the repeat index; the default is
    ///     `measure(_:data:d:repeatIndex:)`. A caller may return a cached point.
    ///   - progress: fraction done and a short message.
    public func run(on data: Matrix,
                    train: (Matrix, AutoencoderArchitecture, TrainingOptions) throws -> TrainedModel = EntropyCurveExperiment.train,
                    measure: ((TrainedModel, Int, Int) throws -> Point)? = nil,
                    progress: (Double, String) -> Void = { _, _ in }) throws -> [Point] {
        var points = [Point]()
        let total = Double(settings.dimensions.count * settings.repeats)
        for (di, d) in settings.dimensions.enumerated() {
            for r in 0..<settings.repeats {
                try Cancellation.checkpoint()
                let done = Double(di * settings.repeats + r)
                progress(done / total, "d = \(d), seed \(r + 1)/\(settings.repeats)")
                let trained = try train(data, try architecture(d: d, inputDimension: data.columns), trainingOptions(repeat: r))
                points.append(try measure?(trained, d, r) ?? self.measure(trained, data: data, d: d, repeatIndex: r))
            }
        }
        try Cancellation.checkpoint()
        progress(1, "done")
        return points
    }

    /// Trains one autoencoder (the default of `run`'s `train`).
    public static func train(_ trainingData: Matrix, _ architecture: AutoencoderArchitecture, _ options: TrainingOptions) throws -> TrainedModel {
        try train(trainingData, architecture, options, epochDone: { _ in })
    }

    /// `train`, calling `epochDone` after every epoch (the sweep's progress line measures epoch times with it).
    public static func train(_ trainingData: Matrix, _ architecture: AutoencoderArchitecture, _ options: TrainingOptions,
                             epochDone: (EpochLoss) -> Void) throws -> TrainedModel {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try Autoencoder.train(on: trainingData, architecture: architecture, options: options, progress: epochDone)
        return TrainedModel(model: result.model, finalValidationLoss: result.history.last?.validation,
                            seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// The autoencoder of code dimension `d` for inputs of `inputDimension` columns.
    public func architecture(d: Int, inputDimension: Int) throws -> AutoencoderArchitecture {
        try AutoencoderArchitecture(inputDimension: inputDimension, codeDimension: d, hidden: settings.hidden,
                                    activation: settings.activation, codeActivation: settings.codeActivation,
                                    outputActivation: settings.outputActivation)
    }

    /// The training options of repeat `r` (its seed is shared by every d).
    public func trainingOptions(repeat r: Int) -> TrainingOptions {
        var options = settings.training
        options.seed = settings.seed(repeat: r)
        return options
    }

    /// The (d, r) point of a trained model: reconstruction error, KDE entropies and, when
    /// `correlationDimension` (default: the settings'), the codes' correlation dimension.
    public func measure(_ trained: TrainedModel, data: Matrix, d: Int, repeatIndex r: Int,
                        correlationDimension: Bool? = nil) throws -> Point {
        let codes = try trained.model.encode(data)
        let mse = try trained.model.reconstructionError(data)
        let sample = entropySample(of: codes, repeatIndex: r)
        var point = Point(d: d, repeatIndex: r, entropy: .nan, standardError: .nan, monteCarlo: nil, whitenedEntropy: .nan,
                          logDeterminant: .nan, bandwidth: .nan, reconstructionError: mse, correlationDimension: nil,
                          correlationIntegral: nil, noisy: [], trainingSeconds: trained.seconds, failure: nil)
        do {
            let loo = try KernelEntropy(estimator: .leaveOneOut, bandwidth: settings.bandwidth).estimate(sample)
            point.entropy = loo.value
            point.standardError = loo.standardError
            point.whitenedEntropy = loo.whitenedEntropy
            point.logDeterminant = loo.logDeterminantTerm
            point.bandwidth = loo.bandwidth ?? .nan
            if let s = settings.monteCarloSamples, let h = loo.bandwidth {
                let g = SeededGenerator(seed: settings.seed(repeat: r)).derived("monte-carlo-d\(d)")
                point.monteCarlo = try KernelEntropy(estimator: .monteCarlo(samples: s, generator: g), bandwidth: .fixed(h))
                    .estimate(sample).value
            }
        } catch {
            point.failure = "d = \(d), seed \(r + 1): \(error)"
        }
        if let noisy = settings.noisy {
            do {
                point.noisy = try noisy.measure(codes, seed: settings.seed(repeat: r), d: d)
            } catch {
                point.failure = (point.failure.map { $0 + "; " } ?? "") + "d = \(d), seed \(r + 1), noisy entropy: \(error)"
            }
        }
        if correlationDimension ?? settings.correlationDimension {
            let fit = codeCorrelation(of: sample, d: d, repeatIndex: r)
            point.correlationDimension = fit.dimension
            point.correlationIntegral = fit.integral
        }
        return point
    }

    /// The correlation dimension of a trained model's codes (nil when it cannot be fitted)
    /// and the C(r) it was fitted on (nil when not even that could be counted): the same
    /// numbers `measure` puts into the point.
    public func codeCorrelation(_ trained: TrainedModel, data: Matrix, d: Int, repeatIndex r: Int) throws
        -> (dimension: Double?, integral: CorrelationCurve?) {
        codeCorrelation(of: entropySample(of: try trained.model.encode(data), repeatIndex: r), d: d, repeatIndex: r)
    }

    private func codeCorrelation(of sample: Matrix, d: Int, repeatIndex r: Int) -> (dimension: Double?, integral: CorrelationCurve?) {
        var g = SeededGenerator(seed: settings.seed(repeat: r)).derived("corrdim-d\(d)")
        guard let integral = try? Self.correlationIntegral(of: sample, using: &g) else { return (nil, nil) }
        let curve = CorrelationCurve(radii: integral.radii, values: integral.values)
        return ((try? CorrelationDimension(fitting: integral))?.dimension, curve)
    }

    /// The codes the entropies are estimated on: all, or `entropySample` of them drawn with
    /// the repeat's seed.
    private func entropySample(of codes: Matrix, repeatIndex r: Int) -> Matrix {
        guard let m = settings.entropySample, m < codes.rows else { return codes }
        var g = SeededGenerator(seed: settings.seed(repeat: r)).derived("entropy-sample")
        return codes.rows(at: g.permutation(codes.rows).prefix(m).sorted())
    }

    /// Correlation dimension with the automatic scaling region (nil-able by the caller).
    public static func correlationDimension(of x: Matrix, using generator: inout SeededGenerator) throws -> Double {
        try CorrelationDimension(fitting: correlationIntegral(of: x, using: &generator)).dimension
    }

    /// C(r) at 32 log-spaced radii over the automatic range, as `correlationDimension` fits it.
    static func correlationIntegral(of x: Matrix, using generator: inout SeededGenerator) throws -> CorrelationIntegral {
        let range = try CorrelationIntegral.automaticRange(of: x, using: &generator)
        return try CorrelationIntegral(of: x, radii: try CorrelationIntegral.logSpacedRadii(count: 32, in: range))
    }
}

/// Errors of the sweep itself (estimation failures are recorded per point instead).
public enum EntropyCurveError: Error, CustomStringConvertible, Equatable {
    case noData
    case invalid(String)
    public var description: String {
        switch self {
        case .noData: "the data set is empty"
        case .invalid(let m): m
        }
    }
}
