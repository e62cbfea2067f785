import XCTest
@testable import Plot

/// Charts anyone can read: every series colour has 3 : 1 contrast against the white plot
/// area (WCAG 2.1, 1.4.11), the colours stay apart for readers with protanopia or
/// deuteranopia, and series differ by dash or marker as well as colour (WCAG 1.4.1).
final class PaletteAccessibilityTests: XCTestCase {
    /// WCAG 2.1 relative luminance of an sRGB colour.
    static func luminance(_ c: Color) -> Double {
        let (r, g, b) = linear(c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    static func linear(_ c: Color) -> (Double, Double, Double) {
        func channel(_ v: UInt8) -> Double {
            let s = Double(v) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return (channel(c.red), channel(c.green), channel(c.blue))
    }

    /// WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05).
    static func contrast(_ a: Color, _ b: Color) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of
    /// color vision deficiency", IEEE TVCG 15(6): the severity-1.0 matrices, applied to
    /// linear RGB.
    static let protanopia: [[Double]] = [[0.152286, 1.052583, -0.204868],
                                         [0.114503, 0.786281, 0.099216],
                                         [-0.003882, -0.048116, 1.051998]]
    static let deuteranopia: [[Double]] = [[0.367322, 0.860646, -0.227968],
                                           [0.280085, 0.672501, 0.047413],
                                           [-0.011820, 0.042940, 0.968881]]
    static let normal: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]

    /// CIELAB (D65) of a colour as seen through `vision`.
    static func lab(_ c: Color, vision: [[Double]]) -> (Double, Double, Double) {
        let (r0, g0, b0) = linear(c)
        let v = vision.map { row in min(1, max(0, row[0] * r0 + row[1] * g0 + row[2] * b0)) }
        let (r, g, b) = (v[0], v[1], v[2])
        let x = 0.4124 * r + 0.3576 * g + 0.1805 * b
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let z = 0.0193 * r + 0.1192 * g + 0.9505 * b
        func f(_ t: Double) -> Double { t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116 }
        let fx = f(x / 0.95047), fy = f(y), fz = f(z / 1.08883)
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// CIE76 colour difference ΔE*ab.
    static func deltaE(_ a: Color, _ b: Color, vision: [[Double]]) -> Double {
        let p = lab(a, vision: vision), q = lab(b, vision: vision)
        return ((p.0 - q.0) * (p.0 - q.0) + (p.1 - q.1) * (p.1 - q.1) + (p.2 - q.2) * (p.2 - q.2)).squareRoot()
    }

    func testEverySeriesColourHasThreeToOneContrastOnTheWhitePlotArea() {
        var colours = Palette.categorical
        for count in 2...12 { colours += (0..<count).map { Palette.ordered($0, of: count) } }
        for c in colours {
            XCTAssertGreaterThanOrEqual(Self.contrast(c, .white), 3, "\(c.hexString) on white")
        }
    }

    /// The threshold: ΔE*ab ≥ 10 between every two of the eight series colours, in normal
    /// vision and in both simulations (about four times a just-noticeable difference of 2.3;
    /// the best eight darkened Okabe–Ito hues reach 10.1). The first four, which most charts
    /// use, stay ≥ 30 apart (36.1). Series differ by dash or marker as well, below.
    func testSeriesColoursStayApartUnderProtanopiaAndDeuteranopia() {
        let colours = Palette.okabeIto
        for (name, vision) in [("normal", Self.normal), ("protanopia", Self.protanopia), ("deuteranopia", Self.deuteranopia)] {
            for i in colours.indices {
                for j in colours.indices where j > i {
                    let d = Self.deltaE(colours[i], colours[j], vision: vision)
                    XCTAssertGreaterThanOrEqual(d, i < 4 && j < 4 ? 30 : 10,
                                                "\(name): \(colours[i].hexString) vs \(colours[j].hexString) ΔE \(d)")
                }
            }
        }
    }

    /// The simulation is the published one: pure red under protanopia loses most of its
    /// luminance (Machado's matrix maps linear (1, 0, 0) to (0.152, 0.115, −0.004)).
    func testSimulationMatchesTheMachadoMatrices() {
        let red = Self.lab(Color(hex: 0xFF0000), vision: Self.protanopia)
        let normalRed = Self.lab(Color(hex: 0xFF0000), vision: Self.normal)
        XCTAssertEqual(normalRed.0, 53.2, accuracy: 0.3, "L* of sRGB red")
        XCTAssertLessThan(red.0, 41)
    }

    func testLineSeriesDifferByDashAsWellAsColour() throws {
        let x = (0..<50).map(Double.init)
        let series = (0..<4).map { k in LineChart.Series(name: "s\(k)", x: x, y: x.map { $0 * Double(k + 1) }, showsMarkers: false) }
        let (_, canvas) = try LineChart(series: series).recording(size: .report)
        let strokes = canvas.operations.compactMap { if case .polyline(_, let s) = $0 { s } else { nil } }
        let dashes = (0..<4).map { k in strokes.first { $0.color == Palette.color(k) }?.dash.map { $0.map { $0 / strokes[0].width } } }
        XCTAssertEqual(Set(dashes.map { "\(String(describing: $0))" }).count, 4, "four series, four dash patterns: \(dashes)")
    }

    /// A drawn marker's shape: its kind, corner count and the direction of its first corner.
    static func shapeSignature(_ op: RecordingCanvas.Operation) -> (Color, String)? {
        switch op {
        case .circle(_, _, let fill?, _): return (fill.withOpacity(1), "circle")
        case .rect(_, let fill?, _) where fill != .white && fill.withOpacity(1) != Color.white: return (fill.withOpacity(1), "square")
        case .polygon(let p, let fill?, _):
            let cx = p.map(\.x).reduce(0, +) / Double(p.count), cy = p.map(\.y).reduce(0, +) / Double(p.count)
            let angle = Int((atan2(p[0].y - cy, p[0].x - cx) * 180 / .pi).rounded())
            return (fill.withOpacity(1), "\(p.count)@\(angle == -180 ? 180 : angle)")
        default: return nil
        }
    }

    func testScatterCategoriesEachHaveTheirOwnMarkerShape() throws {
        // Ten classes (the digits): ten shapes, not five cycling — a sixth class repeating the
        // circle differed from the first by colour alone.
        let n = 100, classes = 10
        let chart = try ScatterChart(x: (0..<n).map(Double.init), y: (0..<n).map { sin(Double($0)) },
                                     labels: (0..<n).map { "\($0 % classes)" })
        let (_, canvas) = try chart.recording(size: .report)
        var shapes = [Color: Set<String>]()
        for op in canvas.operations {
            if let (colour, shape) = Self.shapeSignature(op) { shapes[colour, default: []].insert(shape) }
        }
        let perClass = (0..<classes).map { shapes[Palette.category($0)] ?? [] }
        XCTAssertEqual(perClass.map(\.count), Array(repeating: 1, count: classes), "each class one shape (data and legend): \(perClass)")
        XCTAssertEqual(Set(perClass.compactMap(\.first)).count, classes, "ten classes, ten shapes: \(perClass)")
        XCTAssertEqual(MarkerShape.allCases.count, classes)
    }

    func testTheIdentityLineRunsAlongYEqualsXInsideThePlot() throws {
        let truth = [0.1, 0.5, 1.0, 2.0, 3.0]
        let chart = try ScatterChart(x: truth + truth, y: truth.map { $0 * 0.9 } + truth.map { $0 * 1.2 },
                                     labels: Array(repeating: "a", count: 5) + Array(repeating: "b", count: 5),
                                     referenceLines: [.identity(label: "truth (y = x)")])
        let (layout, canvas) = try chart.recording(size: .report)
        let dashed = canvas.operations.compactMap { op -> (Point, Point)? in
            if case .line(let a, let b, let s) = op, s.dash != nil, s.color == Theme(.report, density: 1).referenceColor { (a, b) } else { nil }
        }
        XCTAssertEqual(dashed.count, 1, "one dashed diagonal")
        guard let (a, b) = dashed.first, let plot = layout.panels.first else { return XCTFail("no diagonal") }
        // From (lo, lo) to (hi, hi) over the values both axes show.
        let lo = max(plot.xDomain.lowerBound, plot.yDomain.lowerBound), hi = min(plot.xDomain.upperBound, plot.yDomain.upperBound)
        for (drawn, expected) in [(a, plot.position(x: lo, y: lo)), (b, plot.position(x: hi, y: hi))] {
            XCTAssertEqual(drawn.x, expected.x, accuracy: 1e-9)
            XCTAssertEqual(drawn.y, expected.y, accuracy: 1e-9)
            XCTAssertTrue(plot.plotArea.expanded(by: 1e-9).contains(drawn), "\(drawn) inside \(plot.plotArea)")
        }
        XCTAssertTrue(canvas.texts.contains("truth (y = x)"))
    }

    func testOverlaidHistogramGroupsDifferByOutlineDash() throws {
        let chart = try HistogramChart(edges: [0, 1, 2, 3], groups: [.init(name: "a", values: [1, 2, 3]), .init(name: "b", values: [3, 2, 1]),
                                                                    .init(name: "c", values: [2, 2, 2])])
        let (_, canvas) = try chart.recording(size: .report)
        let outlines = (0..<3).map { k in
            canvas.operations.compactMap { if case .polyline(_, let s) = $0, s.color == Palette.color(k) { s } else { nil } }.first
        }
        XCTAssertEqual(Set(outlines.map { "\(String(describing: $0?.dash))" }).count, 3, "three groups, three outlines: \(outlines)")
    }

    func testCurveFamilyMembersDifferByDash() throws {
        let x = (0..<20).map(Double.init)
        let members = (0..<3).map { k in LineChart.Series(name: "\(k)", x: x, y: x.map { $0 + Double(k) }) }
        let chart = try CurveFamilyChart(members: members, parameter: "d")
        let (_, canvas) = try chart.recording(size: .report)
        let dashes = (0..<3).map { k in
            canvas.operations.compactMap { if case .polyline(_, let s) = $0, s.color == chart.color(k) { s.dash } else { nil } }.first ?? nil
        }
        XCTAssertEqual(Set(dashes.map { "\(String(describing: $0))" }).count, 3, "\(dashes)")
    }
}

/// The information plane's epochs: a colour bar in the legend says which colour is which epoch.
final class TrajectoryColourBarTests: XCTestCase {
    func testTheLegendCarriesAColourBarFromTheFirstToTheLastStep() throws {
        let chart = try TrajectoryChart(trajectories: [
            .init(name: "layer 1", x: [1, 2, 3], y: [0.5, 0.6, 0.7], steps: [1, 50, 300]),
            .init(name: "layer 2", x: [0.5, 1, 1.5], y: [0.4, 0.5, 0.6], steps: [1, 50, 300]),
        ], stepName: "epoch")
        let (layout, canvas) = try chart.recording(size: .report)
        XCTAssertTrue(canvas.texts.contains("epoch 1 → 300"), "\(canvas.texts)")
        guard let legend = layout.legend?.frame else { return XCTFail("no legend") }
        // The bar's cells: filled with the scale's colours, light to dark, inside the legend.
        let scale = (0..<12).map { TrajectoryChart.sequentialColor(Double($0) / 11) }
        let cells = canvas.operations.compactMap { op -> (Rect, Color)? in
            if case .rect(let r, let fill?, nil) = op, scale.contains(fill), legend.contains(Point(r.midX, r.midY)) { (r, fill) } else { nil }
        }
        XCTAssertEqual(cells.map(\.1), scale)
        XCTAssertEqual(cells.map(\.0.minX), cells.map(\.0.minX).sorted(), "left to right")
    }
}
