import Autoencoder
import Datasets
import Notebook

/// Every directive EntropyBook knows, by name, and the value types they store beyond the
/// engine's own. The engine names no directive: the CLI hands these lists to the validator
/// (`Validator(registry:)`), the catalogue and the cache (`CellCache(valueTypes:)`).
/// Adding a directive means adding its type here (and any new cacheable value type).
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
        VerdictCalibrationDirective.self,
        DimensionBenchmarkDirective.self,
        ClassifierDirective.self,
        InformationPlaneDirective.self,
        MutualInformationDirective.self,
        MutualInformationBenchmarkDirective.self,
    ]

    /// Value types the directives store that the cache must decode (the engine's own
    /// curve, histogram, estimate and table values are always known to it).
    public static let valueTypes: [any CacheableValue.Type] = [
        Dataset.self, Autoencoder.self, TrainedModelValue.self, CalibrationCaseValue.self, EstimatorCaseValue.self, DimensionVerdictValue.self,
        SweepPointValue.self, CodeCorrelationValue.self, ClassifierValue.self, ClassifierRunValue.self, InformationPlaneValue.self,
    ]

    /// The directive named `name`, if any.
    public static func directive(named name: String) -> (any Directive.Type)? {
        all.first { $0.name == name }
    }
}
