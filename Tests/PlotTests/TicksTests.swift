import XCTest
@testable import Plot

final class TicksTests: XCTestCase {
    func testUnitRangeGetsStepsOfTwoTenths() {
        let (ticks, exponent) = Ticks.linear(in: 0...1, maxCount: 6)
        XCTAssertEqual(ticks.map(\.value), [0, 0.2, 0.4, 0.6, 0.8, 1.0], accuracy: 1e-12)
        XCTAssertEqual(ticks.compactMap(\.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(exponent, 0)
    }

    func testNegativeLabelsUseTheMinusSign() {
        let (ticks, _) = Ticks.linear(in: -3...7, maxCount: 6)
        XCTAssertEqual(ticks.compactMap(\.label), ["−2", "0", "2", "4", "6"])
    }

    func testStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        for (range, maxCount) in [(0.0...13.7, 7), (-0.0031...0.0042, 5), (1234.0...98765.0, 8), (0.5...0.51, 6)] {
            let step = Ticks.niceStep(for: range, maxCount: maxCount)
            let mantissa = step / pow(10, floor(log10(step)))
            XCTAssertTrue([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "\(range): step \(step)")
            XCTAssertLessThanOrEqual(Ticks.linear(in: range, maxCount: maxCount).ticks.count, maxCount)
        }
    }

    func testMillionsShareAPowerOfTen() {
        let (ticks, exponent) = Ticks.linear(in: 0...3e6, maxCount: 6)
        XCTAssertEqual(exponent, 6)
        XCTAssertEqual(ticks.compactMap(\.label), ["0", "1", "2", "3"])
    }

    func testNegativeZeroIsPrintedAsZero() {
        XCTAssertEqual(Ticks.label(-0.0001, decimals: 1), "0.0")
    }

    func testLogAxisLabelsDecadesWithMinorTicksBetween() {
        let ticks = Ticks.log(in: 1e-3...1e2, maxCount: 10)
        XCTAssertEqual(ticks.compactMap(\.label), ["0.001", "0.01", "0.1", "1", "10", "100"])
        let minor = ticks.filter { !$0.isMajor }.map(\.value)
        XCTAssertEqual(minor.count, 5 * 8, "2…9 in each of the five decades between the labels")
        XCTAssertTrue(minor.contains { abs($0 - 0.02) < 1e-12 })
    }

    func testManyDecadesAreThinnedAndUseSuperscriptsThroughout() {
        let labels = Ticks.log(in: 1e-6...1, maxCount: 4).compactMap(\.label)
        XCTAssertEqual(labels, ["10⁻⁶", "10⁻⁴", "10⁻²", "10⁰"])
    }

    /// Issue 17: log axes labelled too few ticks ("0.05 and 0.02" on a loss plot, "2 and 5"
    /// on a local-slope axis). Each row: range, the most labels that fit, expected labels.
    func testLogAxesLabelTheDensestSetThatFits() {
        let cases: [(range: ClosedRange<Double>, maxCount: Int, labels: [String])] = [
            (0.015...0.06, 9, ["0.02", "0.03", "0.04", "0.05", "0.06"]),   // a loss curve: all of 2…6
            (1.5...8.5, 11, ["2", "3", "4", "5", "6", "7", "8"]),          // local slope against r
            (2...40, 8, ["2", "3", "5", "10", "20", "30"]),                // 1-2-3-5 when 1…9 is too many
            (0.9...16, 8, ["1", "2", "3", "5", "10"]),
            (1...1000, 8, ["1", "3", "10", "30", "100", "300", "1000"]),
            (1...1000, 12, ["1", "2", "5", "10", "20", "50", "100", "200", "500", "1000"]),
            (1...1000, 4, ["1", "10", "100", "1000"]),
            (1e-3...1e2, 10, ["0.001", "0.01", "0.1", "1", "10", "100"]),
            (3e-5...2e-3, 6, ["5×10⁻⁵", "10⁻⁴", "2×10⁻⁴", "5×10⁻⁴", "10⁻³", "2×10⁻³"]),
        ]
        for c in cases {
            let labels = Ticks.log(in: c.range, maxCount: c.maxCount).compactMap(\.label)
            XCTAssertEqual(labels, c.labels, "\(c.range) with at most \(c.maxCount) labels")
            XCTAssertLessThanOrEqual(labels.count, c.maxCount)
        }
    }

    /// Issue 17: "0.001" and "10⁻⁴" on one axis. Whatever the range, an axis uses one notation.
    func testLogAxisNeverMixesPlainAndPowerOfTenLabels() {
        for lower in [1e-7, 3e-6, 1e-5, 2e-4, 1e-3, 0.02, 1.0, 50] {
            for decades in [0.5, 1.3, 2.0, 3.2, 5.0, 9.0] {
                let range = lower...(lower * pow(10, decades))
                for maxCount in [3, 6, 10] {
                    let labels = Ticks.log(in: range, maxCount: maxCount).compactMap(\.label)
                    XCTAssertGreaterThanOrEqual(labels.count, 2, "\(range)")
                    let powers = labels.filter { $0.unicodeScalars.contains { "⁰¹²³⁴⁵⁶⁷⁸⁹⁻".unicodeScalars.contains($0) } }
                    XCTAssertTrue(powers.isEmpty || powers.count == labels.count, "\(range), \(maxCount): \(labels)")
                }
            }
        }
    }

    func testNarrowLogRangeFallsBackToLinearTicks() {
        let ticks = Ticks.log(in: 3.1...3.9, maxCount: 6)
        XCTAssertGreaterThanOrEqual(ticks.compactMap(\.label).count, 2)
        XCTAssertTrue(ticks.allSatisfy { (3.1...3.9).contains($0.value) })
    }

    func testWholeNumberDataKeepsTicksOnWholeNumbers() {
        let (ticks, _) = Ticks.linear(in: 0.8...5.2, maxCount: 10, minimumStep: 1)
        XCTAssertEqual(ticks.compactMap(\.label), ["1", "2", "3", "4", "5"])
    }

    func testConstantDataGetsASensibleDomain() {
        XCTAssertEqual(Axis.domain(for: 5...5, scale: .linear), 4.5...5.5)
        XCTAssertEqual(Axis.domain(for: 0...0, scale: .linear), -1...1)
        let log = Axis.domain(for: 10...10, scale: .log)
        XCTAssertEqual(log.lowerBound, 5, accuracy: 1e-6)
        XCTAssertEqual(log.upperBound, 20, accuracy: 1e-6)
    }

    func testHistogramDomainStartsAtZeroWithoutMargin() {
        let domain = Axis.domain(for: 3...100, scale: .linear, includeZero: true)
        XCTAssertEqual(domain.lowerBound, 0)
        XCTAssertEqual(domain.upperBound, 105, accuracy: 1e-9)
    }
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
