import XCTest
import Dimension
@testable import EntropyCurve

/// The verdict on curves of known shape, without training (the points are given).
final class DimensionVerdictTests: XCTestCase {
    /// Points of one seed from per-d arrays.
    func points(h: [Double], white: [Double], bandwidth: [Double], mse: [Double], seed: Int = 0) -> [EntropyCurveExperiment.Point] {
        h.indices.map { i in
            EntropyCurveExperiment.Point(d: i + 1, repeatIndex: seed, entropy: h[i], standardError: 0.01, monteCarlo: nil,
                                         whitenedEntropy: white[i], logDeterminant: h[i] - white[i], bandwidth: bandwidth[i],
                                         reconstructionError: mse[i], correlationDimension: nil, noisy: [], trainingSeconds: 0,
                                         failure: nil)
        }
    }

    let consensus = VerdictOptions(policy: .consensus)

    // The reference simulation of the design (k = 3, n = 2000): H rises to d = 3, then falls.
    let referenceH = [1.431, 2.839, 4.272, 3.849, 3.399, 2.686, 1.580, 1.172]
    // H_white gains ~1.4 nat per dimension up to k, then less than 0.5.
    let referenceWhite = [1.42, 2.84, 4.26, 4.40, 4.45, 4.30, 4.10, 3.90]
    let referenceMSE = [0.30, 0.12, 0.02, 0.018, 0.017, 0.016, 0.016, 0.015]

    func testReferenceCurveGivesThree() throws {
        let pts = points(h: referenceH, white: referenceWhite, bandwidth: [0.3, 0.25, 0.2, 0.1, 0.09, 0.08, 0.08, 0.07], mse: referenceMSE)
        let verdict = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts, options: consensus)
        XCTAssertEqual(verdict.rules.map(\.d), [3, 3, 3])
        XCTAssertEqual(verdict.dimension, 3)
        XCTAssertTrue(verdict.explanation.hasPrefix("Intrinsic dimension ≈ 3"), verdict.explanation)
    }

    func testLargeBandwidthAfterTheCandidateIsNotResolvable() throws {
        // k = 8 in the prototype: H rises to d ≈ 6, then a plateau; h* passes 0.242 at d = 5.
        let h = [1.4, 2.9, 4.3, 5.8, 7.2, 8.3, 8.2, 8.3, 8.25, 8.3]
        let white = [1.4, 2.9, 4.3, 5.8, 7.2, 8.3, 8.4, 8.5, 8.55, 8.6]
        let bw = [0.1, 0.14, 0.18, 0.22, 0.25, 0.28, 0.3, 0.31, 0.32, 0.33]
        let mse = [0.5, 0.4, 0.3, 0.22, 0.16, 0.1, 0.09, 0.085, 0.08, 0.078]
        let pts = points(h: h, white: white, bandwidth: bw, mse: mse)
        let verdict = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts, options: consensus)
        XCTAssertNil(verdict.dimension)
        XCTAssertEqual(verdict.firstUnresolvableD, 5)
        XCTAssertTrue(verdict.explanation.hasPrefix("Not resolvable"), verdict.explanation)
        XCTAssertTrue(verdict.explanation.contains("0.242"), verdict.explanation)
    }

    func testStillRisingCurveHasNoVerdict() throws {
        let h = [1.4, 2.8, 4.2, 5.6, 7.0, 8.4]
        let mse = [0.5, 0.4, 0.3, 0.2, 0.1, 0.05]
        let pts = points(h: h, white: h, bandwidth: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1], mse: mse)
        let verdict = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts, options: consensus)
        XCTAssertNil(verdict.dimension)
        XCTAssertTrue(verdict.explanation.hasPrefix("Not resolvable"), verdict.explanation)
    }

    func testMediansAndSpreadOverSeeds() {
        let a = points(h: [1, 2], white: [1, 2], bandwidth: [0.1, 0.1], mse: [0.2, 0.1], seed: 0)
        let b = points(h: [3, 4], white: [1, 2], bandwidth: [0.1, 0.1], mse: [0.2, 0.1], seed: 1)
        let c = points(h: [2, 9], white: [1, 2], bandwidth: [0.1, 0.1], mse: [0.2, 0.1], seed: 2)
        let s = CurveSummary(points: a + b + c)
        XCTAssertEqual(s.entropy[0], .init(median: 2, min: 1, max: 3))
        XCTAssertEqual(s.entropy[1], .init(median: 4, min: 2, max: 9))
    }

    func testCriticalBandwidthMakesTheExtraTermZero() {
        let h0 = DimensionVerdict.criticalBandwidth
        XCTAssertEqual(0.5 * log(2 * Double.pi * M_E * h0 * h0), 0, accuracy: 1e-12)
        XCTAssertEqual(h0, 0.242, accuracy: 5e-4)
    }
}

/// The talk's conclusions as tests on numbers: every claim flips when its numbers cross
/// its stated threshold (one row per claim: the finding just inside and just outside).
final class ConclusionsTests: XCTestCase {
    struct Row {
        var claim: String
        var inside: Conclusions.Finding
        var outside: Conclusions.Finding
        var expected: (Conclusions.Status, Conclusions.Status)
    }

    func curve(_ h: [Double], _ white: [Double]) -> Conclusions.Curve {
        Conclusions.Curve(label: "c", d: Array(1...h.count), entropy: h, whitenedEntropy: white, bend: 3)
    }

    func testEveryClaimFlipsWhenItsNumbersCrossItsThreshold() {
        let v = { (k: Int?, t: Int) in Conclusions.Verdict(label: "x", dimension: k, trueDimension: t, candidate: k) }
        let d = [8, 12, 16, 20, 24, 32]
        let rise = [1, 2, 3, 3.2, 3.4, 3.5, 3.6, 3.7]
        let rows = [
            Row(claim: "kink", inside: Conclusions.hasKink([v(2, 2)]), outside: Conclusions.hasKink([v(nil, 2)]),
                expected: (.confirmed, .notConfirmed)),
            // Tolerance 1: one off is near, two off is wrong.
            Row(claim: "kink-near-truth", inside: Conclusions.kinkNearTruth([v(3, 2)]), outside: Conclusions.kinkNearTruth([v(4, 2)]),
                expected: (.confirmed, .notConfirmed)),
            // Slope after the bend crosses 0.
            Row(claim: "growth-after-plateau", inside: Conclusions.growthAfterPlateau([curve(rise, rise)]),
                outside: Conclusions.growthAfterPlateau([curve([1, 2, 3, 2.99, 2.98, 2.97, 2.96, 2.95], [1, 2, 3, 2.99, 2.98, 2.97, 2.96, 2.95])]),
                expected: (.confirmed, .notConfirmed)),
            // Largest step 1.49 against 1.51 (threshold 1.5), three seeds.
            Row(claim: "corrdim-continuous", inside: Conclusions.changesContinuously(d: [1, 2, 3, 4], corrdim: [1, 2.49, 3, 3.5], seeds: 3),
                outside: Conclusions.changesContinuously(d: [1, 2, 3, 4], corrdim: [1, 2.51, 3, 3.5], seeds: 3),
                expected: (.confirmed, .notConfirmed)),
            // Seeds: 3 against 2.
            Row(claim: "corrdim-continuous (seeds)", inside: Conclusions.changesContinuously(d: [1, 2, 3, 4], corrdim: [1, 2, 3, 3.5], seeds: 3),
                outside: Conclusions.changesContinuously(d: [1, 2, 3, 4], corrdim: [1, 2, 3, 3.5], seeds: 2),
                expected: (.confirmed, .notConfirmed)),
            // Distance to the images 19 % against 21 % (tolerance 20 %), tail flat.
            Row(claim: "corrdim-saturates (distance)", inside: Conclusions.saturatesAt(d: d, corrdim: [1, 2, 3, 4, 4, 4], reference: 4 / 1.19),
                outside: Conclusions.saturatesAt(d: d, corrdim: [1, 2, 3, 4, 4, 4], reference: 4 / 1.21),
                expected: (.confirmed, .partly)),
            // Tail spread 14 % against 16 % (flatness 15 %), at the images' value.
            Row(claim: "corrdim-saturates (flatness)", inside: Conclusions.saturatesAt(d: d, corrdim: [1, 2, 3, 3.72, 4, 4.28], reference: 4),
                outside: Conclusions.saturatesAt(d: d, corrdim: [1, 2, 3, 3.68, 4, 4.32], reference: 4),
                expected: (.confirmed, .notConfirmed)),
        ]
        for row in rows {
            XCTAssertEqual(row.inside.status, row.expected.0, "\(row.claim) inside: \(row.inside.evidence)")
            XCTAssertEqual(row.outside.status, row.expected.1, "\(row.claim) outside: \(row.outside.evidence)")
            XCTAssertFalse(row.inside.rule.isEmpty, row.claim)
            XCTAssertFalse(row.outside.numbers.isEmpty && row.claim != "kink", "\(row.claim) states the numbers it compared")
        }
    }

    func testASecondScalingRegionMakesSaturationPartlyConfirmedOnlyWhenTheTailIsFlat() {
        let d = [8, 12, 16, 20, 24, 32]
        let flat = Conclusions.saturatesAt(d: d, corrdim: [3.9, 4.1, 4.0, 4.6, 4.7, 4.8], reference: 7.0, alternative: 4.7)
        XCTAssertEqual(flat.status, .partly)
        let notFlat = Conclusions.saturatesAt(d: d, corrdim: [3.9, 4.1, 4.0, 3.9, 4.7, 4.9], reference: 7.0, alternative: 4.7)
        XCTAssertEqual(notFlat.status, .notConfirmed, notFlat.evidence)
    }

    func testGrowthAfterPlateauIsJudgedOnHAndWhitenedEntropyOfEveryCurve() {
        let rise = [1, 2, 3, 3.2, 3.4, 3.5, 3.6, 3.7], fall = [1, 2, 3, 2.8, 2.5, 2.2, 2, 1.8]
        let f = Conclusions.growthAfterPlateau([curve(fall, rise), curve(rise, rise)])
        XCTAssertEqual(f.status, .partly)
        XCTAssertTrue(f.evidence.hasPrefix("3 of 4"), f.evidence)
    }
}

/// The explanation of H(d) is generated from its own decomposition.
final class EntropyDecompositionTests: XCTestCase {
    func testAFallThatIsAllLogDeterminantIsExplainedSo() throws {
        let d = [1, 2, 3, 4, 5, 6]
        let white = [1.4, 2.8, 4.2, 4.3, 4.3, 4.35]
        let logDet = [0, 0, 0, -3, -7, -12.0]
        let h = zip(white, logDet).map(+)
        let e = try XCTUnwrap(EntropyDecomposition(d: d, h: h, white: white, logDeterminant: logDet, bend: 3))
        XCTAssertEqual(e.from, 3)
        XCTAssertEqual(e.deltaH, -11.85, accuracy: 1e-9)
        XCTAssertTrue(e.explanation.contains("H falls"), e.explanation)
        XCTAssertTrue(e.explanation.contains("almost all of it is ½·ln det Σ"), e.explanation)
        XCTAssertFalse(e.explanation.contains("almost all of it is H_white"), e.explanation)
    }

    func testAFallThatIsAllWhitenedEntropyIsExplainedSo() throws {
        let d = [1, 2, 3, 4, 5]
        let white = [1.4, 2.8, 4.2, 3.5, 2.9]
        let logDet = [0.5, 0.5, 0.5, 0.55, 0.5]
        let h = zip(white, logDet).map(+)
        let e = try XCTUnwrap(EntropyDecomposition(d: d, h: h, white: white, logDeterminant: logDet, bend: nil))
        XCTAssertEqual(e.from, 3, "without a bend the stretch starts at the maximum of H")
        XCTAssertTrue(e.explanation.contains("almost all of it is H_white"), e.explanation)
    }

    func testALevelTailIsCalledLevel() throws {
        let e = try XCTUnwrap(EntropyDecomposition(d: [1, 2, 3, 4], h: [1, 2, 2.02, 2.05], white: [1, 2, 3, 4],
                                                   logDeterminant: [0, 0, -0.98, -1.95], bend: 2))
        XCTAssertTrue(e.explanation.contains("stays level"), e.explanation)
    }
}

/// The noisy-slope rule against its known increments.
final class NoiseSlopeVerdictTests: XCTestCase {
    /// Points whose noisy entropy rises by a unit coordinate's increment up to k, then by ν.
    func points(k: Int, dims: Int, sigma: Double, counts: [Int] = [1000, 500, 250], kAt: [Int: Int] = [:]) -> [EntropyCurveExperiment.Point] {
        let rule = NoiseSlopeRule(sigma: sigma)
        return (1...dims).map { d in
            let noisy = counts.map { n -> NoisyEntropy in
                let kk = kAt[n] ?? k
                let signal: Double = Double(min(d, kk)) * (rule.signalIncrement - 0.1)
                let noise: Double = Double(max(d - kk, 0)) * rule.noiseIncrement
                let y = signal + noise
                return NoisyEntropy(sigma: sigma, count: n, whitenedEntropy: y, logDeterminant: 0)
            }
            return EntropyCurveExperiment.Point(d: d, repeatIndex: 0, entropy: Double(d), standardError: 0, monteCarlo: nil,
                                                whitenedEntropy: Double(d), logDeterminant: 0, bandwidth: 0.1,
                                                reconstructionError: 1 / Double(d), correlationDimension: nil, noisy: noisy,
                                                trainingSeconds: 0, failure: nil)
        }
    }

    func testTheKinkIsTheLastDimensionAboveTheThreshold() throws {
        let pts = points(k: 3, dims: 6, sigma: 0.2)
        let verdict = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts,
                                           options: VerdictOptions(policy: .noisySlope, noiseSlope: NoiseSlopeRule(sigma: 0.2)))
        XCTAssertEqual(verdict.dimension, 3, verdict.explanation)
        XCTAssertEqual(verdict.noisy?.increments.last ?? 0, NoiseSlopeRule(sigma: 0.2).noiseIncrement, accuracy: 1e-12)
    }

    func testAKinkThatMovesWithNIsNotResolvable() throws {
        let pts = points(k: 4, dims: 7, sigma: 0.2, kAt: [250: 3])
        let verdict = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts,
                                           options: VerdictOptions(policy: .noisySlope, noiseSlope: NoiseSlopeRule(sigma: 0.2)))
        XCTAssertNil(verdict.dimension)
        XCTAssertEqual(verdict.candidate, 4)
        XCTAssertTrue(verdict.explanation.contains("moves when the codes are subsampled"), verdict.explanation)
    }

    func testTheCrossCheckGivesTwoNNOnlyWhenAnHdRuleBendsNearIt() throws {
        let pts = points(k: 3, dims: 6, sigma: 0.2)
        let near = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts, dataDimension: 3.3)
        XCTAssertEqual(near.dimension, 3, near.explanation)
        let far = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts, dataDimension: 5.2)
        XCTAssertNil(far.dimension, far.explanation)
        XCTAssertTrue(far.explanation.contains("differ by more than 1"), far.explanation)
        let atEnd = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts,
                                         options: VerdictOptions(crossCheckTolerance: 3), dataDimension: 6)
        XCTAssertNil(atEnd.dimension, "TwoNN at the last swept d cannot be confirmed by a bend")
    }

    /// When the data's own dimension is not resolvable, the verdict still says where H(d)
    /// bends, then why there is nothing to check the bend against, in sentences.
    func testAnUnresolvableSecondReadingKeepsTheBendsAndItsReason() throws {
        let pts = points(k: 3, dims: 6, sigma: 0.2)
        let reason = "the data's own dimension is not resolvable across scales. DANCo 12.40, ESS 18.78, more than 2.00 apart."
        let verdict = try DimensionVerdict(summary: CurveSummary(points: pts), points: pts, dataDimension: nil,
                                           dataDimensionLabel: "auto (DANCo/ESS) of the data", unresolvedReason: reason)
        XCTAssertNil(verdict.dimension)
        XCTAssertTrue(verdict.explanation.hasPrefix("Not resolvable: H(d) bends at MSE elbow: 3, noisy slope (σ = 0.2): 3, but"), verdict.explanation)
        XCTAssertTrue(verdict.explanation.hasSuffix("no second reading to check it against: " + reason), verdict.explanation)
    }

    func testThresholdSitsBetweenNoiseAndSignal() {
        let r = NoiseSlopeRule(sigma: 0.1, position: 0.5)
        XCTAssertEqual(r.noiseIncrement, 0.5 * log(2 * Double.pi * M_E * 0.01), accuracy: 1e-12)
        XCTAssertEqual(r.threshold, (r.noiseIncrement + r.signalIncrement) / 2, accuracy: 1e-12)
    }
}
