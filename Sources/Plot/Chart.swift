/// The sizes every figure is drawn at: for the HTML report on a desktop and on a phone,
/// and for slides.
public enum FigureSize: String, Sendable, CaseIterable {
    /// 900×560 CSS px, for the report's figure column on a desktop.
    case report
    /// 360×340 CSS px, for a phone's column (~340 px at 390 px): laid out for that width,
    /// so its type is 2.5× larger relative to the figure and its axes get fewer ticks — the
    /// report's figure shrunk to a phone's width has ~5 px tick labels.
    case narrow
    /// 1600×1000 px with larger type, for slides.
    case slide

    /// Width and height in CSS pixels: the size the figure is laid out for.
    public var layout: (width: Int, height: Int) {
        switch self {
        case .report: (900, 560)
        case .narrow: (360, 340)
        case .slide: (1600, 1000)
        }
    }

    /// PNG pixels per CSS pixel. The report's figures are drawn at 2× so they stay sharp
    /// on hi-DPI screens (phones, most laptops); the slide is already larger than most
    /// screens it is shown on.
    public var density: Int {
        switch self {
        case .report, .narrow: 2
        case .slide: 1
        }
    }

    /// Width and height of the PNG in pixels.
    public var pixels: (width: Int, height: Int) { (layout.width * density, layout.height * density) }
}

/// Anything that can be drawn to a PNG and exported as the data behind it.
///
/// This is the contract the notebook runner relies on; the chart types of this module
/// (line, histogram, scatter, log-log, image grid, small multiples) conform to it.
public protocol Chart: Sendable {
    /// The chart as PNG bytes at `size`.
    func png(size: FigureSize) throws -> [UInt8]
    /// The data behind the chart as CSV (header line first), written beside each PNG.
    func csv() -> String
}
