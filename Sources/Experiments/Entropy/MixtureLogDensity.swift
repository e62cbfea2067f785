import Linalg

extension SamplePropagationEntropy {
    /// ln g(yⱼ) for every row yⱼ of `draws`, g = (1/n)·Σᵢ φ_σ(y − sᵢ) the Gaussian mixture on
    /// the rows sᵢ of `points` with the known σ, in nats: the density that sample propagation
    /// integrates, for estimators that need it per draw (the information plane's pointwise
    /// mutual information). Centre both sets by the same vector first: the Float32 distance
    /// expansion loses accuracy far from the origin.
    /// - Throws: `EntropyError` for no points or mismatched widths, or a cancellation.
    public static func mixtureLogDensities(of draws: Matrix, mixtureOn points: Matrix, noise sigma: Double,
                                           threads: Int) throws -> [Double] {
        guard points.rows >= 1, points.columns >= 1 else { throw EntropyError.tooFewPoints("a mixture needs at least 1 point") }
        guard draws.columns == points.columns else {
            throw EntropyError.invalidParameter("draws have \(draws.columns) columns, the mixture's points \(points.columns)")
        }
        guard sigma > 0, sigma.isFinite else { throw EntropyError.invalidParameter("the noise σ must be a positive number, not \(sigma)") }
        guard draws.rows > 0 else { return [] }
        return try negativeLogDensities(of: draws, mixtureOn: points, noise: sigma, threads: max(1, threads)).map { -$0 }
    }
}
