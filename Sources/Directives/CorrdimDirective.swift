import Datasets
import Dimension
import Foundation
import Linalg
import Notebook
import Plot

/// `{corrdim}` — the Grassberger–Procaccia correlation integral C(r) of a data set, its
/// scaling region and slope (the correlation dimension), with scikit-dimension's
/// two-radius CorrInt beside it. An adapter over `CorrelationIntegral`,
/// `CorrelationDimension` and `TwoRadiusCorrelationDimension`.
public enum CorrdimDirective: Directive {
    public static let name = "corrdim"
    public static let summary = "Correlation dimension: C(r) over log-spaced radii, automatic scaling region, log-log figure"
    /// One unit of work: a cluster node may compute the whole cell from its cached inputs.
    public static let isWorkUnit = true

    public static let parameters = Settings.parameters

    /// The names of the estimate's details that readers look up (the `{entropy-curve}`
    /// cross-check, the README's block): declared once, here.
    public enum Detail {
        public static let r1 = "r1", r2 = "r2"
        public static let eckmannRuelleBound = "Eckmann–Ruelle bound"
        /// The slope of a second flat stretch of the local slopes (a plateau or the bottom of a V).
        public static let otherScalingRegion = "other scaling region"
    }

    /// The suffix of the result holding a second scaling region's slope, when it is a plateau.
    public static let otherRegionSlot = "other-region"

    /// `range: auto`: the radii from the data.
    enum RangeWord: String, CaseIterable, Decodable, Sendable, ParameterWords { case auto }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("the points: an earlier dataset or autoencoder codes", kinds: [.dataset]) var data: ResultID
        @Param("number of log-spaced radii", 4...255) var radii = 32
        @Param("`auto` (smallest nearest-neighbour distance of a sample to the largest distance) or [r1, r2]",
               type: .choiceOrNumbers(RangeWord.allCases.map(\.rawValue), count: 2))
        var range = WordOr<RangeWord, [Double]>.word(.auto)
        @Param("use a random subset of this many points (default: all)", 2...100_000_000) var sample: Int?
        @Param("the local slopes in the scaling region may differ by this fraction of their mean", 0.01...1) var tolerance = 0.1
        @Param("also compute scikit-dimension's CorrInt (median 10th/20th neighbour radii; one more pass over the pairs)")
        var corrint = true
    }

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .estimate, doc: "the correlation dimension; details: window r1, r2, R², radii in the window, n, Eckmann–Ruelle bound, CorrInt"),
        ResultSlot("curve", kind: .curve, doc: "ln C(r) against ln r"),
        ResultSlot("slopes", kind: .curve, doc: "local slope d ln C / d ln r against r"),
        ResultSlot(otherRegionSlot, kind: .estimate, doc: "the slope of a second scaling region with a real plateau, when C(r) has one"),
    ]

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        do { _ = try radiusRange(try arguments.decode(Settings.self).range) } catch let error as ParameterError { return [error] } catch {}
        return []
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let data = try context.value(cell.data, as: Dataset.self)
        var sampler = context.generator("sample")
        let (points, sampleNote) = subsample(data, cell.sample, using: &sampler)
        let workers = context.settings.threads
        context.progress(0.05, "counting pairs")
        let options = CorrelationDimension.Options(tolerance: cell.tolerance)
        let fit = try standardFit(of: points, radii: cell.radii, range: try radiusRange(cell.range),
                                  options: options, workers: workers)
        var corrint: TwoRadiusCorrelationDimension?
        if cell.corrint, points.rows > 20 {
            context.progress(0.6, "CorrInt neighbours")
            corrint = try TwoRadiusCorrelationDimension(of: points, neighbors: try NearestNeighbors(of: points, k: 20))
        }
        var result = try package(fit, corrint: corrint, data: data, sampleNote: sampleNote)
        if let other = CompetingScalingRegion(of: fit, tolerance: options.tolerance) {
            let stretch = "for r ∈ [\(formatNumber(other.from)), \(formatNumber(other.to))], against \(String(format: "%.2f", fit.dimension)) in the chosen window"
            // A flat run at the bottom of a V of the local slopes is where they turn, not a
            // second scaling region (issue 15): said as such, and no claim may use it.
            result.outputs.insert(other.isPlateau
                ? .warning("C(r) has more than one scaling region: the local slopes are also flat at \(String(format: "%.2f", other.slope)) "
                    + stretch + ". The correlation dimension depends on the scale here; read it as a range, not a number.")
                : .note("The local slopes of C(r) also come near \(String(format: "%.2f", other.slope)) " + stretch
                    + ", at the bottom of a V where they turn, not on a plateau: not a second scaling region."), at: 1)
            if var main = result.values[""] as? EstimateValue {
                main.details.append(.init(Detail.otherScalingRegion, other.slope))
                result.values[""] = main
            }
            // Only a real plateau is a second scaling region a claim may match.
            if other.isPlateau {
                result.values[otherRegionSlot] = EstimateValue(name: "second scaling region", value: other.slope,
                                                              details: [.init("r from", other.from), .init("r to", other.to)])
            }
        }
        return result
    }

    /// The one definition of a data set's correlation dimension, shared by `{corrdim}` and
    /// `{dimension}`: `radii` log-spaced radii over the automatic range (found on a sample
    /// drawn from a fixed stream, so it depends on the data only, not on the cell's seed) or
    /// over `range`, and the widest flat run of local slopes.
    static func standardFit(of points: Matrix, radii: Int, range fixed: ClosedRange<Double>?,
                            options: CorrelationDimension.Options = .init(), workers: Int) throws -> CorrelationDimension {
        let range: ClosedRange<Double>
        if let fixed {
            range = fixed
        } else {
            var g = SeededGenerator(seed: 0).derived("correlation-dimension-range")
            range = try CorrelationIntegral.automaticRange(of: points, using: &g)
        }
        let integral = try CorrelationIntegral(of: points, radii: try CorrelationIntegral.logSpacedRadii(count: radii, in: range),
                                               workers: workers)
        do {
            return try CorrelationDimension(fitting: integral, options: options)
        } catch let error as DimensionError {
            throw CellError("\(error) (radii \(formatNumber(range.lowerBound))…\(formatNumber(range.upperBound)))")
        }
    }

    /// "over r ∈ [r1, r2] (m radii, C from p1 to p2 of the pairs, R² = …)": the fit window and
    /// the fraction of pairs it rests on.
    static func windowNote(_ fit: CorrelationDimension) -> String {
        let c = fit.integral.values, w = fit.windowIndices
        return "slope of ln C against ln r over r ∈ [\(formatNumber(fit.window.lowerBound)), \(formatNumber(fit.window.upperBound))] "
            + "(\(w.count) radii; C(r), the fraction of pairs closer than r, from \(formatNumber(c[w.lowerBound], significantDigits: 2)) "
            + "to \(formatNumber(c[w.upperBound], significantDigits: 2)); R² = \(String(format: "%.4f", fit.rSquared)))"
    }

    /// The `range` argument: nil for `auto`, else the two radii.
    static func radiusRange(_ range: WordOr<RangeWord, [Double]>) throws -> ClosedRange<Double>? {
        guard let radii = range.value else { return nil } // `auto`
        guard radii.count == 2, radii[0] > 0, radii[1] > radii[0] else {
            throw ParameterError("range", "`range` [r1, r2] needs 0 < r1 < r2, got [\(radii.map { formatNumber($0) }.joined(separator: ", "))]")
        }
        return radii[0]...radii[1]
    }

    /// The points, or a random subset of `sample` of them, and a note saying which.
    static func subsample(_ data: Dataset, _ sample: Int?, using generator: inout SeededGenerator) -> (Matrix, String?) {
        guard let sample, sample < data.count else { return (data.points, nil) }
        let chosen = Array(generator.permutation(data.count).prefix(sample))
        return (data.points.rows(at: chosen), "on a random sample of \(sample) of the \(data.count) points")
    }

    static func package(_ fit: CorrelationDimension, corrint: TwoRadiusCorrelationDimension?, data: Dataset,
                        sampleNote: String?) throws -> CellResult {
        let integral = fit.integral
        let window = fit.window
        let n = integral.pointCount
        var details: [EstimateValue.Detail] = [
            .init(Detail.r1, window.lowerBound), .init(Detail.r2, window.upperBound), .init("R²", fit.rSquared),
            .init("radii in window", Double(fit.windowIndices.count)), .init("n", Double(n)),
            .init("fraction of pairs at r1", integral.values[fit.windowIndices.lowerBound]),
            .init("fraction of pairs at r2", integral.values[fit.windowIndices.upperBound]),
            .init(Detail.eckmannRuelleBound, fit.eckmannRuelleBound),
        ]
        if let corrint { details.append(.init("CorrInt", corrint.dimension)) }
        let main = EstimateValue(name: "correlation dimension of \(data.name)", value: fit.dimension, details: details)

        let usable = integral.radii.indices.filter { integral.pairCounts[$0] > 0 }
        let lnR = usable.map { Foundation.log(integral.radii[$0]) }
        let lnC = usable.map { Foundation.log(integral.values[$0]) }
        let curve = CurveValue(title: "Correlation integral of \(data.name)", xLabel: "ln r", yLabel: "ln C(r)",
                               series: [Series(name: "ln C(r)", x: lnR, y: lnC)])
        let slopes = CurveValue(title: "Local slopes of ln C(r)", xLabel: "r", yLabel: "d ln C / d ln r",
                                series: [Series(name: "local slope", x: fit.localSlopes.map(\.radius), y: fit.localSlopes.map(\.slope))])

        var outputs: [OutputItem] = [
            .metric(Metric("correlation dimension", fit.dimension,
                           note: windowNote(fit) + (sampleNote.map { ", " + $0 } ?? ""))),
        ]
        if let corrint {
            outputs.append(.metric(Metric("CorrInt (k1 = 10, k2 = 20)", corrint.dimension,
                                          note: "scikit-dimension's two-radius estimate, r1 = \(formatNumber(corrint.r1)), r2 = \(formatNumber(corrint.r2))")))
        }
        outputs += warnings(fit, corrint: corrint)
        let chart = try LogLogChart(title: "Correlation integral of \(data.name)", xLabel: "r", yLabel: "C(r)",
                                    series: [.init(name: "C(r)", x: usable.map { integral.radii[$0] }, y: usable.map { integral.values[$0] })],
                                    fitRange: window)
        outputs.append(.figure(try Figure(name: "correlation-integral",
                                          caption: "C(r), the fraction of pairs closer than r, on log-log axes; the shaded band is the "
                                            + "automatically chosen scaling region and the dashed line its least-squares fit (slope "
                                            + "\(String(format: "%.2f", fit.dimension))).", chart: chart)))
        let slopeChart = try LineChart(title: "Local slopes of ln C(r)", xLabel: "r", yLabel: "d ln C / d ln r",
                                       series: [.init(name: "local slope", x: slopes.series[0].x, y: slopes.series[0].y)],
                                       xScale: .log,
                                       referenceLines: [.horizontal(fit.dimension, label: "fit \(String(format: "%.2f", fit.dimension))"),
                                                        .vertical(window.lowerBound), .vertical(window.upperBound)])
        outputs.append(.figure(try Figure(name: "local-slopes",
                                          caption: "Local slope of ln C against ln r (least squares over ±2 radii); the vertical lines "
                                            + "bound the scaling region, where the slopes stay within the tolerance.", chart: slopeChart)))
        return CellResult(values: ["": main, "curve": curve, "slopes": slopes], outputs: outputs)
    }

    /// Caveats: the Eckmann–Ruelle bound and a missing scaling region.
    static func warnings(_ fit: CorrelationDimension, corrint: TwoRadiusCorrelationDimension?) -> [OutputItem] {
        var out = [OutputItem]()
        let bound = fit.eckmannRuelleBound
        for (name, value) in [("correlation dimension", fit.dimension), ("CorrInt", corrint?.dimension)].compactMap({ p in p.1.map { (p.0, $0) } })
        where value > bound {
            out.append(.warning("The \(name) \(formatNumber(value)) exceeds 2·log10 N = \(formatNumber(bound)) "
                + "(Eckmann–Ruelle): \(fit.integral.pointCount) points cannot support it; treat it as a lower bound at best."))
        }
        if !fit.withinTolerance {
            out.append(.warning("No run of radii kept the local slopes within the tolerance: the flattest window was used "
                + "(slopes spread \(formatNumber(100 * fit.slopeSpread))%). There is no clear scaling region."))
        }
        return out
    }
}
