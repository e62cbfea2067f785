import Foundation
import Notebook

/// The `{claim}` tests on an `{information-plane}` result (its `.plane` value), on the
/// noise-aware estimates (medians over seeds; a change counts when it exceeds both 0.05 nats
/// and twice the combined spread, half the min–max range over seeds):
/// - fitting-phase: I(T;Y) rises from the first read-out to the end of the early phase
///   (read-outs up to a tenth of the epochs, at least the second one), per layer;
/// - compression-phase: I(X;T) of some layer falls from its peak to the last read-out,
///   the peak being before the last read-out;
/// - compression-clusters: the layers that compress also have a lower within/between-label
///   distance ratio at the last read-out than at the first.
enum InformationPlaneClaims {
    static let tests = ["fitting-phase", "compression-phase", "compression-clusters"]
    static let threshold = 0.05

    typealias Status = ClaimValue.Outcome

    /// The rule of each test in words, its threshold written out.
    static func rule(_ test: String) -> String {
        let change = "a change counts when it exceeds \(formatNumber(threshold)) nats and twice the combined spread (half the min–max range over seeds, or the Monte-Carlo SE for one seed)"
        return switch test {
        case "fitting-phase": "confirmed when I(T;Y) of every layer rises from the first read-out to the end of the early phase (the read-outs up to a tenth of the epochs), partly when some layers do; " + change
        case "compression-phase": "confirmed when I(X;T) of some layer falls from a peak before the last read-out to the last one; " + change
        default: "confirmed when every compressing layer has a lower within/between-label distance ratio at the last read-out than at the first, partly when some do"
        }
    }

    /// The claim judged on an `{information-plane}` result, or nil when `test` is not one of
    /// these tests.
    static func judge(_ test: String, statement: String, ids: [String], context: CellContext) throws -> ClaimValue? {
        guard tests.contains(test) else { return nil }
        guard let id = ids.first else { throw ParameterError("of", "name one {information-plane} result") }
        let key = id.hasSuffix(".plane") ? id : id + ".plane"
        guard let plane = context.value(id: key) as? InformationPlaneValue else {
            throw ParameterError("of", "`\(id)` is not an {information-plane} result")
        }
        let (status, evidence) = switch test {
        case "fitting-phase": fitting(plane)
        case "compression-phase": compression(plane)
        default: clusters(plane)
        }
        return ClaimValue(statement: statement, test: test, outcome: status, rule: rule(test),
                          thresholds: test == "compression-clusters" ? [] : [.init("change (nats)", threshold)],
                          numbers: [.init("noise σ", plane.noise)], evidence: evidence)
    }

    /// Whether `to` exceeds `from` by the threshold and twice the combined spread.
    static func rises(_ from: InformationPlaneValue.Estimate, _ to: InformationPlaneValue.Estimate) -> Bool {
        let spread = ((from.spread ?? 0) * (from.spread ?? 0) + (to.spread ?? 0) * (to.spread ?? 0)).squareRoot()
        return to.median - from.median > max(threshold, 2 * spread)
    }

    static func verdict(_ hits: Int, of total: Int) -> Status {
        hits == 0 ? .notConfirmed : (hits == total ? .confirmed : .partly)
    }

    static func fitting(_ plane: InformationPlaneValue) -> (Status, String) {
        var hits = 0, parts = [String]()
        for l in plane.layers {
            let rows = plane.rows(layer: l).filter { $0.labelInformation != nil }
            guard let first = rows.first, let lastEpoch = rows.last?.epoch, rows.count >= 2 else { continue }
            let early = rows.dropFirst().filter { $0.epoch <= max(lastEpoch / 10, rows[1].epoch) }.last ?? rows[1]
            guard let a = first.labelInformation, let b = early.labelInformation else { continue }
            if rises(a, b) { hits += 1 }
            parts.append("layer \(l): I(T;Y) \(formatNumber(a.median, significantDigits: 3)) → \(formatNumber(b.median, significantDigits: 3)) nats (epoch \(first.epoch) → \(early.epoch))")
        }
        return (verdict(hits, of: plane.layers.count), "\(hits) of \(plane.layers.count) layers fit at σ = \(formatNumber(plane.noise)), H(Y) = "
                + "\(formatNumber(plane.labelEntropy, significantDigits: 3)): " + parts.joined(separator: "; "))
    }

    /// The layers whose I(X;T) falls from a peak before the last read-out to the last one.
    static func compressing(_ plane: InformationPlaneValue) -> (layers: [Int], evidence: [String]) {
        var layers = [Int](), parts = [String]()
        for l in plane.layers {
            let rows = plane.rows(layer: l).filter { $0.inputInformation != nil }
            guard let last = rows.last, let end = last.inputInformation,
                  let peak = rows.max(by: { ($0.inputInformation?.median ?? 0) < ($1.inputInformation?.median ?? 0) }),
                  let top = peak.inputInformation else { continue }
            if peak.epoch < last.epoch, rises(end, top) { layers.append(l) }
            parts.append("layer \(l): peak \(formatNumber(top.median, significantDigits: 3)) at epoch \(peak.epoch), "
                         + "\(formatNumber(end.median, significantDigits: 3)) at epoch \(last.epoch)")
        }
        return (layers, parts)
    }

    static func compression(_ plane: InformationPlaneValue) -> (Status, String) {
        let (layers, parts) = compressing(plane)
        let status: Status = layers.isEmpty ? .notConfirmed : .confirmed
        let who = layers.isEmpty ? "no layer compresses" : (layers.count == 1 ? "layer \(layers[0]) compresses"
            : "layers " + layers.map(String.init).joined(separator: ", ") + " compress")
        return (status, "\(who) at σ = \(formatNumber(plane.noise)) (ln n = \(formatNumber(log(Double(plane.evaluationRows)), significantDigits: 3))): "
                + parts.joined(separator: "; "))
    }

    static func clusters(_ plane: InformationPlaneValue) -> (Status, String) {
        let (layers, _) = compressing(plane)
        var tighter = [Int](), parts = [String]()
        for c in plane.clustering {
            let r = c.ratios
            guard r.count == 2 else { continue }
            if r[1] < r[0] { tighter.append(c.layer) }
            parts.append("layer \(c.layer): within/between \(formatNumber(r[0], significantDigits: 3)) → \(formatNumber(r[1], significantDigits: 3))")
        }
        let evidence = parts.joined(separator: "; ")
        guard !layers.isEmpty else {
            return (.notConfirmed, "no layer compresses at σ = \(formatNumber(plane.noise)), so there is nothing to coincide with; " + evidence)
        }
        let hits = layers.filter(tighter.contains).count
        return (verdict(hits, of: layers.count), "\(hits) of the \(layers.count) compressing layer(s) tighten: " + evidence)
    }
}
