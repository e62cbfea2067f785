import Foundation
import Linalg

/// `auto`: chooses an estimator from the data's shape and a pilot, never from a name.
///
/// Both candidates are computed on the normal scores (`MarginalGaussianisation`), which I(X;Y)
/// does not change:
/// - the Gaussian copula estimate G (bias-corrected `GaussianMutualInformation` on the
///   scores): exact in the limit when the dependence is a monotone transform of a
///   multinormal, in any dimension;
/// - KSG-1 on the scores, K, when d_x + d_y ≤ `maximumNeighbourDimension` (above that its
///   negative bias grows with I and d; Kraskov et al. 2004, Gao et al. 2015).
///
/// Rule: K when it exceeds G by more than 2·√(s_K² + s_G²) (its half-sample standard errors)
/// — dependence the copula's correlations do not carry, which KSG sees —, else G.
public struct AutomaticMutualInformation: Sendable {
    public var k: Int
    public var maximumNeighbourDimension: Int
    public var options: ReliabilityOptions
    public var threads: Int?

    public init(k: Int = 3, maximumNeighbourDimension: Int = 10, options: ReliabilityOptions = ReliabilityOptions(), threads: Int? = nil) {
        self.k = k; self.maximumNeighbourDimension = maximumNeighbourDimension; self.options = options; self.threads = threads
    }

    /// The rule in words, for the report.
    public var rule: String {
        "on normal scores: KSG-1 (k = \(k)) when d_x + d_y ≤ \(maximumNeighbourDimension) and it exceeds the Gaussian copula estimate by more than 2 standard errors, else the Gaussian copula estimate; "
            + "KSG in d_x + d_y ≥ \(MutualInformationReliability.lowerBoundDimension) claims only a lower bound"
    }

    /// The outcome: the chosen estimate and every candidate computed, with the reason.
    public struct Result: Sendable, Hashable, Codable {
        public var chosen: CheckedMutualInformation
        public var candidates: [CheckedMutualInformation]
        public var reason: String
    }

    public func estimate(_ x: Matrix, _ y: Matrix, generator: inout SeededGenerator) throws -> Result {
        let sx = MarginalGaussianisation.scores(x), sy = MarginalGaussianisation.scores(y)
        let g = try MutualInformationReliability.check(MutualInformationMethod.gaussianCopula.label(k: k), sx, sy, options: options,
                                                       generator: &generator) { try GaussianMutualInformation().information($0, $1) }
        guard x.columns + y.columns <= maximumNeighbourDimension, x.rows > k + 4 else {
            return Result(chosen: g, candidates: [g],
                          reason: "d_x + d_y = \(x.columns + y.columns) > \(maximumNeighbourDimension): Gaussian copula")
        }
        let ksg = KraskovStogbauerGrassberger(k: k, variant: .first, threads: threads)
        let oneSided = MutualInformationReliability.lowerBoundOnly(kNearestNeighbours: true, dimX: x.columns, dimY: y.columns)
        let kk = try MutualInformationReliability.check(MutualInformationMethod.ksgCopula.label(k: k), sx, sy, options: options,
                                                        oneSided: oneSided, generator: &generator) { try ksg.information($0, $1) }
        let margin = 2 * (g.spread * g.spread + kk.spread * kk.spread).squareRoot()
        let gap = kk.estimate.value - g.estimate.value
        if gap > margin {
            return Result(chosen: kk, candidates: [g, kk],
                          reason: String(format: "KSG on scores exceeds the Gaussian copula by %.3f > 2 s.e. = %.3f nats: KSG", gap, margin))
        }
        return Result(chosen: g, candidates: [g, kk],
                      reason: String(format: "KSG on scores − Gaussian copula = %.3f ≤ 2 s.e. = %.3f nats: Gaussian copula", gap, margin))
    }
}
