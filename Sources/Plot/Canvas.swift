/// The drawing protocol every chart draws through, in figure pixels (origin top-left).
///
/// Two implementations: `GDCanvas` renders with libgd (supersampled, then resampled for
/// smooth lines and markers) and `RecordingCanvas` records the calls, so chart logic is
/// testable without pixels (the separation of plotters' DrawingBackend).
public protocol Canvas: AnyObject {
    /// Width and height of the figure in pixels.
    var width: Double { get }
    var height: Double { get }
    func line(from start: Point, to end: Point, stroke: Stroke)
    /// Connected segments through `points` (no closing segment).
    func polyline(_ points: [Point], stroke: Stroke)
    /// A closed polygon, filled and/or outlined.
    func polygon(_ points: [Point], fill: Color?, stroke: Stroke?)
    func rect(_ rect: Rect, fill: Color?, stroke: Stroke?)
    func circle(center: Point, radius: Double, fill: Color?, stroke: Stroke?)
    /// The extent of `text` in `font` (UTF-8, one line).
    func measure(_ text: String, font: Font) -> TextExtent
    /// Draws one line of text with its `anchor` at `point`; `rotated` turns it a quarter
    /// turn counter-clockwise (reading upwards, for a y-axis title).
    func text(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor, rotated: Bool)
    /// Restricts later drawing (except text and images) to `rect`; `nil` lifts the clip.
    func clip(to rect: Rect?)
    /// A grayscale image, `width`×`height` pixels row-major (0 black, 255 white), scaled
    /// into `rect` with nearest-neighbour sampling so pixels stay sharp.
    func image(gray pixels: [UInt8], width: Int, height: Int, in rect: Rect)
}

extension Canvas {
    func text(_ text: String, at point: Point, font: Font, color: Color, anchor: TextAnchor) {
        self.text(text, at: point, font: font, color: color, anchor: anchor, rotated: false)
    }
}
