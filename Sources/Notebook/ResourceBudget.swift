import FileAccess
import Foundation

/// The memory a run may use, checked at validation: every directive estimates what its
/// arguments imply (rows × columns × 4 bytes, network parameters with Adam's moments, …)
/// and `check` refuses a notebook whose estimate is over the limit, naming the parameter
/// that drives it — so `hidden: [65536, 65536]` is a located error, not a 40 GB abort.
public struct ResourceBudget: Sendable, Hashable {
    /// Bytes one cell may hold at once.
    public var memoryLimit: Double
    /// Seconds the whole notebook may take (`--time-limit`), nil: no limit.
    public var timeLimit: Double?
    /// The machine's speeds that turn each cell's `ComputeWork` into seconds; nil: time is
    /// not estimated (tests, and runs without a time limit or `--estimate`).
    public var speeds: MachineSpeeds?

    public init(memoryLimit: Double, timeLimit: Double? = nil, speeds: MachineSpeeds? = nil) {
        self.memoryLimit = memoryLimit
        self.timeLimit = timeLimit
        self.speeds = speeds
    }

    /// 75 % of physical memory: room for the rest of the machine and for estimates that
    /// are low by a few copies.
    public static var `default`: ResourceBudget {
        ResourceBudget(memoryLimit: 0.75 * Double(ProcessInfo.processInfo.physicalMemory))
    }


    /// Parses `--memory-limit`: `16G`, `500M`, `2.5GB`, `12GiB` (as messages print sizes), `75%` (of physical memory) or bytes.
    public static func parseLimit(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if t.hasSuffix("%"), let p = Double(t.dropLast()), p > 0, p <= 100 {
            return p / 100 * Double(ProcessInfo.processInfo.physicalMemory)
        }
        let units: [(String, Double)] = [("TIB", 0x1p40), ("GIB", 0x1p30), ("MIB", 0x1p20), ("KIB", 0x1p10), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("K", 1e3), ("B", 1)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0 else { return nil }
            return v * scale
        }
        guard let v = Double(t), v.isFinite, v > 0 else { return nil }
        return v
    }
}

/// Rows × columns of a table of points, as far as validation can know it.
public struct DataShape: Sendable, Hashable {
    public var rows: Int
    public var columns: Int
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }
    /// Bytes as Float32 (in Double: the product of two user numbers may not fit an Int).
    public var bytes: Double { Double(rows) * Double(columns) * 4 }

    /// For a trained network's read-outs on these rows (`{classifier}`): the widths of the
    /// hidden layers whose outputs are kept; empty for a plain table.
    public var layers: [Int] = []
    /// Read-outs (snapshots) kept per seed, and seeds, for `layers`.
    public var readOuts: Int = 0
    public var repeats: Int = 1

    /// Whether `rows` is the count a run will have; false when it is only an upper bound
    /// (a file's rows before `digits` picks some, when the labels were not counted).
    public var rowsAreExact = true
    /// Columns (0-based) that hold one value in every row, as a scan of a data file found
    /// them (`{dataset}` of kind npy or idx); empty when none or not known.
    public var constantColumns: [Int] = []
}

/// What one cell's arguments imply, estimated before it runs.
public struct ResourceEstimate: Sendable, Hashable {
    /// Bytes the cell holds at its peak (an estimate: the largest buffers, not every copy).
    public var bytes: Double
    /// The parameter that drives the estimate, where the error is reported.
    public var parameter: String
    /// How the estimate is made up, for the message ("2 000 000 × 784 values").
    public var explanation: String
    /// Shapes of the results the cell stores, by slot suffix (nil: the main result), so
    /// later cells can estimate from them.
    public var shapes: [String?: DataShape]

    /// The work the cell does, priced in seconds by `MachineSpeeds` (the time budget).
    public var work: ComputeWork = .none
    /// The parameter that drives the time (epochs, dims, n…), where a refusal is reported;
    /// nil: `parameter`.
    public var timeParameter: String?
    /// How the work is made up ("5 dims × 20 epochs × 3 000 rows"), for messages.
    public var timeExplanation: String?

    /// Problems the estimate found in what it read (a data file's header or values), each
    /// at its parameter: errors before anything runs.
    public var problems: [ParameterError] = []
    /// What validation could not check and the run will (data over the scan bound), or a
    /// problem that only some samples meet: warnings at the parameter.
    public var warnings: [ParameterError] = []

    public init(bytes: Double, parameter: String, explanation: String, shapes: [String?: DataShape] = [:]) {
        self.bytes = bytes
        self.parameter = parameter
        self.explanation = explanation
        self.shapes = shapes
    }
}

/// What a directive's estimate can see: its arguments, the shapes of the results it reads
/// (where known) and the run settings.
public struct EstimateInputs: Sendable {
    public var arguments: Arguments
    /// Shape of each referenced result, by the parameter that names it (`data`).
    public var shapes: [String: DataShape]
    public var settings: RunSettings
    /// The data files the cell may read, when validation checks read confinement (nil:
    /// nothing is read before the run).
    public var files: DataFileAccess?

    public init(arguments: Arguments, shapes: [String: DataShape], settings: RunSettings, files: DataFileAccess? = nil) {
        self.arguments = arguments
        self.shapes = shapes
        self.settings = settings
        self.files = files
    }
}

/// What an estimate may read before the run: paths the read confinement allows
/// (`FileLocations.readableURL`), opened with `limits` (confined to the same directories,
/// checked again on the opened file), and at most `scanBytes` of a file's data — enough
/// to find NaN or a constant column in a typical table in well under a second; larger data
/// are checked when the run loads them.
public struct DataFileAccess: Sendable {
    public var locations: FileLocations
    public var limits: ReadLimits
    public var scanBytes: Int

    /// 64 MiB of data per file.
    public static let defaultScanBytes = 64 << 20

    public init(locations: FileLocations, limits: ReadLimits, scanBytes: Int = DataFileAccess.defaultScanBytes) {
        self.locations = locations
        self.limits = limits
        self.limits.allowedDirectories = locations.readableDirectories
        self.scanBytes = scanBytes
    }

    /// The file `path` names if the notebook may read it, else nil (validation reports the
    /// refusal at the parameter already; nothing outside is opened).
    public func readableURL(_ path: String) -> URL? {
        try? locations.readableURL(path)
    }
}
