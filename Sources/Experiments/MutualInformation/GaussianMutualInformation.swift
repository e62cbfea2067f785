import Foundation
import Linalg

/// I(X;Y) of the Gaussian with the data's covariance:
///
///     Î = ½·(ln det S_XX + ln det S_YY − ln det S) = −½·Σᵢ ln(1 − ρᵢ²),
///
/// ρᵢ the sample canonical correlations (Hotelling 1936; the two forms are the same number:
/// det S / (det S_XX det S_YY) = det(I − S_XX⁻¹S_XY S_YY⁻¹S_YX) = Π(1 − ρᵢ²)). Exact in the
/// limit for jointly normal data; for other data it is the information of the linear
/// (second-order) dependence only.
///
/// `biasCorrected` removes the plug-in's finite-sample bias exactly for Gaussian data: with
/// (n−1)S ~ Wishart_p(Σ, n−1), E[ln det S] = ln det Σ + Σ_{i=1..p} ψ((n−i)/2) + p·ln(2/(n−1))
/// (Misra, Singh & Demchuk, "Estimation of the entropy of a multivariate normal
/// distribution", J. Multivariate Anal. 92, 2005), applied to the three determinants.
/// The bias is ≈ d_x·d_y/(2n) nats: 0.25 at 50 × 50 and n = 5 000.
/// Cost: O(n·(d_x + d_y)²) in BLAS (`dsyrk`) and O((d_x + d_y)³) for the determinants.
public struct GaussianMutualInformation: Sendable, Hashable {
    public var biasCorrected: Bool
    public init(biasCorrected: Bool = true) { self.biasCorrected = biasCorrected }

    public var label: String { biasCorrected ? "Gaussian" : "Gaussian (plug-in)" }

    /// Î(X;Y) in nats (not clipped at 0 when bias-corrected, so it averages to the truth).
    /// - Throws: `MutualInformationError.singularCovariance` for collinear columns,
    ///   `.tooFewRows` when n ≤ d_x + d_y.
    public func information(_ x: Matrix, _ y: Matrix) throws -> Double {
        guard x.rows == y.rows else { throw MutualInformationError.rowMismatch(x: x.rows, y: y.rows) }
        let n = x.rows, dx = x.columns, dy = y.columns, d = dx + dy
        guard n > d + 1 else { throw MutualInformationError.tooFewRows(needed: d + 2, have: n, estimator: label) }
        let s = joined(x, y).covariance()
        // Correlations: the scales cancel in the ratio and the factorisation is better conditioned.
        var c = s.elements
        for i in 0..<d { for j in 0..<d { c[i * d + j] = s.elements[i * d + j] / (s[i, i] * s[j, j]).squareRoot() } }
        guard let information = jointNormalInformation(c, dimX: dx, dimY: dy) else {
            throw MutualInformationError.singularCovariance("the covariance of (x, y) is singular: some columns are (nearly) linear combinations of others")
        }
        var value = information
        if biasCorrected {
            value -= 0.5 * (Self.logDeterminantBias(dx, n) + Self.logDeterminantBias(dy, n) - Self.logDeterminantBias(d, n))
        }
        return value
    }

    /// E[ln det S] − ln det Σ for the sample covariance of n Gaussian rows in p dimensions.
    static func logDeterminantBias(_ p: Int, _ n: Int) -> Double {
        var b = Double(p) * log(2 / Double(n - 1))
        for i in 1...max(1, p) where i <= p { b += digamma(Double(n - i) / 2) }
        return b
    }
}

/// The columns of `a` followed by those of `b`, row by row.
func joined(_ a: Matrix, _ b: Matrix) -> Matrix {
    var out = Matrix(rows: a.rows, columns: a.columns + b.columns)
    let w = a.columns + b.columns
    for i in 0..<a.rows {
        for k in 0..<a.columns { out.elements[i * w + k] = a.elements[i * a.columns + k] }
        for k in 0..<b.columns { out.elements[i * w + a.columns + k] = b.elements[i * b.columns + k] }
    }
    return out
}
