import Entropy
import Foundation
import Linalg

/// Mutual information of a noisy layer T = S + σZ (Z ~ N(0, I_d), σ known) with the input X
/// and with a discrete label Y, where S = f(X) is a deterministic function of X — the noisy
/// network of Goldfeld et al., "Estimating Information Flow in Deep Neural Networks" (ICML
/// 2019), with the noise at the read-out:
///
///     let mi = try NoisyMutualInformation(noise: 0.1, generator: rng).estimate(clean, labels: y)
///     mi.inputInformation   // I(X;T) = h(T) − ½·d·ln(2πeσ²), nats
///     mi.labelInformation   // I(T;Y) = h(T) − Σ_y p(y)·h(T | Y = y), nats
///
/// Given X, T is N(S, σ²I), so h(T|X) = ½·d·ln(2πeσ²) exactly and only h(T) needs estimating:
/// by sample propagation (`SamplePropagationEntropy`: the Gaussian mixture of the n clean
/// outputs with the known σ, integrated by Monte-Carlo), in the data's own units (no
/// standardisation: σ is the network's noise). h(T|Y = y) is the same estimator on the rows
/// of class y, with draws from a stream derived per class.
///
/// The standard errors are the Monte-Carlo ones (the sampling error of the n outputs is not
/// included); I(T;Y)'s adds the class terms' variances weighted by p(y)².
/// Cost: O(m·n·d) flops and O(m·n) exps for h(T), the same again summed over the classes.
public struct NoisyMutualInformation: Sendable {
    /// σ of the noise added to the clean outputs, in their units.
    public var noise: Double
    /// Monte-Carlo draws per entropy.
    public var samples: Int
    public var generator: SeededGenerator
    public var threads: Int

    public init(noise: Double, samples: Int = SamplePropagationEntropy.defaultSamples,
                generator: SeededGenerator, threads: Int? = nil) {
        self.noise = noise
        self.samples = samples
        self.generator = generator
        self.threads = max(1, threads ?? BLAS.threads)
    }

    /// The estimates for one layer.
    public struct Estimate: Sendable, Hashable, Codable {
        /// I(X;T) in nats and its Monte-Carlo standard error.
        public var inputInformation: Double
        public var inputStandardError: Double
        /// I(T;Y) in nats (nil without labels) and its standard error.
        public var labelInformation: Double?
        public var labelStandardError: Double?
        /// h(T) and the exact h(T|X), nats.
        public var entropy: Double
        public var conditionalEntropy: Double
    }

    /// h(N(0, σ²I_d)) = ½·d·ln(2πeσ²): the entropy of T given X.
    public static func noiseEntropy(dimension d: Int, noise sigma: Double) -> Double {
        0.5 * Double(d) * log(2 * Double.pi * M_E * sigma * sigma)
    }

    /// I(X;T) and (with `labels`, one per row of `clean`) I(T;Y) for T = clean + σZ.
    /// - Throws: `EntropyError` for no rows, non-finite values, σ ≤ 0, a label count that
    ///   differs from the row count.
    public func estimate(_ clean: Matrix, labels: [Int]? = nil) throws -> Estimate {
        let h = try entropy(clean, purpose: "all")
        let conditional = Self.noiseEntropy(dimension: clean.columns, noise: noise)
        var result = Estimate(inputInformation: h.value - conditional, inputStandardError: h.standardError,
                              labelInformation: nil, labelStandardError: nil, entropy: h.value,
                              conditionalEntropy: conditional)
        guard let labels else { return result }
        guard labels.count == clean.rows else {
            throw EntropyError.invalidParameter("\(labels.count) labels for \(clean.rows) rows")
        }
        var byClass = [Int: [Int]]()
        for (i, y) in labels.enumerated() { byClass[y, default: []].append(i) }
        var conditionalOnLabel = 0.0, variance = 0.0
        for y in byClass.keys.sorted() {
            let rows = byClass[y] ?? []
            let p = Double(rows.count) / Double(clean.rows)
            let hy = try entropy(clean.rows(at: rows), purpose: "class-\(y)")
            conditionalOnLabel += p * hy.value
            variance += p * p * hy.standardError * hy.standardError
        }
        result.labelInformation = h.value - conditionalOnLabel
        result.labelStandardError = (h.standardError * h.standardError + variance).squareRoot()
        return result
    }

    private func entropy(_ x: Matrix, purpose: String) throws -> EntropyEstimate {
        try SamplePropagationEntropy(noise: noise, samples: samples, standardization: .none,
                                     generator: generator.derived(purpose), threads: threads).estimate(x)
    }
}
