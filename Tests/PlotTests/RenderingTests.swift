import Foundation
import XCTest
@testable import Plot

/// Real PNGs, checked by decoded pixels (never by bytes).
final class RenderingTests: XCTestCase {
    func testEveryChartKindRendersAtBothSizes() throws {
        let directory = ProcessInfo.processInfo.environment["PLOT_GALLERY_DIR"].map { URL(fileURLWithPath: $0) }
        if let directory { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        for (name, chart) in try SampleCharts.all {
            for size in FigureSize.allCases {
                let png = try chart.png(size: size)
                let image = try DecodedImage(png: png)
                XCTAssertEqual(image.width, size.pixels.width, name)
                if chart is ImageGrid {
                    // An image grid is only as tall as its rows need.
                    XCTAssertLessThanOrEqual(image.height, size.pixels.height, name)
                    XCTAssertGreaterThan(image.height, size.pixels.height / 5, name)
                } else {
                    // A grid of panels may grow taller (narrow figures put fewer panels in a row).
                    XCTAssertEqual(image.height, chart.layoutHeight(for: size) * size.density, name)
                    XCTAssertGreaterThanOrEqual(image.height, size.pixels.height, name)
                }
                XCTAssertEqual(image.color(x: 1, y: 1), .white, "\(name): background")
                try directory.map { try Data(png).write(to: $0.appendingPathComponent("\(name)-\(size.rawValue).png")) }
            }
            let csv = chart.csv()
            XCTAssertFalse(csv.isEmpty, name)
            XCTAssertFalse(csv.hasPrefix("\n"), "\(name): header line first")
        }
    }

    func testSeriesColourAppearsWhereTheLineRuns() throws {
        // A horizontal line at y = 1 across x = 0…10: its colour must sit at the pixel row of y = 1.
        let chart = try LineChart(series: [
            .init(name: "flat", x: [0, 10], y: [1, 1]),
            .init(name: "low", x: [0, 10], y: [0, 0]),
        ])
        let (layout, _) = try chart.recording(size: .report)
        let png = try chart.png(size: .report)
        let image = try DecodedImage(png: png)
        let panel = try XCTUnwrap(layout.panels.first)
        // The layout is in CSS px, the PNG at the report's density.
        let d = Double(FigureSize.report.density), r = FigureSize.report.density
        let p = panel.position(x: 5, y: 1), q = panel.position(x: 5, y: 0)
        XCTAssertTrue(image.contains(Palette.color(0), near: Int(p.x * d), Int(p.y * d), radius: r, tolerance: 30))
        XCTAssertTrue(image.contains(Palette.color(1), near: Int(q.x * d), Int(q.y * d), radius: r, tolerance: 30))
        // Midway between the lines there is no data colour: the background shows.
        let mid = panel.position(x: 5, y: 0.5)
        XCTAssertFalse(image.contains(Palette.color(0), near: Int(mid.x * d), Int(mid.y * d), radius: 2 * r, tolerance: 30))
    }

    func testSlideHasLargerTypeThanReport() throws {
        let chart = try SampleCharts.entropyCurve()
        let report = try chart.recording(size: .report).canvas, slide = try chart.recording(size: .slide).canvas
        func titleSize(_ c: RecordingCanvas) -> Double? {
            c.operations.compactMap { if case .text(let s, _, let f, _, _, _) = $0, s.hasPrefix("Entropy") { f.size } else { nil } }.first
        }
        let r = try XCTUnwrap(titleSize(report)), s = try XCTUnwrap(titleSize(slide))
        // The slide is 1.78× wider; type grows more than that, so it reads from the back of a room.
        XCTAssertGreaterThan(s / r, 1600.0 / 900.0)
    }

    func testMissingFontIsAClearError() {
        XCTAssertTrue(PlotError.fontNotFound(searched: ["/x/DejaVuSans.ttf"]).description.contains("fonts-dejavu-core"))
    }

    func testImageGridDrawsPixelsSharpAndInOrder() throws {
        let black = [Float](repeating: 0, count: 16), white = [Float](repeating: 1, count: 16)
        let grid = try ImageGrid(rows: [.init(images: [black, white])], imageWidth: 4, imageHeight: 4, valueRange: 0...1)
        let (_, canvas) = try grid.recording(size: .report)
        let frames = canvas.operations.compactMap { if case .image(_, _, let r) = $0 { r } else { nil } }
        XCTAssertEqual(frames.count, 2)
        // Drawn on its own (shorter) PNG: check the middle row of the PNG at each image's x (2×).
        let image = try DecodedImage(png: try grid.png(size: .report)), d = Double(FigureSize.report.density)
        XCTAssertEqual(image.color(x: Int(frames[0].midX * d), y: image.height / 2), .black)
        XCTAssertEqual(image.color(x: Int(frames[1].midX * d), y: image.height / 2), .white)
        // Whole-pixel magnification: each image pixel covers an integer number of figure pixels.
        XCTAssertEqual(frames[0].width.truncatingRemainder(dividingBy: 4), 0)
    }
}
