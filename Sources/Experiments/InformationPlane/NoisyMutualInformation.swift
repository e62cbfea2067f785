import Entropy
import Foundation
import Linalg

/// Mutual information of a noisy layer T = S + σZ (Z ~ N(0, I_d), σ known) with the input X
/// and with a discrete label Y, where S = f(X) is a deterministic function of X — the noisy
/// network of Goldfeld et al., "Estimating Information Flow in Deep Neural Networks" (ICML
/// 2019, §4), with the noise at the read-out:
///
///     let mi = try NoisyMutualInformation(noise: 0.1, generator: rng).estimate(clean, labels: y)
///     mi.inputInformation   // I(X;T) = h(T) − ½·d·ln(2πeσ²), nats
///     mi.labelInformation   // I(T;Y) = h(T) − Σ_y p(y)·h(T | Y = y), nats
///
/// Given X, T is N(S, σ²I), so h(T|X) = ½·d·ln(2πeσ²) exactly. T itself is estimated by the
/// sample-propagation mixture g = (1/n)·Σᵢ φ_σ(· − sᵢ) of the n clean outputs, and T given
/// Y = c by the mixture g_c on the n_c rows of class c. Both informations are Monte-Carlo
/// averages over m draws from the joint: component iⱼ uniform, yⱼ = s_{iⱼ} + σzⱼ, cⱼ its class:
///
///     Î(X;T) = (1/m)·Σⱼ [ln φ_σ(σzⱼ) − ln g(yⱼ)],    Î(T;Y) = (1/m)·Σⱼ [ln g_{cⱼ}(yⱼ) − ln g(yⱼ)].
///
/// The first has the expectation of ĥ(T) − ½·d·ln(2πeσ²) (sample propagation), but the noise
/// term ‖zⱼ‖²/2, whose variance d/2 dominates ĥ(T)'s Monte-Carlo error, cancels draw by draw;
/// the second is h(T) − h(T|Y) with common draws. Each term is bounded: g ≥ φ_σ(σz)/n and
/// g ≥ (n_c/n)·g_c, so Î(X;T) ≤ ln n and Î(T;Y) ≤ H(Y) of the labels, as the true values
/// of the mixture are. The standard errors are the Monte-Carlo ones, sd/√m (the sampling
/// error of the n outputs is not included).
/// Cost: O(m·n·d) flops and O(m·n) exps for g, the same again summed over the classes.
public struct NoisyMutualInformation: Sendable {
    /// σ of the noise added to the clean outputs, in their units.
    public var noise: Double
    /// Monte-Carlo draws m.
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
        /// ĥ(T) (sample propagation on the same draws) and h(T|X) (exact for one centre per
        /// input, else by sample propagation), nats.
        public var entropy: Double
        public var conditionalEntropy: Double
        /// How many of an input's k centres overlap at the draws: 1/mean(w), w the posterior
        /// weight of the draw's own centre among the input's k (`chainOverlap`), from 1 (the
        /// chains lie many σ apart: k separate bumps, so ĥ(T|X) reads low and Î(X;T) high) to
        /// k (they coincide). 1 for k = 1. (The mean of 1/w, used before, is k in expectation
        /// whatever the overlap — Σⱼ(1/k)∫φⱼ·Σₘφₘ/φⱼ = k — and read below k only when its heavy
        /// tail went unsampled.)
        public var effectiveChains: Double = 1
    }

    /// h(N(0, σ²I_d)) = ½·d·ln(2πeσ²): the entropy of T given X.
    public static func noiseEntropy(dimension d: Int, noise sigma: Double) -> Double {
        0.5 * Double(d) * log(2 * Double.pi * M_E * sigma * sigma)
    }

    /// I(X;T) and (with `labels`, one per row of `clean`) I(T;Y) for T = clean + σZ.
    /// - Throws: `EntropyError` for no rows or columns, non-finite values, σ ≤ 0, m < 2, or a
    ///   label count that differs from the row count.
    public func estimate(_ clean: Matrix, labels: [Int]? = nil) throws -> Estimate {
        try estimate(centres: clean, perInput: 1, labels: labels)
    }

    /// I(X;T) and (with `labels`, one per input) I(T;Y) when T given the i-th input is the
    /// mixture (1/k)·Σⱼ N(c_{i,j}, σ²I) over its k centres, rows i·k ..< (i + 1)·k of
    /// `centres` — a layer of Goldfeld et al.'s noisy network, whose centres are the layer's
    /// map of k propagated samples of the layer before (sample propagation, their §4). The
    /// draws are as for k = 1 (a centre uniform over all n·k, plus σz), and
    ///
    ///     Î(X;T) = (1/m)·Σⱼ [ln g_{iⱼ}(yⱼ) − ln g(yⱼ)],
    ///
    /// g_i the mixture of input i's k centres, g the mixture of all n·k: h(T) − h(T|X) on
    /// common draws, still at most ln n per draw. For k = 1, ln g_i(y) = ln φ_σ(σz) exactly.
    ///
    /// For k > 1 this is the exact information of the channel i ↦ g_i, whose conditionals
    /// are unbiased random estimates of the true p(t|x_i); information is convex in the channel
    /// for a fixed input distribution (Cover & Thomas, Thm 2.7.4), so by Jensen the estimate is
    /// an upper bound on I(X;T) in expectation — and a loose one: in wide layers the bias is
    /// nats, not tenths, and shrinks only slowly with k (Goldfeld et al.'s exponential sample
    /// complexity). `HeldOutBound` gives the matching lower bound. The same argument makes
    /// Î(T;Y) an upper bound in expectation.
    /// Cost: O(m·n·k·d) flops and O(m·n·k) exps, twice.
    public func estimate(centres: Matrix, perInput k: Int, labels: [Int]? = nil) throws -> Estimate {
        guard noise > 0, noise.isFinite else { throw EntropyError.invalidParameter("the noise σ must be a positive number, not \(noise)") }
        guard samples >= 2 else { throw EntropyError.invalidParameter("need at least 2 Monte-Carlo samples, not \(samples)") }
        guard k >= 1, centres.rows % k == 0 else {
            throw EntropyError.invalidParameter("\(centres.rows) centres are not \(k) per input")
        }
        guard centres.isFinite else { throw EntropyError.nonFinite }
        if let labels, labels.count * k != centres.rows {
            throw EntropyError.invalidParameter("\(labels.count) labels for \(centres.rows / k) inputs")
        }
        let points = try AffineStandardization(fitting: centres, .none).points
        let n = points.rows / k, d = points.columns
        var g = generator
        let components = (0..<samples).map { _ in g.index(below: n * k) }
        var draws = Matrix(rows: samples, columns: d)
        var halfSquaredNorms = [Double](repeating: 0, count: samples)
        for j in 0..<samples {
            for c in 0..<d {
                let z = g.normal()
                halfSquaredNorms[j] += 0.5 * z * z
                draws[j, c] = points[components[j], c] + Float(noise * z)
            }
        }
        let logG = try SamplePropagationEntropy.mixtureLogDensities(of: draws, mixtureOn: points, noise: noise, threads: threads)
        let logNoise = -0.5 * Double(d) * log(2 * Double.pi * noise * noise)
        let own: (logDensities: [Double], ownWeights: [Double]) = k == 1
            ? (halfSquaredNorms.map { logNoise - $0 }, [Double](repeating: 1, count: samples))
            : Self.ownMixtureLogDensities(draws, centres: points, components: components, perInput: k, noise: noise)
        let logConditional = own.logDensities
        let input = (0..<samples).map { logConditional[$0] - logG[$0] }
        let (inputMean, inputSE) = Self.meanAndStandardError(input)
        let conditional = k == 1 ? Self.noiseEntropy(dimension: d, noise: noise) : -logConditional.reduce(0, +) / Double(samples)
        var result = Estimate(inputInformation: inputMean, inputStandardError: inputSE, labelInformation: nil,
                              labelStandardError: nil, entropy: -logG.reduce(0, +) / Double(samples), conditionalEntropy: conditional)
        result.effectiveChains = Self.chainOverlap(own.ownWeights)
        guard let labels else { return result }
        let rowLabels = k == 1 ? labels : (0..<(n * k)).map { labels[$0 / k] }
        let label = try labelTerms(draws: draws, points: points, components: components, rowLabels: rowLabels, logG: logG)
        let (labelMean, labelSE) = Self.meanAndStandardError(label)
        result.labelInformation = labelMean
        result.labelStandardError = labelSE
        return result
    }

    /// ln g_c(yⱼ) − ln g(yⱼ) per draw, g_c the mixture of the centres of the draw's class.
    private func labelTerms(draws: Matrix, points: Matrix, components: [Int], rowLabels: [Int], logG: [Double]) throws -> [Double] {
        var label = [Double](repeating: 0, count: components.count)
        var rowsOfClass = [Int: [Int]]()
        for (i, c) in rowLabels.enumerated() { rowsOfClass[c, default: []].append(i) }
        var drawsOfClass = [Int: [Int]]()
        for (j, i) in components.enumerated() { drawsOfClass[rowLabels[i], default: []].append(j) }
        for (c, js) in drawsOfClass {
            let logGc = try SamplePropagationEntropy.mixtureLogDensities(
                of: draws.rows(at: js), mixtureOn: points.rows(at: rowsOfClass[c] ?? []), noise: noise, threads: threads)
            for (t, j) in js.enumerated() { label[j] = logGc[t] - logG[j] }
        }
        return label
    }

    /// ln g_i(yⱼ) for each draw, g_i = (1/k)·Σ φ_σ(· − c) over the k centres of the input the
    /// draw came from, and the weight of the draw's own centre in g_i: k·d work per draw, in
    /// Double, by log-sum-exp.
    static func ownMixtureLogDensities(_ draws: Matrix, centres: Matrix, components: [Int], perInput k: Int,
                                       noise sigma: Double) -> (logDensities: [Double], ownWeights: [Double]) {
        let d = centres.columns
        let logNorm = -0.5 * Double(d) * log(2 * Double.pi * sigma * sigma) - log(Double(k))
        var weights = [Double]()
        weights.reserveCapacity(components.count)
        let logs = components.enumerated().map { j, component -> Double in
            let first = (component / k) * k
            let exponents = (first..<(first + k)).map { c -> Double in
                var sum = 0.0
                for t in 0..<d {
                    let diff = Double(draws[j, t]) - Double(centres[c, t])
                    sum += diff * diff
                }
                return -sum / (2 * sigma * sigma)
            }
            let top = exponents.max() ?? 0
            let sum = exponents.reduce(0) { $0 + exp($1 - top) }
            weights.append(exp(exponents[component - first] - top) / sum)
            return logNorm + top + log(sum)
        }
        return (logs, weights)
    }

    /// 1/mean(w) of the own-centre posterior weights w of the draws: the mixture's overlap in
    /// chains, between 1 and k.
    public static func chainOverlap(_ ownWeights: [Double]) -> Double {
        guard !ownWeights.isEmpty else { return 1 }
        return Double(ownWeights.count) / ownWeights.reduce(0, +)
    }

    static func meanAndStandardError(_ x: [Double]) -> (Double, Double) {
        let m = Double(x.count)
        let mean = x.reduce(0, +) / m
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(m - 1, 1)
        return (mean, (variance / m).squareRoot())
    }
}
