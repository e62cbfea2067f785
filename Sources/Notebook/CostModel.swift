import Foundation
import Linalg

/// The work a cell's arguments imply, in the units `MachineSpeeds` are measured in: the
/// time half of a cell's `ResourceEstimate` (memory is the other). Counted from the
/// arguments alone, before anything runs: the flops of training epochs (forward and
/// backward products), of distance blocks (‖x‖² + ‖y‖² − 2x·y through sgemm), the
/// exponentials of kernel sums, and the element-wise passes that are neither.
public struct ComputeWork: Sendable, Hashable, Codable {
    /// Multiply-adds counted as 2 flops, done by sgemm.
    public var matrixFlops: Double
    /// Single-precision exponentials (kernel sums).
    public var exponentials: Double
    /// Memory-bound element passes (Adam updates, neighbour selection, binning, sampling).
    public var elementOperations: Double

    public init(matrixFlops: Double = 0, exponentials: Double = 0, elementOperations: Double = 0) {
        self.matrixFlops = matrixFlops
        self.exponentials = exponentials
        self.elementOperations = elementOperations
    }

    public static let none = ComputeWork()

    public static func + (a: ComputeWork, b: ComputeWork) -> ComputeWork {
        ComputeWork(matrixFlops: a.matrixFlops + b.matrixFlops, exponentials: a.exponentials + b.exponentials,
                    elementOperations: a.elementOperations + b.elementOperations)
    }

    public static func * (k: Double, w: ComputeWork) -> ComputeWork {
        ComputeWork(matrixFlops: k * w.matrixFlops, exponentials: k * w.exponentials, elementOperations: k * w.elementOperations)
    }

    public var isEmpty: Bool { matrixFlops == 0 && exponentials == 0 && elementOperations == 0 }
}

/// How fast this machine does each kind of work, measured once by short probes (about a
/// second in all) and kept in a file beside the cache directory, so every later `check`
/// and `run` prices a notebook without measuring again. Speeds vary with the machine's
/// load; `entropybook check --estimate --measure` measures again.
public struct MachineSpeeds: Sendable, Hashable, Codable {
    /// sgemm at the shapes cells use (a 256-row block against 512 × 512), flops per second.
    public var matrixFlopsPerSecond: Double
    /// Vectorised single-precision exponentials per second (`exp` over a Float array).
    public var exponentialsPerSecond: Double
    /// Element operations per second (a multiply-add pass over a Float array).
    public var elementOperationsPerSecond: Double
    /// BLAS threads the probes ran with.
    public var threads: Int
    /// When they were measured (seconds since 1970).
    public var measuredAt: Double

    public init(matrixFlopsPerSecond: Double, exponentialsPerSecond: Double, elementOperationsPerSecond: Double,
                threads: Int = 2, measuredAt: Double = 0) {
        self.matrixFlopsPerSecond = matrixFlopsPerSecond
        self.exponentialsPerSecond = exponentialsPerSecond
        self.elementOperationsPerSecond = elementOperationsPerSecond
        self.threads = threads
        self.measuredAt = measuredAt
    }

    /// Seconds for `work` at these speeds.
    public func seconds(_ work: ComputeWork) -> Double {
        work.matrixFlops / matrixFlopsPerSecond + work.exponentials / exponentialsPerSecond
            + work.elementOperations / elementOperationsPerSecond
    }

    /// The file the speeds are kept in: beside the cache directory (`output/.cache` →
    /// `output/.cache-speeds.json`).
    public static func file(besideCache cache: URL) -> URL {
        cache.deletingLastPathComponent().appendingPathComponent(cache.lastPathComponent + "-speeds.json")
    }

    /// The speeds kept in `file`, or measured now (and kept there) when it is missing,
    /// unreadable or `remeasure` is set. A file that cannot be written is no error: the
    /// next run measures again.
    public static func load(from file: URL?, threads: Int, remeasure: Bool = false) -> MachineSpeeds {
        if !remeasure, let file, let data = try? Data(contentsOf: file),
           let speeds = try? JSONDecoder().decode(MachineSpeeds.self, from: data), speeds.threads == threads,
           speeds.matrixFlopsPerSecond > 0, speeds.exponentialsPerSecond > 0, speeds.elementOperationsPerSecond > 0 {
            return speeds
        }
        let speeds = measure(threads: threads)
        if let file, let data = try? JSONEncoder().encode(speeds) {
            try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? data.write(to: file, options: .atomic)
        }
        return speeds
    }

    /// Short probes: each kind of work repeated for a few tenths of a second, the mean time
    /// kept — not the best: on a machine shared with other work a run gets the share the
    /// probes got, and the estimate should say what the run will take here, now.
    public static func measure(threads: Int) -> MachineSpeeds {
        func best(_ seconds: Double, _ body: () -> Void) -> Double {
            var count = 0
            let start = Date()
            repeat {
                body()
                count += 1
            } while Date().timeIntervalSince(start) < seconds
            return max(Date().timeIntervalSince(start) / Double(count), 1e-9)
        }
        let a = Matrix(rows: 256, columns: 512, repeating: 0.5)
        let b = Matrix(rows: 512, columns: 512, repeating: 0.25)
        var c = Matrix(rows: 256, columns: 512)
        BLAS.setThreads(threads)
        let gemmSeconds = best(0.3) { gemm(a, .none, b, .none, into: &c) }
        let matrix = 2.0 * 256 * 512 * 512 / gemmSeconds

        var values = [Float](repeating: 0, count: 1 << 16)
        for i in values.indices { values[i] = Float(i % 97) * -0.01 }
        var sink: Float = 0
        let expSeconds = best(0.2) {
            var total: Float = 0
            values.withUnsafeBufferPointer { v in for x in v { total += Foundation.exp(x) } }
            sink += total
        }
        let exponentials = Double(values.count) / expSeconds

        var accumulator = [Float](repeating: 1, count: 1 << 18)
        let elementSeconds = best(0.2) {
            accumulator.withUnsafeMutableBufferPointer { p in
                for i in p.indices { p[i] = p[i] * 0.999 + 0.001 }
            }
        }
        let elements = Double(accumulator.count) / elementSeconds
        if sink.isNaN || accumulator[0].isNaN { return MachineSpeeds(matrixFlopsPerSecond: matrix, exponentialsPerSecond: 1e8,
                                                                     elementOperationsPerSecond: 1e9, threads: threads) }
        return MachineSpeeds(matrixFlopsPerSecond: matrix, exponentialsPerSecond: exponentials,
                             elementOperationsPerSecond: elements, threads: threads, measuredAt: Date().timeIntervalSince1970)
    }
}

/// One cell's estimate, as `check --estimate` prints it and the time budget reads it.
public struct CellEstimate: Sendable, Hashable, Codable {
    /// The cell's id, or `cell-N`.
    public var id: String
    public var directive: String
    /// Line of the cell's fence.
    public var line: Int
    /// Estimated seconds (0 when the directive does no sizeable work).
    public var seconds: Double
    /// Estimated peak bytes (0 when the directive holds nothing sizeable).
    public var memoryBytes: Double
    /// The parameter that drives the time, and its line.
    public var timeParameter: String?
    public var timeParameterLine: Int?
    /// How the time is made up, for messages.
    public var timeExplanation: String?
}

/// "1.2 s", "3 min 20 s", "2 h 5 min": a duration as messages print it.
public func describeSeconds(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "forever" }
    if seconds < 0.1 { return "under 0.1 s" }
    if seconds < 60 { return String(format: seconds < 10 ? "%.1f s" : "%.0f s", seconds) }
    let total = Int(seconds.rounded())
    if total < 3600 { return "\(total / 60) min \(total % 60) s" }
    if total < 86_400 { return "\(total / 3600) h \(total % 3600 / 60) min" }
    return String(format: "%.1f days", seconds / 86_400)
}

/// Parses `--time-limit`: `90s`, `10 min`, `2h`, `1.5h`, `1d` or seconds.
public func parseDuration(_ text: String) -> Double? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Double)] = [("days", 86_400), ("day", 86_400), ("d", 86_400), ("hours", 3600), ("hour", 3600), ("h", 3600),
                                     ("minutes", 60), ("minute", 60), ("min", 60), ("m", 60),
                                     ("seconds", 1), ("second", 1), ("sec", 1), ("s", 1)]
    for (suffix, scale) in units where t.hasSuffix(suffix) {
        guard let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0 else { return nil }
        return v * scale
    }
    guard let v = Double(t), v.isFinite, v > 0 else { return nil }
    return v
}
