import Foundation
import Linalg

/// The 24 benchmark manifolds of scikit-dimension 0.5.0's `BenchmarkManifolds` (Hein &
/// Audibert 2005, "Intrinsic dimensionality estimation of submanifolds in R^d", ICML;
/// Campadelli, Casiraghi, Ceruti & Rozza 2015, "Intrinsic dimension estimation: relevant
/// techniques and a benchmark framework", Math. Probl. Eng.; adapted there from GeoMLE),
/// ported formula by formula with the project's seeded generator. `id` is scikit-dimension's
/// key ("M5a_Helix1d"); (k, D) its intrinsic and ambient dimension.
public struct ScikitDimensionManifold: ManifoldSampler {
    /// The generator of each benchmark.
    public enum Kind: String, Sendable, CaseIterable {
        case sphere, affine3to5, nonlinear4to6, nonlinear, helix1, helix2, roll, affine, cubic, moebius, norm
        case scurve, spiral, beta, campadelliN, paraboloid
    }

    public let id: String
    public let kind: Kind
    public let intrinsicDimension: Int
    public let nativeDimension: Int
    public var name: String { id }

    /// The 24, in scikit-dimension's order.
    public static let all: [ScikitDimensionManifold] = [
        .init("M1_Sphere", .sphere, 10, 11), .init("M2_Affine_3to5", .affine3to5, 3, 5),
        .init("M3_Nonlinear_4to6", .nonlinear4to6, 4, 6), .init("M4_Nonlinear", .nonlinear, 4, 8),
        .init("M5a_Helix1d", .helix1, 1, 3), .init("M5b_Helix2d", .helix2, 2, 3),
        .init("M6_Nonlinear", .nonlinear, 6, 36), .init("M7_Roll", .roll, 2, 3),
        .init("M8_Nonlinear", .nonlinear, 12, 72), .init("M9_Affine", .affine, 20, 20),
        .init("M10a_Cubic", .cubic, 10, 11), .init("M10b_Cubic", .cubic, 17, 18),
        .init("M10c_Cubic", .cubic, 24, 25), .init("M10d_Cubic", .cubic, 70, 71),
        .init("M11_Moebius", .moebius, 2, 3), .init("M12_Norm", .norm, 20, 20),
        .init("M13a_Scurve", .scurve, 2, 3), .init("M13b_Spiral", .spiral, 1, 13),
        .init("Mbeta", .beta, 10, 40), .init("Mn1_Nonlinear", .campadelliN, 18, 72),
        .init("Mn2_Nonlinear", .campadelliN, 24, 96), .init("Mp1_Paraboloid", .paraboloid, 3, 12),
        .init("Mp2_Paraboloid", .paraboloid, 6, 21), .init("Mp3_Paraboloid", .paraboloid, 9, 30),
    ]

    /// The benchmark named `id` (scikit-dimension's key), or nil.
    public static func named(_ id: String) -> ScikitDimensionManifold? { all.first { $0.id == id } }

    init(_ id: String, _ kind: Kind, _ k: Int, _ d: Int) {
        self.id = id
        self.kind = kind
        intrinsicDimension = k
        nativeDimension = d
    }

    public func sample(_ n: Int, using g: inout SeededGenerator) -> ManifoldSample {
        let k = intrinsicDimension, dim = nativeDimension
        var x = Matrix(rows: n, columns: dim)
        let pi = Double.pi
        func put(_ i: Int, _ values: Double...) { for (c, v) in values.enumerated() { x[i, c] = Float(v) } }
        switch kind {
        case .sphere:
            for i in 0..<n {
                let v = (0...k).map { _ in g.normal() }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for c in 0...k { x[i, c] = Float(v[c] / norm) }
            }
        case .norm:
            for i in 0..<n { for c in 0..<k { x[i, c] = Float(g.normal()) } }
        case .affine:
            for i in 0..<n { for c in 0..<k { x[i, c] = Float(g.uniform() * 5 - 2.5) } }
        case .affine3to5:
            let a: [[Double]] = [[1.2, -0.5, 0], [0.5, 0.9, 0], [-0.5, -0.2, 1], [0.4, -0.9, -0.1], [1.1, -0.3, 0]]
            let b: [Double] = [3, -1, 0, 0, 8]
            for i in 0..<n {
                let p = (0..<3).map { _ in 4 * g.uniform() }
                for r in 0..<5 { x[i, r] = Float(a[r][0] * p[0] + a[r][1] * p[1] + a[r][2] * p[2] + b[r]) }
            }
        case .nonlinear4to6, .nonlinear:
            // The Hein–Audibert formulas live in NonlinearBenchmark (one place).
            return (try? NonlinearBenchmark(dimension: k, ambient: dim))?.sample(n, using: &g) ?? ManifoldSample(points: x)
        case .helix1:
            for i in 0..<n {
                let t = 2 * pi / Double(n) + g.uniform() * 2 * pi
                put(i, (2 + cos(8 * t)) * cos(t), (2 + cos(8 * t)) * sin(t), sin(8 * t))
            }
        case .helix2:
            for i in 0..<n {
                let r = 10 * pi * g.uniform(), p = 10 * pi * g.uniform()
                put(i, r * cos(p), r * sin(p), 0.5 * p)
            }
        case .roll:
            for i in 0..<n {
                let t = 1.5 * pi * (1 + 2 * g.uniform()), p = 21 * g.uniform()
                put(i, t * cos(t), p, t * sin(t))
            }
        case .scurve:
            for i in 0..<n {
                let t = 3 * pi * (g.uniform() - 0.5), p = 2 * g.uniform()
                put(i, sin(t), p, (t < 0 ? -1 : (t > 0 ? 1 : 0)) * (cos(t) - 1))
            }
        case .spiral:
            for i in 0..<n {
                let t = 10 * pi * g.uniform()
                put(i, 100 * cos(t), 100 * sin(t), t)
            }
        case .moebius:
            for i in 0..<n {
                let phi = g.uniform() * 2 * pi, rad = g.uniform() * 2 - 1
                put(i, (1 + 0.5 * rad * cos(5 * phi)) * cos(phi), (1 + 0.5 * rad * cos(5 * phi)) * sin(phi), 0.5 * rad * sin(5 * phi))
            }
        case .cubic:
            // The faces of [0, 1]^(k+1), face by face (x_i = 0, then x_i = 1), the first n points.
            let once = n / (2 * (k + 1)) + 1
            var row = 0
            outer: for face in 0..<(k + 1) {
                for value in [Float(0), Float(1)] {
                    for _ in 0..<once {
                        guard row < n else { break outer }
                        for c in 0...k { x[row, c] = c == face ? value : Float(g.uniform()) }
                        row += 1
                    }
                }
            }
        case .campadelliN:
            for i in 0..<n {
                let u = (0..<k).map { _ in g.uniform() }
                for c in 0..<k {
                    let t1 = tan(u[c] * cos(u[k - 1 - c])), t2 = atan(u[k - 1 - c] * sin(u[c]))
                    x[i, c] = Float(t1); x[i, k + c] = Float(t2); x[i, 2 * k + c] = Float(t1); x[i, 3 * k + c] = Float(t2)
                }
            }
        case .beta:
            for i in 0..<n {
                for c in 0..<k {
                    let u = Self.beta(10, 0.5, &g)
                    let t1 = u * sin(cos(2 * pi * u)), t2 = u * cos(sin(2 * pi * u))
                    x[i, c] = Float(t1); x[i, k + c] = Float(t2); x[i, 2 * k + c] = Float(t1); x[i, 3 * k + c] = Float(t2)
                }
            }
        case .paraboloid:
            for i in 0..<n {
                let e0 = Self.exponential(&g)
                var p = (0..<k).map { _ in 1 / (1 + Self.exponential(&g) / e0) }
                p.append(p.reduce(0) { $0 + $1 * $1 })
                for c in 0...k {
                    x[i, c] = Float(p[c]); x[i, k + 1 + c] = Float(sin(p[c])); x[i, 2 * (k + 1) + c] = Float(p[c] * p[c])
                }
            }
        }
        return ManifoldSample(points: x)
    }

    static func exponential(_ g: inout SeededGenerator) -> Double {
        var u = g.uniform()
        while u <= 0 { u = g.uniform() }
        return -Foundation.log(u)
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000), with the U^{1/a} boost below shape 1.
    static func gamma(_ shape: Double, _ g: inout SeededGenerator) -> Double {
        if shape < 1 {
            var u = g.uniform()
            while u <= 0 { u = g.uniform() }
            return gamma(shape + 1, &g) * Foundation.pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = g.normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = g.uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if u > 0, Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }

    /// Beta(a, b) as Γa/(Γa + Γb).
    static func beta(_ a: Double, _ b: Double, _ g: inout SeededGenerator) -> Double {
        let x = gamma(a, &g), y = gamma(b, &g)
        return x / (x + y)
    }
}
