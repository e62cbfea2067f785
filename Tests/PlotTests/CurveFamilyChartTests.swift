import Foundation
import XCTest
@testable import Plot

/// The C(r) family figure of conclusion 4 and the reference lines of conclusion 5's figure,
/// on the recording canvas.
final class CurveFamilyChartTests: XCTestCase {
    let dims = [1, 2, 3, 4, 6, 8, 12, 16]

    func family() throws -> CurveFamilyChart {
        let r = (0..<30).map { pow(10, -2 + 2.3 * Double($0) / 29) }
        func c(_ k: Double) -> [Double] { r.map { min(1, 0.5 * pow($0, k)) } }
        return try CurveFamilyChart(title: "C(r) of the codes", xLabel: "r / r½", yLabel: "C(r)",
                                    members: dims.map { LineChart.Series(name: "\($0)", x: r, y: c(Double($0) / 2)) },
                                    parameter: "code dimension d", reference: LineChart.Series(name: "images", x: r, y: c(7)))
    }

    func polylines(_ canvas: RecordingCanvas) -> [Stroke] {
        canvas.operations.compactMap { if case .polyline(_, let s) = $0 { s } else { nil } }
    }

    func testOneLinePerDimensionOnADarkToLightRampEachWithItsDashAndTheImagesInBlackOnTop() throws {
        let chart = try family()
        let (layout, canvas) = try chart.recording(size: .report)
        let strokes = polylines(canvas)
        for i in dims.indices {
            let drawn = strokes.filter { $0.color == chart.color(i) }
            XCTAssertEqual(drawn.count, 1, "d = \(dims[i]): one line")
            // Not colour alone (WCAG 1.4.1): the dash cycles with the member.
            XCTAssertEqual(drawn.first?.dash, Palette.dash(i).map { $0.map { $0 * Theme(.report, density: 1).lineWidth } }, "d = \(dims[i]): its dash")
        }
        XCTAssertEqual(Set(dims.indices.map { "\(chart.color($0))" }).count, dims.count, "a colour per d")
        func luminance(_ c: Color) -> Double { 0.2126 * Double(c.red) + 0.7152 * Double(c.green) + 0.0722 * Double(c.blue) }
        let ramp = dims.indices.map { luminance(chart.color($0)) }
        XCTAssertEqual(ramp, ramp.sorted(), "small d dark, large d light")
        // The images' curve: black, thicker than the members, drawn after all of them.
        let black = try XCTUnwrap(strokes.lastIndex { $0.color == .black })
        XCTAssertGreaterThan(black, try XCTUnwrap(strokes.lastIndex { $0.color == chart.color(dims.count - 1) }))
        XCTAssertGreaterThan(strokes[black].width, try XCTUnwrap(strokes.first { $0.color == chart.color(0) }).width)
        // Log-log axes that say so, and a legend titled with the parameter.
        let panel = try XCTUnwrap(layout.panels.first)
        XCTAssertLessThan(panel.xDomain.lowerBound, 0.05, "a log domain reaches down to the small radii")
        XCTAssertTrue(canvas.texts.contains("r / r½ (log scale)"), "\(canvas.texts)")
        XCTAssertTrue(canvas.texts.contains("C(r) (log scale)"))
        let legend = try XCTUnwrap(layout.legend?.frame)
        let title = try XCTUnwrap(canvas.textFrames.first { $0.text == "code dimension d" }?.frame)
        XCTAssertTrue(legend.contains(Point(title.midX, title.midY)))
        for name in dims.map(String.init) + ["images"] { XCTAssertTrue(canvas.texts.contains(name), "legend entry \(name)") }
        XCTAssertEqual(layout.skippedNonPositive, 0)
    }

    func testCSVHasEveryMemberAndTheReference() throws {
        let csv = try family().csv()
        let names = Set(csv.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) })
        XCTAssertEqual(names, Set(dims.map(String.init) + ["images"]))
    }

    func testAFamilyNeedsAMember() {
        XCTAssertThrowsError(try CurveFamilyChart(members: [], parameter: "d"))
    }

    /// Conclusion 5 compares the codes' tail with the images' value and a second scaling
    /// region: both are drawn as labelled horizontal lines at their values.
    func testCorrdimFigureDrawsEveryReferenceValueAsALabelledHorizontalLine() throws {
        let d = [1.0, 2, 4, 8, 16, 32]
        let chart = try LineChart(title: "Correlation dimension of the codes", xLabel: "code dimension d", yLabel: "correlation dimension",
                                  series: [.init(name: "corrdim(codes)", x: d, y: [1, 1.9, 3.4, 4.1, 4.6, 4.7])],
                                  referenceLines: [.horizontal(6.99, label: "images: 6.99", color: .black),
                                                   .horizontal(4.78, label: "images, second scaling region: 4.78", color: Palette.color(1))])
        let (layout, canvas) = try chart.recording(size: .report)
        let panel = try XCTUnwrap(layout.panels.first)
        XCTAssertTrue(panel.yDomain.contains(6.99), "the axis reaches the images' value, above the data")
        for (value, label, color) in [(6.99, "images: 6.99", Color.black), (4.78, "images, second scaling region: 4.78", Palette.color(1))] {
            XCTAssertTrue(canvas.texts.contains(label), label)
            let y = panel.plotArea.maxY - (value - panel.yDomain.lowerBound) / (panel.yDomain.upperBound - panel.yDomain.lowerBound) * panel.plotArea.height
            let horizontal = canvas.operations.contains {
                guard case .line(let a, let b, let s) = $0 else { return false }
                return s.color == color && abs(a.y - y) < 1 && abs(b.y - y) < 1 && abs(b.x - a.x) > panel.plotArea.width / 2
            }
            XCTAssertTrue(horizontal, "a horizontal line across the panel at \(value)")
        }
    }
}
