import Foundation
import Linalg

/// Points drawn from a generator in its native coordinates, with the generator's own
/// coordinates of each point.
public struct ManifoldSample: Sendable {
    /// n × nativeDimension points.
    public var points: Matrix
    /// n × (latent coordinates), or `nil` when the generator has none worth keeping.
    public var latent: Matrix?
    public init(points: Matrix, latent: Matrix? = nil) {
        self.points = points
        self.latent = latent
    }
}

/// A distribution on a manifold of known intrinsic dimension (or a set of images of known
/// latent dimension) that can be sampled with a seeded generator.
///
/// Samplers draw noise-free points in their native space; `SyntheticDataset.generate` adds
/// the embedding into R^D, the random rotation and the noise, the same way for all.
public protocol ManifoldSampler: Sendable {
    /// Short name for reports ("swiss-roll", "sphere S^3").
    var name: String { get }
    /// The true intrinsic dimension k.
    var intrinsicDimension: Int { get }
    /// The dimension of the native coordinates (R^3 for the swiss roll).
    var nativeDimension: Int { get }
    /// When each point is an image (then embedding and rotation are refused).
    var imageShape: ImageShape? { get }
    /// `count` independent points. O(count · nativeDimension).
    func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample
}

extension ManifoldSampler {
    public var imageShape: ImageShape? { nil }
}

/// How a sample is placed in the ambient space and perturbed.
public struct Embedding: Sendable, Hashable {
    /// Ambient dimension D (≥ the native dimension); `nil` keeps the native one.
    public var ambientDimension: Int?
    /// Map the native coordinates by a random orthonormal basis of a subspace of R^D
    /// (an isometry, so distances are kept); otherwise pad with zero columns.
    public var rotate: Bool
    /// Standard deviation σ of isotropic Gaussian noise added in all D ambient coordinates
    /// (for images: added to each pixel, then clamped to [0, 1]).
    public var noise: Double

    public init(ambientDimension: Int? = nil, rotate: Bool = false, noise: Double = 0) {
        self.ambientDimension = ambientDimension
        self.rotate = rotate
        self.noise = noise
    }
}

/// Draws synthetic datasets: sample, embed into R^D, rotate, add noise.
public enum SyntheticDataset {
    /// `count` points from `sampler`, embedded per `embedding`. The random streams for the
    /// points, the rotation and the noise are derived from `generator` separately, so the
    /// same seed gives the same data and changing the noise level does not move the points.
    ///
    /// The dataset's `intrinsicDimension` is the manifold's, also when noise is added
    /// (the noise thickens the manifold; estimators should see k at scales above σ).
    /// O(count · D · native) with the rotation in BLAS.
    public static func generate(_ sampler: some ManifoldSampler, count: Int, embedding: Embedding = Embedding(),
                                using generator: SeededGenerator) throws -> Dataset {
        guard count >= 1 else { throw DatasetParameterError("n", "needs at least 1 point, got \(count)") }
        guard embedding.noise >= 0, embedding.noise.isFinite else {
            throw DatasetParameterError("noise", "the noise standard deviation must be a finite number ≥ 0, got \(embedding.noise)")
        }
        let native = sampler.nativeDimension
        let ambient = embedding.ambientDimension ?? native
        if sampler.imageShape != nil, ambient != native || embedding.rotate {
            throw DatasetParameterError(embedding.rotate ? "rotate" : "ambient",
                                        "\(sampler.name) are images of \(native) pixels; they cannot be embedded or rotated")
        }
        guard ambient >= native else {
            throw DatasetParameterError("ambient", "\(sampler.name) lives in R^\(native); the ambient dimension must be at least \(native), got \(ambient)")
        }
        var pointStream = generator.derived("points")
        let drawn = sampler.sample(count, using: &pointStream)
        var points = drawn.points
        if embedding.rotate {
            var rotationStream = generator.derived("rotation")
            let basis = randomOrthonormalBasis(ambient: ambient, dimension: native, using: &rotationStream)
            points = points.multiplied(by: basis, transposeOther: true)
        } else if ambient > native {
            points = points.paddedWithZeroColumns(to: ambient)
        }
        if embedding.noise > 0 {
            var noiseStream = generator.derived("noise")
            let sigma = embedding.noise
            let clamp = sampler.imageShape != nil
            for i in points.elements.indices {
                let v = points.elements[i] + Float(sigma * noiseStream.normal())
                points.elements[i] = clamp ? min(max(v, 0), 1) : v
            }
        }
        var parts = ["n=\(count)", "k=\(sampler.intrinsicDimension)", "D=\(ambient)"]
        if embedding.rotate { parts.append("rotated") }
        if embedding.noise > 0 { parts.append("noise σ=\(embedding.noise)") }
        return Dataset(name: sampler.name, points: points, intrinsicDimension: sampler.intrinsicDimension,
                       imageShape: sampler.imageShape,
                       provenance: "synthetic \(sampler.name): " + parts.joined(separator: ", "),
                       latent: drawn.latent)
    }

    /// A D×m matrix (D ≥ m) with orthonormal columns spanning a uniformly random
    /// m-dimensional subspace of R^D: Gaussian columns orthonormalised by modified
    /// Gram–Schmidt, run twice for orthogonality to round-off ("twice is enough",
    /// Giraud et al. 2005), in Double. O(D·m²).
    public static func randomOrthonormalBasis(ambient: Int, dimension: Int, using generator: inout SeededGenerator) -> Matrix {
        precondition(ambient >= dimension && dimension >= 0)
        // Columns stored contiguously: q[j] is column j.
        var q: [[Double]] = []
        while q.count < dimension {
            var v = (0..<ambient).map { _ in generator.normal() }
            for _ in 0..<2 {
                for u in q {
                    var dot = 0.0
                    for r in 0..<ambient { dot += u[r] * v[r] }
                    for r in 0..<ambient { v[r] -= dot * u[r] }
                }
            }
            var norm = 0.0
            for r in 0..<ambient { norm += v[r] * v[r] }
            norm = norm.squareRoot()
            // A Gaussian vector (nearly) in the span of the earlier ones: probability ~0; redraw.
            guard norm > 1e-6 else { continue }
            q.append(v.map { $0 / norm })
        }
        var basis = Matrix(rows: ambient, columns: dimension)
        for j in 0..<dimension {
            for r in 0..<ambient { basis[r, j] = Float(q[j][r]) }
        }
        return basis
    }
}

extension Matrix {
    /// The matrix with zero columns appended up to `columns` columns.
    func paddedWithZeroColumns(to newColumns: Int) -> Matrix {
        var out = Matrix(rows: rows, columns: newColumns)
        for i in 0..<rows {
            for j in 0..<columns { out.elements[i * newColumns + j] = elements[i * columns + j] }
        }
        return out
    }
}
