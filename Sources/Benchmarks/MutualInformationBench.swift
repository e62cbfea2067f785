import Datasets
import Foundation
import Linalg
import MutualInformation

/// `entropybook bench mi`: KSG (both variants, k = 3) on benchmark tasks of Czyż et al. (2023)
/// at n = 2 000 and 5 000 (quick: 1 000) — the bivariate normal (1×1), the 5×5 dense
/// multinormal and the 25×25 two-pair multinormal — with the numpy/scipy reference
/// (bench/reference/mi_ksg.py: cKDTree in the max-norm) and, in 1-D, scikit-learn's
/// `_compute_mi_cc` side by side on the same data (written to .npy files). Each reference
/// record carries the entropybook value it should match (`metrics.entropybook`, `difference`).
public enum MutualInformationBench: BenchSuite {
    public static let name = "mi"
    public static let summary = "KSG mutual information (both variants) beside numpy/scipy and scikit-learn on the same data"

    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let threads = max(1, options.threads)
        let sizes = options.quick ? [1_000] : [2_000, 5_000]
        let ids = ["1v1-normal-0.75", "multinormal-dense-5-5-0.5", "multinormal-sparse-25-25-2-2.0"]
        for id in ids {
            guard let task = MutualInformationTasks.task(id: id) else { continue }
            for n in sizes {
                var g = SeededGenerator(seed: 26).derived("mi-bench/\(id)/\(n)")
                let (x, y) = task.sample(n, using: &g)
                let parameters = ["n": String(n), "dx": String(x.columns), "dy": String(y.columns), "k": "3",
                                  "threads": String(threads), "task": id]
                var mine = [String: Double]()
                for variant in KraskovStogbauerGrassberger.Variant.allCases {
                    let ksg = KraskovStogbauerGrassberger(k: 3, variant: variant, threads: threads)
                    var value = Double.nan
                    let seconds = try measure(repetitions: options.repetitions) { value = try ksg.information(x, y) }
                    mine["ksg\(variant.rawValue)"] = value
                    emit(BenchRecord(suite: name, name: "ksg\(variant.rawValue)", parameters: parameters, seconds: seconds,
                                     metrics: ["value": value, "truth": task.mutualInformation]))
                }
                guard options.withReference else { continue }
                let stem = FileManager.default.temporaryDirectory
                    .appendingPathComponent("entropybook-bench-mi-\(ProcessInfo.processInfo.processIdentifier)-\(n)-\(x.columns)")
                let fx = stem.appendingPathExtension("x.npy"), fy = stem.appendingPathExtension("y.npy")
                try EntropyBench.writeNPY(x, to: fx)
                defer { try? FileManager.default.removeItem(at: fx) }
                try EntropyBench.writeNPY(y, to: fy)
                defer { try? FileManager.default.removeItem(at: fy) }
                let arguments = ["--x", fx.path, "--y", fy.path, "--k", "3", "--threads", String(threads),
                                 "--repetitions", String(options.repetitions)]
                for var record in try runReference("mi_ksg.py", arguments: arguments, options: options) {
                    record.parameters["task"] = id
                    if let m = mine[record.name], let theirs = record.metrics["value"] {
                        record.metrics["entropybook"] = m
                        record.metrics["difference"] = theirs - m
                    }
                    emit(record)
                }
            }
        }
    }
}
