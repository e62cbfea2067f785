import Autoencoder
import Datasets
import Foundation
import Linalg
import Notebook
import Plot

/// `{autoencoder}` — trains one dense autoencoder on a dataset and encodes it. A thin
/// adapter over the Autoencoder library: reads the architecture and training settings,
/// trains with a progress bar per epoch, and stores the model, the codes, the loss curve
/// and the reconstructions for later cells.
public enum AutoencoderDirective: Directive {
    public static let name = "autoencoder"
    public static let summary = "train a dense autoencoder (Adam, MSE) and encode the data into d-dimensional codes"
    /// One unit of work: a cluster node may compute the whole cell from its cached inputs.
    public static let isWorkUnit = true

    /// `data` and `code`, then the autoencoder's settings at the top level.
    public static let parameters = Settings.parameters + AutoencoderSettings.parameters

    /// The cell's parameters, declared once (the group's keys by `AutoencoderSettings`).
    struct Settings: ParameterSettings {
        @Param("the dataset to train on (its rows are the inputs)", kinds: [.dataset]) var data: ResultID
        @Param("code dimension d (width of the middle layer)", 1...4096) var code: Int
        /// The group's keys sit beside `data` and `code`, not under a key of their own.
        var autoencoder = AutoencoderSettings()

        init() {}
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            _data = try c.decode(Param<ResultID>.self, forKey: .data)
            _code = try c.decode(Param<Int>.self, forKey: .code)
            autoencoder = try AutoencoderSettings(from: decoder)
        }
        private enum Keys: String, CodingKey { case data, code }
    }

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: .model, doc: "the trained autoencoder"),
            ResultSlot("codes", kind: .dataset, doc: "the codes of every row (n×d), labels carried over"),
            ResultSlot("loss", kind: .curve, doc: "training and validation loss per epoch"),
            ResultSlot("reconstruction", kind: .dataset, doc: "every row encoded and decoded again"),
        ]
    }

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        AutoencoderSettings.validate(try? arguments.decode(AutoencoderSettings.self))
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        var settings = try arguments.decode(Settings.self)
        let data = try context.value(settings.data, as: Dataset.self)
        let d = settings.code
        var warnings = [String](), notes = [String]()
        let ae = settings.autoencoder
        let architecture: AutoencoderArchitecture
        do {
            architecture = try AutoencoderArchitecture(
                inputDimension: data.dimension, codeDimension: d, hidden: ae.hidden, activation: ae.activation,
                codeActivation: ae.codeActivation, outputActivation: ae.outputActivation)
        } catch let error as AutoencoderError {
            throw ParameterError(ae.hidden != nil ? "hidden" : "code", error.description)
        }
        if let note = settings.autoencoder.applyQuickMode(context.settings.quick) { notes.append(note) }
        let options = settings.autoencoder.trainingOptions(threads: context.settings.threads,
                                                           seed: context.generator("autoencoder").seed)
        if Double(data.count) * (1 - options.validationFraction) < 2 {
            throw ParameterError("data", "\(data.name) has \(data.count) rows; an autoencoder needs at least 2 to train on")
        }

        let epochs = options.epochs
        let result = try Autoencoder.train(on: data.points, architecture: architecture, options: options) { e in
            let validation = e.validation.map { ", validation " + formatNumber($0) } ?? ""
            context.progress(Double(e.epoch) / Double(epochs),
                             "epoch \(e.epoch)/\(epochs): loss \(formatNumber(e.training))\(validation)")
        }
        let model = result.model
        let codes = try model.encode(data.points)
        let reconstruction = try model.reconstruct(data.points)
        guard codes.isFinite else { throw CellError("the codes contain NaN or infinite values; lower `lr`") }

        let codeData = Dataset(name: "codes d=\(d)", points: codes, labels: data.labels,
                               intrinsicDimension: data.intrinsicDimension.map { min($0, d) },
                               provenance: "autoencoder \(architecture.description) on \(data.name)")
        let reconstructed = Dataset(name: "\(data.name) reconstructed", points: reconstruction, labels: data.labels,
                                    intrinsicDimension: data.intrinsicDimension, imageShape: data.imageShape,
                                    provenance: "\(data.name) through autoencoder \(architecture.description)")
        let loss = lossCurve(result.history)

        var outputs: [OutputItem] = [
            .text("Autoencoder \(architecture.description) (\(architecture.parameterCount) parameters), "
                  + "\(result.trainingRows) training and \(result.validationRows) validation rows."),
        ]
        if let last = result.history.last { outputs.append(.metric(Metric("final training loss", last.training, unit: "MSE"))) }
        let best = result.history[max(result.bestEpoch - 1, 0)]
        if let validation = best.validation {
            outputs.append(.metric(Metric("validation loss", validation, unit: "MSE", note: "epoch \(result.bestEpoch)")))
        }
        outputs.append(.metric(Metric("epochs", Double(result.history.count))))
        let seconds = result.history.map(\.seconds).reduce(0, +) / Double(max(result.history.count, 1))
        outputs.append(.metric(Metric("time per epoch", seconds, unit: "s")))
        if result.stoppedEarly {
            outputs.append(.text("Early stopping after epoch \(result.history.count); the weights of epoch \(result.bestEpoch) are kept."))
        }
        do {
            outputs.append(.figure(try lossFigure(loss)))
            if let shape = data.imageShape {
                outputs.append(.figure(try reconstructionFigure(data, reconstruction, shape: shape)))
            }
        } catch {
            warnings.append("A figure could not be drawn: \(error)")
        }
        outputs += notes.map(OutputItem.note) + warnings.map(OutputItem.warning)
        return CellResult(values: ["": model, "codes": codeData, "loss": loss, "reconstruction": reconstructed],
                          outputs: outputs)
    }

    /// Training and validation loss per epoch.
    static func lossCurve(_ history: [EpochLoss]) -> CurveValue {
        let x = history.map { Double($0.epoch) }
        var series = [Series(name: "training", x: x, y: history.map(\.training))]
        let validation = history.compactMap(\.validation)
        if validation.count == history.count { series.append(Series(name: "validation", x: x, y: validation)) }
        return CurveValue(title: "Autoencoder loss", xLabel: "epoch", yLabel: "mean squared error", series: series)
    }

    /// The loss curve on a log axis (losses fall by orders of magnitude).
    static func lossFigure(_ curve: CurveValue) throws -> Figure {
        let positive = curve.series.allSatisfy { $0.y.allSatisfy { $0 > 0 } }
        let chart = try LineChart(curve: curve, yScale: positive ? .log : .linear)
        return try Figure(name: "loss", caption: "Training and validation loss (mean squared error per element) per epoch.",
                          chart: chart)
    }

    /// Up to 10 inputs (the first rows) above their reconstructions, on the inputs' grey scale.
    static func reconstructionFigure(_ data: Dataset, _ outputs: Matrix, shape: ImageShape) throws -> Figure {
        let picked = ImageSample.rows(10, of: data), count = picked.count
        let originals = picked.map { Array(data.points.row($0)) }
        let rebuilt = picked.map { Array(outputs.row($0)) }
        let values = originals.joined()
        let range = (values.min() ?? 0)...max(values.max() ?? 1, (values.min() ?? 0) + 1e-6)
        let grid = try ImageGrid(title: "Inputs and reconstructions",
                                 rows: [ImageGrid.Row(label: "input", images: originals),
                                        ImageGrid.Row(label: "output", images: rebuilt)],
                                 imageWidth: shape.width, imageHeight: shape.height, valueRange: range)
        return try Figure(name: "reconstructions", caption: "\(count) inputs (top), drawn at random\(data.labels == nil ? "" : " a label at a time"), and their reconstructions (bottom).",
                          chart: grid)
    }
}

extension Autoencoder: NotebookValue {
    public static var kind: ValueKind { .model }
    public var summary: String {
        let a = architecture
        return "autoencoder \(a.description) (\(a.activations.first?.rawValue ?? "linear"), code \(a.activations[a.codeLayer].rawValue)), \(a.parameterCount) parameters"
    }
    public var record: JSONValue {
        RecordDeclaration.model.record([
            "layers": .array(architecture.sizes.map { .number(Double($0)) }),
            "parameters": .number(Double(architecture.parameterCount)), "summary": .string(summary),
        ])
    }
}

extension Autoencoder: CacheableValue {
    public static var cacheTag: String { "autoencoder" }
    public func encode(to writer: inout ByteWriter) throws { writer.write(blob: serialized()) }
    public static func decode(from reader: inout ByteReader) throws -> Autoencoder {
        try Autoencoder(bytes: try reader.readBlob())
    }
}
