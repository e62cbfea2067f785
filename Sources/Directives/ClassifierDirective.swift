import Autoencoder
import Classifier
import Datasets
import Foundation
import Linalg
import Notebook
import Plot

/// `{classifier}` — trains a dense classifier with Gaussian noise of a stated σ after every
/// hidden layer (Goldfeld et al. 2019), once per seed, and keeps every hidden layer's clean
/// outputs on a fixed evaluation subset at log-spaced epochs, for `{information-plane}`.
public enum ClassifierDirective: Directive {
    public static let name = "classifier"
    public static let summary = "train a noisy MLP classifier (softmax, Adam) and snapshot its hidden layers for the information plane"

    /// Quick mode caps (drafts and the smoke test).
    static let quickEpochs = 3, quickEvaluationRows = 300

    public static let parameters: [Parameter] = [
        Parameter("data", .reference([.dataset]), required: true, doc: "a labelled dataset (its labels are the classes)"),
        Parameter("hidden", .intList(1...65_536), default: .list([.int(256), .int(128), .int(64)]), doc: "hidden layer widths"),
        Parameter("activation", .stringList, default: .list([.string("tanh")]),
                  doc: "activation of the hidden layers: one for all, or one per layer (\(Activation.allCases.map(\.rawValue).joined(separator: ", ")))"),
        Parameter("noise", .double(0...1e6), default: .double(0.1), doc: "σ of the Gaussian noise added after every hidden layer, in training and read-out"),
        Parameter("dropout", .double(0...0.95), default: .double(0), doc: "probability of dropping a hidden unit in training"),
        Parameter("epochs", .int(1...100_000), default: .int(30), doc: "passes over the training rows (quick mode: at most 3)"),
        Parameter("batch", .int(1...65_536), default: .int(128), doc: "rows per mini-batch"),
        Parameter("lr", .double(1e-9...10), default: .double(1e-3), doc: "Adam learning rate"),
        Parameter("weight-decay", .double(0...10), default: .double(0), doc: "decoupled weight decay λ (AdamW)"),
        Parameter("test", .double(0...0.9), default: .double(0.2), doc: "fraction of rows held out for test accuracy and loss"),
        Parameter("snapshots", .int(1...1000), default: .int(12), doc: "number of read-outs, log-spaced from epoch 0 to the last"),
        Parameter("snapshot-epochs", .intList(0...100_000), doc: "explicit read-out epochs instead of `snapshots`"),
        Parameter("eval", .int(2...1_000_000), default: .int(2000),
                  doc: "rows (a seeded random subset) whose layer outputs are kept (quick mode: at most 300)"),
        Parameter("repeats", .int(1...100), default: .int(1), doc: "networks trained with different seeds (spreads in the information plane)"),
    ]

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: ClassifierValue.kind, doc: "the trained networks' histories and layer snapshots"),
            ResultSlot("accuracy", kind: .curve, doc: "test accuracy per epoch (mean over repeats)"),
            ResultSlot("loss", kind: .curve, doc: "training and test cross-entropy per epoch (mean over repeats)"),
        ]
    }

    /// Every argument, read in one place.
    struct Settings {
        var hidden: [Int]
        var activations: [Activation]
        var options: ClassifierOptions
        var snapshotCount: Int
        var snapshotEpochs: [Int]?
        var evaluationRows: Int
        var repeats: Int

        init(_ arguments: Arguments, context: CellContext) throws {
            hidden = try arguments.ints("hidden")
            activations = try arguments.strings("activation").map { word in
                guard let a = Activation(rawValue: word) else { throw ParameterError("activation", "`\(word)` is not an activation") }
                return a
            }
            options = ClassifierOptions(
                epochs: try arguments.int("epochs"), batchSize: try arguments.int("batch"), learningRate: try arguments.double("lr"),
                weightDecay: try arguments.double("weight-decay"), noise: try arguments.double("noise"),
                dropout: try arguments.double("dropout"), testFraction: try arguments.double("test"),
                threads: context.settings.threads, seed: context.generator("classifier").seed)
            snapshotCount = try arguments.int("snapshots")
            snapshotEpochs = arguments.has("snapshot-epochs") ? try arguments.ints("snapshot-epochs") : nil
            evaluationRows = try arguments.int("eval")
            repeats = try arguments.int("repeats")
        }
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let data = try context.value(of: "data", as: Dataset.self)
        var settings = try Settings(arguments, context: context)
        var warnings = [String]()
        guard let rawLabels = data.labels else { throw ParameterError("data", "`\(data.name)` has no labels to classify") }
        let classes = Array(Set(rawLabels)).sorted()
        guard classes.count >= 2 else { throw ParameterError("data", "`\(data.name)` has only one label") }
        let labels = rawLabels.map { classes.firstIndex(of: $0) ?? 0 }
        if context.settings.quick {
            if settings.options.epochs > quickEpochs {
                warnings.append("Quick mode: \(quickEpochs) epochs instead of \(settings.options.epochs).")
                settings.options.epochs = quickEpochs
            }
            settings.evaluationRows = min(settings.evaluationRows, quickEvaluationRows)
            settings.repeats = 1
        }
        let epochs = settings.options.epochs
        settings.options.snapshotEpochs = settings.snapshotEpochs?.filter { $0 <= epochs }
            ?? ClassifierOptions.logSpacedEpochs(min(settings.snapshotCount, epochs + 1), upTo: epochs)
        let architecture: ClassifierArchitecture
        do {
            architecture = try ClassifierArchitecture(inputDimension: data.dimension, hidden: settings.hidden,
                                                      classes: classes.count, activations: settings.activations)
        } catch let error as ClassifierError {
            throw ParameterError("activation", error.description)
        }
        var sampler = context.generator("evaluation-rows")
        let evaluationRows = Array(sampler.permutation(data.count).prefix(settings.evaluationRows)).sorted()

        var runs = [ClassifierValue.Run]()
        for r in 0..<settings.repeats {
            var options = settings.options
            options.seed = SeededGenerator(seed: settings.options.seed).derived("repeat-\(r)").seed
            let result = try NoisyClassifier.train(on: data.points, labels: labels, architecture: architecture, options: options,
                                                   evaluationRows: evaluationRows) { e in
                let done = (Double(r) + Double(e.epoch) / Double(epochs)) / Double(settings.repeats)
                context.progress(done, "seed \(r + 1)/\(settings.repeats), epoch \(e.epoch)/\(epochs): accuracy "
                                 + formatNumber(e.testAccuracy ?? e.trainingAccuracy))
            }
            runs.append(ClassifierValue.Run(history: result.history, snapshots: result.snapshots))
        }
        let value = ClassifierValue(name: "\(architecture.description) on \(data.name)", architecture: architecture,
                                    noise: settings.options.noise, runs: runs, evaluation: data.points.rows(at: evaluationRows),
                                    evaluationLabels: evaluationRows.map { labels[$0] }, classNames: classes.map(String.init))
        var outputs = summary(value, options: settings.options)
        let (accuracy, loss) = ClassifierFigures.curves(value)
        do {
            outputs.append(.figure(try ClassifierFigures.accuracyFigure(accuracy)))
            outputs.append(.figure(try ClassifierFigures.lossFigure(loss)))
        } catch {
            warnings.append("A figure could not be drawn: \(error)")
        }
        outputs += warnings.map(OutputItem.warning)
        return CellResult(values: ["": value, "accuracy": accuracy, "loss": loss], outputs: outputs)
    }

    /// The report's lines: the network, the noise, the final accuracy ± spread over seeds.
    static func summary(_ value: ClassifierValue, options: ClassifierOptions) -> [OutputItem] {
        let a = value.architecture
        var outputs: [OutputItem] = [
            .text("Noisy classifier \(a.description) (\(a.activations.map(\.rawValue).joined(separator: ", ")), "
                  + "\(a.parameterCount) parameters), Gaussian noise σ = \(formatNumber(value.noise)) after every hidden layer"
                  + (options.dropout > 0 ? ", dropout \(formatNumber(options.dropout))" : "")
                  + "; \(value.runs.count) seed(s), read-outs at epochs "
                  + options.snapshotEpochs.map(String.init).joined(separator: ", ")
                  + " on \(value.evaluation.rows) evaluation rows."),
        ]
        let final = value.runs.compactMap { $0.history.last?.testAccuracy }
        if !final.isEmpty {
            let (mean, spread) = meanAndSpread(final)
            outputs.append(.metric(Metric("test accuracy", mean, uncertainty: value.runs.count > 1 ? spread : nil,
                                          note: "after the last epoch, with the noise; ± is the sd over seeds")))
        }
        let seconds = value.runs.flatMap { $0.history.map(\.seconds) }
        outputs.append(.metric(Metric("time per epoch", seconds.reduce(0, +) / Double(max(seconds.count, 1)), unit: "s")))
        return outputs
    }
}

/// Mean and sample standard deviation (0 for one value).
func meanAndSpread(_ values: [Double]) -> (mean: Double, spread: Double) {
    guard !values.isEmpty else { return (.nan, .nan) }
    let mean = values.reduce(0, +) / Double(values.count)
    guard values.count > 1 else { return (mean, 0) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return (mean, variance.squareRoot())
}

/// What `{classifier}` stores: per seed the history and the snapshots, and the evaluation
/// rows (inputs and labels) the snapshots were taken on.
public struct ClassifierValue: NotebookValue {
    public static var kind: ValueKind { "classifier" }
    public struct Run: Sendable {
        public var history: [ClassifierEpoch]
        public var snapshots: [LayerSnapshot]
    }
    public var name: String
    public var architecture: ClassifierArchitecture
    public var noise: Double
    public var runs: [Run]
    public var evaluation: Matrix
    /// Class indices 0..<C of the evaluation rows.
    public var evaluationLabels: [Int]
    public var classNames: [String]
    public var summary: String { "noisy classifier \(name), σ = \(formatNumber(noise)), \(runs.count) seed(s)" }
}
