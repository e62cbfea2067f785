import FileAccess
import Foundation

/// A validated notebook, ready to execute: cells in order with typed arguments, ids,
/// seeds and the results each one reads and writes.
public struct Plan: Sendable {
    public var document: Document
    public var cells: [PlannedCell]
    /// Seed, threads, quick and parameters after front matter, `{config}` and `-p`.
    public var settings: RunSettings
    /// Warnings found while validating (errors stop planning).
    public var warnings: [Diagnostic]
    /// Directories the notebook may read besides its own folder and the data directory:
    /// `--allow-read`, plus the front matter's `allow-read` when `--trust` confirmed it.
    public var allowedReadDirectories: [URL] = []
    /// Caps on what one data file may bring into memory (set from the memory budget).
    public var readLimits: ReadLimits = .standard
    /// Each cell's estimated time and memory, in order (time only when the budget had
    /// machine speeds).
    public var estimates: [CellEstimate] = []
    /// The estimated seconds of the whole notebook.
    public var estimatedSeconds: Double { estimates.reduce(0) { $0 + $1.seconds } }
}

/// One directive cell after validation.
public struct PlannedCell: Sendable {
    /// Position among the notebook's directive cells (0-based).
    public var index: Int
    public var cell: Document.DirectiveCell
    public var directive: any Directive.Type
    public var id: String?
    public var caption: String?
    /// Whether the report shows the directive's source (folded).
    public var echo: Bool
    /// The `seed:` the body set, if any.
    public var explicitSeed: UInt64?
    /// The seed the cell's generators start from: `explicitSeed`, else derived from the
    /// notebook seed and the cell's id (or position).
    public var seed: UInt64
    public var arguments: Arguments
    /// Ids of earlier results this cell reads.
    public var reads: [String]
    /// Ids this cell defines, with their kinds.
    public var writes: [(id: String, kind: ValueKind)]

    /// The id results are stored under when the body sets none: the directive's name and
    /// its position among the notebook's cells of that directive (`dimension-1`), so every
    /// cell's results reach run.json and the prose can cite them. It does not seed the
    /// cell (`label` and the seed stay derived from `id` or the position).
    public var generatedID: String?

    /// The id the cell's results are stored under: `id`, else `generatedID`.
    public var resultID: String? { id ?? generatedID }

    /// `id` when set, else `cell-N` (1-based), for file names and messages.
    public var label: String { id ?? "cell-\(index + 1)" }
}
