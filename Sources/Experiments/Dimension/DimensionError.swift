/// Failures of the dimension estimators, with enough context for a reader to act on.
public enum DimensionError: Error, Equatable, CustomStringConvertible {
    /// The estimator needs more points than the data has.
    case tooFewPoints(needed: Int, have: Int, estimator: String)
    /// The data holds NaN or infinite values.
    case nonFinite(String)
    /// The input is degenerate for this estimator (all points equal, zero radii, …).
    case degenerate(String)
    /// A parameter is out of its meaningful range (radii not ascending, k too large, …).
    case invalidParameter(String)
    /// No scaling region satisfies the criteria; the message says what was found instead.
    case noScalingRegion(String)

    public var description: String {
        switch self {
        case .tooFewPoints(let needed, let have, let estimator):
            "\(estimator) needs at least \(needed) points, the data has \(have)"
        case .nonFinite(let what): "\(what) contains NaN or infinite values"
        case .degenerate(let what): what
        case .invalidParameter(let what): what
        case .noScalingRegion(let what): "no scaling region found: \(what)"
        }
    }
}
