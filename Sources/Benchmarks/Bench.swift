import Foundation

/// One measurement, printed by `entropybook bench` as a JSON line. Reference scripts under
/// bench/reference/ print the same shape, so both sides of a comparison read alike.
public struct BenchRecord: Codable, Sendable {
    /// The suite ("autoencoder", "entropy", …).
    public var suite: String
    /// What was measured ("epoch", "loo-entropy", …).
    public var name: String
    /// Who ran it: "entropybook", "numpy", "torch", "sklearn", …
    public var implementation: String
    /// The inputs (n, d, batch, threads, …) as strings.
    public var parameters: [String: String]
    /// Wall-clock seconds of the measured operation (median over repetitions).
    public var seconds: Double
    /// Further numbers (GFLOP/s, the computed value for cross-checking, …).
    public var metrics: [String: Double]

    public init(suite: String, name: String, implementation: String = "entropybook",
                parameters: [String: String], seconds: Double, metrics: [String: Double] = [:]) {
        self.suite = suite
        self.name = name
        self.implementation = implementation
        self.parameters = parameters
        self.seconds = seconds
        self.metrics = metrics
    }
}

/// Options every suite understands.
public struct BenchOptions: Sendable {
    /// Smaller sizes, for a smoke run.
    public var quick: Bool
    /// OpenBLAS threads.
    public var threads: Int
    /// Repetitions per measurement (the median is reported).
    public var repetitions: Int
    /// Also run the reference implementations (bench/reference/*.py) in the same run.
    public var withReference: Bool
    /// Directory of the reference scripts.
    public var referenceDirectory: URL
    public init(quick: Bool = false, threads: Int = 2, repetitions: Int = 3, withReference: Bool = true,
                referenceDirectory: URL = URL(fileURLWithPath: "bench/reference")) {
        self.quick = quick
        self.threads = threads
        self.repetitions = repetitions
        self.withReference = withReference
        self.referenceDirectory = referenceDirectory
    }
}

/// A group of measurements selectable by name on the command line.
public protocol BenchSuite {
    static var name: String { get }
    static var summary: String { get }
    static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws
}

public enum BenchRegistry {
    public static var all: [any BenchSuite.Type] { [
        LinalgBench.self, AutoencoderBench.self, EntropyBench.self, DimensionBench.self, PlotBench.self, ClassifierBench.self,
        MutualInformationBench.self, MutualInformationNeuralBench.self,
    ] }
}

/// Wall-clock seconds of `body`, median of `repetitions` runs (after one warm-up when
/// `warmUp` is true).
public func measure(repetitions: Int, warmUp: Bool = false, _ body: () throws -> Void) rethrows -> Double {
    if warmUp { try body() }
    var times = [Double]()
    for _ in 0..<max(1, repetitions) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
}

/// Errors of the benchmark harness.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs a reference script (`python3 bench/reference/SCRIPT args…`) and decodes the JSON
/// lines it prints as BenchRecords. Lines that are not JSON are passed to stderr.
public func runReference(_ script: String, arguments: [String], options: BenchOptions) throws -> [BenchRecord] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", options.referenceDirectory.appendingPathComponent(script).path] + arguments
    var env = ProcessInfo.processInfo.environment
    env["OMP_NUM_THREADS"] = String(options.threads)
    env["OPENBLAS_NUM_THREADS"] = String(options.threads)
    env["MKL_NUM_THREADS"] = String(options.threads)
    process.environment = env
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError("reference \(script) exited with status \(process.terminationStatus)")
    }
    var records = [BenchRecord]()
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        if let r = try? JSONDecoder().decode(BenchRecord.self, from: Data(line.utf8)) { records.append(r) }
        else { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
    return records
}
