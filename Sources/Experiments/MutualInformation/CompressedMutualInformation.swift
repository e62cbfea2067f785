import Autoencoder
import Dispatch
import Linalg

/// I(X;Y) of high-dimensional X and Y through lossy compression (Butakov et al., "Information
/// Bottleneck Analysis of Deep Neural Networks via Lossy Compression", ICLR 2024): an
/// autoencoder per side compresses X to d′ₓ and Y to d′ᵧ columns, and a low-dimensional
/// estimator (KSG in the paper) reads I(codeₓ; codeᵧ).
///
/// Why it works and when it does not: I(f(X); g(Y)) ≤ I(X;Y) for any maps f, g (data
/// processing), with equality when the codes keep what X and Y share — as when X and Y are
/// noisy embeddings of latents of dimension ≤ d′. The estimate is therefore a lower bound up
/// to the code estimator's own error, tight only when the autoencoders reconstruct well; the
/// fraction of variance they leave unexplained is in `details` ("unexplainedX", "unexplainedY")
/// so a report can say when the compression lost too much.
public struct CompressedMutualInformation: Sendable {
    /// How to compress.
    public struct Settings: Sendable, Hashable, Codable {
        /// Code width d′ₓ for X (a side with at most this many columns is used as it is).
        public var xCodeDimension: Int = 4
        /// Code width d′ᵧ for Y.
        public var yCodeDimension: Int = 4
        /// Hidden widths of each encoder (mirrored in the decoder); nil picks
        /// `AutoencoderArchitecture.defaultHidden(for:code:)`.
        public var hidden: [Int]? = nil
        /// Activation of the hidden layers (the code and output layers are linear).
        public var activation: Activation = .relu
        /// Training of each autoencoder (its seed is replaced by one derived from `seed`).
        public var training = TrainingOptions(epochs: 30, batchSize: 128, validationFraction: 0)
        /// Standardise every column (z-scores) before compressing: MI is invariant to it and
        /// the reconstruction loss then weighs every column alike.
        public var standardize: Bool = true
        /// Seed of both autoencoders.
        public var seed: UInt64 = 0

        public init(xCodeDimension: Int = 4, yCodeDimension: Int = 4, hidden: [Int]? = nil, activation: Activation = .relu,
                    training: TrainingOptions = TrainingOptions(epochs: 30, batchSize: 128, validationFraction: 0),
                    standardize: Bool = true, seed: UInt64 = 0) {
            self.xCodeDimension = xCodeDimension
            self.yCodeDimension = yCodeDimension
            self.hidden = hidden
            self.activation = activation
            self.training = training
            self.standardize = standardize
            self.seed = seed
        }
    }

    /// One epoch of one side's autoencoder.
    public struct Progress: Sendable {
        /// "X" or "Y".
        public var side: String
        public var epoch: EpochLoss
    }

    public var settings: Settings

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// The codes of both sides and the estimate of I(codeₓ; codeᵧ) by `estimateCodes` (e.g.
    /// KSG), labelled "compressed (d′ = dx′, dy′) + `codeEstimator`". The interval is nil: the
    /// code estimator's interval does not cover the compression's loss, which only
    /// `details["unexplainedX"]`/`["unexplainedY"]` (the autoencoders' mean squared error per
    /// element over the standardised data's, 0 for an uncompressed side) can hint at.
    /// Deterministic for `settings.seed` and thread count; cancellable through the
    /// autoencoders' training (before every mini-batch). Cost: two autoencoder trainings,
    /// O(n · epochs · flops per sample), plus `estimateCodes` on n × (d′ₓ + d′ᵧ).
    /// - Throws: `NeuralEstimatorError.invalidConfiguration` for mismatched rows or non-finite
    ///   data, `AutoencoderError` from training, and whatever `estimateCodes` throws.
    public func estimate(x: Matrix, y: Matrix, codeEstimator: String = "KSG",
                         estimateCodes: (Matrix, Matrix) throws -> Double,
                         progress: (Progress) -> Void = { _ in }) throws -> MutualInformationEstimate {
        guard x.rows == y.rows else {
            throw NeuralEstimatorError.invalidConfiguration("X has \(x.rows) rows and Y \(y.rows); the rows must be paired")
        }
        guard x.isFinite, y.isFinite else { throw NeuralEstimatorError.invalidConfiguration("the data contain NaN or infinite values") }
        guard settings.xCodeDimension >= 1, settings.yCodeDimension >= 1 else {
            throw NeuralEstimatorError.invalidConfiguration("code dimensions must be at least 1, not \(settings.xCodeDimension) and \(settings.yCodeDimension)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let root = SeededGenerator(seed: settings.seed)
        let xCodes = try compress(x, to: settings.xCodeDimension, seed: root.derived("x-autoencoder").seed) {
            progress(Progress(side: "X", epoch: $0))
        }
        let yCodes = try compress(y, to: settings.yCodeDimension, seed: root.derived("y-autoencoder").seed) {
            progress(Progress(side: "Y", epoch: $0))
        }
        let value = try estimateCodes(xCodes.codes, yCodes.codes)
        let label = "compressed (d′ = \(xCodes.codes.columns), \(yCodes.codes.columns)) + \(codeEstimator)"
        return MutualInformationEstimate(estimator: label, value: value, details: [
            "xCodeDimension": Double(xCodes.codes.columns), "yCodeDimension": Double(yCodes.codes.columns),
            "unexplainedX": xCodes.unexplained, "unexplainedY": yCodes.unexplained,
            "seconds": Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
        ])
    }

    /// The (standardised) rows of `data` encoded to `d` columns by an autoencoder trained on
    /// them, or the rows themselves when they have at most `d` columns; with the fraction of
    /// the variance the autoencoder fails to reconstruct.
    func compress(_ data: Matrix, to d: Int, seed: UInt64, progress: (EpochLoss) -> Void) throws -> (codes: Matrix, unexplained: Double) {
        let input = settings.standardize ? standardised(data) : data
        guard data.columns > d else { return (input, 0) }
        var options = settings.training
        options.seed = seed
        let architecture = try AutoencoderArchitecture(inputDimension: data.columns, codeDimension: d, hidden: settings.hidden,
                                                       activation: settings.activation)
        let model = try Autoencoder.train(on: input, architecture: architecture, options: options, progress: progress).model
        let codes = try model.encode(input)
        let variance = input.covariance()
        var total = 0.0
        for j in 0..<input.columns { total += variance[j, j] }
        let mse = try model.reconstructionError(input)
        return (codes, total > 0 ? mse * Double(input.columns) / total : 0)
    }
}
