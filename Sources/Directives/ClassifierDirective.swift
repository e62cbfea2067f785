import Autoencoder
import Classifier
import Datasets
import Foundation
import Linalg
import Notebook
import Plot

/// `{classifier}` — trains a dense classifier with Gaussian noise of a stated σ after every
/// hidden layer (Goldfeld et al. 2019), once per seed, and keeps the parameters and every
/// hidden layer's clean outputs on a fixed evaluation subset at log-spaced epochs, for
/// `{information-plane}`. Its result is cached (`ClassifierValue`): a re-run does not retrain.
public enum ClassifierDirective: Directive {
    public static let name = "classifier"
    public static let summary = "train a noisy MLP classifier (softmax, Adam) and snapshot its hidden layers for the information plane"

    /// Quick mode caps (drafts and the smoke test).
    static let quickEpochs = 3, quickEvaluationRows = 300

    public static let parameters = Settings.parameters

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: ClassifierValue.kind, doc: "the trained networks' histories and layer snapshots"),
            ResultSlot("accuracy", kind: .curve, doc: "test accuracy per epoch (mean over repeats)"),
            ResultSlot("loss", kind: .curve, doc: "training and test cross-entropy per epoch (mean over repeats)"),
        ]
    }

    /// The cell's parameters, declared once (encoded whole into each seed's cache key).
    struct Settings: ParameterSettings, Codable {
        @Param("a labelled dataset (its labels are the classes)", kinds: [.dataset]) var data: ResultID
        @Param("hidden layer widths", 1...65_536) var hidden = [256, 128, 64]
        @Param("activation of the hidden layers: one for all, or one per layer") var activation = [Activation.tanh]
        @Param("σ of the Gaussian noise added after every hidden layer, in training and read-out", 0...1e6) var noise = 0.1
        @Param("probability of dropping a hidden unit in training", 0...0.95) var dropout = 0.0
        @Param("passes over the training rows (quick mode: at most 3)", 1...100_000) var epochs = 30
        @Param("rows per mini-batch", 1...65_536) var batch = 128
        @Param("Adam learning rate", 1e-9...10) var lr = 1e-3
        @Param("decoupled weight decay λ (AdamW)", 0...10) var weightDecay = 0.0
        @Param("fraction of rows held out for test accuracy and loss", 0...0.9) var test = 0.2
        @Param("number of read-outs, log-spaced from epoch 0 to the last", 1...1000) var snapshots = 12
        @Param("explicit read-out epochs instead of `snapshots`", 0...100_000) var snapshotEpochs: [Int]?
        @Param("rows (a seeded random subset) whose layer outputs are kept (quick mode: at most 300)", 2...1_000_000) var eval = 2000
        @Param("hold the evaluation rows out of training (they become the test rows, `test` unused), so I(T;Y) on them is out of sample")
        var evalHeldOut = false
        @Param("networks trained with different seeds (spreads in the information plane)", 1...100) var repeats = 1


        func options(context: CellContext) -> ClassifierOptions {
            ClassifierOptions(epochs: epochs, batchSize: batch, learningRate: lr, weightDecay: weightDecay, noise: noise,
                              dropout: dropout, testFraction: test, threads: context.settings.threads,
                              seed: context.generator("classifier").seed)
        }
    }

    /// Everything a cell's trainings share, read from its arguments and data: the typed
    /// settings after quick mode, the options, labels, architecture and evaluation rows.
    struct Prepared {
        var cell: Settings
        var data: Dataset
        var options: ClassifierOptions
        var labels: [Int]
        var classes: [Int]
        var architecture: ClassifierArchitecture
        var evaluationRows: [Int]
        var warnings: [String]
    }

    /// The settings after quick mode (fewer epochs and evaluation rows, one seed), with the
    /// note it adds: `run`, the units and their keys all read them from here.
    static func settings(_ arguments: Arguments, quick: Bool) throws -> (Settings, warnings: [String]) {
        var cell = try arguments.decode(Settings.self)
        var warnings = [String]()
        if quick {
            if cell.epochs > quickEpochs {
                warnings.append("Quick mode: \(quickEpochs) epochs instead of \(cell.epochs).")
                cell.epochs = quickEpochs
            }
            cell.eval = min(cell.eval, quickEvaluationRows)
            cell.repeats = 1
        }
        return (cell, warnings)
    }

    static func prepare(_ arguments: Arguments, context: CellContext) throws -> Prepared {
        let (cell, warnings) = try settings(arguments, quick: context.settings.quick)
        let data = try context.value(cell.data, as: Dataset.self)
        var options = cell.options(context: context)
        guard let rawLabels = data.labels else { throw ParameterError("data", "`\(data.name)` has no labels to classify") }
        let classes = Array(Set(rawLabels)).sorted()
        guard classes.count >= 2 else { throw ParameterError("data", "`\(data.name)` has only one label") }
        let labels = rawLabels.map { classes.firstIndex(of: $0) ?? 0 }
        let epochs = options.epochs
        options.snapshotEpochs = cell.snapshotEpochs?.filter { $0 <= epochs }
            ?? ClassifierOptions.logSpacedEpochs(min(cell.snapshots, epochs + 1), upTo: epochs)
        let architecture: ClassifierArchitecture
        do {
            architecture = try ClassifierArchitecture(inputDimension: data.dimension, hidden: cell.hidden,
                                                      classes: classes.count, activations: cell.activation)
        } catch let error as ClassifierError {
            throw ParameterError("activation", error.description)
        }
        var sampler = context.generator("evaluation-rows")
        let evaluationRows = Array(sampler.permutation(data.count).prefix(cell.eval)).sorted()
        return Prepared(cell: cell, data: data, options: options, labels: labels, classes: classes, architecture: architecture,
                        evaluationRows: evaluationRows, warnings: warnings)
    }

    /// Seed `r`'s training, from the cache (a cluster node may have trained it: one unit of
    /// work per seed) or trained here and stored; `progress` hears each epoch trained.
    static func training(_ p: Prepared, repeat r: Int, context: CellContext,
                         progress: (ClassifierEpoch) -> Void = { _ in }) throws -> ClassifierValue.Run {
        try context.memoized(try runParts(p.cell, threads: context.settings.threads, seed: context.seed, repeat: r)) {
            var seeded = p.options
            seeded.holdOutEvaluation = p.cell.evalHeldOut
            seeded.seed = SeededGenerator(seed: p.options.seed).derived("repeat-\(r)").seed
            let result = try NoisyClassifier.train(on: p.data.points, labels: p.labels, architecture: p.architecture, options: seeded,
                                                   evaluationRows: p.evaluationRows, progress: progress)
            // A training stopped by an interrupt must not be stored as finished.
            try Cancellation.checkpoint()
            return ClassifierRunValue(value(p, runs: [ClassifierValue.Run(history: result.history, snapshots: result.snapshots)]))
        }.value.runs[0]
    }

    static func value(_ p: Prepared, runs: [ClassifierValue.Run]) -> ClassifierValue {
        ClassifierValue(name: "\(p.architecture.description) on \(p.data.name)", architecture: p.architecture,
                        noise: p.options.noise, runs: runs, evaluation: p.data.points.rows(at: p.evaluationRows),
                        evaluationLabels: p.evaluationRows.map { p.labels[$0] }, classNames: p.classes.map(String.init))
    }

    /// Everything that changes one seed's training: the cell's settings after quick mode
    /// (all of them, so a setting added later cannot be left out of the key), threads (BLAS
    /// sums), the cell's seed and the seed index. The data itself is in the cell's input key.
    private struct RunKey: Encodable {
        var cell: Settings
        var threads: Int
        var seed: UInt64
        var repeatIndex: Int
    }

    static func runParts(_ c: Settings, threads: Int, seed: UInt64, repeat r: Int) throws -> [String] {
        // How many seeds the cell trains does not change seed r's training: one more seed
        // reuses the ones stored.
        var cell = c
        cell.repeats = 0
        let key = RunKey(cell: cell, threads: threads, seed: seed, repeatIndex: r)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ["classifier training", String(decoding: try encoder.encode(key), as: UTF8.self)]
    }

    /// One unit of work per seed: its training (the cell's figures and summary are cheap).
    public static func workUnits(_ arguments: Arguments, settings: RunSettings, seed: UInt64) throws -> [WorkUnitDeclaration] {
        let (cell, _) = try Self.settings(arguments, quick: settings.quick)
        return try (0..<cell.repeats).map { r in
            WorkUnitDeclaration(id: "training seed=\(r + 1)", parts: try runParts(cell, threads: settings.threads, seed: seed, repeat: r))
        }
    }

    public static func computeWorkUnit(_ id: String, _ arguments: Arguments, context: CellContext) throws {
        let p = try prepare(arguments, context: context)
        guard let r = (0..<p.cell.repeats).first(where: { id == "training seed=\($0 + 1)" }) else {
            throw CellError("{classifier} has no unit of work `\(id)`")
        }
        _ = try training(p, repeat: r, context: context)
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let p = try prepare(arguments, context: context)
        let options = p.options
        var warnings = p.warnings
        let epochs = options.epochs
        var runs = [ClassifierValue.Run]()
        let repeats = p.cell.repeats
        for r in 0..<repeats {
            runs.append(try training(p, repeat: r, context: context) { e in
                let done = (Double(r) + Double(e.epoch) / Double(epochs)) / Double(repeats)
                context.progress(done, "seed \(r + 1)/\(repeats), epoch \(e.epoch)/\(epochs): accuracy "
                                 + formatNumber(e.testAccuracy ?? e.trainingAccuracy))
            })
        }
        let cell = p.cell
        let value = Self.value(p, runs: runs)
        var summaryOptions = options
        summaryOptions.holdOutEvaluation = cell.evalHeldOut
        var outputs = summary(value, options: summaryOptions)
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
                  + " on \(value.evaluation.rows) evaluation rows"
                  + (options.holdOutEvaluation ? ", held out of training (they are the test rows)." : ", drawn from all rows (training rows among them).")),
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

extension ClassifierDirective {
    /// The snapshots dominate: repeats × read-outs × evaluation rows × Σ hidden widths floats,
    /// plus the test and evaluation copies of the data.
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let cell = try? inputs.arguments.decode(Settings.self) else { return nil }
        let shape = inputs.shapes["data"]
        let rows = shape?.rows ?? cell.eval, columns = shape?.columns ?? 784
        let quick = inputs.settings.quick
        let eval = min(quick ? min(cell.eval, quickEvaluationRows) : cell.eval, rows)
        let readOuts = min(cell.snapshotEpochs?.count ?? cell.snapshots, (quick ? quickEpochs : cell.epochs) + 1)
        let repeats = quick ? 1 : cell.repeats
        let snapshots = Double(repeats * readOuts * eval * cell.hidden.reduce(0, +)) * 4
        // Each read-out also keeps the network's parameters (for the propagated noise).
        let sizes = [columns] + cell.hidden + [10]
        let parameters = Double(repeats * readOuts) * zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double(($1.0 + 1) * $1.1) } * 4
        let copies = Double(rows + eval) * Double(columns) * 4
        var estimate = ResourceEstimate(bytes: snapshots + parameters + copies, parameter: "eval",
                                        explanation: "\(repeats) seed(s) × \(readOuts) read-outs × (\(eval) rows × \(cell.hidden.reduce(0, +)) hidden units + the parameters), and copies of the data")
        // What `{information-plane}` reads: the read-outs of every hidden layer on `eval` rows.
        var readOutShape = DataShape(rows: eval, columns: columns)
        readOutShape.layers = cell.hidden
        readOutShape.readOuts = readOuts
        readOutShape.repeats = repeats
        estimate.shapes = [nil: readOutShape]
        let epochs = quick ? min(cell.epochs, quickEpochs) : cell.epochs
        let heldOut = cell.evalHeldOut ? Double(eval) / Double(max(rows, 1)) : cell.test
        let work = WorkEstimates.classifier(sizes: sizes, rows: rows, heldOut: heldOut, epochs: epochs, batch: cell.batch,
                                            evaluation: eval, readOuts: readOuts, repeats: repeats)
        let driver = cell.$epochs.isExplicit ? "epochs" : cell.$repeats.isExplicit ? "repeats" : "data"
        return estimate.with(work: work, driver: driver,
                             "\(repeats) seed(s) × \(epochs) epochs × \(rows) rows through \(sizes.map(String.init).joined(separator: "–"))")
    }
}
