import Foundation
@testable import Plot

/// Deterministic pseudo-noise in [−1, 1] for test data (a hash of the index, not an RNG).
func noise(_ i: Int, _ salt: Double = 0) -> Double {
    let s = sin(Double(i) * 12.9898 + salt * 78.233) * 43758.5453
    return 2 * (s - s.rounded(.down)) - 1
}

/// One chart of every kind with realistic data, used by the rendering tests and written as
/// PNGs when PLOT_GALLERY_DIR is set (to look at them).
enum SampleCharts {
    /// The reference H(d) simulation of DESIGN.md (k = 3, n = 2000).
    static let entropy = [1.431, 2.839, 4.272, 3.849, 3.399, 2.686, 1.580, 1.172]

    static func entropyCurve() throws -> LineChart {
        let d = (1...8).map(Double.init)
        let spread = d.map { 0.08 + 0.03 * $0 }
        let white = entropy.enumerated().map { $1 - 0.4 - 0.05 * Double($0) }
        return try LineChart(
            title: "Entropy of the codes H(d)", xLabel: "code dimension d", yLabel: "H(d) (nats)",
            series: [
                .init(name: "H(d), mean ± sd over 5 seeds", x: d, y: entropy,
                      lower: zip(entropy, spread).map { $0 - $1 }, upper: zip(entropy, spread).map { $0 + $1 }),
                .init(name: "H_white(d)", x: d, y: white),
            ],
            referenceLines: [.vertical(3, label: "true k = 3"), .vertical(4, label: "kink d = 4")])
    }

    static func bandwidthCurve() throws -> LineChart {
        let d = (1...12).map(Double.init)
        let h = d.map { 0.9 * pow($0, -0.9) }
        return try LineChart(
            title: "LOO-ML bandwidth per code dimension", xLabel: "code dimension d", yLabel: "bandwidth h*",
            series: [
                .init(name: "swiss roll (k = 2)", x: d, y: h, lower: h.map { $0 * 0.85 }, upper: h.map { $0 * 1.15 }, uncertainty: .errorBars),
                .init(name: "MNIST", x: d, y: h.map { $0 * 1.6 }, lower: h.map { $0 * 1.45 }, upper: h.map { $0 * 1.8 }, uncertainty: .errorBars),
            ],
            yScale: .log, referenceLines: [.horizontal(0.242, label: "h = 0.242: ½·ln(2πe·h²) = 0")])
    }

    static func distanceHistogram(arrangement: HistogramChart.Arrangement = .overlaid) throws -> HistogramChart {
        let edges = stride(from: 0.0, through: 12, by: 0.25).map { $0 }
        func bump(_ center: Double, _ width: Double, _ mass: Double) -> [Double] {
            edges.dropLast().map { e in mass * exp(-pow((e + 0.125 - center) / width, 2) / 2) }
        }
        let groups: [HistogramChart.Group] = [
            .init(name: "within a label", values: bump(5, 1.2, 900)),
            .init(name: "between labels", values: bump(7.5, 1.5, 1400)),
        ] + (arrangement == .overlaid ? [] : [
            .init(name: "layer 2, within", values: bump(3.5, 0.9, 700)),
            .init(name: "layer 2, between", values: bump(6, 1.3, 1100)),
        ])
        return try HistogramChart(title: "Pairwise distances", xLabel: "Euclidean distance ‖xᵢ − xⱼ‖", yLabel: "pairs",
                                  edges: edges, groups: groups, arrangement: arrangement)
    }

    static func codeScatter(count: Int = 3000) throws -> ScatterChart {
        var x = [Double](), y = [Double](), labels = [Int]()
        for i in 0..<count {
            let label = i % 10
            let angle = Double(label) / 10 * 2 * Double.pi
            x.append(3 * cos(angle) + 0.9 * noise(i, 1) + 0.5 * noise(i, 3))
            y.append(3 * sin(angle) + 0.9 * noise(i, 2) + 0.5 * noise(i, 4))
            labels.append(label)
        }
        return try ScatterChart(title: "2-D codes of MNIST digits", xLabel: "code 1", yLabel: "code 2", x: x, y: y, labels: labels)
    }

    static func correlationIntegral() throws -> LogLogChart {
        let r = (0..<40).map { pow(10, -2 + Double($0) * 0.07) }
        let c = r.map { v in min(1, 0.05 * pow(v, 2.02) / (1 + 0.05 * pow(v, 2.02))) * (1 + 0.04 * noise(Int(v * 1000))) }
        return try LogLogChart(title: "Correlation integral C(r), swiss roll", xLabel: "radius r", yLabel: "C(r)",
                               series: [.init(name: "C(r), n = 2000", x: r, y: c)], fitRange: 0.1...3)
    }

    static func digitGrid() throws -> ImageGrid {
        func digit(_ k: Int, blur: Double) -> [Float] {
            (0..<(28 * 28)).map { p in
                let x = Double(p % 28) - 13.5, y = Double(p / 28) - 13.5
                let r = (x * x / pow(5 + Double(k % 3), 2) + y * y / 81).squareRoot()
                return Float(max(0, 1 - abs(r - 1) * (3 - blur)))
            }
        }
        return try ImageGrid(title: "Originals and reconstructions (d = 8)", rows: [
            .init(label: "original", images: (0..<8).map { digit($0, blur: 0) }),
            .init(label: "reconstruction", images: (0..<8).map { digit($0, blur: 1.5) }),
        ], imageWidth: 28, imageHeight: 28, valueRange: 0...1)
    }

    static func datasetPanels() throws -> SmallMultiples {
        let names = [("sphere", 10), ("affine", 3), ("nonlinear", 4), ("helix", 1), ("swiss roll", 2), ("S-curve", 2)]
        let d = (1...12).map(Double.init)
        let panels = names.enumerated().map { i, item in
            let (name, k) = item
            let h = d.map { v in v <= Double(k) ? 1.4 * v : 1.4 * Double(k) - 0.45 * (v - Double(k)) + 0.05 * noise(Int(v) + i) }
            return SmallMultiples.Panel(title: "\(name) (k = \(k))", series: [
                .init(name: "H(d)", x: d, y: h, lower: h.map { $0 - 0.3 }, upper: h.map { $0 + 0.3 }),
            ], referenceLines: [.vertical(Double(k), label: "k = \(k)")])
        }
        return try SmallMultiples(title: "H(d) on benchmark manifolds", xLabel: "code dimension d", yLabel: "H(d) (nats)",
                                  panels: panels, columns: 3)
    }

    static func badData() throws -> LineChart {
        let x = (0..<50).map(Double.init)
        var y = x.map { sin($0 / 5) }
        y[10] = .nan; y[11] = .infinity; y[30] = .nan
        return try LineChart(title: "A series with gaps", xLabel: "epoch", yLabel: "loss", series: [
            .init(name: "loss", x: x, y: y),
            .init(name: "constant", x: x, y: x.map { _ in 0.5 }),
            .init(name: "one point", x: [25], y: [-0.5]),
        ])
    }

    static func bigLines(series: Int = 10, points: Int = 10_000) throws -> LineChart {
        try LineChart(title: "\(series) series × \(points) points", xLabel: "step", yLabel: "value", series: (0..<series).map { s in
            let x = (0..<points).map(Double.init)
            return .init(name: "series \(s + 1)", x: x, y: x.map { sin($0 / 700 + Double(s)) + 0.1 * noise(Int($0), Double(s)) + Double(s) * 0.3 })
        })
    }

    static var all: [(String, any DrawableChart)] {
        get throws {
            [("line-band", try entropyCurve()), ("line-errorbars-logy", try bandwidthCurve()),
             ("histogram-overlaid", try distanceHistogram()), ("histogram-multiples", try distanceHistogram(arrangement: .smallMultiples(columns: 2))),
             ("scatter", try codeScatter()), ("loglog", try correlationIntegral()), ("image-grid", try digitGrid()),
             ("small-multiples", try datasetPanels()), ("bad-data", try badData()), ("big-lines", try bigLines())]
        }
    }
}
