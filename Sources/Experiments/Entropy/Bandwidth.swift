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

    public init(bandwidths: [Double], logLikelihoods: [Double], best: Double) {
        self.bandwidths = bandwidths
        self.logLikelihoods = logLikelihoods
        self.best = best
    }
}

/// Maximises the leave-one-out log-likelihood L(h) = (1/n)·Σᵢ ln p̂₋ᵢ(xᵢ) over h, several
/// bandwidths per pass over the distances:
/// 1. a log grid with ratio √2 (15 values from 2·h_Silverman down, one pass, one exp per
///    distance for four bandwidths), extended while the maximum sits on an end;
/// 2. section-search refinement of the bracket around the best grid point: each pass
///    evaluates 8 interior points evenly spaced in c = 1/(2h²) (two exps per distance) and
///    keeps the two intervals around the best, shrinking the bracket 4.5× — the golden-
///    section idea with 8 evaluations per pass instead of one. Two passes put h within ±1 %
///    of the maximiser, where L is flat to 1e-4 nats.
/// The per-point log-densities of the best evaluated h are returned with it, so the
/// leave-one-out entropy needs no further pass.
struct LeaveOneOutSearch {
    let sums: GaussianKernelSums
    let threads: Int
    var refinementPasses = 2
    var gridCount = 15
    /// Maximum grid extensions in either direction before giving up.
    var maximumExtensions = 6

    struct Evaluation {
        var c: Double
        var meanLogLikelihood: Double
        var logDensities: [Double]
        var h: Double { (1 / (2 * c)).squareRoot() }
    }

    /// ln p̂₋ᵢ(xᵢ) for each coefficient of `schedule`, from the kernel sums: the sum over j ≠ i
    /// divided by n−1 and by the kernel's normaliser (2πh²)^(d/2).
    func evaluate(_ schedule: KernelSchedule) -> [Evaluation] {
        let n = sums.points.rows, d = sums.points.columns
        let logs = sums.logSums(excludingSelf: true, schedule: schedule, threads: threads)
        return zip(schedule.coefficients, logs).map { c, logSums in
            // ln[(2πh²)^(d/2)] with h² = 1/(2c) is (d/2)·ln(π/c).
            let offset = -log(Double(n - 1)) - 0.5 * Double(d) * log(Double.pi / c)
            let densities = logSums.map { $0 + offset }
            return Evaluation(c: c, meanLogLikelihood: densities.reduce(0, +) / Double(n), logDensities: densities)
        }
    }

    /// The maximiser, its per-point log-densities and the whole curve.
    func maximize(startingAt h0: Double) throws -> (best: Evaluation, curve: LikelihoodCurve) {
        var evaluated = [Evaluation]()
        func add(_ new: [Evaluation]) {
            evaluated.append(contentsOf: new)
            evaluated.sort { $0.c < $1.c }
        }
        func bestIndex() -> Int {
            evaluated.indices.max { evaluated[$0].meanLogLikelihood < evaluated[$1].meanLogLikelihood } ?? 0
        }
        // The grid starts at the widest kernel, h = 2·h0, and goes down by √2 per step.
        let widest = 1 / (2 * 4 * h0 * h0)
        add(evaluate(.doubling(first: widest, count: gridCount)))
        var extensions = 0
        while true {
            let best = bestIndex()
            guard best == 0 || best == evaluated.count - 1 else { break }
            extensions += 1
            guard extensions <= maximumExtensions else {
                let h = evaluated[best].h
                throw EntropyError.bandwidthSearchFailed(
                    best == 0
                        ? "the leave-one-out likelihood still rises at h = \(formatted(h)), the widest bandwidth tried"
                        : "the leave-one-out likelihood still rises as h shrinks to \(formatted(h)): are there duplicate points?")
            }
            let extra = 8
            if best == 0 {
                add(evaluate(.doubling(first: evaluated[0].c / Double(1 << extra), count: extra)))
            } else {
                add(evaluate(.doubling(first: evaluated[best].c * 2, count: extra)))
            }
        }
        for _ in 0..<refinementPasses {
            let best = bestIndex()
            let low = evaluated[best - 1].c, high = evaluated[best + 1].c
            let interior = 8
            let step = (high - low) / Double(interior + 1)
            add(evaluate(.arithmetic(first: low + step, step: step, count: interior)))
        }
        let best = evaluated[bestIndex()]
        let ascending = evaluated.reversed()
        let curve = LikelihoodCurve(bandwidths: ascending.map(\.h), logLikelihoods: ascending.map(\.meanLogLikelihood),
                                    best: best.h)
        return (best, curve)
    }

    private func formatted(_ h: Double) -> String { String(format: "%.3g", h) }
}
