/// `{dataset}` — placeholder until its issue lands.
public enum DatasetDirective: Directive {
    public static let name = "dataset"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{dataset} is not implemented yet")
    }
}
