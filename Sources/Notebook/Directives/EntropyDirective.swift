/// `{entropy}` — placeholder until its issue lands.
public enum EntropyDirective: Directive {
    public static let name = "entropy"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{entropy} is not implemented yet")
    }
}
