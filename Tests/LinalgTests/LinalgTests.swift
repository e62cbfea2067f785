import Foundation
import XCTest
@testable import Linalg

final class LinalgTests: XCTestCase {
    func testGemmMatchesHandProduct() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        XCTAssertEqual(a.multiplied(by: b), Matrix([[58, 64], [139, 154]]))
        XCTAssertEqual(a.multiplied(by: a, transposeOther: true), Matrix([[14, 32], [32, 77]]))
        XCTAssertEqual(a.multiplied(by: a, transposeSelf: true).rows, 3)
    }

    func testBlockedDistancesMatchDirectComputation() {
        var rng = SeededGenerator(seed: 1)
        let x = rng.normalMatrix(rows: 37, columns: 5)
        let d = PairwiseDistances.squared(x)
        for i in 0..<37 {
            for j in 0..<37 {
                var s: Float = 0
                for k in 0..<5 { let t = x[i, k] - x[j, k]; s += t * t }
                XCTAssertEqual(d[i, j], s, accuracy: 1e-4)
            }
        }
        // Small blocks visit the same pairs.
        var count = 0
        PairwiseDistances.forEachBlock(x, block: 8) { r, c, _ in count += r.count * c.count }
        XCTAssertEqual(count, 37 * 37)
    }

    func testNearestNeighborsExcludeSelfAndSortAscending() throws {
        let x = Matrix([[0], [1], [3], [7]])
        let nn = try NearestNeighbors(of: x, k: 2)
        XCTAssertEqual(Array(nn.indices[0..<2]), [1, 2])
        XCTAssertEqual(nn.distance(3, neighbor: 1), 4)
        XCTAssertEqual(nn.distance(2, neighbor: 2), 3)
    }

    /// The k nearest neighbours by brute force in Double: (index, squared distance) per row.
    func bruteForceNeighbors(_ x: Matrix, k: Int) -> [[(Int, Double)]] {
        var result = [[(Int, Double)]]()
        for i in 0..<x.rows {
            var row = [(Int, Double)]()
            for j in 0..<x.rows where j != i {
                var s = 0.0
                for c in 0..<x.columns {
                    let t = Double(x[i, c]) - Double(x[j, c])
                    s += t * t
                }
                row.append((j, s))
            }
            row.sort { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
            result.append(Array(row.prefix(k)))
        }
        return result
    }

    func testNearestNeighborDistancesAreExactWhereTheExpansionLosesThem() throws {
        // A curve 1 000 from the origin with neighbours ~1e-3 apart: ‖x‖² + ‖y‖² − 2x·y in
        // Float32 is off by ~0.1 in squared distance, 10⁵ times the distances themselves.
        var g = SeededGenerator(seed: 31)
        let x = Matrix((0..<300).map { _ in let t = Float(g.uniform()); return [1000, t, t * t] })
        let nn = try NearestNeighbors(of: x, k: 5, block: 64, workers: 2)
        let exact = bruteForceNeighbors(x, k: 5)
        for i in 0..<x.rows {
            XCTAssertEqual(nn.indices[(i * 5)..<(i * 5 + 5)].map(Int.init), exact[i].map(\.0), "row \(i)")
            XCTAssertEqual(nn.distances[(i * 5)..<(i * 5 + 5)].map { $0 }, exact[i].map { Float($0.1.squareRoot()) }, "row \(i)")
        }
    }

    func testNearestNeighborSearchCertifiesOrdinaryDataWithoutExhaustiveRows() throws {
        // Near the origin the expansion's error is far below the gap to the 8 spare
        // candidates, so the certificate holds for every row and nothing is searched twice.
        var g = SeededGenerator(seed: 32)
        let x = g.normalMatrix(rows: 500, columns: 4)
        let nn = try NearestNeighbors(of: x, k: 10)
        XCTAssertEqual(nn.exhaustiveRows, 0)
        let exact = bruteForceNeighbors(x, k: 10)
        for i in 0..<x.rows {
            XCTAssertEqual(nn.indices[(i * 10)..<(i * 10 + 10)].map(Int.init), exact[i].map(\.0), "row \(i)")
        }
    }

    func testCancelledBlockLoopVisitsNoMoreBlocksAndThrowsAfterItsWorkersReturn() {
        var rng = SeededGenerator(seed: 2)
        let x = rng.normalMatrix(rows: 64, columns: 3)
        for workers in [1, 3] {
            let visited = VisitCounter()
            XCTAssertThrowsError(try PairwiseDistances.forEachBlockConcurrently(x, block: 8, workers: workers) { _, _, _, _ in
                // The first block asks to stop: the workers finish the blocks they hold.
                if visited.increment() == 1 { Cancellation.request() }
            }) { XCTAssertTrue($0 is CancellationError, "workers \(workers): \($0)") }
            XCTAssertLessThanOrEqual(visited.count, workers, "one block per worker at most after the request")
            Cancellation.reset()
            XCTAssertNoThrow(try NearestNeighbors(of: x, k: 2, block: 8, workers: workers), "a reset lets work run again")
        }
    }

    func testCancellationIsIgnoredOnceClosedAndRepeatedRequestsAreNoticed() {
        defer { Cancellation.reset() }
        XCTAssertEqual(Cancellation.request(reason: 15), .accepted)
        XCTAssertEqual(Cancellation.request(reason: 2), .repeated)
        XCTAssertEqual(Cancellation.reason, 15, "the first request's reason is kept")
        XCTAssertFalse(Cancellation.close(), "a request came before the close")
        Cancellation.reset()
        XCTAssertTrue(Cancellation.close())
        XCTAssertEqual(Cancellation.request(), .ignored)
        XCTAssertFalse(Cancellation.isRequested)
        XCTAssertNoThrow(try Cancellation.checkpoint())
    }

    func testSeededGeneratorIsReproducibleAndNormal() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        var g = SeededGenerator(seed: 7)
        let xs = (0..<200_000).map { _ in g.normal() }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        // Standard error of the mean is 1/sqrt(2e5) ≈ 0.0022; 5 SE.
        XCTAssertEqual(mean, 0, accuracy: 0.011)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
    }

    func testEigenDecompositionOfKnownMatrix() throws {
        let e = try SymmetricEigen(SymmetricMatrix(dimension: 2, elements: [2, 1, 1, 2]))
        XCTAssertEqual(e.values[0], 3, accuracy: 1e-12)
        XCTAssertEqual(e.values[1], 1, accuracy: 1e-12)
        XCTAssertEqual(abs(e.vectors[0 * 2 + 0]), 1 / 2.0.squareRoot(), accuracy: 1e-12)
    }

    func testCovarianceOfKnownData() {
        let x = Matrix([[1, 2], [3, 6], [5, 10]])
        let c = x.covariance()
        XCTAssertEqual(c[0, 0], 4, accuracy: 1e-9)
        XCTAssertEqual(c[0, 1], 8, accuracy: 1e-9)
        XCTAssertEqual(c[1, 1], 16, accuracy: 1e-9)
    }

    /// Single-threaded scopes nest and overlap across threads: OpenBLAS stays on one thread
    /// until the last scope ends, and then gets its earlier thread count back.
    func testSingleThreadedScopesNestAndOverlap() {
        let before = BLAS.threads
        BLAS.setThreads(2)
        defer { BLAS.setThreads(before) }
        guard BLAS.threads == 2 else { return } // a build limited to one thread: nothing to check
        BLAS.withSingleThreadedCalls {
            XCTAssertEqual(BLAS.threads, 1)
            BLAS.withSingleThreadedCalls { XCTAssertEqual(BLAS.threads, 1) }
            XCTAssertEqual(BLAS.threads, 1, "the inner scope must not restore while the outer one runs")
        }
        XCTAssertEqual(BLAS.threads, 2)
        // Two threads: the first to leave must not restore while the other is inside.
        let inside = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            BLAS.withSingleThreadedCalls {
                inside.signal()
                release.wait()
            }
            done.signal()
        }
        inside.wait()
        BLAS.withSingleThreadedCalls { XCTAssertEqual(BLAS.threads, 1) }
        XCTAssertEqual(BLAS.threads, 1, "the other thread is still inside its scope")
        release.signal()
        done.wait()
        XCTAssertEqual(BLAS.threads, 2)
    }
}

/// Counts the blocks visited by concurrent workers.
private final class VisitCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var count: Int { lock.withLock { n } }
    /// The count after this visit.
    func increment() -> Int { lock.withLock { n += 1; return n } }
}
