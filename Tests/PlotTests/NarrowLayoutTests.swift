import XCTest
@testable import Plot

/// Issue 17, phone: the narrow variant is laid out for a ~360 CSS px column, not the
/// report's figure shrunk — its type is larger relative to the figure, its axes carry fewer
/// ticks that do not collide, a long title wraps, and a legend that would take a large share
/// of the width goes below the plot.
final class NarrowLayoutTests: XCTestCase {
    /// Font size of the tick labels (the text drawn at the tick font) relative to the figure's width.
    private func relativeTickFont(_ chart: any DrawableChart, _ size: FigureSize) throws -> Double {
        let canvas = try chart.recording(size: size).canvas
        let tickFont = Theme(size, density: 1).tickFont
        let fonts = canvas.operations.compactMap { op -> Double? in
            if case .text(_, _, let font, _, _, _) = op, font == tickFont { font.size } else { nil }
        }
        let font = try XCTUnwrap(fonts.first, "no tick label drawn")
        return font / canvas.width
    }

    func testNarrowTickLabelsAreAtLeastAsLargeRelativeToTheFigureAsTheDesktops() throws {
        for (name, chart) in try SampleCharts.all where !(chart is ImageGrid) {
            let narrow = try relativeTickFont(chart, .narrow), report = try relativeTickFont(chart, .report)
            XCTAssertGreaterThanOrEqual(narrow, report, name)
            // Shown at its layout width on a phone, a tick label is as many CSS px as on a desktop.
            XCTAssertGreaterThanOrEqual(narrow * Double(FigureSize.narrow.layout.width), 12, name)
        }
    }

    func testNarrowAxesHaveFewerTicksAndNoTwoTickLabelsOverlap() throws {
        for (name, chart) in try SampleCharts.all where !(chart is ImageGrid) {
            let (narrow, canvas) = try chart.recording(size: .narrow)
            let report = try chart.recording(size: .report).layout
            for (n, r) in zip(narrow.panels, report.panels) {
                XCTAssertLessThanOrEqual(n.xTicks.filter { $0.label != nil }.count, r.xTicks.filter { $0.label != nil }.count, name)
                XCTAssertGreaterThanOrEqual(n.xTicks.filter { $0.label != nil }.count, 2, "\(name): an x axis needs two labels")
                XCTAssertGreaterThanOrEqual(n.yTicks.filter { $0.label != nil }.count, 2, "\(name): a y axis needs two labels")
            }
            let tickFont = Theme(.narrow, density: 1).tickFont
            let labels = canvas.operations.compactMap { op -> Rect? in
                guard case .text(let s, let p, let font, _, let anchor, let rotated) = op, font == tickFont else { return nil }
                return anchor.frame(of: canvas.measure(s, font: font), at: p, rotated: rotated)
            }
            for (i, a) in labels.enumerated() {
                XCTAssertTrue(a.minX >= 0 && a.maxX <= canvas.width + 0.5, "\(name): a tick label leaves the narrow figure")
                for b in labels[(i + 1)...] { XCTAssertFalse(a.intersects(b), "\(name): tick labels overlap at \(a) and \(b)") }
            }
        }
    }

    func testALegendThatWouldTakeANarrowFiguresWidthGoesBelowThePlot() throws {
        let x = (0...40).map(Double.init)
        // Lines filling the plot: no inside spot is free, so the legend goes outside.
        let chart = try LineChart(title: "H(d) of the codes — bump images (k = 2)", xLabel: "d", yLabel: "H", series: (0..<3).map { s in
            .init(name: ["KDE leave-one-out", "KDE Monte-Carlo", "k nearest neighbours"][s], x: x, y: x.map { sin($0 / 3 + Double(s)) })
        })
        let report = try XCTUnwrap(try chart.recording(size: .report).layout.legend)
        XCTAssertEqual(report.placement, .outsideRight, "a desktop figure has room on the right")
        let (layout, canvas) = try chart.recording(size: .narrow)
        let legend = try XCTUnwrap(layout.legend)
        XCTAssertEqual(legend.placement, .outsideBottom)
        let plot = try XCTUnwrap(layout.panels.first).plotArea
        XCTAssertGreaterThan(plot.width, 0.6 * canvas.width, "the plot keeps the figure's width")
        XCTAssertGreaterThan(legend.frame.minY, plot.maxY, "below the plot")
        XCTAssertLessThanOrEqual(legend.frame.maxY, canvas.height)
        XCTAssertTrue(legend.frame.minX >= 0 && legend.frame.maxX <= canvas.width)
        // Below the x axis title too.
        let xTitle = try XCTUnwrap(canvas.textFrames.first { $0.text == "d" })
        XCTAssertGreaterThanOrEqual(legend.frame.minY, xTitle.frame.maxY)
    }

    func testALongTitleWrapsInsideANarrowFigure() throws {
        let title = "H = H_white + ½·ln det Σ — bump images (k = 2)"
        let chart = try LineChart(title: title, xLabel: "d", yLabel: "nats", series: [.init(name: "H", x: [1, 2, 3], y: [1, 0, -1])])
        let (layout, canvas) = try chart.recording(size: .narrow)
        let lines = canvas.textFrames.filter { title.contains($0.text) && $0.text.count > 3 }
        XCTAssertGreaterThanOrEqual(lines.count, 2, "\(canvas.texts)")
        XCTAssertEqual(lines.map(\.text).joined(separator: " "), title)
        XCTAssertFalse(lines.contains { $0.text.hasPrefix("=") || $0.text.hasSuffix("=") || $0.text == "2)" }, "no break at “k = 2”")
        for line in lines { XCTAssertTrue(line.frame.minX >= 0 && line.frame.maxX <= canvas.width, line.text) }
        let plot = try XCTUnwrap(layout.panels.first).plotArea
        XCTAssertGreaterThan(plot.minY, lines.map(\.frame.maxY).max() ?? 0, "the plot starts below the title")
        // The report's figure keeps it on one line.
        XCTAssertTrue(try chart.recording(size: .report).canvas.texts.contains(title))
    }

    /// A reference line's label wider than a phone figure's plot ran out of the plot over the
    /// axis title; it now keeps its leading words and ends in "…" inside the plot.
    func testALongReferenceLabelIsShortenedToFitTheNarrowPlot() throws {
        let x = (1...32).map(Double.init)
        let long = "images, local slopes only turn at 4.78 (not a plateau: unused)"
        let chart = try LineChart(title: "Correlation dimension of the codes", xLabel: "d", yLabel: "correlation dimension",
                                  series: [.init(name: "codes", x: x, y: x.map { min($0, 4) })],
                                  referenceLines: [.horizontal(4.78, label: long), .horizontal(6.99, label: "images: 6.99")])
        for size in [FigureSize.narrow, .report] {
            let (layout, canvas) = try chart.recording(size: size)
            let plot = try XCTUnwrap(layout.panels.first).plotArea
            let font = Theme(size, density: 1).tickFont
            let labels = canvas.operations.compactMap { op -> (String, Rect)? in
                guard case .text(let s, let p, let f, _, let anchor, let rotated) = op, f == font, s.hasPrefix("images") else { return nil }
                return (s, anchor.frame(of: canvas.measure(s, font: f), at: p, rotated: rotated))
            }
            XCTAssertEqual(labels.count, 2, "\(size)")
            for (text, frame) in labels {
                XCTAssertTrue(frame.minX >= plot.minX && frame.maxX <= plot.maxX, "\(size): `\(text)` leaves the plot")
            }
            let shown = labels.map(\.0)
            if size == .narrow {
                XCTAssertTrue(shown.contains { $0.hasPrefix("images, local slopes") && $0.hasSuffix("…") }, "\(shown)")
            } else {
                XCTAssertTrue(shown.contains(long), "a desktop figure has room for the whole label: \(shown)")
            }
            XCTAssertTrue(shown.contains("images: 6.99"))
        }
    }
}
