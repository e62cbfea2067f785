import Foundation
import Notebook

// Units of work for the cluster executor (docs/cluster.md) of the directives that are not
// split into pieces: the whole cell is one unit, computed by a node from its cached inputs
// and stored under the cell's own key. `{classifier}` is split per seed
// (`ClassifierDirective.workUnits`), `{entropy-curve}` per model and estimate
// (`EntropyCurveUnits`).

extension DimensionDirective {
    /// One unit: the estimators share the cell's k-NN distances and scale curve, so they
    /// are computed together.
    public static var isWorkUnit: Bool { true }
}

extension DistancesDirective {
    /// One unit: the pairwise distances of the cell's sample, histogrammed.
    public static var isWorkUnit: Bool { true }
}

extension InformationPlaneDirective {
    /// One unit after the classifier's seeds: every layer × read-out of every seed.
    public static var isWorkUnit: Bool { true }
}

/// One seed's training of a `{classifier}` (a `ClassifierValue` with one run), as the cache
/// stores it for the cluster's per-seed units: the same encoding as the whole cell's value.
struct ClassifierRunValue: CacheableValue {
    static var kind: ValueKind { ClassifierValue.kind }
    static var cacheTag: String { "classifier-run" }
    var value: ClassifierValue
    init(_ value: ClassifierValue) { self.value = value }
    var summary: String { value.summary }

    func encode(to writer: inout ByteWriter) throws { try value.encode(to: &writer) }
    static func decode(from reader: inout ByteReader) throws -> ClassifierRunValue {
        let value = try ClassifierValue.decode(from: &reader)
        guard value.runs.count == 1 else { throw CacheError.malformed("a classifier training entry with \(value.runs.count) runs") }
        return ClassifierRunValue(value)
    }
}
