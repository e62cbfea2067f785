import Classifier
import Dimension
import Foundation
import InformationPlane
import Notebook

/// What `{information-plane}` computed, aggregated over the classifier's seeds: per layer
/// and read-out epoch the mean and spread of each estimate, and the distance histograms.
public struct InformationPlaneValue: NotebookValue {
    public static var kind: ValueKind { "information-plane" }

    /// Mean and spread of one quantity at one (layer, epoch): the sd over seeds, or with one
    /// seed the Monte-Carlo standard error (nil when not known).
    public struct Estimate: Sendable, Hashable {
        public var mean: Double
        public var spread: Double?
    }

    public struct Row: Sendable, Hashable {
        public var layer: Int
        public var width: Int
        public var epoch: Int
        public var inputInformation: Estimate?
        public var labelInformation: Estimate?
        public var compressedInput: Estimate?
        public var compressedLabel: Estimate?
    }

    /// Distances of a layer's read-out at the first and last snapshot of the first seed.
    public struct Clustering: Sendable {
        public var layer: Int
        public var epochs: [Int]
        public var histograms: [DistanceHistogram]
        /// Mean within-label over mean between-label distance, per snapshot (below 1: the
        /// labels cluster).
        public var ratios: [Double] {
            histograms.map { h in
                guard h.groups.count == 2 else { return .nan }
                let means = h.groups.map { g -> Double in
                    guard g.pairs > 0 else { return .nan }
                    var sum = 0.0
                    for (i, c) in g.counts.enumerated() { sum += Double(c) * (h.edges[i] + h.edges[i + 1]) / 2 }
                    return sum / Double(g.pairs)
                }
                return means[0] / means[1]
            }
        }
    }

    public var name: String
    public var noise: Double
    public var seeds: Int
    public var rows: [Row]
    public var clustering: [Clustering]
    /// H(Y) of the evaluation labels, nats: the ceiling of I(T;Y).
    public var labelEntropy: Double
    public var evaluationRows: Int

    init(classifier: ClassifierValue, points: [InformationPlaneExperiment.Point], noiseAware: Bool, clustering: [Clustering]) {
        name = classifier.name
        noise = classifier.noise
        seeds = classifier.runs.count
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
                guard !values.isEmpty, values.count == group.count else { return nil }
                let (mean, spread) = meanAndSpread(values)
                return Estimate(mean: mean, spread: values.count > 1 ? spread : se)
            }
            return Row(layer: key[0], width: group.first?.width ?? 0, epoch: key[1],
                       inputInformation: noiseAware ? aggregate(group.map(\.noisy.inputInformation), se: group.first?.noisy.inputStandardError) : nil,
                       labelInformation: noiseAware ? aggregate(group.compactMap(\.noisy.labelInformation), se: group.first?.noisy.labelStandardError) : nil,
                       compressedInput: aggregate(group.compactMap(\.compressedInput), se: nil),
                       compressedLabel: aggregate(group.compactMap(\.compressedLabel), se: nil))
        }
    }

    public var summary: String { "information plane of \(name), σ = \(formatNumber(noise)): \(rows.count) points" }
    public var layers: [Int] { Array(Set(rows.map(\.layer))).sorted() }
    public func rows(layer: Int) -> [Row] { rows.filter { $0.layer == layer }.sorted { $0.epoch < $1.epoch } }

    /// The table of the cell: one row per layer and epoch.
    func table() -> Table {
        func text(_ e: Estimate?) -> String {
            guard let e else { return "—" }
            return formatNumber(e.mean, significantDigits: 3) + (e.spread.map { " ± " + formatNumber($0, significantDigits: 2) } ?? "")
        }
        return Table(title: "Information plane of \(name) (nats; ± sd over \(seeds) seed(s), or the MC SE for one)",
                     columns: ["layer", "width", "epoch", "I(X;T) noise-aware", "I(T;Y) noise-aware", "I(X;T) compressed", "I(T;Y) compressed"],
                     rows: rows.map { r in
                         [String(r.layer), String(r.width), String(r.epoch), text(r.inputInformation), text(r.labelInformation),
                          text(r.compressedInput), text(r.compressedLabel)]
                     })
    }

    /// One quantity against epoch, a series per layer (with ± spread bands).
    func curve(_ pick: (Row) -> Estimate?, title: String) -> CurveValue {
        let series = layers.compactMap { l -> Series? in
            let points = rows(layer: l).compactMap { r in pick(r).map { (Double(r.epoch), $0) } }
            guard !points.isEmpty else { return nil }
            let spread = points.map { $0.1.spread ?? 0 }
            return Series(name: "layer \(l)", x: points.map(\.0), y: points.map(\.1.mean),
                          lower: zip(points, spread).map { $0.1.mean - $1 }, upper: zip(points, spread).map { $0.1.mean + $1 })
        }
        return CurveValue(title: "\(title) of \(name), σ = \(formatNumber(noise))", xLabel: "epoch", yLabel: "\(title) (nats)", series: series)
    }
}
