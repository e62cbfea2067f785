/// The shape of a dense autoencoder: layer widths D → hidden… → d → hidden reversed… → D
/// and the activation after every layer.
public struct AutoencoderArchitecture: DenseLayerStack, Sendable, Hashable, Codable {
    /// Widths of every layer's output, preceded by the input width:
    /// `[D, h1, …, d, …, h1, D]`. Layer l maps `sizes[l]` to `sizes[l + 1]`.
    public let sizes: [Int]
    /// Activation after layer l, `sizes.count − 1` of them.
    public let activations: [Activation]
    /// Index of the layer whose output is the code (the encoder is layers 0...codeLayer).
    public let codeLayer: Int

    /// A mirrored autoencoder. `hidden` are the encoder's hidden widths from the input
    /// side (the decoder uses them reversed); `nil` picks `defaultHidden(for:code:)`.
    public init(inputDimension: Int, codeDimension: Int, hidden: [Int]? = nil,
                activation: Activation = .relu, codeActivation: Activation = .linear,
                outputActivation: Activation = .linear) throws {
        guard inputDimension >= 1 else { throw AutoencoderError.invalidConfiguration("the data has no columns") }
        guard codeDimension >= 1 else { throw AutoencoderError.invalidConfiguration("the code dimension must be at least 1, not \(codeDimension)") }
        let hidden = hidden ?? AutoencoderArchitecture.defaultHidden(for: inputDimension, code: codeDimension)
        if let bad = hidden.first(where: { $0 < 1 }) {
            throw AutoencoderError.invalidConfiguration("hidden layer widths must be at least 1, not \(bad)")
        }
        let encoder = [inputDimension] + hidden + [codeDimension]
        sizes = encoder + hidden.reversed() + [inputDimension]
        activations = Array(repeating: activation, count: hidden.count) + [codeActivation]
            + Array(repeating: activation, count: hidden.count) + [outputActivation]
        codeLayer = hidden.count
    }

    /// An architecture from explicit widths and activations (used when reading a saved model).
    init(sizes: [Int], activations: [Activation], codeLayer: Int) throws {
        guard sizes.count >= 2, activations.count == sizes.count - 1, (0..<activations.count).contains(codeLayer),
              sizes.allSatisfy({ (1...(1 << 24)).contains($0) }) else {
            throw AutoencoderError.malformedModel("inconsistent layer sizes \(sizes)")
        }
        self.sizes = sizes
        self.activations = activations
        self.codeLayer = codeLayer
    }

    /// Hidden widths sized to the data: 512-256 for image-sized inputs (D ≥ 512), else two
    /// layers of about 2·D and D (rounded up to a power of two, at least 32 and 16) so
    /// small inputs are not drowned in parameters — always at least the code width.
    public static func defaultHidden(for inputDimension: Int, code: Int) -> [Int] {
        if inputDimension >= 512 { return [512, max(256, code)] }
        var first = 32
        while first < 2 * inputDimension { first *= 2 }
        return [max(first, code), max(first / 2, code)]
    }

    /// Input width D.
    public var inputDimension: Int { sizes[0] }
    /// Code width d.
    public var codeDimension: Int { sizes[codeLayer + 1] }
    /// Number of dense layers.
    public var layerCount: Int { activations.count }
    /// Widest layer, including the input.
    var maxWidth: Int { sizes.max() ?? 0 }

    /// Floating-point operations of one training step per sample (forward 2·in·out per
    /// layer, backward 4·in·out except 2·in·out for the first layer, which needs no input
    /// gradient). Used by benchmarks to report GFLOP/s.
    public var trainingFlopsPerSample: Double {
        var flops = 0.0
        for l in 0..<layerCount {
            let product = Double(sizes[l] * sizes[l + 1])
            flops += 2 * product + (l == 0 ? 2 : 4) * product
        }
        return flops
    }

    /// "784-512-256-3-256-512-784".
    public var description: String { sizes.map(String.init).joined(separator: "-") }
}
