import CBLAS
import Foundation

/// Whether an operand of `gemm` is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transpose
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// OpenBLAS threading and identification.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses for every later call.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
    /// The number of threads OpenBLAS uses.
    public static var threads: Int { Int(openblas_get_num_threads()) }
    /// The CPU kernel OpenBLAS selected ("Zen", "Haswell", …).
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }
    /// OpenBLAS's build configuration string.
    public static var config: String { openblas_get_config().map { String(cString: $0) } ?? "unknown" }

    /// Runs `body` with OpenBLAS single-threaded: for code that runs its own threads, each
    /// making single-threaded calls, where OpenBLAS's threads would only compete with them.
    /// Nested and concurrent uses share the setting; the earlier thread count comes back
    /// when the last of them returns.
    public static func withSingleThreadedCalls<T>(_ body: () throws -> T) rethrows -> T {
        singleThreaded.enter()
        defer { singleThreaded.leave() }
        return try body()
    }

    private static let singleThreaded = SingleThreadedScope()
}

/// The depth of `BLAS.withSingleThreadedCalls` across threads, and the thread count to
/// restore when it falls back to zero.
private final class SingleThreadedScope: @unchecked Sendable {
    private let lock = NSLock()
    private var depth = 0
    private var saved = 1

    func enter() {
        lock.lock()
        defer { lock.unlock() }
        if depth == 0 {
            saved = BLAS.threads
            BLAS.setThreads(1)
        }
        depth += 1
    }

    func leave() {
        lock.lock()
        defer { lock.unlock() }
        depth -= 1
        if depth == 0 { BLAS.setThreads(saved) }
    }
}

/// C ← α·op(A)·op(B) + β·C through `cblas_sgemm` (row-major).
///
/// Complexity O(m·n·k) flops, all inside OpenBLAS. Shapes are checked with preconditions:
/// a mismatch is a programming error, never a user's input.
public func gemm(_ a: Matrix, _ transA: Transpose = .none,
                 _ b: Matrix, _ transB: Transpose = .none,
                 alpha: Float = 1, beta: Float = 0, into c: inout Matrix) {
    let m = transA == .none ? a.rows : a.columns
    let k = transA == .none ? a.columns : a.rows
    let kb = transB == .none ? b.rows : b.columns
    let n = transB == .none ? b.columns : b.rows
    precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
    precondition(c.rows == m && c.columns == n, "gemm: output is \(c.rows)×\(c.columns), expected \(m)×\(n)")
    guard m > 0, n > 0 else { return }
    if k == 0 {
        if beta == 0 { c.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        else { for i in c.elements.indices { c.elements[i] *= beta } }
        return
    }
    a.elements.withUnsafeBufferPointer { pa in
        b.elements.withUnsafeBufferPointer { pb in
            c.elements.withUnsafeMutableBufferPointer { pc in
                cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas,
                            Int32(m), Int32(n), Int32(k), alpha,
                            pa.baseAddress, Int32(a.columns),
                            pb.baseAddress, Int32(b.columns),
                            beta, pc.baseAddress, Int32(c.columns))
            }
        }
    }
}

/// Raw-pointer sgemm for hot loops that manage their own buffers (row-major,
/// leading dimensions given). Same semantics as `gemm`.
@inline(__always)
public func sgemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                  alpha: Float, a: UnsafePointer<Float>, lda: Int,
                  b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
                alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

extension Matrix {
    /// The product self·other (or with either transposed), through `cblas_sgemm`.
    public func multiplied(by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        let m = transposeSelf ? columns : rows
        let n = transposeOther ? other.rows : other.columns
        var c = Matrix(rows: m, columns: n)
        gemm(self, transposeSelf ? .transpose : .none, other, transposeOther ? .transpose : .none, into: &c)
        return c
    }

    /// Squared Euclidean norm of every row, accumulated in Double.
    public func rowSquaredNorms() -> [Float] {
        var out = [Float](repeating: 0, count: rows)
        elements.withUnsafeBufferPointer { p in
            for i in 0..<rows {
                var s: Double = 0
                let base = i * columns
                for j in 0..<columns { let x = Double(p[base + j]); s += x * x }
                out[i] = Float(s)
            }
        }
        return out
    }
}

/// Raw-pointer Gram matrix in Double: the upper triangle of C ← A·Aᵀ for the n × k row-major
/// A (`cblas_dsyrk`, row-major, upper); the strict lower triangle of C is left as it was.
@inline(__always)
public func dsyrkUpper(n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, c: UnsafeMutablePointer<Double>, ldc: Int) {
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(k), 1, a, Int32(lda), 0, c, Int32(ldc))
}
