import Foundation
import Linalg

/// Point sets of known intrinsic dimension for the tests, drawn with SeededGenerator.
enum SyntheticManifolds {
    /// Uniform on the cube [0, 1]^k, placed in R^ambient by k orthonormal directions
    /// (an isometry, so distances and the dimension are those of the cube).
    static func embeddedCube(k: Int, ambient: Int = 50, count: Int = 5000, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        let cube = g.uniformMatrix(rows: count, columns: k)
        // Gram–Schmidt on Gaussian vectors: k orthonormal rows of length `ambient`.
        var basis = [[Double]]()
        while basis.count < k {
            var v = (0..<ambient).map { _ in g.normal() }
            for b in basis {
                let dot = zip(v, b).reduce(0) { $0 + $1.0 * $1.1 }
                for i in v.indices { v[i] -= dot * b[i] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            basis.append(v.map { $0 / norm })
        }
        let q = Matrix(basis.map { $0.map(Float.init) })
        return cube.multiplied(by: q)
    }

    /// Uniform on the unit sphere S^4 ⊂ R^5 (normalised Gaussian vectors).
    static func sphere4(count: Int = 5000, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        var rows = [[Float]]()
        for _ in 0..<count {
            let v = (0..<5).map { _ in g.normal() }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            rows.append(v.map { Float($0 / norm) })
        }
        return Matrix(rows)
    }

    /// The swiss roll of scikit-learn's `make_swiss_roll`: t ∈ 1.5π(1 + 2u), height 21·v,
    /// (t cos t, height, t sin t). Intrinsic dimension 2.
    static func swissRoll(count: Int = 5000, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        var rows = [[Float]]()
        for _ in 0..<count {
            let t = 1.5 * Double.pi * (1 + 2 * g.uniform())
            let h = 21 * g.uniform()
            rows.append([Float(t * cos(t)), Float(h), Float(t * sin(t))])
        }
        return Matrix(rows)
    }
}
