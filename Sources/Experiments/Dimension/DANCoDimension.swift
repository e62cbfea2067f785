import Foundation
import Linalg

/// DANCo, Dimensionality from Angle and Norm Concentration (Ceruti, Bassis, Rozza,
/// Lombardi, Casiraghi & Campadelli 2014, "DANCo: an intrinsic dimensionality estimator
/// exploiting angle and norm concentration", Pattern Recognition 47, 2569–2581), ported from
/// scikit-dimension 0.5.0's `DANCo` (`ver="DANCo"`, k = 10, fractal).
///
/// Three statistics describe the data: d̂, the MiND-MLk estimate from ρ = r₁/r_{k+1}
/// (`MinimumNeighborDistanceDimension`), and the mean location ν and concentration τ of
/// von Mises fits to the k(k−1)/2 angles between the vectors from each point to its k
/// nearest neighbours (τ = A⁻¹(η) with Best & Fisher's approximation). The same statistics
/// of uniform samples of N points from the unit d-ball, d = 1…D (the calibration by
/// simulation), are compared with the data's through
///   KL(d) = KL_d̂(d̂, d̂_d) + KL_vM(ν, ν_d, τ, τ_d),
///   KL_d̂ = H_k·q − ln q − (k − 1)·Σ_{i=0..k} (−1)^i C(k, i) ψ(1 + i/q), q = d̂_d/d̂,
///   KL_vM = ln(I₀(τ_d)/I₀(τ)) + I₁(τ)/I₀(τ)·(τ − τ_d·cos(ν − ν_d)),
/// and the estimate is the d minimising KL; the fractal estimate is the minimum of the
/// spline through KL(1…D) near it (cubic not-a-knot, as scipy's `interp1d(kind="cubic")`;
/// the parabola for D = 3, the broken line for D = 2).
///
/// The calibration is random: it draws its own balls. It depends only on (N, k, seed) and d,
/// so it is computed once per dimension and kept for the process (`Calibration.cached`);
/// a caller may also store it (it is `Codable`).
public struct DANCoDimension: Sendable {
    /// d̂ (MiND-MLk), mean ν and mean τ of one point set.
    public struct Statistics: Sendable, Hashable, Codable {
        public var dhat: Double
        public var meanNu: Double
        public var meanTau: Double
    }

    /// The statistics of uniform unit d-balls of `n` points, d = 1…`statistics.count`.
    public struct Calibration: Sendable, Hashable, Codable {
        public var n: Int
        public var k: Int
        public var seed: UInt64
        /// `statistics[d − 1]`: the d-ball's.
        public var statistics: [Statistics]

        /// Simulates the calibration up to `maxDimension`, reusing what this process has
        /// already simulated for (n, k, seed). Each d draws from its own stream derived from
        /// `seed`, so a longer calibration extends a shorter one. O(Σ_d N²·d) for the searches.
        public static func cached(n: Int, k: Int, maxDimension: Int, seed: UInt64 = 0) throws -> Calibration {
            try CalibrationStore.shared.calibration(n: n, k: k, maxDimension: maxDimension, seed: seed)
        }

        /// The statistics of one unit d-ball sample (uniform: Gaussian direction, radius U^{1/d}).
        static func simulate(n: Int, k: Int, d: Int, seed: UInt64) throws -> Statistics {
            var g = SeededGenerator(seed: seed).derived("danco-ball-\(n)-\(k)-\(d)")
            var ball = Matrix(rows: n, columns: d)
            var v = [Double](repeating: 0, count: d)
            for i in 0..<n {
                var s = 0.0
                for j in 0..<d { v[j] = g.normal(); s += v[j] * v[j] }
                let r = Foundation.pow(g.uniform(), 1 / Double(d)) / s.squareRoot()
                for j in 0..<d { ball[i, j] = Float(v[j] * r) }
            }
            return try DANCoDimension.statistics(of: ball, k: k, maxDimension: 2 * d + 5)
        }
    }

    /// Neighbours per point.
    public let k: Int
    /// The largest dimension considered (D).
    public let maxDimension: Int
    /// The data's statistics.
    public let statistics: Statistics
    /// KL(d) for d = 1…D.
    public let divergences: [Double]
    /// argmin KL.
    public let integerDimension: Int
    /// The fractal estimate (the spline's minimum near the integer one).
    public let dimension: Double

    /// Estimates the dimension of the rows of `x` (N > k + 1 points). `maxDimension`
    /// defaults to the number of columns, as scikit-dimension's D, but at most 100 (the
    /// calibration simulates one ball per d; scikit-dimension's tabulated variant stops at
    /// 100 too). O(N²·D) for the search, O(N·k²·D) for the angles, plus the calibration.
    public init(of x: Matrix, k: Int = 10, maxDimension: Int? = nil, seed: UInt64 = 0, workers: Int = BLAS.threads) throws {
        guard k >= 2 else { throw DimensionError.invalidParameter("DANCo needs k ≥ 2 neighbours, got \(k)") }
        guard x.rows > k + 1 else { throw DimensionError.tooFewPoints(needed: k + 2, have: x.rows, estimator: "DANCo") }
        let D = maxDimension ?? min(x.columns, 100)
        guard D >= 1, D <= 1000 else { throw DimensionError.invalidParameter("DANCo's maximal dimension must be in 1…1000, got \(D)") }
        let data = try Self.statistics(of: x, k: k, maxDimension: D, workers: workers)
        let calibration = try Calibration.cached(n: x.rows, k: k, maxDimension: D, seed: seed)
        self.k = k
        self.maxDimension = D
        statistics = data
        divergences = (0..<D).map { Self.divergence(data, calibration.statistics[$0], k: k) }
        var best = 0
        for d in 1..<D where divergences[d] < divergences[best] { best = d }
        integerDimension = best + 1
        dimension = Self.fractalMinimum(divergences, near: best + 1)
    }

    /// d̂, ν and τ of the rows of `x`.
    static func statistics(of x: Matrix, k: Int, maxDimension D: Int, workers: Int = BLAS.threads) throws -> Statistics {
        let neighbors = try NearestNeighbors(of: x, k: k + 1, workers: workers)
        let n = x.rows
        var logRho = [Double]()
        logRho.reserveCapacity(n)
        for i in 0..<n {
            let r1 = Double(neighbors.distance(i, neighbor: 1)), rk = Double(neighbors.distance(i, neighbor: k + 1))
            if r1 > 0, rk > r1 { logRho.append(Foundation.log(r1 / rk)) }
        }
        guard logRho.count >= 2 else {
            throw DimensionError.degenerate("DANCo: fewer than 2 points have 0 < r1 < r\(k + 1) (duplicates)")
        }
        let likelihood = MinimumNeighborDistanceLikelihood(logRho: logRho, k: k)
        _ = likelihood.integerMaximum(upTo: D)
        let dhat = likelihood.maximum(upTo: Double(D))

        // Von Mises fits to the angles at each point between its first k neighbours.
        let dim = x.columns
        var nuSum = 0.0, tauSum = 0.0, fitted = 0
        var vectors = [Double](repeating: 0, count: k * dim), lengths = [Double](repeating: 0, count: k)
        x.elements.withUnsafeBufferPointer { p in
            for i in 0..<n {
                var zero = false
                for a in 0..<k {
                    let j = Int(neighbors.indices[i * neighbors.k + a])
                    var s = 0.0
                    for c in 0..<dim {
                        let v = Double(p[j * dim + c]) - Double(p[i * dim + c])
                        vectors[a * dim + c] = v
                        s += v * v
                    }
                    lengths[a] = s.squareRoot()
                    if s == 0 { zero = true }
                }
                if zero { continue } // a duplicate: its angles are undefined
                var sinSum = 0.0, cosSum = 0.0, count = 0.0
                for a in 0..<k {
                    for b in (a + 1)..<k {
                        var dot = 0.0
                        for c in 0..<dim { dot += vectors[a * dim + c] * vectors[b * dim + c] }
                        let cosine = min(1, max(-1, dot / (lengths[a] * lengths[b])))
                        let theta = Foundation.acos(cosine)
                        sinSum += Foundation.sin(theta)
                        cosSum += Foundation.cos(theta)
                        count += 1
                    }
                }
                // atan, not atan2: scikit-dimension's ν lies in (−π/2, π/2).
                let nu = Foundation.atan(sinSum / cosSum)
                let eta = ((cosSum / count) * (cosSum / count) + (sinSum / count) * (sinSum / count)).squareRoot()
                nuSum += nu
                tauSum += inverseA(eta)
                fitted += 1
            }
        }
        guard fitted > 0 else { throw DimensionError.degenerate("DANCo: every point has a duplicate among its neighbours") }
        let tau = x.columns == 1 ? 1 : tauSum / Double(fitted)
        return Statistics(dhat: dhat, meanNu: nuSum / Double(fitted), meanTau: tau)
    }

    /// Best & Fisher's approximation of A⁻¹(η), A = I₁/I₀ (as scikit-dimension's `_Ainv`).
    static func inverseA(_ eta: Double) -> Double {
        if eta < 0.53 { return 2 * eta + eta * eta * eta + 5 * Foundation.pow(eta, 5) / 6 }
        if eta < 0.85 { return -0.4 + 1.39 * eta + 0.43 / (1 - eta) }
        return 1 / (eta * eta * eta - 4 * eta * eta + 3 * eta)
    }

    /// KL between the data's statistics and a calibration ball's.
    static func divergence(_ data: Statistics, _ ball: Statistics, k: Int) -> Double {
        let hk = (1...k).reduce(0.0) { $0 + 1 / Double($1) }
        let q = ball.dhat / data.dhat
        var alternating = 0.0
        for i in 0...k {
            let sign: Double = i % 2 == 0 ? 1 : -1
            alternating += sign * SpecialFunctions.binomial(k, i) * digamma(1 + Double(i) / q)
        }
        let klD = hk * q - Foundation.log(q) - Double(k - 1) * alternating
        let (logI0Ball, _) = SpecialFunctions.logBesselI0AndRatio(ball.meanTau)
        let (logI0Data, ratio) = SpecialFunctions.logBesselI0AndRatio(data.meanTau)
        let klVM = logI0Ball - logI0Data + ratio * (data.meanTau - ball.meanTau * Foundation.cos(data.meanNu - ball.meanNu))
        return klD + klVM
    }

    /// The local minimum of the spline through (d, KL(d)), d = 1…D, reached by walking
    /// downhill from the integer minimum in steps of 1e-3 (scipy's L-BFGS-B, tol 1e-3, does
    /// the same from the same start).
    static func fractalMinimum(_ y: [Double], near start: Int) -> Double {
        let spline = InterpolatingSpline(y: y)
        let lower = 1.0, upper = Double(y.count)
        let step = 1e-3
        var best = Double(start), bestValue = spline(best)
        for direction in [-1.0, 1.0] {
            var x = Double(start), value = bestValue
            while true {
                let next = x + direction * step
                guard next >= lower, next <= upper else { break }
                let v = spline(next)
                guard v < value else { break }
                x = next; value = v
            }
            if value < bestValue { best = x; bestValue = value }
        }
        return best
    }
}

/// The interpolant of scipy's `interp1d` on the knots 1…n: a cubic not-a-knot spline for
/// n ≥ 4, the parabola for n = 3, the broken line for n = 2, the constant for n = 1.
struct InterpolatingSpline {
    let y: [Double]
    /// Second derivatives at the knots (cubic case).
    let m: [Double]

    init(y: [Double]) {
        self.y = y
        let n = y.count
        guard n >= 4 else { m = []; return }
        // Unit spacing: M[i−1] + 4M[i] + M[i+1] = 6(y[i+1] − 2y[i] + y[i−1]); not-a-knot at
        // both ends: M[0] − 2M[1] + M[2] = 0, M[n−3] − 2M[n−2] + M[n−1] = 0.
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var b = [Double](repeating: 0, count: n)
        a[0][0] = 1; a[0][1] = -2; a[0][2] = 1
        a[n - 1][n - 3] = 1; a[n - 1][n - 2] = -2; a[n - 1][n - 1] = 1
        for i in 1..<(n - 1) {
            a[i][i - 1] = 1; a[i][i] = 4; a[i][i + 1] = 1
            b[i] = 6 * (y[i + 1] - 2 * y[i] + y[i - 1])
        }
        m = InterpolatingSpline.solve(a, b)
    }

    /// Gaussian elimination with partial pivoting (n ≤ 1000, once per estimate).
    static func solve(_ a0: [[Double]], _ b0: [Double]) -> [Double] {
        var a = a0, b = b0
        let n = b.count
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<max(col + 1, n) where abs(a[r][col]) > abs(a[pivot][col]) { pivot = r }
            if pivot != col { a.swapAt(pivot, col); b.swapAt(pivot, col) }
            let p = a[col][col]
            guard p != 0 else { continue }
            for r in (col + 1)..<max(col + 1, n) {
                let f = a[r][col] / p
                if f == 0 { continue }
                for c in col..<n { a[r][c] -= f * a[col][c] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = b[r]
            for c in (r + 1)..<max(r + 1, n) { s -= a[r][c] * x[c] }
            x[r] = a[r][r] != 0 ? s / a[r][r] : 0
        }
        return x
    }

    /// The interpolant at x ∈ [1, n].
    func callAsFunction(_ x: Double) -> Double {
        let n = y.count
        switch n {
        case 0: return .nan
        case 1: return y[0]
        case 2: return y[0] + (y[1] - y[0]) * (x - 1)
        case 3:
            let t = x - 1
            return y[0] * (t - 1) * (t - 2) / 2 - y[1] * t * (t - 2) + y[2] * t * (t - 1) / 2
        default:
            let i = min(max(Int((x - 1).rounded(.down)), 0), n - 2)
            let t = x - 1 - Double(i)
            return y[i] + (y[i + 1] - y[i] - (2 * m[i] + m[i + 1]) / 6) * t + m[i] / 2 * t * t + (m[i + 1] - m[i]) / 6 * t * t * t
        }
    }
}

/// The process-wide store of simulated calibrations, keyed by (N, k, seed), grown per d.
final class CalibrationStore: @unchecked Sendable {
    static let shared = CalibrationStore()
    private let lock = NSLock()
    private var store = [String: [DANCoDimension.Statistics]]()

    func calibration(n: Int, k: Int, maxDimension: Int, seed: UInt64) throws -> DANCoDimension.Calibration {
        let key = "\(n)-\(k)-\(seed)"
        lock.lock()
        var have = store[key] ?? []
        lock.unlock()
        if have.count < maxDimension {
            for d in (have.count + 1)...maxDimension {
                try Cancellation.checkpoint()
                have.append(try DANCoDimension.Calibration.simulate(n: n, k: k, d: d, seed: seed))
            }
            lock.lock()
            if (store[key]?.count ?? 0) < have.count { store[key] = have }
            lock.unlock()
        }
        return DANCoDimension.Calibration(n: n, k: k, seed: seed, statistics: Array(have.prefix(maxDimension)))
    }
}
