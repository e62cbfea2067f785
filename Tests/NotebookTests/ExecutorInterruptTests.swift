import Foundation
import Linalg
import XCTest
@testable import Notebook

/// Asks the run to stop and still returns normally, as a directive does that absorbed a
/// cancelled library call (a `try?`, a failure kept as a note).
enum StopRequestingDirective: Directive {
    static let name = "stop"
    static let summary = "test directive that requests cancellation"
    static let parameters: [Parameter] = []
    static let results: [ResultSlot] = [ResultSlot(kind: .estimate, doc: "nothing")]
    static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        Cancellation.request()
        return CellResult()
    }
}

/// Records which cells were stored in the cache.
private final class RecordingStore: ResultStore, @unchecked Sendable {
    private let lock = NSLock()
    private var _saved = [String]()
    var saved: [String] { lock.withLock { _saved } }
    func load(key: String, cell: PlannedCell) -> CellResult? { nil }
    func save(_ result: CellResult, key: String, cell: PlannedCell, seconds: Double) { lock.withLock { _saved.append(key) } }
}

final class ExecutorInterruptTests: XCTestCase {
    override func tearDown() { Cancellation.reset() }

    func testCellThatReturnsAfterAStopRequestIsInterruptedAndNotCachedAndTheRestDoNotRun() throws {
        let source = """
        ```{probe}
        id: a
        ```

        ```{stop}
        id: b
        ```

        ```{probe}
        id: c
        ```
        """
        let (document, _) = NotebookParser.parse(source, file: "nb.md")
        let plan = try Validator(registry: testRegistry + [StopRequestingDirective.self]).plan(document).get()
        let store = RecordingStore()
        let directory = FileManager.default.temporaryDirectory
        let records = Executor(plan: plan, notebookDirectory: directory, dataDirectory: directory, store: store,
                               cacheKeys: ["ka", "kb", "kc"]).run()
        XCTAssertEqual(records.map(\.status), [.ok, .interrupted, .interrupted])
        XCTAssertTrue(records[1].stored.isEmpty, "an interrupted cell's values are dropped")
        XCTAssertEqual(store.saved, ["ka"], "only the cell that finished before the request is cached")
    }
}
