import Dispatch
import Foundation
import Linalg

/// The kernel coefficients c = 1/(2h²) evaluated in one pass over the distances, laid out
/// so that most of the m exponentials come from one or two `exp` calls per distance:
/// exp() dominates the cost, a multiplication is ~10× cheaper.
enum KernelSchedule: Sendable, Equatable {
    /// cⱼ = first·2^j: each term is the square of the previous one (a log grid in h with
    /// ratio √2). A fresh exp every `anchorInterval` steps bounds the round-off growth of
    /// repeated squaring to 2^3 ulp.
    case doubling(first: Double, count: Int)
    /// cⱼ = first + j·step: each term is the previous one times exp(−step·D), two exps in
    /// all (a fine grid inside a bracket).
    case arithmetic(first: Double, step: Double, count: Int)

    static let anchorInterval = 4

    /// The coefficients in evaluation order (ascending c, descending h).
    var coefficients: [Double] {
        switch self {
        case .doubling(let first, let count): (0..<count).map { first * Double(1 << $0) }
        case .arithmetic(let first, let step, let count): (0..<count).map { first + Double($0) * step }
        }
    }

    /// A single coefficient (one bandwidth).
    static func single(_ c: Double) -> KernelSchedule { .arithmetic(first: c, step: 0, count: 1) }
}

/// Blocked sums of Gaussian kernel terms, Sᵢ(c) = Σⱼ exp(−c·‖qᵢ − xⱼ‖²), for several c at once,
/// returned as ln Sᵢ(c) in Double: the core of every KDE estimator here.
///
/// Each worker thread takes a contiguous range of query rows; for a panel of `panelRows` of
/// them it computes the squared distances to all n data rows with one single-threaded sgemm
/// (‖q‖² + ‖x‖² − 2·q·x), then, row by row while the row is in cache, the row's smallest
/// distance Dmin and for every c the shifted sum Σ exp(−c·(D − Dmin)) ≥ 1, so
/// ln S = c·(−Dmin) + ln(shifted sum) never overflows or loses the nearest terms (the stable
/// log-sum-exp). Terms are accumulated in Float over 512 columns, then in Double.
/// Arguments c·(D − Dmin) are clamped at 40: a term below e^−40 ≈ 4e-18 changes a sum ≥ 1 by
/// less than Double round-off, and the clamp keeps every intermediate value a normal float.
///
/// Memory: one panel of panelRows×n floats per thread, never n². Complexity: O(nq·n·d) flops
/// in sgemm plus O(nq·n) exps and O(nq·n·m) multiplications.
///
/// Cancellable between panels: on a `Cancellation` request every worker stops after its
/// current panel and the call throws `CancellationError` once all have returned.
struct GaussianKernelSums {
    /// The data points xⱼ (n×d).
    let points: Matrix
    /// ‖xⱼ‖².
    let norms: [Float]

    init(points: Matrix) {
        self.points = points
        self.norms = points.rowSquaredNorms()
    }

    /// Largest exponent kept; see the type's comment.
    static let argumentLimit: Float = 40
    /// Terms below this are flushed to zero before the next squaring or product.
    static let flushLevel: Float = 1e-18

    /// ln Sᵢ(cₖ) for every query row i and every coefficient cₖ of `schedule`, as
    /// `result[k][i]`. With `queries == nil` the queries are the data points themselves and
    /// `excludingSelf` drops the term j = i (leave-one-out).
    func logSums(of queries: Matrix? = nil, excludingSelf: Bool, schedule: KernelSchedule, threads: Int) throws -> [[Double]] {
        precondition(!excludingSelf || queries == nil, "excludingSelf needs the data as queries")
        return try logSums(queries: queries ?? points, queryNorms: queries.map { $0.rowSquaredNorms() } ?? norms,
                       selfIndices: excludingSelf ? Array(0..<points.rows) : nil, schedule: schedule, threads: threads)
    }

    /// Leave-one-out ln Sᵢ(cₖ) for the data rows `rows` only (a subsample for a coarse
    /// search), each without its own term, as `result[k][r]` for `rows[r]`.
    func leaveOneOutLogSums(rows: [Int], schedule: KernelSchedule, threads: Int) throws -> [[Double]] {
        try logSums(queries: points.rows(at: rows), queryNorms: rows.map { norms[$0] }, selfIndices: rows,
                schedule: schedule, threads: threads)
    }

    private func logSums(queries q: Matrix, queryNorms: [Float], selfIndices: [Int]?, schedule: KernelSchedule,
                         threads: Int) throws -> [[Double]] {
        precondition(q.columns == points.columns, "kernel sums: \(q.columns) and \(points.columns) columns")
        let coefficients = schedule.coefficients
        let m = coefficients.count, nq = q.rows
        let selfIndices = selfIndices ?? []
        var result = [Double](repeating: 0, count: m * nq)
        let workers = max(1, min(threads, nq / 64 + 1))

        // Each worker's panels are small: OpenBLAS's own threads would only spin on them.
        BLAS.withSingleThreadedCalls {
            q.elements.withUnsafeBufferPointer { qp in
                points.elements.withUnsafeBufferPointer { xp in
                    queryNorms.withUnsafeBufferPointer { qn in
                        norms.withUnsafeBufferPointer { xn in
                            selfIndices.withUnsafeBufferPointer { si in
                                result.withUnsafeMutableBufferPointer { out in
                                    let job = Job(queries: qp, points: xp, queryNorms: qn, pointNorms: xn, selfIndices: si,
                                                  out: out, queryCount: nq, pointCount: points.rows, dimension: points.columns,
                                                  schedule: schedule, coefficients: coefficients)
                                    if workers == 1 {
                                        job.run(rows: 0..<nq)
                                    } else {
                                        DispatchQueue.concurrentPerform(iterations: workers) { t in
                                            job.run(rows: (nq * t / workers)..<(nq * (t + 1) / workers))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        try Cancellation.checkpoint()
        return (0..<m).map { k in Array(result[(k * nq)..<((k + 1) * nq)]) }
    }
}

/// One call's inputs as raw pointers, shared read-only by the workers; each worker writes
/// only its own rows of `out`.
private struct Job: @unchecked Sendable {
    let queries: UnsafeBufferPointer<Float>
    let points: UnsafeBufferPointer<Float>
    let queryNorms: UnsafeBufferPointer<Float>
    let pointNorms: UnsafeBufferPointer<Float>
    /// For query i, the data row whose term is left out (empty: none is).
    let selfIndices: UnsafeBufferPointer<Int>
    let out: UnsafeMutableBufferPointer<Double>
    let queryCount: Int
    let pointCount: Int
    let dimension: Int
    let schedule: KernelSchedule
    let coefficients: [Double]

    /// Rows per sgemm panel: about 512 KiB of distances, so a panel stays in L2.
    var panelRows: Int { max(4, min(64, (1 << 17) / max(pointCount, 1))) }

    func run(rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        let n = pointCount, d = dimension, m = coefficients.count
        // Room for one padded SIMD16 tail beyond the row.
        let stride = (n + 15) / 16 * 16
        let panel = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * stride)
        defer { panel.deallocate() }
        let accumulators = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: m)
        defer { accumulators.deallocate() }
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: m)
        defer { sums.deallocate() }
        let c = coefficients.map(Float.init)
        guard let qBase = queries.baseAddress, let xBase = points.baseAddress,
              let xNorms = pointNorms.baseAddress else { return }

        var i0 = rows.lowerBound
        while i0 < rows.upperBound && !Cancellation.isRequested {
            let count = min(panelRows, rows.upperBound - i0)
            sgemm(.none, .transpose, m: count, n: n, k: d, alpha: -2, a: qBase + i0 * d, lda: d,
                  b: xBase, ldb: d, beta: 0, c: panel, ldc: stride)
            for r in 0..<count {
                let i = i0 + r
                let row = panel + r * stride
                if !selfIndices.isEmpty { row[selfIndices[i]] = .infinity }
                for j in n..<stride { row[j] = .infinity } // padding: contributes e^−40 at most
                let rowMin = Self.finishDistances(row, count: n, queryNorm: queryNorms[i], pointNorms: xNorms)
                Self.accumulate(row, stride: stride, rowMin: rowMin, schedule: schedule, c: c,
                                accumulators: accumulators, sums: sums)
                for k in 0..<m {
                    out[k * queryCount + i] = log(sums[k]) - coefficients[k] * Double(rowMin)
                }
            }
            i0 += count
        }
    }

    /// Turns −2·q·x into ‖q − x‖² = max(0, −2·q·x + ‖q‖² + ‖x‖²) in place and returns the
    /// smallest one (entries set to +∞ stay +∞).
    @inline(__always)
    static func finishDistances(_ row: UnsafeMutablePointer<Float>, count n: Int, queryNorm: Float,
                                pointNorms: UnsafePointer<Float>) -> Float {
        var low = SIMD16<Float>(repeating: .infinity)
        let zero = SIMD16<Float>(repeating: 0)
        var j = 0
        let raw = UnsafeMutableRawPointer(row), norms = UnsafeRawPointer(pointNorms)
        while j + 16 <= n {
            let g = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self)
            let xn = norms.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self)
            let v = lanewiseMax(g + xn + queryNorm, zero)
            raw.storeBytes(of: v, toByteOffset: j * 4, as: SIMD16<Float>.self)
            low = lanewiseMin(low, v)
            j += 16
        }
        var lowest = low.min()
        while j < n {
            let v = max(row[j] + pointNorms[j] + queryNorm, 0)
            row[j] = v
            lowest = min(lowest, v)
            j += 1
        }
        return lowest
    }

    /// sums[k] = Σⱼ exp(−cₖ·(Dⱼ − rowMin)) over the row (padded to a multiple of 16 with +∞).
    @inline(__always)
    static func accumulate(_ row: UnsafeMutablePointer<Float>, stride: Int, rowMin: Float, schedule: KernelSchedule,
                           c: [Float], accumulators: UnsafeMutablePointer<SIMD16<Float>>,
                           sums: UnsafeMutablePointer<Double>) {
        let m = c.count
        let limit = SIMD16<Float>(repeating: GaussianKernelSums.argumentLimit)
        let flush = SIMD16<Float>(repeating: GaussianKernelSums.flushLevel)
        let zero = SIMD16<Float>(repeating: 0)
        for k in 0..<m { sums[k] = 0 }
        let raw = UnsafeRawPointer(row)
        let chunk = 512
        var start = 0
        c.withUnsafeBufferPointer { c in
            while start < stride {
                let end = min(start + chunk, stride)
                for k in 0..<m { accumulators[k] = zero }
                var j = start
                switch schedule {
                case .doubling:
                    while j < end {
                        let t = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self) - rowMin
                        var k = 0
                        while k < m {
                            var e = exponential(-lanewiseMin(t * c[k], limit))
                            accumulators[k] += e
                            var step = 1
                            while step < KernelSchedule.anchorInterval && k + step < m {
                                e = e.replacing(with: zero, where: e .< flush)
                                e = e * e
                                accumulators[k + step] += e
                                step += 1
                            }
                            k += step
                        }
                        j += 16
                    }
                case .arithmetic(_, let stepSize, _):
                    let first = c[0], step = Float(stepSize)
                    while j < end {
                        let t = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self) - rowMin
                        var e = exponential(-lanewiseMin(t * first, limit))
                        accumulators[0] += e
                        if m > 1 {
                            let f = exponential(-lanewiseMin(t * step, limit))
                            for k in 1..<m {
                                e = e.replacing(with: zero, where: e .< flush) * f
                                accumulators[k] += e
                            }
                        }
                        j += 16
                    }
                }
                for k in 0..<m { sums[k] += Double(accumulators[k].sum()) }
                start = end
            }
        }
    }
}

// The standard library's pointwiseMin/Max handle NaN lane by lane and are not vectorised;
// a compare and blend is (no NaN reaches these: the data are checked to be finite).
@inline(__always)
private func lanewiseMin(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a.replacing(with: b, where: b .< a) }
@inline(__always)
private func lanewiseMax(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a.replacing(with: b, where: b .> a) }
