import Foundation

// The run.json records of the engine's own value types (docs/run-json.md). Each lists every
// number the value holds; `Table` writes its typed cells.

extension EstimateValue {
    public var record: JSONValue {
        typealias F = RecordDeclaration.Estimate
        return RecordDeclaration.estimate.record([
            F.name: .string(name), F.value: JSONValue(value), F.se: JSONValue(standardError), F.unit: JSONValue(unit),
            F.summary: .string(summary),
            F.details: .object(Dictionary(details.map { ($0.name, JSONValue($0.value)) }, uniquingKeysWith: { a, _ in a })),
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
        typealias K = StoredRecord.Key
        return .object(["kind": "table", K.title: JSONValue(title),
                K.columns: .array(columns.indices.map { c in
                    .object([K.columnName: .string(columns[c]), K.columnUnit: JSONValue(columnUnit(c)), K.columnRole: .string(roles[c])])
                }),
                K.rows: .array(cells.map { row in
                    .array(row.enumerated().map { c, cell in cell.record(columnRole: c < roles.count ? roles[c] : "mixed") })
                })])
    }

    /// A table as run.json stores it, read back by its keys (`Key`, the same `record`
    /// writes): the title, the column names and each row's stored cells.
    public struct StoredRecord: Sendable {
        /// The table record's keys, named once for the writer (`Table.record`) and the readers.
        public enum Key {
            public static let title = "title", columns = "columns", rows = "rows"
            public static let columnName = "name", columnUnit = "unit", columnRole = "role"
        }

        public var title: String?
        public var columns: [String]
        /// Each row's cells as stored: a number, `{value, lower, upper}`, text or null.
        public var rows: [[JSONValue]]

        /// `record` if it is a table record; nil otherwise.
        public init?(_ record: JSONValue) {
            guard record["kind"]?.stringValue == "table", case .array(let columns)? = record[Key.columns],
                  case .array(let rows)? = record[Key.rows] else { return nil }
            title = record[Key.title]?.stringValue
            self.columns = columns.compactMap { $0[Key.columnName]?.stringValue }
            self.rows = rows.compactMap(\.arrayValue)
        }

        /// The row whose first cell is `name`, by column name.
        public func row(_ name: String) -> [String: JSONValue]? {
            guard let row = rows.first(where: { $0.first?.stringValue == name }) else { return nil }
            var out = [String: JSONValue]()
            for (column, cell) in zip(columns, row) { out[column] = cell }
            return out
        }
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
        typealias F = RecordDeclaration.Claim
        return RecordDeclaration.claim.record([
            F.statement: .string(statement), F.test: .string(test), F.outcome: .string(outcome.rawValue), F.rule: .string(rule),
            F.thresholds: named(thresholds), F.numbers: named(numbers), F.evidence: .string(evidence), F.summary: .string(summary),
        ])
    }
}
