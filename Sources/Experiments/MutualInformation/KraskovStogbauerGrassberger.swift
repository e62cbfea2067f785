import Foundation
import Linalg

/// The k-nearest-neighbour mutual-information estimators of Kraskov, Stögbauer & Grassberger,
/// "Estimating mutual information", Phys. Rev. E 69, 066138 (2004), both variants, in the
/// max-norm of the joint space Z = (X, Y) (‖z‖ = max(‖x‖∞, ‖y‖∞)):
///
/// - KSG-1 (eq. 8): ε_i = distance of z_i to its k-th neighbour;
///   n_x(i) = #{j ≠ i: ‖x_i − x_j‖∞ < ε_i}, likewise n_y;
///   Î = ψ(k) + ψ(n) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩.
/// - KSG-2 (eq. 9): ε_x(i), ε_y(i) = the largest x- and y-distances among the k neighbours;
///   n_x(i) = #{j ≠ i: ‖x_i − x_j‖∞ ≤ ε_x(i)}, likewise n_y;
///   Î = ψ(k) − 1/k + ψ(n) − ⟨ψ(n_x) + ψ(n_y)⟩.
///
/// KSG-1 is scikit-learn's `_compute_mi_cc` (the estimator behind `mutual_info_regression`,
/// k = 3, which also rescales and jitters the data first).
///
/// Neighbours are exact: every distance is taken in Double from the Float32 data (a
/// difference of two Float32 values is exact in Double, and so is the max), so the counts
/// are those of a reference on the same numbers. The max-norm has no sgemm expansion, so
/// Linalg's Euclidean `NearestNeighbors` does not apply; this is a direct O(n²·(d_x + d_y))
/// scan, rows split over `threads` workers, O(n) memory per worker. Raw coordinates are
/// used as given: standardise (or Gaussianise, `MarginalGaussianisation`) first, as Kraskov
/// et al. advise, when the scales differ.
public struct KraskovStogbauerGrassberger: Sendable, Hashable {
    /// KSG's two estimators.
    public enum Variant: Int, Sendable, Hashable, CaseIterable {
        case first = 1, second = 2
    }

    /// Neighbours in the joint space (≥ 1).
    public var k: Int
    public var variant: Variant
    public var threads: Int

    public init(k: Int = 3, variant: Variant = .first, threads: Int? = nil) {
        self.k = k
        self.variant = variant
        self.threads = max(1, threads ?? BLAS.threads)
    }

    /// "KSG-1 (k = 3)".
    public var label: String { "KSG-\(variant.rawValue) (k = \(k))" }

    /// Î(X;Y) in nats for paired rows of `x` (n×d_x) and `y` (n×d_y). Not clipped at 0.
    /// - Throws: `MutualInformationError` for unpaired, too few (< k + 1) or non-finite rows,
    ///   `CancellationError` when a stop was requested.
    public func information(_ x: Matrix, _ y: Matrix) throws -> Double {
        let terms = try pointTerms(x, y)
        let n = x.rows
        let mean = terms.reduce(0, +) / Double(n)
        let constant = digamma(Double(k)) + digamma(Double(n)) - (variant == .second ? 1 / Double(k) : 0)
        return constant - mean
    }

    /// Per row i: ψ(n_x + 1) + ψ(n_y + 1) (KSG-1) or ψ(n_x) + ψ(n_y) (KSG-2).
    func pointTerms(_ x: Matrix, _ y: Matrix) throws -> [Double] {
        guard k >= 1 else { throw MutualInformationError.invalidParameter("k must be at least 1, not \(k)") }
        guard x.rows == y.rows else { throw MutualInformationError.rowMismatch(x: x.rows, y: y.rows) }
        let n = x.rows
        guard n >= k + 1 else { throw MutualInformationError.tooFewRows(needed: k + 1, have: n, estimator: label) }
        guard x.isFinite, y.isFinite else { throw MutualInformationError.invalidParameter("the data has NaN or infinite values") }
        let dx = x.columns, dy = y.columns
        let xs = x.elements.map(Double.init), ys = y.elements.map(Double.init)
        // ψ(m) for m = 0…n+1 (ψ(0) unused: counts in KSG-2 are ≥ 1).
        let psi = [0] + (1...(n + 1)).map { digamma(Double($0)) }
        let workers = max(1, min(threads, n / 64 + 1))
        let chunk = (n + workers - 1) / workers
        var terms = [Double](repeating: 0, count: n)
        let k = self.k, second = variant == .second
        let failed = ManagedFlag()
        terms.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let start = w * chunk, end = min(n, start + chunk)
                guard start < end else { return }
                var distX = [Double](repeating: 0, count: n), distY = [Double](repeating: 0, count: n)
                var bestD = [Double](repeating: .infinity, count: k), bestJ = [Int](repeating: -1, count: k)
                xs.withUnsafeBufferPointer { xp in
                    ys.withUnsafeBufferPointer { yp in
                        for i in start..<end {
                            if (i - start) % 256 == 0, Cancellation.isRequested { failed.set(); return }
                            for t in 0..<k { bestD[t] = .infinity; bestJ[t] = -1 }
                            let xi = i * dx, yi = i * dy
                            for j in 0..<n {
                                var a = 0.0
                                let xj = j * dx
                                for c in 0..<dx { a = max(a, abs(xp[xi + c] - xp[xj + c])) }
                                var b = 0.0
                                let yj = j * dy
                                for c in 0..<dy { b = max(b, abs(yp[yi + c] - yp[yj + c])) }
                                distX[j] = a; distY[j] = b
                                guard j != i else { continue }
                                let z = max(a, b)
                                if z < bestD[k - 1] {
                                    // Insert into the sorted k best (ties keep the earlier index).
                                    var p = k - 1
                                    while p > 0 && bestD[p - 1] > z { bestD[p] = bestD[p - 1]; bestJ[p] = bestJ[p - 1]; p -= 1 }
                                    bestD[p] = z; bestJ[p] = j
                                }
                            }
                            var nx = 0, ny = 0
                            if !second {
                                let eps = bestD[k - 1]
                                for j in 0..<n where j != i {
                                    if distX[j] < eps { nx += 1 }
                                    if distY[j] < eps { ny += 1 }
                                }
                                out[i] = psi[nx + 1] + psi[ny + 1]
                            } else {
                                var ex = 0.0, ey = 0.0
                                for t in 0..<k { let j = bestJ[t]; ex = max(ex, distX[j]); ey = max(ey, distY[j]) }
                                for j in 0..<n where j != i {
                                    if distX[j] <= ex { nx += 1 }
                                    if distY[j] <= ey { ny += 1 }
                                }
                                out[i] = psi[nx] + psi[ny]
                            }
                        }
                    }
                }
            }
        }
        if failed.isSet { throw CancellationError() }
        return terms
    }
}

/// A flag workers set and the caller reads after they joined.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
