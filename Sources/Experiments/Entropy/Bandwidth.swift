import Foundation
import Linalg

/// How the bandwidth h of an isotropic Gaussian kernel is chosen. On whitened data (unit
/// covariance) h is in units of standard deviations; on raw data the rules scale by the mean
/// standard deviation σ̄ = √(tr Σ / d).
public enum BandwidthSelection: Sendable, Hashable {
    /// Scott's rule, h = σ̄·n^(−1/(d+4)) (Scott, Multivariate Density Estimation, 1992; as
    /// scipy's `gaussian_kde`).
    case scott
    /// Silverman's rule, h = σ̄·(4/(d+2))^(1/(d+4))·n^(−1/(d+4)) (Silverman, Density
    /// Estimation, 1986, eq. 4.14).
    case silverman
    /// The h maximising the leave-one-out log-likelihood (1/n)·Σᵢ ln p̂₋ᵢ(xᵢ) (Duin 1976;
    /// Habbema, Hermans & van den Broek 1974). See `LeaveOneOutSearch`.
    case leaveOneOutML
    /// A given h (> 0).
    case fixed(Double)

    /// The rule-of-thumb bandwidth for n points in d dimensions with mean standard deviation
    /// `sigma` (`nil` for `.leaveOneOutML` and `.fixed`).
    public func ruleOfThumb(n: Int, d: Int, sigma: Double = 1) -> Double? {
        let shrink = pow(Double(n), -1 / Double(d + 4))
        switch self {
        case .scott: return sigma * shrink
        case .silverman: return sigma * pow(4 / Double(d + 2), 1 / Double(d + 4)) * shrink
        case .leaveOneOutML, .fixed: return nil
        }
    }
}

/// The leave-one-out log-likelihood of the data as a function of the bandwidth: what
/// `.leaveOneOutML` maximises, kept for a figure. Both arrays ascend in h.
public struct LikelihoodCurve: Sendable, Hashable, Codable {
    /// Bandwidths h (in the units the kernel was applied in: whitened units when whitened).
    public var bandwidths: [Double]
    /// Mean leave-one-out log-likelihood (1/n)·Σᵢ ln p̂₋ᵢ(xᵢ) at each h, in nats per point.
    public var logLikelihoods: [Double]
    /// The maximising bandwidth.
    public var best: Double
    /// The coarse grid, when it was evaluated on a subsample of rows (large n): the same
    /// likelihood averaged over those rows only, so it is comparable in shape, not in level.
    public var subsample: Subsample?

    /// L(h) averaged over `rows` evenly spaced data points (each against all n).
    public struct Subsample: Sendable, Hashable, Codable {
        public var rows: Int
        public var bandwidths: [Double]
        public var logLikelihoods: [Double]
        public init(rows: Int, bandwidths: [Double], logLikelihoods: [Double]) {
            self.rows = rows
            self.bandwidths = bandwidths
            self.logLikelihoods = logLikelihoods
        }
    }

    public init(bandwidths: [Double], logLikelihoods: [Double], best: Double, subsample: Subsample? = nil) {
        self.bandwidths = bandwidths
        self.logLikelihoods = logLikelihoods
        self.best = best
        self.subsample = subsample
    }
}

/// Maximises the leave-one-out log-likelihood L(h) = (1/n)·Σᵢ ln p̂₋ᵢ(xᵢ) over h, several
/// bandwidths per pass over the distances:
/// 1. a log grid with ratio √2 (15 values from 2·h_Silverman down, one pass, one exp per
///    distance for four bandwidths), extended while the maximum sits on an end. For
///    n ≥ 4 000 the grid is evaluated on 2 000 evenly spaced rows only (each still against
///    all n points, leaving itself out): it only has to find the bracket.
/// 2. section-search refinement of the bracket [h₋, h₊] around the best grid point: each pass
///    evaluates points evenly spaced in c = 1/(2h²) on all rows (two exps per distance) and
///    keeps the two intervals around the best — the golden-section idea with 8–10
///    evaluations per pass instead of one, shrinking the bracket 4.5× per pass. Two passes
///    put h within ±1 % of the maximiser, where L is flat to 1e-4 nats. Should the
///    subsample's bracket miss the maximum, the full-row grid is searched as well.
/// The per-point log-densities of the best evaluated h are returned with it, so the
/// leave-one-out entropy needs no further pass.
struct LeaveOneOutSearch {
    let sums: GaussianKernelSums
    let threads: Int
    var refinementPasses = 2
    var gridCount = 15
    /// Rows of the coarse grid when n ≥ 2·subsampleSize.
    var subsampleSize = 2_000
    /// Maximum grid extensions in either direction before giving up.
    var maximumExtensions = 6

    struct Evaluation {
        var c: Double
        var meanLogLikelihood: Double
        var logDensities: [Double]
        var h: Double { (1 / (2 * c)).squareRoot() }
    }

    /// ln p̂₋ᵢ(xᵢ) for each coefficient of `schedule`, from the kernel sums: the sum over j ≠ i
    /// divided by n−1 and by the kernel's normaliser (2πh²)^(d/2). On `rows` only, if given.
    func evaluate(_ schedule: KernelSchedule, rows: [Int]? = nil) throws -> [Evaluation] {
        let n = sums.points.rows, d = sums.points.columns
        let logs = try rows.map { try sums.leaveOneOutLogSums(rows: $0, schedule: schedule, threads: threads) }
            ?? sums.logSums(excludingSelf: true, schedule: schedule, threads: threads)
        return zip(schedule.coefficients, logs).map { c, logSums in
            // ln[(2πh²)^(d/2)] with h² = 1/(2c) is (d/2)·ln(π/c).
            let offset = -log(Double(n - 1)) - 0.5 * Double(d) * log(Double.pi / c)
            let densities = logSums.map { $0 + offset }
            return Evaluation(c: c, meanLogLikelihood: densities.reduce(0, +) / Double(densities.count),
                              logDensities: densities)
        }
    }

    /// The maximiser, its per-point log-densities and the whole curve (full-row evaluations).
    func maximize(startingAt h0: Double) throws -> (best: Evaluation, curve: LikelihoodCurve) {
        let n = sums.points.rows
        var evaluated = [Evaluation]()
        var refined = false
        var subsample: LikelihoodCurve.Subsample?
        if n >= 2 * subsampleSize {
            let rows = (0..<subsampleSize).map { $0 * n / subsampleSize }
            var coarse = [Evaluation]()
            try gridSearch(&coarse, startingAt: h0, rows: rows)
            subsample = LikelihoodCurve.Subsample(rows: rows.count, bandwidths: coarse.reversed().map(\.h),
                                                  logLikelihoods: coarse.reversed().map(\.meanLogLikelihood))
            let c = coarse[Self.bestIndex(coarse)].c
            // The bracket [c/2, 2c] of the subsample's best, both ends included, on all rows.
            Self.merge(&evaluated, try evaluate(.arithmetic(first: c / 2, step: 1.5 * c / 9, count: 10)))
            let best = Self.bestIndex(evaluated)
            if best > 0 && best < evaluated.count - 1 {
                try refine(&evaluated, passes: refinementPasses - 1)
                refined = true
            }
        }
        if !refined {
            try gridSearch(&evaluated, startingAt: h0, rows: nil)
            try refine(&evaluated, passes: refinementPasses)
        }
        let best = evaluated[Self.bestIndex(evaluated)]
        let ascending = evaluated.reversed()
        let curve = LikelihoodCurve(bandwidths: ascending.map(\.h), logLikelihoods: ascending.map(\.meanLogLikelihood),
                                    best: best.h, subsample: subsample)
        return (best, curve)
    }

    /// The √2 log grid from 2·h0 down, extended until its maximum is interior.
    private func gridSearch(_ evaluated: inout [Evaluation], startingAt h0: Double, rows: [Int]?) throws {
        let widest = 1 / (2 * 4 * h0 * h0)
        Self.merge(&evaluated, try evaluate(.doubling(first: widest, count: gridCount), rows: rows))
        var extensions = 0
        while true {
            let best = Self.bestIndex(evaluated)
            guard best == 0 || best == evaluated.count - 1 else { return }
            extensions += 1
            guard extensions <= maximumExtensions else {
                let h = evaluated[best].h
                throw EntropyError.bandwidthSearchFailed(
                    best == 0
                        ? "the leave-one-out likelihood still rises at h = \(formatted(h)), the widest bandwidth tried"
                        : "the leave-one-out likelihood still rises as h shrinks to \(formatted(h)): are there duplicate points?")
            }
            let extra = 8
            let first = best == 0 ? evaluated[0].c / Double(1 << extra) : evaluated[best].c * 2
            Self.merge(&evaluated, try evaluate(.doubling(first: first, count: extra), rows: rows))
        }
    }

    /// Section-search passes: 8 points evenly spaced in c strictly inside the bracket formed
    /// by the best evaluation's neighbours.
    private func refine(_ evaluated: inout [Evaluation], passes: Int) throws {
        for _ in 0..<passes {
            let best = Self.bestIndex(evaluated)
            guard best > 0 && best < evaluated.count - 1 else { return }
            let low = evaluated[best - 1].c, high = evaluated[best + 1].c
            let interior = 8
            let step = (high - low) / Double(interior + 1)
            Self.merge(&evaluated, try evaluate(.arithmetic(first: low + step, step: step, count: interior)))
        }
    }

    private static func merge(_ evaluated: inout [Evaluation], _ new: [Evaluation]) {
        evaluated.append(contentsOf: new)
        evaluated.sort { $0.c < $1.c }
    }

    private static func bestIndex(_ evaluated: [Evaluation]) -> Int {
        evaluated.indices.max { evaluated[$0].meanLogLikelihood < evaluated[$1].meanLogLikelihood } ?? 0
    }

    private func formatted(_ h: Double) -> String { String(format: "%.3g", h) }
}
