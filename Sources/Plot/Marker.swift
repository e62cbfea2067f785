import Foundation

/// The shape drawn at each data point.
public enum MarkerShape: String, Sendable, Hashable, CaseIterable {
    // The first five are the original cycle (series 0–4 keep their shapes); five more make
    // ten distinct shapes, one per digit class, so a sixth series no longer repeats the circle.
    case circle, square, triangle, diamond, triangleDown, pentagon, triangleRight, hexagon, star, triangleLeft

    /// The shape of series `index` when markers are chosen automatically.
    public static func automatic(_ index: Int) -> MarkerShape { allCases[index % allCases.count] }

    /// Draws the marker centred at `center` with "radius" `r` (shapes of equal visual weight).
    func draw(at center: Point, radius r: Double, fill: Color, edge: Stroke?, on canvas: Canvas) {
        switch self {
        case .circle:
            canvas.circle(center: center, radius: r, fill: fill, stroke: edge)
        case .square:
            let s = r * 0.9
            canvas.rect(Rect(x: center.x - s, y: center.y - s, width: 2 * s, height: 2 * s), fill: fill, stroke: edge)
        case .triangle, .triangleDown:
            let s = r * 1.25, sign = self == .triangle ? 1.0 : -1.0
            canvas.polygon([Point(center.x, center.y - sign * s),
                            Point(center.x + s * 0.866, center.y + sign * s * 0.5),
                            Point(center.x - s * 0.866, center.y + sign * s * 0.5)], fill: fill, stroke: edge)
        case .diamond:
            let s = r * 1.25
            canvas.polygon([Point(center.x, center.y - s), Point(center.x + s * 0.8, center.y),
                            Point(center.x, center.y + s), Point(center.x - s * 0.8, center.y)], fill: fill, stroke: edge)
        case .triangleRight, .triangleLeft:
            let s = r * 1.25, sign = self == .triangleRight ? 1.0 : -1.0
            canvas.polygon([Point(center.x + sign * s, center.y),
                            Point(center.x - sign * s * 0.5, center.y - s * 0.866),
                            Point(center.x - sign * s * 0.5, center.y + s * 0.866)], fill: fill, stroke: edge)
        case .pentagon:
            canvas.polygon(Self.regular(5, radius: r * 1.1, at: center), fill: fill, stroke: edge)
        case .hexagon:
            canvas.polygon(Self.regular(6, radius: r * 1.05, at: center, turn: .pi / 6), fill: fill, stroke: edge)
        case .star:
            // Five points, inner radius 0.45 of the outer: a star of the circle's visual weight.
            let outer = r * 1.45, inner = outer * 0.45
            let points = (0..<10).map { i -> Point in
                let angle = -Double.pi / 2 + Double(i) * .pi / 5, radius = i % 2 == 0 ? outer : inner
                return Point(center.x + radius * cos(angle), center.y + radius * sin(angle))
            }
            canvas.polygon(points, fill: fill, stroke: edge)
        }
    }

    /// The corners of a regular `sides`-gon of circumradius `radius`, first corner straight up
    /// (turned by `turn` radians).
    private static func regular(_ sides: Int, radius: Double, at center: Point, turn: Double = 0) -> [Point] {
        (0..<sides).map { i in
            let angle = -Double.pi / 2 + turn + 2 * Double.pi * Double(i) / Double(sides)
            return Point(center.x + radius * cos(angle), center.y + radius * sin(angle))
        }
    }
}

/// What a legend row shows beside its label (stroke widths and dashes in line widths).
enum Swatch: Hashable {
    case line(Stroke, marker: MarkerShape?)
    case box(fill: Color, stroke: Stroke?)
    case marker(MarkerShape, Color)
    case band(fill: Color, line: Stroke)
    /// A colour bar: the colours of a sequential scale from its low to its high end.
    case gradient([Color])
}

/// One row of a legend.
struct LegendEntry: Hashable {
    var label: String
    var swatch: Swatch
}

/// Where a legend sits: one of eight spots inside the plot area, or outside on the right
/// when every inside spot would hide data — below the plot instead when a box on the right
/// would take too much of a narrow figure's width.
public enum LegendPlacement: String, Sendable, Hashable, CaseIterable {
    case upperRight, upperLeft, lowerLeft, lowerRight, centerRight, centerLeft, upperCenter, lowerCenter, center
    case outsideRight, outsideBottom

    /// The spots inside the plot area.
    static let inside = allCases.filter { $0 != .outsideRight && $0 != .outsideBottom }

    /// The legend's frame of `size` at this spot of `plot`, `inset` from its edges.
    func frame(size: (width: Double, height: Double), in plot: Rect, inset: Double) -> Rect {
        let left = plot.minX + inset, right = plot.maxX - inset - size.width
        let top = plot.minY + inset, bottom = plot.maxY - inset - size.height
        let midX = plot.midX - size.width / 2, midY = plot.midY - size.height / 2
        let (x, y): (Double, Double) = switch self {
        case .upperRight: (right, top)
        case .upperLeft: (left, top)
        case .lowerLeft: (left, bottom)
        case .lowerRight: (right, bottom)
        case .centerRight: (right, midY)
        case .centerLeft: (left, midY)
        case .upperCenter: (midX, top)
        case .lowerCenter: (midX, bottom)
        case .center: (midX, midY)
        case .outsideRight: (plot.maxX + 2 * inset, top - inset)
        case .outsideBottom: (midX, plot.maxY + inset)
        }
        return Rect(x: x, y: y, width: size.width, height: size.height)
    }
}

/// Measures and draws a legend box.
struct Legend {
    var entries: [LegendEntry]
    /// A heading above the entries ("first latent coordinate, bin"): what the labels are.
    var title: String? = nil
    let theme: Theme
    let canvas: Canvas

    private var titleHeight: Double { title == nil ? 0 : rowHeight }

    private var rowHeight: Double { canvas.measure("Hg", font: theme.legendFont).height * 1.3 }
    private var swatchWidth: Double { theme.legendFont.size * 2.2 }
    private var padding: Double { theme.legendFont.size * 0.55 }

    /// Columns of entries when not the default: a legend below the plot flows across it.
    var columnCount: Int?

    /// Long legends (more than six short entries, e.g. ten digit labels) take two columns.
    private var columns: Int {
        columnCount ?? (entries.count > 6 && entries.allSatisfy({ $0.label.count <= 12 }) ? 2 : 1)
    }

    /// The most columns (entries side by side) that fit `width`, at least one.
    func columnsFitting(width: Double) -> Int {
        var fitting = 1
        for count in stride(from: 2, through: max(1, entries.count), by: 1) {
            var wider = self
            wider.columnCount = count
            guard wider.size.width <= width else { break }
            fitting = count
        }
        return fitting
    }
    private var rows: Int { (entries.count + columns - 1) / columns }
    private var columnWidth: Double {
        let labelWidth = entries.map { canvas.measure($0.label, font: theme.legendFont).width }.max() ?? 0
        return swatchWidth + 0.6 * theme.legendFont.size + labelWidth
    }

    var size: (width: Double, height: Double) {
        let columnGap = theme.legendFont.size
        let titleWidth = title.map { canvas.measure($0, font: theme.panelTitleFont).width } ?? 0
        return (2 * padding + max(titleWidth, Double(columns) * columnWidth + Double(columns - 1) * columnGap),
                2 * padding + titleHeight + Double(rows) * rowHeight)
    }

    func draw(in frame: Rect) {
        canvas.rect(frame, fill: Color.white.withOpacity(0.88), stroke: Stroke(.gray(0.8), width: theme.axisWidth))
        if let title {
            canvas.text(title, at: Point(frame.minX + padding, frame.minY + padding + rowHeight / 2), font: theme.panelTitleFont,
                        color: theme.textColor, anchor: TextAnchor(.leading, .middle))
        }
        for (i, entry) in entries.enumerated() {
            let row = i % rows, column = i / rows
            let midY = frame.minY + padding + titleHeight + (Double(row) + 0.5) * rowHeight
            let x0 = frame.minX + padding + Double(column) * (columnWidth + theme.legendFont.size), x1 = x0 + swatchWidth
            let center = Point((x0 + x1) / 2, midY)
            // Entries store widths and dashes in line widths; the theme sizes them.
            func sized(_ s: Stroke) -> Stroke {
                Stroke(s.color, width: theme.lineWidth * s.width, dash: s.dash.map { $0.map { $0 * theme.lineWidth } })
            }
            switch entry.swatch {
            case .line(let stroke, let marker):
                canvas.line(from: Point(x0, midY), to: Point(x1, midY), stroke: sized(stroke))
                marker?.draw(at: center, radius: theme.markerRadius, fill: stroke.color, edge: nil, on: canvas)
            case .box(let fill, let stroke):
                let h = rowHeight * 0.62
                canvas.rect(Rect(x: x0, y: midY - h / 2, width: swatchWidth, height: h), fill: fill, stroke: stroke.map(sized))
            case .marker(let shape, let color):
                shape.draw(at: center, radius: theme.markerRadius * 1.2, fill: color, edge: nil, on: canvas)
            case .band(let fill, let line):
                let h = rowHeight * 0.62
                canvas.rect(Rect(x: x0, y: midY - h / 2, width: swatchWidth, height: h), fill: fill, stroke: nil)
                canvas.line(from: Point(x0, midY), to: Point(x1, midY), stroke: sized(line))
            case .gradient(let colors):
                let h = rowHeight * 0.62, step = swatchWidth / Double(max(1, colors.count))
                for (k, color) in colors.enumerated() {
                    canvas.rect(Rect(x: x0 + Double(k) * step, y: midY - h / 2, width: step, height: h), fill: color, stroke: nil)
                }
                canvas.rect(Rect(x: x0, y: midY - h / 2, width: swatchWidth, height: h), fill: nil,
                            stroke: Stroke(.gray(0.6), width: theme.axisWidth))
            }
            canvas.text(entry.label, at: Point(x1 + 0.6 * theme.legendFont.size, midY), font: theme.legendFont,
                        color: theme.textColor, anchor: TextAnchor(.leading, .middle))
        }
    }

    /// The inside spot hiding the fewest of `occupied` points (earlier spots win ties,
    /// upper right first, as matplotlib's "best"), and how many it hides.
    static func bestPlacement(size: (width: Double, height: Double), plot: Rect, inset: Double,
                              occupied: [Point]) -> (placement: LegendPlacement, hidden: Int) {
        var best: (LegendPlacement, Int)?
        for placement in LegendPlacement.inside {
            let frame = placement.frame(size: size, in: plot, inset: inset).expanded(by: inset / 2)
            let hidden = occupied.reduce(0) { $0 + (frame.contains($1) ? 1 : 0) }
            if let current = best, hidden >= current.1 { continue }
            best = (placement, hidden)
            if hidden == 0 { break }
        }
        return best ?? (.upperRight, 0)
    }
}
