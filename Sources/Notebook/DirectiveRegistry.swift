/// Every directive EntropyBook knows, by name. `entropybook directives` and validation
/// read this list; adding a directive means adding its type here.
public enum DirectiveRegistry {
    public static let all: [any Directive.Type] = [
        ConfigDirective.self,
        DatasetDirective.self,
        AutoencoderDirective.self,
        EntropyDirective.self,
        EntropyCurveDirective.self,
        DimensionDirective.self,
        CorrdimDirective.self,
        DistancesDirective.self,
        PlotDirective.self,
        TableDirective.self,
        ClaimDirective.self,
    ]

    /// The directive named `name`, if any.
    public static func directive(named name: String) -> (any Directive.Type)? {
        all.first { $0.name == name }
    }
}
