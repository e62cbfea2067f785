/// `{table}` — placeholder until its issue lands.
public enum TableDirective: Directive {
    public static let name = "table"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{table} is not implemented yet")
    }
}
