import Foundation
import Linalg

/// The nonlinear benchmark manifolds of Hein & Audibert (2005), as implemented in
/// scikit-dimension's `BenchmarkManifolds` (adapted from GeoMLE):
///
/// - (k, D) = (4, 6), "M3_Nonlinear_4to6", p ~ U[0,1]^4:
///   (p₁² cos 2πp₀, p₂² sin 2πp₀, p₁ + p₂ + (p₁ − p₃)², p₁ − 2p₂ + (p₀ − p₃)²,
///    −p₁ − 2p₂ + (p₂ − p₃)², p₀² − p₁² + p₂² − p₃²)
/// - D = 2·m·k for an integer m ≥ 1 (M4 = (4, 8), M6 = (6, 36), M8 = (12, 72)):
///   p ~ U[0,1]^k, the 2k coordinates p_{i+1}·cos 2πpᵢ, p_{i+1}·sin 2πpᵢ for i = 0…k−1
///   (indices cyclic), repeated m times.
/// - Any other D ≥ 2k (an extension, e.g. (3, 10)): the same 2k coordinates repeated
///   cyclically until D columns are filled. The first block alone already determines p
///   (pair i has radius p_{i+1} and angle 2πpᵢ), so the intrinsic dimension stays k.
///
/// Latent p. Reference: M. Hein and J.-Y. Audibert, "Intrinsic dimensionality estimation
/// of submanifolds in R^d", ICML 2005; P. Campadelli et al., "Intrinsic dimension
/// estimation: relevant techniques and a benchmark framework", 2015.
public struct NonlinearBenchmark: ManifoldSampler {
    public let intrinsicDimension: Int
    public let nativeDimension: Int

    /// (k, D) = (4, 6), or any D ≥ 2k (the benchmark's own pairs are D = 2·m·k).
    public init(dimension k: Int, ambient d: Int) throws {
        guard k >= 1 else { throw DatasetParameterError("k", "the intrinsic dimension must be at least 1, got \(k)") }
        guard (k == 4 && d == 6) || d >= 2 * k else {
            throw DatasetParameterError("ambient", "the nonlinear manifolds need (k, D) = (4, 6) or D ≥ 2k (benchmark pairs (4, 8), (6, 36), (12, 72)); got (\(k), \(d))")
        }
        intrinsicDimension = k
        nativeDimension = d
    }

    public var name: String { "nonlinear (\(intrinsicDimension), \(nativeDimension))" }

    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        let k = intrinsicDimension, d = nativeDimension
        let p = generator.uniformMatrix(rows: count, columns: k)
        var points = Matrix(rows: count, columns: d)
        let twoPi = 2 * Double.pi
        for i in 0..<count {
            if k == 4 && d == 6 {
                let (p0, p1, p2, p3) = (Double(p[i, 0]), Double(p[i, 1]), Double(p[i, 2]), Double(p[i, 3]))
                points.set(row: i, p1 * p1 * cos(twoPi * p0), p2 * p2 * sin(twoPi * p0), p1 + p2 + (p1 - p3) * (p1 - p3))
                points[i, 3] = Float(p1 - 2 * p2 + (p0 - p3) * (p0 - p3))
                points[i, 4] = Float(-p1 - 2 * p2 + (p2 - p3) * (p2 - p3))
                points[i, 5] = Float(p0 * p0 - p1 * p1 + p2 * p2 - p3 * p3)
            } else {
                for j in 0..<k {
                    let angle = twoPi * Double(p[i, j])
                    let r = Double(p[i, (j + 1) % k])
                    let (c, s) = (Float(r * cos(angle)), Float(r * sin(angle)))
                    var column = 2 * j
                    while column < d {
                        points[i, column] = c
                        if column + 1 < d { points[i, column + 1] = s }
                        column += 2 * k
                    }
                }
            }
        }
        return ManifoldSample(points: points, latent: p)
    }
}
