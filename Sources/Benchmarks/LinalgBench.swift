/// `entropybook bench linalg` — placeholder until its issue lands.
public enum LinalgBench: BenchSuite {
    public static let name = "linalg"
    public static let summary = "(not implemented yet)"
    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        throw BenchError("bench linalg is not implemented yet")
    }
}
