import Foundation
import Linalg

/// A differential entropy estimate in nats, with what it was computed from.
///
/// When the data were whitened, `value` is the entropy of the original variable,
/// `whitenedEntropy + ½·logDetCovariance` (h(AX) = h(X) + ln|det A|); otherwise the two are
/// equal and `logDetCovariance` is 0.
public struct EntropyEstimate: Sendable, Hashable {
    /// The estimator, as shown in reports ("KDE leave-one-out", "Kozachenko–Leonenko k=4").
    public var method: String
    /// The entropy of the original variable, in nats.
    public var value: Double
    /// Standard error of `value` from the spread of the per-point terms, sd/√(terms), in nats.
    /// It ignores the dependence between terms, so it is a lower bound of the true error.
    public var standardError: Double
    /// The kernel bandwidth h (whitened units when whitened); `nil` for k-NN.
    public var bandwidth: Double?
    /// Number of points n.
    public var count: Int
    /// Dimension d.
    public var dimension: Int
    /// The entropy of the whitened data ("H_white"), affine invariant: it does not change
    /// when the data are scaled or rotated.
    public var whitenedEntropy: Double
    /// ln det Σ of the sample covariance (0 when not whitened).
    public var logDetCovariance: Double
    /// Whether the estimate was computed on whitened data (or, for sample propagation, on
    /// standardised data: then `logDetCovariance` is ln det of the diagonal of Σ).
    public var whitened: Bool
    /// The known noise σ of a noise-regularised estimate (sample propagation), in the units of
    /// the whitened or standardised data; `nil` for the other estimators.
    public var noise: Double?
    /// The number of Monte-Carlo draws the estimate averages over, when it is a Monte-Carlo one.
    public var monteCarloSamples: Int?
    /// The leave-one-out log-likelihood against bandwidth, when the bandwidth was searched.
    public var likelihoodCurve: LikelihoodCurve?

    public init(method: String, whitenedEntropy: Double, standardError: Double, bandwidth: Double?, count: Int,
                dimension: Int, logDetCovariance: Double, whitened: Bool, likelihoodCurve: LikelihoodCurve? = nil) {
        self.method = method
        self.value = whitenedEntropy + 0.5 * logDetCovariance
        self.standardError = standardError
        self.bandwidth = bandwidth
        self.count = count
        self.dimension = dimension
        self.whitenedEntropy = whitenedEntropy
        self.logDetCovariance = logDetCovariance
        self.whitened = whitened
        self.likelihoodCurve = likelihoodCurve
    }

    /// The term the affine map adds back, `value − whitenedEntropy` = ½·ln det Σ = ln|det A⁻¹|
    /// (Σ ln sdⱼ after standardising coordinate by coordinate), in nats.
    public var logDeterminantTerm: Double { 0.5 * logDetCovariance }
}

/// Why an entropy could not be estimated.
public enum EntropyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Too few points or no dimensions.
    case tooFewPoints(String)
    /// NaN or infinite coordinates.
    case nonFinite
    /// The leave-one-out likelihood has no interior maximum over the bandwidths tried.
    case bandwidthSearchFailed(String)
    /// k-NN distances of zero (duplicate points) make ln ε = −∞.
    case duplicatePoints(count: Int, k: Int)
    /// A given parameter is out of range.
    case invalidParameter(String)

    public var description: String {
        switch self {
        case .tooFewPoints(let s): s
        case .nonFinite: "the data contain NaN or infinite values"
        case .bandwidthSearchFailed(let s): "no leave-one-out maximum-likelihood bandwidth: " + s
        case .duplicatePoints(let count, let k):
            "\(count) points have their \(k)-th nearest neighbour at distance 0 (duplicate points), so ln ε = −∞; "
                + "raise k above the largest number of copies of a point, or remove the duplicates"
        case .invalidParameter(let s): s
        }
    }
}

/// The data an estimator works on: whitened (with ½·ln det Σ to add back) or as given.
struct PreparedData {
    var points: Matrix
    var logDetCovariance: Double
    /// σ̄ = √(tr Σ / d): the scale of the bandwidth rules (1 after whitening).
    var meanStandardDeviation: Double

    init(_ x: Matrix, whiten: Bool) throws {
        guard x.columns >= 1 else { throw EntropyError.tooFewPoints("entropy of 0-dimensional data is undefined") }
        guard x.rows >= 2 else { throw EntropyError.tooFewPoints("an entropy estimate needs at least 2 points, have \(x.rows)") }
        guard x.isFinite else { throw EntropyError.nonFinite }
        if whiten {
            let whitening = try Whitening(fitting: x)
            points = try whitening.whiten(x)
            logDetCovariance = whitening.logDeterminant
            meanStandardDeviation = 1
        } else {
            points = x
            logDetCovariance = 0
            let covariance = x.covariance()
            let trace = (0..<x.columns).reduce(0.0) { $0 + covariance[$1, $1] }
            meanStandardDeviation = (trace / Double(x.columns)).squareRoot()
        }
    }
}

/// Mean and standard error (sd/√n, sd with divisor n−1) of per-point terms.
func meanAndStandardError(_ terms: [Double]) -> (mean: Double, standardError: Double) {
    let n = Double(terms.count)
    let mean = terms.reduce(0, +) / n
    guard terms.count > 1 else { return (mean, .nan) }
    let variance = terms.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, (variance / n).squareRoot())
}
