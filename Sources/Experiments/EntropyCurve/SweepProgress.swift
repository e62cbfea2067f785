/// How far a sweep is, in time: the (d, seed) units left, each an autoencoder's epochs and
/// then the estimates on its codes, priced at the epoch and estimate times measured so far.
///
/// The fraction it reports is the share of the expected time already spent, so a progress
/// line that divides elapsed time by the fraction (`TerminalProgress`) shows an ETA derived
/// from measured epoch times, not from a count of units whose cost differs (a cached unit
/// takes milliseconds, an MNIST autoencoder tens of seconds). Units served from the cache
/// add no measured time; units ahead are priced as if computed, so a partly cached sweep's
/// ETA errs long. The fraction steps back when epochs slow down (another job takes a core):
/// the time left grows, and the ETA says so rather than a bar that only moves forward.
public struct SweepProgress: Sendable, Hashable {
    /// (d, seed) units in the sweep.
    public let units: Int
    /// Epochs each autoencoder trains (fewer when it stops early).
    public let epochsPerUnit: Int
    /// The most recent epochs the mean epoch time is taken over, so the ETA follows a
    /// change of load on a shared machine.
    public var window = 20

    public private(set) var unitsDone = 0
    public private(set) var epochsInUnit = 0
    /// Seconds of estimates computed for the current unit so far (nil: none yet).
    private var estimateInUnit: Double?
    private var epochSeconds = [Double]()
    private var estimateSeconds = [Double]()

    public init(units: Int, epochsPerUnit: Int) {
        self.units = max(units, 1)
        self.epochsPerUnit = max(epochsPerUnit, 1)
    }

    /// One epoch of the current unit's autoencoder finished after `seconds`.
    public mutating func epochFinished(seconds: Double) {
        epochsInUnit += 1
        epochSeconds.append(max(seconds, 0))
    }

    /// One of the current unit's estimates (entropies, correlation dimension) was computed
    /// in `seconds`; a unit's estimates are priced together.
    public mutating func estimatesFinished(seconds: Double) {
        estimateInUnit = (estimateInUnit ?? 0) + max(seconds, 0)
    }

    /// The current unit is done (computed or from the cache).
    public mutating func unitFinished() {
        unitsDone = min(unitsDone + 1, units)
        epochsInUnit = 0
        if let spent = estimateInUnit { estimateSeconds.append(spent) }
        estimateInUnit = nil
    }

    /// Mean of the last `window` measured epochs; nil before the first.
    public var secondsPerEpoch: Double? { Self.mean(epochSeconds.suffix(window)) }

    /// Mean of the last three units' measured estimate times; nil before the first.
    public var secondsPerEstimate: Double? { Self.mean(estimateSeconds.suffix(3)) }

    /// Seconds still to go at the measured rates; nil until an epoch has been measured.
    /// Estimates not yet measured count as free until the first one is.
    public var remainingSeconds: Double? {
        guard let epoch = secondsPerEpoch else { return nil }
        let unitsLeft = units - unitsDone
        guard unitsLeft > 0 else { return 0 }
        let epochsLeft = max(unitsLeft * epochsPerUnit - epochsInUnit, 0)
        let estimatesLeft = max(Double(unitsLeft) * (secondsPerEstimate ?? 0) - (estimateInUnit ?? 0), 0)
        return Double(epochsLeft) * epoch + estimatesLeft
    }

    /// Share of the expected time spent: measured / (measured + remaining); by count of
    /// units until something has been measured.
    public var fraction: Double {
        let spent = epochSeconds.reduce(0, +) + estimateSeconds.reduce(0, +) + (estimateInUnit ?? 0)
        guard let remaining = remainingSeconds, spent + remaining > 0 else { return Double(unitsDone) / Double(units) }
        return min(max(spent / (spent + remaining), 0), 1)
    }

    private static func mean<C: Collection>(_ values: C) -> Double? where C.Element == Double {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
