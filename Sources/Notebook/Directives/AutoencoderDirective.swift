/// `{autoencoder}` — placeholder until its issue lands.
public enum AutoencoderDirective: Directive {
    public static let name = "autoencoder"
    public static let summary = "(not implemented yet)"
    public static let parameters: [Parameter] = []
    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        throw CellError("{autoencoder} is not implemented yet")
    }
}
