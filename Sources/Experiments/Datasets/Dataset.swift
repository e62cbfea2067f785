import Linalg

/// A set of points (rows of `points`) with what is known about it: labels, the true
/// intrinsic dimension of the manifold it was drawn from, and an image shape when each row
/// is an image. Codes produced by an autoencoder are Datasets too, so every estimator can
/// take either.
public struct Dataset: Sendable {
    /// Short name shown in reports ("swiss-roll", "mnist (5000)", "codes d=3").
    public var name: String
    /// n×D points, one per row.
    public var points: Matrix
    /// One class label per row, when the data has them (digits 0–9, …).
    public var labels: [Int]?
    /// The true intrinsic dimension when the generator knows it.
    public var intrinsicDimension: Int?
    /// When each row is an image: its height and width (row-major pixels, `columns = h·w`).
    public var imageShape: ImageShape?
    /// Where the data came from (generator and parameters, or file path and hash).
    public var provenance: String
    /// The generator's own coordinates of each point (n×k: a swiss roll's (t, height), a
    /// mixing set's latent z), when a generator made the data. For colouring plots and
    /// checking estimators against the truth; `nil` for loaded files.
    public var latent: Matrix?

    public init(name: String, points: Matrix, labels: [Int]? = nil, intrinsicDimension: Int? = nil,
                imageShape: ImageShape? = nil, provenance: String = "", latent: Matrix? = nil) {
        precondition(labels.map { $0.count == points.rows } ?? true, "one label per row")
        precondition(latent.map { $0.rows == points.rows } ?? true, "one latent row per point")
        self.name = name
        self.points = points
        self.labels = labels
        self.intrinsicDimension = intrinsicDimension
        self.imageShape = imageShape
        self.provenance = provenance
        self.latent = latent
    }

    /// Number of points.
    public var count: Int { points.rows }
    /// Ambient dimension D.
    public var dimension: Int { points.columns }
}

/// Height × width of an image stored as one row of a Dataset.
public struct ImageShape: Sendable, Equatable, Hashable {
    public var height: Int
    public var width: Int
    public init(height: Int, width: Int) { self.height = height; self.width = width }
    public var pixelCount: Int { height * width }
}
