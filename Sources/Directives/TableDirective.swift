import Notebook

/// `{table}` — tabulates earlier results: estimates side by side, a stored table, or the
/// points of a curve.
public enum TableDirective: Directive {
    public static let name = "table"
    public static let summary = "tabulate earlier results (estimates, tables, curves) side by side"
    public static let parameters = Settings.parameters
    public static var results: [ResultSlot] { [ResultSlot(kind: .table, doc: "the table shown")] }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("ids of earlier results: one table or curve, or several estimates", kinds: []) var of: [ResultID]
        @Param("table title") var title: String?
        @Param("significant digits of numbers", 1...12) var digits = 4
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let digits = cell.digits, title = cell.title
        let values = try cell.of.map { id -> (String, any NotebookValue) in
            guard let v = context.value(id: id.id) else { throw ParameterError("of", "no result named `\(id)`") }
            return (id.id, v)
        }
        let table: Table
        if let first = values.first?.1 as? Table,
           values.allSatisfy({ ($0.1 as? Table)?.columns == first.columns }) {
            // One table, or several with the same columns stacked (e.g. a list of claims).
            let rows = values.flatMap { ($0.1 as? Table)?.cells ?? [] }
            table = Table(title: title ?? (values.count == 1 ? first.title : nil), columns: first.columns, cells: rows)
        } else if values.count == 1, let c = values[0].1 as? CurveValue {
            let xs = Array(Set(c.series.flatMap(\.x))).sorted()
            let rows = xs.map { x -> [Table.Cell] in
                [.number(Table.Number(x, role: .parameter, format: .significant(digits)))] + c.series.map { s in
                    s.x.firstIndex(of: x).map { Table.Cell.measurement(s.y[$0], digits: digits) } ?? .empty
                }
            }
            table = Table(title: title ?? c.title, columns: [c.xLabel] + c.series.map(\.name), cells: rows)
        } else {
            let estimates = try values.map { id, v -> (String, EstimateValue) in
                guard let e = v as? EstimateValue else {
                    throw ParameterError("of", "`\(id)` is a \(type(of: v).kind); several ids must all be estimates")
                }
                return (id, e)
            }
            let detailNames = estimates.flatMap { $0.1.details.map(\.name) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            table = Table(title: title, columns: ["id", "estimate", "value", "± SE", "unit"] + detailNames, cells: estimates.map { id, e in
                [.text(id), .text(e.name), .measurement(e.value, digits: digits, unit: e.unit),
                 e.standardError.map { .measurement($0, digits: 2, unit: e.unit) } ?? .empty, e.unit.map { .text($0) } ?? .empty]
                + detailNames.map { n in e.details.first { $0.name == n }.map { .measurement($0.value, digits: digits) } ?? .empty }
            })
        }
        return CellResult(values: ["": table], outputs: [.table(table)])
    }
}
