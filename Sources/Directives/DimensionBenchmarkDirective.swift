import Datasets
import EntropyCurve
import Foundation
import Notebook

/// `{dimension-benchmark}` — every intrinsic-dimension estimator on scikit-dimension's 24
/// benchmark manifolds at several n and seeds (clean), and on the low-k ones with isotropic
/// Gaussian noise of a fraction of the data's spread; scored by the exact rate of the rounded
/// estimate and the mean relative error |d̂ − k|/k (the metric of the literature's anchors).
/// An adapter over `EstimatorCalibration`; each case is memoized.
public enum DimensionBenchmarkDirective: Directive {
    public static let name = "dimension-benchmark"
    public static let summary = "intrinsic-dimension estimators on scikit-dimension's 24 benchmark manifolds, clean and noisy: exact rate, mean relative error"

    public static let parameters = Settings.parameters

    public static var results: [ResultSlot] {
        [
            ResultSlot(kind: .table, doc: "one row per estimator on the clean manifolds: exact rate, mean relative error, more than 1 off"),
            ResultSlot("noisy", kind: .table, doc: "one row per (noise level, estimator) on the low-k manifolds: exact, confidently wrong, not resolvable"),
            ResultSlot("cases", kind: .table, doc: "one row per (manifold, n, seed, noise): every estimate"),
        ]
    }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("sample sizes n (quick mode: 300)", 100...100_000) var sizes = [1000, 2500]
        @Param("seeds per (manifold, n) (quick mode: 1)", 1...50) var seeds = 5
        @Param("the first seed: seeds first-seed … first-seed + seeds − 1 (a run on seeds that chose no threshold)", 1...1000)
        var firstSeed = 1
        @Param("noise levels, as fractions of the data's spread √(tr Σ), for the noisy variants (quick mode: 0.02)", 0...0.5)
        var noise = [0.005, 0.01, 0.02, 0.05]
        @Param("the noisy variants use the manifolds with k at most this", 1...100) var noisyMaxK = 4
        @Param("use only the first this many manifolds (quick mode: 3)", 1...24) var sets: Int?
    }

    struct CaseKey: Encodable {
        var version = 4
        var set: String, n: Int, seed: Int, noise: Double, methods: [String], root: UInt64
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        var cell = try arguments.decode(Settings.self)
        var notes = [OutputItem]()
        if context.settings.quick {
            (cell.sizes, cell.seeds, cell.noise, cell.sets) = ([300], 1, [0.02], min(cell.sets ?? 3, 3))
            notes.append(.warning("Quick mode: three manifolds, n = 300, one seed, noise 2 %; the numbers say nothing."))
        }
        var family = ScikitDimensionManifold.all
        if let m = cell.sets { family = Array(family.prefix(m)) }
        let noisyMethods = EstimatorCalibration.methods
        var jobs = [(ScikitDimensionManifold, Int, Int, Double, [String])]()
        let seeds = (cell.firstSeed - 1)..<(cell.firstSeed - 1 + cell.seeds)
        for m in family { for n in cell.sizes { for s in seeds { jobs.append((m, n, s, 0, EstimatorCalibration.methods)) } } }
        for level in cell.noise where level > 0 {
            for m in family where m.intrinsicDimension <= cell.noisyMaxK {
                for n in cell.sizes { for s in seeds { jobs.append((m, n, s, level, noisyMethods)) } }
            }
        }
        var cases = [EstimatorCalibration.Case]()
        for (i, (m, n, s, level, methods)) in jobs.enumerated() {
            context.progress(Double(i) / Double(jobs.count), "\(m.id), n = \(n), seed \(s + 1), noise \(formatNumber(100 * level)) %")
            let key = CaseKey(set: m.id, n: n, seed: s, noise: level, methods: methods, root: context.seed)
            let value = try context.memoized("dimension-benchmark case", key: key) {
                EstimatorCaseValue(try EstimatorCalibration.run(m, n: n, seed: s, noise: level, methods: methods,
                                                               rootSeed: context.seed, threads: context.settings.threads))
            }
            cases.append(value.estimatorCase.withAutomaticAnswer())
        }
        func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f %%", 100 * x) : "—" }
        let clean = cases.filter { $0.noise == 0 }
        let cleanRows = EstimatorCalibration.methods.map { method -> [String] in
            let s = EstimatorCalibration.score(clean, method: method)
            let low = EstimatorCalibration.score(clean.filter { $0.k <= 6 }, method: method)
            return [method, String(s.cases), percent(s.meanRelativeError), percent(s.exactRate), percent(low.exactRate),
                    percent(s.moreThanOneOffRate), percent(s.notResolvableRate)]
        }
        let cleanTable = Table(title: "Estimators on the \(family.count) benchmark manifolds, clean (n ∈ \(cell.sizes.map(String.init).joined(separator: ", ")), seeds \(seeds.lowerBound + 1)–\(seeds.upperBound))",
                               columns: ["method", "cases", "MRE", "exact", "exact k ≤ 6", "more than 1 off", "not resolvable"], rows: cleanRows)
        var noisyRows = [[String]]()
        for level in cell.noise where level > 0 {
            let at = cases.filter { $0.noise == level }
            for method in noisyMethods {
                let s = EstimatorCalibration.score(at, method: method)
                noisyRows.append(["\(formatNumber(100 * level)) % \(method)", String(s.cases), percent(s.exactRate),
                                  percent(s.confidentWrongRate), percent(s.moreThanOneOffRate), percent(s.notResolvableRate), percent(s.meanRelativeError)])
            }
        }
        let noisyTable = Table(title: "Low-k manifolds (k ≤ \(cell.noisyMaxK)) with isotropic Gaussian noise (σ a fraction of √(tr Σ))",
                               columns: ["noise and method", "cases", "exact", "confident and wrong", "more than 1 off", "not resolvable", "MRE"],
                               rows: noisyRows)
        let caseRows = cases.map { c -> [String] in
            [c.set, String(c.k), String(c.n), String(c.seed + 1), formatNumber(100 * c.noise)]
                + EstimatorCalibration.methods.map { c.estimates[$0].map { formatNumber($0, significantDigits: 3) } ?? "" }
                + [c.autoResolved ? c.autoMethod : "not resolvable", c.grideCurve.map { formatNumber($0, significantDigits: 3) }.joined(separator: " "),
                   formatNumber(c.seconds, significantDigits: 2)]
        }
        let caseTable = Table(title: "Every case", columns: ["set", "k", "n", "seed", "noise %"] + EstimatorCalibration.methods + ["auto used", "Gride at n₁ = 1, 2, 4, …", "seconds"],
                              rows: caseRows)
        return CellResult(values: ["": cleanTable, "noisy": noisyTable, "cases": caseTable],
                          outputs: notes + [.table(cleanTable), .table(noisyTable), .table(caseTable)])
    }
}

/// One benchmark case as the cache stores it (JSON).
public struct EstimatorCaseValue: CacheableValue {
    public static var kind: ValueKind { "estimator-case" }
    public static var cacheTag: String { "estimator-case" }
    public var estimatorCase: EstimatorCalibration.Case
    public init(_ c: EstimatorCalibration.Case) { estimatorCase = c }
    public var summary: String { "\(estimatorCase.set), n = \(estimatorCase.n), seed \(estimatorCase.seed + 1)" }
    public func encode(to writer: inout ByteWriter) throws { try writer.write(json: estimatorCase) }
    public static func decode(from reader: inout ByteReader) throws -> EstimatorCaseValue {
        EstimatorCaseValue(try reader.readJSON(EstimatorCalibration.Case.self))
    }
}
