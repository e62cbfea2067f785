import CGD

/// A PNG decoded to RGB pixels with libgd, to check rendered figures by their pixels
/// (size, background, a series' colour where expected) rather than their bytes.
public struct DecodedImage: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major `0xRRGGBB` values.
    public let pixels: [UInt32]

    /// Decodes PNG `bytes`; throws when libgd cannot read them.
    public init(png bytes: [UInt8]) throws {
        var copy = bytes
        guard !copy.isEmpty, let image = gdImageCreateFromPngPtr(Int32(copy.count), &copy) else {
            throw PlotError.rendering("could not decode \(bytes.count) bytes as PNG")
        }
        defer { gdImageDestroy(image) }
        width = Int(image.pointee.sx)
        height = Int(image.pointee.sy)
        var pixels = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { pixels[y * width + x] = UInt32(truncatingIfNeeded: gdImageGetTrueColorPixel(image, Int32(x), Int32(y))) & 0xFFFFFF }
        }
        self.pixels = pixels
    }

    /// The colour at (x, y) (opaque).
    public func color(x: Int, y: Int) -> Color { Color(hex: pixels[y * width + x]) }

    /// Whether any pixel within `radius` of (x, y) is within `tolerance` (per channel) of `color`.
    public func contains(_ color: Color, near x: Int, _ y: Int, radius: Int = 2, tolerance: Int = 40) -> Bool {
        for yy in max(0, y - radius)...min(height - 1, y + radius) {
            for xx in max(0, x - radius)...min(width - 1, x + radius) {
                let c = self.color(x: xx, y: yy)
                if abs(Int(c.red) - Int(color.red)) <= tolerance && abs(Int(c.green) - Int(color.green)) <= tolerance
                    && abs(Int(c.blue) - Int(color.blue)) <= tolerance { return true }
            }
        }
        return false
    }
}
