/// `entropybook bench entropy` — placeholder until its issue lands.
public enum EntropyBench: BenchSuite {
    public static let name = "entropy"
    public static let summary = "(not implemented yet)"
    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        throw BenchError("bench entropy is not implemented yet")
    }
}
