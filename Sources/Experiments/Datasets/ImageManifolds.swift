import Foundation
import Linalg

/// Images of a Gaussian bump at a random position: latent dimension 2 (the centre).
///
/// Pixel (r, c) of a size×size image is exp(−((r + ½ − y)² + (c + ½ − x)²) / (2s²)) with
/// the centre (x, y) uniform on [m, size − m]² (m = margin, so the bump stays inside) and
/// width s in pixels. Values are in [0, 1]. Latent (x, y).
public struct GaussianBumpImages: ManifoldSampler {
    public let size: Int
    public let width: Double
    public let margin: Double
    public init(size: Int = 16, width: Double = 2, margin: Double = 2) throws {
        guard size >= 4 else { throw DatasetParameterError("ambient", "bump images need at least 4×4 pixels, got \(size)") }
        self.size = size
        self.width = width
        self.margin = min(margin, Double(size) / 2 - 1)
    }
    public var name: String { "bumps \(size)×\(size)" }
    public var intrinsicDimension: Int { 2 }
    public var nativeDimension: Int { size * size }
    public var imageShape: ImageShape? { ImageShape(height: size, width: size) }

    /// The noise-free image of a bump centred at (x, y), row-major.
    public func image(x: Double, y: Double) -> [Float] {
        // exp is separable: the image is the outer product of a column and a row profile.
        let profileX = (0..<size).map { exp(-pow(Double($0) + 0.5 - x, 2) / (2 * width * width)) }
        let profileY = (0..<size).map { exp(-pow(Double($0) + 0.5 - y, 2) / (2 * width * width)) }
        var pixels = [Float](repeating: 0, count: size * size)
        for r in 0..<size { for c in 0..<size { pixels[r * size + c] = Float(profileY[r] * profileX[c]) } }
        return pixels
    }

    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        var points = Matrix(rows: count, columns: nativeDimension)
        var latent = Matrix(rows: count, columns: 2)
        let hi = Double(size) - margin
        for i in 0..<count {
            let x = generator.uniform(margin, hi), y = generator.uniform(margin, hi)
            let pixels = image(x: x, y: y)
            points.elements.replaceSubrange((i * nativeDimension)..<((i + 1) * nativeDimension), with: pixels)
            latent.set(row: i, x, y)
        }
        return ManifoldSample(points: points, latent: latent)
    }
}

/// Images of an axis-aligned rectangle with random corners: latent dimension 4
/// (left, right, top, bottom edges, continuous).
///
/// Each edge pair is two uniform positions on [0, size], sorted, redrawn until the side is
/// at least `minimumSide` pixels. A pixel's value is the fraction of its area the rectangle
/// covers (anti-aliased), so the image moves continuously with the corners and every
/// image is the outer product of a row and a column coverage profile. Values in [0, 1].
/// Latent (x₀, x₁, y₀, y₁).
public struct RectangleImages: ManifoldSampler {
    public let size: Int
    public let minimumSide: Double
    public init(size: Int = 32, minimumSide: Double = 2) throws {
        guard size >= 4 else { throw DatasetParameterError("ambient", "rectangle images need at least 4×4 pixels, got \(size)") }
        self.size = size
        self.minimumSide = min(minimumSide, Double(size) / 2)
    }
    public var name: String { "rectangles \(size)×\(size)" }
    public var intrinsicDimension: Int { 4 }
    public var nativeDimension: Int { size * size }
    public var imageShape: ImageShape? { ImageShape(height: size, width: size) }

    /// Fraction of each unit pixel interval [i, i+1) inside [a, b].
    func coverage(_ a: Double, _ b: Double) -> [Double] {
        (0..<size).map { i in max(0, min(Double(i + 1), b) - max(Double(i), a)) }
    }

    /// The noise-free image of the rectangle [x0, x1] × [y0, y1], row-major.
    public func image(x0: Double, x1: Double, y0: Double, y1: Double) -> [Float] {
        let cx = coverage(x0, x1), cy = coverage(y0, y1)
        var pixels = [Float](repeating: 0, count: size * size)
        for r in 0..<size { for c in 0..<size { pixels[r * size + c] = Float(cy[r] * cx[c]) } }
        return pixels
    }

    public func sample(_ count: Int, using generator: inout SeededGenerator) -> ManifoldSample {
        var points = Matrix(rows: count, columns: nativeDimension)
        var latent = Matrix(rows: count, columns: 4)
        let s = Double(size)
        func edges() -> (Double, Double) {
            while true {
                let a = generator.uniform(0, s), b = generator.uniform(0, s)
                if abs(a - b) >= minimumSide { return (min(a, b), max(a, b)) }
            }
        }
        for i in 0..<count {
            let (x0, x1) = edges()
            let (y0, y1) = edges()
            points.elements.replaceSubrange((i * nativeDimension)..<((i + 1) * nativeDimension),
                                            with: image(x0: x0, x1: x1, y0: y0, y1: y1))
            for (j, v) in [x0, x1, y0, y1].enumerated() { latent[i, j] = Float(v) }
        }
        return ManifoldSample(points: points, latent: latent)
    }
}
