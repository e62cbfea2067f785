import CBLAS
import Foundation

/// A symmetric positive semi-definite matrix in Double, row-major (d×d).
public struct SymmetricMatrix: Sendable, Equatable {
    public let dimension: Int
    public var elements: [Double]
    public init(dimension: Int, elements: [Double]) {
        precondition(elements.count == dimension * dimension)
        self.dimension = dimension
        self.elements = elements
    }
    public subscript(i: Int, j: Int) -> Double { elements[i * dimension + j] }
}

extension Matrix {
    /// Mean of each column, accumulated in Double.
    public func columnMeans() -> [Double] {
        var sums = [Double](repeating: 0, count: columns)
        elements.withUnsafeBufferPointer { p in
            for i in 0..<rows {
                let base = i * columns
                for j in 0..<columns { sums[j] += Double(p[base + j]) }
            }
        }
        let n = Double(max(rows, 1))
        return sums.map { $0 / n }
    }

    /// The sample covariance (divisor n−1) in Double, by `cblas_dsyrk` on the centred data.
    /// O(n·d²) flops in BLAS.
    public func covariance() -> SymmetricMatrix {
        let mu = columnMeans()
        let d = columns
        var centred = [Double](repeating: 0, count: rows * d)
        elements.withUnsafeBufferPointer { p in
            for i in 0..<rows {
                for j in 0..<d { centred[i * d + j] = Double(p[i * d + j]) - mu[j] }
            }
        }
        var c = [Double](repeating: 0, count: d * d)
        if rows > 1 && d > 0 {
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(rows),
                        1.0 / Double(rows - 1), centred, Int32(d), 0, &c, Int32(d))
            for i in 0..<d { for j in 0..<i { c[i * d + j] = c[j * d + i] } }
        }
        return SymmetricMatrix(dimension: d, elements: c)
    }

    /// Each column minus its mean (a copy).
    public func centred() -> Matrix {
        let mu = columnMeans().map(Float.init)
        var out = self
        out.elements.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows { for j in 0..<columns { p[i * columns + j] -= mu[j] } }
        }
        return out
    }
}

/// Eigen-decomposition of a symmetric matrix, A = V·diag(λ)·Vᵀ, by LAPACK `dsyevd`
/// (divide and conquer) from OpenBLAS.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in descending order.
    public let values: [Double]
    /// Eigenvectors as columns, row-major d×d: `vectors[i*d + j]` is component i of the
    /// eigenvector of `values[j]`.
    public let vectors: [Double]
    public let dimension: Int

    /// Fails only when LAPACK reports non-convergence (`info > 0`), returned as an error.
    public init(_ a: SymmetricMatrix) throws {
        let n = a.dimension
        dimension = n
        guard n > 0 else { values = []; vectors = []; return }
        // LAPACK is column-major; a symmetric matrix is its own transpose.
        var m = a.elements
        var w = [Double](repeating: 0, count: n)
        var jobz = Int8(UInt8(ascii: "V")), uplo = Int8(UInt8(ascii: "U"))
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        var wq = [Double](repeating: 0, count: 1), iwq = [Int32](repeating: 0, count: 1)
        dsyevd_(&jobz, &uplo, &nn, &m, &lda, &w, &wq, &lwork, &iwq, &liwork, &info)
        lwork = Int32(wq[0]); liwork = iwq[0]
        var work = [Double](repeating: 0, count: Int(max(lwork, 1)))
        var iwork = [Int32](repeating: 0, count: Int(max(liwork, 1)))
        dsyevd_(&jobz, &uplo, &nn, &m, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        guard info == 0 else { throw LinalgError.eigenDecompositionFailed(info: Int(info)) }
        // m now holds eigenvectors column-major: column j (ascending λ) at m[j*n ..< (j+1)*n].
        var vals = [Double](repeating: 0, count: n)
        var vecs = [Double](repeating: 0, count: n * n)
        for jj in 0..<n {
            let src = n - 1 - jj // descending order
            vals[jj] = w[src]
            for i in 0..<n { vecs[i * n + jj] = m[src * n + i] }
        }
        values = vals
        vectors = vecs
    }
}

/// Numerical failures in Linalg, surfaced as errors with context rather than NaNs.
public enum LinalgError: Error, Equatable, CustomStringConvertible {
    case eigenDecompositionFailed(info: Int)
    case singular(String)
    public var description: String {
        switch self {
        case .eigenDecompositionFailed(let info): "the symmetric eigen-decomposition did not converge (LAPACK dsyevd info = \(info))"
        case .singular(let what): "singular matrix: \(what)"
        }
    }
}
