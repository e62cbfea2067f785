import Foundation

/// The intrinsic-dimension estimators of this module, by the quantity each one reads.
public enum DimensionEstimator: String, Sendable, Hashable, CaseIterable {
    /// Slope of ln C(r) over a scaling region (`CorrelationDimension`).
    case correlationDimension
    /// scikit-dimension's two-radius slope of C(r) (`TwoRadiusCorrelationDimension`).
    case corrInt
    /// Levina–Bickel maximum likelihood on k neighbour distances (`MaximumLikelihoodDimension`).
    case maximumLikelihood
    /// Pareto fit to second/first neighbour distance ratios (`TwoNearestNeighborsDimension`).
    case twoNearestNeighbors
    /// Components explaining a variance fraction (`PrincipalComponentDimension`).
    case principalComponents

    /// The label reports use for the estimator.
    public var displayName: String {
        switch self {
        case .correlationDimension: "correlation dimension"
        case .corrInt: "CorrInt"
        case .maximumLikelihood: "MLE (Levina–Bickel)"
        case .twoNearestNeighbors: "TwoNN"
        case .principalComponents: "PCA"
        }
    }

    /// The estimator whose `displayName` is `label`, if any.
    public init?(displayName label: String) {
        guard let match = Self.allCases.first(where: { $0.displayName == label }) else { return nil }
        self = match
    }

    /// Whether the estimate is a slope of the correlation sum C(r), the fraction of pairs
    /// closer than r. Only these are limited by the number of pairs at small r.
    public var isCorrelationSum: Bool {
        switch self {
        case .correlationDimension, .corrInt: true
        case .maximumLikelihood, .twoNearestNeighbors, .principalComponents: false
        }
    }
}

/// The Eckmann–Ruelle sample-size bound for correlation-sum estimators: a slope of
/// ln C(r) against ln r read from N points cannot exceed about 2·log₁₀ N, because C falls
/// from 1 to about 1/N² over the radii, and a scaling region must span at least a decade
/// of r where C still rests on many pairs (Eckmann & Ruelle 1992, "Fundamental limitations
/// for estimating dimensions and Lyapunov exponents in dynamical systems", Physica D 56,
/// 185–187). Equivalently N must exceed about 10^(D/2).
///
/// It bounds the correlation dimension and CorrInt only: the MLE and TwoNN model the
/// distribution of a few neighbour distances of each point, not the count of pairs, and
/// have their own (different) small-sample behaviour. `applies(to:)` says which.
public struct EckmannRuelleBound: Sendable, Hashable {
    /// N, the number of points the correlation sum was counted on.
    public let pointCount: Int

    public init(pointCount: Int) {
        self.pointCount = pointCount
    }

    /// 2·log₁₀ N: the largest dimension N points can support.
    public var maximumDimension: Double { 2 * log10(Double(pointCount)) }

    /// Whether `dimension` is larger than N points can support.
    public func isExceeded(by dimension: Double) -> Bool { dimension > maximumDimension }

    /// Whether the bound concerns `estimator` (the correlation-sum estimators only).
    public static func applies(to estimator: DimensionEstimator) -> Bool { estimator.isCorrelationSum }
}
