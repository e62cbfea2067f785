import Foundation
import Linalg

/// The TwoNN intrinsic dimension (Facco, d'Errico, Rodriguez & Laio 2017, "Estimating the
/// intrinsic dimension of datasets by a minimal neighborhood information", Sci. Rep. 7,
/// 12140), with scikit-dimension's `TwoNN` conventions (`method="linear"`).
///
/// The ratios μ = r₂/r₁ of second to first neighbour distances follow a Pareto law with
/// shape d, so −ln(1 − F(μ)) = d·ln μ. The largest `discardFraction` of the ratios are
/// dropped, F is the empirical CDF i/N of the kept sorted ratios (N counts all ratios), and
/// d is the least-squares slope through the origin: Σ xy / Σ x².
///
/// N, not the kept count, is the right denominator: the kept ratios are the smallest
/// order statistics of all N, and the i-th of N has F ≈ i/N whatever is dropped above it;
/// i/N_kept would put the last kept ratio at F = 1, where −ln(1 − F) is infinite.
///
/// Ties and duplicates, as scikit-dimension treats them:
/// - A point with r₁ = 0 (an exact duplicate of another point) has no ratio. It is left
///   out before N is counted, and counted in `duplicatePoints`.
/// - r₂ = r₁ > 0 (two neighbours at one distance) gives μ = 1, ln μ = 0: a legitimate value
///   of the law, kept; it moves F but adds nothing to Σ xy or Σ x².
///
/// The distances must be exact: the law of μ lives in the small ones, and on a 1-D curve of
/// 2 500 points Float32 expansion distances (‖x‖² + ‖y‖² − 2x·y) turned 3–4 % of the r₁
/// into zeros and dropped them as duplicates, which read 1.08 for a helix where the exact
/// distances give 1.00. `NearestNeighbors` provides exact ones.
public struct TwoNearestNeighborsDimension: Sendable, Hashable {
    /// The estimate.
    public let dimension: Double
    /// ln μ of the kept ratios, ascending (the fit's x).
    public let logRatios: [Double]
    /// −ln(1 − i/N) (the fit's y).
    public let logSurvival: [Double]
    /// Points left out because their first neighbour distance was exactly zero (duplicates).
    public let duplicatePoints: Int

    /// Estimates from a neighbour search with at least 2 neighbours per point. O(N log N).
    public init(neighbors: NearestNeighbors, discardFraction: Double = 0.1) throws {
        guard neighbors.k >= 2 else { throw DimensionError.invalidParameter("TwoNN needs 2 neighbours per point, the search found \(neighbors.k)") }
        guard discardFraction >= 0, discardFraction < 1 else {
            throw DimensionError.invalidParameter("TwoNN's discard fraction must be in [0, 1), got \(discardFraction)")
        }
        let n = neighbors.distances.count / neighbors.k
        var ratios = [Double]()
        ratios.reserveCapacity(n)
        for i in 0..<n {
            let r1 = Double(neighbors.distance(i, neighbor: 1)), r2 = Double(neighbors.distance(i, neighbor: 2))
            if r1 > 0 { ratios.append(r2 / r1) }
        }
        let total = ratios.count
        guard total >= 2 else { // n ≥ 3 (the search found 2 neighbours), so duplicates took the rest
            throw DimensionError.degenerate("TwoNN: \(n - total) of \(n) points have an exact duplicate (r1 = 0), fewer than 2 ratios r2/r1 are left")
        }
        // Same truncation as scikit-dimension: int(N * (1 - fraction)).
        let kept = Int(Double(total) * (1 - discardFraction))
        guard kept >= 2 else { throw DimensionError.tooFewPoints(needed: 3, have: total, estimator: "TwoNN") }
        ratios.sort()
        var x = [Double](), y = [Double]()
        x.reserveCapacity(kept); y.reserveCapacity(kept)
        var sxy = 0.0, sxx = 0.0
        for i in 0..<kept {
            let a = Foundation.log(ratios[i])
            let b = -Foundation.log(1 - Double(i + 1) / Double(total))
            guard b.isFinite else { continue } // F = 1 only when nothing is discarded
            x.append(a); y.append(b)
            sxy += a * b; sxx += a * a
        }
        guard sxx > 0 else { throw DimensionError.degenerate("TwoNN: every kept ratio r2/r1 is 1") }
        self.dimension = sxy / sxx
        self.logRatios = x
        self.logSurvival = y
        self.duplicatePoints = n - total
    }
}
