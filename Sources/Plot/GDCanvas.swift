import CGD
import Foundation

/// A canvas drawn by libgd into a truecolor image, encoded as PNG.
///
/// libgd antialiases only one-pixel lines, so shapes are drawn `supersample` times larger
/// and the image is reduced by an area average (a box filter) at the end. Text
/// (FreeType, antialiased by itself) and images are drawn after the reduction, at the final
/// size, so glyphs keep their hinting and image pixels stay sharp; they are always on top.
public final class GDCanvas: Canvas {
    public let width: Double
    public let height: Double
    private let factor: Double
    private let image: gdImagePtr
    private let faces: FontFiles.Faces
    private var deferredTexts: [(String, Point, Font, Color, TextAnchor, Bool)] = []
    private var deferredImages: [([UInt8], Int, Int, Rect)] = []
    private var metricsCache: [Font: (ascent: Double, descent: Double)] = [:]
    /// Layout measures the same tick labels many times while fitting ticks.
    private var widthCache: [TextKey: Double] = [:]
    private struct TextKey: Hashable { var text: String; var font: Font }
    private var firstError: String?
    private let background: Color

    /// A white canvas of `width`×`height` pixels drawn at `supersample`× (1 turns smoothing off).
    /// Throws when no font is found or libgd cannot allocate the image.
    public init(width: Int, height: Int, supersample: Int = 3, background: Color = .white) throws {
        guard width > 0, height > 0, supersample >= 1 else {
            throw PlotError.invalidArgument("canvas size \(width)×\(height) at \(supersample)× is not drawable")
        }
        faces = try FontFiles.faces.get()
        guard let image = gdImageCreateTrueColor(Int32(width * supersample), Int32(height * supersample)) else {
            throw PlotError.rendering("libgd could not allocate a \(width * supersample)×\(height * supersample) image")
        }
        self.image = image
        self.width = Double(width)
        self.height = Double(height)
        self.factor = Double(supersample)
        self.background = background
        gdImageAlphaBlending(image, 1)
        Self.fill(image, with: Self.gdColor(background))
    }

    /// Sets every pixel to `color` row by row (gdImageFilledRectangle goes pixel by pixel).
    private static func fill(_ image: gdImagePtr, with color: Int32) {
        let width = Int(image.pointee.sx)
        guard let rows = image.pointee.tpixels else { return }
        for y in 0..<Int(image.pointee.sy) { rows[y]?.update(repeating: color, count: width) }
    }

    /// Averages each `factor`×`factor` block of `source` into one pixel of `target` (a box
    /// filter, what gdImageCopyResampled computes for an integer factor, several times faster).
    private static func reduce(_ source: gdImagePtr, into target: gdImagePtr, factor: Int) {
        let width = Int(target.pointee.sx), height = Int(target.pointee.sy)
        guard let sourceRows = source.pointee.tpixels, let targetRows = target.pointee.tpixels else { return }
        let area = UInt32(factor * factor), half = area / 2
        var sums = [UInt32](repeating: 0, count: 3 * width)
        for y in 0..<height {
            for i in sums.indices { sums[i] = 0 }
            for dy in 0..<factor {
                guard let row = sourceRows[y * factor + dy] else { continue }
                sums.withUnsafeMutableBufferPointer { acc in
                    for x in 0..<width {
                        var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                        for dx in 0..<factor {
                            let p = UInt32(bitPattern: row[x * factor + dx])
                            r &+= (p >> 16) & 0xFF; g &+= (p >> 8) & 0xFF; b &+= p & 0xFF
                        }
                        acc[3 * x] &+= r; acc[3 * x + 1] &+= g; acc[3 * x + 2] &+= b
                    }
                }
            }
            guard let out = targetRows[y] else { continue }
            for x in 0..<width {
                let r = (sums[3 * x] + half) / area, g = (sums[3 * x + 1] + half) / area, b = (sums[3 * x + 2] + half) / area
                out[x] = Int32(bitPattern: (r << 16) | (g << 8) | b)
            }
        }
    }

    deinit { gdImageDestroy(image) }

    // MARK: Shapes (supersampled)

    public func line(from start: Point, to end: Point, stroke: Stroke) {
        polyline([start, end], stroke: stroke)
    }

    public func polyline(_ points: [Point], stroke: Stroke) {
        guard points.count >= 2, stroke.color.opacity > 0 else { return }
        if let dash = stroke.dash, dash.count >= 2, dash.allSatisfy({ $0 > 0 }) {
            for piece in Dashing.split(points, pattern: dash.map { $0 }) { solidPolyline(piece, stroke: stroke) }
        } else {
            solidPolyline(points, stroke: stroke)
        }
    }

    private func solidPolyline(_ points: [Point], stroke: Stroke) {
        let color = Self.gdColor(stroke.color)
        let thickness = max(1, Int32((stroke.width * factor).rounded()))
        gdImageSetThickness(image, thickness)
        var previous = scaled(points[0])
        for p in points.dropFirst() {
            let next = scaled(p)
            if next != previous { gdImageLine(image, previous.x, previous.y, next.x, next.y, color) }
            previous = next
        }
        gdImageSetThickness(image, 1)
        // Round joins: thick segments otherwise leave notches at corners. Translucent lines
        // skip them (the overlap would show as darker dots), and so do dense lines, whose
        // segments are shorter than the line is wide (no visible corners, many joins).
        if thickness >= 3, stroke.color.opacity >= 1, points.count <= 1000 {
            for p in points.dropFirst().dropLast() {
                let c = scaled(p)
                gdImageFilledEllipse(image, c.x, c.y, thickness, thickness, color)
            }
        }
    }

    public func polygon(_ points: [Point], fill: Color?, stroke: Stroke?) {
        guard points.count >= 3 else { return }
        var gdPoints = points.map { p -> gdPoint in
            let s = scaled(p)
            return gdPoint(x: s.x, y: s.y)
        }
        if let fill, fill.opacity > 0 {
            gdImageFilledPolygon(image, &gdPoints, Int32(gdPoints.count), Self.gdColor(fill))
        }
        if let stroke, stroke.color.opacity > 0 {
            polyline(points + [points[0]], stroke: stroke)
        }
    }

    public func rect(_ rect: Rect, fill: Color?, stroke: Stroke?) {
        if let fill, fill.opacity > 0 {
            let a = scaled(Point(rect.minX, rect.minY))
            let b = scaled(Point(rect.maxX, rect.maxY))
            if b.x > a.x, b.y > a.y { gdImageFilledRectangle(image, a.x, a.y, b.x - 1, b.y - 1, Self.gdColor(fill)) }
        }
        if let stroke {
            let corners = [Point(rect.minX, rect.minY), Point(rect.maxX, rect.minY),
                           Point(rect.maxX, rect.maxY), Point(rect.minX, rect.maxY)]
            polygon(corners, fill: nil, stroke: stroke)
        }
    }

    public func circle(center: Point, radius: Double, fill: Color?, stroke: Stroke?) {
        let c = scaled(center)
        if let fill, fill.opacity > 0 {
            let d = max(1, Int32((2 * radius * factor).rounded()))
            gdImageFilledEllipse(image, c.x, c.y, d, d, Self.gdColor(fill))
        }
        if let stroke, stroke.color.opacity > 0 {
            let steps = 36
            let ring = (0..<steps).map { i -> Point in
                let t = Double(i) / Double(steps) * 2 * Double.pi
                return Point(center.x + radius * cos(t), center.y + radius * sin(t))
            }
            polygon(ring, fill: nil, stroke: stroke)
        }
    }

    public func clip(to rect: Rect?) {
        if let rect {
            let a = scaled(Point(rect.minX, rect.minY))
            let b = scaled(Point(rect.maxX, rect.maxY))
            gdImageSetClip(image, a.x, a.y, b.x, b.y)
        } else {
            gdImageSetClip(image, 0, 0, image.pointee.sx - 1, image.pointee.sy - 1)
        }
    }

    // MARK: Text and images (final size)

    public func measure(_ text: String, font: Font) -> TextExtent {
        let metrics = fontMetrics(font)
        let key = TextKey(text: text, font: font)
        if let width = widthCache[key] { return TextExtent(width: width, ascent: metrics.ascent, descent: metrics.descent) }
        var width = 0.0
        if !text.isEmpty, let box = boundingBox(text, font: font, scale: 1) { width = Double(box[2] - box[0]) }
        widthCache[key] = width
        return TextExtent(width: width, ascent: metrics.ascent, descent: metrics.descent)
    }

    public func text(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor, rotated: Bool) {
        guard !text.isEmpty else { return }
        deferredTexts.append((text, point, font, color, anchor, rotated))
    }

    public func image(gray pixels: [UInt8], width: Int, height: Int, in rect: Rect) {
        guard width > 0, height > 0, pixels.count == width * height else {
            firstError = firstError ?? "image of \(pixels.count) pixels does not match \(width)×\(height)"
            return
        }
        deferredImages.append((pixels, width, height, rect))
    }

    /// The finished figure as PNG bytes (zlib level `compression`, 1 fastest … 9 smallest).
    /// `indexed` writes a 256-colour palette PNG: a chart has a few flat colours plus their
    /// antialiased edges, so it loses nothing visible and takes about half the bytes of a
    /// truecolor one — what lets the report carry 2× figures for hi-DPI screens and stay
    /// within its size budget. Throws if any drawing call failed or libgd cannot encode.
    public func pngBytes(compression: Int = 9, indexed: Bool = true) throws -> [UInt8] {
        if let firstError { throw PlotError.rendering(firstError) }
        let w = Int32(width), h = Int32(height)
        guard let final = gdImageCreateTrueColor(w, h) else {
            throw PlotError.rendering("libgd could not allocate a \(w)×\(h) image")
        }
        defer { gdImageDestroy(final) }
        gdImageAlphaBlending(final, 1)
        Self.reduce(image, into: final, factor: Int(factor))
        for (pixels, iw, ih, rect) in deferredImages { blit(pixels, width: iw, height: ih, in: rect, onto: final) }
        for (text, point, font, color, anchor, rotated) in deferredTexts {
            try draw(text, at: point, font: font, color: color, anchor: anchor, rotated: rotated, onto: final)
        }
        gdImageSaveAlpha(final, 0)
        let palette = indexed ? Self.indexed(final) : nil
        defer { if let palette { gdImageDestroy(palette) } }
        var size: Int32 = 0
        guard let bytes = gdImagePngPtrEx(palette ?? final, &size, Int32(max(1, min(9, compression)))), size > 0 else {
            throw PlotError.rendering("libgd could not encode the PNG")
        }
        defer { gdFree(bytes) }
        return Array(UnsafeRawBufferPointer(start: bytes, count: Int(size)))
    }

    // MARK: Helpers

    /// A 256-colour copy of `image` (median cut, no dithering, which would speckle flat
    /// fills), its palette then moved to the mean true colour of each entry's pixels; nil
    /// when libgd cannot quantize (the caller writes truecolor). The mean pulls the
    /// background's entry off white (antialiased edges share it): entries within 3 of
    /// white are set to white, so the background stays exactly white.
    private static func indexed(_ image: gdImagePtr) -> gdImagePtr? {
        guard let palette = gdImageCreatePaletteFromTrueColor(image, 0, 256) else { return nil }
        _ = gdImageColorMatch(image, palette)
        let count = Int(palette.pointee.colorsTotal)
        withUnsafeMutablePointer(to: &palette.pointee.red) { red in
            withUnsafeMutablePointer(to: &palette.pointee.green) { green in
                withUnsafeMutablePointer(to: &palette.pointee.blue) { blue in
                    let channels = [red, green, blue].map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Int32.self) }
                    for i in 0..<count where channels.allSatisfy({ $0[i] >= 252 }) {
                        for channel in channels { channel[i] = 255 }
                    }
                }
            }
        }
        return palette
    }

    private func scaled(_ p: Point) -> (x: Int32, y: Int32) {
        // Clamp far-away points (clipped data) so Int32 conversion cannot trap.
        let limit = 1e7
        return (Int32(max(-limit, min(limit, p.x * factor)).rounded()), Int32(max(-limit, min(limit, p.y * factor)).rounded()))
    }

    static func gdColor(_ c: Color) -> Int32 {
        let alpha = Int32((max(0, min(1, 1 - c.opacity)) * 127).rounded())
        return (alpha << 24) | (Int32(c.red) << 16) | (Int32(c.green) << 8) | Int32(c.blue)
    }

    private func fontPath(_ font: Font) -> String { font.bold ? faces.bold : faces.regular }

    /// libgd measures in points at 96 dpi: a pixel size is 0.75 of that in points.
    private func points(_ font: Font, scale: Double) -> Double { font.size * 0.75 * scale }

    private func boundingBox(_ text: String, font: Font, scale: Double) -> [Int32]? {
        var box = [Int32](repeating: 0, count: 8)
        let error = gdImageStringFT(nil, &box, 0, fontPath(font), points(font, scale: scale), 0, 0, 0, text)
        if let error {
            firstError = firstError ?? "measuring text “\(text)”: \(String(cString: error))"
            return nil
        }
        return box
    }

    private func fontMetrics(_ font: Font) -> (ascent: Double, descent: Double) {
        if let m = metricsCache[font] { return m }
        // Tall and deep glyphs give the line's ascent and descent, shared by every label.
        let m: (ascent: Double, descent: Double)
        if let box = boundingBox("ÁÉHgjpqy(|)", font: font, scale: 1) {
            m = (Double(-min(box[5], box[7])), Double(max(box[1], box[3])))
        } else {
            m = (0.93 * font.size, 0.24 * font.size)
        }
        metricsCache[font] = m
        return m
    }

    private func draw(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor,
                      rotated: Bool, onto target: gdImagePtr) throws {
        let extent = measure(text, font: font)
        let (along, down) = anchor.baselineOffset(for: extent)
        let origin = rotated ? Point(point.x + down, point.y - along) : Point(point.x + along, point.y + down)
        var box = [Int32](repeating: 0, count: 8)
        let error = gdImageStringFT(target, &box, Self.gdColor(color), fontPath(font), points(font, scale: 1),
                                    rotated ? Double.pi / 2 : 0, Int32(origin.x.rounded()), Int32(origin.y.rounded()), text)
        if let error { throw PlotError.rendering("drawing text “\(text)”: \(String(cString: error))") }
    }

    private func blit(_ pixels: [UInt8], width iw: Int, height ih: Int, in rect: Rect, onto target: gdImagePtr) {
        guard let source = gdImageCreateTrueColor(Int32(iw), Int32(ih)) else { return }
        defer { gdImageDestroy(source) }
        for row in 0..<ih {
            for column in 0..<iw {
                let v = Int32(pixels[row * iw + column])
                gdImageSetPixel(source, Int32(column), Int32(row), (v << 16) | (v << 8) | v)
            }
        }
        let x = Int32(rect.minX.rounded()), y = Int32(rect.minY.rounded())
        let w = Int32(rect.maxX.rounded()) - x, h = Int32(rect.maxY.rounded()) - y
        guard w > 0, h > 0 else { return }
        gdImageCopyResized(target, source, x, y, 0, 0, w, h, Int32(iw), Int32(ih))
    }
}

/// Splits a polyline into the "on" pieces of a dash pattern (lengths in pixels).
enum Dashing {
    static func split(_ points: [Point], pattern: [Double]) -> [[Point]] {
        var pieces = [[Point]]()
        var current = [Point]()
        var index = 0
        var remaining = pattern[0]
        var on = true
        if on { current.append(points[0]) }
        for k in 1..<points.count {
            var a = points[k - 1]
            let b = points[k]
            var length = hypot(b.x - a.x, b.y - a.y)
            while length > remaining {
                let t = remaining / length
                let cut = Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
                if on {
                    current.append(cut)
                    pieces.append(current)
                    current = []
                } else {
                    current = [cut]
                }
                on.toggle()
                length -= remaining
                a = cut
                index = (index + 1) % pattern.count
                remaining = pattern[index]
            }
            remaining -= length
            if on { current.append(b) }
        }
        if on, current.count >= 2 { pieces.append(current) }
        return pieces
    }
}
