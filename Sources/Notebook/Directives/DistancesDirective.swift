/// `{distances}` — placeholder until its issue lands.
public enum DistancesDirective: Directive {
    public static let name = "distances"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{distances} is not implemented yet")
    }
}
