import Foundation
import Linalg

/// Differential entropy by Gaussian kernel density estimation with an isotropic bandwidth,
/// on whitened data by default:
///
///     let estimate = try KernelEntropy(estimator: .leaveOneOut, bandwidth: .leaveOneOutML).estimate(codes)
///     estimate.value            // H of the codes, nats
///     estimate.whitenedEntropy  // H_white, without ½·ln det Σ
///
/// p̂(x) = 1/N · Σⱼ (2πh²)^(−d/2)·exp(−‖x − xⱼ‖²/(2h²)), and H = −E[ln p̂] by one of three
/// estimators (Beirlant, Dudewicz, Györfi & van der Meulen, "Nonparametric entropy
/// estimation: an overview", 1997, §3): leave-one-out, resubstitution or Monte-Carlo.
///
/// Complexity: O(n²·d) flops in sgemm and O(n²) exps per pass over the distances; one pass
/// for a given bandwidth; for `.leaveOneOutML` a coarse grid on 2 000 rows and two passes
/// on all rows (three full passes below n = 4 000). Memory: one distance panel per thread,
/// ≈ 512 KiB (at least 4 rows × n floats), never n².
public struct KernelEntropy: Sendable {
    /// Which average of −ln p̂ estimates the entropy.
    public enum Estimator: Sendable {
        /// H = −(1/n)·Σᵢ ln p̂₋ᵢ(xᵢ), where p̂₋ᵢ leaves xᵢ out (sum over j ≠ i, divided by
        /// n−1). Consistent; the self term would otherwise bias it low by up to ln n.
        case leaveOneOut
        /// H = −(1/n)·Σᵢ ln p̂(xᵢ) with xᵢ in its own estimate (sum over all j, divided by
        /// n): biased low, kept for comparison with tools that do this.
        case resubstitution
        /// H = −(1/s)·Σ ln p̂(yₗ) for s samples yₗ drawn from p̂ itself (a random xⱼ plus
        /// h·N(0, I)): the entropy of the kernel density estimate, biased high by the
        /// kernel's smoothing.
        case monteCarlo(samples: Int, generator: SeededGenerator)

        var name: String {
            switch self {
            case .leaveOneOut: "KDE leave-one-out"
            case .resubstitution: "KDE resubstitution"
            case .monteCarlo(let s, _): "KDE Monte-Carlo (\(s) samples)"
            }
        }
    }

    public var estimator: Estimator
    public var bandwidth: BandwidthSelection
    /// Whiten first (x → Σ^(−1/2)(x − μ)) and add ½·ln det Σ back. Without it an isotropic
    /// kernel fits badly whenever the coordinates have different scales.
    public var whiten: Bool
    /// Worker threads for the kernel sums (each runs single-threaded sgemm).
    public var threads: Int

    public init(estimator: Estimator = .leaveOneOut, bandwidth: BandwidthSelection = .leaveOneOutML,
                whiten: Bool = true, threads: Int? = nil) {
        self.estimator = estimator
        self.bandwidth = bandwidth
        self.whiten = whiten
        self.threads = max(1, threads ?? BLAS.threads)
    }

    /// The entropy of the distribution the rows of `x` (n×d) were drawn from.
    /// - Throws: `DegenerateCovarianceError` when whitening rank-deficient data,
    ///   `EntropyError` for too few points, non-finite values, a bad parameter or a failed
    ///   bandwidth search.
    public func estimate(_ x: Matrix) throws -> EntropyEstimate {
        let data = try PreparedData(x, whiten: whiten)
        let n = data.points.rows, d = data.points.columns
        let sums = GaussianKernelSums(points: data.points)
        let search = LeaveOneOutSearch(sums: sums, threads: threads)

        var curve: LikelihoodCurve?
        var h: Double
        var leaveOneOutDensities: [Double]?
        switch bandwidth {
        case .fixed(let given):
            guard given > 0, given.isFinite else { throw EntropyError.invalidParameter("the bandwidth must be a positive number, not \(given)") }
            h = given
        case .scott, .silverman:
            h = bandwidth.ruleOfThumb(n: n, d: d, sigma: data.meanStandardDeviation) ?? 1
        case .leaveOneOutML:
            let start = BandwidthSelection.silverman.ruleOfThumb(n: n, d: d, sigma: data.meanStandardDeviation) ?? 1
            let (best, likelihood) = try search.maximize(startingAt: start)
            h = best.h
            curve = likelihood
            leaveOneOutDensities = best.logDensities
        }
        let c = 1 / (2 * h * h)
        // ln of the kernel's normaliser (2πh²)^(d/2).
        let logNormaliser = 0.5 * Double(d) * log(2 * Double.pi * h * h)

        let logDensities: [Double]
        switch estimator {
        case .leaveOneOut:
            logDensities = try leaveOneOutDensities ?? search.evaluate(.single(c))[0].logDensities
        case .resubstitution:
            let logSums = try sums.logSums(excludingSelf: false, schedule: .single(c), threads: threads)[0]
            logDensities = logSums.map { $0 - log(Double(n)) - logNormaliser }
        case .monteCarlo(let samples, var generator):
            guard samples >= 2 else { throw EntropyError.invalidParameter("Monte-Carlo needs at least 2 samples, not \(samples)") }
            let draws = Self.sample(from: data.points, bandwidth: h, count: samples, using: &generator)
            let logSums = try sums.logSums(of: draws, excludingSelf: false, schedule: .single(c), threads: threads)[0]
            logDensities = logSums.map { $0 - log(Double(n)) - logNormaliser }
        }
        let (meanLog, standardError) = meanAndStandardError(logDensities)
        return EntropyEstimate(method: estimator.name, whitenedEntropy: -meanLog, standardError: standardError,
                               bandwidth: h, count: n, dimension: d, logDetCovariance: data.logDetCovariance,
                               whitened: whiten, likelihoodCurve: curve)
    }

    /// `count` draws from the kernel mixture: a uniformly chosen data row plus h·N(0, I).
    static func sample(from points: Matrix, bandwidth h: Double, count: Int, using generator: inout SeededGenerator) -> Matrix {
        let d = points.columns
        var out = Matrix(rows: count, columns: d)
        for s in 0..<count {
            let j = generator.index(below: points.rows)
            for k in 0..<d {
                out.elements[s * d + k] = points.elements[j * d + k] + Float(h * generator.normal())
            }
        }
        return out
    }
}
