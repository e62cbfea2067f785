import Foundation
import Linalg

/// How to train a noisy classifier: Adam on shuffled mini-batches, the noise and dropout,
/// the held-out test rows and the epochs at which the layers are read out.
public struct ClassifierOptions: Sendable, Hashable, Codable {
    public var epochs: Int = 20
    public var batchSize: Int = 128
    /// Adam step size α (β1 = 0.9, β2 = 0.999, ε = 1e-8).
    public var learningRate: Double = 1e-3
    /// Decoupled weight decay λ (AdamW). 0 = off.
    public var weightDecay: Double = 0
    /// σ of the Gaussian noise added after every hidden layer (training and read-out).
    public var noise: Double = 0.1
    /// Probability of dropping a hidden unit in training (inverted dropout, after the noise). 0 = off.
    public var dropout: Double = 0
    /// Fraction of rows held out (at random) for test accuracy and loss.
    public var testFraction: Double = 0.2
    /// Hold the evaluation rows out of training: they are then the test rows (test accuracy
    /// and loss on them, `testFraction` unused), so the information plane's I(T;Y) on them is
    /// out of sample.
    public var holdOutEvaluation: Bool = false
    /// Epochs after which the hidden layers are read out on the evaluation rows; 0 is the
    /// initial network. Empty: none.
    public var snapshotEpochs: [Int] = []
    public var threads: Int = 2
    /// Seed of the initial weights, the split, the shuffles, the noise and the dropout masks.
    public var seed: UInt64 = 0

    public init(epochs: Int = 20, batchSize: Int = 128, learningRate: Double = 1e-3, weightDecay: Double = 0,
                noise: Double = 0.1, dropout: Double = 0, testFraction: Double = 0.2, snapshotEpochs: [Int] = [],
                threads: Int = 2, seed: UInt64 = 0) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.noise = noise
        self.dropout = dropout
        self.testFraction = testFraction
        self.snapshotEpochs = snapshotEpochs
        self.threads = threads
        self.seed = seed
    }

    /// `count` epochs from 0 to `epochs`, spaced evenly in log(1 + epoch): dense early (the
    /// fitting phase) and sparse late (where compression would show), duplicates removed.
    public static func logSpacedEpochs(_ count: Int, upTo epochs: Int) -> [Int] {
        guard count >= 2, epochs >= 1 else { return [epochs] }
        let top = log1p(Double(epochs))
        let raw = (0..<count).map { Int((expm1(top * Double($0) / Double(count - 1))).rounded()) }
        return Array(Set(raw.map { min(max($0, 0), epochs) })).sorted()
    }

    func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw ClassifierError.invalidConfiguration(message) }
        }
        try check(epochs >= 1, "epochs must be at least 1, not \(epochs)")
        try check(batchSize >= 1, "the batch size must be at least 1, not \(batchSize)")
        try check(learningRate > 0 && learningRate.isFinite, "the learning rate must be positive, not \(learningRate)")
        try check(weightDecay >= 0, "weight decay must not be negative")
        try check(noise >= 0 && noise.isFinite, "the noise σ must not be negative")
        try check((0..<1).contains(dropout), "dropout must lie in [0, 1), not \(dropout)")
        try check((0..<1).contains(testFraction), "the test fraction must lie in [0, 1), not \(testFraction)")
        try check(threads >= 1, "threads must be at least 1")
        try check(snapshotEpochs.allSatisfy { (0...epochs).contains($0) }, "snapshot epochs must lie in 0...\(epochs)")
    }
}



/// Accuracy and loss after one epoch.
public struct ClassifierEpoch: Sendable, Hashable, Codable {
    public var epoch: Int
    /// Mean cross-entropy (nats) of the mini-batches, noise and dropout included.
    public var trainingLoss: Double
    /// Accuracy and cross-entropy on the held-out rows, with the noise (nil without test rows).
    public var testAccuracy: Double?
    public var testLoss: Double?
    /// Training accuracy of the mini-batches as they were trained on.
    public var trainingAccuracy: Double
    public var seconds: Double
}

/// The network after one epoch: its parameters and the clean hidden outputs S_l of every
/// layer on the evaluation rows (what the read-out mode of the information plane needs; the
/// propagated mode runs the noisy network from the parameters).
public struct LayerSnapshot: Sendable {
    public var epoch: Int
    /// One matrix per hidden layer, rows = evaluation rows.
    public var layers: [Matrix]
    /// The classifier's parameters at this epoch (empty when not kept).
    public var parameters: [Float]
    public init(epoch: Int, layers: [Matrix], parameters: [Float] = []) {
        self.epoch = epoch
        self.layers = layers
        self.parameters = parameters
    }
}

/// A trained classifier with its history and snapshots.
public struct ClassifierResult: Sendable {
    public var model: NoisyClassifier
    public var history: [ClassifierEpoch]
    public var snapshots: [LayerSnapshot]
    public var trainingRows: [Int]
    public var testRows: [Int]
}
