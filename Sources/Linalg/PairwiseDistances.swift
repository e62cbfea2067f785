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
        let other = y ?? x
        precondition(x.columns == other.columns, "pairwise distances: \(x.columns) and \(other.columns) columns")
        let selfPairs = (y == nil)
        let d = x.columns
        let xNorms = x.rowSquaredNorms()
        let yNorms = selfPairs ? xNorms : other.rowSquaredNorms()
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: block * block)
        defer { buffer.deallocate() }
        try x.elements.withUnsafeBufferPointer { px in
            try other.elements.withUnsafeBufferPointer { py in
                var i0 = 0
                while i0 < x.rows {
                    let i1 = min(i0 + block, x.rows)
                    var j0 = (selfPairs && upperOnly) ? i0 : 0
                    while j0 < other.rows {
                        let j1 = min(j0 + block, other.rows)
                        let m = i1 - i0, n = j1 - j0
                        let out = UnsafeMutableBufferPointer(rebasing: buffer[0..<(m * n)])
                        if d > 0, let ax = px.baseAddress, let ay = py.baseAddress, let c = out.baseAddress {
                            sgemm(.none, .transpose, m: m, n: n, k: d, alpha: -2,
                                  a: ax + i0 * d, lda: d, b: ay + j0 * d, ldb: d,
                                  beta: 0, c: c, ldc: n)
                        } else {
                            out.update(repeating: 0)
                        }
                        for r in 0..<m {
                            let xn = xNorms[i0 + r]
                            let rowBase = r * n
                            for s in 0..<n {
                                let v = out[rowBase + s] + xn + yNorms[j0 + s]
                                out[rowBase + s] = v > 0 ? v : 0
                            }
                            if selfPairs, i0 + r >= j0, i0 + r < j1 { out[rowBase + (i0 + r - j0)] = 0 }
                        }
                        try body(i0..<i1, j0..<j1, out)
                        j0 = j1
                    }
                    i0 = i1
                }
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
