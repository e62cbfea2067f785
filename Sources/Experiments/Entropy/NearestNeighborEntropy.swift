import Foundation
import Linalg

/// The Kozachenko–Leonenko k-nearest-neighbour entropy estimator (Kozachenko & Leonenko,
/// "Sample estimate of the entropy of a random vector", 1987; with k > 1 as in Kraskov,
/// Stögbauer & Grassberger, Phys. Rev. E 69, 066138, 2004, eq. 20):
///
///     H = ψ(n) − ψ(k) + ln V_d + (d/n)·Σᵢ ln εᵢ
///
/// where εᵢ is the distance from xᵢ to its k-th nearest neighbour, V_d = π^(d/2)/Γ(d/2 + 1)
/// the volume of the unit d-ball and ψ the digamma function. No bandwidth, so it is an
/// independent cross-check of the kernel estimators. Whitening (default) makes it use the
/// Mahalanobis metric and adds ½·ln det Σ back, like `KernelEntropy`.
///
/// Complexity: O(n²·d) flops through `NearestNeighbors` (blocked sgemm distances), O(n·k)
/// memory.
public struct NearestNeighborEntropy: Sendable {
    /// The neighbour order k ≥ 1.
    public var k: Int
    public var whiten: Bool

    public init(k: Int = 4, whiten: Bool = true) {
        self.k = k
        self.whiten = whiten
    }

    /// The entropy of the distribution the rows of `x` (n×d, n > k) were drawn from, in nats.
    /// - Throws: `EntropyError` for k out of range, too few points or duplicate points;
    ///   `DegenerateCovarianceError` when whitening rank-deficient data.
    public func estimate(_ x: Matrix) throws -> EntropyEstimate {
        guard k >= 1 else { throw EntropyError.invalidParameter("k must be at least 1, not \(k)") }
        guard x.rows > k else {
            throw EntropyError.tooFewPoints("the \(k)-th nearest neighbour needs at least \(k + 1) points, have \(x.rows)")
        }
        let data = try PreparedData(x, whiten: whiten)
        let n = data.points.rows, d = data.points.columns
        let neighbors = try NearestNeighbors(of: data.points, k: k)
        let constant = digamma(Double(n)) - digamma(Double(k)) + Self.logUnitBallVolume(d)
        var terms = [Double]()
        terms.reserveCapacity(n)
        var duplicates = 0
        // `NearestNeighbors` re-ranks its candidates by distances computed in Double, so the
        // k-th distance is exact (to Float rounding) even for close neighbours.
        for i in 0..<n {
            let epsilon = Double(neighbors.distance(i, neighbor: k))
            if epsilon <= 0 { duplicates += 1; continue }
            terms.append(constant + Double(d) * log(epsilon))
        }
        guard duplicates == 0 else { throw EntropyError.duplicatePoints(count: duplicates, k: k) }
        let (mean, standardError) = meanAndStandardError(terms)
        return EntropyEstimate(method: "Kozachenko–Leonenko k=\(k)", whitenedEntropy: mean, standardError: standardError,
                               bandwidth: nil, count: n, dimension: d, logDetCovariance: data.logDetCovariance,
                               whitened: whiten)
    }

    /// ln V_d = (d/2)·ln π − ln Γ(d/2 + 1), the log-volume of the unit ball in d dimensions.
    static func logUnitBallVolume(_ d: Int) -> Double {
        0.5 * Double(d) * log(Double.pi) - lgamma(0.5 * Double(d) + 1)
    }
}
