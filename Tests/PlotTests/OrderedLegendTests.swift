import XCTest
@testable import Plot

/// Ordered bins get a sequential palette and a legend title; image grids get the room
/// their images need; the renderer's layout step decides everything its draw step uses.
final class OrderedLegendTests: XCTestCase {
    func binnedScatter(ordered: Bool) throws -> ScatterChart {
        let x = (0..<60).map { Double($0) }, y = (0..<60).map { sin(Double($0) / 6) }
        var chart = try ScatterChart(title: "3-D latent mixed into R¹⁰", xLabel: "PC 1", yLabel: "PC 2", x: x, y: y,
                                     labels: (0..<60).map { 1 + $0 / 10 })
        chart.orderedLabels = ordered
        chart.legendTitle = ordered ? "latent t₁, bin" : nil
        return chart
    }

    func fills(_ canvas: RecordingCanvas) -> [(UInt8, UInt8, UInt8)] {
        // Markers of every shape (each bin has its own, besides its colour).
        canvas.operations.compactMap {
            switch $0 {
            case .circle(_, _, let fill?, _), .polygon(_, let fill?, _): (fill.red, fill.green, fill.blue)
            // Square markers; not the legend's or the plot's grey and white boxes.
            case .rect(_, let fill?, _) where !(fill.red == fill.green && fill.green == fill.blue): (fill.red, fill.green, fill.blue)
            default: nil
            }
        }
    }

    func testOrderedBinsUseADarkToLightRampNotRepeatingCategories() throws {
        let (_, canvas) = try binnedScatter(ordered: true).recording(size: .report)
        let used = fills(canvas)
        let luminance = (0..<6).map { k -> Double in
            let c = Palette.ordered(k, of: 6)
            return 0.2126 * Double(c.red) + 0.7152 * Double(c.green) + 0.0722 * Double(c.blue)
        }
        XCTAssertEqual(luminance, luminance.sorted(), "bin 1 darkest, bin 6 lightest")
        XCTAssertGreaterThan(luminance[5] - luminance[0], 100)
        for k in 0..<6 {
            let c = Palette.ordered(k, of: 6)
            XCTAssertTrue(used.contains { $0 == (c.red, c.green, c.blue) }, "bin \(k + 1) drawn in its ramp colour")
        }
        XCTAssertEqual(Set(used.map { "\($0)" }).count, 6, "six bins, six colours")
        // The categorical palette gives bins 1 and 6 unrelated hues; the ramp never repeats one.
        let categorical = fills(try binnedScatter(ordered: false).recording(size: .report).canvas)
        XCTAssertFalse(categorical.contains { $0 == (Palette.ordered(5, of: 6).red, Palette.ordered(5, of: 6).green, Palette.ordered(5, of: 6).blue) })
    }

    func testLegendTitleSitsInsideTheLegendAboveItsEntries() throws {
        let (layout, canvas) = try binnedScatter(ordered: true).recording(size: .report)
        let legend = try XCTUnwrap(layout.legend?.frame)
        func center(_ r: Rect) -> Point { Point(r.midX, r.midY) }
        let title = try XCTUnwrap(canvas.textFrames.first { $0.text == "latent t₁, bin" }?.frame)
        XCTAssertTrue(legend.contains(center(title)), "title \(title) inside \(legend)")
        let entry = try XCTUnwrap(canvas.textFrames.first { $0.text == "1" && legend.contains(center($0.frame)) }?.frame)
        XCTAssertLessThanOrEqual(title.maxY, entry.minY)
        XCTAssertFalse(canvas.texts.contains { $0.contains("mixing") })
    }

    func testRenderIsTheDrawStepOfTheLayoutStep() throws {
        let chart = try binnedScatter(ordered: true)
        let (recorded, _) = try chart.recording(size: .report)
        let canvas = RecordingCanvas(size: .report)
        var spec = FigureSpec(title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel, panels: [PanelSpec(layers: [
            ScatterLayer(name: "p", x: chart.x, y: chart.y, color: Palette.color(0), marker: .circle, opacity: 1, radiusScale: 1),
        ])])
        spec.showLegend = false
        let renderer = FigureRenderer(spec: spec, canvas: canvas, theme: Theme(.report, density: 1))
        let layout = try renderer.layout()
        XCTAssertTrue(canvas.operations.isEmpty, "the layout step draws nothing")
        let drawn = renderer.draw(layout)
        XCTAssertEqual(drawn.panels.first?.plotArea, layout.panelRects.first)
        XCTAssertEqual(drawn.panels.first?.xTicks, layout.xAxis.ticks)
        XCTAssertEqual(recorded.panels.first?.xDomain, drawn.panels.first?.xDomain)
    }

    func testTallImageGridGrowsInsteadOfShrinkingToAQuarterOfItsFrame() throws {
        let digit = (0..<(28 * 28)).map { Float($0 % 28) / 27 }
        let rows = (0..<10).map { ImageGrid.Row(label: String($0), images: Array(repeating: digit, count: 10)) }
        let grid = try ImageGrid(title: "mnist", rows: rows, imageWidth: 28, imageHeight: 28)
        let png = try grid.png(size: .report)
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertGreaterThan(height, FigureSize.report.pixels.height, "ten rows of digits need more than 560 px")
        XCTAssertLessThanOrEqual(Double(height), Double(FigureSize.report.pixels.height) * ImageGrid.tallestAspect)
        // At that height each 28-px digit is drawn at 2× at least: the grid spans most of the width.
        let canvas = RecordingCanvas(width: 900, height: Double(FigureSize.report.pixels.height) * ImageGrid.tallestAspect)
        _ = try grid.draw(on: canvas, theme: Theme(.report, density: 1))
        let frames = canvas.operations.compactMap { if case .image(_, _, let r) = $0 { r } else { nil } }
        XCTAssertEqual(frames.first?.width ?? 0, 56, accuracy: 0.01)
        let span = (frames.map(\.maxX).max() ?? 0) - (frames.map(\.minX).min() ?? 0)
        XCTAssertGreaterThan(span, 0.6 * 900)
    }
}
