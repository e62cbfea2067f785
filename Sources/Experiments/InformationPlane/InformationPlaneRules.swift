import Foundation

/// The rules that turn an information plane into verdicts, on plain numbers so that each rule
/// can be tested on hand-made cases (the `{claim}` tests of `{information-plane}` call them).
///
/// A change counts when it exceeds `change` nats and twice the combined spread of its two
/// ends (`exceeds`). A row's estimate is not evidence when it breaks what the true values
/// obey (`dataProcessingFailures`): I(T;Y) ≤ H(Y), I(T;Y) ≤ I(X;T) (Y – X – T is a Markov
/// chain), and with the noise propagated through the network I(X;T_l) ≤ min over l′ < l of
/// I(X;T_l′) (X → T₁ → T₂ → … is one). Compression (`compression`) is inconclusive when the
/// peak sits within `ceilingMargin` of ln n (the estimate's ceiling: the n read-outs do not
/// overlap, so it measures n, not the network), at the first read-out, or on a row that
/// breaks the bounds above or fails its estimator's diagnostic; with a bracket (a lower bound
/// and an upper one), the upper bound at the end must fall below the lower bound at the peak.
public enum InformationPlaneRules {
    /// Smallest change that counts, nats.
    public static let change = 0.05
    /// A peak within this of ln n is at the ceiling, nats.
    public static let ceilingMargin = 0.1

    /// An estimate and the spread a change is judged against (half the range over seeds, or
    /// the Monte-Carlo standard error for one seed).
    public struct Value: Sendable, Hashable {
        public var median: Double
        public var spread: Double
        public init(_ median: Double, spread: Double = 0) {
            self.median = median
            self.spread = spread
        }
    }

    /// One (layer, epoch) row of the plane.
    public struct Reading: Sendable, Hashable {
        public var epoch: Int
        /// I(X;T) and I(T;Y), nats (nil when not estimated); with `upper`, `input` is a lower bound.
        public var input: Value?
        public var label: Value?
        /// An upper bound on I(X;T) when `input` is a lower one (the propagated noise's bracket).
        public var upper: Value?
        /// Whether the estimator's own diagnostic passed on this row (for the propagated noise:
        /// the chains overlap).
        public var diagnosticPasses: Bool
        public init(epoch: Int, input: Value?, label: Value? = nil, upper: Value? = nil, diagnosticPasses: Bool = true) {
            self.epoch = epoch
            self.input = input
            self.label = label
            self.upper = upper
            self.diagnosticPasses = diagnosticPasses
        }
    }

    /// One hidden layer's readings (1-based `layer`), in epoch order.
    public struct Layer: Sendable, Hashable {
        public var layer: Int
        public var readings: [Reading]
        public init(layer: Int, readings: [Reading]) {
            self.layer = layer
            self.readings = readings.sorted { $0.epoch < $1.epoch }
        }
    }

    /// What bounds the plane: ln n of the n evaluation rows, H(Y) of their labels, and whether
    /// the layers form a Markov chain (noise propagated through the network).
    public struct Bounds: Sendable, Hashable {
        public var lnN: Double
        public var labelEntropy: Double
        public var markovAcrossLayers: Bool
        public init(lnN: Double, labelEntropy: Double, markovAcrossLayers: Bool) {
            self.lnN = lnN
            self.labelEntropy = labelEntropy
            self.markovAcrossLayers = markovAcrossLayers
        }
    }

    /// Confirmed / partly / not confirmed, or inconclusive (the numbers cannot decide).
    public enum Verdict: String, Sendable, Hashable {
        case confirmed, partly, notConfirmed = "not confirmed", inconclusive
    }

    /// Whether `to` exceeds `from` by `change` and twice the combined spread.
    public static func exceeds(_ to: Value, _ from: Value) -> Bool {
        let spread = (from.spread * from.spread + to.spread * to.spread).squareRoot()
        return to.median - from.median > max(change, 2 * spread)
    }

    /// The rows whose estimates break a bound of the true values beyond their intervals, with
    /// the reason, keyed by layer and epoch.
    public static func dataProcessingFailures(_ layers: [Layer], bounds: Bounds) -> [Key: String] {
        var failures = [Key: String]()
        let ordered = layers.sorted { $0.layer < $1.layer }
        let ceiling = Value(bounds.labelEntropy)
        for (index, layer) in ordered.enumerated() {
            for r in layer.readings {
                var reasons = [String]()
                if let y = r.label, exceeds(y, ceiling) {
                    reasons.append("I(T;Y) \(short(y.median)) > H(Y) \(short(bounds.labelEntropy))")
                }
                if let y = r.label, let x = r.upper ?? r.input, exceeds(y, x) {
                    reasons.append("I(T;Y) \(short(y.median)) > I(X;T) \(short(x.median))")
                }
                if bounds.markovAcrossLayers, let x = r.input {
                    // With a bracket, a lower bound above an earlier layer's upper bound breaks it.
                    let earlier = ordered[..<index].compactMap { l in
                        l.readings.first { $0.epoch == r.epoch }.flatMap { e in (e.upper ?? e.input).map { (l.layer, $0) } }
                    }
                    if let (l, low) = earlier.min(by: { $0.1.median < $1.1.median }), exceeds(x, low) {
                        reasons.append("I(X;T) \(short(x.median)) > layer \(l)'s \(short(low.median))")
                    }
                }
                if !reasons.isEmpty { failures[Key(layer: layer.layer, epoch: r.epoch)] = reasons.joined(separator: ", ") }
            }
        }
        return failures
    }

    /// A (layer, epoch) row.
    public struct Key: Sendable, Hashable {
        public var layer: Int
        public var epoch: Int
        public init(layer: Int, epoch: Int) {
            self.layer = layer
            self.epoch = epoch
        }
    }

    /// One layer's compression: the peak of I(X;T), its end, and whether it falls.
    public struct Compression: Sendable, Hashable {
        public enum Outcome: Sendable, Hashable {
            case compresses
            case doesNotCompress
            case inconclusive(String)
        }
        public var layer: Int
        public var outcome: Outcome
        public var peakEpoch: Int
        public var peak: Double
        public var lastEpoch: Int
        public var last: Double
        public var evidence: String {
            let base = "layer \(layer): peak \(short(peak)) at epoch \(peakEpoch), \(short(last)) at epoch \(lastEpoch)"
            switch outcome {
            case .compresses: return base + " (falls)"
            case .doesNotCompress: return base
            case .inconclusive(let why): return base + " (inconclusive: \(why))"
            }
        }
    }

    /// Per layer: does I(X;T) fall from its peak to the last read-out, and may the numbers say so?
    public static func compression(_ layers: [Layer], bounds: Bounds) -> [Compression] {
        let failures = dataProcessingFailures(layers, bounds: bounds)
        return layers.sorted { $0.layer < $1.layer }.compactMap { layer in
            let rows = layer.readings.filter { $0.input != nil }
            guard let first = rows.first, let last = rows.last, let end = last.input,
                  let peakRow = rows.max(by: { ($0.input?.median ?? 0) < ($1.input?.median ?? 0) }),
                  let top = peakRow.input else { return nil }
            var c = Compression(layer: layer.layer, outcome: .doesNotCompress, peakEpoch: peakRow.epoch, peak: top.median,
                                lastEpoch: last.epoch, last: end.median)
            guard peakRow.epoch < last.epoch, exceeds(top, end) else { return c }
            var why = [String]()
            if peakRow.epoch == first.epoch, rows.count > 1 { why.append("the peak is at the first read-out") }
            if top.median > bounds.lnN - ceilingMargin {
                why.append("the peak is within \(short(ceilingMargin)) nats of ln n = \(short(bounds.lnN))")
            }
            if let u = last.upper, !exceeds(top, u) {
                why.append("the upper bound at epoch \(last.epoch), \(short(u.median)), does not fall below the peak's lower bound")
            }
            for row in [peakRow, last] {
                if let f = failures[Key(layer: layer.layer, epoch: row.epoch)] { why.append("epoch \(row.epoch) breaks \(f)") }
                if !row.diagnosticPasses { why.append("epoch \(row.epoch) fails the estimator's diagnostic") }
            }
            c.outcome = why.isEmpty ? .compresses : .inconclusive(why.joined(separator: "; "))
            return c
        }
    }

    /// compression-phase: confirmed when some layer compresses; inconclusive when none does
    /// but some would, were its numbers evidence; else not confirmed.
    public static func compressionVerdict(_ layers: [Compression]) -> Verdict {
        if layers.contains(where: { $0.outcome == .compresses }) { return .confirmed }
        if layers.contains(where: { if case .inconclusive = $0.outcome { true } else { false } }) { return .inconclusive }
        return .notConfirmed
    }

    /// One layer's compression in two measurements (e.g. n = 2 000 and n = 1 000 evaluation rows).
    public struct Stability: Sendable, Hashable {
        public var layer: Int
        public var reference: Compression
        public var control: Compression
        /// Read-outs between the two peak epochs (0: the same read-out).
        public var peakShift: Int
        public var sameOutcome: Bool { Self.word(reference.outcome) == Self.word(control.outcome) }
        public var evidence: String {
            "layer \(layer): \(Self.word(reference.outcome)), peak at epoch \(reference.peakEpoch) → \(Self.word(control.outcome)), "
                + "peak at epoch \(control.peakEpoch) (\(peakShift) read-out\(peakShift == 1 ? "" : "s") apart)"
        }
        static func word(_ o: Compression.Outcome) -> String {
            switch o {
            case .compresses: "compresses"
            case .doesNotCompress: "does not compress"
            case .inconclusive: "inconclusive"
            }
        }
    }

    /// Controls: per layer present in both, the compression outcome and the peak's read-out in
    /// `reference` and in `control`; `epochs` are the read-out epochs that count the shift.
    public static func stability(_ reference: [Compression], _ control: [Compression], epochs: [Int]) -> [Stability] {
        let order = epochs.sorted()
        func index(_ epoch: Int) -> Int { order.firstIndex(of: epoch) ?? order.firstIndex { $0 >= epoch } ?? order.count }
        return reference.compactMap { r in
            guard let c = control.first(where: { $0.layer == r.layer }) else { return nil }
            return Stability(layer: r.layer, reference: r, control: c, peakShift: abs(index(r.peakEpoch) - index(c.peakEpoch)))
        }
    }

    /// stable: confirmed when every layer keeps its compression outcome and its peak within
    /// one read-out; partly when the outcomes hold but some peak moves further; not confirmed
    /// when some outcome changes (or no layer can be compared).
    public static func stabilityVerdict(_ layers: [Stability]) -> Verdict {
        guard !layers.isEmpty, layers.allSatisfy(\.sameOutcome) else { return .notConfirmed }
        return layers.allSatisfy { $0.peakShift <= 1 } ? .confirmed : .partly
    }

    /// fitting-phase, per layer: does I(T;Y) rise from the first read-out to the end of the
    /// early phase (the read-outs up to a tenth of the epochs, at least the second one)?
    /// Returns the layers that fit and each layer's evidence.
    public static func fitting(_ layers: [Layer]) -> (fits: [Int], judged: Int, evidence: [String]) {
        var fits = [Int](), evidence = [String](), judged = 0
        for layer in layers.sorted(by: { $0.layer < $1.layer }) {
            let rows = layer.readings.filter { $0.label != nil }
            guard rows.count >= 2, let first = rows.first, let a = first.label, let lastEpoch = rows.last?.epoch else { continue }
            let early = rows.dropFirst().filter { $0.epoch <= max(lastEpoch / 10, rows[1].epoch) }.last ?? rows[1]
            guard let b = early.label else { continue }
            judged += 1
            if exceeds(b, a) { fits.append(layer.layer) }
            evidence.append("layer \(layer.layer): I(T;Y) \(short(a.median)) → \(short(b.median)) nats (epoch \(first.epoch) → \(early.epoch))")
        }
        return (fits, judged, evidence)
    }

    /// compression-clusters. `ratios[layer][epoch]`: mean within-label over mean between-label
    /// distance of the layer's noise-free outputs (in units of σ, so the noise floor does not
    /// enter). A compressing layer tightens when its ratio falls from its peak epoch to the last
    /// read-out by more than `change` (relative) and by more than every non-compressing layer's
    /// ratio falls over the same epochs. Confirmed when every compressing layer does, partly when
    /// some do; not confirmed without compressing layers.
    public static func clusters(_ compression: [Compression], ratios: [Int: [Int: Double]]) -> (Verdict, [String]) {
        let compressing = compression.filter { $0.outcome == .compresses }
        guard !compressing.isEmpty else { return (.notConfirmed, ["no layer compresses, so there is nothing to coincide with"]) }
        func fall(_ layer: Int, from: Int, to: Int) -> Double? {
            guard let a = ratios[layer]?[from], let b = ratios[layer]?[to], a > 0 else { return nil }
            return (a - b) / a
        }
        var hits = 0, evidence = [String]()
        for c in compressing {
            guard let own = fall(c.layer, from: c.peakEpoch, to: c.lastEpoch) else {
                evidence.append("layer \(c.layer): no distance ratios at epochs \(c.peakEpoch) and \(c.lastEpoch)")
                continue
            }
            let others = compression.filter { $0.outcome != .compresses }.compactMap { o in
                fall(o.layer, from: c.peakEpoch, to: c.lastEpoch).map { (o.layer, $0) }
            }
            let most = others.max { $0.1 < $1.1 }
            let tightens = own > change && own > (most?.1 ?? -Double.infinity)
            if tightens { hits += 1 }
            var line = "layer \(c.layer): within/between falls by \(short(100 * own)) % from epoch \(c.peakEpoch) to \(c.lastEpoch)"
            if let most { line += ", the most of the other layers by \(short(100 * most.1)) % (layer \(most.0))" }
            evidence.append(line + (tightens ? "" : " — not more"))
        }
        let verdict: Verdict = hits == 0 ? .notConfirmed : (hits == compressing.count ? .confirmed : .partly)
        return (verdict, evidence)
    }

    static func short(_ x: Double) -> String { String(format: "%.3g", x) }
}
