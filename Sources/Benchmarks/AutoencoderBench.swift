/// `entropybook bench autoencoder` — placeholder until its issue lands.
public enum AutoencoderBench: BenchSuite {
    public static let name = "autoencoder"
    public static let summary = "(not implemented yet)"
    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        throw BenchError("bench autoencoder is not implemented yet")
    }
}
