import Foundation
import Linalg

/// The MiND-ML intrinsic dimension (Rozza, Lombardi, Ceruti, Casiraghi & Campadelli 2012,
/// "Novel high intrinsic dimensionality estimators", Machine Learning 89, 37–65), with
/// scikit-dimension 0.5.0's `MiND_ML` conventions (`ver="MLk"`, k = 20, D = 10).
///
/// For each point ρ = r₁/r_{k+1}, the distance to its nearest neighbour over the distance to
/// its (k+1)-th. On a d-manifold sampled uniformly, ρ has density k·d·ρ^{d−1}(1 − ρ^d)^{k−1},
/// so the log-likelihood of the N ratios is
///   ℓ(d) = N·ln(k·d) + (d − 1)·Σ ln ρ + (k − 1)·Σ ln(1 − ρ^d),
/// concave in d. MiND-MLi is its argmax over the integers 1…D; MiND-MLk (this estimate) its
/// maximum over (0, D], found as the root of ℓ'(d) by bisection (scikit-dimension uses
/// L-BFGS-B started at MLi on the same concave function; both stop at the same maximum).
///
/// Points with ρ = 0 (an exact duplicate) or ρ = 1 (all k+1 neighbours at one distance) have
/// no finite likelihood; they are left out and counted in `excludedPoints`.
public struct MinimumNeighborDistanceDimension: Sendable, Hashable {
    /// Neighbours in the ratio (ρ uses the (k+1)-th).
    public let k: Int
    /// The largest dimension considered (the search bound).
    public let maxDimension: Int
    /// MiND-MLk: the maximum of ℓ over (0, D].
    public let dimension: Double
    /// MiND-MLi: the integer argmax of ℓ over 1…D.
    public let integerDimension: Int
    /// Points left out (ρ = 0 or ρ = 1).
    public let excludedPoints: Int

    /// Estimates from a neighbour search with at least k + 1 neighbours per point. O(N·D).
    public init(neighbors: NearestNeighbors, k: Int = 20, maxDimension: Int = 10) throws {
        guard k >= 2 else { throw DimensionError.invalidParameter("MiND-ML needs k ≥ 2 neighbours, got \(k)") }
        guard maxDimension >= 1 else { throw DimensionError.invalidParameter("MiND-ML needs a maximal dimension ≥ 1, got \(maxDimension)") }
        guard neighbors.k >= k + 1 else {
            throw DimensionError.invalidParameter("MiND-ML needs \(k + 1) neighbours per point, the search found \(neighbors.k)")
        }
        let n = neighbors.distances.count / neighbors.k
        var logRho = [Double]()
        logRho.reserveCapacity(n)
        for i in 0..<n {
            let r1 = Double(neighbors.distance(i, neighbor: 1)), rk = Double(neighbors.distance(i, neighbor: k + 1))
            guard r1 > 0, rk > r1 else { continue }
            logRho.append(Foundation.log(r1 / rk))
        }
        guard logRho.count >= 2 else {
            throw DimensionError.degenerate("MiND-ML: fewer than 2 points have 0 < r1 < r\(k + 1) (\(n - logRho.count) of \(n) left out)")
        }
        let fit = MinimumNeighborDistanceLikelihood(logRho: logRho, k: k)
        self.k = k
        self.maxDimension = maxDimension
        integerDimension = fit.integerMaximum(upTo: maxDimension)
        dimension = fit.maximum(upTo: Double(maxDimension))
        excludedPoints = n - logRho.count
    }
}

/// ℓ(d) of MiND-ML on a set of ln ρ (shared with DANCo, whose d̂ is this MLk estimate).
struct MinimumNeighborDistanceLikelihood {
    let logRho: [Double]
    let k: Int

    func logLikelihood(_ d: Double) -> Double {
        let n = Double(logRho.count)
        var s = 0.0, t = 0.0
        for l in logRho { s += l; t += Foundation.log(-Foundation.expm1(d * l)) }
        return n * Foundation.log(Double(k) * d) + (d - 1) * s + Double(k - 1) * t
    }

    /// ℓ'(d) = N/d + Σ ln ρ − (k − 1)·Σ ρ^d ln ρ / (1 − ρ^d); decreasing in d.
    func derivative(_ d: Double) -> Double {
        var s = 0.0
        for l in logRho {
            let p = Foundation.exp(d * l)
            s += l - Double(k - 1) * p * l / (-Foundation.expm1(d * l))
        }
        return Double(logRho.count) / d + s
    }

    func integerMaximum(upTo maxDimension: Int) -> Int {
        var best = 1, bestValue = -Double.infinity
        for d in 1...maxDimension {
            let v = logLikelihood(Double(d))
            if v > bestValue { best = d; bestValue = v }
        }
        return best
    }

    /// The maximiser over (0, upper]: the root of ℓ' by bisection (relative tolerance 1e-12).
    func maximum(upTo upper: Double) -> Double {
        if derivative(upper) >= 0 { return upper }
        var lo = 0.0, hi = upper
        while hi - lo > 1e-12 * max(1, hi) {
            let mid = (lo + hi) / 2
            if mid <= 0 { break }
            if derivative(mid) > 0 { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
