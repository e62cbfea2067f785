import XCTest
@testable import Plot

/// Chart logic on the recording canvas: no pixels, no fonts.
final class LayoutTests: XCTestCase {
    func testNaNAndInfinitePointsAreSkippedAndCountedOnTheFigure() throws {
        let (layout, canvas) = try SampleCharts.badData().recording(size: .report)
        XCTAssertEqual(layout.skippedNonFinite, 3)
        XCTAssertTrue(canvas.texts.contains("3 points with NaN/∞ not drawn"))
        // The NaN breaks the line: three runs for the loss series (0–9, 12–29, 31–49).
        let blue = canvas.operations.filter { if case .polyline(_, let s) = $0 { s.color == Palette.color(0) } else { false } }
        XCTAssertEqual(blue.count, 3)
    }

    func testNonPositiveValuesOnALogAxisAreCounted() throws {
        let chart = try LineChart(series: [.init(name: "s", x: [1, 2, 3, 4], y: [1, 0, -2, 10])], yScale: .log)
        let (layout, canvas) = try chart.recording(size: .report)
        XCTAssertEqual(layout.skippedNonPositive, 2)
        XCTAssertTrue(canvas.texts.contains("2 points ≤ 0 not drawn on the log axis"))
    }

    func testEmptySeriesIsAClearError() {
        XCTAssertThrowsError(try LineChart(series: [.init(name: "loss", x: [], y: [])])) { error in
            XCTAssertEqual(error as? PlotError, .emptySeries("“loss”"))
            XCTAssertTrue("\(error)".contains("loss"))
        }
        XCTAssertThrowsError(try LineChart(series: []))
        XCTAssertThrowsError(try LineChart(series: [.init(name: "s", x: [1, 2], y: [1])]))
    }

    func testAllNaNSeriesIsAnErrorNotABlankFigure() throws {
        let chart = try LineChart(series: [.init(name: "s", x: [1, 2], y: [.nan, .nan])])
        XCTAssertThrowsError(try chart.recording(size: .report))
    }

    func testSinglePointWorksAndIsMarked() throws {
        let chart = try LineChart(series: [.init(name: "one", x: [3], y: [7])])
        let (layout, canvas) = try chart.recording(size: .report)
        let panel = try XCTUnwrap(layout.panels.first)
        XCTAssertTrue(panel.xDomain.contains(3) && panel.xDomain.lowerBound < 3)
        XCTAssertTrue(panel.yDomain.contains(7) && panel.yDomain.lowerBound < 7)
        XCTAssertTrue(canvas.operations.contains { if case .circle = $0 { true } else { false } })
    }

    func testConstantDataGetsLabelledTicksAroundTheValue() throws {
        let chart = try LineChart(series: [.init(name: "flat", x: [0, 1, 2], y: [5, 5, 5])])
        let panel = try XCTUnwrap(try chart.recording(size: .report).layout.panels.first)
        XCTAssertEqual(panel.yDomain, 4.5...5.5)
        XCTAssertGreaterThanOrEqual(panel.yTicks.filter(\.isMajor).count, 3)
        XCTAssertTrue(panel.yTicks.contains { $0.label == "5.0" })
    }

    func testLegendAvoidsTheData() throws {
        // Two series along the top of the plot, one point at the bottom left: the upper
        // spots are taken, so the legend goes low, clear of every point.
        let x = (0...20).map(Double.init)
        let chart = try LineChart(series: [
            .init(name: "high", x: x, y: x.map { _ in 10 }),
            .init(name: "higher", x: x, y: x.map { _ in 9.5 }),
            .init(name: "anchor", x: [0], y: [0]),
        ])
        let (layout, _) = try chart.recording(size: .report)
        let legend = try XCTUnwrap(layout.legend)
        XCTAssertTrue([.lowerRight, .centerRight, .lowerCenter, .center].contains(legend.placement), "\(legend.placement)")
        let panel = try XCTUnwrap(layout.panels.first)
        for vx in x {
            XCTAssertFalse(legend.frame.contains(panel.position(x: vx, y: 10)))
            XCTAssertFalse(legend.frame.contains(panel.position(x: vx, y: 9.5)))
        }
    }

    func testLegendDoesNotCoverABandOrAReferenceLine() throws {
        let chart = try SampleCharts.entropyCurve()
        let (layout, _) = try chart.recording(size: .report)
        let legend = try XCTUnwrap(layout.legend), panel = try XCTUnwrap(layout.panels.first)
        for (i, d) in chart.series[0].x.enumerated() {
            for v in [chart.series[0].lower?[i], chart.series[0].upper?[i], chart.series[0].y[i]].compactMap({ $0 }) {
                XCTAssertFalse(legend.frame.contains(panel.position(x: d, y: v)), "d = \(d)")
            }
        }
        let x3 = panel.position(x: 3, y: 0).x
        XCTAssertFalse(legend.frame.minX < x3 && legend.frame.maxX > x3, "legend crosses the line at k = 3")
    }

    func testIntegerXDataGetsWholeNumberTicks() throws {
        let panel = try XCTUnwrap(try SampleCharts.entropyCurve().recording(size: .slide).layout.panels.first)
        XCTAssertTrue(panel.xTicks.allSatisfy { $0.value == $0.value.rounded() })
    }

    func testLegendGoesOutsideWhenDataFillsThePlot() throws {
        let (layout, _) = try SampleCharts.bigLines(series: 10, points: 2000).recording(size: .report)
        let legend = try XCTUnwrap(layout.legend)
        XCTAssertEqual(legend.placement, .outsideRight)
        let plot = try XCTUnwrap(layout.panels.first).plotArea
        XCTAssertGreaterThan(legend.frame.minX, plot.maxX)
        XCTAssertLessThanOrEqual(legend.frame.maxX, 900)
    }

    func testNoTwoLabelsOverlapInAnyChartAtAnySize() throws {
        for (name, chart) in try SampleCharts.all {
            for size in FigureSize.allCases {
                let frames = try chart.recording(size: size).canvas.textFrames
                for (i, a) in frames.enumerated() {
                    XCTAssertTrue(a.frame.minX >= 0 && a.frame.maxX <= Double(size.layout.width) + 0.5, "\(name) \(size): “\(a.text)” leaves the figure")
                    for b in frames[(i + 1)...] where a.frame.intersects(b.frame) {
                        XCTFail("\(name) \(size): “\(a.text)” overlaps “\(b.text)”")
                    }
                }
            }
        }
    }

    func testReferenceLinesAreDrawnWithTheirLabels() throws {
        let canvas = try SampleCharts.entropyCurve().recording(size: .report).canvas
        XCTAssertTrue(canvas.texts.contains("true k = 3"))
        // Vertical dashed lines: the two reference lines (legend swatches are horizontal).
        let dashed = canvas.operations.filter { if case .line(let a, let b, let s) = $0 { s.dash != nil && a.x == b.x } else { false } }
        XCTAssertEqual(dashed.count, 2)
    }

    func testLogLogFitRecoversThePowerLawSlope() throws {
        let x = (1...30).map { pow(10, Double($0) / 10) }
        let chart = try LogLogChart(series: [.init(name: "C(r)", x: x, y: x.map { 3 * pow($0, 2.5) })], fitRange: 2...50)
        let fit = try XCTUnwrap(chart.fits.first)
        XCTAssertEqual(fit.slope, 2.5, accuracy: 1e-12) // exact power law: exact up to rounding
        XCTAssertEqual(fit.pointCount, 13) // x = 10^(k/10) in [2, 50]: k = 4…16
        let (layout, canvas) = try chart.recording(size: .report)
        XCTAssertTrue(canvas.texts.contains("fit: slope 2.50"))
        XCTAssertTrue(layout.panels[0].yTicks.contains { $0.label == "10⁵" })
        XCTAssertFalse(layout.panels[0].yTicks.filter { !$0.isMajor }.isEmpty, "minor ticks between decades")
    }

    func testCSVHasTheHeaderFirstAndEveryPoint() throws {
        let csv = try SampleCharts.entropyCurve().csv()
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.first, "series,x,y,lower,upper")
        XCTAssertEqual(lines.count, 1 + 16)
        XCTAssertTrue(lines[1].hasPrefix("\"H(d), mean ± sd over 5 seeds\",1.0,1.431,"))
        XCTAssertEqual(try SampleCharts.distanceHistogram().csv().split(separator: "\n").first, "group,bin_start,bin_end,value")
        XCTAssertEqual(try SampleCharts.codeScatter(count: 10).csv().split(separator: "\n").count, 11)
    }

    func testHistogramRejectsBinsThatDoNotMatchEdges() {
        XCTAssertThrowsError(try HistogramChart(edges: [0, 1, 2], groups: [.init(name: "g", values: [1])]))
        XCTAssertThrowsError(try HistogramChart(edges: [0, 2, 1], groups: [.init(name: "g", values: [1, 2])]))
    }

    func testDecimationKeepsExtremesAndBoundsThePointCount() {
        let points = (0..<100_000).map { Point(Double($0) / 200, sin(Double($0)) * 100) }
        let reduced = decimated(points)
        XCTAssertLessThanOrEqual(reduced.count, 4 * 500)
        XCTAssertEqual(reduced.map(\.y).min(), points.map(\.y).min())
        XCTAssertEqual(reduced.map(\.y).max(), points.map(\.y).max())
    }

    func testDashesSplitALineIntoOnPieces() {
        let pieces = Dashing.split([Point(0, 0), Point(10, 0)], pattern: [2, 3])
        XCTAssertEqual(pieces.map { $0.first?.x ?? -1 }, [0, 5], "on 0–2, off 2–5, on 5–7, off 7–10")
        XCTAssertEqual(pieces.map { $0.last?.x ?? -1 }, [2, 7])
    }
}
