/// A point in figure pixels: origin at the top-left corner, y growing downwards.
public struct Point: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in figure pixels.
public struct Rect: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public var minX: Double { x }
    public var maxX: Double { x + width }
    public var minY: Double { y }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public func contains(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
    public func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
    /// The rectangle grown by `d` on every side (shrunk when `d` is negative).
    public func expanded(by d: Double) -> Rect { Rect(x: x - d, y: y - d, width: width + 2 * d, height: height + 2 * d) }
}

/// An sRGB colour with opacity (1 = opaque).
public struct Color: Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    public var opacity: Double
    public init(red: UInt8, green: UInt8, blue: UInt8, opacity: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.opacity = opacity
    }
    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32, opacity: Double = 1) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF), opacity: opacity)
    }
    /// The same colour with another opacity.
    public func withOpacity(_ opacity: Double) -> Color { Color(red: red, green: green, blue: blue, opacity: opacity) }
    /// Grey of level `level` in 0...1 (0 black).
    public static func gray(_ level: Double) -> Color {
        let v = UInt8(max(0, min(255, (level * 255).rounded())))
        return Color(red: v, green: v, blue: v)
    }
    public static let white = Color(hex: 0xFFFFFF)
    public static let black = Color(hex: 0x000000)
    /// "#RRGGBB", for tests and messages.
    public var hexString: String {
        "#" + [red, green, blue].map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined()
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// How a line is drawn: colour, width in pixels, optional dash pattern (on, off, … pixels).
public struct Stroke: Hashable, Sendable {
    public var color: Color
    public var width: Double
    public var dash: [Double]?
    public init(_ color: Color, width: Double = 1, dash: [Double]? = nil) {
        self.color = color
        self.width = width
        self.dash = dash
    }
}

/// A text face: DejaVu Sans at `size` pixels (em height), regular or bold.
public struct Font: Hashable, Sendable {
    public var size: Double
    public var bold: Bool
    public init(size: Double, bold: Bool = false) { self.size = size; self.bold = bold }
}

/// The measured extent of a line of text: advance width, and the font's ascent and
/// descent (the same for every string of one font, so labels share a baseline).
public struct TextExtent: Hashable, Sendable {
    public var width: Double
    public var ascent: Double
    public var descent: Double
    public init(width: Double, ascent: Double, descent: Double) {
        self.width = width
        self.ascent = ascent
        self.descent = descent
    }
    public var height: Double { ascent + descent }
}

/// Which point of a text's box sits at the given position.
public struct TextAnchor: Hashable, Sendable {
    public enum Horizontal: Hashable, Sendable { case leading, center, trailing }
    public enum Vertical: Hashable, Sendable { case top, middle, baseline, bottom }
    public var horizontal: Horizontal
    public var vertical: Vertical
    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal
        self.vertical = vertical
    }

    /// Offsets from the anchor point to the start of the baseline, in the text's own frame
    /// (along the text, and down from the anchor to the baseline).
    func baselineOffset(for extent: TextExtent) -> (along: Double, down: Double) {
        let along: Double = switch horizontal {
        case .leading: 0
        case .center: -extent.width / 2
        case .trailing: -extent.width
        }
        let down: Double = switch vertical {
        case .top: extent.ascent
        case .middle: (extent.ascent - extent.descent) / 2
        case .baseline: 0
        case .bottom: -extent.descent
        }
        return (along, down)
    }

    /// The box a text of `extent` occupies when anchored at `point` (unrotated), or rotated
    /// a quarter turn counter-clockwise.
    func frame(of extent: TextExtent, at point: Point, rotated: Bool) -> Rect {
        let (along, down) = baselineOffset(for: extent)
        if rotated {
            // Text runs upwards; "down" in the text's frame is +x on the figure.
            return Rect(x: point.x + down - extent.ascent, y: point.y - along - extent.width,
                        width: extent.height, height: extent.width)
        }
        return Rect(x: point.x + along, y: point.y + down - extent.ascent, width: extent.width, height: extent.height)
    }
}
