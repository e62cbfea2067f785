import Foundation

/// An expensive piece of a cell that a directive can compute on its own, declared before
/// anything runs: one autoencoder of a sweep (d × seed), the entropy of its codes. The
/// directive computes it through `CellContext.memoized(parts)`, so its result lands in the
/// cache under the same key whether the cell runs here or a cluster node computed it first.
public struct WorkUnitDeclaration: Sendable, Hashable {
    /// Unique within the cell ("autoencoder d=3 seed=1").
    public var id: String
    /// The `memoized` parts the directive uses for it; with the cell's input key they make
    /// the unit's cache key.
    public var parts: [String]
    /// Ids of units of the same cell whose results this one reads (their keys are its inputs).
    public var after: [String]
    public init(id: String, parts: [String], after: [String] = []) {
        self.id = id
        self.parts = parts
        self.after = after
    }
}

/// One unit of work of a plan with its cache key and the keys of what it reads: enough to
/// schedule it anywhere that sees the cache, and to tell whether it is done.
public struct WorkUnit: Sendable, Hashable, Codable {
    /// The key its result is stored under.
    public var key: String
    /// The cell it belongs to (index among the plan's cells) and that cell's label.
    public var cellIndex: Int
    public var cellLabel: String
    /// The declaration's id, or nil when the unit is the whole cell (`Directive.isWorkUnit`).
    public var unitID: String?
    /// Keys of the cell results and units it reads; all must be in the cache before it runs.
    public var inputs: [String]
    /// 1 + the highest level among the units it reads (directly, or through the cells it
    /// reads); units of one level can all run at once.
    public var level: Int

    /// "sweep: autoencoder d=3 seed=1", for progress lines and messages.
    public var label: String { unitID.map { "\(cellLabel): \($0)" } ?? cellLabel }
}

/// The plan's units of work, in plan order, computed from the plan and its cache keys
/// alone — nothing runs.
public struct WorkPlan: Sendable {
    public var units: [WorkUnit]
    /// Per cell index: the units it needs before it can be assembled (empty for cheap cells).
    public var unitsByCell: [Int: [WorkUnit]]
    /// Cells whose declarations could not be made (bad arguments): they simply have no
    /// units and fail when they run, in place, as they would locally.
    public var problems: [Int: String]

    public init(plan: Plan, keys: CacheKeys) {
        var units = [WorkUnit]()
        var byCell = [Int: [WorkUnit]]()
        var problems = [Int: String]()
        var producers = [String: Int]() // id → cell index
        var cellLevel = [Int: Int]() // highest unit level a cell's result depends on
        for cell in plan.cells {
            let upstream = Set(cell.reads.compactMap { producers[$0] }).sorted()
            let inputCells = upstream.map { keys.keys[$0] }
            let baseLevel = upstream.map { cellLevel[$0] ?? 0 }.max() ?? 0
            var mine = [WorkUnit]()
            if cell.directive.isWorkUnit {
                mine.append(WorkUnit(key: keys.keys[cell.index], cellIndex: cell.index, cellLabel: cell.label, unitID: nil,
                                     inputs: inputCells, level: baseLevel + 1))
            } else {
                do {
                    let declared = try cell.directive.workUnits(cell.arguments, settings: plan.settings, seed: cell.seed)
                    var byID = [String: WorkUnit]()
                    for d in declared {
                        let after = d.after.compactMap { byID[$0] }
                        let unit = WorkUnit(key: WorkPlan.memoKey(scope: keys.inputKeys[cell.index], parts: d.parts),
                                            cellIndex: cell.index, cellLabel: cell.label, unitID: d.id,
                                            inputs: inputCells + after.map(\.key),
                                            level: max(baseLevel, after.map(\.level).max() ?? 0) + 1)
                        byID[d.id] = unit
                        mine.append(unit)
                    }
                } catch {
                    problems[cell.index] = String(describing: error)
                }
            }
            units += mine
            if !mine.isEmpty { byCell[cell.index] = mine }
            cellLevel[cell.index] = max(baseLevel, mine.map(\.level).max() ?? 0)
            for w in cell.writes { producers[w.id] = cell.index }
        }
        self.units = units
        self.unitsByCell = byCell
        self.problems = problems
    }

    /// The cache key of a sub-result `parts` of a cell whose inputs have key `scope`
    /// (`CellContext.memoized` and the unit keys agree through this one function).
    public static func memoKey(scope: String, parts: [String]) -> String {
        SHA256.hex(Array(("memo\n" + scope + "\n" + parts.joined(separator: "\n")).utf8))
    }

    /// The unit stored under `key`, if the plan has one.
    public func unit(key: String) -> WorkUnit? { units.first { $0.key == key } }
}
