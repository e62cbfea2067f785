/// A canvas that records every drawing call instead of drawing, for tests of chart logic.
///
/// Text is measured with fixed approximate metrics of DejaVu Sans (0.6 em per character),
/// so layouts are deterministic and need no font file.
public final class RecordingCanvas: Canvas {
    /// One recorded call.
    public enum Operation: Hashable, Sendable {
        case line(Point, Point, Stroke)
        case polyline([Point], Stroke)
        case polygon([Point], fill: Color?, stroke: Stroke?)
        case rect(Rect, fill: Color?, stroke: Stroke?)
        case circle(Point, radius: Double, fill: Color?, stroke: Stroke?)
        case text(String, at: Point, font: Font, color: Color, anchor: TextAnchor, rotated: Bool)
        case clip(Rect?)
        case image(width: Int, height: Int, in: Rect)
    }

    public let width: Double
    public let height: Double
    /// Every call, in order.
    public private(set) var operations: [Operation] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A canvas of the CSS size of `size` (its layout, at 1 pixel per CSS pixel).
    public convenience init(size: FigureSize) {
        self.init(width: Double(size.layout.width), height: Double(size.layout.height))
    }

    /// The strings of every text call, in order.
    public var texts: [String] {
        operations.compactMap { if case .text(let s, _, _, _, _, _) = $0 { s } else { nil } }
    }

    /// The frame of every text call, with its string.
    public var textFrames: [(text: String, frame: Rect)] {
        operations.compactMap {
            guard case .text(let s, let p, let font, _, let anchor, let rotated) = $0 else { return nil }
            return (s, anchor.frame(of: measure(s, font: font), at: p, rotated: rotated))
        }
    }

    public func line(from start: Point, to end: Point, stroke: Stroke) { operations.append(.line(start, end, stroke)) }
    public func polyline(_ points: [Point], stroke: Stroke) { operations.append(.polyline(points, stroke)) }
    public func polygon(_ points: [Point], fill: Color?, stroke: Stroke?) {
        operations.append(.polygon(points, fill: fill, stroke: stroke))
    }
    public func rect(_ rect: Rect, fill: Color?, stroke: Stroke?) { operations.append(.rect(rect, fill: fill, stroke: stroke)) }
    public func circle(center: Point, radius: Double, fill: Color?, stroke: Stroke?) {
        operations.append(.circle(center, radius: radius, fill: fill, stroke: stroke))
    }
    public func measure(_ text: String, font: Font) -> TextExtent {
        TextExtent(width: 0.6 * font.size * Double(text.count), ascent: 0.93 * font.size, descent: 0.24 * font.size)
    }
    public func text(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor, rotated: Bool) {
        operations.append(.text(text, at: point, font: font, color: color, anchor: anchor, rotated: rotated))
    }
    public func clip(to rect: Rect?) { operations.append(.clip(rect)) }
    public func image(gray pixels: [UInt8], width: Int, height: Int, in rect: Rect) {
        operations.append(.image(width: width, height: height, in: rect))
    }
}
