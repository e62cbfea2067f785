import Foundation
import Linalg

/// The Levina–Bickel maximum-likelihood intrinsic dimension (Levina & Bickel 2004,
/// "Maximum likelihood estimation of intrinsic dimension", NIPS 17), with the global value
/// taken by averaging the inverses of the pointwise estimates (MacKay & Ghahramani 2005),
/// as scikit-dimension's `MLE` does by default (`comb="mle"`, no noise model, biased form).
///
/// At point x with neighbour distances T₁ ≤ … ≤ T_k:
/// m̂(x) = (k − 1) / Σ_{j<k} ln(T_k / T_j);  global m̂ = 1 / mean(1 / m̂(x)).
///
/// Points where m̂(x) is undefined are left out and counted, never folded in:
/// - T₁ = 0 (the point has an exact duplicate): ln(T_k/0) = ∞ and m̂(x) = 0, which would
///   pull the global value to 0 (scikit-dimension 0.5.0 returns 0.0 for 2 000 points of a
///   square with 25 of them doubled). Counted in `duplicatePoints`. Only exact duplicates:
///   `NearestNeighbors` gives exact distances, so distinct points are never mistaken for
///   duplicates by round-off.
/// - T₁ = … = T_k > 0 (all k neighbours at one distance): the sum is 0 and the likelihood
///   has no finite maximum. Counted in `equidistantPoints`.
/// With fewer than 2 points left the estimate throws `DimensionError.degenerate`.
public struct MaximumLikelihoodDimension: Sendable, Hashable {
    /// Neighbours per point.
    public let k: Int
    /// m̂(x) per point (points with a zero neighbour distance, i.e. duplicates, are left out).
    public let pointwise: [Double]
    /// The global estimate 1 / mean(1/m̂(x)).
    public let dimension: Double
    /// Standard error of the global estimate by the delta method on the mean of the
    /// inverses (treats points as independent, so it is optimistic).
    public let standardError: Double
    /// Points left out because their first neighbour distance was exactly zero (duplicates).
    public let duplicatePoints: Int
    /// Points left out because all k neighbours were at one positive distance.
    public let equidistantPoints: Int

    /// Estimates from a neighbour search with at least `k` neighbours per point.
    /// O(N·k).
    public init(neighbors: NearestNeighbors, k: Int = 20) throws {
        guard k >= 2 else { throw DimensionError.invalidParameter("the MLE needs k ≥ 2 neighbours, got \(k)") }
        guard neighbors.k >= k else {
            throw DimensionError.invalidParameter("the MLE needs \(k) neighbours per point, the search found \(neighbors.k)")
        }
        let n = neighbors.distances.count / neighbors.k
        var pointwise = [Double]()
        pointwise.reserveCapacity(n)
        var duplicates = 0, equidistant = 0
        for i in 0..<n {
            let tk = Double(neighbors.distance(i, neighbor: k))
            guard neighbors.distance(i, neighbor: 1) > 0 else { duplicates += 1; continue }
            var sum = 0.0
            for j in 1..<k { sum += Foundation.log(tk / Double(neighbors.distance(i, neighbor: j))) }
            guard sum > 0 else { equidistant += 1; continue }
            pointwise.append(Double(k - 1) / sum)
        }
        guard pointwise.count >= 2 else {
            throw DimensionError.degenerate("the MLE found fewer than 2 points with distinct positive neighbour distances "
                + "(\(duplicates) of \(n) have an exact duplicate, \(equidistant) have all \(k) neighbours at one distance)")
        }
        let inverses = pointwise.map { 1 / $0 }
        let meanInverse = inverses.reduce(0, +) / Double(inverses.count)
        let variance = inverses.map { ($0 - meanInverse) * ($0 - meanInverse) }.reduce(0, +) / Double(inverses.count - 1)
        self.k = k
        self.pointwise = pointwise
        self.dimension = 1 / meanInverse
        self.standardError = (variance / Double(inverses.count)).squareRoot() / (meanInverse * meanInverse)
        self.duplicatePoints = duplicates
        self.equidistantPoints = equidistant
    }
}
