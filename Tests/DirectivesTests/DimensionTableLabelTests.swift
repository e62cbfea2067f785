import Directives
import Foundation
import Notebook
import XCTest

/// Issue 24: the labels the README's blocks look up in a run — `{dimension}`'s rows and
/// value column, `{corrdim}`'s details — are the ones the directives write. `{dimension}`
/// names its rows itself (`DimensionTableLabel` mirrors them), so this runs it: a label
/// renamed in the directive fails here instead of emptying a README cell.
final class DimensionTableLabelTests: XCTestCase {
    private func cell(_ directive: String, _ body: String) -> String { "```{\(directive)}\n\(body)\n```" }

    func testDimensionTableHasTheRowsAndColumnTheReadmeReads() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: cube\nkind: uniform-cube\nk: 3\nn: 600"))
        try h.run(cell("dimension", "id: dims\ndata: cube\nmethods: [corrdim, mle, twonn, gride]"))
        let table = try h.value("dims", as: Table.self)
        let rows = Set(table.rows.map { $0[0] })
        for label in [DimensionTableLabel.maximumLikelihood, DimensionTableLabel.twoNearestNeighbors,
                      DimensionTableLabel.correlationDimension, DimensionTableLabel.corrInt,
                      DimensionTableLabel.grideSmallestScale, DimensionTableLabel.grideLargestScale] {
            XCTAssertTrue(rows.contains(label), "{dimension} has no row `\(label)`: \(rows.sorted())")
        }
        XCTAssertTrue(table.columns.contains(DimensionTableLabel.estimate), "\(table.columns)")
        XCTAssertTrue(table.columns.contains(DimensionTableLabel.how), "\(table.columns)")
        // Read back from the record as the README does.
        let stored = try XCTUnwrap(Table.StoredRecord(table.record))
        XCTAssertNotNil(stored.row(DimensionTableLabel.maximumLikelihood)?[DimensionTableLabel.estimate]?.numberValue)
    }

    func testCorrdimStoresTheDetailsTheReadmeReads() throws {
        let h = DirectiveHarness()
        try h.run(cell("dataset", "id: cube\nkind: uniform-cube\nk: 2\nn: 600"))
        try h.run(cell("corrdim", "id: c\ndata: cube\ncorrint: false"))
        let names = Set(try h.value("c", as: EstimateValue.self).details.map(\.name))
        for name in [CorrdimDirective.Detail.r1, CorrdimDirective.Detail.r2, CorrdimDirective.Detail.eckmannRuelleBound] {
            XCTAssertTrue(names.contains(name), "{corrdim} has no detail `\(name)`: \(names.sorted())")
        }
    }
}
