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
    /// The re-ranking runs on the same workers, 256 rows at a time.
    /// - Complexity: N²·D flops in BLAS, plus N·(k + candidateMargin)·D in Double for the
    ///   re-ranking (about 10 % of the search at N = 5 000, D = 784) and N·D per
    ///   uncertified row.
    public init(of x: Matrix, k: Int, block: Int = PairwiseDistances.defaultBlock, workers: Int = BLAS.threads) throws {
        precondition(k >= 1 && k < x.rows, "k-NN: k = \(k) needs at least k+1 = \(k + 1) points, have \(x.rows)")
        self.k = k
        let candidates = min(k + Self.candidateMargin, x.rows - 1)
        let lists = CandidateLists(workers: max(1, workers), rows: x.rows, k: candidates)
        try PairwiseDistances.forEachBlockConcurrently(x, block: block, workers: workers) { worker, rows, columns, block in
            lists.insert(worker: worker, rows: rows, columns: columns, block: block)
        }
        let (candidateIndices, approximate) = lists.merged()
        let ranking = ExactRanking(x, k: k, candidates: candidates, indices: candidateIndices, approximate: approximate)
        let chunks = (x.rows + 255) / 256
        let threads = max(1, min(workers, chunks))
        if threads == 1 {
            for c in 0..<chunks where !Cancellation.isRequested { ranking.rank(chunk: c) }
        } else {
            let next = BlockCounter()
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while !Cancellation.isRequested, let c = next.take(below: chunks) { ranking.rank(chunk: c) }
            }
        }
        try Cancellation.checkpoint()
        self.indices = Array(ranking.indices)
        self.distances = ranking.squared.map { Float($0.squareRoot()) }
        self.exhaustiveRows = ranking.exhaustiveRows.reduce(0, +)
    }
}

/// The exact re-ranking of `NearestNeighbors`' candidates, by chunks of 256 rows that
/// concurrent workers take one at a time (each chunk's rows are written by one worker only).
private final class ExactRanking: @unchecked Sendable {
    let x: Matrix, k: Int, candidates: Int
    let candidateIndices: [Int32], approximate: [Float]
    let norms: [Double], largestNorm: Double, relativeError: Double
    let indices: UnsafeMutableBufferPointer<Int32>
    let squared: UnsafeMutableBufferPointer<Double>
    /// Uncertified rows per chunk.
    let exhaustiveRows: UnsafeMutableBufferPointer<Int>

    init(_ x: Matrix, k: Int, candidates: Int, indices: [Int32], approximate: [Float]) {
        self.x = x
        self.k = k
        self.candidates = candidates
        self.candidateIndices = indices
        self.approximate = approximate
        norms = x.rowSquaredNorms().map(Double.init)
        largestNorm = norms.max() ?? 0
        // Twice the rounding-error bound (D + 5)·u of the blocked expansion, per unit of
        // ‖x‖² + ‖y‖²; u = 2⁻²⁴ is Float32's unit round-off.
        relativeError = 2 * Double(x.columns + 5) * (Double(Float.ulpOfOne) / 2)
        self.indices = .allocate(capacity: x.rows * k)
        self.indices.initialize(repeating: 0)
        squared = .allocate(capacity: x.rows * k)
        squared.initialize(repeating: 0)
        exhaustiveRows = .allocate(capacity: (x.rows + 255) / 256)
        exhaustiveRows.initialize(repeating: 0)
    }

    deinit {
        indices.deallocate()
        squared.deallocate()
        exhaustiveRows.deallocate()
    }

    /// Σ (aᵢ − bᵢ)² in Double over `d` values (four accumulators, so the loop vectorises).
    @inline(__always) static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var c = 0
        while c + 4 <= d {
            let t0 = Double(a[c]) - Double(b[c]), t1 = Double(a[c + 1]) - Double(b[c + 1])
            let t2 = Double(a[c + 2]) - Double(b[c + 2]), t3 = Double(a[c + 3]) - Double(b[c + 3])
            s0 += t0 * t0; s1 += t1 * t1; s2 += t2 * t2; s3 += t3 * t3
            c += 4
        }
        while c < d { let t = Double(a[c]) - Double(b[c]); s0 += t * t; c += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Re-ranks rows 256·chunk ..< 256·(chunk + 1).
    func rank(chunk: Int) {
        let n = x.rows, d = x.columns
        let rows = (chunk * 256)..<min(n, (chunk + 1) * 256)
        var best = [(Double, Int32)]()
        best.reserveCapacity(candidates)
        var exhaustive = 0
        x.elements.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            func byDistanceThenIndex(_ a: (Double, Int32), _ b: (Double, Int32)) -> Bool { a.0 < b.0 || (a.0 == b.0 && a.1 < b.1) }
            for i in rows {
                best.removeAll(keepingCapacity: true)
                for j in candidateIndices[(i * candidates)..<((i + 1) * candidates)] {
                    best.append((Self.squaredDistance(p + i * d, p + Int(j) * d, d), j))
                }
                best.sort(by: byDistanceThenIndex)
                if candidates < n - 1 {
                    // No non-candidate is closer than its approximate distance minus the bound,
                    // and none has a smaller approximate distance than the last candidate.
                    let lastApproximate = Double(approximate[(i + 1) * candidates - 1])
                    let floor = max(0, lastApproximate - relativeError * (norms[i] + largestNorm))
                    if best[k - 1].0 > floor {
                        exhaustive += 1
                        best.removeAll(keepingCapacity: true)
                        for j in 0..<n where j != i { best.append((Self.squaredDistance(p + i * d, p + j * d, d), Int32(j))) }
                        best.sort(by: byDistanceThenIndex)
                    }
                }
                for j in 0..<k {
                    squared[i * k + j] = best[j].0
                    indices[i * k + j] = best[j].1
                }
            }
        }
        exhaustiveRows[chunk] = exhaustive
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
