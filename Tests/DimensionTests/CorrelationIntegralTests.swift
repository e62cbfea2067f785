import Foundation
import XCTest
import Linalg
@testable import Dimension

final class CorrelationIntegralTests: XCTestCase {
    func testBinnerMatchesDirectComparisons() {
        let thresholds: [Float] = [0.01, 0.0101, 0.5, 1, 1.0001, 3, 1e6]
        let binner = SquaredDistanceBinner(thresholds: thresholds)
        var g = SeededGenerator(seed: 5)
        var values: [Float] = [0, 0.01, 0.0101, 1, 3, 1e6, 1e7, .leastNonzeroMagnitude, .infinity]
        values += (0..<20_000).map { _ in Float(Foundation.exp(g.uniform(-8, 16))) }
        values += thresholds.map { $0.nextDown } + thresholds.map { $0.nextUp }
        for s in values {
            XCTAssertEqual(binner.bin(s), thresholds.filter { $0 <= s }.count, "s = \(s)")
        }
    }

    func testPairCountsMatchBruteForceAcrossBlocks() throws {
        var g = SeededGenerator(seed: 6)
        let x = g.normalMatrix(rows: 101, columns: 7)
        let radii = try CorrelationIntegral.logSpacedRadii(count: 12, in: 0.5...6)
        // Block 16 makes diagonal, off-diagonal and ragged edge blocks.
        let integral = try CorrelationIntegral(of: x, radii: radii, block: 16)
        let full = PairwiseDistances.squared(x)
        for (j, r) in radii.enumerated() {
            var count: UInt64 = 0
            for a in 0..<101 { for b in (a + 1)..<101 where Double(full[a, b]).squareRoot() < r { count += 1 } }
            XCTAssertEqual(integral.pairCounts[j], count, "r = \(r)")
        }
        XCTAssertEqual(integral.pairTotal, 5050)
        XCTAssertEqual(integral.values.last ?? 0, Double(integral.pairCounts.last ?? 0) / 5050, accuracy: 1e-15)
    }

    func testAutomaticRangeBracketsTheDistances() throws {
        var g = SeededGenerator(seed: 7)
        let x = g.uniformMatrix(rows: 500, columns: 3)
        let range = try CorrelationIntegral.automaticRange(of: x, using: &g)
        let integral = try CorrelationIntegral(of: x, radii: [range.lowerBound, range.upperBound])
        // A handful of pairs at the bottom; nearly all pairs at the top.
        XCTAssertLessThan(integral.values[0], 1e-3)
        XCTAssertGreaterThan(integral.values[1], 0.999)
    }

    func testRejectsRadiiThatDoNotAscend() {
        let x = Matrix([[0, 0], [1, 0], [0, 1]])
        XCTAssertThrowsError(try CorrelationIntegral(of: x, radii: [1, 0.5]))
        XCTAssertThrowsError(try CorrelationIntegral(of: x, radii: [0, 1]))
    }

    func testDistanceHistogramCountsEveryPairOnceAndSplitsByLabel() throws {
        var g = SeededGenerator(seed: 8)
        let x = g.normalMatrix(rows: 300, columns: 4)
        let labels = (0..<300).map { $0 % 3 }
        let h = try DistanceHistogram(of: x, labels: labels, bins: 40, using: &g)
        XCTAssertEqual(h.groups.map(\.name), ["within label", "between labels"])
        // 3 labels of 100: 3·C(100,2) = 14 850 within, 300·299/2 − 14 850 = 30 000 between.
        XCTAssertEqual(h.groups[0].pairs, 14_850)
        XCTAssertEqual(h.groups[1].pairs, 30_000)
        XCTAssertEqual(h.outsideRange, 0)
        let width = h.edges[1] - h.edges[0]
        for group in h.groups {
            XCTAssertEqual(group.density.reduce(0, +) * width, 1, accuracy: 1e-12, "densities integrate to 1")
        }
        // The largest distance falls in the last bin.
        XCTAssertGreaterThan(h.groups[0].counts.last! + h.groups[1].counts.last!, 0)
    }

    func testDistanceHistogramPairSampleUsesASubsetOfPoints() throws {
        var g = SeededGenerator(seed: 9)
        let x = g.normalMatrix(rows: 2000, columns: 3)
        let h = try DistanceHistogram(of: x, bins: 30, pairs: 10_000, using: &g)
        // Smallest m with m(m−1)/2 ≥ 10 000 is 142: 10 011 pairs.
        XCTAssertEqual(h.pointCount, 142)
        XCTAssertEqual(h.groups[0].pairs, 10_011)
        // Two standard normal points in R^3 differ by N(0, 2I): mean distance
        // √2·E χ₃ = 2·Γ(2)/Γ(3/2) ≈ 2.257. The pair distances of 142 points share points, so
        // the standard error is about 2·sd/√m ≈ 2·0.95/√142 ≈ 0.16: 3 standard errors.
        let mean = zip(h.edges, h.edges.dropFirst()).enumerated().reduce(0.0) { sum, item in
            sum + Double(h.groups[0].counts[item.offset]) * (item.element.0 + item.element.1) / 2
        } / 10_011
        XCTAssertEqual(mean, 2.257, accuracy: 0.48)
    }
}

final class ConcurrentBlocksTests: XCTestCase {
    func testWorkerCountDoesNotChangeTheCounts() throws {
        var g = SeededGenerator(seed: 10)
        let x = g.normalMatrix(rows: 257, columns: 9)
        let radii = try CorrelationIntegral.logSpacedRadii(count: 20, in: 1...30)
        let one = try CorrelationIntegral(of: x, radii: radii, block: 32, workers: 1)
        let three = try CorrelationIntegral(of: x, radii: radii, block: 32, workers: 3)
        XCTAssertEqual(one.pairCounts, three.pairCounts)
        XCTAssertEqual(one.pairCounts.last, 257 * 256 / 2, "the largest radius holds every pair")
    }

    func testNeighborSearchIsTheSameForAnyWorkerCountEvenWithTies() throws {
        // Integer grid points: many exactly equal distances; ties go to the smaller index.
        var g = SeededGenerator(seed: 12)
        let x = Matrix(rows: 300, columns: 2, elements: (0..<600).map { _ in Float(g.index(below: 6)) })
        let one = try NearestNeighbors(of: x, k: 7, block: 40, workers: 1)
        let three = try NearestNeighbors(of: x, k: 7, block: 40, workers: 3)
        XCTAssertEqual(one.indices, three.indices)
        XCTAssertEqual(one.distances, three.distances)
        for i in 0..<300 {
            for j in 1..<7 {
                let a = one.distance(i, neighbor: j), b = one.distance(i, neighbor: j + 1)
                XCTAssertLessThanOrEqual(a, b)
                if a == b { XCTAssertLessThan(one.indices[i * 7 + j - 1], one.indices[i * 7 + j]) }
            }
        }
    }
}
