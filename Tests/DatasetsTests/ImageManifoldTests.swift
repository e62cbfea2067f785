import Foundation
import Linalg
import XCTest
@testable import Datasets

/// Images of known latent dimension: pixels in [0, 1], each image the one its latent
/// coordinates describe.
final class ImageManifoldTests: XCTestCase {
    func testBumpImagesPeakAtTheirCentre() throws {
        let bumps = try GaussianBumpImages()
        let data = try SyntheticDataset.generate(bumps, count: 300, using: SeededGenerator(seed: 5))
        XCTAssertEqual(data.imageShape, ImageShape(height: 16, width: 16))
        XCTAssertEqual(data.intrinsicDimension, 2)
        XCTAssertEqual(data.dimension, 256)
        let latent = try XCTUnwrap(data.latent)
        for i in 0..<data.count {
            let row = Array(data.points.row(i))
            XCTAssert(row.allSatisfy { (0...1) ~= $0 })
            let (x, y) = (Double(latent[i, 0]), Double(latent[i, 1]))
            XCTAssert((2...14) ~= x && (2...14) ~= y)
            // The brightest pixel is the one containing the centre, up to ties at pixel edges.
            let brightest = try XCTUnwrap(row.indices.max { row[$0] < row[$1] })
            XCTAssertEqual(Double(brightest % 16) + 0.5, x, accuracy: 0.5 + 1e-3)
            XCTAssertEqual(Double(brightest / 16) + 0.5, y, accuracy: 0.5 + 1e-3)
            // The image is the bump at its latent centre (stored as Float: 1e-5 covers the
            // pixel change from rounding the centre, |∂pixel/∂x| ≤ 1/(s·√e) per pixel).
            let expected = bumps.image(x: x, y: y)
            XCTAssertLessThan(zip(row, expected).map { abs($0 - $1) }.max() ?? 1, 1e-5)
        }
    }

    func testRectangleImagesAreCoverageOfTheirCorners() throws {
        let rectangles = try RectangleImages()
        let data = try SyntheticDataset.generate(rectangles, count: 300, using: SeededGenerator(seed: 6))
        XCTAssertEqual(data.imageShape, ImageShape(height: 32, width: 32))
        XCTAssertEqual(data.intrinsicDimension, 4)
        let latent = try XCTUnwrap(data.latent)
        for i in 0..<data.count {
            let pixels = Array(data.points.row(i))
            let (x0, x1, y0, y1) = (Double(latent[i, 0]), Double(latent[i, 1]), Double(latent[i, 2]), Double(latent[i, 3]))
            XCTAssert(x1 - x0 >= 2 - 1e-4 && y1 - y0 >= 2 - 1e-4)
            XCTAssert(pixels.allSatisfy { (0...1) ~= $0 })
            // A side ≥ 2 px covers at least one whole pixel.
            XCTAssertEqual(pixels.max() ?? 0, 1, accuracy: 1e-6)
            // Total coverage = area (latent stored as Float: 1e-3 relative).
            let area = (x1 - x0) * (y1 - y0)
            XCTAssertEqual(Double(pixels.reduce(0, +)), area, accuracy: 1e-3 * area)
            // Rank one: every 2×2 minor of the image vanishes.
            for (r, c) in [(3, 5), (10, 20), (17, 2), (30, 31)] {
                let a = pixels[r * 32 + c] * pixels[(r + 7) % 32 * 32 + (c + 11) % 32]
                let b = pixels[r * 32 + (c + 11) % 32] * pixels[(r + 7) % 32 * 32 + c]
                XCTAssertEqual(a, b, accuracy: 1e-6)
            }
        }
    }

    func testImageNoiseIsClampedToTheUnitInterval() throws {
        let data = try SyntheticDataset.generate(GaussianBumpImages(), count: 50, embedding: Embedding(noise: 0.3),
                                                 using: SeededGenerator(seed: 9))
        XCTAssert(data.points.elements.allSatisfy { (0...1) ~= $0 })
        XCTAssert(data.points.elements.contains { $0 == 0 } && data.points.elements.contains { $0 == 1 })
    }
}
