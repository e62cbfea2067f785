import Foundation
import Linalg

/// One task of known mutual information from the benchmark of Czyż, Grabowski, Vogt,
/// Beerenwinkel & Marx, "Beyond Normal: On the Evaluation of Mutual Information Estimators"
/// (NeurIPS 2023; PyPI `benchmark-mi` 0.1.3, `bmi.benchmark.BENCHMARK_TASKS`), generated
/// natively: a base distribution of (X, Y) with a closed-form I(X;Y), then invertible
/// transforms of X and of Y, which leave I(X;Y) unchanged.
///
/// Ids, names, parameters, covariance constructions and transforms are ported from bmi's
/// source (`bmi/benchmark/task_list.py` and the modules it imports); the random streams are
/// the project's own, so samples match bmi's in law, not draw by draw.
public struct MutualInformationTask: Sendable, Hashable {
    /// The base distribution of (X, Y).
    public enum Base: Sendable, Hashable {
        /// N(0, C) with C the (dimX + dimY)² correlation matrix, row-major.
        case multinormal(dimX: Int, dimY: Int, correlation: [Double])
        /// Multivariate Student-t with identity dispersion and `dof` degrees of freedom:
        /// (X, Y) = Z / √(W/ν), Z ~ N(0, I), W ~ χ²_ν.
        case student(dimX: Int, dimY: Int, dof: Int)
        /// X ~ U(0, 1), Y = X + N, N ~ U(−ε, ε) (1×1).
        case additiveUniform(epsilon: Double)
    }

    /// An invertible map applied to every row of X (and of Y where it says so).
    public enum Transform: Sendable, Hashable {
        /// Φ on every coordinate of X and Y (to uniforms).
        case normalCDF
        /// x·√|x| on every coordinate of X and Y.
        case halfCube
        /// asinh on every coordinate of X and Y.
        case asinh
        /// bmi's `wiggly_x` / `wiggly_y` (1×1; strictly increasing).
        case wiggly
        /// Quantile functions of the mixtures 0.3·Φ(x) + 0.7·Φ(x − 5) (X) and
        /// 0.5·Φ(x + 1) + 0.5·Φ(x − 3) (Y) on uniforms (1×1).
        case bimodal
        /// X ∈ [0, 1] → (t cos t, t sin t)/21 with t = 1.5π(1 + 2x); Y unchanged (1 → 2 × 1).
        case swissRoll
        /// x → R(‖x‖²·speed)·x, a rotation in the plane of coordinates (0, 1) for X and (1, 2)
        /// for Y, speed 1/dim (bmi's `Spiral` with `so_generator`).
        case spiral
    }

    /// bmi's task id ("multinormal-dense-5-5-0.5").
    public let id: String
    /// bmi's task name ("Multinormal 5 × 5 (dense)").
    public let name: String
    /// The group the benchmark reports it in: "1×1", "embedding", "multinormal", "Student-t", "transformed".
    public let family: String
    public let base: Base
    /// Applied in order.
    public let transforms: [Transform]

    /// The dimension of X after the transforms.
    public var dimX: Int {
        let base: Int
        switch self.base {
        case .multinormal(let dx, _, _), .student(let dx, _, _): base = dx
        case .additiveUniform: base = 1
        }
        return transforms.contains(.swissRoll) ? base + 1 : base
    }

    /// The dimension of Y.
    public var dimY: Int {
        switch base {
        case .multinormal(_, let dy, _), .student(_, let dy, _): dy
        case .additiveUniform: 1
        }
    }

    /// The true I(X;Y) in nats: the base distribution's closed form (the transforms are
    /// invertible and leave it unchanged).
    public var mutualInformation: Double {
        switch base {
        case .multinormal(let dx, let dy, let c):
            return Self.gaussianInformation(correlation: c, dimX: dx, dimY: dy)
        case .student(let dx, let dy, let dof):
            // The Gaussian part of the identity dispersion is 0; the rest is bmi's correction.
            return Self.studentCorrection(dof: Double(dof), dimX: dx, dimY: dy)
        case .additiveUniform(let e):
            return e > 0.5 ? 0.25 / e : e - log(2 * e)
        }
    }

    /// ½·(ln det C_XX + ln det C_YY − ln det C) for jointly normal (X, Y) with covariance C,
    /// clamped at 0 as bmi does; NaN when a block is not positive definite.
    public static func gaussianInformation(correlation c: [Double], dimX dx: Int, dimY dy: Int) -> Double {
        guard let information = jointNormalInformation(c, dimX: dx, dimY: dy) else { return .nan }
        return max(0, information)
    }

    /// h(X) + h(Y) − h(X, Y) for standard multivariate Student-t variables of ν degrees of
    /// freedom, with h(k) = −ln Γ((ν+k)/2) + ln Γ(ν/2) + (k/2)·ln(νπ) + ((ν+k)/2)·(ψ((ν+k)/2) − ψ(ν/2))
    /// (Arellano-Valle, Contreras-Reyes & Genton 2013, eq. 7; bmi's `mi_correction_function`).
    public static func studentCorrection(dof nu: Double, dimX: Int, dimY: Int) -> Double {
        func h(_ k: Int) -> Double {
            let half = 0.5 * (nu + Double(k))
            return -lgamma(half) + lgamma(0.5 * nu) + 0.5 * Double(k) * log(nu * Double.pi)
                + half * (digamma(half) - digamma(0.5 * nu))
        }
        return h(dimX) + h(dimY) - h(dimX + dimY)
    }

    /// n rows of X (n × dimX) and Y (n × dimY), drawn from `generator`. O(n·(dimX+dimY)²).
    public func sample(_ n: Int, using generator: inout SeededGenerator) -> (x: Matrix, y: Matrix) {
        var rows = baseRows(n, using: &generator)
        var dx = rows.dx
        for t in transforms { apply(t, to: &rows.values, dx: &dx, dy: rows.dy, n: n) }
        let width = dx + rows.dy
        var x = Matrix(rows: n, columns: dx), y = Matrix(rows: n, columns: rows.dy)
        for i in 0..<n {
            for j in 0..<dx { x.elements[i * dx + j] = Float(rows.values[i * width + j]) }
            for j in 0..<rows.dy { y.elements[i * rows.dy + j] = Float(rows.values[i * width + dx + j]) }
        }
        return (x, y)
    }

    private func baseRows(_ n: Int, using g: inout SeededGenerator) -> (values: [Double], dx: Int, dy: Int) {
        switch base {
        case .multinormal(let dx, let dy, let c):
            let d = dx + dy
            // The correlations are positive definite by construction (checked by the tests).
            let l = choleskyFactor(c, dimension: d) ?? Matrix.identity(d).doubleElements
            var out = [Double](repeating: 0, count: n * d), z = [Double](repeating: 0, count: d)
            for i in 0..<n {
                for j in 0..<d { z[j] = g.normal() }
                for r in 0..<d {
                    var s = 0.0
                    for k in 0...r { s += l[r * d + k] * z[k] }
                    out[i * d + r] = s
                }
            }
            return (out, dx, dy)
        case .student(let dx, let dy, let dof):
            let d = dx + dy
            var out = [Double](repeating: 0, count: n * d)
            for i in 0..<n {
                var w = 0.0
                for _ in 0..<dof { let e = g.normal(); w += e * e }
                let scale = 1 / (w / Double(dof)).squareRoot()
                for j in 0..<d { out[i * d + j] = g.normal() * scale }
            }
            return (out, dx, dy)
        case .additiveUniform(let e):
            var out = [Double](repeating: 0, count: n * 2)
            for i in 0..<n {
                let x = g.uniform()
                out[2 * i] = x
                out[2 * i + 1] = x + g.uniform(-e, e)
            }
            return (out, 1, 1)
        }
    }

    private func apply(_ t: Transform, to v: inout [Double], dx: inout Int, dy: Int, n: Int) {
        let width = dx + dy
        switch t {
        case .normalCDF: for i in v.indices { v[i] = Linalg.normalCDF(v[i]) }
        case .halfCube: for i in v.indices { v[i] = v[i] * abs(v[i]).squareRoot() }
        case .asinh: for i in v.indices { v[i] = Foundation.asinh(v[i]) }
        case .wiggly:
            for i in 0..<n {
                let x = v[i * width], y = v[i * width + 1]
                v[i * width] = x + 0.4 * sin(x) + 0.2 * sin(1.7 * x + 1) + 0.03 * sin(3.3 * x - 2.5)
                v[i * width + 1] = y - 0.4 * sin(0.4 * y) + 0.17 * sin(1.3 * y + 3.5) + 0.02 * sin(4.3 * y - 2.5)
            }
        case .bimodal:
            for i in 0..<n {
                v[i * width] = Self.invertCDF(v[i * width]) { 0.3 * Linalg.normalCDF($0) + 0.7 * Linalg.normalCDF($0 - 5) }
                v[i * width + 1] = Self.invertCDF(v[i * width + 1]) { 0.5 * Linalg.normalCDF($0 + 1) + 0.5 * Linalg.normalCDF($0 - 3) }
            }
        case .swissRoll:
            var out = [Double](repeating: 0, count: n * (width + 1))
            for i in 0..<n {
                let s = 1.5 * Double.pi * (1 + 2 * v[i * width])
                out[i * (width + 1)] = s * cos(s) / 21
                out[i * (width + 1) + 1] = s * sin(s) / 21
                for j in 1..<width { out[i * (width + 1) + j + 1] = v[i * width + j] }
            }
            v = out
            dx += 1
        case .spiral:
            for i in 0..<n {
                Self.spiral(&v, offset: i * width, dim: dx, plane: (0, 1))
                Self.spiral(&v, offset: i * width + dx, dim: dy, plane: (1, 2))
            }
        }
    }

    /// exp(A·‖x‖²/dim)·x with A the so(dim) generator of the plane (i, j) (A[i,j] = −1, A[j,i] = 1).
    private static func spiral(_ v: inout [Double], offset: Int, dim: Int, plane: (Int, Int)) {
        guard plane.1 < dim else { return }
        var r = 0.0
        for k in 0..<dim { r += v[offset + k] * v[offset + k] }
        let theta = r / Double(dim)
        let a = v[offset + plane.0], b = v[offset + plane.1]
        v[offset + plane.0] = cos(theta) * a - sin(theta) * b
        v[offset + plane.1] = sin(theta) * a + cos(theta) * b
    }

    /// The inverse of an increasing function on [−10, 10] by bisection to 1e-12 (bmi's `invert_cdf`).
    private static func invertCDF(_ p: Double, _ f: (Double) -> Double) -> Double {
        var lo = -10.0, hi = 10.0
        while hi - lo > 1e-12 {
            let mid = 0.5 * (lo + hi)
            guard mid > lo, mid < hi else { break }
            if f(mid) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}

/// The 40 tasks of bmi's `BENCHMARK_TASKS`, in its order.
public enum MutualInformationTasks {
    /// ρ of the bivariate normal bases (bmi's `GAUSSIAN_CORRELATION`).
    public static let gaussianCorrelation = 0.75

    /// All 40 tasks.
    public static let benchmark: [MutualInformationTask] = {
        let rho = gaussianCorrelation
        let binormal = MutualInformationTask.Base.multinormal(dimX: 1, dimY: 1, correlation: [1, rho, rho, 1])
        let biId = "1v1-normal-0.75", biName = "Bivariate normal 1 × 1"
        func task(_ id: String, _ name: String, _ family: String, _ base: MutualInformationTask.Base,
                  _ t: [MutualInformationTask.Transform] = []) -> MutualInformationTask {
            MutualInformationTask(id: id, name: name, family: family, base: base, transforms: t)
        }
        var tasks: [MutualInformationTask] = [
            task(biId, biName, "1×1", binormal),
            task("normal_cdf-" + biId, "Normal CDF @ " + biName, "1×1", binormal, [.normalCDF]),
            task("1v1-additive-0.1", "Uniform 1 × 1 (additive noise=0.1)", "1×1", .additiveUniform(epsilon: 0.1)),
            task("1v1-additive-0.75", "Uniform 1 × 1 (additive noise=0.75)", "1×1", .additiveUniform(epsilon: 0.75)),
            task("1v1-bimodal-0.75", "Bimodal 1 × 1", "1×1", binormal, [.normalCDF, .bimodal]),
            task("wiggly-" + biId, "Wiggly @ " + biName, "1×1", binormal, [.wiggly]),
            task("half_cube-" + biId, "Half-cube @ " + biName, "1×1", binormal, [.halfCube]),
            task("student-identity-1-1-1", "Student-t 1 × 1 (dof=1)", "1×1", .student(dimX: 1, dimY: 1, dof: 1)),
            task("asinh-student-identity-1-1-1", "Asinh @ Student-t 1 × 1 (dof=1)", "1×1", .student(dimX: 1, dimY: 1, dof: 1), [.asinh]),
            task("swissroll_x-normal_cdf-" + biId, "Swiss roll 2 × 1", "embedding", binormal, [.normalCDF, .swissRoll]),
        ]
        for d in [2, 3, 5, 25, 50] {
            tasks.append(task("multinormal-dense-\(d)-\(d)-0.5", "Multinormal \(d) × \(d) (dense)", "multinormal",
                              .multinormal(dimX: d, dimY: d, correlation: dense(d, d, offDiagonal: 0.5))))
        }
        for d in [2, 3, 5, 25] { tasks.append(sparse(d, d, task)) }
        for (d, dof) in [(2, 1), (2, 2), (3, 2), (3, 3), (5, 2), (5, 3)] {
            tasks.append(task("student-identity-\(d)-\(d)-\(dof)", "Student-t \(d) × \(d) (dof=\(dof))", "Student-t",
                              .student(dimX: d, dimY: d, dof: dof)))
        }
        let bases = [3, 5, 25].map { sparse($0, $0, task) }
        func transformed(_ prefix: String, _ namePrefix: String, _ t: [MutualInformationTask.Transform]) {
            for b in bases {
                tasks.append(task(prefix + b.id, namePrefix + b.name, "transformed", b.base, t))
            }
        }
        transformed("normal_cdf-", "Normal CDF @ ", [.normalCDF])
        transformed("half_cube-", "Half-cube @ ", [.halfCube])
        transformed("spiral-", "Spiral @ ", [.spiral])
        transformed("spiral-normal_cdf-", "Spiral @ Normal CDF @ ", [.normalCDF, .spiral])
        for (d, dof) in [(2, 1), (3, 2), (5, 2)] {
            tasks.append(task("asinh-student-identity-\(d)-\(d)-\(dof)", "Asinh @ Student-t \(d) × \(d) (dof=\(dof))",
                              "transformed", .student(dimX: d, dimY: d, dof: dof), [.asinh]))
        }
        return tasks
    }()

    /// The task with bmi's id, if any.
    public static func task(id: String) -> MutualInformationTask? { benchmark.first { $0.id == id } }

    /// bmi's `task_multinormal_dense`: I·(1 − c) + c everywhere.
    public static func dense(_ dx: Int, _ dy: Int, offDiagonal c: Double) -> [Double] {
        let d = dx + dy
        var m = [Double](repeating: c, count: d * d)
        for i in 0..<d { m[i * d + i] = 1 }
        return m
    }

    /// bmi's `task_multinormal_2pair` (`GaussianLVMParametrization` with 2 interacting pairs,
    /// λ = η = 2, ε = 1, α = β = 0), as a correlation matrix: Cov(X_i, Y_i) = λ² for i < 2 and
    /// every variance 1 + λ² (η² tops up the others), so corr(X_i, Y_i) = 4/5 for i < 2, else 0.
    public static func twoPair(_ dx: Int, _ dy: Int, strength lambda: Double = 2) -> [Double] {
        let d = dx + dy, pairs = 2
        var cov = [Double](repeating: 0, count: d * d)
        for i in 0..<d { cov[i * d + i] = 1 + lambda * lambda }  // ε² + (λ² or η², η = λ)
        for i in 0..<pairs { cov[i * d + dx + i] = lambda * lambda; cov[(dx + i) * d + i] = lambda * lambda }
        var corr = cov
        for i in 0..<d { for j in 0..<d { corr[i * d + j] = cov[i * d + j] / (cov[i * d + i] * cov[j * d + j]).squareRoot() } }
        return corr
    }

    private static func sparse(_ dx: Int, _ dy: Int,
                               _ task: (String, String, String, MutualInformationTask.Base, [MutualInformationTask.Transform]) -> MutualInformationTask)
        -> MutualInformationTask {
        task("multinormal-sparse-\(dx)-\(dy)-2-2.0", "Multinormal \(dx) × \(dy) (2-pair)", "multinormal",
             .multinormal(dimX: dx, dimY: dy, correlation: twoPair(dx, dy)), [])
    }
}
