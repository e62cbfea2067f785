import Classifier
import Dimension
import Foundation
import InformationPlane
import Notebook

/// What `{information-plane}` computed, aggregated over the classifier's seeds: per layer
/// and read-out epoch the median, min and max of each estimate, and the distance histograms.
public struct InformationPlaneValue: JSONCacheableValue {
    public static var kind: ValueKind { "information-plane" }
    /// Cached (as JSON: numbers and histograms, tens of kB) so a re-run does not re-estimate.
    public static var cacheTag: String { "information-plane" }

    /// One quantity at one (layer, epoch) over the classifier's seeds: median, min and max,
    /// and the Monte-Carlo standard error of the first seed's estimate (nil when not known).
    public struct Estimate: Sendable, Hashable, Codable {
        public var median: Double
        public var min: Double
        public var max: Double
        public var seeds: Int
        public var standardError: Double?

        /// The spread a change is judged against: half the range over seeds, or with one seed
        /// the Monte-Carlo standard error (nil when not known).
        public var spread: Double? { seeds > 1 ? (max - min) / 2 : standardError }

        init?(_ values: [Double], standardError: Double?) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let m = sorted.count
            median = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2
            min = sorted[0]
            max = sorted[m - 1]
            seeds = m
            self.standardError = standardError
        }
    }

    public struct Row: Sendable, Hashable, Codable {
        public var layer: Int
        public var width: Int
        public var epoch: Int
        public var inputInformation: Estimate?
        public var labelInformation: Estimate?
        public var compressedInput: Estimate?
        public var compressedLabel: Estimate?
        /// Median over seeds of the noise-aware estimate's chain overlap, 1/mean(w)
        /// (`NoisyMutualInformation.Estimate.effectiveChains`; 1 for one centre per input).
        public var effectiveChains: Double?
        /// Propagated noise: the bracket of I(X;T) — the held-out lower bound (`HeldOutBound`;
        /// layer 1's exact estimate) and the data-processing upper bound — and the lower bound
        /// of I(T;Y).
        public var inputLower: Estimate?
        public var inputUpper: Estimate?
        public var labelLower: Estimate?
        /// The compressed columns are lower bounds (the validation failed or I(T;Y) > I(X;T) + 0.1).
        public var compressedIsLowerBound: Bool = false
    }

    /// Distances of a layer's noise-free outputs S_l, in units of σ, at every snapshot of the
    /// first seed (the noisy read-out would add the same noise floor √(2d)·σ to every pair, and
    /// the ratio would then fall only because between-label distances grow); the histograms of
    /// the first and last snapshot for the figure.
    public struct Clustering: Sendable, Codable {
        public var layer: Int
        /// The first and last snapshot's epochs (the histograms').
        public var epochs: [Int]
        public var histograms: [DistanceHistogram]
        /// Every snapshot's epoch and its within/between ratio.
        public var allEpochs: [Int] = []
        public var allRatios: [Double] = []

        /// Mean within-label over mean between-label distance of one histogram (below 1: the
        /// labels cluster).
        static func ratio(_ h: DistanceHistogram) -> Double {
            guard h.groups.count == 2 else { return .nan }
            let means = h.groups.map { g -> Double in
                guard g.pairs > 0 else { return .nan }
                var sum = 0.0
                for (i, c) in g.counts.enumerated() { sum += Double(c) * (h.edges[i] + h.edges[i + 1]) / 2 }
                return sum / Double(g.pairs)
            }
            return means[0] / means[1]
        }

        /// The ratio at the first and last snapshot.
        public var ratios: [Double] { histograms.map(Self.ratio) }

        /// The ratio at each snapshot epoch.
        public var ratioByEpoch: [Int: Double] { Dictionary(zip(allEpochs, allRatios), uniquingKeysWith: { a, _ in a }) }
    }

    public var name: String
    public var noise: Double
    public var seeds: Int
    public var rows: [Row]
    public var clustering: [Clustering]
    /// H(Y) of the evaluation labels, nats: the ceiling of I(T;Y).
    public var labelEntropy: Double
    public var evaluationRows: Int
    /// Monte-Carlo draws per noise-aware estimate.
    public var monteCarloSamples: Int
    public var noiseMode: InformationPlaneExperiment.NoiseMode
    /// Samples of T_{l−1} per input behind each layer's mixture (1 for the read-out mode).
    public var propagationSamples: Int
    /// Code width d′ of the compressed estimator.
    public var compressedDimension: Int = 4

    init(classifier: ClassifierValue, points: [InformationPlaneExperiment.Point], noiseAware: Bool, clustering: [Clustering],
         settings: InformationPlaneExperiment.Settings) {
        name = classifier.name
        noise = classifier.noise
        monteCarloSamples = settings.monteCarloSamples
        noiseMode = settings.noiseMode
        propagationSamples = settings.noiseMode == .readout ? 1 : settings.propagationSamples
        seeds = classifier.runs.count
        compressedDimension = settings.compressedDimension
        evaluationRows = classifier.evaluation.rows
        self.clustering = clustering
        var counts = [Int: Int]()
        for y in classifier.evaluationLabels { counts[y, default: 0] += 1 }
        let n = Double(max(classifier.evaluationLabels.count, 1))
        labelEntropy = counts.values.reduce(0) { $0 - Double($1) / n * log(Double($1) / n) }
        let keys = Set(points.map { [$0.layer, $0.epoch] }).sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
        rows = keys.map { key in
            let group = points.filter { $0.layer == key[0] && $0.epoch == key[1] }
            func aggregate(_ values: [Double], se: Double?) -> Estimate? {
                values.count == group.count ? Estimate(values, standardError: se) : nil
            }
            return Row(layer: key[0], width: group.first?.width ?? 0, epoch: key[1],
                       inputInformation: noiseAware ? aggregate(group.map(\.noisy.inputInformation), se: group.first?.noisy.inputStandardError) : nil,
                       labelInformation: noiseAware ? aggregate(group.compactMap(\.noisy.labelInformation), se: group.first?.noisy.labelStandardError) : nil,
                       compressedInput: aggregate(group.compactMap(\.compressedInput), se: nil),
                       compressedLabel: aggregate(group.compactMap(\.compressedLabel), se: nil),
                       effectiveChains: noiseAware ? Estimate(group.map(\.noisy.effectiveChains), standardError: nil)?.median : nil,
                       inputLower: noiseAware && settings.noiseMode == .propagated
                           ? aggregate(group.map { $0.lowerBound?.inputInformation ?? $0.noisy.inputInformation },
                                       se: group.first.map { $0.lowerBound?.inputStandardError ?? $0.noisy.inputStandardError }) : nil,
                       inputUpper: noiseAware ? aggregate(group.compactMap(\.upperBound), se: group.first?.noisy.inputStandardError) : nil,
                       labelLower: noiseAware ? aggregate(group.compactMap { $0.lowerBound?.labelInformation ?? ($0.lowerBound == nil ? $0.noisy.labelInformation : nil) },
                                                          se: group.first.flatMap { $0.lowerBound?.labelStandardError ?? $0.noisy.labelStandardError }) : nil)
        }
        if settings.noiseMode == .readout { for k in rows.indices { rows[k].labelLower = nil } }
    }

    public var summary: String { "information plane of \(name), σ = \(formatNumber(noise)): \(rows.count) points" }
    public var layers: [Int] { Array(Set(rows.map(\.layer))).sorted() }
    public func rows(layer: Int) -> [Row] { rows.filter { $0.layer == layer }.sorted { $0.epoch < $1.epoch } }

    /// The table of the cell: one row per layer and epoch.
    func table() -> Table {
        func text(_ e: Estimate?) -> Table.Cell {
            guard let e else { return .measurement(.nan) }
            if e.seeds > 1 {
                // The range is shown even when min = max: the seeds agreed.
                let m = formatNumber(e.median, significantDigits: 3), lo = formatNumber(e.min, significantDigits: 3),
                    hi = formatNumber(e.max, significantDigits: 3)
                return .number(Table.Number(e.median, lower: e.min, upper: e.max, format: .significant(3),
                                            written: e.max > e.min ? nil : m + " [" + lo + "–" + hi + "]"))
            }
            return .number(Table.Number(e.median, standardError: e.standardError, format: .significant(3), spreadFormat: .significant(2)))
        }
        let spread = seeds > 1 ? "median [min–max] over \(seeds) seeds" : "one seed ± the Monte-Carlo SE"
        let compressed = "compressed, lower bound (lossy code)"
        if noiseMode == .propagated {
            return Table(title: "Information plane of \(name), propagated noise (nats; \(spread)); I(X;T) bracketed: held-out lower bound, data-processing upper bound",
                         columns: ["layer", "width", "epoch", "I(X;T) lower bound", "I(X;T) upper bound", "I(X;T) in-sample (k chains)",
                                   "chain overlap", "I(T;Y) lower bound", "I(T;Y) in-sample",
                                   "I(X;T) " + compressed, "I(T;Y) " + compressed],
                         cells: rows.map { r -> [Table.Cell] in
                             let overlap: Table.Cell = r.effectiveChains.map { Table.Cell.measurement($0, digits: 3) } ?? .empty
                             let ids: [Table.Cell] = [.parameter(r.layer), .parameter(r.width), .parameter(r.epoch)]
                             let input: [Table.Cell] = [text(r.inputLower), text(r.inputUpper), text(r.inputInformation), overlap]
                             let label: [Table.Cell] = [text(r.labelLower), text(r.labelInformation), text(r.compressedInput), text(r.compressedLabel)]
                             return ids + input + label
                         })
        }
        return Table(title: "Information plane of \(name) (nats; \(spread))",
                     columns: ["layer", "width", "epoch", "I(X;T) noise-aware", "I(T;Y) noise-aware", "I(X;T) " + compressed, "I(T;Y) " + compressed],
                     cells: rows.map { r in
                         [.parameter(r.layer), .parameter(r.width), .parameter(r.epoch), text(r.inputInformation), text(r.labelInformation),
                          text(r.compressedInput), text(r.compressedLabel)]
                     })
    }

    /// One quantity against epoch, a series per layer (median, with the min–max band over seeds).
    func curve(_ pick: (Row) -> Estimate?, title: String) -> CurveValue {
        let series = layers.compactMap { l -> Series? in
            let points = rows(layer: l).compactMap { r in pick(r).map { (Double(r.epoch), $0) } }
            guard !points.isEmpty else { return nil }
            return Series(name: "layer \(l)", x: points.map(\.0), y: points.map(\.1.median),
                          lower: points.map(\.1.min), upper: points.map(\.1.max))
        }
        return CurveValue(title: "\(title) of \(name), σ = \(formatNumber(noise))", xLabel: "epoch", yLabel: "\(title) (nats)", series: series)
    }
}
