/// An ordinary least-squares line y ≈ intercept + slope·x, in Double.
public struct LineFit: Sendable, Hashable {
    public let slope: Double
    public let intercept: Double
    /// Coefficient of determination, 1 − SSE/SST (1 when y is constant and fitted exactly).
    public let rSquared: Double
    /// Sum of squared residuals.
    public let residualSumOfSquares: Double

    /// Fits the points (x[i], y[i]); needs at least two distinct x. O(n).
    public init?(x: some Collection<Double>, y: some Collection<Double>) {
        let n = Double(x.count)
        guard x.count == y.count, x.count >= 2 else { return nil }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxx += (a - mx) * (a - mx)
            sxy += (a - mx) * (b - my)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = my - slope * mx
        residualSumOfSquares = max(0, syy - slope * sxy)
        rSquared = syy > 0 ? 1 - residualSumOfSquares / syy : 1
    }
}
