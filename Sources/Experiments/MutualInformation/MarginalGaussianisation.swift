import Foundation
import Linalg

/// Each column replaced by its normal scores: the rank r (1…n, ties averaged) → Φ⁻¹(r/(n+1)).
///
/// I(X;Y) is invariant under invertible maps of X and of Y, in particular under increasing
/// maps of each coordinate; the scores keep the data's copula and give every margin the
/// same N(0,1) shape. So the Gaussian estimate on the scores (the "Gaussian copula"
/// estimate, Ince et al., "A statistical framework for neuroimaging data analysis based on
/// mutual information estimated via a Gaussian copula", Hum. Brain Mapp. 38, 2017) is exact
/// in the limit for any coordinatewise monotone transform of a multinormal, and KSG on the
/// scores does not depend on the margins' scales or tails. O(n log n) per column.
public enum MarginalGaussianisation {
    /// The normal scores of every column of `m`.
    public static func scores(_ m: Matrix) -> Matrix {
        let n = m.rows, d = m.columns
        var out = Matrix(rows: n, columns: d)
        guard n > 0 else { return out }
        var order = [Int](repeating: 0, count: n)
        var column = [Float](repeating: 0, count: n)
        for j in 0..<d {
            for i in 0..<n { column[i] = m.elements[i * d + j]; order[i] = i }
            order.sort { column[$0] < column[$1] || (column[$0] == column[$1] && $0 < $1) }
            var start = 0
            while start < n {
                var end = start + 1
                while end < n && column[order[end]] == column[order[start]] { end += 1 }
                let rank = 0.5 * Double(start + 1 + end)   // average of ranks start+1 … end
                let score = Float(normalQuantile(rank / Double(n + 1)))
                for t in start..<end { out.elements[order[t] * d + j] = score }
                start = end
            }
        }
        return out
    }
}

/// Each column minus its mean, divided by its standard deviation (n − 1); a constant column stays 0.
public func standardised(_ m: Matrix) -> Matrix {
    let n = m.rows, d = m.columns
    guard n > 1 else { return m }
    var out = m
    for j in 0..<d {
        var s = 0.0
        for i in 0..<n { s += Double(m.elements[i * d + j]) }
        let mean = s / Double(n)
        var v = 0.0
        for i in 0..<n { let e = Double(m.elements[i * d + j]) - mean; v += e * e }
        let sd = (v / Double(n - 1)).squareRoot()
        for i in 0..<n { out.elements[i * d + j] = sd > 0 ? Float((Double(m.elements[i * d + j]) - mean) / sd) : 0 }
    }
    return out
}
