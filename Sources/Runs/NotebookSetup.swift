import Foundation
import Notebook

/// What a notebook is run with, besides the notebook: its overrides and budget, what it may
/// read, the data directory and the cache. Shared by `run`, `check`, the cluster worker and
/// the tests, so that a node computing one unit sees exactly the plan and keys the
/// submitting run saw.
public struct NotebookSetup: Sendable {
    /// `-p key=value`.
    public var overrides: [String: String] = [:]
    public var budget = ResourceBudget(memoryLimit: .infinity)
    /// `--allow-read` directories (relative ones against the working directory).
    public var allowRead: [String] = []
    /// `--trust`: honour the front matter's `allow-read`.
    public var trust = false
    public var dataDirectory: URL
    /// Every directive (`DirectiveRegistry.all`) and the value types the cache may decode
    /// beyond the engine's (`DirectiveRegistry.valueTypes`).
    public var registry: [any Directive.Type]
    public var valueTypes: [any CacheableValue.Type]

    public init(dataDirectory: URL, registry: [any Directive.Type], valueTypes: [any CacheableValue.Type]) {
        self.dataDirectory = dataDirectory
        self.registry = registry
        self.valueTypes = valueTypes
    }

    /// Where the notebook at `path` may read from: its directory, the data directory and the
    /// `--allow-read` directories.
    public func locations(forNotebook path: String) -> FileLocations {
        FileLocations(notebookDirectory: URL(fileURLWithPath: path).deletingLastPathComponent(),
                      dataDirectory: dataDirectory,
                      allowedDirectories: allowRead.map { URL(fileURLWithPath: NSString(string: $0).expandingTildeInPath).standardizedFileURL })
    }

    /// Reads, parses and validates one notebook; all diagnostics on failure. Data paths are
    /// checked against what the notebook may read, and every cell's memory estimate against
    /// the budget.
    public func plan(_ path: String) -> Result<Plan, ValidationFailure> {
        let (parsed, parseDiagnostics) = NotebookParser.parse(contentsOf: URL(fileURLWithPath: path), displayName: path)
        guard let document = parsed, !parseDiagnostics.contains(where: { $0.severity == .error }) else {
            return .failure(ValidationFailure(diagnostics: parseDiagnostics))
        }
        let validator = Validator(overrides: overrides, registry: registry, budget: budget,
                                  locations: locations(forNotebook: path), trust: trust)
        switch validator.plan(document) {
        case .success(var plan):
            plan.warnings = parseDiagnostics + plan.warnings
            return .success(plan)
        case .failure(let f):
            return .failure(ValidationFailure(diagnostics: parseDiagnostics + f.diagnostics))
        }
    }

    /// The cache keys of `plan` (file hashes memoised in `cacheDirectory`, when given).
    public func keys(of plan: Plan, notebookPath path: String, cacheDirectory: URL?) -> CacheKeys {
        let hasher = FileHasher(memoURL: cacheDirectory?.appendingPathComponent("files.json"))
        let keys = CacheKeys(plan: plan, locations: FileLocations(notebookDirectory: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                                  dataDirectory: dataDirectory),
                             hasher: hasher)
        hasher.persist()
        return keys
    }

    /// The cache in `directory`, with warnings going to `warn`.
    public func cache(at directory: URL, limit: Int = 4 << 30, refresh: Set<String> = [],
                      warn: @escaping @Sendable (String) -> Void) -> CellCache {
        CellCache(directory: directory, limit: limit, refresh: refresh, valueTypes: valueTypes, warn: warn)
    }
}
