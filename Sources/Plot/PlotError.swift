/// Why a chart cannot be drawn. Each message says what to change.
public enum PlotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A series, group or image list with no values.
    case emptySeries(String)
    /// Arrays that must have one entry per point differ in length.
    case lengthMismatch(String)
    /// Every value is NaN/∞ (or non-positive on a log axis): nothing to draw.
    case noDrawableData(String)
    /// A parameter outside what the chart accepts (bin edges not ascending, …).
    case invalidArgument(String)
    /// No TrueType font was found at any of the searched paths.
    case fontNotFound(searched: [String])
    /// libgd failed (allocation, PNG encoding, font rendering).
    case rendering(String)

    public var description: String {
        switch self {
        case .emptySeries(let name): "series \(name) has no points; give at least one (x, y) pair"
        case .lengthMismatch(let message): message
        case .noDrawableData(let message): message
        case .invalidArgument(let message): message
        case .fontNotFound(let paths):
            "no DejaVu Sans font found (looked at \(paths.joined(separator: ", "))); install fonts-dejavu-core or set ENTROPYBOOK_FONT to a .ttf file"
        case .rendering(let message): "drawing failed: \(message)"
        }
    }
}
