import Foundation

// The run.json records of the engine's own value types (docs/run-json.md). Each lists every
// number the value holds; `Table` also types its cells, since directives fill tables with
// formatted text.

extension EstimateValue {
    public var record: JSONValue {
        ["kind": "estimate", "name": .string(name), "value": JSONValue(value), "se": JSONValue(standardError),
         "unit": JSONValue(unit), "summary": .string(summary),
         "details": .object(Dictionary(details.map { ($0.name, JSONValue($0.value)) }, uniquingKeysWith: { a, _ in a }))]
    }
}

extension CurveValue {
    public var record: JSONValue {
        ["kind": "curve", "title": .string(title), "xLabel": .string(xLabel), "yLabel": .string(yLabel),
         "series": .array(series.map { s in
             ["name": .string(s.name), "x": JSONValue(s.x), "y": JSONValue(s.y), "lower": JSONValue(s.lower), "upper": JSONValue(s.upper)]
         })]
    }
}

extension HistogramValue {
    public var record: JSONValue {
        ["kind": "histogram", "title": .string(title), "xLabel": .string(xLabel), "edges": JSONValue(edges),
         "normalized": .bool(normalized),
         "groups": .array(groups.map { ["name": .string($0.name), "values": JSONValue($0.values)] })]
    }
}

extension Table {
    public var record: JSONValue {
        ["kind": "table", "title": JSONValue(title),
         "columns": .array(columns.map { ["name": .string($0), "unit": JSONValue(Self.unit(ofColumn: $0))] }),
         "rows": .array(rows.map { .array($0.map(Self.typedCell)) })]
    }

    /// "H LOO (nats)" → "nats": a short word in trailing parentheses is the column's unit.
    static func unit(ofColumn name: String) -> String? {
        guard name.hasSuffix(")"), let open = name.lastIndex(of: "(") else { return nil }
        let unit = name[name.index(after: open)..<name.index(before: name.endIndex)]
        return !unit.isEmpty && unit.count <= 8 && !unit.contains(" ") ? String(unit) : nil
    }

    /// A cell as JSON: a number; `{value, lower, upper}` for "median [min–max]"; null for
    /// "—" (no value); otherwise the text.
    static func typedCell(_ text: String) -> JSONValue {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty || t == "—" || t == "–" { return .null }
        if let x = number(t) { return .number(x) }
        if t.hasSuffix("]"), let open = t.firstIndex(of: "["), let value = number(String(t[..<open])) {
            let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
            // The range dash is an en dash; a leading minus of either bound is "-" or "−".
            let bounds = inner.split(separator: "–", maxSplits: 1).map { number(String($0)) }
            if bounds.count == 2, let lower = bounds[0], let upper = bounds[1] {
                return ["value": .number(value), "lower": .number(lower), "upper": .number(upper)]
            }
        }
        return .string(text)
    }

    /// A plain number as the project prints them ("−0.25", "3.97e-04", "12"), else nil.
    static func number(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let x = Double(t) else { return nil }
        return x
    }
}

extension ClaimValue {
    /// The claim with its rule, thresholds and the numbers it compared.
    public var record: JSONValue {
        func named(_ list: [Number]) -> JSONValue { .array(list.map { ["name": .string($0.name), "value": JSONValue($0.value)] }) }
        return ["kind": "claim", "statement": .string(statement), "test": .string(test), "outcome": .string(outcome.rawValue),
                "rule": .string(rule), "thresholds": named(thresholds), "numbers": named(numbers), "evidence": .string(evidence),
                "summary": .string(summary)]
    }
}
