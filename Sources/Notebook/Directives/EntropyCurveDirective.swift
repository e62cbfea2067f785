/// `{entropy-curve}` — placeholder until its issue lands.
public enum EntropyCurveDirective: Directive {
    public static let name = "entropy-curve"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{entropy-curve} is not implemented yet")
    }
}
