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
        typealias F = RecordDeclaration.Curve
        typealias S = F.Series
        return RecordDeclaration.curve.record([
            F.title: .string(title), F.xLabel: .string(xLabel), F.yLabel: .string(yLabel),
            F.series: .array(series.map { s in
                F.series.item([S.name: .string(s.name), S.x: JSONValue(s.x), S.y: JSONValue(s.y), S.lower: JSONValue(s.lower), S.upper: JSONValue(s.upper)])
            }),
        ])
    }
}

extension HistogramValue {
    public var record: JSONValue {
        typealias F = RecordDeclaration.Histogram
        typealias G = F.Group
        return RecordDeclaration.histogram.record([
            F.title: .string(title), F.xLabel: .string(xLabel), F.edges: JSONValue(edges), F.normalized: .bool(normalized),
            F.groups: .array(groups.map { F.groups.item([G.name: .string($0.name), G.values: JSONValue($0.values)]) }),
        ])
    }
}

extension Table {
    /// Columns with their unit and role (`measurement`, `time`, `count`, `parameter` when
    /// every number in the column has it; `text`, `verdict` for words; `mixed`), rows of
    /// typed cells: a number as a number (null for NaN); `{value, lower, upper}` for a
    /// median with its range, `{value, se}` with a standard error; a number whose role
    /// differs from its column's as `{value, role}`; null for an empty cell; else the text.
    /// The keys are `RecordDeclaration.TableRecord`'s.
    public var record: JSONValue {
        let roles = columns.indices.map(columnRole)
        typealias K = StoredRecord.Key
        typealias C = K.Column
        return RecordDeclaration.table.record([
            K.title: JSONValue(title),
            K.columns: .array(columns.indices.map { c in
                K.columns.item([C.name: .string(columns[c]), C.unit: JSONValue(columnUnit(c)), C.role: .string(roles[c])])
            }),
            K.rows: .array(cells.map { row in
                .array(row.enumerated().map { c, cell in cell.record(columnRole: c < roles.count ? roles[c] : K.ColumnRole.mixed) })
            }),
        ])
    }

    /// A table as run.json stores it, read back by its keys (`Key`, the same `record`
    /// writes): the title, the column names and each row's stored cells.
    public struct StoredRecord: Sendable {
        /// The table record's fields, declared once (`RecordDeclaration.table`) for the
        /// writer (`Table.record`) and the readers.
        public typealias Key = RecordDeclaration.TableRecord

        public var title: String?
        public var columns: [String]
        /// Each column's unit (null: none), by column.
        public var units: [String?]
        /// Each row's cells as stored: a number, `{value, lower, upper}`, text or null.
        public var rows: [[JSONValue]]

        /// `record` if it is a table record; nil otherwise.
        public init?(_ record: JSONValue) {
            guard record["kind"]?.stringValue == RecordDeclaration.table.kind, case .array(let columns)? = record[Key.columns.name],
                  case .array(let rows)? = record[Key.rows.name] else { return nil }
            title = record[Key.title.name]?.stringValue
            let named = columns.filter { $0[Key.Column.name.name]?.stringValue != nil }
            self.columns = named.compactMap { $0[Key.Column.name.name]?.stringValue }
            units = named.map { $0[Key.Column.unit.name]?.stringValue }
            self.rows = rows.compactMap(\.arrayValue)
        }

        /// The number (or text) of a cell as prose names it, `ROW.COLUMN` (`{=id.row.column}`):
        /// the row whose first cell and the column whose name slug (`InlineValuePath.slug`)
        /// to them, with the column's unit; a cell stored as an object gives its value.
        public func value(row: String, column: String) -> (JSONValue, String?)? {
            guard let c = columns.firstIndex(where: { InlineValuePath.slug($0) == column }),
                  let cells = rows.first(where: { r in r.first.map { InlineValuePath.slug(Self.text($0)) == row } ?? false }),
                  c < cells.count else { return nil }
            let cell = cells[c]
            return (cell[Key.Cell.value.name] ?? cell, units[c])
        }

        /// A row's first cell as text (a number as `formatNumber` writes it).
        static func text(_ cell: JSONValue) -> String {
            switch cell {
            case .string(let s): s
            case .number(let x): formatNumber(x)
            default: ""
            }
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
        typealias R = RecordDeclaration.TableRecord.ColumnRole
        var roles = Set<String>()
        for row in cells where c < row.count {
            switch row[c] {
            case .empty: continue
            case .number(let n): roles.insert(n.role.rawValue)
            case .text: roles.insert(R.text)
            case .verdict: roles.insert(R.verdict)
            }
        }
        return roles.count == 1 ? roles.first ?? R.text : roles.isEmpty ? R.text : R.mixed
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
            typealias K = RecordDeclaration.TableRecord.Cell
            var members = [String: JSONValue]()
            if let lower = n.lower, let upper = n.upper, upper > lower { members[K.lower.name] = .number(lower); members[K.upper.name] = .number(upper) }
            if let se = n.standardError { members[K.se.name] = JSONValue(se) }
            if n.role.rawValue != columnRole { members[K.role.name] = .string(n.role.rawValue) }
            guard !members.isEmpty else { return .number(n.value) }
            members[K.value.name] = .number(n.value)
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
