/// Assigns squared distances to bins between ascending thresholds without a square root,
/// logarithm or binary search per pair.
///
/// `bin(s)` is the number of thresholds `t` with `t ≤ s`, so a pair with squared distance
/// `s` lies strictly inside radius `√t_j` exactly when `bin(s) ≤ j`. A non-negative Float's
/// bit pattern is monotone in its value; its top bits (exponent and 8 mantissa bits) pick
/// one of 65 536 buckets, each spanning a factor of at most 2^(1/256) ≈ 1.0027. A table
/// says, per bucket, the bin of its lower end and which threshold (if any) falls inside it;
/// one branch-free comparison with that threshold finishes the job. Cost per value: a
/// shift, two loads and a comparison (radii in the data's range touch only a few hundred
/// table entries, which stay in cache).
public struct SquaredDistanceBinner: Sendable {
    /// The thresholds (squared radii or squared bin edges), ascending.
    public let thresholds: [Float]
    /// The thresholds followed by a NaN sentinel (every comparison with it is false), so
    /// that a comparison index is always valid.
    private let padded: [Float]
    /// Per bucket: bits 0–7 the bin of the bucket's lowest value; bits 8–15 the index in
    /// `padded` to compare with (the single threshold inside the bucket, or the NaN
    /// sentinel when there is none); bit 16 set when several thresholds fall inside.
    private let table: [UInt32]

    /// Bit shift that maps a Float's pattern to its bucket (the sign bit is 0 for s ≥ 0):
    /// 8 mantissa bits, buckets spanning a factor of at most 2^(1/256) ≈ 1.0027.
    static let shift: UInt32 = 15
    static let bucketCount = 1 << (31 - 15)

    /// The number of bins is `thresholds.count + 1` (below the first threshold, between
    /// each pair, at or above the last). At most 255 thresholds.
    public var binCount: Int { thresholds.count + 1 }

    /// `thresholds` must be finite, non-negative and strictly ascending, at most 255.
    /// Builds a 65 536-entry table, O(65 536 + thresholds).
    public init(thresholds: [Float]) {
        precondition(thresholds.count <= 255, "at most 255 thresholds")
        precondition(zip(thresholds, thresholds.dropFirst()).allSatisfy { $0 < $1 }, "thresholds must ascend")
        precondition(thresholds.allSatisfy { $0.isFinite && $0 >= 0 }, "thresholds must be finite and non-negative")
        self.thresholds = thresholds
        self.padded = thresholds + [.nan]
        let sentinel = UInt32(thresholds.count)
        var table = [UInt32](repeating: 0, count: Self.bucketCount)
        var below = 0 // thresholds ≤ the bucket's lowest value
        for b in 0..<Self.bucketCount {
            let low = Float(bitPattern: UInt32(b) << Self.shift)
            let high = Float(bitPattern: (UInt32(b + 1) << Self.shift) &- 1)
            while below < thresholds.count && thresholds[below] <= low { below += 1 }
            var inside = below
            // NaN patterns (top buckets) compare false and get no thresholds inside.
            while inside < thresholds.count && thresholds[inside] <= high { inside += 1 }
            let compare = inside > below ? UInt32(below) : sentinel
            table[b] = UInt32(below) | compare << 8 | (inside - below > 1 ? 1 << 16 : 0)
        }
        self.table = table
    }

    /// The bin of one squared distance (`s ≥ 0`).
    public func bin(_ s: Float) -> Int {
        table.withUnsafeBufferPointer { lut in
            padded.withUnsafeBufferPointer { t in Self.bin(s, lut.baseAddress.unsafelyUnwrapped, t.baseAddress.unsafelyUnwrapped) }
        }
    }

    /// Branch-free except in buckets holding several thresholds (rare: radii closer than
    /// a factor 1.0014).
    @inline(__always)
    static func bin(_ s: Float, _ lut: UnsafePointer<UInt32>, _ t: UnsafePointer<Float>) -> Int {
        let entry = lut[Int(s.bitPattern >> shift)]
        var k = Int(entry & 0xFF) &+ (s >= t[Int((entry >> 8) & 0xFF)] ? 1 : 0)
        if entry >> 16 != 0 { while s >= t[k] { k += 1 } }
        return k
    }

    /// Adds the bins of `values` to `counts` (length `binCount`).
    /// O(values.count); `counts` is updated in place.
    public func accumulate(_ values: UnsafeBufferPointer<Float>, into counts: UnsafeMutableBufferPointer<UInt64>) {
        precondition(counts.count >= binCount)
        table.withUnsafeBufferPointer { lut in
            padded.withUnsafeBufferPointer { t in
                let l = lut.baseAddress.unsafelyUnwrapped, tp = t.baseAddress.unsafelyUnwrapped
                for s in values { counts[Self.bin(s, l, tp)] &+= 1 }
            }
        }
    }

    /// Adds the bins of the pairs in one block of squared distances (row-major,
    /// `rows.count × columns.count`, as `PairwiseDistances.forEachBlock` passes them) to
    /// `counts`. In a diagonal block of a set against itself (`rows == columns`) only the
    /// pairs above the diagonal are counted, so upper blocks visit each pair once.
    /// With `labels`, a pair goes to `counts[group·binCount + bin]` with group 0 for equal
    /// labels and 1 for different ones (`counts` then has 2·binCount entries).
    public func accumulatePairs(_ block: UnsafeMutableBufferPointer<Float>, rows: Range<Int>, columns: Range<Int>,
                                labels: UnsafeBufferPointer<Int32>? = nil,
                                into counts: UnsafeMutableBufferPointer<UInt64>) {
        let n = columns.count
        let diagonal = rows == columns
        let bins = binCount
        precondition(counts.count >= (labels == nil ? bins : 2 * bins))
        guard let base = block.baseAddress else { return }
        table.withUnsafeBufferPointer { lutBuffer in
            padded.withUnsafeBufferPointer { thresholdBuffer in
                let lut = lutBuffer.baseAddress.unsafelyUnwrapped, t = thresholdBuffer.baseAddress.unsafelyUnwrapped
                if let labels {
                    for r in 0..<rows.count {
                        let own = labels[rows.lowerBound + r]
                        let start = diagonal ? r + 1 : 0
                        guard start < n else { continue }
                        for c in start..<n {
                            let group = labels[columns.lowerBound + c] == own ? 0 : bins
                            counts[group + Self.bin(base[r * n + c], lut, t)] &+= 1
                        }
                    }
                    return
                }
                // Four interleaved histograms: consecutive pairs often share a bin, and one
                // histogram would make each increment wait for the previous one.
                let stride = (bins + 15) & ~15
                let local = UnsafeMutablePointer<UInt64>.allocate(capacity: 4 * stride)
                defer { local.deallocate() }
                local.initialize(repeating: 0, count: 4 * stride)
                for r in 0..<rows.count {
                    let start = diagonal ? r + 1 : 0
                    guard start < n else { continue }
                    let row = base + r * n
                    var c = start
                    while c + 4 <= n {
                        local[Self.bin(row[c], lut, t)] &+= 1
                        local[stride &+ Self.bin(row[c + 1], lut, t)] &+= 1
                        local[2 &* stride &+ Self.bin(row[c + 2], lut, t)] &+= 1
                        local[3 &* stride &+ Self.bin(row[c + 3], lut, t)] &+= 1
                        c += 4
                    }
                    while c < n { local[Self.bin(row[c], lut, t)] &+= 1; c += 1 }
                }
                for b in 0..<bins {
                    counts[b] &+= local[b] &+ local[stride + b] &+ local[2 * stride + b] &+ local[3 * stride + b]
                }
            }
        }
    }
}
