import XCTest
@testable import Plot

/// Issue 17, charts: the leave-one-out and Monte-Carlo H(d) curves coincide and their bands
/// overlap. Each series keeps its own marker, every band lies under every line, and a band's
/// legend swatch is the colour the band shows on the page; where two bands overlap the
/// blend stays a pale tint, not a third colour the legend does not explain.
final class OverlapTests: XCTestCase {
    /// Two nearly coinciding curves with overlapping bands, as {entropy-curve} draws H(d).
    func coincidingCurves() throws -> LineChart {
        let d = (1...8).map(Double.init), h = d.map { 2 + 0.4 * $0 - 0.05 * $0 * $0 }
        return try LineChart(xLabel: "d", yLabel: "H", series: [
            .init(name: "KDE leave-one-out", x: d, y: h, lower: h.map { $0 - 0.3 }, upper: h.map { $0 + 0.3 }),
            .init(name: "KDE Monte-Carlo", x: d, y: h.map { $0 + 0.05 }, lower: h.map { $0 - 0.1 }, upper: h.map { $0 + 0.4 }),
        ])
    }

    /// Fill colours of the markers drawn for series `index` (circles, or the polygons and
    /// squares of the other shapes), inside the plot area.
    func markerKinds(_ canvas: RecordingCanvas, colour: Color) -> Set<String> {
        let plotOps = canvas.operations.prefix { $0 != .clip(nil) }
        return Set(plotOps.compactMap { op -> String? in
            switch op {
            case .circle(_, _, let fill?, _) where fill == colour: "circle"
            case .rect(_, let fill?, _) where fill == colour: "square"
            case .polygon(let p, let fill?, _) where fill == colour && p.count == 3: "triangle"
            case .polygon(let p, let fill?, _) where fill == colour && p.count == 4: "diamond"
            default: nil
            }
        })
    }

    func testCoincidingSeriesHaveDifferentMarkersAndDashes() throws {
        let canvas = try coincidingCurves().recording(size: .report).canvas
        let first = markerKinds(canvas, colour: Palette.color(0)), second = markerKinds(canvas, colour: Palette.color(1))
        XCTAssertEqual(first, ["circle"])
        XCTAssertEqual(second, ["square"])
        // The legend shows the same pairs (marker and dash) as the plot.
        let swatches = canvas.operations.compactMap { op -> Stroke? in
            if case .line(let a, let b, let s) = op, a.y == b.y, s.color == Palette.color(1) { s } else { nil }
        }
        XCTAssertNotNil(swatches.last?.dash, "the Monte-Carlo legend swatch is dashed like its line")
    }

    func testEveryBandIsDrawnBeforeEveryLine() throws {
        let canvas = try coincidingCurves().recording(size: .report).canvas
        let ops = Array(canvas.operations.enumerated())
        let bands = ops.filter { if case .polygon(_, let fill?, _) = $1 { fill.opacity < 1 } else { false } }.map(\.offset)
        let lines = ops.filter { if case .polyline(_, let s) = $1 { s.color.opacity == 1 && s.color != .white } else { false } }.map(\.offset)
        XCTAssertEqual(bands.count, 2)
        XCTAssertEqual(lines.count, 2)
        XCTAssertLessThan(try XCTUnwrap(bands.max()), try XCTUnwrap(lines.min()), "a band never covers a line")
    }

    func testBandSwatchIsTheColourTheBandShows() throws {
        let chart = try coincidingCurves()
        let (layout, canvas) = try chart.recording(size: .report)
        let legend = try XCTUnwrap(layout.legend?.frame)
        // Recorded: the swatch is filled with exactly the band's fill.
        for i in 0..<2 {
            let fill = Palette.color(i).withOpacity(LineLayer.bandOpacity)
            XCTAssertTrue(canvas.operations.contains { if case .polygon(_, .some(fill), _) = $0 { true } else { false } })
            let swatch = canvas.operations.compactMap { op -> Rect? in
                if case .rect(let r, .some(fill), nil) = op, legend.contains(Point(r.midX, r.midY)) { r } else { nil }
            }
            XCTAssertEqual(swatch.count, 1, "series \(i): one band swatch in the legend")
        }
        // Decoded: a spot covered by the first band only has the colour of its swatch (away
        // from the swatch's centre line), and the overlap of both bands stays pale.
        let image = try DecodedImage(png: try chart.png(size: .report))
        let panel = try XCTUnwrap(layout.panels.first)
        let rects = canvas.operations.compactMap { op -> Rect? in
            if case .rect(let r, .some(Palette.color(0).withOpacity(LineLayer.bandOpacity)), nil) = op { r } else { nil }
        }
        let swatch = try XCTUnwrap(rects.first)
        let onSwatch = commonest(image, x: swatch.midX, y: swatch.minY + swatch.height * 0.2)
        // x = 4.5: the first band spans H − 0.3 … H + 0.3, the second H − 0.1 … H + 0.4.
        let h = 2 + 0.4 * 4.5 - 0.05 * 4.5 * 4.5
        let onlyFirst = panel.position(x: 4.5, y: h - 0.2), both = panel.position(x: 4.5, y: h + 0.18)
        let firstOnly = commonest(image, x: onlyFirst.x, y: onlyFirst.y)
        for (a, b) in [(onSwatch.red, firstOnly.red), (onSwatch.green, firstOnly.green), (onSwatch.blue, firstOnly.blue)] {
            XCTAssertLessThanOrEqual(abs(Int(a) - Int(b)), 3, "swatch \(onSwatch.hexString) vs band \(firstOnly.hexString)")
        }
        XCTAssertNotEqual(firstOnly, .white, "the band is visible")
        let overlap = commonest(image, x: both.x, y: both.y)
        XCTAssertGreaterThanOrEqual(min(overlap.red, overlap.green, overlap.blue), 200, "overlap \(overlap.hexString) is a pale tint")
    }

    /// Overlaid histograms (within-label against between-label distances): both groups'
    /// step outlines lie above both fills, and where the bars overlap the blend stays pale.
    func testOverlaidHistogramsKeepTheirOutlinesOnTopAndAPaleOverlap() throws {
        let edges = (0...10).map(Double.init)
        let chart = try HistogramChart(edges: edges, groups: [
            .init(name: "within a label", values: [0, 1, 3, 6, 8, 8, 6, 3, 1, 0]),
            .init(name: "between labels", values: [0, 0, 1, 3, 6, 8, 8, 6, 3, 1]),
        ])
        let (layout, canvas) = try chart.recording(size: .report)
        let ops = Array(canvas.operations.enumerated())
        let fills = ops.filter { if case .rect(_, let fill?, nil) = $1 { fill.opacity == BarsLayer.overlaidOpacity } else { false } }.map(\.offset)
        let outlines = ops.filter { if case .polyline(_, let s) = $1 { s.color == Palette.color(0) || s.color == Palette.color(1) } else { false } }.map(\.offset)
        XCTAssertEqual(outlines.count, 2)
        XCTAssertGreaterThanOrEqual(fills.count, 16)
        XCTAssertLessThan(try XCTUnwrap(fills.max()), try XCTUnwrap(outlines.min()),
                          "no group's fill covers the other's outline")
        let image = try DecodedImage(png: try chart.png(size: .report))
        let panel = try XCTUnwrap(layout.panels.first)
        let both = panel.position(x: 5.5, y: 4) // bin 5–6: 8 and 8
        let overlap = commonest(image, x: both.x, y: both.y)
        XCTAssertGreaterThanOrEqual(min(overlap.red, overlap.green, overlap.blue), 170, "overlap \(overlap.hexString) is a pale tint")
    }

    /// Several series with fits (training and validation loss, log-log): each fit is a dark
    /// shade of its series' colour, drawn after every data line — a fit dashed in the colour
    /// of a dashed series disappeared into it.
    func testFitsOfSeveralSeriesAreDarkShadesDrawnAboveAllData() throws {
        let epochs = (1...20).map(Double.init)
        let chart = try LogLogChart(xLabel: "epoch", yLabel: "loss", series: [
            .init(name: "training", x: epochs, y: epochs.map { 0.1 * pow($0, -0.3) }),
            .init(name: "validation", x: epochs, y: epochs.map { 0.11 * pow($0, -0.1) }),
        ], fitRange: 3...20)
        let canvas = try chart.recording(size: .report).canvas
        let lines = canvas.operations.enumerated().compactMap { i, op -> (Int, Stroke)? in
            if case .polyline(_, let s) = op { (i, s) } else { nil }
        }
        func luminance(_ c: Color) -> Double { 0.2126 * Double(c.red) + 0.7152 * Double(c.green) + 0.0722 * Double(c.blue) }
        let lastData = try XCTUnwrap(lines.filter { $0.1.color == Palette.color(0) || $0.1.color == Palette.color(1) }.map(\.0).max())
        for i in 0..<2 {
            let shade = LogLogChart.fitColor(Palette.color(i))
            let fit = try XCTUnwrap(lines.first { $0.1.color == shade }, "series \(i): a fit in its dark shade")
            XCTAssertGreaterThan(fit.0, lastData, "series \(i): the fit comes after every data line")
            XCTAssertLessThan(luminance(shade), 0.5 * luminance(Palette.color(i)))
            XCTAssertNotEqual(shade, Palette.color(0))
            XCTAssertNotEqual(shade, Palette.color(1))
        }
        XCTAssertTrue(canvas.texts.contains("validation fit: slope −0.10"), "\(canvas.texts)")
    }

    /// A line's label never sits on another reference line (the talk's h*(d) figure put
    /// "candidate d = 10, not resolvable" across the dashed h* = 0.242 line).
    func testReferenceLabelsAvoidTheOtherReferenceLines() throws {
        let d = (1...12).map(Double.init)
        let h = [0.277, 0.335, 0.371, 0.401, 0.436, 0.451, 0.496, 0.482, 0.525, 0.518, 0.545, 0.543]
        let chart = try LineChart(xLabel: "code dimension d", yLabel: "h*", series: [.init(name: "h*", x: d, y: h)],
                                  referenceLines: [.vertical(8, label: "true k = 8"), .vertical(10, label: "candidate d = 10, not resolvable"),
                                                   .horizontal(0.242, label: "h* = 0.242")])
        for size in FigureSize.allCases {
            let (layout, canvas) = try chart.recording(size: size)
            let panel = try XCTUnwrap(layout.panels.first)
            let lineY = panel.position(x: 1, y: 0.242).y
            let lineXs = [8.0, 10].map { panel.position(x: $0, y: 0.3).x }
            for label in ["true k = 8", "candidate d = 10, not resolvable", "h* = 0.242"] {
                let frame = try XCTUnwrap(canvas.textFrames.first { $0.text == label }?.frame, label)
                XCTAssertFalse(frame.minY <= lineY && frame.maxY >= lineY, "\(size): “\(label)” lies across h* = 0.242")
                // A long label between two close vertical lines may cut one for a line height
                // (no spot avoids both); the horizontal line's label has free spots.
                guard label == "h* = 0.242" else { continue }
                for x in lineXs { XCTAssertFalse(frame.minX <= x && frame.maxX >= x, "\(size): “\(label)” lies across the line at x = \(x)") }
            }
        }
    }

    /// The commonest colour in a 7-pixel vertical strip at (x, y): a grid line crossing the
    /// spot covers one or two of them.
    func commonest(_ image: DecodedImage, x: Double, y: Double) -> Color {
        let colours = (-3...3).map { image.color(x: Int(x), y: Int(y) + $0) }
        return colours.max { a, b in colours.filter { $0 == a }.count < colours.filter { $0 == b }.count } ?? .white
    }
}
