import Foundation

/// The noisy-slope rule: a kink as a test against a known slope, not a bend to eyeball.
///
/// y(d) is h(C_d + σZ), the entropy of the standardised d-dimensional codes plus Gaussian
/// noise of a known σ (sample propagation, `SamplePropagationEntropy`). While d is below the
/// intrinsic dimension k each new code coordinate carries signal, and adds about the entropy
/// of a unit-variance coordinate blurred by σ, at most ½·ln(2πe(1 + σ²)); past k a coordinate
/// is a function of the others and adds the noise alone, ν = ½·ln(2πeσ²). The rule's
/// threshold sits between the two, τ = ν + position·(½·ln(2πe(1 + σ²)) − ν), and the kink is
/// the d before the first increment (per unit d) below τ.
///
/// The rule is only as good as σ against the spacing of the samples: once σ is below it
/// (≈ n^(−1/k) standardised units) every new coordinate adds ν whatever k is, so the kink
/// moves with n — which is why `DimensionVerdict` re-runs it on subsamples.
public struct NoiseSlopeRule: Sendable, Hashable, Codable {
    /// σ of the added noise, standardised units.
    public var sigma: Double
    /// Where τ sits between the noise increment (0) and a full coordinate's increment (1).
    public var position: Double

    public init(sigma: Double, position: Double = 0.5) {
        self.sigma = sigma
        self.position = position
    }

    /// ν = ½·ln(2πeσ²), what a coordinate of pure noise adds.
    public var noiseIncrement: Double { 0.5 * log(2 * Double.pi * M_E * sigma * sigma) }
    /// ½·ln(2πe(1 + σ²)), the most a unit-variance coordinate blurred by σ can add.
    public var signalIncrement: Double { 0.5 * log(2 * Double.pi * M_E * (1 + sigma * sigma)) }
    /// τ, the increment below which a coordinate counts as noise.
    public var threshold: Double { noiseIncrement + position * (signalIncrement - noiseIncrement) }

    /// What the rule found on one curve.
    public struct Finding: Sendable, Hashable, Codable {
        /// The kink: the d before the first increment below τ; nil when every increment is above.
        public var d: Int?
        /// (y(dᵢ) − y(dᵢ₋₁)) / (dᵢ − dᵢ₋₁) for i = 1…, in nats per code unit.
        public var increments: [Double]
        /// True when every increment after the kink is below τ too (the tail has the noise slope).
        public var tailAtNoise: Bool
        public var note: String
    }

    /// The rule on y(d); `d` ascending, same length as `y`, at least 2 points. Non-finite
    /// values give no kink.
    public func finding(d: [Int], y: [Double]) -> Finding {
        guard d.count >= 2, d.count == y.count, y.allSatisfy(\.isFinite) else {
            return Finding(d: nil, increments: [], tailAtNoise: false, note: "needs at least 2 finite points")
        }
        var increments = [Double]()
        for i in 1..<d.count {
            let step = Double(d[i] - d[i - 1])
            increments.append((y[i] - y[i - 1]) / step)
        }
        let tau = threshold
        guard let first = increments.firstIndex(where: { $0 < tau }) else {
            return Finding(d: nil, increments: increments, tailAtNoise: false,
                           note: "every increment is above τ = \(Self.format(tau)) through d = \(d[d.count - 1])")
        }
        let tail = increments[first...]
        let tailAtNoise = tail.allSatisfy { $0 < tau }
        let mean = tail.reduce(0, +) / Double(tail.count)
        var note = "increment to d = \(d[first + 1]) is \(Self.format(increments[first])) < τ = \(Self.format(tau)); "
            + "mean increment after it \(Self.format(mean)) (noise alone: \(Self.format(noiseIncrement)))"
        if !tailAtNoise { note += "; a later increment rises above τ again" }
        return Finding(d: d[first], increments: increments, tailAtNoise: tailAtNoise, note: note)
    }

    static func format(_ x: Double) -> String { String(format: "%.3g", x) }
}
