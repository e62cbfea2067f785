import Datasets
import Foundation
import Linalg
import MutualInformation

/// `entropybook bench mi-neural`: the InfoNCE critic (bmi's 16-8 concatenated critic, batch
/// 256, lr 0.1) trained for a fixed number of steps on 3 correlated Gaussian pairs (ρ = 0.8,
/// I = 1.53 nats, n = 5 000, half held out), beside the same algorithm in numpy
/// (bench/reference/mi_infonce_numpy.py) on the same rows (written as .npy); both report
/// seconds and their estimate. Then NWJ with the same settings, without a reference.
///
/// With `ENTROPYBOOK_MI_TASKS=DIR` it also runs InfoNCE and NWJ with bmi's defaults (early
/// stopping) and the compressed estimator on every task in DIR — subdirectories holding x.npy,
/// y.npy and task.json (`{"name": …, "truth": …}`, as bench/reference/mi_bmi_tasks.py writes
/// them from Czyż et al.'s benchmark) — one record per (task, estimator) with the truth.
/// Quick mode: n = 1 000, 200 steps.
public enum MutualInformationNeuralBench: BenchSuite {
    public static let name = "mi-neural"
    public static let summary = "InfoNCE critic training vs numpy on the same data; NWJ; with ENTROPYBOOK_MI_TASKS=DIR, the neural and compressed estimators on bmi tasks"

    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let n = options.quick ? 1_000 : 5_000, steps = options.quick ? 200 : 2_000, pairs = 3, rho = 0.8
        var generator = SeededGenerator(seed: 3)
        var x = Matrix(rows: n, columns: pairs), y = Matrix(rows: n, columns: pairs)
        for k in 0..<(n * pairs) {
            let a = generator.normal()
            x.elements[k] = Float(a)
            y.elements[k] = Float(rho * a + (1 - rho * rho).squareRoot() * generator.normal())
        }
        let truth = -0.5 * Double(pairs) * Foundation.log(1 - rho * rho)
        var reference: Double?
        if options.withReference {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("entropybook-mi-bench-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let xURL = directory.appendingPathComponent("x.npy"), yURL = directory.appendingPathComponent("y.npy")
            try npyBytes(x).write(to: xURL)
            try npyBytes(y).write(to: yURL)
            do {
                for var record in try runReference("mi_infonce_numpy.py", arguments: [
                    "--x", xURL.path, "--y", yURL.path, "--batch", "256", "--steps", String(steps), "--lr", "0.1",
                    "--threads", String(options.threads),
                ], options: options) {
                    record.metrics["truth"] = truth
                    emit(record)
                    reference = record.seconds
                }
            } catch {
                FileHandle.standardError.write(Data("bench mi-neural: mi_infonce_numpy.py failed (\(error)); continuing without it\n".utf8))
            }
        }
        for objective in CriticObjective.allCases {
            let critic = NeuralCriticOptions(objective: objective, maximumSteps: steps, patience: nil, threads: options.threads)
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try NeuralCritic.estimate(x: x, y: y, options: critic)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var metrics = ["estimate": result.estimate.value, "truth": truth, "secondsPerStep": seconds / Double(steps),
                           "standardError": result.estimate.details["standardError"] ?? .nan]
            if objective == .infoNCE, let reference { metrics["ratio_to_numpy"] = seconds / reference }
            emit(BenchRecord(suite: name, name: objective.rawValue, parameters: [
                "n": String(n), "dx": String(pairs), "dy": String(pairs), "batch": "256", "steps": String(steps),
                "critic": "16,8", "threads": String(options.threads),
            ], seconds: seconds, metrics: metrics))
        }
        if let directory = ProcessInfo.processInfo.environment["ENTROPYBOOK_MI_TASKS"] {
            try runTasks(in: URL(fileURLWithPath: directory), options: options, emit: emit)
        }
    }

    /// Every task under `directory`: InfoNCE and NWJ with bmi's defaults, and the compressed
    /// estimator (d′ = 4 per side) for sides wider than 4 columns.
    static func runTasks(in directory: URL, options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        for task in tasks {
            let folder = directory.appendingPathComponent(task)
            guard let info = try? Data(contentsOf: folder.appendingPathComponent("task.json")),
                  let object = try JSONSerialization.jsonObject(with: info) as? [String: Any],
                  let truth = object["truth"] as? Double else { continue }
            let x = try matrix(NPYFile.read(folder.appendingPathComponent("x.npy")))
            let y = try matrix(NPYFile.read(folder.appendingPathComponent("y.npy")))
            let parameters = ["task": (object["name"] as? String) ?? task, "n": String(x.rows), "dx": String(x.columns),
                              "dy": String(y.columns), "threads": String(options.threads)]
            func record(_ estimator: String, _ estimate: MutualInformationEstimate, seconds: Double) {
                var metrics = estimate.details.merging(["estimate": estimate.value, "truth": truth,
                                                        "error": estimate.value - truth]) { $1 }
                if let lower = estimate.lower, let upper = estimate.upper {
                    metrics["lower"] = lower
                    metrics["upper"] = upper
                    metrics["covers"] = lower <= truth && truth <= upper ? 1 : 0
                }
                emit(BenchRecord(suite: name, name: "task-" + estimator, parameters: parameters, seconds: seconds, metrics: metrics))
            }
            for objective in CriticObjective.allCases {
                let start = DispatchTime.now().uptimeNanoseconds
                let result = try NeuralCritic.estimate(x: x, y: y, options: NeuralCriticOptions(objective: objective, threads: options.threads))
                record(objective.rawValue, result.estimate, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            if max(x.columns, y.columns) > 4 {
                let start = DispatchTime.now().uptimeNanoseconds
                var settings = CompressedMutualInformation.Settings()
                settings.training.threads = options.threads
                let estimate = try CompressedMutualInformation(settings: settings)
                    .estimate(x: x, y: y, codeEstimator: "KSG stand-in", estimateCodes: { try kraskovStandIn($0, $1, k: 3) })
                record("compressed", estimate, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
        }
    }

    /// KSG estimator 1 (Kraskov, Stögbauer & Grassberger 2004, eq. 8) by brute force in max-norm,
    /// O(n²·d): ψ(k) + ψ(n) − ⟨ψ(nₓ + 1) + ψ(n_y + 1)⟩. A stand-in for the module's KSG (written
    /// by the other half of issue 26) so the compressed estimator can be measured here; the
    /// lead swaps it for that one when merging.
    static func kraskovStandIn(_ x: Matrix, _ y: Matrix, k: Int) throws -> Double {
        let n = x.rows
        guard n > k + 1 else { throw BenchError("KSG needs more than k + 1 rows") }
        func distance(_ m: Matrix, _ i: Int, _ j: Int) -> Float {
            var d: Float = 0
            for c in 0..<m.columns { d = max(d, abs(m.elements[i * m.columns + c] - m.elements[j * m.columns + c])) }
            return d
        }
        var sum = 0.0
        var nearest = [Float](repeating: 0, count: k)
        for i in 0..<n {
            // The k smallest joint distances, ascending.
            for c in 0..<k { nearest[c] = .infinity }
            for j in 0..<n where j != i {
                var d = max(distance(x, i, j), distance(y, i, j))
                guard d < nearest[k - 1] else { continue }
                for c in 0..<k where d < nearest[c] { swap(&d, &nearest[c]) }
            }
            let epsilon = nearest[k - 1]
            var nx = 0, ny = 0
            for j in 0..<n where j != i {
                if distance(x, i, j) < epsilon { nx += 1 }
                if distance(y, i, j) < epsilon { ny += 1 }
            }
            sum += digamma(Double(nx + 1)) + digamma(Double(ny + 1))
        }
        return digamma(Double(k)) + digamma(Double(n)) - sum / Double(n)
    }

    /// ψ(x) for x ≥ 1: recurrence up to 6, then the asymptotic series.
    static func digamma(_ x: Double) -> Double {
        var x = x, result = 0.0
        while x < 6 { result -= 1 / x; x += 1 }
        let f = 1 / (x * x)
        return result + Foundation.log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f / 240)))
    }

    static func matrix(_ array: NPYArray) throws -> Matrix {
        switch array.shape.count {
        case 1: return Matrix(rows: array.shape[0], columns: 1, elements: array.values)
        case 2: return Matrix(rows: array.shape[0], columns: array.shape[1], elements: array.values)
        default: throw BenchError("expected a 1- or 2-D array, got shape \(array.shape)")
        }
    }

    /// A float32 C-order .npy (format 1.0) of `m`.
    static func npyBytes(_ m: Matrix) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(m.rows), \(m.columns)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        m.elements.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }
}
