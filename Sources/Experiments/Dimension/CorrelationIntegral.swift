import Foundation
import Linalg

/// The correlation integral C(r) = #{i ≠ j : ‖xᵢ − xⱼ‖ < r} / (N(N−1)) at a set of radii
/// (Grassberger & Procaccia 1983, "Characterization of strange attractors", PRL 50, 346).
///
/// One pass of blocked GEMM distances over the upper triangle of blocks
/// (`PairwiseDistances.forEachBlock(upperOnly:)`) feeds a histogram of squared distances
/// against the squared radii (`SquaredDistanceBinner`); the cumulative histogram is C.
/// Memory O(block² + radii), never N²; time O(N²·D/2) flops in BLAS plus O(N²/2) cheap
/// bin look-ups.
public struct CorrelationIntegral: Sendable, Hashable {
    /// The radii r_j, ascending (Euclidean distance, the data's units).
    public let radii: [Double]
    /// Unordered pairs {i, j} with distance strictly below r_j (cumulative in j).
    public let pairCounts: [UInt64]
    /// N, the number of points.
    public let pointCount: Int

    /// N(N−1)/2, the number of unordered pairs.
    public var pairTotal: Double { Double(pointCount) * Double(pointCount - 1) / 2 }
    /// C(r_j) = pairCounts[j] / (N(N−1)/2), the fraction of pairs closer than r_j
    /// (equal to the ordered-pair definition).
    public var values: [Double] { pairCounts.map { Double($0) / pairTotal } }

    /// Counts pairs of rows of `x` closer than each radius.
    ///
    /// - Parameters:
    ///   - x: N×D points, N ≥ 2, finite.
    ///   - radii: strictly ascending positive radii (at most 255, distinct in Float32 when squared).
    ///   - block: block edge of the distance computation.
    ///   - workers: threads (each runs single-threaded BLAS on whole blocks); default the
    ///     OpenBLAS thread count.
    /// - Complexity: N²·D flops (upper blocks of the GEMM) plus N²/2 look-ups.
    public init(of x: Matrix, radii: [Double], block: Int = PairwiseDistances.defaultBlock,
                workers: Int = BLAS.threads) throws {
        guard x.rows >= 2 else { throw DimensionError.tooFewPoints(needed: 2, have: x.rows, estimator: "the correlation integral") }
        guard x.isFinite else { throw DimensionError.nonFinite("the data") }
        let thresholds = try Self.squaredThresholds(radii)
        let binner = SquaredDistanceBinner(thresholds: thresholds)
        // Centring keeps ‖x‖² + ‖y‖² − 2x·y accurate when the data sit far from the origin.
        let histogram = try Self.pairHistogram(x.centred(), binner: binner, block: block, workers: workers)
        var cumulative = [UInt64](repeating: 0, count: radii.count)
        var running: UInt64 = 0
        for j in radii.indices {
            running += histogram[j] // bin j holds pairs with r_{j-1} ≤ distance < r_j
            cumulative[j] = running
        }
        self.radii = radii
        self.pairCounts = cumulative
        self.pointCount = x.rows
    }

    /// Bin counts of the squared distances of all unordered pairs of rows of `x`, one
    /// histogram per worker merged at the end. Throws `CancellationError` when a stop is
    /// requested.
    static func pairHistogram(_ x: Matrix, labels: [Int32]? = nil, binner: SquaredDistanceBinner,
                              block: Int, workers: Int) throws -> [UInt64] {
        let width = (labels == nil ? 1 : 2) * binner.binCount
        let perWorker = WorkerHistograms(workers: max(workers, 1), width: width)
        try PairwiseDistances.forEachBlockConcurrently(x, block: block, upperOnly: true, workers: workers) { worker, rows, columns, distances in
            let counts = perWorker.histogram(worker)
            if let labels {
                labels.withUnsafeBufferPointer { l in
                    binner.accumulatePairs(distances, rows: rows, columns: columns, labels: l, into: counts)
                }
            } else {
                binner.accumulatePairs(distances, rows: rows, columns: columns, into: counts)
            }
        }
        return perWorker.merged()
    }

    /// Squared radii as Float32 thresholds, checked to be usable by the binner.
    static func squaredThresholds(_ radii: [Double]) throws -> [Float] {
        guard !radii.isEmpty, radii.count <= 255 else {
            throw DimensionError.invalidParameter("between 1 and 255 radii are supported, got \(radii.count)")
        }
        guard radii.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw DimensionError.invalidParameter("radii must be finite and positive")
        }
        let thresholds = radii.map { Float($0 * $0) }
        guard zip(thresholds, thresholds.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw DimensionError.invalidParameter("radii must be strictly ascending (and distinct in Float32 when squared)")
        }
        return thresholds
    }

    /// `count` radii evenly spaced in ln r from `range.lowerBound` to `range.upperBound`.
    public static func logSpacedRadii(count: Int, in range: ClosedRange<Double>) throws -> [Double] {
        guard count >= 2 else { throw DimensionError.invalidParameter("at least 2 radii are needed, got \(count)") }
        guard range.lowerBound > 0, range.upperBound > range.lowerBound, range.upperBound.isFinite else {
            throw DimensionError.invalidParameter("the radius range must satisfy 0 < r1 < r2, got [\(range.lowerBound), \(range.upperBound)]")
        }
        let a = Foundation.log(range.lowerBound), b = Foundation.log(range.upperBound)
        return (0..<count).map { Foundation.exp(a + (b - a) * Double($0) / Double(count - 1)) }
    }

    /// A radius range spanning the data's pair distances, from a sample of `sampleSize`
    /// points against all points: from the smallest positive nearest-neighbour distance of
    /// the sample (where C holds about N/(2·sampleSize) pairs) to the largest distance seen
    /// (where C ≈ 1). O(sampleSize·N·D) flops.
    public static func automaticRange(of x: Matrix, sampleSize: Int = 128,
                                      using generator: inout SeededGenerator) throws -> ClosedRange<Double> {
        guard x.rows >= 2 else { throw DimensionError.tooFewPoints(needed: 2, have: x.rows, estimator: "the radius range") }
        guard x.isFinite else { throw DimensionError.nonFinite("the data") }
        let m = min(x.rows, max(sampleSize, 2))
        let chosen = Array(generator.permutation(x.rows).prefix(m))
        let centred = x.centred()
        let sample = centred.rows(at: chosen)
        var smallest = Float.infinity, largest: Float = 0
        PairwiseDistances.forEachBlock(sample, centred) { rows, columns, distances in
            let n = columns.count
            for r in rows {
                let own = chosen[r]
                for c in columns where c != own {
                    let s = distances[(r - rows.lowerBound) * n + (c - columns.lowerBound)]
                    if s > 0 && s < smallest { smallest = s }
                    if s > largest { largest = s }
                }
            }
        }
        guard smallest.isFinite, largest > smallest else {
            throw DimensionError.degenerate("all sampled points coincide; the pair distances have no range")
        }
        // Slightly past the largest sampled distance so that C reaches (nearly) 1.
        return Double(smallest).squareRoot()...(Double(largest).squareRoot() * 1.001)
    }
}

/// One histogram per worker thread, each on its own cache lines.
final class WorkerHistograms: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<UInt64>
    private let stride: Int
    let workers: Int
    let width: Int

    init(workers: Int, width: Int) {
        self.workers = workers
        self.width = width
        stride = (width + 7) & ~7 // 64-byte lines
        storage = .allocate(capacity: workers * stride)
        storage.initialize(repeating: 0)
    }

    deinit { storage.deallocate() }

    /// Worker `w`'s histogram; only that worker writes it.
    func histogram(_ w: Int) -> UnsafeMutableBufferPointer<UInt64> {
        UnsafeMutableBufferPointer(rebasing: storage[(w * stride)..<(w * stride + width)])
    }

    /// The sum over workers.
    func merged() -> [UInt64] {
        (0..<width).map { b in (0..<workers).reduce(0) { $0 + storage[$1 * stride + b] } }
    }
}
