import Autoencoder
import Entropy
import Foundation
import Notebook

/// Parameters that more than one directive accepts, declared once: the words, ranges,
/// defaults and docs here are the only copy, and each group decodes into one typed struct.

/// The settings of one autoencoder: `{autoencoder}` takes them at the top level,
/// `{entropy-curve}` under `autoencoder:` for every autoencoder of its sweep.
struct AutoencoderSettings: ParameterGroup, Sendable, Hashable {
    /// Epochs in quick mode (drafts and tests).
    static let quickEpochs = 5

    @Param("encoder hidden widths from the input side, mirrored in the decoder (default: [512, 256] for D ≥ 512, else about [2D, D])",
           1...65_536)
    var hidden: [Int]?
    @Param("activation of the hidden layers") var activation = Activation.relu
    @Param("activation of the code layer", words: [.linear, .sigmoid]) var codeActivation = Activation.linear
    @Param("activation of the output layer (sigmoid suits data in [0, 1])") var outputActivation = Activation.linear
    @Param("passes over the training rows (quick mode: at most \(AutoencoderSettings.quickEpochs))", 1...100_000) var epochs = 20
    @Param("rows per mini-batch", 1...65_536) var batch = 128
    @Param("Adam learning rate", 1e-9...10) var lr = 1e-3
    @Param("standard deviation of Gaussian noise added to the inputs (a denoising autoencoder)", 0...1e6) var noise = 0.0
    @Param("decoupled weight decay λ (AdamW)", 0...10) var weightDecay = 0.0
    @Param("fraction of rows held out for the validation loss", 0...0.9) var validation = 0.1
    @Param("early stopping: stop after this many epochs without a better validation loss, keep the best weights", 1...100_000)
    var patience: Int?

    /// Checks across keys; `prefix` is where the group sits (`autoencoder.` or nothing) in
    /// the cell, `group` the group as decoded.
    static func validate(_ group: Self?, prefix: String = "") -> [ParameterError] {
        if let group, group.$patience.isExplicit, group.validation == 0 {
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
struct BandwidthChoice: ParameterValueType, Sendable, Hashable {
    /// The selection rules' words.
    enum Rule: String, CaseIterable, Decodable, ParameterWords {
        case leaveOneOutML = "loo-ml", scott, silverman
    }
    static let type = ParameterType.choiceOrNumber(Rule.allCases.map(\.rawValue), 1e-6...1e6)
    static let doc = "KDE bandwidth: leave-one-out maximum likelihood, Scott's or Silverman's rule, or a number"
    static var parameterType: ParameterType { type }
    static var placeholder: BandwidthChoice { BandwidthChoice() }

    var selection: BandwidthSelection

    /// The default: leave-one-out maximum likelihood.
    init(_ selection: BandwidthSelection = .leaveOneOutML) { self.selection = selection }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let h = try? container.decode(Double.self) {
            selection = .fixed(h)
            return
        }
        switch try container.decode(Rule.self) {
        case .scott: selection = .scott
        case .silverman: selection = .silverman
        case .leaveOneOutML: selection = .leaveOneOutML
        }
    }

    var parameterValue: ParameterValue? {
        switch selection {
        case .leaveOneOutML: .string(Rule.leaveOneOutML.rawValue)
        case .scott: .string(Rule.scott.rawValue)
        case .silverman: .string(Rule.silverman.rawValue)
        case .fixed(let h): .double(h)
        }
    }
}

/// A parameter that is either one of a few words (`auto`, the cases of `Word`) or a value
/// (`[0.1, 2]`). A number's declared type is `.choiceOrNumber(Word's words, range)`; a list's
/// names its length (`type: .choiceOrNumbers(Word.allCases.map(\.rawValue), count: 2)`).
enum WordOr<Word: ParameterWords & Sendable & Hashable, Value: ParameterValueType & Sendable & Hashable>: ParameterValueType, Sendable, Hashable {
    static var parameterType: ParameterType {
        switch Value.parameterType {
        case .double(let range): .choiceOrNumber(Word.allCases.map(\.rawValue), range)
        default: Value.parameterType
        }
    }
    var parameterValue: ParameterValue? {
        switch self {
        case .word(let w): w.parameterValue
        case .value(let v): v.parameterValue
        }
    }
    static var placeholder: Self { .word(Word.placeholder) }

    case word(Word)
    case value(Value)

    init(from decoder: any Decoder) throws {
        if let value = try? Value(from: decoder) {
            self = .value(value)
        } else {
            self = .word(try Word(from: decoder))
        }
    }

    var value: Value? {
        if case .value(let v) = self { return v }
        return nil
    }
}
