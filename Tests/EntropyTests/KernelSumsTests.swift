import Foundation
import XCTest
import Linalg
@testable import Entropy

final class KernelSumsTests: XCTestCase {
    func testVectorExponentialMatchesFoundationToTwoUlp() {
        // The kernel clamps its arguments to [−40, 0]; check the whole range exp can take.
        var worst: Double = 0
        var x: Float = -87
        while x <= 0 {
            var v = SIMD16<Float>()
            for l in 0..<16 { v[l] = x + Float(l) * 0.0013 }
            let e = exponential(v)
            for l in 0..<16 where v[l] <= 0 {
                let exact = Foundation.exp(Double(v[l]))
                worst = max(worst, abs(Double(e[l]) - exact) / exact)
            }
            x += 0.0171
        }
        XCTAssertLessThan(worst, 2.5e-7) // ≈ 2 ulp of Float
    }

    /// Direct double-precision sums for a small set.
    private func directLogSums(_ x: Matrix, c: Double, excludingSelf: Bool) -> [Double] {
        (0..<x.rows).map { i in
            var s = 0.0
            for j in 0..<x.rows where !(excludingSelf && i == j) {
                var d2 = 0.0
                for k in 0..<x.columns { let t = Double(x[i, k] - x[j, k]); d2 += t * t }
                s += Foundation.exp(-c * d2)
            }
            return Foundation.log(s)
        }
    }

    func testKernelSumsMatchDirectSumsForEverySchedule() throws {
        var rng = SeededGenerator(seed: 7)
        let x = rng.normalMatrix(rows: 301, columns: 3) // 301: not a multiple of 16 or of a panel
        let sums = GaussianKernelSums(points: x)
        let schedules: [KernelSchedule] = [.single(0.8), .doubling(first: 0.05, count: 11),
                                           .arithmetic(first: 0.3, step: 0.7, count: 6)]
        for schedule in schedules {
            for exclude in [true, false] {
                for threads in [1, 2] {
                    let got = try sums.logSums(excludingSelf: exclude, schedule: schedule, threads: threads)
                    for (k, c) in schedule.coefficients.enumerated() {
                        let want = directLogSums(x, c: c, excludingSelf: exclude)
                        for i in 0..<x.rows {
                            // Float distances and terms: ~1e-5 relative in the sum; repeated squaring
                            // (≤ 3 in a row) multiplies the term error by ≤ 8.
                            XCTAssertEqual(got[k][i], want[i], accuracy: 2e-4 + 2e-6 * abs(want[i]),
                                           "schedule \(schedule) c=\(c) row \(i) exclude \(exclude)")
                        }
                    }
                }
            }
        }
    }

    func testSubsampledGridFindsTheSameMaximumAsTheFullGrid() throws {
        var rng = SeededGenerator(seed: 31)
        let x = rng.normalMatrix(rows: 4_000, columns: 3)
        let sums = GaussianKernelSums(points: x)
        let h0 = BandwidthSelection.silverman.ruleOfThumb(n: 4_000, d: 3) ?? 1
        let subsampled = try LeaveOneOutSearch(sums: sums, threads: 2).maximize(startingAt: h0)
        var fullSearch = LeaveOneOutSearch(sums: sums, threads: 2)
        fullSearch.subsampleSize = 1_000_000
        let full = try fullSearch.maximize(startingAt: h0)
        XCTAssertNotNil(subsampled.curve.subsample)
        XCTAssertNil(full.curve.subsample)
        // Both refine to ±1 % of the maximiser; L is flat there to ~1e-4 nats.
        XCTAssertEqual(subsampled.best.h, full.best.h, accuracy: 0.02 * full.best.h)
        XCTAssertEqual(subsampled.best.meanLogLikelihood, full.best.meanLogLikelihood, accuracy: 1e-3)
    }
}
