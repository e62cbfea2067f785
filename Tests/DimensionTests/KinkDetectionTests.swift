import XCTest
import Linalg
@testable import Dimension

final class KinkDetectionTests: XCTestCase {
    let detector = KinkDetector()

    func analysis(_ y: [Double], d: [Int]? = nil) throws -> KinkAnalysis {
        var g = SeededGenerator(seed: 1)
        return try detector.analyse(d: d ?? Array(1...y.count), repeats: [y], using: &g)
    }

    func testReferenceEntropyCurveHasItsKinkAtThree() throws {
        // H(1..8) of the reference simulation (k = 3, n = 2000), DESIGN.md.
        let h = [1.431, 2.839, 4.272, 3.849, 3.399, 2.686, 1.580, 1.172]
        let a = try analysis(h)
        XCTAssertEqual(a.kink, 3)
        for rule in KinkRule.allCases { XCTAssertEqual(a.finding(rule)?.d, 3, "\(rule)") }
        XCTAssertTrue(a.rulesAgree)
    }

    func testFlatAfterKFindsK() throws {
        // Rises ~1 per d to d = 4, then flat within ±0.04.
        let y = [1.1, 2.3, 3.2, 4.4, 4.45, 4.41, 4.48, 4.46]
        let a = try analysis(y)
        XCTAssertEqual(a.kink, 4)
        XCTAssertEqual(a.finding(.kneedle)?.d, 4)
        XCTAssertEqual(a.finding(.twoSegment)?.d, 4)
        XCTAssertEqual(a.finding(.gain)?.d, 4)
        // On a plateau the maximum lands anywhere in it: the report must show that.
        XCTAssertEqual(a.finding(.maximum)?.d, 7)
        XCTAssertFalse(a.rulesAgree)
    }

    func testStillRisingButSlowerAfterKFindsK() throws {
        // Slope 1.2 up to d = 5, then 0.25 per d.
        let y: [Double] = (1...10).map { (d: Int) -> Double in
            let x = Double(d)
            return d <= 5 ? 1.2 * x : 6 + 0.25 * (x - 5)
        }
        let a = try analysis(y)
        XCTAssertEqual(a.kink, 5)
        XCTAssertNil(a.finding(.maximum)?.d, "no interior maximum on a rising curve")
        XCTAssertEqual(a.finding(.kneedle)?.d, 5)
        XCTAssertEqual(a.finding(.twoSegment)?.d, 5)
        XCTAssertEqual(a.finding(.gain)?.d, 5)
        XCTAssertTrue(a.rulesAgree, "rules that found a kink agree")
    }

    func testStraightLineHasNoKink() throws {
        let a = try analysis((1...8).map { Double($0) })
        XCTAssertNil(a.kink)
        XCTAssertTrue(a.findings.allSatisfy { $0.d == nil }, "\(a.findings)")
    }

    func testGainRuleUsesTheThreshold() throws {
        let y = [0.0, 1.0, 1.6, 2.0, 2.3]
        XCTAssertEqual(KinkDetector(gainThreshold: 0.5).finding(.gain, d: [1, 2, 3, 4, 5], y: y).d, 3)
        XCTAssertEqual(KinkDetector(gainThreshold: 0.7).finding(.gain, d: [1, 2, 3, 4, 5], y: y).d, 2)
        // Uneven d: the gain is per step to the next d.
        XCTAssertEqual(KinkDetector().finding(.gain, d: [1, 2, 4, 8, 16], y: y).d, 4)
    }

    func testRepeatsGiveABootstrapAndSeedSpread() throws {
        let h = [1.431, 2.839, 4.272, 3.849, 3.399, 2.686, 1.580, 1.172]
        var noise = SeededGenerator(seed: 11)
        let repeats = (0..<5).map { _ in h.map { $0 + 0.1 * noise.normal() } }
        var g = SeededGenerator(seed: 2)
        let a = try detector.analyse(d: Array(1...8), repeats: repeats, resamples: 100, using: &g)
        XCTAssertEqual(a.kink, 3)
        XCTAssertEqual(a.bootstrap.count, KinkRule.allCases.count)
        for spread in a.bootstrap {
            XCTAssertEqual(spread.total, 100)
            // Noise 0.1 is small against steps of ~0.5–1.4: every resample finds d = 3.
            XCTAssertEqual(spread.mode, 3, "\(spread.rule)")
            XCTAssertGreaterThan(spread.modeFraction, 0.9, "\(spread.rule)")
        }
        XCTAssertEqual(a.perRepeat.first?.total, 5)
    }

    func testRejectsMismatchedInput() {
        XCTAssertThrowsError(try detector.findings(d: [1, 2, 3], y: [1, 2]))
        XCTAssertThrowsError(try detector.findings(d: [1, 3, 2], y: [1, 2, 3]))
    }
}
