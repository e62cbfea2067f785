import Directives
import Foundation
import Notebook
import XCTest

/// `{classifier}` and `{information-plane}` results are cached: a re-run with unchanged inputs
/// serves them from the cache (no retraining) with the same numbers, and a plane recomputed
/// from a cached classifier equals the one computed from the freshly trained network.
final class ClassifierCacheTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eb-classifier-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Two clusters in R³ (uniform noise in a cube of side 2, means 4 apart), 160 rows, label last.
        var state: UInt64 = 99
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) * 0x1p-53 }
        let lines = (0..<160).map { i -> String in
            let label = i % 2
            return (0..<3).map { k in String(format: "%.5f", 2 * uniform() - 1 + (k == label ? 4 : 0)) }.joined(separator: ",") + ",\(label)"
        }
        try lines.joined(separator: "\n").write(to: directory.appendingPathComponent("two.csv"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private let notebook = """
        ```{dataset}
        id: x
        kind: csv
        path: two.csv
        labels: last
        header: false
        ```

        ```{classifier}
        id: net
        data: x
        hidden: [6, 4]
        noise: 0.4
        epochs: 4
        batch: 32
        lr: 0.01
        eval: 60
        snapshots: 2
        repeats: 2
        ```

        ```{information-plane}
        id: p
        classifier: net
        noise: propagated
        chains: 3
        samples: 200
        code: 2
        ae-epochs: 2
        bins: 8
        ```
        """

    private func run(_ plan: Plan, keys: CacheKeys) -> [CellRecord] {
        let cache = CellCache(directory: directory.appendingPathComponent("cache"), valueTypes: DirectiveRegistry.valueTypes)
        return Executor(plan: plan, notebookDirectory: directory, dataDirectory: directory, store: cache,
                        cacheKeys: keys.keys, inputKeys: keys.inputKeys).run()
    }

    func testASecondRunServesTheClassifierFromTheCacheWithTheSameNumbers() throws {
        let (document, _) = NotebookParser.parse(notebook, file: "nb.md")
        let plan = try Validator(overrides: ["seed": "3", "threads": "1"], registry: DirectiveRegistry.all).plan(document).get()
        let keys = CacheKeys(plan: plan, locations: FileLocations(notebookDirectory: directory, dataDirectory: directory),
                             hasher: FileHasher(memoURL: nil))
        let first = run(plan, keys: keys)
        XCTAssertEqual(first.map(\.status), [.ok, .ok, .ok], "\(first.map(\.error))")

        let second = run(plan, keys: keys)
        XCTAssertEqual(second.map(\.status), [.cached, .cached, .cached])
        for (a, b) in zip(first, second) { XCTAssertEqual(a.results, b.results, a.cell.label) }

        // Without the plane's entry the plane is estimated again from the cached classifier
        // (its layer outputs recomputed from the stored parameters): the same numbers.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("cache/\(keys.keys[2]).ebc"))
        let third = run(plan, keys: keys)
        XCTAssertEqual(third.map(\.status), [.cached, .cached, .ok])
        XCTAssertEqual(third[2].results, first[2].results)
        let plane = try XCTUnwrap(first[2].results["p.plane"])
        XCTAssertEqual(plane["noise"], "propagated")
        XCTAssertEqual(plane["propagationSamples"], 3)
    }
}
