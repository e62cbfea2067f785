import Foundation
import Notebook

/// The run.json record of an `{information-plane}` result (docs/run-json.md): every
/// (layer, epoch, estimator) point with its median, min and max over seeds, the settings
/// that make the numbers comparable (σ, n, Monte-Carlo draws), and per layer and estimator
/// the handful of numbers prose quotes (`layers.2.noiseAware.ixtPeak`), so a notebook's
/// text reads them through inline values instead of copying them by hand.
extension InformationPlaneValue {
    public var record: JSONValue {
        var fields: [String: JSONValue] = [
            "kind": "information-plane", "name": .string(name), "sigma": .number(noise), "n": .number(Double(evaluationRows)),
            "seeds": .number(Double(seeds)), "monteCarloSamples": .number(Double(monteCarloSamples)),
            "noise": .string(noiseMode.rawValue), "propagationSamples": .number(Double(propagationSamples)),
            "labelEntropy": .number(labelEntropy), "lnN": .number(log(Double(evaluationRows))), "summary": .string(summary),
        ]
        fields["points"] = .array(rows.flatMap(Self.points))
        fields["layers"] = .object(Dictionary(uniqueKeysWithValues: layers.map { l in
            (String(l), JSONValue.object(layerSummary(l)))
        }))
        fields["clustering"] = .object(Dictionary(clustering.compactMap { c -> (String, JSONValue)? in
            let r = c.ratios
            guard r.count == 2, c.epochs.count == 2 else { return nil }
            var fields: [String: JSONValue] = ["firstEpoch": .number(Double(c.epochs[0])), "lastEpoch": .number(Double(c.epochs[1])),
                                               "first": JSONValue(r[0]), "last": JSONValue(r[1])]
            // The ratio at the noise-aware I(X;T) peak of the layer.
            if let peak = layerSummary(c.layer)["noiseAware"], case .object(let o) = peak, case .number(let e)? = o["peakEpoch"],
               let ratio = c.ratioByEpoch[Int(e)] {
                fields["atPeak"] = JSONValue(ratio)
            }
            return (String(c.layer), .object(fields))
        }, uniquingKeysWith: { a, _ in a }))
        return .object(fields)
    }

    /// One point per estimator that ran at this (layer, epoch).
    static func points(_ row: Row) -> [JSONValue] {
        [("noise-aware", row.inputInformation, row.labelInformation), ("compressed", row.compressedInput, row.compressedLabel)]
            .compactMap { estimator, ixt, ity in
                guard ixt != nil || ity != nil else { return nil }
                return ["layer": .number(Double(row.layer)), "width": .number(Double(row.width)), "epoch": .number(Double(row.epoch)),
                        "estimator": .string(estimator), "ixt": estimateRecord(ixt), "ity": estimateRecord(ity),
                        "effectiveChains": estimator == "noise-aware" ? JSONValue(row.effectiveChains) : .null,
                        "ixtLower": estimator == "noise-aware" ? estimateRecord(row.inputLower) : .null,
                        "ixtUpper": estimator == "noise-aware" ? estimateRecord(row.inputUpper) : .null,
                        "ityLower": estimator == "noise-aware" ? estimateRecord(row.labelLower) : .null,
                        "lowerBound": estimator == "compressed" ? .bool(true) : .null]
            }
    }

    static func estimateRecord(_ e: Estimate?) -> JSONValue {
        guard let e else { return .null }
        return ["median": JSONValue(e.median), "min": JSONValue(e.min), "max": JSONValue(e.max),
                "seeds": .number(Double(e.seeds)), "se": JSONValue(e.standardError)]
    }

    /// Per estimator: I(X;T) at the first read-out, at its peak (and the peak's epoch) and at
    /// the last; I(T;Y) at the first and last; medians over seeds. The noise-aware one also
    /// has the effective chains per input at the first and last read-out.
    func layerSummary(_ layer: Int) -> [String: JSONValue] {
        let rows = rows(layer: layer)
        var out = [String: JSONValue]()
        out["width"] = .number(Double(rows.first?.width ?? 0))
        for (key, pickX, pickY) in [("noiseAware", { (r: Row) in r.inputInformation }, { (r: Row) in r.labelInformation }),
                                    ("compressed", { (r: Row) in r.compressedInput }, { (r: Row) in r.compressedLabel })] {
            let xs = rows.compactMap { r in pickX(r).map { (r.epoch, $0.median) } }
            let ys = rows.compactMap { r in pickY(r).map { (r.epoch, $0.median) } }
            guard let first = xs.first, let last = xs.last, let peak = xs.max(by: { $0.1 < $1.1 }) else { continue }
            var s: [String: JSONValue] = ["firstEpoch": .number(Double(first.0)), "lastEpoch": .number(Double(last.0)),
                                          "peakEpoch": .number(Double(peak.0)), "ixtFirst": JSONValue(first.1),
                                          "ixtPeak": JSONValue(peak.1), "ixtLast": JSONValue(last.1)]
            if let a = ys.first, let b = ys.last { s["ityFirst"] = JSONValue(a.1); s["ityLast"] = JSONValue(b.1) }
            if key == "noiseAware", let a = rows.first?.effectiveChains, let b = rows.last?.effectiveChains {
                s["chainsFirst"] = JSONValue(a)
                s["chainsLast"] = JSONValue(b)
            }
            if key == "noiseAware", noiseMode == .propagated {
                // The bracket at the first and last read-out, and the lower bound's peak.
                let lower = rows.compactMap { r in r.inputLower.map { (r.epoch, $0.median) } }
                let upper = rows.compactMap { r in r.inputUpper.map { (r.epoch, $0.median) } }
                if let a = lower.first, let b = lower.last, let p = lower.max(by: { $0.1 < $1.1 }) {
                    s["lowerFirst"] = JSONValue(a.1); s["lowerLast"] = JSONValue(b.1)
                    s["lowerPeak"] = JSONValue(p.1); s["lowerPeakEpoch"] = .number(Double(p.0))
                }
                if let a = upper.first, let b = upper.last { s["upperFirst"] = JSONValue(a.1); s["upperLast"] = JSONValue(b.1) }
            }
            out[key] = .object(s)
        }
        return out
    }
}
