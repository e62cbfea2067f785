/// An estimate of I(X;Y) in nats.
public struct MutualInformationEstimate: Sendable, Hashable, Codable {
    public var estimator: String      // row label, e.g. "KSG-1 (k = 3)"
    public var value: Double          // nats
    public var lower: Double?         // confidence interval, nats
    public var upper: Double?
    public var details: [String: Double]
    public init(estimator: String, value: Double, lower: Double? = nil, upper: Double? = nil, details: [String: Double] = [:]) {
        self.estimator = estimator
        self.value = value
        self.lower = lower
        self.upper = upper
        self.details = details
    }
}
