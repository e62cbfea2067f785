import Foundation
import Linalg

// The classic manifolds of the manifold-learning and intrinsic-dimension literature. The
// formulas follow scikit-learn's make_swiss_roll / make_s_curve and scikit-dimension's
// BenchmarkManifolds (Hein & Audibert 2005; Campadelli et al. 2015) where they exist.

/// Uniform on the unit cube [0, 1]^k (intrinsic and native dimension k).
public struct UniformCube: ManifoldSampler {
    public let intrinsicDimension: Int
    public init(dimension: Int) { intrinsicDimension = dimension }
    public var name: String { "uniform-cube [0,1]^\(intrinsicDimension)" }
    public var nativeDimension: Int { intrinsicDimension }
    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        let points = generator.uniformMatrix(rows: count, columns: intrinsicDimension)
        return ManifoldSample(points: points, latent: points)
    }
}

/// A k-dimensional linear subspace of R^D: latent u uniform on [−1, 1]^k, mapped by a
/// random orthonormal basis B (D×k), x = B·u. The basis is drawn first from the same
/// stream, so it does not depend on n. Points lie in a rank-k subspace through the origin.
public struct LinearSubspace: ManifoldSampler {
    public let intrinsicDimension: Int
    public let nativeDimension: Int
    public init(dimension: Int, ambient: Int) throws {
        guard dimension >= 1 else { throw DatasetParameterError("k", "the subspace dimension must be at least 1, got \(dimension)") }
        guard ambient >= dimension else {
            throw DatasetParameterError("ambient", "a \(dimension)-dimensional subspace needs an ambient dimension ≥ \(dimension), got \(ambient)")
        }
        intrinsicDimension = dimension
        nativeDimension = ambient
    }
    public var name: String { "linear \(intrinsicDimension)-subspace of R^\(nativeDimension)" }
    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        let basis = SyntheticDataset.randomOrthonormalBasis(ambient: nativeDimension, dimension: intrinsicDimension, using: &generator)
        let latent = generator.uniformMatrix(rows: count, columns: intrinsicDimension, in: -1, 1)
        return ManifoldSample(points: latent.multiplied(by: basis, transposeOther: true), latent: latent)
    }
}

/// Uniform on the k-sphere S^k = {x ∈ R^{k+1} : ‖x‖ = r}, by normalised Gaussian vectors
/// (Muller 1959).
public struct Sphere: ManifoldSampler {
    public let intrinsicDimension: Int
    public let radius: Double
    public init(dimension: Int, radius: Double = 1) throws {
        guard dimension >= 1 else { throw DatasetParameterError("k", "the sphere dimension must be at least 1, got \(dimension)") }
        intrinsicDimension = dimension
        self.radius = radius
    }
    public var name: String { "sphere S^\(intrinsicDimension)" }
    public var nativeDimension: Int { intrinsicDimension + 1 }
    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        let m = nativeDimension
        var points = Matrix(rows: count, columns: m)
        var v = [Double](repeating: 0, count: m)
        for i in 0..<count {
            var norm = 0.0
            repeat {
                for j in 0..<m { v[j] = generator.normal() }
                norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            } while norm < 1e-12
            for j in 0..<m { points[i, j] = Float(radius * v[j] / norm) }
        }
        return ManifoldSample(points: points)
    }
}

/// The swiss roll (scikit-learn's make_swiss_roll): t = 1.5π(1 + 2u), h = 21v,
/// x = (t·cos t, h, t·sin t). Intrinsic dimension 2 in R^3; latent (t, h).
public struct SwissRoll: ManifoldSampler {
    public init() {}
    public var name: String { "swiss-roll" }
    public var intrinsicDimension: Int { 2 }
    public var nativeDimension: Int { 3 }
    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        var points = Matrix(rows: count, columns: 3)
        var latent = Matrix(rows: count, columns: 2)
        for i in 0..<count {
            let t = 1.5 * Double.pi * (1 + 2 * generator.uniform())
            let h = 21 * generator.uniform()
            points.set(row: i, t * cos(t), h, t * sin(t))
            latent.set(row: i, t, h)
        }
        return ManifoldSample(points: points, latent: latent)
    }
}

/// The S-curve (scikit-learn's make_s_curve): t = 3π(u − ½), h = 2v,
/// x = (sin t, h, sign(t)·(cos t − 1)). Intrinsic dimension 2 in R^3; latent (t, h).
public struct SCurve: ManifoldSampler {
    public init() {}
    public var name: String { "s-curve" }
    public var intrinsicDimension: Int { 2 }
    public var nativeDimension: Int { 3 }
    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        var points = Matrix(rows: count, columns: 3)
        var latent = Matrix(rows: count, columns: 2)
        for i in 0..<count {
            let t = 3 * Double.pi * (generator.uniform() - 0.5)
            let h = 2 * generator.uniform()
            let sign: Double = t < 0 ? -1 : (t > 0 ? 1 : 0)
            points.set(row: i, sin(t), h, sign * (cos(t) - 1))
            latent.set(row: i, t, h)
        }
        return ManifoldSample(points: points, latent: latent)
    }
}

/// A closed helix wound around a torus (BenchmarkManifolds' M5a "Helix1d"):
/// t uniform on [0, 2π), x = ((R + cos wt)·cos t, (R + cos wt)·sin t, sin wt) with
/// R = 2 and w = 8 windings. Intrinsic dimension 1 in R^3; latent t.
public struct Helix: ManifoldSampler {
    public let majorRadius: Double
    public let windings: Double
    public init(majorRadius: Double = 2, windings: Double = 8) {
        self.majorRadius = majorRadius
        self.windings = windings
    }
    public var name: String { "helix" }
    public var intrinsicDimension: Int { 1 }
    public var nativeDimension: Int { 3 }
    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        var points = Matrix(rows: count, columns: 3)
        var latent = Matrix(rows: count, columns: 1)
        for i in 0..<count {
            let t = 2 * Double.pi * generator.uniform()
            let rho = majorRadius + cos(windings * t)
            points.set(row: i, rho * cos(t), rho * sin(t), sin(windings * t))
            latent[i, 0] = Float(t)
        }
        return ManifoldSample(points: points, latent: latent)
    }
}

/// A Möbius strip of width 1 around the unit circle with τ half-twists:
/// φ uniform on [0, 2π), s uniform on [−1, 1],
/// x = ((1 + s/2·cos(τφ/2))·cos φ, (1 + s/2·cos(τφ/2))·sin φ, s/2·sin(τφ/2)).
/// τ = 1 is the classic (non-orientable) strip; BenchmarkManifolds' M11 is τ = 10.
/// Uniform in (φ, s), not exactly in area. Intrinsic dimension 2 in R^3; latent (φ, s).
public struct MoebiusStrip: ManifoldSampler {
    public let halfTwists: Int
    public init(halfTwists: Int = 1) { self.halfTwists = halfTwists }
    public var name: String { "moebius" }
    public var intrinsicDimension: Int { 2 }
    public var nativeDimension: Int { 3 }
    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        var points = Matrix(rows: count, columns: 3)
        var latent = Matrix(rows: count, columns: 2)
        let tau = Double(halfTwists)
        for i in 0..<count {
            let phi = 2 * Double.pi * generator.uniform()
            let s = generator.uniform(-1, 1)
            let rho = 1 + 0.5 * s * cos(tau * phi / 2)
            points.set(row: i, rho * cos(phi), rho * sin(phi), 0.5 * s * sin(tau * phi / 2))
            latent.set(row: i, phi, s)
        }
        return ManifoldSample(points: points, latent: latent)
    }
}

/// Uniform (in area) on the torus in R^3 with major radius R and tube radius r < R
/// (scikit-dimension's torus, R = 1, r = 0.25): angles by rejection on the area element
/// (R + r·cos θ) dφ dθ; x = ((R + r cos θ) cos φ, (R + r cos θ) sin φ, r sin θ).
/// Intrinsic dimension 2; latent (φ, θ).
public struct Torus: ManifoldSampler {
    public let majorRadius: Double
    public let minorRadius: Double
    public init(majorRadius: Double = 1, minorRadius: Double = 0.25) throws {
        guard minorRadius > 0, majorRadius > minorRadius else {
            throw DatasetParameterError("radius", "a torus needs 0 < tube radius < major radius, got \(minorRadius) and \(majorRadius)")
        }
        self.majorRadius = majorRadius
        self.minorRadius = minorRadius
    }
    public var name: String { "torus" }
    public var intrinsicDimension: Int { 2 }
    public var nativeDimension: Int { 3 }
    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        var points = Matrix(rows: count, columns: 3)
        var latent = Matrix(rows: count, columns: 2)
        let (R, r) = (majorRadius, minorRadius)
        for i in 0..<count {
            var phi = 0.0, theta = 0.0
            repeat {
                phi = 2 * Double.pi * generator.uniform()
                theta = 2 * Double.pi * generator.uniform()
            } while generator.uniform(0, R + r) >= R + r * cos(theta)
            let rho = R + r * cos(theta)
            points.set(row: i, rho * cos(phi), rho * sin(phi), r * sin(theta))
            latent.set(row: i, phi, theta)
        }
        return ManifoldSample(points: points, latent: latent)
    }
}

extension Matrix {
    /// Writes two values (Double → Float) into row `i`.
    @inline(__always) mutating func set(row i: Int, _ a: Double, _ b: Double) {
        self[i, 0] = Float(a); self[i, 1] = Float(b)
    }
    /// Writes three values (Double → Float) into row `i`.
    @inline(__always) mutating func set(row i: Int, _ a: Double, _ b: Double, _ c: Double) {
        self[i, 0] = Float(a); self[i, 1] = Float(b); self[i, 2] = Float(c)
    }
}
