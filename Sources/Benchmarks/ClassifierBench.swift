import Foundation
import Classifier
import InformationPlane
import Linalg

/// `entropybook bench classifier`: seconds per training epoch of the noisy classifier
/// 784-256-128-64-10 (tanh, σ = 0.1 after every hidden layer, softmax, Adam, batch 128) on
/// 60 000×784 synthetic rows with random labels, beside the same network in numpy
/// (bench/reference/classifier_numpy.py); and the seconds of one information-plane point
/// (the 256-wide first layer, one snapshot, n = 5 000 rows, both estimators). Quick mode
/// uses 6 000 rows and n = 1 000.
public enum ClassifierBench: BenchSuite {
    public static let name = "classifier"
    public static let summary = "seconds per epoch of the noisy classifier 784-256-128-64-10 vs numpy; one information-plane point"

    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let n = options.quick ? 6_000 : 60_000, width = 784, batch = 128, sigma = 0.1
        let epochs = max(2, options.repetitions)
        var reference: (median: Double, fastest: Double)?
        if options.withReference {
            do {
                for record in try runReference("classifier_numpy.py", arguments: [
                    "--n", String(n), "--dim", String(width), "--batch", String(batch), "--epochs", String(epochs),
                    "--noise", String(sigma), "--threads", String(options.threads),
                ], options: options) {
                    emit(record)
                    reference = (record.seconds, record.metrics["fastest"] ?? record.seconds)
                }
            } catch {
                FileHandle.standardError.write(Data("bench classifier: classifier_numpy.py failed (\(error)); continuing without it\n".utf8))
            }
        }
        var generator = SeededGenerator(seed: 1)
        let data = generator.uniformMatrix(rows: n, columns: width)
        let labels = (0..<n).map { _ in generator.index(below: 10) }
        let architecture = try ClassifierArchitecture(inputDimension: width, hidden: [256, 128, 64], classes: 10, activations: [.tanh])
        let training = ClassifierOptions(epochs: epochs, batchSize: batch, noise: sigma, testFraction: 0,
                                         threads: options.threads, seed: 1)
        let result = try NoisyClassifier.train(on: data, labels: labels, architecture: architecture, options: training)
        let times = result.history.map(\.seconds).sorted()
        let seconds = times[times.count / 2], fastest = times.first ?? seconds
        var metrics = ["loss": result.history.last?.trainingLoss ?? .nan, "fastest": fastest, "slowest": times.last ?? seconds,
                       "gflops": architecture.trainingFlopsPerSample * Double(n) / seconds / 1e9, "epochs": Double(epochs)]
        if let reference {
            metrics["ratio_to_numpy"] = seconds / reference.median
            metrics["fastest_ratio_to_numpy"] = fastest / reference.fastest
        }
        emit(BenchRecord(suite: name, name: "epoch", parameters: [
            "n": String(n), "D": String(width), "batch": String(batch), "net": architecture.description,
            "threads": String(options.threads), "noise": String(sigma),
        ], seconds: seconds, metrics: metrics))
        try planePoint(options: options, emit: emit)
    }

    /// One (layer, snapshot) of the information plane: the first layer (256 tanh units) of an
    /// untrained 784-256 network on n rows with 10 labels, read out with σ = 0.1; the
    /// noise-aware estimate (m = 2 000 per entropy, 11 entropies) and the compressed one
    /// (autoencoder to d′ = 4 for 30 epochs, KDE) timed separately.
    static func planePoint(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let n = options.quick ? 1_000 : 5_000, width = 784
        var generator = SeededGenerator(seed: 2)
        let x = generator.uniformMatrix(rows: n, columns: width)
        let labels = (0..<n).map { $0 % 10 }
        let architecture = try ClassifierArchitecture(inputDimension: width, hidden: [256], classes: 10, activations: [.tanh])
        let model = NoisyClassifier(architecture: architecture, noise: 0.1, generator: &generator)
        let layer = try model.hiddenOutputs(x)[0]
        var settings = InformationPlaneExperiment.Settings(noise: 0.1)
        settings.threads = options.threads
        let snapshot = [LayerSnapshot(epoch: 0, layers: [layer])]
        let noiseAware = InformationPlaneExperiment(settings: { var s = settings; s.compressed = false; return s }())
        let start = DispatchTime.now().uptimeNanoseconds
        let noisy = try noiseAware.measure(snapshot, network: nil, input: x, labels: labels, compressedInput: nil, repeatIndex: 0)
        let middle = DispatchTime.now().uptimeNanoseconds
        let both = InformationPlaneExperiment(settings: settings)
        let input = try both.compressInput(x)
        let afterInput = DispatchTime.now().uptimeNanoseconds
        let compressed = try both.measure(snapshot, network: nil, input: x, labels: labels, compressedInput: input, repeatIndex: 0)
        let end = DispatchTime.now().uptimeNanoseconds
        func seconds(_ a: UInt64, _ b: UInt64) -> Double { Double(b - a) / 1e9 }
        let compressedSeconds = seconds(afterInput, end) - seconds(start, middle)
        emit(BenchRecord(suite: name, name: "plane-point", parameters: [
            "n": String(n), "layer": "784-256 tanh", "noise": "0.1", "m": String(settings.monteCarloSamples),
            "code": String(settings.compressedDimension), "threads": String(options.threads),
        ], seconds: seconds(start, middle) + compressedSeconds, metrics: [
            "noise_aware_seconds": seconds(start, middle), "compressed_seconds": compressedSeconds,
            "input_compression_seconds": seconds(middle, afterInput),
            "ixt_noise_aware": noisy.first?.noisy.inputInformation ?? .nan,
            "ity_noise_aware": noisy.first?.noisy.labelInformation ?? .nan,
            "ixt_compressed": compressed.first?.compressedInput ?? .nan,
            "ity_compressed": compressed.first?.compressedLabel ?? .nan,
        ]))
    }
}
