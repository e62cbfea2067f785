/// `{corrdim}` — placeholder until its issue lands.
public enum CorrdimDirective: Directive {
    public static let name = "corrdim"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{corrdim} is not implemented yet")
    }
}
