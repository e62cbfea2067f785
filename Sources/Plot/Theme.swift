/// Sizes of type, lines and spacing for one figure size. Slides get larger type relative
/// to the figure (read from the back of a room), so fonts scale by 2× while the figure
/// grows by 1.78×; the narrow (phone) figure keeps the report's type in CSS px on a
/// figure 2.5× narrower, so its type is 2.5× larger relative to it.
public struct Theme: Sendable, Hashable {
    /// Multiplier applied to every length below (1 for the report).
    public var scale: Double
    /// Shapes are drawn this many times larger and resampled (libgd antialiases only 1-px lines).
    public var supersample: Int

    public init(scale: Double, supersample: Int) {
        self.scale = scale
        self.supersample = supersample
    }

    /// The theme of a figure size, at `density` pixels per CSS pixel (the size's own
    /// density when nil; 1 lays the figure out in CSS pixels, as the recording canvas does).
    /// Every length scales with the density, so a 2× figure is the 1× one drawn sharper.
    public init(_ size: FigureSize, density: Int? = nil) {
        let density = Double(density ?? size.density)
        switch size {
        // Shapes are drawn at 3 device pixels per CSS pixel before resampling, whatever
        // the density: 3× at 1×, 2× at 2× (supersample × density ≥ 3).
        case .report, .narrow: self.init(scale: density, supersample: density >= 2 ? 2 : 3)
        case .slide: self.init(scale: 2 * density, supersample: 2)
        }
    }

    public var titleFont: Font { Font(size: 16 * scale, bold: true) }
    public var labelFont: Font { Font(size: 14 * scale) }
    public var tickFont: Font { Font(size: 12.5 * scale) }
    public var legendFont: Font { Font(size: 12.5 * scale) }
    public var panelTitleFont: Font { Font(size: 13 * scale, bold: true) }
    public var noteFont: Font { Font(size: 11.5 * scale) }
    /// Width of data lines.
    public var lineWidth: Double { 2 * scale }
    /// Width of axes, ticks and frames.
    public var axisWidth: Double { 1 * scale }
    public var markerRadius: Double { 3.6 * scale }
    public var tickLength: Double { 5 * scale }
    /// Outer margin of the figure and the basic gap between elements.
    public var padding: Double { 10 * scale }
    public var gap: Double { 5 * scale }

    public var axisColor: Color { .gray(0.15) }
    public var gridColor: Color { .gray(0.9) }
    public var textColor: Color { .gray(0.1) }
    public var noteColor: Color { .gray(0.4) }
    public var referenceColor: Color { .gray(0.3) }
}

/// Colour-blind-safe colours that every reader can see on the white plot area: the hues of
/// the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), each darkened (its
/// linear RGB scaled down) until it has at least 3 : 1 contrast against white, the minimum
/// WCAG 2.1 (1.4.11, non-text contrast) asks of chart lines. The lightness of each darkened
/// hue, and the order, were chosen so that the eight stay apart under protanopia and
/// deuteranopia as well as in normal vision: every pair at least ΔE*ab 10, the first four
/// (most charts) at least 30, after the Machado et al. (2009) simulation
/// (PaletteAccessibilityTests computes both). Orange becomes a brown and yellow
/// an olive; the original light orange, sky blue and yellow are 2.3, 2.3 and 1.3 : 1 on
/// white. Beyond colour, series differ by dash (`dash`) or marker (WCAG 1.4.1).
public enum Palette {
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), // blue (5.2 : 1)
        Color(hex: 0xC95800), // vermillion, a little darker (4.3 : 1)
        Color(hex: 0x009E73), // bluish green (3.4 : 1)
        Color(hex: 0x000000), // black: fourth, the four most distinct under protanopia
        Color(hex: 0xCC79A7), // reddish purple (3.06 : 1)
        Color(hex: 0x7E5500), // orange darkened to a brown (6.6 : 1)
        Color(hex: 0x499BCA), // sky blue, darkened (3.1 : 1)
        Color(hex: 0x918924), // yellow darkened to an olive (3.6 : 1)
    ]
    /// Ten categories (digit labels): the palette above plus grey and wine, both ≥ 3 : 1 on
    /// white. Beyond eight, colour alone is not colour-blind safe; scatter charts give every
    /// category a marker shape too.
    public static let categorical: [Color] = okabeIto + [Color(hex: 0x767676), Color(hex: 0x882255)]

    /// The colour of series `index` (cycles).
    public static func color(_ index: Int) -> Color { okabeIto[index % okabeIto.count] }
    /// Viridis (van der Walt & Smith 2015): perceptually uniform, readable in grey and with
    /// colour-vision deficiencies. Stops at 0, ¼, ½, ¾, 1; the light end is cut (see `ordered`).
    static let viridis: [Color] = [Color(hex: 0x440154), Color(hex: 0x3B528B), Color(hex: 0x21918C),
                                   Color(hex: 0x5EC962), Color(hex: 0xFDE725)]
    /// Where `ordered` ends on viridis: the lightest point still at 3 : 1 on white (0.56 is
    /// #309E82, 3.3 : 1; 0.6 would fall to 3.0 : 1).
    static let orderedEnd = 0.56

    /// Colour `index` of `count` ordered classes (bins of a continuous variable): a
    /// sequential ramp, dark to light, so order reads as order — a categorical palette
    /// would give bins 1 and 6 unrelated (or, cycling, equal) colours. Ends at
    /// `orderedEnd` of viridis, the last colour with 3 : 1 contrast on white; its lightness
    /// rises monotonically, so the order also reads in grey.
    public static func ordered(_ index: Int, of count: Int) -> Color {
        let t = count > 1 ? orderedEnd * Double(min(max(index, 0), count - 1)) / Double(count - 1) : 0
        let position = t * Double(viridis.count - 1)
        let i = min(Int(position), viridis.count - 2), f = position - Double(i)
        let a = viridis[i], b = viridis[i + 1]
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * f).rounded()) }
        return Color(red: mix(a.red, b.red), green: mix(a.green, b.green), blue: mix(a.blue, b.blue))
    }

    /// The colour of category `index` (cycles through ten).
    public static func category(_ index: Int) -> Color { categorical[index % categorical.count] }
    /// Dash patterns (in line widths): solid, dashed, dotted, dash-dot. Every series after
    /// the first gets one, so where two lines coincide the later one still shows (its gaps
    /// reveal the earlier line) and the pairs (colour, dash) stay distinct past eight series.
    public static let dashes: [[Double]?] = [nil, [4, 2], [1.2, 1.8], [6, 2, 1.2, 2]]

    /// The dash pattern of series `index`.
    public static func dash(_ index: Int) -> [Double]? { dashes[(index + index / okabeIto.count) % dashes.count] }
}
