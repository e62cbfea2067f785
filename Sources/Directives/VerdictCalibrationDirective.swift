import Autoencoder
import EntropyCurve
import Foundation
import Linalg
import Notebook

/// `{verdict-calibration}` — scores every way of reading a dimension (the H(d) rules, the
/// noisy-slope verdict per σ and threshold, MLE, TwoNN, CorrInt) on the benchmark family at
/// several n and seeds, and picks the default verdict from the table. Each (set, n, seed)
/// sweep is memoized, so changing only the rules re-scores without retraining.
public enum VerdictCalibrationDirective: Directive {
    /// The labels of the summary table and the default's details that readers (the README's
    /// block) look up: declared once, here, for `CalibrationReport` and them.
    public enum Label {
        public static let method = "method"
        public static let meanError = "mean |error|, k ≤ 6"
        public static let meetsAcceptance = "meets acceptance"
        /// What the summary's noisy-slope verdict rows start with.
        public static let noisySlopeVerdictPrefix = VerdictCalibration.noisySlopeVerdictPrefix
        /// What the rows of the noisy slope alone (without the verdict's cross-checks) start with.
        public static let noisySlopeAlonePrefix = VerdictCalibration.noisySlopeAlonePrefix
    }

    public static let name = "verdict-calibration"
    public static let summary = "calibrate the dimension verdict: every rule on benchmark manifolds of known k, confusion tables"

    public static let parameters = Settings.parameters

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: .table, doc: "one row per method: exact rate, far-off rate, mean |error|, not-resolvable rate"),
            ResultSlot("confusion", kind: .table, doc: "true k × answer of the chosen default verdict"),
            ResultSlot("cases", kind: .table, doc: "one row per (set, n, seed): every method's answer"),
            ResultSlot("default", kind: .estimate, doc: "the chosen σ (details: threshold position, rates)"),
        ]
    }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("sample sizes n (quick mode: 300)", 50...1_000_000) var sizes = [1000, 2500, 5000]
        @Param("seeds per (set, n) (quick mode: 1)", 1...50) var seeds = 3
        @Param("add the k = 8 sets (quick mode: off)") var high = true
        @Param("use only the first this many sets of the family (quick mode: 2)", 1...100) var sets: Int?
        @Param("sweep d = 1 … k + beyond", 1...20) var beyond = 3
        @Param("epochs per autoencoder (quick mode: 3)", 1...100_000) var epochs = 30
        @Param("encoder hidden widths (default: sized to the data)", 1...65_536) var hidden: [Int]?
        @Param("noise levels σ of the noisy-slope rule", 1e-3...10) var sigmas = [0.1, 0.2, 0.3, 0.5]
        @Param("where τ sits between the noise increment (0) and a full coordinate's (1)", 0.01...0.99) var positions = [0.35, 0.5, 0.65]
        @Param("KDE entropies on at most this many codes", 50...1_000_000) var kdeSample = 2000

        /// Quick mode: two sets, n = 300, one seed, 3 epochs, d up to k + 2.
        mutating func applyQuickMode(_ quick: Bool) -> String? {
            guard quick else { return nil }
            (sizes, seeds, epochs, high, sets, beyond) = ([300], 1, min(epochs, 3), false, min(sets ?? 2, 2), min(beyond, 2))
            return "Quick mode: two sets, n = 300, one seed, 3 epochs, d up to k + 2; the numbers say nothing."
        }

        func calibration(threads: Int, seed: UInt64) -> VerdictCalibration.Settings {
            VerdictCalibration.Settings(sizes: sizes, seeds: seeds, beyond: beyond, hidden: hidden,
                                        training: TrainingOptions(epochs: epochs, threads: threads), kdeSample: kdeSample,
                                        noisy: NoisyEntropySettings(sigmas: sigmas), seed: seed)
        }
    }

    /// What one memoized sweep depends on.
    struct CaseKey: Encodable {
        var settings: VerdictCalibration.Settings
        var set: String
        var n: Int
        var seed: Int
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        var cell = try arguments.decode(Settings.self)
        let warnings = cell.applyQuickMode(context.settings.quick).map { [$0] } ?? []
        var family = try VerdictCalibration.family(high: cell.high)
        if let m = cell.sets { family = Array(family.prefix(m)) }
        let settings = cell.calibration(threads: context.settings.threads, seed: context.seed)
        let calibration = VerdictCalibration(settings: settings)
        var cases = [VerdictCalibration.Case]()
        let jobs = family.flatMap { b in settings.sizes.flatMap { n in (0..<settings.seeds).map { (b, n, $0) } } }
        for (i, (benchmark, n, seed)) in jobs.enumerated() {
            context.progress(Double(i) / Double(jobs.count), "\(benchmark.name), n = \(n), seed \(seed + 1)")
            let key = CaseKey(settings: settings, set: benchmark.name, n: n, seed: seed)
            let value = try context.memoized("verdict-calibration case", key: key) {
                CalibrationCaseValue(try calibration.run(benchmark, n: n, seed: seed))
            }
            cases.append(value.calibrationCase)
        }
        context.progress(1, "scoring")
        return try CalibrationReport(cases: cases, sigmas: settings.noisy.sigmas, positions: cell.positions,
                                     warnings: warnings).result()
    }
}

/// One calibration case as the cache stores it (JSON: the points and the direct estimates).
public struct CalibrationCaseValue: CacheableValue {
    public static var kind: ValueKind { "calibration-case" }
    public static var cacheTag: String { "calibration-case" }
    public var calibrationCase: VerdictCalibration.Case
    public init(_ c: VerdictCalibration.Case) { calibrationCase = c }
    public var summary: String { "\(calibrationCase.set), n = \(calibrationCase.n), seed \(calibrationCase.seed + 1)" }
    public func encode(to writer: inout ByteWriter) throws { try writer.write(json: calibrationCase) }
    public static func decode(from reader: inout ByteReader) throws -> CalibrationCaseValue {
        CalibrationCaseValue(try reader.readJSON(VerdictCalibration.Case.self))
    }
}
