import Dimension

/// The `{dimension}` table's labels that readers (the README's blocks) look up. Its rows
/// are named by the estimators' display names (`DimensionEstimator.displayName`, which
/// `{dimension}` also matches for its Eckmann–Ruelle warning), and its value column is
/// `estimate`; `DimensionTableLabelTests` runs `{dimension}` and checks both, so a label
/// renamed in the directive fails a test instead of emptying a README cell.
public enum DimensionTableLabel {
    public static let estimate = "estimate"
    public static let maximumLikelihood = DimensionEstimator.maximumLikelihood.displayName
    public static let twoNearestNeighbors = DimensionEstimator.twoNearestNeighbors.displayName
    public static let correlationDimension = DimensionEstimator.correlationDimension.displayName
    public static let corrInt = DimensionEstimator.corrInt.displayName
    /// Gride at the smallest and at the largest neighbourhood scale (`gride`).
    public static let grideSmallestScale = "Gride, smallest scale"
    public static let grideLargestScale = "Gride, largest scale"
    /// The note column.
    public static let how = "how"
}
