import Foundation
import XCTest
import Linalg

/// The vectorised kernels of the classifier's hot loop: the noise and tanh.
final class NoiseKernelTests: XCTestCase {
    func testGaussianNoiseHasTheMomentsOfAStandardNormal() {
        // 400 000 values: SE of the mean 0.0016, of the variance 0.0022, of the fourth moment 0.013.
        let count = 400_001
        var generator = SeededGenerator(seed: 3)
        var out = [Float](repeating: 0, count: count)
        let clean = [Float](repeating: 2, count: count)
        out.withUnsafeMutableBufferPointer { o in
            clean.withUnsafeBufferPointer { c in
                VectorOps.addGaussianNoise(to: o.baseAddress!, from: c.baseAddress!, count: count, sigma: 0.5, generator: &generator)
            }
        }
        let z = out.map { (Double($0) - 2) / 0.5 }
        let n = Double(count)
        let mean = z.reduce(0, +) / n
        let variance = z.reduce(0) { $0 + $1 * $1 } / n
        let fourth = z.reduce(0) { $0 + $1 * $1 * $1 * $1 } / n
        XCTAssertEqual(mean, 0, accuracy: 0.008)
        XCTAssertEqual(variance, 1, accuracy: 0.011)
        XCTAssertEqual(fourth, 3, accuracy: 0.065)
        XCTAssertLessThan(z.map(abs).max() ?? 0, 5.78)
        // The odd last value is filled too.
        XCTAssertNotEqual(out[count - 1], 2)
    }

    func testTanhKernelIsWithinHalfAMillionthOfLibm() {
        var x = (0..<200_001).map { Float(-10 + 20 * Double($0) / 200_000) }
        let reference = x.map { Foundation.tanh(Double($0)) }
        x.withUnsafeMutableBufferPointer { VectorOps.tanh($0.baseAddress!, count: $0.count) }
        for (a, b) in zip(x, reference) where b != 0 {
            XCTAssertLessThan(abs(Double(a) - b) / abs(b), 5e-7, "tanh(\(b))")
        }
    }
}
