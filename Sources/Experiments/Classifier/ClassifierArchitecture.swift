import Autoencoder

/// The shape of a dense classifier: input width D → hidden widths… → C classes. Every hidden
/// layer has its activation followed by additive Gaussian noise (see `NoisyClassifier`); the
/// last layer is linear and feeds a softmax.
///
/// The parameters are laid out as the autoencoder's: layer by layer, weights (in×out,
/// row-major, so a layer computes X·W) then biases.
public struct ClassifierArchitecture: DenseLayerStack, Sendable, Hashable, Codable {
    /// `[D, h1, …, hL, C]`: layer l maps `sizes[l]` to `sizes[l + 1]`.
    public let sizes: [Int]
    /// Activation of each hidden layer (`sizes.count − 2` of them).
    public let activations: [Activation]

    /// - Throws: `ClassifierError.invalidConfiguration` for a width below 1, fewer than two
    ///   classes, or an activation count that is neither 1 nor the hidden layer count.
    public init(inputDimension: Int, hidden: [Int], classes: Int, activations: [Activation]) throws {
        guard inputDimension >= 1 else { throw ClassifierError.invalidConfiguration("the data has no columns") }
        guard classes >= 2 else { throw ClassifierError.invalidConfiguration("a classifier needs at least 2 classes, not \(classes)") }
        if let bad = hidden.first(where: { $0 < 1 }) {
            throw ClassifierError.invalidConfiguration("hidden layer widths must be at least 1, not \(bad)")
        }
        guard activations.count == hidden.count || activations.count == 1 else {
            throw ClassifierError.invalidConfiguration("give one activation or one per hidden layer (\(hidden.count)), not \(activations.count)")
        }
        sizes = [inputDimension] + hidden + [classes]
        self.activations = activations.count == hidden.count ? activations : Array(repeating: activations[0], count: hidden.count)
    }

    public var inputDimension: Int { sizes[0] }
    public var classes: Int { sizes[sizes.count - 1] }
    /// Number of dense layers (hidden ones and the output).
    public var layerCount: Int { sizes.count - 1 }
    /// Number of hidden layers, the ones whose (noisy) outputs are read out.
    public var hiddenCount: Int { sizes.count - 2 }
    public var hiddenWidths: [Int] { Array(sizes.dropFirst().dropLast()) }

    /// Activation after layer l: the hidden one, linear for the output (softmax is in the loss).
    func activation(_ l: Int) -> Activation { l < hiddenCount ? activations[l] : .linear }

    /// Flops of one training step per sample (forward 2·in·out, backward 4·in·out except
    /// 2·in·out for the first layer), for GFLOP/s in the benchmark.
    public var trainingFlopsPerSample: Double {
        (0..<layerCount).reduce(0) { sum, l in
            sum + Double(sizes[l] * sizes[l + 1]) * (l == 0 ? 4 : 6)
        }
    }

    /// "784-256-128-64-10".
    public var description: String { sizes.map(String.init).joined(separator: "-") }
}

/// Errors of classifier training.
public enum ClassifierError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(String)
    case nonFiniteLoss(epoch: Int, batch: Int)
    case dimensionMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): m
        case .nonFiniteLoss(let epoch, let batch):
            "the training loss became NaN or infinite in epoch \(epoch), mini-batch \(batch); lower `lr` or the noise"
        case .dimensionMismatch(let expected, let got): "the classifier takes \(expected) columns, the data has \(got)"
        }
    }
}
