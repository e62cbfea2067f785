import Entropy
import Foundation
import Linalg

/// Mutual information from Gaussian-KDE entropies (leave-one-out, maximum-likelihood
/// bandwidth, whitened, `KernelEntropy`) — the estimator the talk applies to autoencoder
/// codes (Butakov et al., "Information Bottleneck Analysis of Deep Neural Networks via Lossy
/// Compression", ICLR 2024):
///
///     I(A;B) = H(A) + H(B) − H(A, B),    I(B;Y) = H(B) − Σ_y p(y)·H(B | Y = y).
///
/// Meant for low-dimensional codes: KDE's bias grows quickly with the dimension of (A, B).
/// Cost: O(n²·(d_A + d_B)) flops per entropy in sgemm and O(n²) exps per bandwidth pass.
public struct KernelMutualInformation: Sendable {
    public var threads: Int
    public init(threads: Int? = nil) { self.threads = max(1, threads ?? BLAS.threads) }

    /// I(A;B) for paired rows of `a` and `b`, nats.
    /// - Throws: `EntropyError` / `DegenerateCovarianceError` from the entropy estimates, or
    ///   `EntropyError.invalidParameter` when the row counts differ.
    public func information(_ a: Matrix, _ b: Matrix) throws -> Double {
        guard a.rows == b.rows else { throw EntropyError.invalidParameter("\(a.rows) rows against \(b.rows)") }
        return try entropy(a) + entropy(b) - entropy(Self.joined(a, b))
    }

    /// I(B;Y) for rows `b` and one discrete label per row, nats.
    public func labelInformation(_ b: Matrix, labels: [Int]) throws -> Double {
        guard labels.count == b.rows else { throw EntropyError.invalidParameter("\(labels.count) labels for \(b.rows) rows") }
        var byClass = [Int: [Int]]()
        for (i, y) in labels.enumerated() { byClass[y, default: []].append(i) }
        var conditional = 0.0
        for y in byClass.keys.sorted() {
            let rows = byClass[y] ?? []
            conditional += Double(rows.count) / Double(b.rows) * (try entropy(b.rows(at: rows)))
        }
        return try entropy(b) - conditional
    }

    func entropy(_ x: Matrix) throws -> Double {
        try KernelEntropy(estimator: .leaveOneOut, bandwidth: .leaveOneOutML, whiten: true, threads: threads).estimate(x).value
    }

    /// The columns of `a` followed by those of `b`, row by row.
    static func joined(_ a: Matrix, _ b: Matrix) -> Matrix {
        var out = Matrix(rows: a.rows, columns: a.columns + b.columns)
        for i in 0..<a.rows {
            for k in 0..<a.columns { out[i, k] = a[i, k] }
            for k in 0..<b.columns { out[i, a.columns + k] = b[i, k] }
        }
        return out
    }
}
