import Foundation
import Linalg

/// ESS, the Expected Simplex Skewness dimension (Johnsson, Soneson & Fontes 2015, "Low bias
/// local intrinsic dimension estimation from expected simplex skewness", IEEE TPAMI 37,
/// 196–202), with scikit-dimension 0.5.0's `ESS` conventions (`ver="a"`, d = 1, 100
/// neighbours, global value the mean of the pointwise ones).
///
/// At each point, its `neighbors` nearest neighbours are centred on their mean; for every
/// pair of the centred vectors a, b the "simplex volume" |a||b|·sin θ = √(|a|²|b|² − (a·b)²)
/// is compared with the product of lengths |a||b|:
///   ESS = Σ_pairs √(|a|²|b|² − (a·b)²) / Σ_pairs |a||b|.
/// For uniform data in an m-ball the expectation is known in closed form
///   ESS(m) = f₁(m)·f₂(m) (Johnsson et al., eq. 8; `reference(upTo:)`),
/// increasing in m (ESS(2) = 2/π); the local dimension is the m where the closed form meets
/// the measured value, linearly interpolated between integers. With 100 neighbours there are
/// 4 950 pairs, fewer than scikit-dimension's sampling cap of 5 000, so every pair is used
/// and the estimate is deterministic.
public struct ExpectedSimplexSkewnessDimension: Sendable, Hashable {
    /// Neighbours per local patch.
    public let neighbors: Int
    /// The local estimates (points whose patch has zero spread are left out).
    public let pointwise: [Double]
    /// Their mean.
    public let dimension: Double
    /// Points left out (a patch of coincident points: ESS is 0/0).
    public let excludedPoints: Int

    /// Estimates from a neighbour search of at least `neighbors` per point on the rows of `x`.
    /// O(N·m²·D) in Double (the Gram matrices through `cblas_dsyrk`), m = `neighbors`; the patches are spread over `workers` threads.
    public init(of x: Matrix, neighbors search: NearestNeighbors, neighbors m: Int = 100, workers: Int = BLAS.threads) throws {
        guard m >= 3 else { throw DimensionError.invalidParameter("ESS needs at least 3 neighbours per patch, got \(m)") }
        guard search.k >= m else {
            throw DimensionError.invalidParameter("ESS needs \(m) neighbours per point, the search found \(search.k)")
        }
        let n = x.rows, dim = x.columns
        var values = [Double](repeating: .nan, count: n)
        let chunks = (n + 63) / 64
        let threads = max(1, min(workers, chunks))
        // Each thread makes its own single-threaded BLAS calls.
        BLAS.withSingleThreadedCalls { values.withUnsafeMutableBufferPointer { out in
            let output = UnsafeSendable(out)
            x.elements.withUnsafeBufferPointer { p in
                let points = UnsafeSendable(p)
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    var centred = [Double](repeating: 0, count: m * dim)
                    var gram = [Double](repeating: 0, count: m * m)
                    var c = t
                    while c < chunks {
                        for i in (c * 64)..<min(n, (c + 1) * 64) {
                            output.value[i] = Self.localSkewness(points.value, dim: dim,
                                                                 indices: search.indices[(i * search.k)..<(i * search.k + m)],
                                                                 centred: &centred, gram: &gram)
                        }
                        c += threads
                    }
                }
            }
        } }
        try Cancellation.checkpoint()
        let ess = values.filter(\.isFinite)
        guard !ess.isEmpty else { throw DimensionError.degenerate("ESS: every neighbourhood has zero spread (duplicate points)") }
        let reference = ESSReference()
        pointwise = ess.map { reference.dimension(of: $0) }
        dimension = pointwise.reduce(0, +) / Double(pointwise.count)
        neighbors = m
        excludedPoints = n - ess.count
    }

    /// ESS of one patch (NaN when all its vectors are zero).
    static func localSkewness(_ p: UnsafeBufferPointer<Float>, dim: Int, indices: ArraySlice<Int32>,
                              centred: inout [Double], gram: inout [Double]) -> Double {
        let m = indices.count
        var mean = [Double](repeating: 0, count: dim)
        for j in indices { for c in 0..<dim { mean[c] += Double(p[Int(j) * dim + c]) } }
        for c in 0..<dim { mean[c] /= Double(m) }
        for (a, j) in indices.enumerated() { for c in 0..<dim { centred[a * dim + c] = Double(p[Int(j) * dim + c]) - mean[c] } }
        // The Gram matrix of the centred vectors (upper triangle) through OpenBLAS.
        centred.withUnsafeBufferPointer { a in
            gram.withUnsafeMutableBufferPointer { g in
                guard let a = a.baseAddress, let g = g.baseAddress else { return }
                dsyrkUpper(n: m, k: dim, a: a, lda: dim, c: g, ldc: m)
            }
        }
        var volume = 0.0, weight = 0.0
        for a in 0..<m {
            let gaa = gram[a * m + a]
            for b in (a + 1)..<m {
                let gbb = gram[b * m + b], gab = gram[a * m + b]
                let product = gaa * gbb
                volume += abs(product - gab * gab).squareRoot()
                weight += product.squareRoot()
            }
        }
        return weight > 0 ? volume / weight : .nan
    }
}

/// The closed-form ESS of uniform m-ball data (`ver="a"`, d = 1), computed as far as asked.
struct ESSReference {
    /// ESS(m) for m = 1…M (scikit-dimension's `_essReference(M)`):
    /// f₁(m) = Γ(½)/Γ(1)·Π_{j<m, j odd, j ≡ m} j/(j+1) for odd m, Γ(1)/Γ(3/2)·Π … for even m;
    /// f₂(m) = Γ(1)/Γ(½)·Π_{j<m} j/(j−1) over even j ≥ 2 for even m, Γ(3/2)/Γ(1)·Π over odd
    /// j ≥ 3 for odd m ≥ 3, and f₂(1) = 0.
    static func reference(upTo maxDimension: Int) -> [Double] {
        var out = [Double](repeating: 0, count: maxDimension)
        let sqrtPi = Double.pi.squareRoot()
        var f1Odd = sqrtPi, f1Even = 2 / sqrtPi           // Γ(½)/Γ(1), Γ(1)/Γ(3/2)
        var f2Even = 1 / sqrtPi, f2Odd = sqrtPi / 2       // Γ(1)/Γ(½) at m = 2, Γ(3/2)/Γ(1) at m = 3
        for m in 1...maxDimension {
            let f1: Double, f2: Double
            if m % 2 == 1 {
                f1 = f1Odd; f1Odd *= Double(m) / Double(m + 1)
                if m >= 3 { f2 = f2Odd; f2Odd *= Double(m) / Double(m - 1) } else { f2 = 0 }
            } else {
                f1 = f1Even; f1Even *= Double(m) / Double(m + 1)
                f2 = f2Even; f2Even *= Double(m) / Double(m - 1)
            }
            out[m - 1] = f1 * f2
        }
        return out
    }

    private let values: [Double]
    init() { values = ESSReference.reference(upTo: 2000) }

    /// The m where the closed form meets `ess`, linear between integers (the bisection of
    /// scikit-dimension's `_essLocalDimEst`).
    func dimension(of ess: Double) -> Double {
        // values[m−1] = ESS(m), increasing; find the last m with ESS(m) ≤ ess.
        var lo = 0, hi = values.count - 1
        guard ess < values[hi] else { return Double(values.count) }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if values[mid] <= ess { lo = mid } else { hi = mid }
        }
        let m = lo + 1
        return Double(m) + (ess - values[lo]) / (values[lo + 1] - values[lo])
    }
}

/// A pointer handed to concurrent workers that write disjoint parts of it.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
