import Foundation
import Linalg

/// The differential entropy of noisy samples, h(S + σZ) with Z ~ N(0, I) and a known σ, by the
/// sample-propagation estimator of Goldfeld, van den Berg, Greenewald, Melnyk, Nguyen,
/// Kingsbury & Polyanskiy, "Estimating Information Flow in Deep Neural Networks" (ICML 2019, §4):
///
///     let estimate = try SamplePropagationEntropy(noise: 0.1, generator: rng).estimate(codes)
///     estimate.whitenedEntropy   // h(standardised codes + σZ), nats
///     estimate.logDeterminantTerm // Σ ln sdⱼ, the affine map's term
///
/// For samples s₁…sₙ in R^d, S + σZ is estimated by the Gaussian mixture
/// g(y) = (1/n)·Σᵢ φ_σ(y − sᵢ), φ_σ the density of N(0, σ²I), and its entropy by Monte-Carlo
/// over m draws yⱼ = s_{iⱼ} + σ·zⱼ from g itself (iⱼ uniform, zⱼ ~ N(0, I)):
///
///     ĥ = −(1/m)·Σⱼ ln g(yⱼ),   ln g(y) = ln Σᵢ exp(−‖y − sᵢ‖²/(2σ²)) − ln n − (d/2)·ln(2πσ²).
///
/// No bandwidth is searched: the kernel is the known noise. The reported standard error is the
/// Monte-Carlo one, sd(−ln g(yⱼ))/√m; it does not include the sampling error of the sᵢ.
///
/// With `standardization` the samples are first mapped by x ↦ A(x − μ) (A = diag(1/sdⱼ) or the
/// whitening Σ^(−1/2)), the noise is added in those units, and ln|det A⁻¹| (Σ ln sdⱼ, or
/// ½·ln det Σ) is recorded: `whitenedEntropy` is h(A(S − μ) + σZ), and `value` adds the term
/// back, h(S + σA⁻¹Z) (Cover & Thomas, Thm 8.6.4). Past the intrinsic dimension of the
/// samples every extra standardised coordinate adds ½·ln(2πeσ²) to `whitenedEntropy`.
///
/// Complexity: O(m·n·d) flops in sgemm and O(m·n) exps (`GaussianKernelSums`: panels of
/// query rows, single-threaded sgemm per worker, stable log-sum-exp per row), plus O(n·d) for
/// standardising (O(n·d² + d³) when whitening) and O(m·d) normal draws. Memory O(m·d) for the
/// draws plus one distance panel per worker.
public struct SamplePropagationEntropy: Sendable {
    /// The affine map applied to the samples before the noise is added.
    public enum Standardization: String, Sendable, CaseIterable {
        /// Centre only (entropy is translation invariant; centring keeps the Float32 distance
        /// expansion ‖y‖² + ‖s‖² − 2·y·s accurate). Log-determinant 0.
        case none
        /// Centre and divide each coordinate by its sample standard deviation (divisor n−1, as
        /// the covariance of `Whitening`). Log-determinant Σ ln sdⱼ. A numerically constant
        /// coordinate (a dead code unit) is centred but not scaled: it has no scale to divide by,
        /// and its noise-only contribution ½·ln(2πeσ²) is then exactly the known increment.
        case standardize
        /// Σ^(−1/2)(x − μ): decorrelates as well. Log-determinant ½·ln det Σ; throws
        /// `DegenerateCovarianceError` on a rank-deficient covariance.
        case whiten
    }

    /// σ, the standard deviation of the added noise, in the units of the (standardised) data.
    public var noise: Double
    /// m, the number of Monte-Carlo draws.
    public var samples: Int
    public var standardization: Standardization
    /// The random stream of the draws; `estimate` starts from this state every time, so the
    /// same estimator gives the same result on the same data.
    public var generator: SeededGenerator
    /// Worker threads for the kernel sums (each runs single-threaded sgemm); the result does
    /// not depend on it.
    public var threads: Int

    /// Default m: an MC standard error of √(d/2)/√m ≈ 0.016·√d nats for Gaussian-like data.
    public static let defaultSamples = 2_000

    public init(noise: Double, samples: Int = defaultSamples, standardization: Standardization = .standardize,
                generator: SeededGenerator, threads: Int? = nil) {
        self.noise = noise
        self.samples = samples
        self.standardization = standardization
        self.generator = generator
        self.threads = max(1, threads ?? BLAS.threads)
    }

    /// The estimate of h(A(S − μ) + σZ) (`whitenedEntropy`) and of h(S + σA⁻¹Z) (`value`), in
    /// nats, for the rows of `x` (n×d, n ≥ 1).
    /// - Throws: `EntropyError` for no points or dimensions, non-finite values, σ ≤ 0 or m < 2;
    ///   `DegenerateCovarianceError` or `LinalgError` when whitening data without a full-rank
    ///   covariance.
    public func estimate(_ x: Matrix) throws -> EntropyEstimate {
        guard samples >= 2 else {
            throw EntropyError.invalidParameter("sample propagation needs at least 2 Monte-Carlo samples, not \(samples)")
        }
        let (map, draws) = try self.draws(for: x)
        let terms = try Self.negativeLogDensities(of: draws, mixtureOn: map.points, noise: noise, threads: threads)
        let (h, standardError) = meanAndStandardError(terms)
        var method = "sample propagation (σ = \(noise), m = \(samples))"
        if !map.constantCoordinates.isEmpty {
            method += ", \(map.constantCoordinates.count) constant coordinate(s) not scaled"
        }
        var estimate = EntropyEstimate(method: method, whitenedEntropy: h,
                                       standardError: standardError, bandwidth: nil, count: x.rows,
                                       dimension: x.columns, logDetCovariance: 2 * map.logDeterminant,
                                       whitened: standardization != .none)
        estimate.noise = noise
        estimate.monteCarloSamples = samples
        return estimate
    }

    /// The standardised samples and the m draws `estimate(x)` averages over, for reference
    /// implementations that must see the same numbers (the benchmark's numpy script).
    /// - Throws: as `estimate`.
    public func draws(for x: Matrix) throws -> (standardization: AffineStandardization, draws: Matrix) {
        guard noise > 0, noise.isFinite else {
            throw EntropyError.invalidParameter("the noise σ must be a positive number, not \(noise)")
        }
        let map = try AffineStandardization(fitting: x, standardization)
        var generator = generator
        return (map, Self.draws(from: map.points, noise: noise, count: max(samples, 0), using: &generator))
    }

    /// m draws from the mixture (1/n)·Σ N(sᵢ, σ²I): all m row indices first, then the normals
    /// coordinate by coordinate (column-major). The draws for d + 1 coordinates therefore
    /// extend those for d with one more column — common random numbers, so ĥ(d + 1) − ĥ(d)
    /// on the same samples carries only the Monte-Carlo error of the new column.
    static func draws(from points: Matrix, noise sigma: Double, count m: Int,
                      using generator: inout SeededGenerator) -> Matrix {
        let n = points.rows, d = points.columns
        let rows = (0..<m).map { _ in generator.index(below: n) }
        var out = Matrix(rows: m, columns: d)
        points.elements.withUnsafeBufferPointer { s in
            out.elements.withUnsafeMutableBufferPointer { y in
                for k in 0..<d {
                    for j in 0..<m {
                        y[j * d + k] = s[rows[j] * d + k] + Float(sigma * generator.normal())
                    }
                }
            }
        }
        return out
    }

    /// −ln g(yⱼ) for every row yⱼ of `draws`, g the mixture (1/n)·Σᵢ φ_σ(y − sᵢ) on the rows
    /// of `points`, in nats (Double). The sums over i are `GaussianKernelSums` with the single
    /// coefficient 1/(2σ²).
    static func negativeLogDensities(of draws: Matrix, mixtureOn points: Matrix, noise sigma: Double,
                                     threads: Int) throws -> [Double] {
        let n = Double(points.rows), d = Double(points.columns)
        let logSums = try GaussianKernelSums(points: points)
            .logSums(of: draws, excludingSelf: false, schedule: .single(1 / (2 * sigma * sigma)), threads: threads)[0]
        let offset = log(n) + 0.5 * d * log(2 * Double.pi * sigma * sigma)
        return logSums.map { offset - $0 }
    }
}

/// The affine map x ↦ A(x − μ) that `SamplePropagationEntropy` applies first, and its result.
public struct AffineStandardization: Sendable {
    /// The mapped rows A(x − μ), n×d.
    public var points: Matrix
    /// ln|det A⁻¹| in nats: Σ ln sdⱼ over the scaled coordinates (standardize), ½·ln det Σ
    /// (whiten) or 0 (none). h(X) = h(A(X − μ)) + logDeterminant.
    public var logDeterminant: Double
    /// Coordinates left unscaled because their standard deviation is numerically zero.
    public var constantCoordinates: [Int]

    /// A coordinate counts as constant when its sd is at most this fraction of the largest sd:
    /// about the Float32 resolution, below which the spread is round-off, not signal.
    public static let constantTolerance = 1e-6

    /// Fits the map of `standardization` to the rows of `x` and applies it.
    /// - Throws: `EntropyError` for no points, no dimensions or non-finite values;
    ///   `DegenerateCovarianceError` / `LinalgError` when whitening a rank-deficient set.
    public init(fitting x: Matrix, _ standardization: SamplePropagationEntropy.Standardization) throws {
        guard x.columns >= 1 else { throw EntropyError.tooFewPoints("entropy of 0-dimensional data is undefined") }
        guard x.rows >= 1 else { throw EntropyError.tooFewPoints("an entropy estimate needs at least 1 point, have 0") }
        guard x.isFinite else { throw EntropyError.nonFinite }
        switch standardization {
        case .whiten:
            let whitening = try Whitening(fitting: x)
            points = try whitening.whiten(x)
            logDeterminant = 0.5 * whitening.logDeterminant
            constantCoordinates = []
        case .none, .standardize:
            let n = x.rows, d = x.columns
            let mean = x.columnMeans()
            var squares = [Double](repeating: 0, count: d)
            x.elements.withUnsafeBufferPointer { p in
                for i in 0..<n {
                    for k in 0..<d { let t = Double(p[i * d + k]) - mean[k]; squares[k] += t * t }
                }
            }
            let sd = squares.map { n > 1 ? ($0 / Double(n - 1)).squareRoot() : 0 }
            let largest = sd.max() ?? 0
            var scale = [Double](repeating: 1, count: d)
            var constant = [Int](), logDet = 0.0
            if standardization == .standardize {
                for k in 0..<d {
                    if sd[k] > Self.constantTolerance * largest, sd[k] > 0 {
                        scale[k] = 1 / sd[k]
                        logDet += log(sd[k])
                    } else {
                        constant.append(k)
                    }
                }
            }
            var out = Matrix(rows: n, columns: d)
            x.elements.withUnsafeBufferPointer { p in
                out.elements.withUnsafeMutableBufferPointer { q in
                    for i in 0..<n {
                        for k in 0..<d { q[i * d + k] = Float((Double(p[i * d + k]) - mean[k]) * scale[k]) }
                    }
                }
            }
            points = out
            logDeterminant = logDet
            constantCoordinates = constant
        }
    }
}
