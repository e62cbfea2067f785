/// Which cells depend on others, for `--refresh ID`.
extension Plan {
    /// The indices of the cells that read a result of the cells with `ids`, directly or
    /// through other cells (not those cells themselves). One pass in notebook order: a cell
    /// reads only earlier results, so its inputs are settled when it is reached.
    public func readers(ofCellsWithIDs ids: Set<String>) -> Set<Int> {
        guard !ids.isEmpty else { return [] }
        var changed = Set<String>()
        var readers = Set<Int>()
        for cell in cells {
            let isRefreshed = cell.id.map(ids.contains) ?? false
            if !isRefreshed && !cell.reads.contains(where: changed.contains) { continue }
            if !isRefreshed { readers.insert(cell.index) }
            changed.formUnion(cell.writes.map(\.id))
        }
        return readers
    }
}
