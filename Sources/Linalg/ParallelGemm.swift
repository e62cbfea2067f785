import Dispatch

/// sgemm split across threads by the caller, each part a single-threaded OpenBLAS call.
///
/// Why: OpenBLAS's own threading (pthread build, 0.3.21) synchronises its threads by
/// busy-waiting inside every call. On an idle 2-core machine that scales well even for
/// the small shapes of mini-batch training (128×784×512: ≈ 90 → ≈ 170 GFLOP/s), but when
/// any other process holds a core it collapses to a fraction of one thread's speed (8–40
/// GFLOP/s measured), because one spinning thread waits for a descheduled one many times
/// per call. Splitting C into independent column (or row) panels synchronises once per
/// call, so a busy neighbour costs at most the share of work it delays.
/// `entropybook bench linalg` measures both.
///
/// Requires OpenBLAS to run single-threaded while it is used (`BLAS.setThreads(1)`),
/// otherwise each part would start its own threads. The result is bitwise the same for
/// a given part count on every run: each element of C is computed by exactly one call.
public struct ParallelGemm: Sendable {
    /// Number of parts (threads), at least 1.
    public let parts: Int
    /// Products with fewer flops than this run as one call: below it the thread handoff
    /// costs more than it saves.
    public var minimumFlops: Double = 4e6

    public init(parts: Int) { self.parts = max(1, parts) }

    /// C ← α·op(A)·op(B) + β·C, row-major, same arguments as `sgemm`.
    public func callAsFunction(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                               alpha: Float, a: UnsafePointer<Float>, lda: Int,
                               b: UnsafePointer<Float>, ldb: Int,
                               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let flops = 2 * Double(m) * Double(n) * Double(k)
        guard parts > 1, flops >= minimumFlops, max(m, n) >= 32 * parts else {
            sgemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                  beta: beta, c: c, ldc: ldc)
            return
        }
        // Split the longer side of C into panels of a multiple of 16 (the kernels' unroll).
        let splitColumns = n >= m
        let length = splitColumns ? n : m
        let panel = ((length + parts - 1) / parts + 15) / 16 * 16
        let count = (length + panel - 1) / panel
        let operands = Operands(a: a, b: b, c: c)
        DispatchQueue.concurrentPerform(iterations: count) { part in
            let (a, b, c) = (operands.a, operands.b, operands.c)
            let start = part * panel
            let size = min(panel, length - start)
            if splitColumns {
                // Columns start..<start+size of C take the same columns of op(B).
                let bPart = transB == .none ? b + start : b + start * ldb
                sgemm(transA, transB, m: m, n: size, k: k, alpha: alpha, a: a, lda: lda,
                      b: bPart, ldb: ldb, beta: beta, c: c + start, ldc: ldc)
            } else {
                // Rows start..<start+size of C take the same rows of op(A).
                let aPart = transA == .none ? a + start * lda : a + start
                sgemm(transA, transB, m: size, n: n, k: k, alpha: alpha, a: aPart, lda: lda,
                      b: b, ldb: ldb, beta: beta, c: c + start * ldc, ldc: ldc)
            }
        }
    }
}

/// The operands of one split product. Sendable because the parts only read `a` and `b`
/// and write disjoint panels of `c`, and the call returns only after every part is done.
private struct Operands: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
}
