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
    public static let name = "verdict-calibration"
    public static let summary = "calibrate the dimension verdict: every rule on benchmark manifolds of known k, confusion tables"

    public static let parameters: [Parameter] = [
        Parameter("sizes", .intList(50...1_000_000), default: .list([1000, 2500, 5000].map(ParameterValue.int)),
                  doc: "sample sizes n (quick mode: 300)"),
        Parameter("seeds", .int(1...50), default: .int(3), doc: "seeds per (set, n) (quick mode: 1)"),
        Parameter("high", .bool, default: .bool(true), doc: "add the k = 8 sets (quick mode: off)"),
        Parameter("sets", .int(1...100), doc: "use only the first this many sets of the family (quick mode: 2)"),
        Parameter("beyond", .int(1...20), default: .int(3), doc: "sweep d = 1 … k + beyond"),
        Parameter("epochs", .int(1...100_000), default: .int(30), doc: "epochs per autoencoder (quick mode: 3)"),
        Parameter("hidden", .intList(1...65_536), doc: "encoder hidden widths (default: sized to the data)"),
        Parameter("sigmas", .doubleList(1e-3...10), default: .list([0.1, 0.2, 0.3, 0.5].map(ParameterValue.double)),
                  doc: "noise levels σ of the noisy-slope rule"),
        Parameter("positions", .doubleList(0.01...0.99), default: .list([0.35, 0.5, 0.65].map(ParameterValue.double)),
                  doc: "where τ sits between the noise increment (0) and a full coordinate's (1)"),
        Parameter("kde-sample", .int(50...1_000_000), default: .int(2000), doc: "KDE entropies on at most this many codes"),
    ]

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: .table, doc: "one row per method: exact rate, far-off rate, mean |error|, not-resolvable rate"),
            ResultSlot("confusion", kind: .table, doc: "true k × answer of the chosen default verdict"),
            ResultSlot("cases", kind: .table, doc: "one row per (set, n, seed): every method's answer"),
            ResultSlot("default", kind: .estimate, doc: "the chosen σ (details: threshold position, rates)"),
        ]
    }

    struct Settings {
        var calibration: VerdictCalibration.Settings
        var high: Bool
        var sets: Int?
        var positions: [Double]
        var warnings: [String]

        init(_ arguments: Arguments, context: CellContext) throws {
            let quick = context.settings.quick
            var warnings = [String]()
            var sizes = try arguments.ints("sizes"), seeds = try arguments.int("seeds"), epochs = try arguments.int("epochs")
            var high = try arguments.bool("high"), sets = try arguments.optionalInt("sets"), beyond = try arguments.int("beyond")
            if quick {
                warnings.append("Quick mode: two sets, n = 300, one seed, 3 epochs, d up to k + 2; the numbers say nothing.")
                (sizes, seeds, epochs, high, sets, beyond) = ([300], 1, min(epochs, 3), false, min(sets ?? 2, 2), min(beyond, 2))
            }
            let training = TrainingOptions(epochs: epochs, threads: context.settings.threads)
            calibration = VerdictCalibration.Settings(
                sizes: sizes, seeds: seeds, beyond: beyond, hidden: arguments.has("hidden") ? try arguments.ints("hidden") : nil,
                training: training, kdeSample: try arguments.int("kde-sample"),
                noisy: NoisyEntropySettings(sigmas: try arguments.doubles("sigmas")), seed: context.seed)
            self.high = high
            self.sets = sets
            positions = try arguments.doubles("positions")
            self.warnings = warnings
        }
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let settings = try Settings(arguments, context: context)
        var family = try VerdictCalibration.family(high: settings.high)
        if let m = settings.sets { family = Array(family.prefix(m)) }
        let calibration = VerdictCalibration(settings: settings.calibration)
        let settingsKey = String(decoding: (try? JSONEncoder.sorted.encode(settings.calibration)) ?? Data(), as: UTF8.self)
        var cases = [VerdictCalibration.Case]()
        let jobs = family.flatMap { b in settings.calibration.sizes.flatMap { n in (0..<settings.calibration.seeds).map { (b, n, $0) } } }
        for (i, (benchmark, n, seed)) in jobs.enumerated() {
            context.progress(Double(i) / Double(jobs.count), "\(benchmark.name), n = \(n), seed \(seed + 1)")
            let value = try context.memoized(["verdict-calibration case", settingsKey, benchmark.name, String(n), String(seed)]) {
                CalibrationCaseValue(try calibration.run(benchmark, n: n, seed: seed))
            }
            cases.append(value.calibrationCase)
        }
        context.progress(1, "scoring")
        return try CalibrationReport(cases: cases, sigmas: settings.calibration.noisy.sigmas, positions: settings.positions,
                                     warnings: settings.warnings).result()
    }
}

extension JSONEncoder {
    /// Keys sorted, so the same settings always give the same memo key.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
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
