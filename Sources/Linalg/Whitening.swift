import Foundation

/// The whitening map x ↦ Λ^{-1/2}·Vᵀ·(x − μ) of a data set, where Σ = V·Λ·Vᵀ is its sample
/// covariance (divisor n−1, in Double) from `SymmetricEigen`.
///
/// Whitened data have mean 0 and identity sample covariance, so an isotropic kernel fits any
/// linear correlation. Differential entropy transforms as h(AX + b) = h(X) + ln|det A|
/// (Cover & Thomas, Elements of Information Theory, Thm 8.6.4): with A = Λ^{-1/2}·Vᵀ,
/// h(x) = h(whitened) + ½·ln det Σ, and `logDeterminant` is that ln det Σ.
///
/// A degenerate covariance (a constant coordinate such as a dead code unit, or collinear
/// coordinates) is detected by its numerical `rank`; `whiten` then throws
/// `DegenerateCovarianceError` instead of dividing by zero.
/// Complexity: O(n·d²) for the covariance (BLAS dsyrk), O(d³) for the eigen-decomposition,
/// O(n·d²) for `whiten` (BLAS sgemm).
public struct Whitening: Sendable {
    /// Column means μ (d values).
    public let mean: [Double]
    /// Eigenvalues of the sample covariance, descending.
    public let eigenvalues: [Double]
    /// Eigenvectors as columns, row-major d×d (as in `SymmetricEigen`).
    public let eigenvectors: [Double]
    /// Number of eigenvalues above `relativeTolerance`·λ_max: the dimension of the affine
    /// subspace the data fill.
    public let rank: Int
    /// Eigenvalues at or below this fraction of the largest count as zero.
    public let relativeTolerance: Double

    /// The dimension d of the data.
    public var dimension: Int { mean.count }
    /// True when the covariance has full rank, so `whiten` and `logDeterminant` are defined.
    public var isFullRank: Bool { rank == dimension }
    /// ln det Σ = Σ ln λⱼ, in nats (−∞ when the covariance is degenerate).
    public var logDeterminant: Double {
        guard isFullRank else { return -.infinity }
        return eigenvalues.reduce(0) { $0 + Foundation.log($1) }
    }

    /// Fits the whitening map of the rows of `x` (n×d, n ≥ 2).
    ///
    /// The default tolerance 1e-9 sits far above the round-off of a covariance of Float32
    /// data (relative ≈ 1e-14 for exactly collinear columns) and far below any direction a
    /// real code uses.
    /// - Throws: `LinalgError.singular` for fewer than two rows or non-finite values,
    ///   `LinalgError.eigenDecompositionFailed` if LAPACK does not converge.
    public init(fitting x: Matrix, relativeTolerance: Double = 1e-9) throws {
        guard x.rows >= 2, x.columns >= 1 else {
            throw LinalgError.singular("whitening needs at least 2 points in at least 1 dimension, have \(x.rows)×\(x.columns)")
        }
        guard x.isFinite else { throw LinalgError.singular("the data to whiten contain NaN or infinite values") }
        let eigen = try SymmetricEigen(x.covariance())
        mean = x.columnMeans()
        eigenvalues = eigen.values
        eigenvectors = eigen.vectors
        self.relativeTolerance = relativeTolerance
        let largest = eigen.values.first ?? 0
        rank = largest > 0 ? eigen.values.filter { $0 > relativeTolerance * largest }.count : 0
    }

    /// The rows of `x` (same d as the fitted data) mapped to Λ^{-1/2}·Vᵀ·(x − μ).
    /// - Throws: `DegenerateCovarianceError` when the covariance is not of full rank.
    public func whiten(_ x: Matrix) throws -> Matrix {
        precondition(x.columns == dimension, "whiten: \(x.columns) columns, fitted on \(dimension)")
        guard isFullRank else {
            throw DegenerateCovarianceError(rank: rank, dimension: dimension, eigenvalues: eigenvalues)
        }
        let d = dimension
        // W = V·Λ^{-1/2} (d×d), applied as rows: y = (x − μ)·W.
        var w = Matrix(rows: d, columns: d)
        for i in 0..<d {
            for j in 0..<d { w.elements[i * d + j] = Float(eigenvectors[i * d + j] / eigenvalues[j].squareRoot()) }
        }
        var centred = x
        let mu = mean.map(Float.init)
        centred.elements.withUnsafeMutableBufferPointer { p in
            for i in 0..<x.rows { for j in 0..<d { p[i * d + j] -= mu[j] } }
        }
        var out = Matrix(rows: x.rows, columns: d)
        gemm(centred, .none, w, .none, into: &out)
        return out
    }
}

/// The data lie in a lower-dimensional affine subspace: their covariance has rank < d, so
/// they have no density in d dimensions (their differential entropy is −∞).
public struct DegenerateCovarianceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The numerical rank of the covariance.
    public var rank: Int
    /// The dimension d of the data.
    public var dimension: Int
    /// The covariance eigenvalues, descending.
    public var eigenvalues: [Double]
    public init(rank: Int, dimension: Int, eigenvalues: [Double]) {
        self.rank = rank
        self.dimension = dimension
        self.eigenvalues = eigenvalues
    }
    public var description: String {
        let smallest = eigenvalues.suffix(dimension - rank).map { String(format: "%.3g", $0) }.joined(separator: ", ")
        let largest = eigenvalues.first.map { String(format: "%.3g", $0) } ?? "0"
        return "the covariance of the \(dimension)-dimensional data has rank \(rank): they lie in a \(rank)-dimensional "
            + "affine subspace (smallest eigenvalues \(smallest) against largest \(largest)), so they have no density "
            + "in \(dimension) dimensions; drop constant or collinear coordinates (a dead code unit?) first"
    }
}
