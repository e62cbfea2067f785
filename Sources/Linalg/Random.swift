import Foundation

/// A seeded pseudo-random generator: xoshiro256** (Blackman & Vigna 2018) seeded through
/// SplitMix64. The same seed gives the same numbers on every run and machine; every random
/// draw in EntropyBook comes from one of these, and the seed is recorded in the report.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    /// The seed this generator started from.
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(&sm), splitMix(&sm), splitMix(&sm), splitMix(&sm))
    }

    /// An independent stream derived from this seed and a label (e.g. "init", "shuffle"),
    /// so adding a draw in one place does not shift the numbers of another.
    public func derived(_ label: String) -> SeededGenerator {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a over the label
        for b in label.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return SeededGenerator(seed: seed ^ h)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform on [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Standard normal by the Box–Muller transform (both values of a pair are used).
    public mutating func normal() -> Double {
        if let v = spare { spare = nil; return v }
        var u1 = uniform()
        while u1 <= .leastNonzeroMagnitude { u1 = uniform() }
        let u2 = uniform()
        let r = (-2 * Foundation.log(u1)).squareRoot()
        spare = r * Foundation.sin(2 * .pi * u2)
        return r * Foundation.cos(2 * .pi * u2)
    }
    private var spare: Double?

    /// Integer uniform on 0..<n, without modulo bias.
    public mutating func index(below n: Int) -> Int { Int.random(in: 0..<n, using: &self) }

    /// A random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        p.shuffle(using: &self)
        return p
    }

    /// An n×d matrix of independent N(0, σ²) entries.
    public mutating func normalMatrix(rows: Int, columns: Int, standardDeviation sigma: Float = 1) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for i in m.elements.indices { m.elements[i] = Float(normal()) * sigma }
        return m
    }

    /// An n×d matrix of independent Uniform[a, b) entries.
    public mutating func uniformMatrix(rows: Int, columns: Int, in a: Float = 0, _ b: Float = 1) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for i in m.elements.indices { m.elements[i] = Float(uniform(Double(a), Double(b))) }
        return m
    }
}
