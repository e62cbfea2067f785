import Foundation
import Autoencoder
import Linalg

/// `entropybook bench autoencoder`: seconds per training epoch of
/// 784-512-256-d-256-512-784 (ReLU, linear code and output, MSE, Adam, batch 128) on
/// 60 000×784 synthetic data for d = 2, 8, 32, beside the same net in numpy
/// (bench/reference/ae_numpy.py) and PyTorch (ae_torch.py, when torch is importable).
/// Quick mode uses 6 000 rows.
public enum AutoencoderBench: BenchSuite {
    public static let name = "autoencoder"
    public static let summary = "seconds per epoch, 784-512-256-d-256-512-784, batch 128, vs numpy and PyTorch"

    static let codes = [2, 8, 32]

    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let n = options.quick ? 6_000 : 60_000
        let width = 784, batch = 128
        let epochs = max(2, options.repetitions)
        let common = ["--n", String(n), "--dim", String(width), "--codes", codes.map(String.init).joined(separator: ","),
                      "--batch", String(batch), "--epochs", String(epochs), "--threads", String(options.threads)]

        // Per implementation and d: the median and the fastest epoch.
        var referenceSeconds = [String: [Int: (median: Double, fastest: Double)]]()
        if options.withReference {
            for (script, implementation) in [("ae_numpy.py", "numpy"), ("ae_torch.py", "torch")] {
                if implementation == "torch" && !pythonHasModule("torch") {
                    FileHandle.standardError.write(Data("bench autoencoder: torch is not importable; skipping the PyTorch reference\n".utf8))
                    continue
                }
                let records: [BenchRecord]
                do {
                    records = try runReference(script, arguments: common, options: options)
                } catch {
                    // A failed reference should not cost the measurement of EntropyBook itself.
                    FileHandle.standardError.write(Data("bench autoencoder: \(script) failed (\(error)); continuing without it\n".utf8))
                    continue
                }
                for record in records {
                    emit(record)
                    if let d = record.parameters["d"].flatMap(Int.init) {
                        referenceSeconds[implementation, default: [:]][d] = (record.seconds, record.metrics["fastest"] ?? record.seconds)
                    }
                }
            }
        }

        var generator = SeededGenerator(seed: 1)
        let data = generator.uniformMatrix(rows: n, columns: width)
        for split in [true, false] {
            for d in codes {
                let architecture = try AutoencoderArchitecture(inputDimension: width, codeDimension: d, hidden: [512, 256])
                var training = TrainingOptions(epochs: epochs, batchSize: batch, validationFraction: 0,
                                               threads: options.threads, seed: 1)
                training.splitProducts = split
                let result = try Autoencoder.train(on: data, architecture: architecture, options: training)
                let times = result.history.map(\.seconds).sorted()
                let seconds = times[times.count / 2]
                var metrics = [
                    "loss": result.history.last?.training ?? .nan,
                    // The fastest and slowest epoch: on a shared machine the spread shows
                    // how far the median can be trusted.
                    "fastest": times.first!, "slowest": times.last!,
                    "gflops": architecture.trainingFlopsPerSample * Double(n) / seconds / 1e9,
                    "epochs": Double(epochs),
                ]
                for (implementation, byCode) in referenceSeconds {
                    if let reference = byCode[d] {
                        metrics["ratio_to_\(implementation)"] = seconds / reference.median
                        // Fastest against fastest: less sensitive to a busy neighbour.
                        metrics["fastest_ratio_to_\(implementation)"] = times.first! / reference.fastest
                    }
                }
                emit(BenchRecord(suite: name, name: "epoch", parameters: [
                    "n": String(n), "D": String(width), "d": String(d), "batch": String(batch),
                    "net": architecture.description, "threads": String(options.threads),
                    "products": split ? "sharded" : "openblas-threads",
                ], seconds: seconds, metrics: metrics))
            }
        }
    }

    /// Whether `python3 -c "import module"` succeeds.
    static func pythonHasModule(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
