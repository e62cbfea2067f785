import Datasets
import Dimension
import Foundation
import Linalg
import Notebook

/// `{dimension}` — several intrinsic-dimension estimates of one data set side by side:
/// correlation dimension (with CorrInt), Levina–Bickel MLE, TwoNN and PCA. An adapter over
/// the Dimension library; one neighbour search serves CorrInt, MLE and TwoNN.
public enum DimensionDirective: Directive {
    public static let name = "dimension"
    public static let summary = "Intrinsic dimension by correlation dimension, CorrInt, Levina–Bickel MLE, TwoNN and PCA, in one table"

    static let methods = ["corrdim", "mle", "twonn", "pca"]

    public static let parameters: [Parameter] = [
        Parameter("data", .reference([.dataset]), required: true, doc: "the points: an earlier dataset or autoencoder codes"),
        Parameter("methods", .wordList(methods), default: .list(methods.map(ParameterValue.string)),
                  doc: "any of corrdim (with CorrInt), mle, twonn, pca"),
        Parameter("k", .int(2...1000), default: .int(20), doc: "neighbours per point for the MLE"),
        Parameter("discard", .double(0...0.9), default: .double(0.1), doc: "fraction of the largest TwoNN ratios dropped"),
        Parameter("variance", .double(0.5...1), default: .double(0.95), doc: "PCA: fraction of the variance the components must explain"),
        Parameter("radii", .int(4...255), default: .int(32), doc: "corrdim: number of log-spaced radii (automatic range)"),
        Parameter("sample", .int(2...100_000_000), doc: "use a random subset of this many points (default: all)"),
    ]

    /// The cell's arguments, typed.
    struct Settings: Decodable {
        var data: ResultID
        var methods: [String]
        var k: Int
        var discard: Double
        var variance: Double
        var radii: Int
        var sample: Int?
    }

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .table, doc: "one row per method: estimate, ± standard error where known, how it was obtained"),
    ]

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        guard let chosen = (try? arguments.decode(Settings.self))?.methods else { return [] }
        var problems = [ParameterError]()
        for m in chosen where !methods.contains(m) {
            problems.append(ParameterError("methods", "`\(m)` is not a method of {dimension}; choose from \(methods.joined(separator: ", "))"))
        }
        if chosen.isEmpty { problems.append(ParameterError("methods", "`methods` needs at least one of \(methods.joined(separator: ", "))")) }
        return problems
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let data = try context.value(cell.data, as: Dataset.self)
        var sampler = context.generator("sample")
        let (points, sampleNote) = CorrdimDirective.subsample(data, cell.sample, using: &sampler)
        let chosen = cell.methods
        let n = points.rows
        let k = cell.k
        let neighbourCount = max(chosen.contains("mle") ? k : 2, chosen.contains("corrdim") ? 20 : 2)
        if chosen.contains(where: { $0 != "pca" }), neighbourCount >= n {
            throw ParameterError(chosen.contains("mle") ? "k" : "methods",
                                 "the neighbour estimators need more than \(neighbourCount) points; the data has \(n)")
        }

        var rows = [[Table.Cell]](), outputs = [OutputItem](), estimates = [(String, Double)]()
        func add(_ method: String, _ value: Double, _ se: Double?, _ how: String) {
            rows.append([.text(method), .measurement(value), se.map { .measurement($0) } ?? .empty, .text(how)])
            estimates.append((method, value))
        }
        // One exact neighbour search serves CorrInt, the MLE and TwoNN.
        let neighbors = chosen.contains(where: { $0 != "pca" }) ? try NearestNeighbors(of: points, k: neighbourCount) : nil
        for method in chosen {
            context.progress(Double(rows.count) / Double(chosen.count + 1), method)
            switch method {
            case "corrdim":
                // The same definition as {corrdim}'s, so both give the same number.
                let fit = try CorrdimDirective.standardFit(of: points, radii: cell.radii, range: nil,
                                                           workers: context.settings.threads)
                add("correlation dimension", fit.dimension, nil,
                    CorrdimDirective.windowNote(fit) + (fit.withinTolerance ? "" : "; no clear scaling region"))
                if let neighbors {
                    let corrint = try TwoRadiusCorrelationDimension(of: points, neighbors: neighbors)
                    add("CorrInt", corrint.dimension, nil,
                        "scikit-dimension's two radii: median 10th and 20th neighbour distances \(formatNumber(corrint.r1)), \(formatNumber(corrint.r2))")
                }
                if !fit.withinTolerance {
                    outputs.append(.warning("The correlation dimension has no clear scaling region: no run of radii kept the local slopes within 10%."))
                }
            case "mle":
                guard let neighbors else { continue }
                let mle = try MaximumLikelihoodDimension(neighbors: neighbors, k: k)
                add("MLE (Levina–Bickel)", mle.dimension, mle.standardError,
                    "k = \(k), global value by averaging the inverses" + duplicates(mle.duplicatePoints))
            case "twonn":
                guard let neighbors else { continue }
                let discard = cell.discard
                let twonn = try TwoNearestNeighborsDimension(neighbors: neighbors, discardFraction: discard)
                add("TwoNN", twonn.dimension, nil,
                    "largest \(formatNumber(100 * discard))% of r2/r1 dropped, fit through the origin" + duplicates(twonn.duplicatePoints))
            case "pca":
                let pca = try PrincipalComponentDimension(of: points, threshold: cell.variance)
                add("PCA", Double(pca.dimension), nil,
                    "components explaining \(formatNumber(100 * pca.threshold))% of the variance (linear; an upper bound on a curved manifold)")
            default:
                throw ParameterError("methods", "`\(method)` is not a method of {dimension}")
            }
        }
        let bound = 2 * log10(Double(n))
        for (method, value) in estimates where value > bound && DimensionEstimator(displayName: method).map(EckmannRuelleBound.applies(to:)) == true {
            outputs.append(.warning("\(method) = \(formatNumber(value)) exceeds 2·log10 N = \(formatNumber(bound)) "
                + "(Eckmann–Ruelle): \(n) points cannot support an estimate this large."))
        }
        var notes = [OutputItem]()
        if let sampleNote { notes.append(.note("Estimates " + sampleNote + ".")) }
        if let truth = data.intrinsicDimension { notes.append(.text("True intrinsic dimension of \(data.name): \(truth).")) }
        let table = Table(title: "Intrinsic dimension of \(data.name)", columns: ["method", "estimate", "± SE", "how"], cells: rows)
        return CellResult(values: ["": table], outputs: notes + [.table(table)] + outputs)
    }

    static func duplicates(_ count: Int) -> String {
        count > 0 ? "; \(count) points with a zero neighbour distance left out" : ""
    }
}
