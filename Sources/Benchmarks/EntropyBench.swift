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
/// Also the sample-propagation entropy h(standardised + σZ) at n = 10 000, d = 8, m = 2 000
/// (`sp-entropy`, quick or not) beside blocked numpy (bench/reference/sp_entropy_numpy.py),
/// which reads the raw samples and entropybook's draws, so the two values agree to Float32
/// round-off, not only to Monte-Carlo error.
public enum EntropyBench: BenchSuite {
    public static let name = "entropy"
    public static let summary = "KDE entropy: one-bandwidth LOO, full LOO-ML estimate, k-NN, sample propagation; numpy, scikit-learn, scipy side by side"

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
        // First: it does not depend on the scikit-learn and scipy references further down.
        try samplePropagation(options: options, threads: threads, emit: emit)
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

    /// `sp-entropy`: `SamplePropagationEntropy` (standardised, σ = 0.1) on n = 10 000 correlated
    /// Gaussian points in d = 8 with m = 2 000 draws, and the numpy reference on the same
    /// samples and draws (both written to .npy files).
    static func samplePropagation(options: BenchOptions, threads: Int, emit: (BenchRecord) -> Void) throws {
        let n = 10_000, d = 8, m = 2_000, sigma = 0.1
        var generator = SeededGenerator(seed: 5).derived("sp-entropy-bench")
        var x = generator.normalMatrix(rows: n, columns: d)
        // Unequal scales, so the standardisation and its log-det are exercised.
        for i in 0..<n { for k in 0..<d { x[i, k] = x[i, k] * Float(k + 1) + x[i, 0] } }
        let estimator = SamplePropagationEntropy(noise: sigma, samples: m, standardization: .standardize,
                                                 generator: generator.derived("draws"), threads: threads)
        var estimate: EntropyEstimate?
        let cpu0 = processorSeconds()
        let seconds = try measure(repetitions: options.repetitions) { estimate = try estimator.estimate(x) }
        let cpu = (processorSeconds() - cpu0) / Double(max(1, options.repetitions))
        guard let estimate else { return }
        let parameters = ["n": String(n), "d": String(d), "m": String(m), "threads": String(threads), "sigma": "0.1"]
        emit(BenchRecord(suite: name, name: "sp-entropy", parameters: parameters, seconds: seconds,
                         metrics: ["value": estimate.whitenedEntropy, "standardError": estimate.standardError,
                                   "logdet": estimate.logDeterminantTerm, "cpuSeconds": cpu]))

        guard options.withReference else { return }
        let stem = FileManager.default.temporaryDirectory
            .appendingPathComponent("entropybook-bench-\(ProcessInfo.processInfo.processIdentifier)-sp")
        let samplesFile = stem.appendingPathExtension("samples.npy"), drawsFile = stem.appendingPathExtension("draws.npy")
        try writeNPY(x, to: samplesFile)
        defer { try? FileManager.default.removeItem(at: samplesFile) }
        try writeNPY(try estimator.draws(for: x).draws, to: drawsFile)
        defer { try? FileManager.default.removeItem(at: drawsFile) }
        let arguments = ["--npy", samplesFile.path, "--draws", drawsFile.path, "--sigma", String(sigma),
                         "--threads", String(threads), "--repetitions", String(options.repetitions)]
        for var record in try runReference("sp_entropy_numpy.py", arguments: arguments, options: options) {
            if let theirs = record.metrics["value"] {
                record.metrics["entropybook"] = estimate.whitenedEntropy
                record.metrics["difference"] = theirs - estimate.whitenedEntropy
            }
            if let theirs = record.metrics["logdet"] { record.metrics["logdetDifference"] = theirs - estimate.logDeterminantTerm }
            emit(record)
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
