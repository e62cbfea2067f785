import XCTest
@testable import Plot

/// Issue 17, charts: log axes say they are logarithmic, a fit stays visible on top of its
/// data, coinciding series and overlapping bands stay distinguishable.
final class ReadabilityTests: XCTestCase {
    private func polylines(_ canvas: RecordingCanvas) -> [(index: Int, points: [Point], stroke: Stroke)] {
        canvas.operations.enumerated().compactMap { i, op in
            if case .polyline(let p, let s) = op { (i, p, s) } else { nil }
        }
    }

    func testLogAxisTitlesSayLogScale() throws {
        let chart = try LineChart(xLabel: "epoch", yLabel: "loss (MSE)",
                                  series: [.init(name: "train", x: [1, 2, 3, 4], y: [0.06, 0.03, 0.02, 0.015])], yScale: .log)
        let texts = try chart.recording(size: .report).canvas.texts
        XCTAssertTrue(texts.contains("loss (MSE) (log scale)"), "\(texts)")
        XCTAssertTrue(texts.contains("epoch"), "a linear axis keeps its title as it is")
        let loglog = try LogLogChart(xLabel: "r", yLabel: "C(r)", series: [.init(name: "C", x: [1, 10, 100], y: [1e-4, 1e-2, 1])])
        let loglogTexts = try loglog.recording(size: .report).canvas.texts
        XCTAssertTrue(loglogTexts.contains("r (log scale)") && loglogTexts.contains("C(r) (log scale)"), "\(loglogTexts)")
    }

    func testLossCurveLabelsEveryHundredthOnItsLogAxis() throws {
        let epochs = (1...30).map(Double.init)
        let chart = try LineChart(series: [.init(name: "loss", x: epochs, y: epochs.map { 0.015 + 0.045 / $0 })], yScale: .log)
        let panel = try XCTUnwrap(try chart.recording(size: .report).layout.panels.first)
        let labels = panel.yTicks.compactMap(\.label)
        XCTAssertGreaterThanOrEqual(labels.count, 4, "\(labels)")
        XCTAssertTrue(labels.contains("0.03") && labels.contains("0.04"), "\(labels)")
    }

    func testFitLineIsDrawnOverTheDataThickerAndWithAHalo() throws {
        let x = (1...40).map { pow(10, Double($0) / 20) }
        let chart = try LogLogChart(series: [.init(name: "C(r)", x: x, y: x.map { 0.01 * pow($0, 2) })], fitRange: 2...20)
        let (layout, canvas) = try chart.recording(size: .report)
        let lines = polylines(canvas)
        let data = try XCTUnwrap(lines.last { $0.stroke.color == Palette.color(0) })
        let fit = try XCTUnwrap(lines.first { $0.stroke.color == .black && $0.stroke.dash != nil })
        XCTAssertGreaterThan(fit.index, data.index, "the fit comes after the data")
        // Inside the plot area (before the clip is lifted; the legend's swatches come later).
        let unclipped = try XCTUnwrap(canvas.operations.firstIndex(of: .clip(nil)))
        let markers = canvas.operations[..<unclipped].enumerated().filter { if case .circle = $1 { true } else { false } }.map(\.offset)
        XCTAssertFalse(markers.isEmpty)
        XCTAssertGreaterThan(fit.index, markers.max() ?? 0, "and after the data's markers")
        XCTAssertLessThan(fit.index, unclipped)
        XCTAssertGreaterThan(fit.stroke.width, data.stroke.width)
        let halo = try XCTUnwrap(lines.last { $0.index < fit.index && $0.stroke.color == Color.white.withOpacity(0.65) })
        XCTAssertEqual(halo.points, fit.points)
        XCTAssertGreaterThan(halo.stroke.width, fit.stroke.width)

        // Decoded pixels: on the fitted line, between its dashes' gaps, dark ink shows over the blue data.
        let image = try DecodedImage(png: try chart.png(size: .report))
        let panel = try XCTUnwrap(layout.panels.first)
        var dark = 0
        for r in stride(from: 2.5, through: 18, by: 1.5) {
            // The layout is in CSS px, the PNG at the report's density (2×).
            let p = panel.position(x: r, y: 0.01 * r * r, xScale: .log, yScale: .log), d = Double(FigureSize.report.density)
            if image.contains(.black, near: Int(p.x * d), Int(p.y * d), radius: 2 * Int(d), tolerance: 60) { dark += 1 }
        }
        XCTAssertGreaterThanOrEqual(dark, 8, "the fit is visible along the scaling region")
    }

    func testALaterSeriesIsDashedSoCoincidingLinesBothShow() throws {
        let x = (0...20).map(Double.init), y = x.map { 1 + 0.1 * $0 }
        let chart = try LineChart(series: [.init(name: "leave-one-out", x: x, y: y), .init(name: "Monte Carlo", x: x, y: y)])
        let (layout, canvas) = try chart.recording(size: .report)
        let lines = polylines(canvas)
        XCTAssertNil(try XCTUnwrap(lines.first { $0.stroke.color == Palette.color(0) }).stroke.dash)
        XCTAssertNotNil(try XCTUnwrap(lines.first { $0.stroke.color == Palette.color(1) }).stroke.dash)
        // Decoded pixels along the shared line: both colours are seen.
        let image = try DecodedImage(png: try chart.png(size: .report))
        let panel = try XCTUnwrap(layout.panels.first)
        var first = 0, second = 0
        for vx in stride(from: 0.5, through: 19.5, by: 0.25) {
            let p = panel.position(x: vx, y: 1 + 0.1 * vx), d = Double(FigureSize.report.density)
            let (x, y) = (Int(p.x * d), Int(p.y * d))
            if image.contains(Palette.color(0), near: x, y, radius: Int(d), tolerance: 40) { first += 1 }
            if image.contains(Palette.color(1), near: x, y, radius: Int(d), tolerance: 40) { second += 1 }
        }
        XCTAssertGreaterThan(first, 10)
        XCTAssertGreaterThan(second, 10)
    }

    func testBandsAreOutlinedInTheirSeriesColour() throws {
        let x = (1...8).map(Double.init)
        let chart = try LineChart(series: [
            .init(name: "a", x: x, y: x, lower: x.map { $0 - 1 }, upper: x.map { $0 + 1 }),
            .init(name: "b", x: x, y: x.map { $0 + 0.5 }, lower: x.map { $0 - 0.5 }, upper: x.map { $0 + 1.5 }),
        ])
        let canvas = try chart.recording(size: .report).canvas
        for i in 0..<2 {
            let edges = polylines(canvas).filter { $0.stroke.color == Palette.color(i).withOpacity(LineLayer.bandEdgeOpacity) }
            XCTAssertEqual(edges.count, 2, "series \(i): upper and lower edge")
            let fills = canvas.operations.filter { if case .polygon(_, let fill, _) = $0 { fill == Palette.color(i).withOpacity(LineLayer.bandOpacity) } else { false } }
            XCTAssertEqual(fills.count, 1)
        }
        XCTAssertLessThanOrEqual(LineLayer.bandOpacity, 0.15, "two overlapping fills stay light")
    }
}
