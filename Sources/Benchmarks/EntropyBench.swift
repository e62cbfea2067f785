import Entropy
import Foundation
import Linalg

/// `entropybook bench entropy`: the KDE entropy at n = 5 000, 10 000, 20 000 and d = 2, 8, 32
/// — one-bandwidth leave-one-out, the whole estimate with the LOO-ML bandwidth search,
/// resubstitution and Kozachenko–Leonenko — with the reference implementations side by side
/// on the same (whitened) data, written to a temporary .npy file: a blocked numpy
/// leave-one-out (bench/reference/entropy_numpy.py) at every size, scikit-learn's
/// `KernelDensity.score_samples` and scipy's `gaussian_kde` at n = 10 000, d = 8. Each
/// reference record carries the entropybook value it should match (`metrics.entropybook`).
public enum EntropyBench: BenchSuite {
    public static let name = "entropy"
    public static let summary = "KDE entropy: one-bandwidth LOO, full LOO-ML estimate, k-NN; numpy, scikit-learn, scipy side by side"

    /// The sizes measured; the slow scikit-learn and scipy references run at `slowReference` only.
    static func sizes(quick: Bool) -> [(n: Int, d: Int)] {
        quick ? [(2_000, 2), (2_000, 8)]
              : [5_000, 10_000, 20_000].flatMap { n in [2, 8, 32].map { (n, $0) } }
    }
    static func isSlowReferenceSize(n: Int, d: Int, quick: Bool) -> Bool { quick ? d == 8 : (n == 10_000 && d == 8) }

    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let threads = max(1, options.threads)
        let previous = BLAS.threads
        BLAS.setThreads(threads)
        defer { BLAS.setThreads(previous) }
        for (n, d) in sizes(quick: options.quick) {
            var generator = SeededGenerator(seed: 5).derived("entropy-bench-\(n)-\(d)")
            let raw = generator.normalMatrix(rows: n, columns: d)
            let whitened = try Whitening(fitting: raw).whiten(raw)
            // The bandwidth every implementation is timed at: Silverman's rule on whitened data.
            let h = BandwidthSelection.silverman.ruleOfThumb(n: n, d: d) ?? 1
            let parameters = ["n": String(n), "d": String(d), "threads": String(threads), "bandwidth": String(format: "%.6f", h)]

            var results = [String: Double]()
            func time(_ label: String, _ estimator: () throws -> EntropyEstimate, extra: [String: String] = [:]) rethrows {
                var estimate: EntropyEstimate?
                let cpu0 = Self.processorSeconds()
                let seconds = try measure(repetitions: options.repetitions, warmUp: false) { estimate = try estimator() }
                let cpu = (Self.processorSeconds() - cpu0) / Double(max(1, options.repetitions))
                guard let estimate else { return }
                results[label] = estimate.whitenedEntropy
                // CPU seconds (all threads, mean per run) tell how much a busy machine slowed the wall time.
                var metrics = ["value": estimate.whitenedEntropy, "standardError": estimate.standardError, "cpuSeconds": cpu]
                if let b = estimate.bandwidth { metrics["bandwidth"] = b }
                emit(BenchRecord(suite: name, name: label, parameters: parameters.merging(extra) { $1 },
                                 seconds: seconds, metrics: metrics))
            }
            try time("loo-entropy") {
                try KernelEntropy(estimator: .leaveOneOut, bandwidth: .fixed(h), whiten: false, threads: threads).estimate(whitened)
            }
            try time("resub-entropy") {
                try KernelEntropy(estimator: .resubstitution, bandwidth: .fixed(h), whiten: false, threads: threads).estimate(whitened)
            }
            try time("full-estimate", { try KernelEntropy(threads: threads).estimate(raw) },
                     extra: ["bandwidth": "loo-ml", "whiten": "true"])
            try time("knn-entropy", { try NearestNeighborEntropy(k: 4, whiten: false).estimate(whitened) },
                     extra: ["bandwidth": "-", "k": "4"])

            guard options.withReference else { continue }
            let file = FileManager.default.temporaryDirectory
                .appendingPathComponent("entropybook-bench-\(ProcessInfo.processInfo.processIdentifier)-\(n)x\(d).npy")
            try writeNPY(whitened, to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            var scripts = ["entropy_numpy.py"]
            if isSlowReferenceSize(n: n, d: d, quick: options.quick) { scripts += ["entropy_sklearn.py", "entropy_scipy.py"] }
            for script in scripts {
                let arguments = ["--npy", file.path, "--bandwidth", String(h), "--threads", String(threads),
                                 "--repetitions", String(script == "entropy_numpy.py" ? options.repetitions : 1)]
                for var record in try runReference(script, arguments: arguments, options: options) {
                    if let mine = results[record.name], let theirs = record.metrics["value"] {
                        record.metrics["entropybook"] = mine
                        record.metrics["difference"] = theirs - mine
                    }
                    emit(record)
                }
            }
        }
    }

    /// CPU time of this process so far (all threads), in seconds.
    static func processorSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Writes `m` as a NumPy .npy file (format 1.0, little-endian float32, C order).
    static func writeNPY(_ m: Matrix, to url: URL) throws {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(m.rows), \(m.columns)), }"
        // Magic (6) + version (2) + length (2) + header + "\n" is a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        m.elements.withUnsafeBytes { bytes += $0 } // x86-64 and arm64 are little-endian
        try Data(bytes).write(to: url)
    }
}
