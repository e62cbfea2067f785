import Foundation

/// A table with a header whose cells are typed: a number (with its unit, role and display
/// format), text, or a verdict. run.json stores the numbers as numbers; formatting happens
/// only when the table is rendered (`rows`, `csv()`). Also a value later cells can read.
public struct Table: NotebookValue, Hashable, Codable {
    public static var kind: ValueKind { .table }
    public var title: String?
    public var columns: [String]
    /// The cells, row by row.
    public var cells: [[Cell]]

    /// A table of typed cells: the path every directive of the engine's catalogue takes.
    public init(title: String? = nil, columns: [String], cells: [[Cell]]) {
        self.title = title
        self.columns = columns
        self.cells = cells
    }

    /// A table of formatted text, typed the way `Cell(parsing:)` reads each cell (a number
    /// in a column named for seconds is a time). For directives that have not moved to
    /// typed cells yet; their text is kept as written.
    public init(title: String? = nil, columns: [String], rows: [[String]]) {
        self.title = title
        self.columns = columns
        cells = rows.map { row in
            row.enumerated().map { c, text in
                Cell(parsing: text, role: c < columns.count && Self.isTimeColumn(columns[c]) ? .time : .measurement)
            }
        }
    }

    /// The cells as the report shows them.
    public var rows: [[String]] {
        get { cells.map { $0.map(\.text) } }
        set { self = Table(title: title, columns: columns, rows: newValue) }
    }

    public var summary: String {
        "\(title ?? "table"): \(cells.count) \(cells.count == 1 ? "row" : "rows") × \(columns.count) \(columns.count == 1 ? "column" : "columns")"
    }

    /// The table as CSV (RFC 4180 quoting), cells as the report shows them.
    public func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([columns] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A column of wall-clock times, by its name ("seconds", "train s", "time (s)").
    static func isTimeColumn(_ name: String) -> Bool {
        let n = name.lowercased()
        return n == "seconds" || n == "s" || n.hasSuffix(" s") || n.hasSuffix("(s)") || n.hasSuffix(" seconds") || n.hasPrefix("time")
    }
}

extension Table {
    /// What a number in a table is, so `diff` knows what to compare: a measurement (an
    /// estimate, a rate), a wall-clock time (never compared), a count, or a parameter of
    /// the run (d, k, n, a seed).
    public enum Role: String, Hashable, Codable, Sendable, CaseIterable {
        case measurement, time, count, parameter
    }

    /// How a number is shown: `significant(n)` as `formatNumber` does, `percent` as a
    /// whole percentage ("0.47" → "47 %").
    public enum Format: Hashable, Codable, Sendable {
        case significant(Int)
        case percent
        func apply(_ x: Double) -> String {
            switch self {
            case .significant(let digits): formatNumber(x, significantDigits: digits)
            case .percent: x.isFinite ? String(format: "%.0f %%", 100 * x) : formatNumber(x)
            }
        }
    }

    /// A number cell: the value, optionally a range (min–max) or a standard error, its
    /// unit, role and display formats.
    public struct Number: Hashable, Codable, Sendable {
        public var value: Double
        public var lower: Double?
        public var upper: Double?
        public var standardError: Double?
        public var unit: String?
        public var role: Role
        public var format: Format
        /// The format of the range's bounds and the standard error.
        public var spreadFormat: Format?
        /// The text of a cell read from formatted text (`Table(rows:)`), shown as written.
        public var written: String?

        public init(_ value: Double, lower: Double? = nil, upper: Double? = nil, standardError: Double? = nil, unit: String? = nil,
                    role: Role = .measurement, format: Format = .significant(4), spreadFormat: Format? = nil, written: String? = nil) {
            self.value = value
            self.lower = lower
            self.upper = upper
            self.standardError = standardError
            self.unit = unit
            self.role = role
            self.format = format
            self.spreadFormat = spreadFormat
            self.written = written
        }

        /// "3.067", "3.067 [2.9–3.1]" (a range when lower < upper), "0.41 ± 0.02"; "—" for NaN.
        public var text: String {
            if let written { return written }
            let main = format.apply(value)
            guard value.isFinite else { return main }
            let spread = spreadFormat ?? format
            if let lower, let upper, upper > lower { return "\(main) [\(spread.apply(lower))–\(spread.apply(upper))]" }
            if let standardError { return "\(main) ± \(spread.apply(standardError))" }
            return main
        }
    }

    /// One cell of a table.
    public enum Cell: Hashable, Codable, Sendable {
        /// Nothing in the cell ("").
        case empty
        case number(Number)
        case text(String)
        /// A conclusion: a claim's status, "not resolvable", "yes"/"no" of an acceptance.
        case verdict(String)

        /// A measurement shown with `digits` significant digits.
        public static func measurement(_ x: Double, digits: Int = 4, unit: String? = nil) -> Cell {
            .number(Number(x, unit: unit, format: .significant(digits)))
        }
        /// A whole number of things (points, cases).
        public static func count(_ n: Int) -> Cell { .number(Number(Double(n), role: .count)) }
        /// A setting of the run (d, k, n, an epoch, a seed).
        public static func parameter(_ x: Double) -> Cell { .number(Number(x, role: .parameter)) }
        public static func parameter(_ n: Int) -> Cell { .parameter(Double(n)) }
        /// Wall-clock seconds: shown, stored, never compared by `diff`.
        public static func time(_ seconds: Double, digits: Int = 2) -> Cell {
            .number(Number(seconds, unit: "s", role: .time, format: .significant(digits)))
        }
        /// A rate shown as a whole percentage.
        public static func percent(_ x: Double) -> Cell { .number(Number(x, format: .percent)) }

        /// The cell as the report shows it.
        public var text: String {
            switch self {
            case .empty: ""
            case .number(let n): n.text
            case .text(let s), .verdict(let s): s
            }
        }

        /// The number in the cell, if any.
        public var number: Number? { if case .number(let n) = self { n } else { nil } }

        /// A cell of formatted text: a number ("−0.25", "3.97e-04", "12"), a median with
        /// its range ("3.1 [2.9–3.3]"), "—" (no value, NaN) or "" (empty); else text.
        /// Numbers keep the text as written.
        public init(parsing text: String, role: Role = .measurement) {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { self = .empty; return }
            if t == "—" || t == "–" { self = .number(Number(.nan, role: role, written: text)); return }
            if let x = Self.number(t) { self = .number(Number(x, role: role, written: text)); return }
            if t.hasSuffix("]"), let open = t.firstIndex(of: "["), let value = Self.number(String(t[..<open])) {
                let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
                // The range dash is an en dash; a leading minus of either bound is "-" or "−".
                let bounds = inner.split(separator: "–", maxSplits: 1).map { Self.number(String($0)) }
                if bounds.count == 2, let lower = bounds[0], let upper = bounds[1] {
                    self = .number(Number(value, lower: lower, upper: upper, role: role, written: text))
                    return
                }
            }
            self = .text(text)
        }

        /// A plain number as the project prints them ("−0.25", "3.97e-04", "12"), else nil.
        static func number(_ text: String) -> Double? {
            let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
            guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let x = Double(t) else { return nil }
            return x
        }
    }
}
