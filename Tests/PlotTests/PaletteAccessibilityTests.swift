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

    func testScatterCategoriesEachHaveTheirOwnMarkerShape() throws {
        let n = 50
        let chart = try ScatterChart(x: (0..<n).map(Double.init), y: (0..<n).map { sin(Double($0)) },
                                     labels: (0..<n).map { "\($0 % 5)" })
        let (_, canvas) = try chart.recording(size: .report)
        var shapes = [Color: Set<String>]()
        for op in canvas.operations {
            switch op {
            case .circle(_, _, let fill?, _): shapes[fill.withOpacity(1), default: []].insert("circle")
            case .rect(_, let fill?, _) where fill != .white: shapes[fill.withOpacity(1), default: []].insert("square")
            case .polygon(let p, let fill?, _):
                let up = p.count == 3 && p[0].y < p[1].y
                shapes[fill.withOpacity(1), default: []].insert(p.count == 3 ? (up ? "triangle" : "triangleDown") : "diamond")
            default: break
            }
        }
        let perClass = (0..<5).map { shapes[Palette.category($0)] ?? [] }
        XCTAssertEqual(perClass.map(\.count), [1, 1, 1, 1, 1], "each class one shape (data and legend): \(perClass)")
        XCTAssertEqual(Set(perClass.compactMap(\.first)).count, 5, "five classes, five shapes: \(perClass)")
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
