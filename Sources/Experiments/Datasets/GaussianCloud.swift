import Foundation
import Linalg

/// A centred Gaussian N(0, Σ) in R^k with Σ = A·Aᵀ, sampled as x = A·z with z ~ N(0, I_k).
///
/// The covariance is isotropic, diagonal (given standard deviations) or random (a random
/// rotation of standard deviations spread log-uniformly over [½, 2]). The closed-form
/// differential entropy ½·ln((2πe)^k·det Σ) makes it the reference case for the entropy
/// estimators.
public struct GaussianCloud: ManifoldSampler {
    /// The k×k factor A (row-major), Σ = A·Aᵀ.
    public let factor: Matrix
    /// ln det Σ, exact from the construction (Σ ln σᵢ²).
    public let logDeterminant: Double
    private let description: String

    /// N(0, diag(σ²)) with the given standard deviations σᵢ > 0.
    public init(standardDeviations sigma: [Double]) throws {
        guard !sigma.isEmpty else { throw DatasetParameterError("k", "a Gaussian needs at least one dimension") }
        guard sigma.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw DatasetParameterError("scales", "standard deviations must be finite and > 0, got \(sigma)")
        }
        var a = Matrix(rows: sigma.count, columns: sigma.count)
        for (i, s) in sigma.enumerated() { a[i, i] = Float(s) }
        factor = a
        logDeterminant = sigma.reduce(0) { $0 + 2 * log($1) }
        description = sigma.allSatisfy({ $0 == 1 }) ? "gaussian N(0, I_\(sigma.count))" : "gaussian N(0, diag σ²) in R^\(sigma.count)"
    }

    /// The standard Gaussian N(0, I_k).
    public init(dimension: Int) throws {
        guard dimension >= 1 else { throw DatasetParameterError("k", "a Gaussian needs at least one dimension, got \(dimension)") }
        try self.init(standardDeviations: Array(repeating: 1, count: dimension))
    }

    /// A random covariance Σ = Q·diag(σ²)·Qᵀ: Q a uniformly random rotation, ln σᵢ uniform
    /// on [ln ½, ln 2] (eigenvalues of Σ in [¼, 4], so it is well conditioned).
    public static func randomCovariance(dimension: Int, using generator: inout SeededGenerator) throws -> GaussianCloud {
        guard dimension >= 1 else { throw DatasetParameterError("k", "a Gaussian needs at least one dimension, got \(dimension)") }
        let sigma = (0..<dimension).map { _ in exp(generator.uniform(log(0.5), log(2))) }
        let q = SyntheticDataset.randomOrthonormalBasis(ambient: dimension, dimension: dimension, using: &generator)
        var a = q
        for i in 0..<dimension { for j in 0..<dimension { a[i, j] *= Float(sigma[j]) } }
        return GaussianCloud(factor: a, logDeterminant: sigma.reduce(0) { $0 + 2 * log($1) },
                             description: "gaussian N(0, Σ random) in R^\(dimension)")
    }

    private init(factor: Matrix, logDeterminant: Double, description: String) {
        self.factor = factor
        self.logDeterminant = logDeterminant
        self.description = description
    }

    public var name: String { description }
    public var intrinsicDimension: Int { factor.rows }
    public var nativeDimension: Int { factor.rows }

    /// Σ = A·Aᵀ in Double.
    public var covariance: SymmetricMatrix {
        let k = factor.rows
        var c = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in 0..<k {
                var s = 0.0
                for l in 0..<k { s += Double(factor[i, l]) * Double(factor[j, l]) }
                c[i * k + j] = s
            }
        }
        return SymmetricMatrix(dimension: k, elements: c)
    }

    /// The differential entropy ½·ln((2πe)^k·det Σ) in nats.
    public var entropy: Double {
        0.5 * (Double(intrinsicDimension) * log(2 * Double.pi * exp(1.0)) + logDeterminant)
    }

    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        let z = generator.normalMatrix(rows: count, columns: intrinsicDimension)
        return ManifoldSample(points: z.multiplied(by: factor, transposeOther: true), latent: z)
    }
}
