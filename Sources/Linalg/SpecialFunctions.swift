import Foundation

/// The digamma function ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x+1) − 1/x up
/// to x ≥ 10, then the asymptotic series (Abramowitz & Stegun 6.3.18), accurate to 1e-12.
public func digamma(_ x: Double) -> Double {
    var x = x, shift = 0.0
    while x < 10 { shift -= 1 / x; x += 1 }
    let f = 1 / (x * x)
    let series = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 + f * (1.0 / 240 - f / 132))))
    return shift + log(x) - 0.5 / x + series
}

/// The standard normal distribution function Φ(x) = ½·erfc(−x/√2).
public func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation
/// (relative error 1.15e-9) refined by one Halley step on Φ, which brings it to ~1e-15.
/// Returns ∓∞ at p = 0 and 1, NaN outside [0, 1].
public func normalQuantile(_ p: Double) -> Double {
    guard p > 0, p < 1 else { return p == 0 ? -.infinity : p == 1 ? .infinity : .nan }
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
        let q = (-2 * log(p)).squareRoot()
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
        let q = p - 0.5, r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
        let q = (-2 * log(1 - p)).squareRoot()
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    // Halley step: e = Φ(x) − p, u = e·√(2π)·exp(x²/2).
    let e = normalCDF(x) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(0.5 * x * x)
    x -= u / (1 + 0.5 * x * u)
    return x
}

/// ln det of a symmetric positive-definite matrix (row-major, d×d) by a Cholesky factorisation
/// in Double; nil when a pivot is not positive (not positive definite). O(d³/3).
public func logDeterminantPositiveDefinite(_ a: [Double], dimension d: Int) -> Double? {
    guard let l = choleskyFactor(a, dimension: d) else { return nil }
    var s = 0.0
    for i in 0..<d { s += log(l[i * d + i]) }
    return 2 * s
}

/// The lower-triangular Cholesky factor L (row-major, d×d) with A = L·Lᵀ, or nil when A is
/// not positive definite. O(d³/3), Double.
public func choleskyFactor(_ a: [Double], dimension d: Int) -> [Double]? {
    guard a.count == d * d else { return nil }
    var l = [Double](repeating: 0, count: d * d)
    for j in 0..<d {
        var s = a[j * d + j]
        for k in 0..<j { s -= l[j * d + k] * l[j * d + k] }
        guard s > 0, s.isFinite else { return nil }
        let pivot = s.squareRoot()
        l[j * d + j] = pivot
        for i in (j + 1)..<max(j + 1, d) {
            var t = a[i * d + j]
            for k in 0..<j { t -= l[i * d + k] * l[j * d + k] }
            l[i * d + j] = t / pivot
        }
    }
    return l
}

/// ½·(ln det C_XX + ln det C_YY − ln det C): I(X;Y) in nats of jointly normal (X, Y) whose
/// covariance (or correlation) matrix is C, (d_x + d_y)² in row-major order with X's
/// coordinates first; nil when C or a block is not positive definite.
public func jointNormalInformation(_ c: [Double], dimX dx: Int, dimY dy: Int) -> Double? {
    let d = dx + dy
    func block(_ r: Range<Int>) -> [Double] {
        var out = [Double](); out.reserveCapacity(r.count * r.count)
        for i in r { for j in r { out.append(c[i * d + j]) } }
        return out
    }
    guard let lx = logDeterminantPositiveDefinite(block(0..<dx), dimension: dx),
          let ly = logDeterminantPositiveDefinite(block(dx..<d), dimension: dy),
          let lj = logDeterminantPositiveDefinite(c, dimension: d) else { return nil }
    return 0.5 * (lx + ly - lj)
}
