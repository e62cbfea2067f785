import Datasets
import Dimension
import Foundation
import Linalg
import Notebook

/// `{dimension}` — several intrinsic-dimension estimates of one data set side by side:
/// `auto` (the calibration's pick: DANCo, or Gride above the noise by the scale-plateau
/// rule), correlation dimension (with CorrInt), Levina–Bickel MLE, TwoNN, PCA, DANCo, ESS,
/// MiND-ML and Gride, and a figure of the dimension against the neighbourhood scale. An
/// adapter over the Dimension library; one neighbour search serves every neighbour method.
public enum DimensionDirective: Directive {
    public static let name = "dimension"
    public static let summary = "Intrinsic dimension by auto (DANCo or Gride by the scale plateau), correlation dimension, CorrInt, MLE, TwoNN, PCA, DANCo, ESS, MiND-ML and Gride, in one table, with ID against scale"

    /// The methods, the words of `methods`.
    enum Method: String, CaseIterable, Decodable, ParameterWords {
        case auto, corrdim, mle, twonn, pca, danco, ess
        case mindML = "mind-ml"
        case gride
    }
    /// When `methods` is omitted.
    static let defaultMethods: [Method] = [.auto, .corrdim, .mle, .twonn, .pca]

    public static let parameters = Settings.parameters

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("the points: an earlier dataset or autoencoder codes", kinds: [.dataset]) var data: ResultID
        @Param("any of auto, corrdim (with CorrInt), mle, twonn, pca, danco, ess, mind-ml, gride") var methods = defaultMethods
        @Param("neighbours per point for the MLE", 2...1000) var k = 20
        @Param("fraction of the largest TwoNN ratios dropped", 0...0.9) var discard = 0.1
        @Param("PCA: fraction of the variance the components must explain", 0.5...1) var variance = 0.95
        @Param("corrdim: number of log-spaced radii (automatic range)", 4...255) var radii = 32
        @Param("use a random subset of this many points (default: all)", 2...100_000_000) var sample: Int?
    }

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .table, doc: "one row per method: estimate, ± standard error where known, how it was obtained"),
    ]

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        guard let chosen = (try? arguments.decode(Settings.self))?.methods else { return [] }
        var problems = [ParameterError]()
        let words = Method.allCases.map(\.rawValue).joined(separator: ", ")
        if chosen.isEmpty { problems.append(ParameterError("methods", "`methods` needs at least one of \(words)")) }
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
        let scaleMethods: Set<Method> = [.auto, .gride]
        var neighbourCount = max(chosen.contains(.mle) ? k : 2, chosen.contains(.corrdim) ? 20 : 2)
        if chosen.contains(.mindML) { neighbourCount = max(neighbourCount, 21) }
        // Gride and auto look up to the 64th neighbour, ESS takes patches of 100: fewer when
        // the data is small (the table says so).
        if chosen.contains(where: scaleMethods.contains) { neighbourCount = max(neighbourCount, min(64, n - 1)) }
        if chosen.contains(.ess) { neighbourCount = max(neighbourCount, min(100, n - 1)) }
        if chosen.contains(where: { $0 != .pca }), neighbourCount >= n || n < 13 {
            throw ParameterError(chosen.contains(.mle) ? "k" : "methods",
                                 "the neighbour estimators need more than \(max(neighbourCount, 12)) points; the data has \(n)")
        }

        var rows = [[Table.Cell]](), outputs = [OutputItem](), estimates = [(String, Double)]()
        func add(_ method: String, _ value: Double, _ se: Double?, _ how: String) {
            rows.append([.text(method), .measurement(value), se.map { .measurement($0) } ?? .empty, .text(how)])
            estimates.append((method, value))
        }
        // One exact neighbour search serves every neighbour method.
        let neighbors = chosen.contains(where: { $0 != .pca }) ? try NearestNeighbors(of: points, k: neighbourCount) : nil
        let seed = context.seed
        var automatic: AutomaticDimension?
        for method in chosen {
            context.progress(Double(rows.count) / Double(chosen.count + 1), method.rawValue)
            switch method {
            case .auto:
                guard let neighbors else { continue }
                let auto = try AutomaticDimension(of: points, neighbors: neighbors, seed: seed, workers: context.settings.threads)
                automatic = auto
                if auto.isResolved {
                    add("auto (\(auto.method))", auto.dimension, nil, auto.note)
                } else {
                    // No number in the value column: the estimators' readings, and why they
                    // do not make an answer, are in the note.
                    rows.append([.text("auto (\(auto.method))"), .verdict("not resolvable"), .empty, .text(auto.note)])
                    outputs.append(.warning("auto: the dimension is not resolvable. \(auto.note)"))
                }
            case .corrdim:
                // The same definition as {corrdim}'s, so both give the same number.
                let fit = try CorrdimDirective.standardFit(of: points, radii: cell.radii, range: nil,
                                                           workers: context.settings.threads)
                add(DimensionTableLabel.correlationDimension, fit.dimension, nil,
                    CorrdimDirective.windowNote(fit) + (fit.withinTolerance ? "" : "; no clear scaling region"))
                if let neighbors {
                    let corrint = try TwoRadiusCorrelationDimension(of: points, neighbors: neighbors)
                    add(DimensionTableLabel.corrInt, corrint.dimension, nil,
                        "scikit-dimension's two radii: median 10th and 20th neighbour distances \(formatNumber(corrint.r1)), \(formatNumber(corrint.r2))")
                }
                if !fit.withinTolerance {
                    outputs.append(.warning("The correlation dimension has no clear scaling region: no run of radii kept the local slopes within 10%."))
                }
            case .mle:
                guard let neighbors else { continue }
                let mle = try MaximumLikelihoodDimension(neighbors: neighbors, k: k)
                add(DimensionTableLabel.maximumLikelihood, mle.dimension, mle.standardError,
                    "k = \(k), global value by averaging the inverses" + duplicates(mle.duplicatePoints))
            case .twonn:
                guard let neighbors else { continue }
                let discard = cell.discard
                let twonn = try TwoNearestNeighborsDimension(neighbors: neighbors, discardFraction: discard)
                add(DimensionTableLabel.twoNearestNeighbors, twonn.dimension, nil,
                    "largest \(formatNumber(100 * discard))% of r2/r1 dropped, fit through the origin" + duplicates(twonn.duplicatePoints))
            case .pca:
                let pca = try PrincipalComponentDimension(of: points, threshold: cell.variance)
                add(DimensionEstimator.principalComponents.displayName, Double(pca.dimension), nil,
                    "components explaining \(formatNumber(100 * pca.threshold))% of the variance (linear; an upper bound on a curved manifold)")
            case .danco:
                let danco = try DANCoDimension(of: points, seed: seed, workers: context.settings.threads)
                add("DANCo", danco.dimension, nil,
                    "k = 10, KL to \(danco.maxDimension) simulated unit balls of \(n) points minimal at d = \(danco.integerDimension); "
                    + "d̂ (MiND-MLk) \(formatNumber(danco.statistics.dhat)), ν \(formatNumber(danco.statistics.meanNu)), τ \(formatNumber(danco.statistics.meanTau))")
            case .ess:
                guard let neighbors else { continue }
                let m = min(100, neighbors.k)
                let ess = try ExpectedSimplexSkewnessDimension(of: points, neighbors: neighbors, neighbors: m, workers: context.settings.threads)
                add("ESS", ess.dimension, nil, "patches of \(m) neighbours, mean of the local estimates"
                    + (ess.excludedPoints > 0 ? "; \(ess.excludedPoints) patches of coincident points left out" : ""))
            case .mindML:
                guard let neighbors else { continue }
                let mind = try MinimumNeighborDistanceDimension(neighbors: neighbors, k: 20, maxDimension: 10)
                add("MiND-ML", mind.dimension, nil, "k = 20, maximum of the likelihood of r1/r21 over (0, 10] (scikit-dimension's D = 10: it cannot read more than 10)"
                    + (mind.excludedPoints > 0 ? "; \(mind.excludedPoints) points left out" : ""))
            case .gride:
                guard let neighbors else { continue }
                let gride = try automatic?.gride ?? GrideDimension(neighbors: neighbors, rangeMax: min(64, neighbors.k))
                let plateau = GridePlateau(gride)
                let curve = gride.scales.map { "\($0.n1): \(formatNumber($0.dimension))" }.joined(separator: ", ")
                if let p = plateau.start, let value = plateau.value {
                    add("Gride", value, nil, "plateau from n₁ = \(p) (after the scales that fall by more than 6 %, the first consecutive scales within 6 %); by n₁: \(curve)")
                } else {
                    add("Gride", gride.scales[0].dimension, gride.scales[0].standardError, "n₁ = 1 (no plateau across scales); by n₁: \(curve)")
                }
                // The two ends of the scale curve, so prose can quote the range the dimension spans.
                if let first = gride.scales.first, let last = gride.scales.last, gride.scales.count > 1 {
                    add(DimensionTableLabel.grideSmallestScale, first.dimension, first.standardError,
                        "n₁ = \(first.n1), n₂ = \(first.n2): mean neighbour radius \(formatNumber(first.radius))")
                    add(DimensionTableLabel.grideLargestScale, last.dimension, last.standardError,
                        "n₁ = \(last.n1), n₂ = \(last.n2): mean neighbour radius \(formatNumber(last.radius))")
                }
            }
        }
        var figures = [OutputItem]()
        var values: [String: any NotebookValue] = [:]
        if let neighbors, chosen.contains(where: scaleMethods.contains), neighbors.k >= 2 {
            let gride = try automatic?.gride ?? GrideDimension(neighbors: neighbors, rangeMax: min(64, neighbors.k))
            var decimation = context.generator("decimation")
            let (curve, figure) = try DimensionScaleFigure.make(points: points, gride: gride, name: data.name,
                                                                truth: data.intrinsicDimension, using: &decimation)
            values["scale"] = curve
            figures.append(.figure(figure))
        }
        let bound = 2 * log10(Double(n))
        for (method, value) in estimates where value > bound && DimensionEstimator(displayName: method).map(EckmannRuelleBound.applies(to:)) == true {
            outputs.append(.warning("\(method) = \(formatNumber(value)) exceeds 2·log10 N = \(formatNumber(bound)) "
                + "(Eckmann–Ruelle): \(n) points cannot support an estimate this large."))
        }
        var notes = [OutputItem]()
        if let sampleNote { notes.append(.note("Estimates " + sampleNote + ".")) }
        if let truth = data.intrinsicDimension { notes.append(.text("True intrinsic dimension of \(data.name): \(truth).")) }
        let table = Table(title: "Intrinsic dimension of \(data.name)", columns: ["method", DimensionTableLabel.estimate, "± SE", DimensionTableLabel.how], cells: rows)
        values[""] = table
        return CellResult(values: values, outputs: notes + [.table(table)] + figures + outputs)
    }

    static func duplicates(_ count: Int) -> String {
        count > 0 ? "; \(count) points with a zero neighbour distance left out" : ""
    }
}
