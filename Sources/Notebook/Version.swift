/// The program's name and version, recorded in reports, run.json and cache keys.
public enum ProgramInfo {
    public static let name = "EntropyBook"
    public static let version = "0.1.0"
    /// Revision of the numerics: raised whenever the same inputs give different numbers
    /// (2: Adam with an exact square root, mini-batches sharded across threads; 3: exact
    /// nearest-neighbour distances, recomputed in Double; 4: tanh and the classifier's Gaussian
    /// noise by vectorised polynomial kernels). Part of
    /// every cache key, so results of an older revision are recomputed, not reused.
    public static let numericsRevision = 4
}
