import Foundation
import Linalg

/// Gride, the generalised-ratio intrinsic dimension (Denti, Doimo, Laio & Mira 2022, "The
/// generalized ratios intrinsic dimension estimator", Scientific Reports 12, 20005), at the
/// scales of DADApy's `return_id_scaling_gride`: n₁ = 1, 2, 4, …, n₂ = 2n₁.
///
/// For each point μ = r_{n₂}/r_{n₁}. Under local uniformity μ has density
///   d·(μ^d − 1)^{n₂−n₁−1} / (B(n₂ − n₁, n₁)·μ^{(n₂−1)d+1}),  μ > 1,
/// and the estimate is the root of the score of the likelihood (DADApy's convention: (N − 1)
/// in place of N, unbiased at n₁ = 1 where Gride is TwoNN's maximum-likelihood form):
///   (N − 1)/d + (n₂ − n₁ − 1)·Σ ln μ/(1 − μ^{−d}) − (n₂ − 1)·Σ ln μ = 0,
/// found by bisection. The standard error is 1/√(Fisher information),
/// I(d) = N/d² + (n₂ − n₁ − 1)·Σ (ln μ)²·μ^{−d}/(1 − μ^{−d})².
/// As in DADApy, ratios above q₅₀ + 20·(q₉₅ − q₅₀) are dropped as likely overlapping points;
/// ratios μ = 1 (tied distances, duplicates) are dropped and counted (DADApy nudges them to
/// 1 + 10ε, scikit-dimension's port drops them).
///
/// Raising n₁ probes the data at a larger scale without decimating it: noise of size σ
/// inflates the estimate where r_{n₁} ≲ σ and leaves it where r_{n₁} ≫ σ; curvature shows as
/// a change at the large scales.
public struct GrideDimension: Sendable, Hashable {
    /// One scale.
    public struct Scale: Sendable, Hashable, Codable {
        /// The nearer neighbour's order.
        public var n1: Int
        /// The farther one's (2·n₁).
        public var n2: Int
        public var dimension: Double
        public var standardError: Double
        /// Mean distance to the n₁-th and n₂-th neighbours over all points (DADApy's scale).
        public var radius: Double
        /// Ratios left out (ties and the overlap filter).
        public var excluded: Int
    }

    /// The estimates at n₁ = 1, 2, 4, … with 2n₁ ≤ `rangeMax`.
    public let scales: [Scale]

    /// Estimates at every scale a neighbour search of at least `rangeMax` neighbours allows
    /// (DADApy's default `range_max` = 64: n₁ = 1 … 32). O(N·log rangeMax) plus the root
    /// finding (O(N) per bisection step).
    public init(neighbors: NearestNeighbors, rangeMax: Int = 64) throws {
        guard rangeMax >= 2 else { throw DimensionError.invalidParameter("Gride needs range_max ≥ 2, got \(rangeMax)") }
        guard neighbors.k >= rangeMax else {
            throw DimensionError.invalidParameter("Gride up to rank \(rangeMax) needs \(rangeMax) neighbours per point, the search found \(neighbors.k)")
        }
        let n = neighbors.distances.count / neighbors.k
        var out = [Scale]()
        var n1 = 1
        while 2 * n1 <= rangeMax {
            var radius = 0.0
            var logMu = [Double]()
            logMu.reserveCapacity(n)
            for i in 0..<n {
                let a = Double(neighbors.distance(i, neighbor: n1)), b = Double(neighbors.distance(i, neighbor: 2 * n1))
                radius += (a + b) / 2
                if a > 0, b > a { logMu.append(Foundation.log(b / a)) }
            }
            let ties = n - logMu.count
            let (d, se, filtered) = try Self.fit(logMu: logMu, n1: n1, n2: 2 * n1)
            out.append(Scale(n1: n1, n2: 2 * n1, dimension: d, standardError: se, radius: radius / Double(n),
                             excluded: ties + filtered))
            n1 *= 2
        }
        scales = out
    }

    /// The estimate at n₁ (nil when the search did not reach 2n₁).
    public func estimate(n1: Int) -> Scale? { scales.first { $0.n1 == n1 } }

    /// The root of the score for one scale, its standard error and how many ratios the
    /// overlap filter dropped.
    static func fit(logMu all: [Double], n1: Int, n2: Int) throws -> (Double, Double, Int) {
        guard all.count >= 2 else { throw DimensionError.degenerate("Gride (n1 = \(n1)): fewer than 2 points with r\(n2) > r\(n1) > 0") }
        // numpy's percentile (linear interpolation) of μ.
        let mus = all.map { Foundation.exp($0) }.sorted()
        func percentile(_ q: Double) -> Double {
            let h = q / 100 * Double(mus.count - 1)
            let lo = Int(h.rounded(.down)), hi = min(lo + 1, mus.count - 1)
            return mus[lo] + (h - Double(lo)) * (mus[hi] - mus[lo])
        }
        let (q95, q50) = (percentile(95), percentile(50))
        let ceiling = 20 * (q95 - q50) + q50
        let logMu = all.filter { Foundation.exp($0) < ceiling }
        let count = Double(logMu.count)
        guard logMu.count >= 2 else { throw DimensionError.degenerate("Gride (n1 = \(n1)): fewer than 2 ratios left") }
        let sumLog = logMu.reduce(0, +)
        let m = Double(n2 - n1 - 1)
        func score(_ d: Double) -> Double {
            var s = 0.0
            if m > 0 { for l in logMu { s += l / -Foundation.expm1(-d * l) } }
            return (count - 1) / d + m * s - Double(n2 - 1) * sumLog
        }
        var hi = 1.0
        while score(hi) > 0, hi < 1e6 { hi *= 2 }
        var lo = 1e-8
        while hi - lo > 1e-12 * max(1, hi) {
            let mid = (lo + hi) / 2
            if score(mid) > 0 { lo = mid } else { hi = mid }
        }
        let d = (lo + hi) / 2
        var info = count / (d * d)
        if m > 0 {
            for l in logMu {
                let x = l / (2 * Foundation.sinh(d * l / 2))
                info += m * x * x
            }
        }
        return (d, 1 / info.squareRoot(), all.count - logMu.count)
    }
}
