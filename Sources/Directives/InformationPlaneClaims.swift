import Foundation
import InformationPlane
import Notebook

/// The `{claim}` tests on an `{information-plane}` result (its `.plane` value), judged by
/// `InformationPlaneRules` on the noise-aware estimates (medians over seeds; a change counts
/// when it exceeds 0.05 nats and twice the combined spread, half the min–max range over seeds):
/// - fitting-phase: I(T;Y) rises from the first read-out to the end of the early phase, per layer;
/// - compression-phase: I(X;T) of some layer falls from its peak to the last read-out — inconclusive
///   (shown as not confirmed, with the reason) when the peak is at the first read-out or within
///   0.1 nats of ln n, or the peak or last row breaks a bound the true values obey or fails the
///   estimator's diagnostic; with the propagated noise on the bracket (held-out lower bound,
///   data-processing upper bound);
/// - compression-clusters: the compressing layers' noise-free within/between-label distance
///   ratio falls from their peak to the last read-out, by more than the other layers'.
/// The compressed estimator's columns are lower bounds of a lossy code and never enter a claim.
enum InformationPlaneClaims {
    /// The tests on a plane (`{claim}`'s `test` words of the same name).
    enum Test: String, CaseIterable {
        case fittingPhase = "fitting-phase"
        case compressionPhase = "compression-phase"
        case compressionClusters = "compression-clusters"
        case stable
    }
    typealias Rules = InformationPlaneRules
    typealias Status = ClaimValue.Outcome

    /// The rule of each test in words, its threshold written out.
    static func rule(_ test: Test) -> String {
        let change = "a change counts when it exceeds \(formatNumber(Rules.change)) nats and twice the combined spread (half the min–max range over seeds, or the Monte-Carlo SE for one seed)"
        return switch test {
        case .fittingPhase: "confirmed when I(T;Y) of every layer rises from the first read-out to the end of the early phase (the read-outs up to a tenth of the epochs), partly when some layers do; " + change
        case .compressionPhase: "confirmed when I(X;T) of some layer falls from a peak before the last read-out to the last one; "
            + "inconclusive (not confirmed) when that peak is at the first read-out, within \(formatNumber(Rules.ceilingMargin)) nats of ln n, "
            + "or the peak or last row breaks I(T;Y) ≤ H(Y), I(T;Y) ≤ I(X;T) or (propagated noise) I(X;T_l) ≤ min over earlier layers, or fails "
            + "the chain-overlap diagnostic (1/mean(w) ≥ \(formatNumber(overlapThreshold))); propagated noise: the upper bound at the end must lie below the lower bound at the peak; " + change
        case .stable: "compares each later plane of `of` with the first (a control: fewer evaluation rows, another seed or activation): "
            + "confirmed when every layer keeps its compression outcome (compresses, does not, inconclusive — the compression-phase rule) "
            + "and its I(X;T) peak within one read-out; partly when the outcomes hold but a peak moves further; not confirmed when an outcome changes"
        case .compressionClusters: "confirmed when every compressing layer's within/between-label ratio of noise-free distances (units of σ) falls from its peak epoch to the last read-out by more than 5 % and more than every non-compressing layer's over the same epochs, partly when some do"
        }
    }

    /// Chains overlap enough for the in-sample estimate when 1/mean(w) reaches this.
    static let overlapThreshold = 1.5

    /// The claim judged on an `{information-plane}` result.
    static func judge(_ test: Test, statement: String, ids: [String], context: CellContext) throws -> ClaimValue {
        guard let id = ids.first else { throw ParameterError("of", "name one {information-plane} result") }
        func planeValue(_ id: String) throws -> InformationPlaneValue {
            let key = id.hasSuffix(".plane") ? id : id + ".plane"
            guard let plane = context.value(id: key) as? InformationPlaneValue else {
                throw ParameterError("of", "`\(id)` is not an {information-plane} result")
            }
            return plane
        }
        let plane = try planeValue(id)
        if test == .stable && ids.count < 2 { throw ParameterError("of", "`stable` compares two or more {information-plane} results: name the reference first") }
        let (status, evidence) = switch test {
        case .fittingPhase: fitting(plane)
        case .compressionPhase: compression(plane)
        case .stable: stability(plane, controls: try ids.dropFirst().map { ($0, try planeValue($0)) })
        case .compressionClusters: clusters(plane)
        }
        return ClaimValue(statement: statement, test: test.rawValue, outcome: status, rule: rule(test),
                          thresholds: [.init("change (nats)", Rules.change), .init("ceiling margin (nats)", Rules.ceilingMargin)],
                          numbers: [.init("noise σ", plane.noise), .init("ln n", log(Double(plane.evaluationRows))),
                                    .init("H(Y)", plane.labelEntropy)],
                          evidence: evidence)
    }

    static func value(_ e: InformationPlaneValue.Estimate?) -> Rules.Value? {
        e.map { Rules.Value($0.median, spread: $0.spread ?? 0) }
    }

    /// The plane as the rules read it: propagated noise as a bracket (input = lower bound).
    static func layers(_ plane: InformationPlaneValue) -> [Rules.Layer] {
        let propagated = plane.noiseMode == .propagated
        return plane.layers.map { l in
            Rules.Layer(layer: l, readings: plane.rows(layer: l).map { r in
                Rules.Reading(epoch: r.epoch, input: value(propagated ? (r.inputLower ?? r.inputInformation) : r.inputInformation),
                              label: value(propagated ? (r.labelLower ?? r.labelInformation) : r.labelInformation),
                              upper: propagated ? value(r.inputUpper) : nil,
                              diagnosticPasses: !propagated || l == 1 || (r.effectiveChains ?? 1) >= overlapThreshold)
            })
        }
    }

    static func bounds(_ plane: InformationPlaneValue) -> Rules.Bounds {
        Rules.Bounds(lnN: log(Double(plane.evaluationRows)), labelEntropy: plane.labelEntropy,
                     markovAcrossLayers: plane.noiseMode == .propagated)
    }

    static func status(_ v: Rules.Verdict) -> Status {
        switch v {
        case .confirmed: .confirmed
        case .partly: .partly
        case .notConfirmed, .inconclusive: .notConfirmed
        }
    }

    static func fitting(_ plane: InformationPlaneValue) -> (Status, String) {
        let result = Rules.fitting(layers(plane))
        let verdict: Status = result.fits.isEmpty ? .notConfirmed : (result.fits.count == plane.layers.count ? .confirmed : .partly)
        return (verdict, "\(result.fits.count) of \(plane.layers.count) layers fit at σ = \(formatNumber(plane.noise)), H(Y) = "
                + "\(formatNumber(plane.labelEntropy, significantDigits: 3)): " + result.evidence.joined(separator: "; "))
    }

    static func compression(_ plane: InformationPlaneValue) -> (Status, String) {
        let result = Rules.compression(layers(plane), bounds: bounds(plane))
        let verdict = Rules.compressionVerdict(result)
        let layers = result.filter { $0.outcome == .compresses }.map(\.layer)
        let who = switch verdict {
        case .inconclusive: "inconclusive: no layer's fall is evidence"
        default: layers.isEmpty ? "no layer compresses" : (layers.count == 1 ? "layer \(layers[0]) compresses"
            : "layers " + layers.map(String.init).joined(separator: ", ") + " compress")
        }
        let what = plane.noiseMode == .propagated ? " (propagated noise: I(X;T) is the held-out lower bound, the upper bound checked)" : ""
        return (status(verdict), "\(who) at σ = \(formatNumber(plane.noise))\(what), ln n = \(formatNumber(log(Double(plane.evaluationRows)), significantDigits: 3)): "
                + result.map(\.evidence).joined(separator: "; "))
    }

    static func stability(_ reference: InformationPlaneValue, controls: [(String, InformationPlaneValue)]) -> (Status, String) {
        let base = Rules.compression(layers(reference), bounds: bounds(reference))
        var verdicts = [Rules.Verdict](), evidence = [String]()
        for (id, control) in controls {
            let epochs = Array(Set(reference.rows.map(\.epoch)).union(control.rows.map(\.epoch)))
            let layers = Rules.stability(base, Rules.compression(Self.layers(control), bounds: bounds(control)), epochs: epochs)
            verdicts.append(Rules.stabilityVerdict(layers))
            evidence.append("`\(id)` (n = \(control.evaluationRows)) against n = \(reference.evaluationRows): "
                            + (layers.isEmpty ? "no layer in common" : layers.map(\.evidence).joined(separator: "; ")))
        }
        let verdict: Rules.Verdict = verdicts.contains(.notConfirmed) ? .notConfirmed : (verdicts.contains(.partly) ? .partly : .confirmed)
        return (status(verdict), evidence.joined(separator: " · "))
    }

    static func clusters(_ plane: InformationPlaneValue) -> (Status, String) {
        let result = Rules.compression(layers(plane), bounds: bounds(plane))
        var ratios = [Int: [Int: Double]]()
        for c in plane.clustering { ratios[c.layer] = c.ratioByEpoch }
        let (verdict, evidence) = Rules.clusters(result, ratios: ratios)
        return (status(verdict), "noise-free distances in units of σ = \(formatNumber(plane.noise)): " + evidence.joined(separator: "; "))
    }
}
