import Foundation

/// A second run of at least four radii of C(r)'s local slopes, as flat as the tolerance
/// asks, whose slope differs by more than 15% from the fit's: then C(r) has no single
/// scaling region and the estimate depends on the radii (MNIST's local slopes fall from
/// about 9 to 4.7 and rise again; the automatic window lands on either plateau).
/// `isPlateau` is false for the bottom of a V (or the top of a Λ): the slopes just outside
/// the widest flat run around it leave it in the same direction on both sides, so the
/// slope only passes through that value — a turn, not a second scaling region (issue 15).
public struct CompetingScalingRegion: Sendable, Hashable {
    /// The run's mean local slope.
    public let slope: Double
    /// The radii of the run's first and last local slopes.
    public let from: Double
    public let to: Double
    /// Whether the run is a plateau rather than the turning point of a V or Λ.
    public let isPlateau: Bool

    /// The run whose slope is farthest from `fit.dimension`, or nil when every flat run of
    /// four (or the window's count, if smaller) local slopes is within 15% of it.
    /// `tolerance`: the largest (max − min) / mean of a flat run (the fit's own tolerance).
    public init?(of fit: CorrelationDimension, tolerance: Double) {
        let slopes = fit.localSlopes
        let width = min(4, fit.windowIndices.count)
        guard width >= 2, slopes.count > width else { return nil }
        var best: (mean: Double, from: Double, to: Double, start: Int)?
        for start in 0...(slopes.count - width) {
            let run = slopes[start..<(start + width)].map(\.slope)
            guard run.allSatisfy(\.isFinite), let lo = run.min(), let hi = run.max() else { continue }
            let mean = run.reduce(0, +) / Double(width)
            guard mean > 0, (hi - lo) / mean <= tolerance, abs(mean - fit.dimension) / fit.dimension > 0.15 else { continue }
            if best == nil || abs(mean - fit.dimension) > abs((best?.mean ?? 0) - fit.dimension) {
                best = (mean, slopes[start].radius, slopes[start + width - 1].radius, start)
            }
        }
        guard let best else { return nil }
        slope = best.mean
        from = best.from
        to = best.to
        isPlateau = Self.isPlateau(slopes.map(\.slope), start: best.start, width: width, tolerance: tolerance)
    }

    /// Whether the flat run of `width` slopes at `start` is a plateau: widened while it stays
    /// flat, the slopes just outside it leave it in opposite directions (a step), or it
    /// reaches an end of the slopes. The same direction on both sides is a V or a Λ.
    public static func isPlateau(_ slopes: [Double], start: Int, width: Int, tolerance: Double) -> Bool {
        guard width >= 1, start >= 0, start + width <= slopes.count else { return false }
        var lo = start, hi = start + width - 1
        func flat(_ a: Int, _ b: Int) -> Bool {
            let run = slopes[a...b]
            guard let mn = run.min(), let mx = run.max() else { return false }
            let mean = run.reduce(0, +) / Double(run.count)
            return mean > 0 && (mx - mn) / mean <= tolerance
        }
        while lo > 0, flat(lo - 1, hi) { lo -= 1 }
        while hi < slopes.count - 1, flat(lo, hi + 1) { hi += 1 }
        guard lo > 0, hi < slopes.count - 1 else { return true }
        let mean = slopes[lo...hi].reduce(0, +) / Double(hi - lo + 1)
        let left = slopes[lo - 1] - mean, right = slopes[hi + 1] - mean
        return (left > 0) != (right > 0)
    }
}
