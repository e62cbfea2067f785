/// `{plot}` — placeholder until its issue lands.
public enum PlotDirective: Directive {
    public static let name = "plot"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{plot} is not implemented yet")
    }
}
