import Entropy
import Foundation
import Linalg

/// The plug-in Î(X;Y) = Ĥ(X) + Ĥ(Y) − Ĥ(X, Y) with the project's whitened leave-one-out
/// Gaussian-KDE entropy (`KernelEntropy`, bandwidth by leave-one-out maximum likelihood;
/// Beirlant et al. 1997 §3). Its bias grows quickly with d_x + d_y: the three entropies'
/// errors do not cancel once the kernel's smoothing dominates. Cost: three entropy
/// estimates, O(n²·(d_x + d_y)) flops each in sgemm.
public struct KernelPluginMutualInformation: Sendable {
    public var threads: Int
    public init(threads: Int? = nil) { self.threads = max(1, threads ?? BLAS.threads) }

    public var label: String { "KDE plug-in" }

    /// Î(X;Y) in nats.
    public func information(_ x: Matrix, _ y: Matrix) throws -> Double {
        guard x.rows == y.rows else { throw MutualInformationError.rowMismatch(x: x.rows, y: y.rows) }
        let kde = KernelEntropy(estimator: .leaveOneOut, bandwidth: .leaveOneOutML, whiten: true, threads: threads)
        return try kde.estimate(x).value + kde.estimate(y).value - kde.estimate(joined(x, y)).value
    }
}
