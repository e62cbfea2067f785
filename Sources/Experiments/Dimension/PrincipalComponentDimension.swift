import Linalg

/// The linear (PCA) dimension: the fewest principal components whose eigenvalues explain
/// at least a fraction `threshold` of the total variance (Jolliffe 2002, "Principal
/// Component Analysis", §6.1.1). Exact for data in a linear subspace; an upper bound on a
/// curved manifold's dimension.
public struct PrincipalComponentDimension: Sendable, Hashable {
    /// Eigenvalues of the sample covariance, descending (variances along the components).
    public let eigenvalues: [Double]
    /// Cumulative explained-variance fractions, one per component.
    public let cumulativeExplained: [Double]
    /// The fraction of variance the components must explain.
    public let threshold: Double
    /// The fewest components reaching `threshold`.
    public let dimension: Int

    /// Covariance (O(N·D²) in BLAS) and its eigen-decomposition (O(D³) in LAPACK).
    public init(of x: Matrix, threshold: Double = 0.95) throws {
        guard threshold > 0, threshold <= 1 else {
            throw DimensionError.invalidParameter("the explained-variance threshold must be in (0, 1], got \(threshold)")
        }
        guard x.rows >= 2 else { throw DimensionError.tooFewPoints(needed: 2, have: x.rows, estimator: "PCA") }
        guard x.isFinite else { throw DimensionError.nonFinite("the data") }
        let eigen = try SymmetricEigen(x.covariance())
        // Round-off can make the smallest eigenvalues slightly negative.
        let values = eigen.values.map { max($0, 0) }
        let total = values.reduce(0, +)
        guard total > 0 else { throw DimensionError.degenerate("PCA: the data have zero variance") }
        var running = 0.0
        let cumulative = values.map { running += $0; return running / total }
        // A tiny slack keeps an exactly reached threshold (e.g. 1.0) from being missed by round-off.
        let reached = cumulative.firstIndex { $0 >= threshold - 1e-12 } ?? (values.count - 1)
        self.eigenvalues = values
        self.cumulativeExplained = cumulative
        self.threshold = threshold
        self.dimension = reached + 1
    }
}
