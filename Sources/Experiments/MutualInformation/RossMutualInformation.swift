import Foundation
import Linalg

/// I(X;L) between continuous rows X and a discrete label L by the nearest-neighbour
/// estimator of Ross, "Mutual information between discrete and continuous data sets",
/// PLoS ONE 9, e87357 (2014), as scikit-learn's `_compute_mi_cd` computes it (Euclidean
/// distances in Double): for row i of class c with N_c rows, d_i = distance to its k-th
/// neighbour within class c (k = min(k, N_c − 1)); m_i = #{j: ‖x_i − x_j‖ < d_i}, i included,
/// j over the rows whose class has at least two members (n of them);
///
///     Î = ψ(n) + ⟨ψ(k_i)⟩ − ⟨ψ(N_c)⟩ − ⟨ψ(m_i)⟩,
///
/// averaged over the rows whose class has at least two members. O(n²·d).
public struct RossMutualInformation: Sendable, Hashable {
    public var k: Int
    public init(k: Int = 3) { self.k = k }

    public var label: String { "Ross k-NN (k = \(k))" }

    /// Î(X;L) in nats.
    public func information(_ x: Matrix, labels: [Int]) throws -> Double {
        guard k >= 1 else { throw MutualInformationError.invalidParameter("k must be at least 1, not \(k)") }
        guard labels.count == x.rows else { throw MutualInformationError.rowMismatch(x: x.rows, y: labels.count) }
        let n = x.rows, d = x.columns
        var counts = [Int: Int]()
        for l in labels { counts[l, default: 0] += 1 }
        let xs = x.elements.map(Double.init)
        func distance(_ i: Int, _ j: Int) -> Double {
            var s = 0.0
            for c in 0..<d { let e = xs[i * d + c] - xs[j * d + c]; s += e * e }
            return s.squareRoot()
        }
        var kept = 0
        var sumK = 0.0, sumN = 0.0, sumM = 0.0
        var same = [Double]()
        for i in 0..<n {
            if i % 256 == 0 { try Cancellation.checkpoint() }
            let nc = counts[labels[i]] ?? 0
            guard nc > 1 else { continue }
            let ki = min(k, nc - 1)
            same.removeAll(keepingCapacity: true)
            var all = [Double](); all.reserveCapacity(n)
            for j in 0..<n where (counts[labels[j]] ?? 0) > 1 {
                let r = distance(i, j)
                all.append(r)
                if j != i && labels[j] == labels[i] { same.append(r) }
            }
            same.sort()
            let radius = same[ki - 1]
            var m = 0
            for r in all where r < radius { m += 1 }
            kept += 1
            sumK += digamma(Double(ki)); sumN += digamma(Double(nc)); sumM += digamma(Double(max(m, 1)))
        }
        guard kept > 0 else { throw MutualInformationError.invalidParameter("every class has a single row") }
        let c = Double(kept)
        return digamma(Double(kept)) + sumK / c - sumN / c - sumM / c
    }
}
