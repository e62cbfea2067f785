/// `{dimension}` — placeholder until its issue lands.
public enum DimensionDirective: Directive {
    public static let name = "dimension"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{dimension} is not implemented yet")
    }
}
