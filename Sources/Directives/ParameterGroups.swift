import Autoencoder
import Entropy
import Foundation
import Notebook

/// Parameters that more than one directive accepts, declared once: the words, ranges,
/// defaults and docs here are the only copy, and each group decodes into one typed struct.

/// The settings of one autoencoder: `{autoencoder}` takes them at the top level,
/// `{entropy-curve}` under `autoencoder:` for every autoencoder of its sweep.
struct AutoencoderSettings: Decodable, Sendable, Hashable {
    /// Epochs in quick mode (drafts and tests).
    static let quickEpochs = 5

    static let parameters: [Parameter] = [
        Parameter("hidden", .intList(1...65_536),
                  doc: "encoder hidden widths from the input side, mirrored in the decoder (default: [512, 256] for D ≥ 512, else about [2D, D])"),
        Parameter("activation", .words(Activation.self), default: .string("relu"), doc: "activation of the hidden layers"),
        Parameter("code-activation", .choice([Activation.linear.rawValue, Activation.sigmoid.rawValue]),
                  default: .string("linear"), doc: "activation of the code layer"),
        Parameter("output-activation", .words(Activation.self), default: .string("linear"),
                  doc: "activation of the output layer (sigmoid suits data in [0, 1])"),
        Parameter("epochs", .int(1...100_000), default: .int(20), doc: "passes over the training rows (quick mode: at most \(quickEpochs))"),
        Parameter("batch", .int(1...65_536), default: .int(128), doc: "rows per mini-batch"),
        Parameter("lr", .double(1e-9...10), default: .double(1e-3), doc: "Adam learning rate"),
        Parameter("noise", .double(0...1e6), default: .double(0),
                  doc: "standard deviation of Gaussian noise added to the inputs (a denoising autoencoder)"),
        Parameter("weight-decay", .double(0...10), default: .double(0), doc: "decoupled weight decay λ (AdamW)"),
        Parameter("validation", .double(0...0.9), default: .double(0.1), doc: "fraction of rows held out for the validation loss"),
        Parameter("patience", .int(1...100_000),
                  doc: "early stopping: stop after this many epochs without a better validation loss, keep the best weights"),
    ]

    var hidden: [Int]?
    var activation: Activation
    var codeActivation: Activation
    var outputActivation: Activation
    var epochs: Int
    var batch: Int
    var lr: Double
    var noise: Double
    var weightDecay: Double
    var validation: Double
    var patience: Int?

    /// Checks across keys; `prefix` is where the group sits (`autoencoder.` or nothing) in
    /// `arguments`, `group` the group as decoded.
    static func validate(_ group: Self?, in arguments: Arguments, prefix: String = "") -> [ParameterError] {
        if arguments.isExplicit(prefix + "patience"), group?.validation == 0 {
            return [ParameterError(prefix + "patience",
                                   "early stopping watches the validation loss; set `validation` above 0 or drop `patience`")]
        }
        return []
    }

    /// Quick mode caps the epochs; returns the note saying so, if it did.
    mutating func applyQuickMode(_ quick: Bool) -> String? {
        guard quick, epochs > Self.quickEpochs else { return nil }
        defer { epochs = Self.quickEpochs }
        return "Quick mode: \(Self.quickEpochs) epochs instead of \(epochs)."
    }

    func trainingOptions(threads: Int, seed: UInt64 = 0) -> TrainingOptions {
        TrainingOptions(epochs: epochs, batchSize: batch, learningRate: lr, weightDecay: weightDecay,
                        inputNoise: noise, validationFraction: validation, earlyStoppingPatience: patience,
                        threads: threads, seed: seed)
    }
}

/// A KDE bandwidth parameter: a selection rule's word or a fixed h.
struct BandwidthChoice: Decodable, Sendable, Hashable {
    static let words = ["loo-ml", "scott", "silverman"]
    static let type = ParameterType.choiceOrNumber(words, 1e-6...1e6)
    static let doc = "KDE bandwidth: leave-one-out maximum likelihood, Scott's or Silverman's rule, or a number"

    var selection: BandwidthSelection

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let h = try? container.decode(Double.self) {
            selection = .fixed(h)
            return
        }
        switch try container.decode(String.self) {
        case "scott": selection = .scott
        case "silverman": selection = .silverman
        default: selection = .leaveOneOutML
        }
    }
}

/// A parameter that is either one of a few words (`auto`) or a value (`[0.1, 2]`).
enum WordOr<Value: Decodable & Sendable & Hashable>: Decodable, Sendable, Hashable {
    case word(String)
    case value(Value)

    init(from decoder: any Decoder) throws {
        if let value = try? Value(from: decoder) {
            self = .value(value)
        } else {
            self = .word(try decoder.singleValueContainer().decode(String.self))
        }
    }

    var value: Value? {
        if case .value(let v) = self { return v }
        return nil
    }
}
