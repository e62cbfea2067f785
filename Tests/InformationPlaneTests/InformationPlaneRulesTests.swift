import XCTest
@testable import InformationPlane

/// The claim rules on hand-made planes: each case is built so that exactly one rule decides.
final class InformationPlaneRulesTests: XCTestCase {
    typealias R = InformationPlaneRules

    private func layer(_ l: Int, _ ixt: [Double], ity: [Double]? = nil, epochs: [Int]? = nil, spread: Double = 0.01,
                       upper: [Double]? = nil, failing: Set<Int> = []) -> R.Layer {
        let e = epochs ?? Array(0..<ixt.count)
        return R.Layer(layer: l, readings: e.indices.map { k in
            R.Reading(epoch: e[k], input: R.Value(ixt[k], spread: spread), label: ity.map { R.Value($0[k], spread: spread) },
                      upper: upper.map { R.Value($0[k], spread: spread) }, diagnosticPasses: !failing.contains(e[k]))
        })
    }

    private let bounds = R.Bounds(lnN: log(2000), labelEntropy: log(10), markovAcrossLayers: false)
    private let markov = R.Bounds(lnN: log(2000), labelEntropy: log(10), markovAcrossLayers: true)

    func testCompressionCases() {
        struct Case { let name: String; let layer: R.Layer; let bounds: R.Bounds; let expected: String }
        let cases = [
            Case(name: "clean fall from a middle peak", layer: layer(1, [3, 5, 4]), bounds: bounds, expected: "compresses"),
            Case(name: "keeps rising", layer: layer(1, [3, 4, 5]), bounds: bounds, expected: "no"),
            Case(name: "fall within the threshold", layer: layer(1, [3, 5, 4.97]), bounds: bounds, expected: "no"),
            Case(name: "fall within twice the spread", layer: layer(1, [3, 5, 4.7], spread: 0.2), bounds: bounds, expected: "no"),
            Case(name: "peak at the first read-out", layer: layer(1, [5, 4.5, 4]), bounds: bounds, expected: "first read-out"),
            Case(name: "peak at ln n", layer: layer(1, [3, log(2000) - 0.05, 6]), bounds: bounds, expected: "ln n"),
            Case(name: "peak just outside the ceiling margin", layer: layer(1, [3, log(2000) - 0.15, 6]), bounds: bounds, expected: "compresses"),
            Case(name: "diagnostic fails at the peak", layer: layer(1, [3, 5, 4], failing: [1]), bounds: bounds, expected: "diagnostic"),
            Case(name: "diagnostic fails elsewhere only", layer: layer(1, [3, 5, 4], failing: [0]), bounds: bounds, expected: "compresses"),
            Case(name: "I(T;Y) above I(X;T) at the end", layer: layer(1, [3, 5, 1], ity: [0.5, 1, 2]), bounds: bounds, expected: "I(T;Y)"),
            Case(name: "I(T;Y) above H(Y) at the peak", layer: layer(1, [3, 5, 4], ity: [0.5, 2.5, 2]), bounds: bounds, expected: "H(Y)"),
            Case(name: "bracket: upper bound at the end below the peak's lower", layer: layer(1, [3, 5, 4], upper: [3.5, 5.5, 4.5]),
                 bounds: bounds, expected: "compresses"),
            Case(name: "bracket: upper bound at the end reaches the peak", layer: layer(1, [3, 5, 4], upper: [6, 6, 5.2]),
                 bounds: bounds, expected: "upper bound"),
        ]
        for c in cases {
            let result = R.compression([c.layer], bounds: c.bounds)
            XCTAssertEqual(result.count, 1, c.name)
            switch result[0].outcome {
            case .compresses: XCTAssertEqual(c.expected, "compresses", c.name)
            case .doesNotCompress: XCTAssertEqual(c.expected, "no", c.name)
            case .inconclusive(let why):
                XCTAssertTrue(why.contains(c.expected), "\(c.name): \(why)")
                XCTAssertNotEqual(c.expected, "compresses", c.name)
            }
        }
    }

    func testStabilityComparesOutcomesAndPeakReadOuts() {
        // Read-outs at epochs 0, 1, 3, 10, 30; the reference compresses in layer 1 (peak at 1)
        // and does not in layer 2.
        let epochs = [0, 1, 3, 10, 30]
        let reference = R.compression([layer(1, [3, 5, 4.8, 4.5, 4], epochs: epochs), layer(2, [2, 2.5, 3, 3.5, 4], epochs: epochs)], bounds: bounds)
        struct Case { let name: String; let control: [R.Layer]; let verdict: R.Verdict; let shifts: [Int] }
        let cases = [
            Case(name: "same outcomes, same peaks", control: [layer(1, [3, 5.1, 4.8, 4.4, 4.1], epochs: epochs),
                                                            layer(2, [2, 2.4, 3.1, 3.4, 4.2], epochs: epochs)],
                 verdict: .confirmed, shifts: [0, 0]),
            Case(name: "peak one read-out later", control: [layer(1, [3, 4.9, 5, 4.5, 4], epochs: epochs),
                                                          layer(2, [2, 2.5, 3, 3.5, 4], epochs: epochs)],
                 verdict: .confirmed, shifts: [1, 0]),
            Case(name: "peak two read-outs later", control: [layer(1, [3, 4.8, 4.9, 5, 4], epochs: epochs),
                                                           layer(2, [2, 2.5, 3, 3.5, 4], epochs: epochs)],
                 verdict: .partly, shifts: [2, 0]),
            Case(name: "the compression vanishes", control: [layer(1, [3, 4, 4.5, 4.8, 5], epochs: epochs),
                                                           layer(2, [2, 2.5, 3, 3.5, 4], epochs: epochs)],
                 verdict: .notConfirmed, shifts: [3, 0]),
            Case(name: "a peak moves to ln n: inconclusive is another outcome",
                 control: [layer(1, [3, log(2000) - 0.01, 4.8, 4.5, 4], epochs: epochs), layer(2, [2, 2.5, 3, 3.5, 4], epochs: epochs)],
                 verdict: .notConfirmed, shifts: [0, 0]),
            Case(name: "no layer in common", control: [layer(3, [1, 2, 3, 4, 5], epochs: epochs)], verdict: .notConfirmed, shifts: []),
        ]
        for c in cases {
            let stability = R.stability(reference, R.compression(c.control, bounds: bounds), epochs: epochs)
            XCTAssertEqual(stability.map(\.peakShift), c.shifts, c.name)
            XCTAssertEqual(R.stabilityVerdict(stability), c.verdict, c.name)
        }
    }

    func testDataProcessingAcrossLayersOnlyWithPropagatedNoise() {
        // Layer 2 above layer 1 at epochs 0 and 2 (the issue's propagated plane: 7.60 vs 6.02).
        let layers = [layer(1, [6.02, 6.5, 7.03]), layer(2, [7.60, 6.4, 7.22])]
        let failures = R.dataProcessingFailures(layers, bounds: markov)
        XCTAssertEqual(Set(failures.keys), [R.Key(layer: 2, epoch: 0), R.Key(layer: 2, epoch: 2)])
        XCTAssertTrue(R.dataProcessingFailures(layers, bounds: bounds).isEmpty, "read-out layers are not a Markov chain")
        // Within twice the combined spread: not a failure.
        let close = [layer(1, [6.0], spread: 0.1), layer(2, [6.2], spread: 0.1)]
        XCTAssertTrue(R.dataProcessingFailures(close, bounds: markov).isEmpty)
        // A lower bound is compared with the earlier layer's upper bound.
        let bracketed = [layer(1, [6.0], upper: [6.0]), layer(2, [5.0], upper: [7.0])]
        XCTAssertTrue(R.dataProcessingFailures(bracketed, bounds: markov).isEmpty)
    }

    func testTheIssuesPropagatedPlaneIsNotConfirmed() {
        // Issue 25's numbers: layer 2 peaks at epoch 0 at 7.596 ≈ ln n and breaks data
        // processing; layer 3 peaks at 7.10 above layer 1 (6.02) at the first read-out.
        let layers = [layer(1, [6.02, 6.4, 7.03], ity: [1.80, 2.0, 2.1]),
                      layer(2, [7.596, 7.0, 6.5], ity: [2.297, 2.1, 2.1]),
                      layer(3, [7.10, 6.5, 6.0], ity: [1.94, 2.0, 2.1])]
        let result = R.compression(layers, bounds: markov)
        XCTAssertEqual(R.compressionVerdict(result), .inconclusive)
        XCTAssertFalse(result.contains { $0.outcome == .compresses })
    }

    func testCompressionVerdict() {
        let yes = R.Compression(layer: 1, outcome: .compresses, peakEpoch: 1, peak: 5, lastEpoch: 2, last: 4)
        let no = R.Compression(layer: 2, outcome: .doesNotCompress, peakEpoch: 2, peak: 5, lastEpoch: 2, last: 5)
        let unsure = R.Compression(layer: 3, outcome: .inconclusive("x"), peakEpoch: 0, peak: 5, lastEpoch: 2, last: 4)
        XCTAssertEqual(R.compressionVerdict([yes, no, unsure]), .confirmed)
        XCTAssertEqual(R.compressionVerdict([no, unsure]), .inconclusive)
        XCTAssertEqual(R.compressionVerdict([no]), .notConfirmed)
    }

    func testFittingUsesTheEarlyPhase() {
        // 60 epochs: the early phase ends at epoch 6; layer 1 rises by 0.5, layer 2 by 0.02.
        let epochs = [0, 1, 3, 6, 20, 60]
        let layers = [layer(1, [1, 1, 1, 1, 1, 1], ity: [1.0, 1.2, 1.4, 1.5, 1.6, 1.6], epochs: epochs),
                      layer(2, [1, 1, 1, 1, 1, 1], ity: [1.0, 1.0, 1.01, 1.02, 2.0, 2.0], epochs: epochs)]
        let result = R.fitting(layers)
        XCTAssertEqual(result.fits, [1])
        XCTAssertEqual(result.judged, 2)
    }

    func testClustersRequireCompressingLayersToTightenMoreThanTheOthers() {
        let c1 = R.Compression(layer: 1, outcome: .compresses, peakEpoch: 3, peak: 5, lastEpoch: 10, last: 4)
        let c2 = R.Compression(layer: 2, outcome: .doesNotCompress, peakEpoch: 10, peak: 5, lastEpoch: 10, last: 5)
        struct Case { let name: String; let ratios: [Int: [Int: Double]]; let expected: R.Verdict }
        let cases = [
            Case(name: "compressing layer tightens most", ratios: [1: [3: 0.8, 10: 0.5], 2: [3: 0.8, 10: 0.7]], expected: .confirmed),
            Case(name: "the other layer tightens more", ratios: [1: [3: 0.8, 10: 0.6], 2: [3: 0.8, 10: 0.4]], expected: .notConfirmed),
            Case(name: "the compressing layer loosens", ratios: [1: [3: 0.6, 10: 0.7], 2: [3: 0.8, 10: 0.9]], expected: .notConfirmed),
            Case(name: "a fall below 5 %", ratios: [1: [3: 0.8, 10: 0.79], 2: [3: 0.8, 10: 0.85]], expected: .notConfirmed),
        ]
        for c in cases { XCTAssertEqual(R.clusters([c1, c2], ratios: c.ratios).0, c.expected, c.name) }
        XCTAssertEqual(R.clusters([c2], ratios: [2: [3: 0.8, 10: 0.1]]).0, .notConfirmed, "no compressing layer")
    }
}
