import Foundation
import Linalg

/// A fixed random smooth map R^k → R^D, f(z) = tanh(W₂·tanh(W₁·z + b₁)), a one-hidden-layer
/// tanh network with seeded Gaussian weights: W₁ (h×k) entries N(0, 1/k), b₁ entries
/// N(0, ½²), W₂ (D×h) entries N(0, 2/h). The scales keep the hidden and output units in
/// tanh's curved range (neither linear nor saturated). For D ≥ 2k a generic smooth map
/// is an immersion (Whitney), so the image of a k-dimensional latent is k-dimensional.
public struct SmoothRandomMap: Sendable {
    /// W₁, h×k.
    public let w1: Matrix
    /// b₁, length h.
    public let b1: [Float]
    /// W₂, D×h.
    public let w2: Matrix

    public init(latent k: Int, ambient d: Int, hidden h: Int = 64, using generator: inout SeededGenerator) {
        w1 = generator.normalMatrix(rows: h, columns: k, standardDeviation: Float((1 / Double(k)).squareRoot()))
        b1 = (0..<h).map { _ in Float(0.5 * generator.normal()) }
        w2 = generator.normalMatrix(rows: d, columns: h, standardDeviation: Float((2 / Double(h)).squareRoot()))
    }

    /// f applied to each row of `z` (n×k → n×D); both products in BLAS. O(n·h·(k + D)).
    public func apply(to z: Matrix) -> Matrix {
        var hidden = z.multiplied(by: w1, transposeOther: true)
        let h = b1.count
        hidden.elements.withUnsafeMutableBufferPointer { p in
            for i in 0..<z.rows {
                for j in 0..<h { p[i * h + j] = tanh(p[i * h + j] + b1[j]) }
            }
        }
        var out = hidden.multiplied(by: w2, transposeOther: true)
        out.elements.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = tanh(p[i]) }
        }
        return out
    }
}

/// The nonlinear-mixing family: a latent z ~ N(0, I_k) mapped into R^D by a fixed random
/// smooth map (`SmoothRandomMap`); noise is added by `SyntheticDataset.generate`. The talk's
/// synthetic set is k = 8 into D = 16; a smaller one is k = 3 into D = 10.
/// The map is drawn from the generator's "map" stream, so it depends on the seed only.
public struct NonlinearMixing: ManifoldSampler {
    public let intrinsicDimension: Int
    public let nativeDimension: Int
    public let hiddenUnits: Int

    public init(latent k: Int, ambient d: Int, hidden h: Int = 64) throws {
        guard k >= 1 else { throw DatasetParameterError("k", "the latent dimension must be at least 1, got \(k)") }
        guard d >= k else { throw DatasetParameterError("ambient", "a \(k)-dimensional latent needs an ambient dimension ≥ \(k), got \(d)") }
        intrinsicDimension = k
        nativeDimension = d
        hiddenUnits = h
    }

    /// "8-D latent mixed into R¹⁶": what it is, in the words a figure title needs.
    public var name: String {
        let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let power = String(String(nativeDimension).compactMap { $0.wholeNumberValue.map { superscripts[$0] } })
        return "\(intrinsicDimension)-D latent mixed into R\(power)"
    }

    /// The map this sampler uses with a generator (the map stream is derived from it, so
    /// it does not shift with n).
    public func map(using generator: SeededGenerator) -> SmoothRandomMap {
        var stream = generator.derived("map")
        return SmoothRandomMap(latent: intrinsicDimension, ambient: nativeDimension, hidden: hiddenUnits, using: &stream)
    }

    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        let f = map(using: generator)
        let z = generator.normalMatrix(rows: count, columns: intrinsicDimension)
        return ManifoldSample(points: f.apply(to: z), latent: z)
    }
}
