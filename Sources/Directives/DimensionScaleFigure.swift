import Dimension
import Foundation
import Linalg
import Notebook
import Plot

/// The figure of `{dimension}`: the intrinsic dimension against the neighbourhood scale —
/// Gride at n₁ = 1, 2, 4, … (x: the mean distance to the n₁-th and 2n₁-th neighbours) and
/// TwoNN on random subsets of n, n/2, n/4, … points (x: their mean distance to the first and
/// second neighbour, which grows as the subset thins). Noise shows as a rise at the small
/// scales, curvature or too few points as a change at the large ones; the plateau rule of
/// `GridePlateau` marks the scale it picks.
enum DimensionScaleFigure {
    static func make(points: Matrix, gride: GrideDimension, name: String, truth: Int?,
                     using g: inout SeededGenerator) throws -> (CurveValue, Figure) {
        let scales = gride.scales
        let grideSeries = Series(name: "Gride (n₁ = 1, 2, 4, …)", x: scales.map(\.radius), y: scales.map(\.dimension),
                                 lower: scales.map { $0.dimension - $0.standardError }, upper: scales.map { $0.dimension + $0.standardError })
        var tx = [Double](), ty = [Double]()
        var size = points.rows
        while size >= 20 {
            let subset = size == points.rows ? points : points.rows(at: Array(g.permutation(points.rows).prefix(size)))
            if let nn = try? NearestNeighbors(of: subset, k: 2), let twonn = try? TwoNearestNeighborsDimension(neighbors: nn) {
                var r = 0.0
                for i in 0..<size { r += Double(nn.distance(i, neighbor: 1) + nn.distance(i, neighbor: 2)) / 2 }
                tx.append(r / Double(size)); ty.append(twonn.dimension)
            }
            size /= 2
            if tx.count >= 7 { break }
        }
        var series = [grideSeries]
        if tx.count >= 2 {
            let order = tx.indices.sorted { tx[$0] < tx[$1] }
            series.append(Series(name: "TwoNN on n, n/2, n/4, … points", x: order.map { tx[$0] }, y: order.map { ty[$0] }))
        }
        let plateau = GridePlateau(gride)
        var lines = [ReferenceLine]()
        if let truth { lines.append(.horizontal(Double(truth), label: "true k = \(truth)")) }
        if let i = plateau.index {
            lines.append(.vertical(scales[i].radius))
            lines.append(.vertical(scales[i + 1].radius))
        }
        let curve = CurveValue(title: "Intrinsic dimension of \(name) against scale", xLabel: "neighbourhood radius",
                               yLabel: "intrinsic dimension", series: series)
        let chart = try LineChart(title: curve.title, xLabel: curve.xLabel, yLabel: curve.yLabel, series: series.map { .init($0) },
                                  xScale: .log, referenceLines: lines)
        let rule = plateau.start.map { "The plateau rule (after the smallest scales that fall by more than 6 % each, the first two consecutive Gride scales within 6 % of each other) picks n₁ = \($0)–\(2 * $0), marked by the vertical lines: \(String(format: "%.2f", plateau.value ?? .nan))." }
            ?? "No two consecutive Gride scales (after those falling by more than 6 %) agree within 6 %: there is no plateau, and no scale to trust."
        return (curve, try Figure(name: "dimension-scale", caption:
            "Intrinsic dimension against the neighbourhood radius: Gride at n₁ = 1, 2, 4, … (band: ± one standard error) on all points, "
            + "and TwoNN on random subsets of n, n/2, n/4, … points. Noise raises the estimate where the radius is comparable to it "
            + "(the small scales); curvature and too few points change it at the large ones. " + rule, chart: chart))
    }
}
