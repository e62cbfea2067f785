import Foundation

/// H(d) = H_white(d) + ½·ln det Σ(d): which of the two terms moves H past the bend. The
/// report's explanation of an H(d) curve is this sentence, generated from the numbers, so it
/// cannot contradict them (the 0.242 bandwidth bound, for one, concerns H_white only).
public struct EntropyDecomposition: Sendable, Hashable {
    /// The stretch explained: from the bend (or the start) to the last d.
    public var from: Int
    public var to: Int
    public var deltaH: Double
    public var deltaWhite: Double
    public var deltaLogDeterminant: Double
    public var explanation: String

    /// A term "carries" a change when it accounts for at least this fraction of it.
    public static let dominantShare = 0.8
    /// Changes of H smaller than this (nats) count as level.
    public static let levelTolerance = 0.1

    /// nil when fewer than two d have all three values finite.
    public init?(d: [Int], h: [Double], white: [Double], logDeterminant: [Double], bend: Int?) {
        let ok = d.indices.filter { h[$0].isFinite && white[$0].isFinite && logDeterminant[$0].isFinite }
        guard let lastIndex = ok.last else { return nil }
        let bendIndex = bend.flatMap { b in ok.first { d[$0] == b } }
        let peak = ok.max { h[$0] < h[$1] }
        guard let start = (bendIndex.flatMap { $0 < lastIndex ? $0 : nil }) ?? (peak.flatMap { $0 < lastIndex ? $0 : nil }) ?? ok.first,
              start < lastIndex else { return nil }
        from = d[start]
        to = d[lastIndex]
        deltaH = h[lastIndex] - h[start]
        deltaWhite = white[lastIndex] - white[start]
        deltaLogDeterminant = logDeterminant[lastIndex] - logDeterminant[start]
        explanation = Self.sentence(from: from, to: to, h: deltaH, white: deltaWhite, logDet: deltaLogDeterminant)
    }

    static func sentence(from a: Int, to b: Int, h: Double, white: Double, logDet: Double) -> String {
        let terms = "H_white \(signed(white)), ½·ln det Σ \(signed(logDet))"
        guard abs(h) >= levelTolerance else {
            return "From d = \(a) to \(b) H stays level (\(signed(h)) nats): \(terms)."
        }
        let verb = h < 0 ? "falls" : "rises"
        let head = "From d = \(a) to \(b) H \(verb) by \(format(abs(h))) nats (\(terms))"
        for (name, share, other, otherValue) in [("½·ln det Σ", logDet / h, "H_white", white), ("H_white", white / h, "½·ln det Σ", logDet)]
        where share > 2 - dominantShare {
            return head + ": \(name) carries more than all of it, while \(other) moves the other way (\(signed(otherValue)))."
        }
        if logDet / h >= dominantShare {
            let why = logDet < 0
                ? "the codes' covariance shrinks (new code units with little variance), not a change in their shape — the 0.242 bandwidth bound does not govern it"
                : "the codes' covariance grows"
            return head + ": almost all of it is ½·ln det Σ — \(why)."
        }
        if white / h >= dominantShare {
            let why = white < 0
                ? "the whitened codes themselves lose entropy: an extra dimension adds ½·ln(2πe·h*²) < 0 while h* < 0.242"
                : "the whitened codes gain entropy: each new code unit carries information"
            return head + ": almost all of it is H_white — \(why)."
        }
        return head + ": both terms move it."
    }

    static func signed(_ x: Double) -> String { (x < 0 ? "−" : "+") + format(abs(x)) }
    static func format(_ x: Double) -> String { String(format: x < 10 ? "%.2f" : "%.1f", x) }
}
