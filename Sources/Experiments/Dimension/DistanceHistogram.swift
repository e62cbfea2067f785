import Foundation
import Linalg

/// The distribution of pairwise Euclidean distances of a set, over all pairs or over the
/// pairs among a random subset of points, split into within-label and between-label pairs
/// when labels are given (the "clustering" view of compression, Goldfeld et al. 2019,
/// "Estimating information flow in deep neural networks", ICML).
///
/// Two passes of blocked GEMM distances over the upper triangle: one for the largest
/// distance (the default range), one binning squared distances against squared edges
/// (`SquaredDistanceBinner`, no square root per pair). Memory O(block² + bins).
public struct DistanceHistogram: Sendable, Hashable, Codable {
    /// One histogram over the common edges.
    public struct Group: Sendable, Hashable, Codable {
        /// "all pairs", "within label" or "between labels".
        public let name: String
        /// Pairs counted in each bin.
        public let counts: [UInt64]
        /// Probability density per unit distance: counts / (pairs in the group · bin width),
        /// so each group integrates to 1 over the range.
        public let density: [Double]
        /// Pairs of the group inside the range.
        public let pairs: UInt64
    }

    /// Bin edges in distance units, ascending, bins + 1 of them.
    public let edges: [Double]
    /// "all pairs", or "within label" and "between labels".
    public let groups: [Group]
    /// Points whose pairs were counted (N, or the subset size).
    public let pointCount: Int
    /// Pairs outside the range (only when a range was given).
    public let outsideRange: UInt64

    /// - Parameters:
    ///   - x: N×D points.
    ///   - labels: one label per row; pairs are then split into within and between labels.
    ///   - bins: number of bins, 1...254.
    ///   - pairs: count the pairs among a random subset of m points with m(m−1)/2 ≥ pairs
    ///     (nil: all N(N−1)/2 pairs).
    ///   - range: distance range of the bins (nil: 0 to the largest distance).
    ///   - workers: threads for the distance blocks (default: the OpenBLAS thread count).
    /// - Complexity: 2·m²·D flops (one pass without a range) plus m²/2 look-ups.
    public init(of x: Matrix, labels: [Int]? = nil, bins: Int = 60, pairs: Int? = nil,
                range: ClosedRange<Double>? = nil, workers: Int = BLAS.threads,
                using generator: inout SeededGenerator) throws {
        guard (1...254).contains(bins) else { throw DimensionError.invalidParameter("bins must be in 1...254, got \(bins)") }
        guard x.rows >= 2 else { throw DimensionError.tooFewPoints(needed: 2, have: x.rows, estimator: "a distance histogram") }
        guard x.isFinite else { throw DimensionError.nonFinite("the data") }
        if let labels, labels.count != x.rows {
            throw DimensionError.invalidParameter("\(labels.count) labels for \(x.rows) points")
        }
        var points = x.centred()
        var pointLabels = labels
        if let pairs {
            guard pairs >= 1 else { throw DimensionError.invalidParameter("the pair sample must be positive, got \(pairs)") }
            // Smallest m with m(m−1)/2 ≥ pairs.
            let m = min(x.rows, Int((0.5 + (0.25 + 2 * Double(pairs)).squareRoot()).rounded(.up)))
            if m < x.rows {
                let chosen = Array(generator.permutation(x.rows).prefix(max(m, 2)))
                points = points.rows(at: chosen)
                pointLabels = labels.map { l in chosen.map { l[$0] } }
            }
        }
        let distanceRange: ClosedRange<Double>
        if let range {
            guard range.lowerBound >= 0, range.upperBound > range.lowerBound, range.upperBound.isFinite else {
                throw DimensionError.invalidParameter("the distance range must satisfy 0 ≤ lower < upper, got [\(range.lowerBound), \(range.upperBound)]")
            }
            distanceRange = range
        } else {
            let perWorker = WorkerMaxima(workers: max(workers, 1))
            try PairwiseDistances.forEachBlockConcurrently(points, upperOnly: true, workers: workers) { worker, _, _, block in
                perWorker.offer(block, worker: worker)
            }
            let largest = perWorker.largest
            guard largest > 0 else { throw DimensionError.degenerate("all points coincide; every distance is 0") }
            // Just past the largest distance, so that it falls in the last bin.
            distanceRange = 0...(Double(largest).squareRoot() * (1 + 1e-5))
        }
        let width = (distanceRange.upperBound - distanceRange.lowerBound) / Double(bins)
        let edges = (0...bins).map { distanceRange.lowerBound + width * Double($0) }
        let thresholds = edges.map { Float($0 * $0) }
        guard zip(thresholds, thresholds.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw DimensionError.invalidParameter("the bins are too narrow for Float32 squared distances; use fewer bins or a wider range")
        }
        // Bin 0 is below the range, bins 1...bins inside it, bins + 1 above it.
        let binner = SquaredDistanceBinner(thresholds: thresholds)
        let groupCount = pointLabels == nil ? 1 : 2
        let labels32 = pointLabels.map { $0.map { Int32(truncatingIfNeeded: $0) } }
        let counts = try CorrelationIntegral.pairHistogram(points, labels: labels32, binner: binner,
                                                       block: PairwiseDistances.defaultBlock, workers: workers)
        let names = groupCount == 1 ? ["all pairs"] : ["within label", "between labels"]
        var groups = [Group](), outside: UInt64 = 0
        for g in 0..<groupCount {
            let all = counts[(g * binner.binCount)..<((g + 1) * binner.binCount)]
            let inside = Array(all.dropFirst().prefix(bins))
            outside += all.first ?? 0
            outside += all.last ?? 0
            let total = inside.reduce(0, +)
            let density = inside.map { total > 0 ? Double($0) / (Double(total) * width) : 0 }
            groups.append(Group(name: names[g], counts: inside, density: density, pairs: total))
        }
        self.edges = edges
        self.groups = groups
        self.pointCount = points.rows
        self.outsideRange = outside
    }
}

/// The largest value seen by each worker thread (raw storage: workers write their own
/// slots concurrently, which a Swift array property would not allow).
final class WorkerMaxima: @unchecked Sendable {
    private let maxima: UnsafeMutableBufferPointer<Float>
    init(workers: Int) {
        maxima = .allocate(capacity: workers * 16) // one 64-byte line per worker
        maxima.initialize(repeating: 0)
    }
    deinit { maxima.deallocate() }
    /// Worker `worker` offers a block; only that worker writes its slot.
    func offer(_ block: UnsafeMutableBufferPointer<Float>, worker: Int) {
        var m = maxima[worker * 16]
        for s in block where s > m { m = s }
        maxima[worker * 16] = m
    }
    var largest: Float { maxima.max() ?? 0 }
}
