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

    func testManyDecadesAreThinnedAndUseSuperscripts() {
        let labels = Ticks.log(in: 1e-6...1, maxCount: 4).compactMap(\.label)
        XCTAssertEqual(labels, ["10⁻⁶", "10⁻⁴", "0.01", "1"])
    }

    func testLessThanTwoDecadesLabelsOneTwoFive() {
        let labels = Ticks.log(in: 2...40, maxCount: 8).compactMap(\.label)
        XCTAssertEqual(labels, ["2", "5", "10", "20"])
    }

    func testTwoDecadeMarksAlsoLabelTwoAndFive() {
        let labels = Ticks.log(in: 0.9...16, maxCount: 8).compactMap(\.label)
        XCTAssertEqual(labels, ["1", "2", "5", "10"])
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
