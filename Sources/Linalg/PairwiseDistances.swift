import Foundation

/// Blocked pairwise squared Euclidean distances, ‖x‖² + ‖y‖² − 2·x·y, with the cross
/// term from `cblas_sgemm`.
///
/// Memory is O(block² ) floats whatever n is: callers consume one block at a time
/// (KDE sums, histograms of distances, k-NN) and never hold n² floats.
/// Complexity O(n·m·d) flops in BLAS plus O(n·m) for the norm correction.
public enum PairwiseDistances {
    /// Default block edge: 1024×1024 floats = 4 MiB per block, large enough for sgemm to
    /// run near peak, small enough to stay in L2/L3 while the caller consumes it.
    public static let defaultBlock = 1024

    /// Calls `body(rowRange, columnRange, block)` for every block of squared distances
    /// between rows of `x` and rows of `y`. `block` is row-major with
    /// `rowRange.count × columnRange.count` elements, clamped at 0 (round-off can make the
    /// expansion slightly negative).
    ///
    /// With `y == nil` the distances are within `x`; the diagonal is exactly 0 and, when
    /// `upperOnly` is true, only blocks with `columnRange.lowerBound >= rowRange.lowerBound`
    /// are visited (the caller uses the symmetry; diagonal blocks still hold both halves).
    public static func forEachBlock(
        _ x: Matrix, _ y: Matrix? = nil, block: Int = defaultBlock, upperOnly: Bool = false,
        _ body: (_ rowRange: Range<Int>, _ columnRange: Range<Int>, _ block: UnsafeMutableBufferPointer<Float>) throws -> Void
    ) rethrows {
        let plan = BlockPlan(x, y, block: block, upperOnly: upperOnly)
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: block * block)
        defer { buffer.deallocate() }
        for (rows, columns) in plan.blocks {
            let out = plan.fill(rows, columns, into: buffer)
            try body(rows, columns, out)
        }
    }

    /// The same blocks as `forEachBlock`, spread over `workers` threads: each worker
    /// computes whole blocks with a single-threaded sgemm and hands them to `body` along
    /// with its worker index (0..<workers), so callers keep one accumulator per worker and
    /// need no locks. Blocks are visited in no particular order, concurrently.
    ///
    /// Why not OpenBLAS's own threads: its workers busy-wait inside every call, which
    /// collapses when another process holds a core, and the caller's per-block work
    /// (histograms, k-NN lists) would stay serial. Here the threads meet once, at the end.
    /// OpenBLAS runs single-threaded for the duration of the call (its thread count is
    /// restored afterwards). With `workers == 1` this is `forEachBlock`.
    public static func forEachBlockConcurrently(
        _ x: Matrix, _ y: Matrix? = nil, block: Int = defaultBlock, upperOnly: Bool = false, workers: Int,
        _ body: @Sendable (_ worker: Int, _ rowRange: Range<Int>, _ columnRange: Range<Int>,
                           _ block: UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        let plan = BlockPlan(x, y, block: block, upperOnly: upperOnly)
        let workers = max(1, min(workers, plan.blocks.count))
        guard workers > 1 else {
            forEachBlock(x, y, block: block, upperOnly: upperOnly) { body(0, $0, $1, $2) }
            return
        }
        let blasThreads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(blasThreads) }
        let next = BlockCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: block * block)
            defer { buffer.deallocate() }
            // Blocks are handed out one at a time, so a worker slowed by another process
            // does fewer of them instead of holding up the rest.
            while let index = next.take(below: plan.blocks.count) {
                let (rows, columns) = plan.blocks[index]
                body(worker, rows, columns, plan.fill(rows, columns, into: buffer))
            }
        }
    }

    /// The full matrix of squared distances (n×m). For small sets only: O(n·m) memory.
    public static func squared(_ x: Matrix, _ y: Matrix? = nil) -> Matrix {
        let other = y ?? x
        var out = Matrix(rows: x.rows, columns: other.rows)
        forEachBlock(x, y) { rows, cols, blk in
            for r in rows {
                for c in cols { out.elements[r * other.rows + c] = blk[(r - rows.lowerBound) * cols.count + (c - cols.lowerBound)] }
            }
        }
        return out
    }
}

/// The blocks of one distance computation and how to fill one: shared, read-only, by
/// `forEachBlock` and `forEachBlockConcurrently`.
private struct BlockPlan: Sendable {
    let x: Matrix
    let other: Matrix
    let selfPairs: Bool
    let xNorms: [Float]
    let yNorms: [Float]
    let blocks: [(Range<Int>, Range<Int>)]

    init(_ x: Matrix, _ y: Matrix?, block: Int, upperOnly: Bool) {
        precondition(block >= 1, "pairwise distances: block must be positive")
        let other = y ?? x
        precondition(x.columns == other.columns, "pairwise distances: \(x.columns) and \(other.columns) columns")
        self.x = x
        self.other = other
        selfPairs = (y == nil)
        xNorms = x.rowSquaredNorms()
        yNorms = selfPairs ? xNorms : other.rowSquaredNorms()
        var blocks = [(Range<Int>, Range<Int>)]()
        var i0 = 0
        while i0 < x.rows {
            let i1 = min(i0 + block, x.rows)
            var j0 = (selfPairs && upperOnly) ? i0 : 0
            while j0 < other.rows {
                let j1 = min(j0 + block, other.rows)
                blocks.append((i0..<i1, j0..<j1))
                j0 = j1
            }
            i0 = i1
        }
        self.blocks = blocks
    }

    /// Squared distances of rows × columns into the front of `buffer`, clamped at 0, with
    /// an exact 0 on the diagonal of a set against itself.
    func fill(_ rows: Range<Int>, _ columns: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) -> UnsafeMutableBufferPointer<Float> {
        let d = x.columns
        let m = rows.count, n = columns.count
        let out = UnsafeMutableBufferPointer(rebasing: buffer[0..<(m * n)])
        guard let c = out.baseAddress else { return out }
        x.elements.withUnsafeBufferPointer { px in
            other.elements.withUnsafeBufferPointer { py in
                if d > 0, let ax = px.baseAddress, let ay = py.baseAddress {
                    sgemm(.none, .transpose, m: m, n: n, k: d, alpha: -2,
                          a: ax + rows.lowerBound * d, lda: d, b: ay + columns.lowerBound * d, ldb: d,
                          beta: 0, c: c, ldc: n)
                } else {
                    out.update(repeating: 0)
                }
            }
        }
        xNorms.withUnsafeBufferPointer { xn in
            yNorms.withUnsafeBufferPointer { yn in
                guard let yBase = yn.baseAddress else { return }
                let ynBlock = yBase + columns.lowerBound
                for r in 0..<m {
                    let a = xn[rows.lowerBound + r]
                    let row = c + r * n
                    // Pointer arithmetic without bounds checks lets this loop vectorise.
                    for s in 0..<n {
                        let v = row[s] + a + ynBlock[s]
                        row[s] = v > 0 ? v : 0
                    }
                    let i = rows.lowerBound + r
                    if selfPairs, columns.contains(i) { row[i - columns.lowerBound] = 0 }
                }
            }
        }
        return out
    }
}

/// Hands out block indices to concurrent workers.
private final class BlockCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    /// The next index below `count`, or nil when all are taken.
    func take(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// The k nearest neighbours of every row (excluding the row itself when searching a set
/// against itself), by blocked distances. Exact; O(n²·d) flops in BLAS, O(n·k) memory.
public struct NearestNeighbors: Sendable {
    /// Neighbour count per row.
    public let k: Int
    /// `indices[i*k + j]`: the (j+1)-th nearest neighbour of row i.
    public let indices: [Int32]
    /// `distances[i*k + j]`: its Euclidean distance (not squared), ascending in j.
    public let distances: [Float]

    /// Distance of row `i` to its `j`-th neighbour (j from 1).
    public func distance(_ i: Int, neighbor j: Int) -> Float { distances[i * k + j - 1] }

    /// Searches the k nearest neighbours of each row of `x` among the other rows of `x`.
    public init(of x: Matrix, k: Int, block: Int = PairwiseDistances.defaultBlock) {
        precondition(k >= 1 && k < x.rows, "k-NN: k = \(k) needs at least k+1 = \(k + 1) points, have \(x.rows)")
        self.k = k
        var best = [Float](repeating: .infinity, count: x.rows * k)
        var bestIndex = [Int32](repeating: -1, count: x.rows * k)
        PairwiseDistances.forEachBlock(x, block: block) { rows, cols, blk in
            let n = cols.count
            best.withUnsafeMutableBufferPointer { bd in
                bestIndex.withUnsafeMutableBufferPointer { bi in
                    for i in rows {
                        let base = i * k
                        let rowBase = (i - rows.lowerBound) * n
                        for c in cols where c != i {
                            let v = blk[rowBase + c - cols.lowerBound]
                            if v >= bd[base + k - 1] { continue }
                            // Insertion into the sorted list of the k best so far.
                            var p = k - 1
                            while p > 0 && bd[base + p - 1] > v {
                                bd[base + p] = bd[base + p - 1]; bi[base + p] = bi[base + p - 1]; p -= 1
                            }
                            bd[base + p] = v; bi[base + p] = Int32(c)
                        }
                    }
                }
            }
        }
        self.indices = bestIndex
        self.distances = best.map { $0.squareRoot() }
    }
}
