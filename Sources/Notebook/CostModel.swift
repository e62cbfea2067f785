import Foundation
import Linalg

/// The work a cell's arguments imply, in the units `MachineSpeeds` are measured in: the
/// time half of a cell's `ResourceEstimate` (memory is the other). Counted from the
/// arguments alone, before anything runs: the flops of training epochs (forward and
/// backward products), of distance blocks (‖x‖² + ‖y‖² − 2x·y through sgemm), the
/// exponentials of kernel sums, and the element-wise passes that are neither.
public struct ComputeWork: Sendable, Hashable, Codable {
    /// Multiply-adds counted as 2 flops, done by sgemm (single-threaded calls on each of the
    /// run's worker threads, as the trainers and the distance blocks make them).
    public var matrixFlops: Double
    /// Single-precision exponentials (kernel sums), spread over the worker threads.
    public var exponentials: Double
    /// Memory-bound element passes spread over the worker threads (Adam updates, neighbour
    /// selection, binning, sampling).
    public var elementOperations: Double
    /// Element passes on one thread: drawing and encoding figures, generating data sets.
    public var serialOperations: Double
    /// Times the worker threads meet (two per mini-batch of a split-product trainer, one per
    /// parallel pass): nothing on an idle machine, a scheduler's time slice each when another
    /// process holds a core, the term that makes small networks slow on a busy machine.
    public var barriers: Double

    public init(matrixFlops: Double = 0, exponentials: Double = 0, elementOperations: Double = 0,
                serialOperations: Double = 0, barriers: Double = 0) {
        self.matrixFlops = matrixFlops
        self.exponentials = exponentials
        self.elementOperations = elementOperations
        self.serialOperations = serialOperations
        self.barriers = barriers
    }

    public static let none = ComputeWork()

    public static func + (a: ComputeWork, b: ComputeWork) -> ComputeWork {
        ComputeWork(matrixFlops: a.matrixFlops + b.matrixFlops, exponentials: a.exponentials + b.exponentials,
                    elementOperations: a.elementOperations + b.elementOperations,
                    serialOperations: a.serialOperations + b.serialOperations, barriers: a.barriers + b.barriers)
    }

    public static func * (k: Double, w: ComputeWork) -> ComputeWork {
        ComputeWork(matrixFlops: k * w.matrixFlops, exponentials: k * w.exponentials, elementOperations: k * w.elementOperations,
                    serialOperations: k * w.serialOperations, barriers: k * w.barriers)
    }

    public var isEmpty: Bool {
        matrixFlops == 0 && exponentials == 0 && elementOperations == 0 && serialOperations == 0 && barriers == 0
    }
}

/// How fast this machine does each kind of work, measured once by short probes (0.83 s
/// in all) and kept in a file beside the cache directory, so every later `check`
/// and `run` prices a notebook without measuring again. The probes run the way the work
/// runs: the parallel kinds on `threads` worker threads that each make single-threaded
/// calls (as the split-product trainers, the distance blocks and the kernel sums do — not
/// OpenBLAS's own threads, which busy-wait for each other and slow down ten times when
/// another process holds a core), figures and generation on one thread. Speeds vary with
/// the machine's load; `entropybook check --estimate --measure` measures again.
public struct MachineSpeeds: Sendable, Hashable, Codable {
    /// sgemm at the shapes cells use (a 64-row shard against 512 × 512 on each worker
    /// thread), flops per second over all workers.
    public var matrixFlopsPerSecond: Double
    /// Single-precision exponentials per second over all workers (`exp` over a Float array).
    public var exponentialsPerSecond: Double
    /// Element operations per second over all workers (a multiply-add pass over a Float array).
    public var elementOperationsPerSecond: Double
    /// Element operations per second on one thread (the same pass).
    public var serialOperationsPerSecond: Double
    /// Meetings of the worker threads per second (`concurrentPerform` of nearly empty bodies).
    public var barriersPerSecond: Double
    /// Worker threads the probes ran with.
    public var threads: Int
    /// When they were measured (seconds since 1970).
    public var measuredAt: Double

    public init(matrixFlopsPerSecond: Double, exponentialsPerSecond: Double, elementOperationsPerSecond: Double,
                threads: Int = 2, measuredAt: Double = 0, serialOperationsPerSecond: Double? = nil, barriersPerSecond: Double = 1e5) {
        self.matrixFlopsPerSecond = matrixFlopsPerSecond
        self.exponentialsPerSecond = exponentialsPerSecond
        self.elementOperationsPerSecond = elementOperationsPerSecond
        self.serialOperationsPerSecond = serialOperationsPerSecond ?? elementOperationsPerSecond
        self.barriersPerSecond = barriersPerSecond
        self.threads = threads
        self.measuredAt = measuredAt
    }

    /// Seconds for `work` at these speeds.
    public func seconds(_ work: ComputeWork) -> Double {
        work.matrixFlops / matrixFlopsPerSecond + work.exponentials / exponentialsPerSecond
            + work.elementOperations / elementOperationsPerSecond + work.serialOperations / serialOperationsPerSecond
            + work.barriers / barriersPerSecond
    }

    /// The file the speeds are kept in: beside the cache directory (`output/.cache` →
    /// `output/.cache-speeds.json`).
    public static func file(besideCache cache: URL) -> URL {
        cache.deletingLastPathComponent().appendingPathComponent(cache.lastPathComponent + "-speeds.json")
    }

    /// The speeds kept in `file`, or measured now (and kept there) when it is missing,
    /// unreadable (a file from older probes lacks a speed: measured again) or `remeasure`
    /// is set. A file that cannot be written is no error: the next run measures again.
    public static func load(from file: URL?, threads: Int, remeasure: Bool = false) -> MachineSpeeds {
        if !remeasure, let file, let data = try? Data(contentsOf: file),
           let speeds = try? JSONDecoder().decode(MachineSpeeds.self, from: data), speeds.threads == threads,
           speeds.matrixFlopsPerSecond > 0, speeds.exponentialsPerSecond > 0, speeds.elementOperationsPerSecond > 0,
           speeds.serialOperationsPerSecond > 0, speeds.barriersPerSecond > 0 {
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
        let workers = max(1, threads)
        func mean(_ seconds: Double, _ body: () -> Void) -> Double {
            var count = 0
            let start = Date()
            repeat {
                body()
                count += 1
            } while Date().timeIntervalSince(start) < seconds
            return max(Date().timeIntervalSince(start) / Double(count), 1e-9)
        }
        /// `body(worker)` on every worker thread at once, as the work runs.
        func parallel(_ body: @escaping @Sendable (Int) -> Void) {
            if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
        }

        // sgemm: each worker multiplies its own 64-row shard by a 512 × 512 matrix, eight
        // times between meetings (a mini-batch's products), single-threaded calls.
        let shards = ProbeBuffers(count: workers) { _ in
            (Matrix(rows: 64, columns: 512, repeating: 0.5), Matrix(rows: 512, columns: 512, repeating: 0.25), Matrix(rows: 64, columns: 512))
        }
        let gemmSeconds = BLAS.withSingleThreadedCalls {
            mean(0.25) { parallel { w in shards.update(w) { for _ in 0..<8 { gemm($0.0, .none, $0.1, .none, into: &$0.2) } } } }
        }
        let matrix = Double(workers) * 8 * 2.0 * 64 * 512 * 512 / gemmSeconds

        let arrays = ProbeBuffers(count: workers) { _ in (0..<(1 << 16)).map { Float($0 % 97) * -0.01 } }
        let sums = ProbeBuffers(count: workers) { _ in Float(0) }
        let expSeconds = mean(0.15) {
            parallel { w in
                let total = arrays.read(w) { v in v.reduce(Float(0)) { $0 + Foundation.exp($1) } }
                sums.update(w) { $0 += total }
            }
        }
        let exponentials = Double(workers << 16) / expSeconds

        let accumulators = ProbeBuffers(count: workers) { _ in [Float](repeating: 1, count: 1 << 18) }
        let pass: @Sendable (Int) -> Void = { w in
            accumulators.update(w) { a in a.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = p[i] * 0.999 + 0.001 } } }
        }
        let elementSeconds = mean(0.15) { parallel(pass) }
        let elements = Double(workers << 18) / elementSeconds
        let serialSeconds = mean(0.12) { pass(0) }
        let serial = Double(1 << 18) / serialSeconds

        // Meetings: rounds of a short pass (16 k elements, a shard's share of a small
        // network's mini-batch) on every worker, less the same pass on one thread: what a
        // round costs beyond its work — the wait for the slowest worker, which on a busy
        // machine is a worker that lost its core.
        let chunks = ProbeBuffers(count: workers) { _ in [Float](repeating: 1, count: 1 << 14) }
        let chunk: @Sendable (Int) -> Void = { w in
            chunks.update(w) { a in a.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = p[i] * 0.999 + 0.001 } } }
        }
        let roundSeconds = mean(0.12) { for _ in 0..<16 { parallel(chunk) } } / 16
        let aloneSeconds = mean(0.04) { for _ in 0..<16 { chunk(0) } } / 16
        let barriers = 1 / max(roundSeconds - aloneSeconds, 1e-6)

        let sink = (0..<workers).reduce(Float(0)) { $0 + sums.read($1) { $0 } + accumulators.read($1) { $0[0] } + chunks.read($1) { $0[0] } }
        if sink.isNaN { return MachineSpeeds(matrixFlopsPerSecond: matrix, exponentialsPerSecond: 1e8, elementOperationsPerSecond: 1e9,
                                             threads: threads) }
        return MachineSpeeds(matrixFlopsPerSecond: matrix, exponentialsPerSecond: exponentials, elementOperationsPerSecond: elements,
                             threads: threads, measuredAt: Date().timeIntervalSince1970, serialOperationsPerSecond: serial,
                             barriersPerSecond: barriers)
    }
}

/// One value per probe worker, each touched only by its worker (and read after the probe):
/// raw storage, so workers touching different values never contend for one array.
private final class ProbeBuffers<Value>: @unchecked Sendable {
    private let values: UnsafeMutablePointer<Value>
    private let count: Int
    init(count: Int, _ make: (Int) -> Value) {
        self.count = count
        values = .allocate(capacity: count)
        for i in 0..<count { (values + i).initialize(to: make(i)) }
    }
    deinit {
        values.deinitialize(count: count)
        values.deallocate()
    }
    func update(_ worker: Int, _ body: (inout Value) -> Void) { body(&values[worker]) }
    func read<T>(_ worker: Int, _ body: (Value) -> T) -> T { body(values[worker]) }
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
    /// The work the seconds price (`check --estimate --json` prints it, so the model can be
    /// checked against measured times kind by kind).
    public var work: ComputeWork = .none
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
