import Datasets
import Dimension
import Foundation
import Linalg
import Notebook
import Plot

/// `{distances}` — the normalised histogram of pairwise Euclidean distances of a data set,
/// over all pairs or the pairs among a random subset, split into within-label and
/// between-label pairs with `by: label`. An adapter over `DistanceHistogram`.
public enum DistancesDirective: Directive {
    public static let name = "distances"
    public static let summary = "Histogram of pairwise distances (all pairs or a sample), within and between labels"

    /// Whether distances are split by the points' labels.
    enum Grouping: String, CaseIterable, Decodable, ParameterWords { case none, label }
    /// `pairs: all`: every pair.
    enum PairsWord: String, CaseIterable, Decodable, Sendable, ParameterWords { case all }

    public static let parameters = Settings.parameters

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("the points: an earlier dataset or autoencoder codes", kinds: [.dataset]) var data: ResultID
        @Param("number of bins from 0 to the largest distance", 1...254) var bins = 60
        @Param("`label`: separate histograms of within-label and between-label pairs (the data needs labels)")
        var by = Grouping.none
        @Param("`all` pairs, or about this many: all pairs among a random subset of m points, m(m−1)/2 ≥ pairs", 1...1e15)
        var pairs = WordOr<PairsWord, Double>.word(.all)
    }

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .histogram, doc: "probability densities per unit distance, one group per pair kind"),
    ]

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let data = try context.value(cell.data, as: Dataset.self)
        let byLabel = cell.by == .label
        if byLabel, data.labels == nil {
            throw ParameterError("by", "`\(data.name)` has no labels; use `by: none` or a dataset with labels")
        }
        let pairs = cell.pairs.value.map { Int(min($0, Double(Int.max / 2))) }
        var generator = context.generator("sample")
        let histogram = try DistanceHistogram(of: data.points, labels: byLabel ? data.labels : nil, bins: cell.bins,
                                              pairs: pairs, workers: context.settings.threads, using: &generator)
        let value = HistogramValue(title: "Pairwise distances of \(data.name)", xLabel: "distance",
                                   edges: histogram.edges,
                                   groups: histogram.groups.map { HistogramValue.Group(name: $0.name, values: $0.density) },
                                   normalized: true)
        var outputs = [OutputItem]()
        let pairNote = histogram.pointCount < data.count
            ? "pairs among a random subset of \(histogram.pointCount) of the \(data.count) points"
            : "all pairs of the \(data.count) points"
        for group in histogram.groups {
            outputs.append(.metric(Metric("mean distance, \(group.name)", mean(of: group, edges: histogram.edges),
                                          note: "\(group.pairs) pairs (\(pairNote)); from the bin centres")))
        }
        if histogram.groups.count == 2 {
            let within = mean(of: histogram.groups[0], edges: histogram.edges)
            let between = mean(of: histogram.groups[1], edges: histogram.edges)
            if between > 0 {
                outputs.append(.metric(Metric("within / between mean distance", within / between,
                                              note: "below 1 when points of a label cluster together")))
            }
        }
        let chart = try HistogramChart(title: value.title, xLabel: "distance", yLabel: "density", edges: value.edges,
                                       groups: value.groups.map { HistogramChart.Group(name: $0.name, values: $0.values) })
        outputs.append(.figure(try Figure(name: "distances",
                                          caption: "Normalised histogram of pairwise Euclidean distances (\(pairNote))"
                                            + (byLabel ? ", within-label and between-label pairs separately; each integrates to 1." : "."),
                                          chart: chart)))
        return CellResult(values: ["": value], outputs: outputs)
    }

    /// The mean distance of a group from its bin counts (bin centres).
    static func mean(of group: DistanceHistogram.Group, edges: [Double]) -> Double {
        guard group.pairs > 0 else { return .nan }
        var sum = 0.0
        for (i, c) in group.counts.enumerated() { sum += Double(c) * (edges[i] + edges[i + 1]) / 2 }
        return sum / Double(group.pairs)
    }
}
