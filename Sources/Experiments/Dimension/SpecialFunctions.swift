import Foundation

/// The few special functions DANCo's Kullback–Leibler divergences need beyond Linalg's
/// `digamma`, in Double.
enum SpecialFunctions {
    /// ln I₀(x) and I₁(x)/I₀(x) for x ≥ 0 (modified Bessel functions of the first kind):
    /// the power series Σ (x/2)^{2m}/(m!(m+ν)!) below x = 30, the asymptotic expansion
    /// e^x/√(2πx)·(1 − (4ν² − 1)/(8x) + …) above (A&S 9.7.1), relative error < 1e-12.
    /// In log form, so large τ (concentrated angles) does not overflow.
    static func logBesselI0AndRatio(_ x: Double) -> (logI0: Double, ratio: Double) {
        let x = abs(x)
        if x < 30 {
            let q = x * x / 4
            var t0 = 1.0, s0 = 1.0, t1 = x / 2, s1 = x / 2
            var m = 1.0
            while m < 500 {
                t0 *= q / (m * m)
                t1 *= q / (m * (m + 1))
                s0 += t0; s1 += t1
                if t0 < 1e-17 * s0 { break }
                m += 1
            }
            return (Foundation.log(s0), s1 / s0)
        }
        func asymptotic(_ nu: Double) -> Double {
            let mu = 4 * nu * nu
            var term = 1.0, sum = 1.0
            for k in 1...12 {
                let kk = Double(2 * k - 1)
                term *= -(mu - kk * kk) / (Double(k) * 8 * x)
                sum += term
            }
            return sum
        }
        let a0 = asymptotic(0), a1 = asymptotic(1)
        return (x - 0.5 * Foundation.log(2 * Double.pi * x) + Foundation.log(a0), a1 / a0)
    }

    /// C(n, k) as a Double.
    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var r = 1.0
        for i in 0..<min(k, n - k) { r = r * Double(n - i) / Double(i + 1) }
        return r.rounded()
    }
}
