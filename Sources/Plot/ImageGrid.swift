/// Grayscale images in a grid: rows of images with an optional label at the left of each
/// row (e.g. 8 originals above their 8 reconstructions). Pixels are drawn sharp (nearest
/// neighbour) at an integer magnification when there is room. Its PNG is as wide as the
/// figure size and only as tall as the grid needs.
public struct ImageGrid: DrawableChart {
    /// One row of images, each `width × height` values row-major.
    public struct Row: Sendable, Hashable {
        public var label: String?
        public var images: [[Float]]
        public init(label: String? = nil, images: [[Float]]) { self.label = label; self.images = images }
    }

    public var title: String?
    public var rows: [Row]
    public var imageWidth: Int
    public var imageHeight: Int
    /// Values mapped to black…white; nil: the minimum and maximum over all images.
    public var valueRange: ClosedRange<Float>?
    /// How much taller than its figure size a grid's PNG may grow.
    static let tallestAspect = 1.5

    /// Throws when there are no images, or an image's size is not `width × height`.
    public init(title: String? = nil, rows: [Row], imageWidth: Int, imageHeight: Int,
                valueRange: ClosedRange<Float>? = nil) throws {
        guard imageWidth > 0, imageHeight > 0 else {
            throw PlotError.invalidArgument("image size must be positive, got \(imageWidth)×\(imageHeight)")
        }
        guard rows.contains(where: { !$0.images.isEmpty }) else { throw PlotError.emptySeries("of images") }
        for (r, row) in rows.enumerated() {
            for (c, image) in row.images.enumerated() where image.count != imageWidth * imageHeight {
                throw PlotError.lengthMismatch("image \(c + 1) of row \(r + 1) has \(image.count) pixels, not \(imageWidth)×\(imageHeight) = \(imageWidth * imageHeight)")
            }
        }
        self.title = title
        self.rows = rows
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.valueRange = valueRange
    }

    /// Sizes of the grid drawn on a `width`×`height` canvas.
    private struct Geometry {
        var titleH: Double, labelW: Double, noteH: Double, cell: Double, gridW: Double, gridH: Double
        /// The height the grid needs: a short grid (two rows of eight) needs far less than the figure.
        var neededHeight: Double
    }

    private func geometry(on canvas: Canvas, theme: Theme, notes: [String]) throws -> Geometry {
        let titleH = title.map { canvas.measure($0, font: theme.titleFont).height + theme.gap * 2 } ?? 0
        let labelW = rows.compactMap(\.label).map { canvas.measure($0, font: theme.labelFont).width }.max().map { $0 + 2 * theme.gap } ?? 0
        let noteH = notes.isEmpty ? 0 : canvas.measure(notes[0], font: theme.noteFont).height + theme.gap
        let columns = rows.map(\.images.count).max() ?? 1
        let gap = theme.gap
        let areaW = canvas.width - 2 * theme.padding - labelW
        let areaH = canvas.height - 2 * theme.padding - titleH - noteH
        var cell = min((areaW - Double(columns - 1) * gap) / Double(columns) / Double(imageWidth),
                       (areaH - Double(rows.count - 1) * gap) / Double(rows.count) / Double(imageHeight))
        guard cell > 0 else { throw PlotError.invalidArgument("\(rows.count)×\(columns) images do not fit the figure") }
        if cell >= 1 { cell = (cell + 1e-9).rounded(.down) } // whole-pixel magnification keeps pixels even
        let gridW = labelW + Double(columns) * cell * Double(imageWidth) + Double(columns - 1) * gap
        let gridH = Double(rows.count) * cell * Double(imageHeight) + Double(rows.count - 1) * gap
        return Geometry(titleH: titleH, labelW: labelW, noteH: noteH, cell: cell, gridW: gridW, gridH: gridH,
                        neededHeight: (2 * theme.padding + titleH + noteH + gridH).rounded(.up))
    }

    private var nonFiniteCount: Int { rows.flatMap { $0.images.flatMap { $0 } }.filter { !$0.isFinite }.count }
    private var notes: [String] {
        let n = nonFiniteCount
        return n > 0 ? ["\(n) NaN/∞ pixel value\(n == 1 ? "" : "s") shown black"] : []
    }

    /// The grid as PNG: full width, and only as tall as the grid needs, so a short grid
    /// does not sit in a band of white. A tall grid (ten rows of digits) may take up to
    /// `tallestAspect` times the figure's height: squeezed into the figure's frame it
    /// filled a quarter of it.
    public func png(size: FigureSize) throws -> [UInt8] {
        let theme = Theme(size), (width, height) = size.pixels
        let tallest = Int(Double(height) * Self.tallestAspect)
        let probe = try GDCanvas(width: 1, height: 1, supersample: 1)
        let full = try geometry(on: FixedSizeProbe(probe, width: Double(width), height: Double(tallest)), theme: theme, notes: notes)
        let canvas = try GDCanvas(width: width, height: min(tallest, Int(full.neededHeight)), supersample: 1)
        _ = try draw(on: canvas, theme: theme)
        return try canvas.pngBytes()
    }

    public func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout {
        let all = rows.flatMap { $0.images.flatMap { $0 } }.filter(\.isFinite)
        let range = valueRange ?? ((all.min() ?? 0)...(all.max() ?? 1))
        let span = range.upperBound > range.lowerBound ? range.upperBound - range.lowerBound : 1
        let notes = self.notes
        let g = try geometry(on: canvas, theme: theme, notes: notes)
        let gap = theme.gap, labelW = g.labelW, titleH = g.titleH
        let w = g.cell * Double(imageWidth), h = g.cell * Double(imageHeight)
        let areaH = canvas.height - 2 * theme.padding - titleH - g.noteH
        let x0 = (canvas.width - g.gridW) / 2 + labelW
        let y0 = theme.padding + titleH + max(0, areaH - g.gridH) / 2

        if let title {
            canvas.text(title, at: Point((canvas.width) / 2, theme.padding), font: theme.titleFont, color: theme.textColor,
                        anchor: TextAnchor(.center, .top))
        }
        for (r, row) in rows.enumerated() {
            let y = y0 + Double(r) * (h + gap)
            if let label = row.label {
                canvas.text(label, at: Point(x0 - 2 * gap, y + h / 2), font: theme.labelFont, color: theme.textColor,
                            anchor: TextAnchor(.trailing, .middle))
            }
            for (c, image) in row.images.enumerated() {
                let pixels = image.map { v -> UInt8 in
                    guard v.isFinite else { return 0 }
                    return UInt8(max(0, min(255, ((v - range.lowerBound) / span * 255).rounded())))
                }
                let frame = Rect(x: x0 + Double(c) * (w + gap), y: y, width: w, height: h)
                canvas.image(gray: pixels, width: imageWidth, height: imageHeight, in: frame)
                canvas.rect(frame, fill: nil, stroke: Stroke(.gray(0.75), width: theme.axisWidth))
            }
        }
        if !notes.isEmpty {
            canvas.text(notes[0], at: Point(theme.padding, canvas.height - theme.padding), font: theme.noteFont,
                        color: theme.noteColor, anchor: TextAnchor(.leading, .bottom))
        }
        return ChartLayout(notes: notes, skippedNonFinite: nonFiniteCount)
    }

    /// One row per image: `row,column,label,p0,p1,…` (pixels row-major).
    public func csv() -> String {
        let header = ["row", "column", "label"] + (0..<(imageWidth * imageHeight)).map { "p\($0)" }
        var lines = [[String]]()
        for (r, row) in rows.enumerated() {
            for (c, image) in row.images.enumerated() {
                lines.append([String(r), String(c), row.label ?? ""] + image.map { CSV.number(Double($0)) })
            }
        }
        return CSV.lines(header: header, rows: lines)
    }
}

/// A canvas that measures text with another canvas but reports its own size (to lay out a
/// figure before allocating its image).
final class FixedSizeProbe: Canvas {
    let base: Canvas
    let width: Double
    let height: Double
    init(_ base: Canvas, width: Double, height: Double) { self.base = base; self.width = width; self.height = height }
    func line(from start: Point, to end: Point, stroke: Stroke) {}
    func polyline(_ points: [Point], stroke: Stroke) {}
    func polygon(_ points: [Point], fill: Color?, stroke: Stroke?) {}
    func rect(_ rect: Rect, fill: Color?, stroke: Stroke?) {}
    func circle(center: Point, radius: Double, fill: Color?, stroke: Stroke?) {}
    func measure(_ text: String, font: Font) -> TextExtent { base.measure(text, font: font) }
    func text(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor, rotated: Bool) {}
    func clip(to rect: Rect?) {}
    func image(gray pixels: [UInt8], width: Int, height: Int, in rect: Rect) {}
}
