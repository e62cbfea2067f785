import Entropy
import Foundation
import Linalg

/// h(standardised codes + σZ) of one code set, by sample propagation, at one noise level and
/// one subsample size.
public struct NoisyEntropy: Sendable, Hashable, Codable {
    /// σ, in standardised units (every code coordinate has unit variance before the noise).
    public var sigma: Double
    /// How many codes the mixture was built on (n, n/2, n/4, …).
    public var count: Int
    /// h(A(C − μ) + σZ), nats; past the intrinsic dimension each extra coordinate adds about
    /// ½·ln(2πeσ²).
    public var whitenedEntropy: Double
    /// Σ ln sdⱼ, the standardising map's log-determinant.
    public var logDeterminant: Double

    public init(sigma: Double, count: Int, whitenedEntropy: Double, logDeterminant: Double) {
        self.sigma = sigma
        self.count = count
        self.whitenedEntropy = whitenedEntropy
        self.logDeterminant = logDeterminant
    }

    /// ½·ln(2πeσ²): what one coordinate of pure noise adds.
    public static func noiseIncrement(sigma: Double) -> Double { 0.5 * log(2 * Double.pi * M_E * sigma * sigma) }
}

/// Which noisy entropies `EntropyCurveExperiment` measures on each code set: every σ on the
/// full code set and on nested random subsets of 1/2, 1/4, … of it (the subsampling check: a
/// kink that moves when n is halved belongs to the estimator, not to the data).
public struct NoisyEntropySettings: Sendable, Hashable, Codable {
    public var sigmas: [Double]
    /// Divisors of n for the subsamples (1 is the full set).
    public var divisors: [Int]
    /// Monte-Carlo draws per estimate.
    public var samples: Int

    public init(sigmas: [Double], divisors: [Int] = [1, 2, 4], samples: Int = SamplePropagationEntropy.defaultSamples) {
        self.sigmas = sigmas
        self.divisors = divisors
        self.samples = samples
    }

    /// Every (σ, divisor) estimate on `codes`. The subsets are nested prefixes of one seeded
    /// permutation, and the draws use one stream per (σ, subset) shared by every d, so
    /// neighbouring d differ by the codes, not by the Monte-Carlo noise.
    func measure(_ codes: Matrix, seed: UInt64, d: Int) throws -> [NoisyEntropy] {
        var permutationStream = SeededGenerator(seed: seed).derived("noisy-subsets")
        let order = permutationStream.permutation(codes.rows)
        var out = [NoisyEntropy]()
        for divisor in divisors {
            let m = max(codes.rows / max(divisor, 1), 2)
            let subset = m >= codes.rows ? codes : codes.rows(at: order.prefix(m).sorted())
            for sigma in sigmas {
                let stream = SeededGenerator(seed: seed).derived("noisy-\(sigma)-\(divisor)")
                let e = try SamplePropagationEntropy(noise: sigma, samples: samples, generator: stream).estimate(subset)
                out.append(NoisyEntropy(sigma: sigma, count: subset.rows, whitenedEntropy: e.whitenedEntropy,
                                        logDeterminant: e.logDeterminantTerm))
            }
        }
        return out
    }
}
