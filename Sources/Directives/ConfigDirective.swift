import Notebook

/// `{config}` — notebook-wide settings. Applied while planning, so every later cell sees
/// them; `-p key=value` on the command line still wins.
public enum ConfigDirective: Directive {
    public static let name = "config"
    public static let summary = "notebook settings: seed, BLAS threads, quick mode (overridable with -p key=value)"
    public static let parameters = Settings.parameters

    /// The cell's parameters, declared once: each one set overrides the run's setting.
    struct Settings: ParameterSettings {
        @Param("notebook seed; every cell's seed derives from it", 0...Double(Int32.max)) var seed: UInt64?
        @Param("OpenBLAS threads", 1...64) var threads: Int?
        @Param("quick mode: smaller data and fewer epochs, for drafts and tests") var quick: Bool?
    }

    /// Writes the cell's settings into `settings` (the validator calls this while planning).
    public static func applySettings(_ arguments: Arguments, to settings: inout RunSettings) {
        guard let cell = try? arguments.decode(Settings.self) else { return }
        if let seed = cell.seed { settings.seed = seed }
        if let threads = cell.threads { settings.threads = threads }
        if let quick = cell.quick { settings.quick = quick }
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let s = context.settings
        return CellResult(outputs: [.table(Table(columns: ["setting", "value"], cells: [
            [.text("seed"), Table.Cell(parsing: String(s.seed), role: .parameter)], [.text("threads"), .parameter(s.threads)], [.text("quick"), .text(String(s.quick))],
        ] + s.parameters.sorted { $0.key < $1.key }.map { [.text("param \($0.key)"), Table.Cell(parsing: $0.value, role: .parameter)] }))])
    }
}
