import Foundation
import Linalg

/// The correlation dimension: the slope of ln C(r) against ln r over a scaling region
/// chosen automatically (Grassberger & Procaccia 1983).
///
/// The local slope at each radius is the least-squares slope over its neighbours
/// (±`stencil` radii). Radii with too few pairs (noise) or too large a C (saturation) are
/// left out; among the remaining, the scaling region is the widest run of consecutive
/// radii whose local slopes stay within `tolerance` of each other (relative to their mean),
/// ties going to the flattest run. The estimate is the least-squares slope over that run.
/// Estimates above 2·log₁₀ N cannot be trusted (`EckmannRuelleBound`).
public struct CorrelationDimension: Sendable, Hashable {
    /// How the scaling region is chosen.
    public struct Options: Sendable, Hashable {
        /// Radii whose C counts fewer pairs than this are noise and are not used.
        public var minimumPairs: UInt64
        /// Radii with C above this are saturated (the set's diameter shows) and are not used.
        public var maximumCorrelation: Double
        /// Local slopes in the region may differ by at most this fraction of their mean.
        public var tolerance: Double
        /// Half-width, in radii, of the local slope fit.
        public var stencil: Int
        /// The fewest radii a scaling region may have.
        public var minimumPoints: Int
        public init(minimumPairs: UInt64 = 50, maximumCorrelation: Double = 0.1, tolerance: Double = 0.1,
                    stencil: Int = 2, minimumPoints: Int = 5) {
            self.minimumPairs = minimumPairs
            self.maximumCorrelation = maximumCorrelation
            self.tolerance = tolerance
            self.stencil = stencil
            self.minimumPoints = minimumPoints
        }
    }

    /// A local slope d ln C / d ln r at one radius.
    public struct LocalSlope: Sendable, Hashable {
        public let radius: Double
        public let slope: Double
    }

    /// The estimated correlation dimension (slope over the scaling region).
    public let dimension: Double
    /// ln C ≈ intercept + dimension · ln r over the region.
    public let intercept: Double
    /// R² of the fit over the region.
    public let rSquared: Double
    /// Indices into `integral.radii` of the region's first and last radius.
    public let windowIndices: ClosedRange<Int>
    /// Local slopes at every usable radius (for the local-slope plot).
    public let localSlopes: [LocalSlope]
    /// (max − min)/mean of the local slopes inside the region.
    public let slopeSpread: Double
    /// False when no run of `minimumPoints` radii met the tolerance and the flattest run was
    /// taken instead: the estimate then has no clear scaling region.
    public let withinTolerance: Bool
    /// The correlation integral the fit was made on.
    public let integral: CorrelationIntegral

    /// The radii at the ends of the scaling region.
    public var window: ClosedRange<Double> { integral.radii[windowIndices.lowerBound]...integral.radii[windowIndices.upperBound] }
    /// The sample-size bound of this correlation-sum estimate.
    public var eckmannRuelle: EckmannRuelleBound { EckmannRuelleBound(pointCount: integral.pointCount) }
    /// 2·log₁₀ N: estimates above it are not supported by N points (Eckmann–Ruelle).
    public var eckmannRuelleBound: Double { eckmannRuelle.maximumDimension }
    /// Whether the estimate exceeds the Eckmann–Ruelle bound.
    public var exceedsEckmannRuelleBound: Bool { eckmannRuelle.isExceeded(by: dimension) }

    /// Fits the scaling region of `integral`. Throws when fewer than `minimumPoints` radii
    /// are usable (widen the radius range or add points).
    public init(fitting integral: CorrelationIntegral, options: Options = Options()) throws {
        let c = integral.values
        let usable = integral.radii.indices.filter {
            integral.pairCounts[$0] >= max(options.minimumPairs, 1) && c[$0] <= options.maximumCorrelation
        }
        // The usable radii are contiguous: counts grow with r.
        guard let first = usable.first, let last = usable.last, usable.count >= max(options.minimumPoints, 2) else {
            throw DimensionError.noScalingRegion(
                "only \(usable.count) of \(integral.radii.count) radii have at least \(options.minimumPairs) pairs and C ≤ \(options.maximumCorrelation); need \(options.minimumPoints) (widen the radius range or use more points)")
        }
        let lnR = integral.radii.map { Foundation.log($0) }
        let lnC = c.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
        var slopes = [Double]()
        for i in first...last {
            let lo = max(first, i - options.stencil), hi = min(last, i + options.stencil)
            slopes.append(LineFit(x: lnR[lo...hi], y: lnC[lo...hi])?.slope ?? .nan)
        }
        // Widest run with (max − min) ≤ tolerance·mean; ties to the smallest spread.
        let minimumPoints = max(options.minimumPoints, 2)
        var best: (range: ClosedRange<Int>, spread: Double, ok: Bool)?
        for a in slopes.indices {
            var lo = Double.infinity, hi = -Double.infinity, sum = 0.0
            for b in a..<slopes.count {
                lo = min(lo, slopes[b]); hi = max(hi, slopes[b]); sum += slopes[b]
                let count = b - a + 1
                guard count >= minimumPoints else { continue }
                let mean = sum / Double(count)
                let spread = mean > 0 ? (hi - lo) / mean : .infinity
                let ok = spread <= options.tolerance
                let candidate = (range: a...b, spread: spread, ok: ok)
                if let current = best {
                    let better: Bool
                    if ok != current.ok { better = ok }
                    else if ok { better = count > current.range.count || (count == current.range.count && spread < current.spread) }
                    else { better = count == minimumPoints && spread < current.spread }
                    if better { best = candidate }
                } else if ok || count == minimumPoints {
                    best = candidate
                }
            }
        }
        guard let region = best else {
            throw DimensionError.noScalingRegion("the local slopes could not be computed")
        }
        let window = (first + region.range.lowerBound)...(first + region.range.upperBound)
        guard let fit = LineFit(x: lnR[window], y: lnC[window]) else {
            throw DimensionError.noScalingRegion("the radii of the region coincide")
        }
        self.dimension = fit.slope
        self.intercept = fit.intercept
        self.rSquared = fit.rSquared
        self.windowIndices = window
        self.localSlopes = zip(first...last, slopes).map { LocalSlope(radius: integral.radii[$0], slope: $1) }
        self.slopeSpread = region.spread
        self.withinTolerance = region.ok
        self.integral = integral
    }
}

/// The two-radius correlation dimension of scikit-dimension's `CorrInt` (after the R
/// package ider, Hino 2017): r₁ and r₂ are the medians over points of the distances to the
/// k₁-th and k₂-th nearest neighbours, and the estimate is ln(C(r₂)/C(r₁)) / ln(r₂/r₁).
/// A correlation-sum estimate, so `EckmannRuelleBound` applies.
public struct TwoRadiusCorrelationDimension: Sendable, Hashable {
    public let k1: Int
    public let k2: Int
    /// Median k₁-th and k₂-th neighbour distances.
    public let r1: Double
    public let r2: Double
    /// C(r₁) and C(r₂).
    public let c1: Double
    public let c2: Double
    /// ln(C(r₂)/C(r₁)) / ln(r₂/r₁).
    public let dimension: Double
    /// N, the number of points C was counted on.
    public let pointCount: Int

    /// The sample-size bound of this correlation-sum estimate.
    public var eckmannRuelle: EckmannRuelleBound { EckmannRuelleBound(pointCount: pointCount) }
    /// 2·log₁₀ N: estimates above it are not supported by N points (Eckmann–Ruelle).
    public var eckmannRuelleBound: Double { eckmannRuelle.maximumDimension }
    /// Whether the estimate exceeds the Eckmann–Ruelle bound.
    public var exceedsEckmannRuelleBound: Bool { eckmannRuelle.isExceeded(by: dimension) }

    /// Computes the estimate with neighbours already found (`neighbors.k ≥ k2`).
    /// O(N²·D) flops for the two pair counts.
    public init(of x: Matrix, neighbors: NearestNeighbors, k1: Int = 10, k2: Int = 20) throws {
        guard k1 >= 1, k1 < k2 else { throw DimensionError.invalidParameter("CorrInt needs 1 ≤ k1 < k2, got k1 = \(k1), k2 = \(k2)") }
        guard neighbors.k >= k2 else {
            throw DimensionError.invalidParameter("CorrInt needs \(k2) neighbours per point, the search found \(neighbors.k)")
        }
        let n = neighbors.distances.count / neighbors.k
        let r1 = median((0..<n).map { Double(neighbors.distance($0, neighbor: k1)) })
        let r2 = median((0..<n).map { Double(neighbors.distance($0, neighbor: k2)) })
        guard r1 > 0, r2 > r1 else {
            throw DimensionError.degenerate("CorrInt: the median \(k1)th and \(k2)th neighbour distances (\(r1), \(r2)) do not give two distinct positive radii")
        }
        let integral = try CorrelationIntegral(of: x, radii: [r1, r2])
        let c = integral.values
        guard c[0] > 0 else { throw DimensionError.degenerate("CorrInt: no pair closer than r1 = \(r1)") }
        self.k1 = k1
        self.k2 = k2
        self.r1 = r1
        self.r2 = r2
        self.c1 = c[0]
        self.c2 = c[1]
        self.dimension = Foundation.log(c[1] / c[0]) / Foundation.log(r2 / r1)
        self.pointCount = integral.pointCount
    }
}

/// The median (mean of the two middle values for an even count, as numpy does).
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let s = values.sorted()
    let m = s.count / 2
    return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
}
