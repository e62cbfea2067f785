/// How to train an autoencoder: optimiser (Adam), mini-batches, noise, validation and
/// early stopping. Defaults follow common practice for MLP autoencoders.
public struct TrainingOptions: Sendable, Hashable, Codable {
    /// Passes over the training rows.
    public var epochs: Int = 20
    /// Rows per mini-batch.
    public var batchSize: Int = 128
    /// Adam step size α.
    public var learningRate: Double = 1e-3
    /// Adam decay of the first moment.
    public var beta1: Double = 0.9
    /// Adam decay of the second moment.
    public var beta2: Double = 0.999
    /// Adam ε, added to √v̂.
    public var epsilon: Double = 1e-8
    /// Decoupled weight decay λ (AdamW): each step shrinks every parameter by lr·λ. 0 = off.
    public var weightDecay: Double = 0
    /// Standard deviation of Gaussian noise added to the inputs (not the targets) of each
    /// mini-batch: a denoising autoencoder. 0 = off.
    public var inputNoise: Double = 0
    /// Fraction of rows held out (at random) for the validation loss. 0 = none.
    public var validationFraction: Double = 0.1
    /// Stop when the validation loss (the training loss without a validation split) has
    /// not improved for this many epochs, and keep the best weights. nil = never stop early.
    public var earlyStoppingPatience: Int? = nil
    /// Threads for training.
    public var threads: Int = 2
    /// With `threads > 1`: split each mini-batch's rows among the threads, each running
    /// its forward and backward pass with single-threaded OpenBLAS (data parallelism, two
    /// waits per mini-batch), instead of letting OpenBLAS thread each product. About the
    /// same speed on an idle machine (`entropybook bench autoencoder` measures both), far
    /// less slowdown when another process holds a core: OpenBLAS's threads busy-wait for
    /// each other inside every call.
    public var splitProducts: Bool = true
    /// Seed of the initial weights, the validation split, the shuffles and the noise.
    public var seed: UInt64 = 0

    public init(epochs: Int = 20, batchSize: Int = 128, learningRate: Double = 1e-3,
                weightDecay: Double = 0, inputNoise: Double = 0, validationFraction: Double = 0.1,
                earlyStoppingPatience: Int? = nil, threads: Int = 2, seed: UInt64 = 0) {
        self.threads = threads
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.inputNoise = inputNoise
        self.validationFraction = validationFraction
        self.earlyStoppingPatience = earlyStoppingPatience
        self.seed = seed
    }

    func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw AutoencoderError.invalidConfiguration(message) }
        }
        try check(epochs >= 1, "epochs must be at least 1, not \(epochs)")
        try check(batchSize >= 1, "the batch size must be at least 1, not \(batchSize)")
        try check(learningRate > 0 && learningRate.isFinite, "the learning rate must be positive, not \(learningRate)")
        try check((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam's β1 and β2 must lie in [0, 1)")
        try check(epsilon > 0, "Adam's ε must be positive")
        try check(weightDecay >= 0, "weight decay must not be negative")
        try check(inputNoise >= 0, "input noise must not be negative")
        try check((0..<1).contains(validationFraction), "the validation fraction must lie in [0, 1), not \(validationFraction)")
        try check(threads >= 1, "threads must be at least 1, not \(threads)")
        try check((earlyStoppingPatience ?? 1) >= 1, "early-stopping patience must be at least 1 epoch")
    }
}

/// The losses after one epoch (mean squared error per element).
public struct EpochLoss: Sendable, Hashable, Codable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean of the mini-batch losses over the epoch, weighted by rows (with input noise,
    /// against the clean targets).
    public var training: Double
    /// Loss on the held-out rows after the epoch, without noise; nil without a split.
    public var validation: Double?
    /// Wall-clock seconds of the epoch, validation included.
    public var seconds: Double

    public init(epoch: Int, training: Double, validation: Double?, seconds: Double) {
        self.epoch = epoch
        self.training = training
        self.validation = validation
        self.seconds = seconds
    }
}

/// A trained autoencoder and how its training went.
public struct TrainingResult: Sendable {
    /// The model (with early stopping: the weights of the best epoch).
    public var model: Autoencoder
    /// One entry per epoch run.
    public var history: [EpochLoss]
    /// The epoch whose weights `model` holds.
    public var bestEpoch: Int
    /// True when early stopping ended training before `epochs`.
    public var stoppedEarly: Bool
    /// Rows used for training and for validation.
    public var trainingRows: Int
    public var validationRows: Int
}
