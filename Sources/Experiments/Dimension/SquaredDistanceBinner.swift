/// Assigns squared distances to bins between ascending thresholds without a square root,
/// logarithm or binary search per pair.
///
/// `bin(s)` is the number of thresholds `t` with `t ≤ s`, so a pair with squared distance
/// `s` lies strictly inside radius `√t_j` exactly when `bin(s) ≤ j`. A non-negative Float's
/// bit pattern is monotone in its value; its top bits (exponent and 6 mantissa bits) pick
/// one of 16 384 buckets, each spanning a factor of at most 2^(1/64) ≈ 1.011. A table says,
/// per bucket, the bin of its lower end and how many thresholds fall inside it; only values
/// in such a bucket are compared with the thresholds, one or two comparisons in practice.
/// Cost per value: a shift, a table load and (rarely) a comparison.
public struct SquaredDistanceBinner: Sendable {
    /// The thresholds (squared radii or squared bin edges), ascending.
    public let thresholds: [Float]
    /// Per bucket: bin of the bucket's lowest value in the low 8 bits, number of thresholds
    /// inside the bucket in the high 8 bits.
    private let table: [UInt16]

    /// Bit shift that maps a Float's pattern to its bucket (sign bit is 0 for s ≥ 0).
    static let shift: UInt32 = 17
    static let bucketCount = 1 << (31 - 17)

    /// The number of bins is `thresholds.count + 1` (below the first threshold, between
    /// each pair, at or above the last). At most 255 thresholds.
    public var binCount: Int { thresholds.count + 1 }

    /// `thresholds` must be finite, non-negative and strictly ascending, at most 255.
    public init(thresholds: [Float]) {
        precondition(thresholds.count <= 255, "at most 255 thresholds")
        precondition(zip(thresholds, thresholds.dropFirst()).allSatisfy { $0 < $1 }, "thresholds must ascend")
        precondition(thresholds.allSatisfy { $0.isFinite && $0 >= 0 }, "thresholds must be finite and non-negative")
        self.thresholds = thresholds
        var table = [UInt16](repeating: 0, count: Self.bucketCount)
        var below = 0 // thresholds ≤ the bucket's lowest value
        for b in 0..<Self.bucketCount {
            let low = Float(bitPattern: UInt32(b) << Self.shift)
            let high = Float(bitPattern: (UInt32(b + 1) << Self.shift) &- 1)
            while below < thresholds.count && thresholds[below] <= low { below += 1 }
            var inside = below
            // NaN patterns (top buckets) compare false and get no thresholds inside.
            while inside < thresholds.count && thresholds[inside] <= high { inside += 1 }
            table[b] = UInt16(below) | UInt16(inside - below) << 8
        }
        self.table = table
    }

    /// The bin of one squared distance (`s ≥ 0`).
    public func bin(_ s: Float) -> Int {
        table.withUnsafeBufferPointer { lut in
            thresholds.withUnsafeBufferPointer { t in Self.bin(s, lut, t) }
        }
    }

    @inline(__always)
    static func bin(_ s: Float, _ lut: UnsafeBufferPointer<UInt16>, _ t: UnsafeBufferPointer<Float>) -> Int {
        let entry = lut[Int(s.bitPattern >> shift)]
        var k = Int(entry & 0xFF)
        var inside = Int(entry >> 8)
        while inside > 0 && s >= t[k] { k += 1; inside -= 1 }
        return k
    }

    /// Adds the bins of `values` to `counts` (length `binCount`).
    /// O(values.count); `counts` is updated in place.
    public func accumulate(_ values: UnsafeBufferPointer<Float>, into counts: UnsafeMutableBufferPointer<UInt64>) {
        precondition(counts.count >= binCount)
        table.withUnsafeBufferPointer { lut in
            thresholds.withUnsafeBufferPointer { t in
                for s in values { counts[Self.bin(s, lut, t)] &+= 1 }
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
        table.withUnsafeBufferPointer { lut in
            thresholds.withUnsafeBufferPointer { t in
                for r in 0..<rows.count {
                    let start = diagonal ? r + 1 : 0
                    guard start < n else { continue }
                    let row = UnsafeBufferPointer(rebasing: block[(r * n + start)..<(r * n + n)])
                    if let labels {
                        let own = labels[rows.lowerBound + r]
                        let first = columns.lowerBound + start
                        for (offset, s) in row.enumerated() {
                            let group = labels[first + offset] == own ? 0 : bins
                            counts[group + Self.bin(s, lut, t)] &+= 1
                        }
                    } else {
                        for s in row { counts[Self.bin(s, lut, t)] &+= 1 }
                    }
                }
            }
        }
    }
}
