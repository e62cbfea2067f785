/// `{config}` — placeholder until its issue lands.
public enum ConfigDirective: Directive {
    public static let name = "config"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{config} is not implemented yet")
    }
}
