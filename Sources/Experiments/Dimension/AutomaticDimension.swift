import Foundation
import Linalg

/// The estimator the calibration picks (notebooks/verdict-calibration.md), chosen per data
/// set by the intrinsic dimension's dependence on scale.
///
/// The scale curve is Gride at n₁ = 1, 2, 4, …, 32 (`GrideDimension`). The plateau rule
/// (`GridePlateau`): the plateau is the first pair of consecutive scales (n₁, 2n₁), from the
/// smallest up, whose estimates differ by at most `tolerance` (10 %) of their mean. Smaller
/// scales that rise above it are noise, which adds dimensions where the neighbour distances
/// are comparable to it.
/// - Plateau below `highDimension` (8): the answer is Gride's mean over the plateau, the
///   smallest scale clear of the noise. (On the 24 benchmark manifolds at n = 1 000 Gride and
///   TwoNN are exact for 88 % of the k ≤ 6 cases, DANCo for 58 %: it reads the Hein–Audibert
///   (4, 6) and (4, 8) manifolds as 5.2.)
/// - Plateau at or above it: neighbour ratios read high dimensions low (M10c, k = 24: 18),
///   and the answer is DANCo's, whose calibration by simulation corrects that bias.
/// - No plateau: the dimension changes at every scale (too few points for the dimension,
///   or curvature at the scale of the sampling). The number is still DANCo's, for the
///   table, but `hasPlateau` is false and the dimension verdict says "not resolvable".
public struct AutomaticDimension: Sendable {
    /// Gride at every scale.
    public let gride: GrideDimension
    /// n₁ where the plateau starts (nil: no plateau).
    public let plateauStart: Int?
    /// DANCo (nil when Gride's plateau answered and DANCo was not needed).
    public let danco: DANCoDimension?
    /// The answer.
    public let dimension: Double
    /// What the answer is: "DANCo" or "Gride, n₁ = 4–8".
    public let method: String
    /// The rule and its numbers, for the report.
    public let note: String
    /// Relative tolerance of the plateau.
    public let tolerance: Double

    public var hasPlateau: Bool { plateauStart != nil }

    /// The scale curve needs a search of 64 neighbours (N ≥ 65); DANCo runs on `x` itself.
    /// O(N²·D) for the searches plus DANCo's calibration (cached per N).
    public init(of x: Matrix, neighbors: NearestNeighbors, tolerance: Double = 0.1, highDimension: Double = 8, seed: UInt64 = 0,
                workers: Int = BLAS.threads) throws {
        func formatted(_ v: Double) -> String { String(format: "%.2f", v) }
        let rangeMax = min(64, neighbors.k)
        let gride = try GrideDimension(neighbors: neighbors, rangeMax: rangeMax)
        self.gride = gride
        self.tolerance = tolerance
        let s = gride.scales
        let plateau = GridePlateau(gride, tolerance: tolerance)
        let start = plateau.index
        let curve = s.map { "\($0.n1): " + String(format: "%.2f", $0.dimension) }.joined(separator: ", ")
        plateauStart = start.map { s[$0].n1 }
        if let i = start, let value = plateau.value, value < highDimension {
            danco = nil
            dimension = value
            method = "Gride, n₁ = \(s[i].n1)–\(s[i + 1].n1)"
            note = (i > 0 ? "Gride rises at the smallest scales (n₁ = 1: \(String(format: "%.2f", s[0].dimension))), the mark of noise; its plateau"
                        : "Gride is flat from the smallest scale; its plateau")
                + " (consecutive scales within \(Int(tolerance * 100)) %) starts at n₁ = \(s[i].n1) and reads below \(formatted(highDimension)). "
                + "Gride by n₁: \(curve)."
        } else {
            let d = try DANCoDimension(of: x, seed: seed, workers: workers)
            danco = d
            dimension = d.dimension
            method = "DANCo"
            note = start == nil
                ? "no plateau: Gride changes by more than \(Int(tolerance * 100)) % between every two consecutive scales (\(curve)); the number is DANCo's and is not to be trusted"
                : "Gride's plateau reads \(formatted(plateau.value ?? .nan)) ≥ \(formatted(highDimension)), where neighbour ratios read low, so DANCo (Gride by n₁: \(curve))"
        }
    }
}

/// The plateau rule on a Gride scale curve: the first pair of consecutive scales (n₁, 2n₁),
/// from the smallest up, whose estimates differ by at most `tolerance` of their mean; its
/// value is their mean.
public struct GridePlateau: Sendable, Hashable {
    /// Index into `gride.scales` of the plateau's first scale (nil: none).
    public let index: Int?
    /// n₁ of the plateau's first scale.
    public let start: Int?
    /// The mean of the two estimates.
    public let value: Double?

    public init(_ gride: GrideDimension, tolerance: Double = 0.1) {
        let s = gride.scales
        var found: Int?
        for i in 0..<max(0, s.count - 1) {
            let a = s[i].dimension, b = s[i + 1].dimension
            if abs(a - b) <= tolerance * (a + b) / 2 { found = i; break }
        }
        index = found
        start = found.map { s[$0].n1 }
        value = found.map { (s[$0].dimension + s[$0 + 1].dimension) / 2 }
    }
}
