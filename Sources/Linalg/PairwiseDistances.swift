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
    /// restored afterwards). With `workers == 1` the blocks are visited in order on the
    /// calling thread.
    ///
    /// Cancellable: once `Cancellation` is requested no worker starts another block, and
    /// the call throws `CancellationError` after every worker has returned (the blocks
    /// visited so far are a partial result the caller must drop).
    public static func forEachBlockConcurrently(
        _ x: Matrix, _ y: Matrix? = nil, block: Int = defaultBlock, upperOnly: Bool = false, workers: Int,
        _ body: @Sendable (_ worker: Int, _ rowRange: Range<Int>, _ columnRange: Range<Int>,
                           _ block: UnsafeMutableBufferPointer<Float>) -> Void
    ) throws {
        let plan = BlockPlan(x, y, block: block, upperOnly: upperOnly)
        let workers = max(1, min(workers, plan.blocks.count))
        guard workers > 1 else {
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: block * block)
            defer { buffer.deallocate() }
            for (rows, columns) in plan.blocks {
                try Cancellation.checkpoint()
                body(0, rows, columns, plan.fill(rows, columns, into: buffer))
            }
            return
        }
        let next = BlockCounter()
        BLAS.withSingleThreadedCalls {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: block * block)
                defer { buffer.deallocate() }
                // Blocks are handed out one at a time, so a worker slowed by another process
                // does fewer of them instead of holding up the rest.
                while !Cancellation.isRequested, let index = next.take(below: plan.blocks.count) {
                    let (rows, columns) = plan.blocks[index]
                    body(worker, rows, columns, plan.fill(rows, columns, into: buffer))
                }
            }
        }
        try Cancellation.checkpoint()
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
/// against itself). Exact: the distances are those of Double arithmetic on the Float32
/// values, rounded once to Float, as a float64 search (scikit-learn, scikit-dimension) finds
/// on the same values.
///
/// Why a second stage: the blocked expansion ‖x‖² + ‖y‖² − 2·x·y in Float32 has an absolute
/// error of about (D + 5)·u·(‖x‖² + ‖y‖²), u = 2⁻²⁴, which swamps the small distances of
/// close neighbours (on a 1-D curve of 2 500 points, 3–4 % of the nearest-neighbour
/// distances came out as exactly 0 and many more were off by tens of percent, which moved
/// TwoNN from 1.00 to 1.08). So the blocked search keeps `k + candidateMargin` candidates
/// per row, their distances are recomputed directly as Σ (xᵢ − yᵢ)² in Double and re-sorted,
/// and the k best are kept. A row is certified when its k-th exact squared distance is at
/// most the smallest squared distance any non-candidate can have (the last candidate's
/// approximate value minus the error bound above, with a factor 2 to spare); a row that is
/// not certified is searched exhaustively in Double. Ties in distance go to the smaller
/// index among the candidates, so the result does not depend on the number of workers or
/// the order in which they visit blocks.
public struct NearestNeighbors: Sendable {
    /// Neighbour count per row.
    public let k: Int
    /// `indices[i*k + j]`: the (j+1)-th nearest neighbour of row i.
    public let indices: [Int32]
    /// `distances[i*k + j]`: its Euclidean distance (not squared), ascending in j.
    public let distances: [Float]
    /// Rows whose candidates could not be certified and were searched exhaustively
    /// (a diagnostic: normally 0 or a handful).
    public let exhaustiveRows: Int

    /// Extra candidates per row kept by the blocked search for the exact re-ranking.
    public static let candidateMargin = 8

    /// Distance of row `i` to its `j`-th neighbour (j from 1).
    public func distance(_ i: Int, neighbor j: Int) -> Float { distances[i * k + j - 1] }

    /// Searches the k nearest neighbours of each row of `x` among the other rows of `x`.
    /// The distance blocks are spread over `workers` threads
    /// (`PairwiseDistances.forEachBlockConcurrently`), each keeping its own candidate
    /// lists, merged at the end. Throws `CancellationError` when a stop is requested.
    /// - Complexity: N²·D flops in BLAS, plus N·(k + candidateMargin)·D in Double for the
    ///   re-ranking and N·D per uncertified row.
    public init(of x: Matrix, k: Int, block: Int = PairwiseDistances.defaultBlock, workers: Int = BLAS.threads) throws {
        precondition(k >= 1 && k < x.rows, "k-NN: k = \(k) needs at least k+1 = \(k + 1) points, have \(x.rows)")
        self.k = k
        let candidates = min(k + Self.candidateMargin, x.rows - 1)
        let lists = CandidateLists(workers: max(1, workers), rows: x.rows, k: candidates)
        try PairwiseDistances.forEachBlockConcurrently(x, block: block, workers: workers) { worker, rows, columns, block in
            lists.insert(worker: worker, rows: rows, columns: columns, block: block)
        }
        let (candidateIndices, approximate) = lists.merged()
        var indices = [Int32](repeating: 0, count: x.rows * k)
        var squared = [Double](repeating: 0, count: x.rows * k)
        var exhaustive = 0
        let d = x.columns, n = x.rows
        let norms = x.rowSquaredNorms().map(Double.init)
        let largestNorm = norms.max() ?? 0
        // Twice the rounding-error bound (D + 5)·u of the blocked expansion, per unit of
        // ‖x‖² + ‖y‖²; u = 2⁻²⁴ is Float32's unit round-off.
        let u = Double(Float.ulpOfOne) / 2
        let relativeError = 2 * Double(d + 5) * u
        try x.elements.withUnsafeBufferPointer { p in
            func exactSquared(_ i: Int, _ j: Int) -> Double {
                var s = 0.0
                for c in 0..<d { let t = Double(p[i * d + c]) - Double(p[j * d + c]); s += t * t }
                return s
            }
            var best = [(Double, Int32)]()
            best.reserveCapacity(n)
            for i in 0..<n {
                best.removeAll(keepingCapacity: true)
                for j in candidateIndices[(i * candidates)..<((i + 1) * candidates)] {
                    best.append((exactSquared(i, Int(j)), j))
                }
                best.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                if candidates < n - 1 {
                    let lastApproximate = Double(approximate[(i + 1) * candidates - 1])
                    let floor = max(0, lastApproximate - relativeError * (norms[i] + largestNorm))
                    if best[k - 1].0 > floor {
                        if i % 64 == 0 { try Cancellation.checkpoint() }
                        exhaustive += 1
                        best.removeAll(keepingCapacity: true)
                        for j in 0..<n where j != i { best.append((exactSquared(i, j), Int32(j))) }
                        best.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                    }
                }
                for j in 0..<k {
                    squared[i * k + j] = best[j].0
                    indices[i * k + j] = best[j].1
                }
            }
        }
        self.indices = indices
        self.distances = squared.map { Float($0.squareRoot()) }
        self.exhaustiveRows = exhaustive
    }
}

/// Per-worker sorted lists of the k best (squared distance, index) per row.
private final class CandidateLists: @unchecked Sendable {
    let workers: Int, rows: Int, k: Int
    private let best: UnsafeMutableBufferPointer<Float>
    private let bestIndex: UnsafeMutableBufferPointer<Int32>

    init(workers: Int, rows: Int, k: Int) {
        self.workers = workers
        self.rows = rows
        self.k = k
        best = .allocate(capacity: workers * rows * k)
        best.initialize(repeating: .infinity)
        bestIndex = .allocate(capacity: workers * rows * k)
        bestIndex.initialize(repeating: Int32.max)
    }

    deinit {
        best.deallocate()
        bestIndex.deallocate()
    }

    /// Whether (v, c) sorts before (w, j): by distance, then by index.
    @inline(__always) private static func precedes(_ v: Float, _ c: Int32, _ w: Float, _ j: Int32) -> Bool {
        v < w || (v == w && c < j)
    }

    /// Offers every pair of one block to worker `worker`'s lists (only that worker writes them).
    func insert(worker: Int, rows: Range<Int>, columns: Range<Int>, block: UnsafeMutableBufferPointer<Float>) {
        let n = columns.count
        let offset = worker * self.rows * k
        for i in rows {
            let base = offset + i * k
            let rowBase = (i - rows.lowerBound) * n
            for c in columns where c != i {
                let v = block[rowBase + c - columns.lowerBound]
                let index = Int32(c)
                guard Self.precedes(v, index, best[base + k - 1], bestIndex[base + k - 1]) else { continue }
                // Insertion into the sorted list of the k best so far.
                var p = k - 1
                while p > 0 && Self.precedes(v, index, best[base + p - 1], bestIndex[base + p - 1]) {
                    best[base + p] = best[base + p - 1]; bestIndex[base + p] = bestIndex[base + p - 1]; p -= 1
                }
                best[base + p] = v; bestIndex[base + p] = index
            }
        }
    }

    /// The k best per row over all workers' lists (a k-way merge of sorted lists).
    func merged() -> ([Int32], [Float]) {
        guard workers > 1 else { return (Array(bestIndex[0..<(rows * k)]), Array(best[0..<(rows * k)])) }
        var indices = [Int32](repeating: 0, count: rows * k)
        var distances = [Float](repeating: 0, count: rows * k)
        var heads = [Int](repeating: 0, count: workers)
        for i in 0..<rows {
            for w in 0..<workers { heads[w] = 0 }
            for j in 0..<k {
                var pick = 0
                for w in 1..<workers {
                    let a = (w * rows + i) * k + heads[w], b = (pick * rows + i) * k + heads[pick]
                    if Self.precedes(best[a], bestIndex[a], best[b], bestIndex[b]) { pick = w }
                }
                let source = (pick * rows + i) * k + heads[pick]
                distances[i * k + j] = best[source]
                indices[i * k + j] = bestIndex[source]
                heads[pick] += 1
            }
        }
        return (indices, distances)
    }
}
