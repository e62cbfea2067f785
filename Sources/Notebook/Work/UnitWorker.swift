import Foundation
import Linalg

/// Computes one unit of work from the cache and stores its result there (`entropybook
/// work`): the inputs come from the cache by key, never from running other cells, and the
/// result goes in with the cache's rules (checksummed, key-bound, renamed into place),
/// under the unit's compute lock so that two tasks never compute it at once.
public struct UnitWorker: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Computed and stored now.
        case computed(seconds: Double)
        /// Already in the cache (an earlier task, or a concurrent one that held the lock).
        case alreadyCached
    }

    public var plan: Plan
    public var keys: CacheKeys
    public var cache: CellCache
    public var notebookDirectory: URL
    public var dataDirectory: URL

    public init(plan: Plan, keys: CacheKeys, cache: CellCache, notebookDirectory: URL, dataDirectory: URL) {
        self.plan = plan
        self.keys = keys
        self.cache = cache
        self.notebookDirectory = notebookDirectory
        self.dataDirectory = dataDirectory
    }

    /// Computes `unit` (a unit of this plan) unless it is cached. Throws when an input is
    /// not in the cache, when the computation fails or when its result could not be stored.
    public func compute(_ unit: WorkUnit) throws -> Outcome {
        if cache.hasEntry(key: unit.key) { return .alreadyCached }
        return try cache.withComputeLock(key: unit.key) {
            // Whoever held the lock before us may have stored it.
            if cache.hasEntry(key: unit.key) { return .alreadyCached }
            // The cells' results are loaded below (with their own message); the units it
            // reads must be there too, else `memoized` would quietly compute them here.
            for input in unit.inputs where !keys.keys.contains(input) && !cache.hasEntry(key: input) {
                throw CellError("input \(input.prefix(12)) of \(unit.label) is not in the cache \(cache.directory.path)")
            }
            let cell = plan.cells[unit.cellIndex]
            BLAS.setThreads(plan.settings.threads)
            let start = DispatchTime.now().uptimeNanoseconds
            let context = CellContext(
                cellID: cell.id, seed: cell.seed, settings: plan.settings, notebookDirectory: notebookDirectory,
                dataDirectory: dataDirectory, allowedDirectories: plan.allowedReadDirectories, readLimits: plan.readLimits,
                environment: try environment(of: cell), arguments: cell.arguments,
                memo: Memo.backed(by: cache, scope: keys.inputKeys[cell.index], cell: cell))
            if let id = unit.unitID {
                try cell.directive.computeWorkUnit(id, cell.arguments, context: context)
            } else {
                let result = try cell.directive.run(cell.arguments, context: context)
                try Cancellation.checkpoint()
                cache.save(result, key: unit.key, cell: cell, seconds: .infinity)
            }
            try Cancellation.checkpoint()
            guard cache.hasEntry(key: unit.key) else {
                throw CellError("\(unit.label) was computed but its result could not be stored in \(cache.directory.path)")
            }
            return .computed(seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    /// The results `cell` reads, loaded from the cache entries of the cells that wrote them.
    private func environment(of cell: PlannedCell) throws -> [String: any NotebookValue] {
        var producers = [String: PlannedCell]()
        for c in plan.cells where c.index < cell.index { for w in c.writes { producers[w.id] = c } }
        var environment = [String: any NotebookValue]()
        for producer in Set(cell.reads.compactMap { producers[$0]?.index }).sorted().map({ plan.cells[$0] }) {
            guard let result = cache.load(key: keys.keys[producer.index], cell: producer), let id = producer.id else {
                throw CellError("the result of `\(producer.label)` is not in the cache \(cache.directory.path)")
            }
            for (suffix, value) in result.values { environment[suffix.isEmpty ? id : "\(id).\(suffix)"] = value }
        }
        return environment
    }
}
