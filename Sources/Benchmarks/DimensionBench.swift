/// `entropybook bench dimension` — placeholder until its issue lands.
public enum DimensionBench: BenchSuite {
    public static let name = "dimension"
    public static let summary = "(not implemented yet)"
    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        throw BenchError("bench dimension is not implemented yet")
    }
}
