import Foundation

// The run.json records of the engine's own value types (docs/run-json.md). Each lists every
// number the value holds; `Table` writes its typed cells.

extension EstimateValue {
    public var record: JSONValue {
        RecordDeclaration.estimate.record([
            "name": .string(name), "value": JSONValue(value), "se": JSONValue(standardError), "unit": JSONValue(unit),
            "summary": .string(summary),
            "details": .object(Dictionary(details.map { ($0.name, JSONValue($0.value)) }, uniquingKeysWith: { a, _ in a })),
        ])
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
    /// Columns with their unit and role (`measurement`, `time`, `count`, `parameter` when
    /// every number in the column has it; `text`, `verdict` for words; `mixed`), rows of
    /// typed cells: a number as a number (null for NaN); `{value, lower, upper}` for a
    /// median with its range, `{value, se}` with a standard error; a number whose role
    /// differs from its column's as `{value, role}`; null for an empty cell; else the text.
    public var record: JSONValue {
        let roles = columns.indices.map(columnRole)
        return ["kind": "table", "title": JSONValue(title),
                "columns": .array(columns.indices.map { c in
                    ["name": .string(columns[c]), "unit": JSONValue(columnUnit(c)), "role": .string(roles[c])]
                }),
                "rows": .array(cells.map { row in
                    .array(row.enumerated().map { c, cell in cell.record(columnRole: c < roles.count ? roles[c] : "mixed") })
                })]
    }

    /// A short word in the name's trailing parentheses ("H LOO (nats)" → "nats"), else the
    /// unit every number of the column shares.
    func columnUnit(_ c: Int) -> String? {
        if let unit = Self.unit(ofColumn: columns[c]) { return unit }
        let units = Set(cells.compactMap { c < $0.count ? $0[c].number : nil }.map { $0.unit })
        return units.count == 1 ? units.first ?? nil : nil
    }

    /// The role shared by the column's cells (the first column's cells name the rows).
    func columnRole(_ c: Int) -> String {
        var roles = Set<String>()
        for row in cells where c < row.count {
            switch row[c] {
            case .empty: continue
            case .number(let n): roles.insert(n.role.rawValue)
            case .text: roles.insert("text")
            case .verdict: roles.insert("verdict")
            }
        }
        return roles.count == 1 ? roles.first ?? "text" : roles.isEmpty ? "text" : "mixed"
    }

    /// "H LOO (nats)" → "nats": a short word in trailing parentheses is the column's unit.
    static func unit(ofColumn name: String) -> String? {
        guard name.hasSuffix(")"), let open = name.lastIndex(of: "(") else { return nil }
        let unit = name[name.index(after: open)..<name.index(before: name.endIndex)]
        return !unit.isEmpty && unit.count <= 8 && !unit.contains(" ") ? String(unit) : nil
    }

    /// A cell of formatted text as run.json stores it (see `Cell(parsing:)`).
    static func typedCell(_ text: String) -> JSONValue {
        Cell(parsing: text).record(columnRole: Role.measurement.rawValue)
    }
}

extension Table.Cell {
    func record(columnRole: String) -> JSONValue {
        switch self {
        case .empty: return .null
        case .text(let s), .verdict(let s): return .string(s)
        case .number(let n):
            guard n.value.isFinite else { return .null }
            var members = [String: JSONValue]()
            if let lower = n.lower, let upper = n.upper, upper > lower { members["lower"] = .number(lower); members["upper"] = .number(upper) }
            if let se = n.standardError { members["se"] = JSONValue(se) }
            if n.role.rawValue != columnRole { members["role"] = .string(n.role.rawValue) }
            guard !members.isEmpty else { return .number(n.value) }
            members["value"] = .number(n.value)
            return .object(members)
        }
    }
}

extension ClaimValue {
    /// The claim with its rule, thresholds and the numbers it compared.
    public var record: JSONValue {
        func named(_ list: [Number]) -> JSONValue { .array(list.map { ["name": .string($0.name), "value": JSONValue($0.value)] }) }
        return RecordDeclaration.claim.record([
            "statement": .string(statement), "test": .string(test), "outcome": .string(outcome.rawValue), "rule": .string(rule),
            "thresholds": named(thresholds), "numbers": named(numbers), "evidence": .string(evidence), "summary": .string(summary),
        ])
    }
}
