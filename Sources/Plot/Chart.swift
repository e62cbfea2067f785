/// The two sizes every figure is drawn at: for the HTML report and for slides.
public enum FigureSize: String, Sendable, CaseIterable {
    /// About 900×560 px, for the report.
    case report
    /// 1600×1000 px with larger type, for slides.
    case slide

    /// Width and height in pixels.
    public var pixels: (width: Int, height: Int) {
        switch self {
        case .report: (900, 560)
        case .slide: (1600, 1000)
        }
    }
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
