/// `entropybook bench plot` — placeholder until its issue lands.
public enum PlotBench: BenchSuite {
    public static let name = "plot"
    public static let summary = "(not implemented yet)"
    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        throw BenchError("bench plot is not implemented yet")
    }
}
