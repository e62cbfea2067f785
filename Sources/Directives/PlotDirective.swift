import Datasets
import Foundation
import Notebook
import Plot

/// `{plot}` — draws an earlier result: a curve (line or log-log chart), a histogram, or a
/// dataset (scatter of two coordinates coloured by label, or a grid of its images). A thin
/// adapter: it picks the chart for the value's kind, applies titles, log axes and
/// reference lines, and returns the figure.
public enum PlotDirective: Directive {
    public static let name = "plot"
    public static let summary = "draw an earlier curve, histogram or dataset as a line, log-log, histogram, scatter or image-grid chart"

    /// The charts `{plot}` draws; `auto` picks one by the value's type.
    enum Kind: String, CaseIterable, Decodable, ParameterWords {
        case auto, line, loglog, histogram, scatter
        case imageGrid = "image-grid"
    }

    /// How a line chart shows lower/upper.
    enum Errors: String, CaseIterable, Decodable, ParameterWords { case band, bars }
    /// How a histogram shows several groups.
    enum Arrangement: String, CaseIterable, Decodable, ParameterWords { case overlaid, panels }

    public static let parameters = Settings.parameters

    public static var results: [ResultSlot] { [] }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("the result to draw", kinds: [.curve, .histogram, .dataset]) var of: ResultID
        @Param("chart kind; auto: line for a curve, histogram for a histogram, image-grid for images, scatter for other datasets")
        var kind = Kind.auto
        @Param("figure title (default: the result's own title or name)") var title: String?
        @Param("x-axis title (default: the result's)") var xLabel: String?
        @Param("y-axis title (default: the result's)") var yLabel: String?
        @Param("logarithmic x axis (line and scatter)") var logX = false
        @Param("logarithmic y axis (line, scatter and histogram)") var logY = false
        @Param("vertical reference lines at these x values") var vline: [Double]?
        @Param("their labels, one per line (e.g. \"true k = 3\")") var vlineLabel: [String]?
        @Param("horizontal reference lines at these y values") var hline: [Double]?
        @Param("their labels, one per line (e.g. \"h = 0.242\")") var hlineLabel: [String]?
        @Param("loglog: fit a line over this x range [from, to] and show its slope", 1e-300...1e300) var fit: [Double]?
        @Param("line: show lower/upper as a shaded band or error bars") var errors = Errors.band
        @Param("histogram with several groups: overlaid, or one panel each") var arrangement = Arrangement.overlaid
        @Param("scatter: the coordinate on the x axis (from 0)", 0...1_000_000) var x = 0
        @Param("scatter: the coordinate on the y axis (from 0)", 0...1_000_000) var y = 1
        @Param("scatter: at most this many points (a seeded sample)", 1...1_000_000) var points = 5000
        @Param("image-grid: how many images (drawn at random, one label after another)", 1...400) var images = 16
        @Param("image-grid: images per row", 1...40) var columns = 8
    }

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        guard let cell = try? arguments.decode(Settings.self) else { return [] }
        var problems = [ParameterError]()
        for (line, label, values, labels) in [("vline", "vline-label", cell.vline, cell.vlineLabel),
                                              ("hline", "hline-label", cell.hline, cell.hlineLabel)] {
            guard let labels else { continue }
            guard let values else {
                problems.append(ParameterError(label, "`\(label)` labels `\(line)` values; give `\(line)` too"))
                continue
            }
            if labels.count != values.count {
                problems.append(ParameterError(label, "\(labels.count) labels for \(values.count) `\(line)` values; give one per line"))
            }
        }
        if let range = cell.fit, range.count != 2 {
            problems.append(ParameterError("fit", "`fit` is a range [from, to], got \(range.count) numbers"))
        }
        if cell.fit != nil, cell.kind != .loglog {
            problems.append(ParameterError("fit", "`fit` applies to `kind: loglog` only"))
        }
        return problems
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let id = cell.of.id
        guard let value = context.value(id: id) else { throw ParameterError("of", "no result named `\(id)`") }
        var kind = cell.kind
        if kind == .auto {
            switch value {
            case is HistogramValue: kind = .histogram
            case let d as Dataset: kind = d.imageShape != nil ? .imageGrid : .scatter
            default: kind = .line
            }
        }
        let references = referenceLines(cell)
        let chart: any Chart
        let caption: String
        switch (kind, value) {
        case (.line, let curve as CurveValue), (.loglog, let curve as CurveValue):
            (chart, caption) = try curveChart(curve, loglog: kind == .loglog, cell: cell, references: references)
        case (.histogram, let histogram as HistogramValue):
            let chart_ = try HistogramChart(
                title: cell.title ?? histogram.title, xLabel: cell.xLabel ?? histogram.xLabel,
                yLabel: cell.yLabel ?? (histogram.normalized ? "density" : "count"),
                edges: histogram.edges, groups: histogram.groups.map { .init(name: $0.name, values: $0.values) },
                arrangement: cell.arrangement == .panels ? .smallMultiples(columns: nil) : .overlaid,
                referenceLines: references, yScale: cell.logY ? .log : .linear)
            (chart, caption) = (chart_, "\(histogram.title): \(histogram.groups.map(\.name).joined(separator: ", ")).")
        case (.scatter, let dataset as Dataset):
            (chart, caption) = try scatterChart(dataset, cell: cell, references: references, context: context)
        case (.imageGrid, let dataset as Dataset):
            (chart, caption) = try imageGrid(dataset, cell: cell)
        default:
            throw ParameterError("kind", "`kind: \(kind.rawValue)` cannot draw `\(id)`, a \(type(of: value).kind); " + suitableKinds(for: value))
        }
        return CellResult(outputs: [.figure(try Figure(name: kind.rawValue, caption: caption, chart: chart))])
    }

    private static func suitableKinds(for value: any NotebookValue) -> String {
        switch value {
        case is CurveValue: "use `line` or `loglog`"
        case is HistogramValue: "use `histogram`"
        default: "use `scatter` or `image-grid`"
        }
    }

    static func referenceLines(_ cell: Settings) -> [ReferenceLine] {
        var lines = [ReferenceLine]()
        for (values, labels, orientation) in [(cell.vline, cell.vlineLabel, ReferenceLine.Orientation.vertical),
                                              (cell.hline, cell.hlineLabel, .horizontal)] {
            let values = values ?? [], labels = labels ?? []
            for (i, v) in values.enumerated() {
                lines.append(ReferenceLine(orientation, at: v, label: i < labels.count ? labels[i] : nil))
            }
        }
        return lines
    }

    static func curveChart(_ curve: CurveValue, loglog: Bool, cell: Settings,
                           references: [ReferenceLine]) throws -> (any Chart, String) {
        let style: UncertaintyStyle = cell.errors == .bars ? .errorBars : .band
        let series = curve.series.map { LineChart.Series($0, uncertainty: style) }
        let title = cell.title ?? curve.title, xLabel = cell.xLabel ?? curve.xLabel, yLabel = cell.yLabel ?? curve.yLabel
        if loglog {
            var range: ClosedRange<Double>?
            if let bounds = cell.fit {
                guard bounds.count == 2, bounds[0] > 0, bounds[0] < bounds[1] else {
                    throw ParameterError("fit", "`fit` must be [from, to] with 0 < from < to")
                }
                range = bounds[0]...bounds[1]
            }
            let chart = try LogLogChart(title: title, xLabel: xLabel, yLabel: yLabel, series: series, fitRange: range,
                                        referenceLines: references)
            let slopes = chart.fits.map { "\($0.series): slope \(String(format: "%.3f", $0.slope)) over [\(formatNumber($0.range.lowerBound)), \(formatNumber($0.range.upperBound))]" }
            return (chart, "\(curve.title) on log-log axes" + (slopes.isEmpty ? "." : "; " + slopes.joined(separator: "; ") + "."))
        }
        let chart = try LineChart(title: title, xLabel: xLabel, yLabel: yLabel, series: series,
                                  xScale: cell.logX ? .log : .linear, yScale: cell.logY ? .log : .linear,
                                  referenceLines: references)
        let bands = curve.series.contains { $0.lower != nil } ? " Shaded: lower to upper value of each point." : ""
        return (chart, "\(curve.title): \(curve.series.map(\.name).joined(separator: ", ")).\(style == .band ? bands : "")")
    }

    static func scatterChart(_ dataset: Dataset, cell: Settings, references: [ReferenceLine],
                             context: CellContext) throws -> (any Chart, String) {
        let cx = cell.x, cy = cell.y
        for (key, c) in [("x", cx), ("y", cy)] where c >= dataset.dimension {
            throw ParameterError(key, "`\(key): \(c)` is not a coordinate of \(dataset.name), which has \(dataset.dimension) (0…\(dataset.dimension - 1))")
        }
        let limit = cell.points
        var rows = Array(0..<dataset.count)
        if dataset.count > limit {
            var generator = context.generator("sample")
            rows = Array(generator.permutation(dataset.count).prefix(limit)).sorted()
        }
        let x = rows.map { Double(dataset.points[$0, cx]) }, y = rows.map { Double(dataset.points[$0, cy]) }
        let labels = dataset.labels.map { all in rows.map { all[$0] } }
        let chart = try ScatterChart(
            title: cell.title ?? dataset.name, xLabel: cell.xLabel ?? "x" + subscriptDigits(cx + 1),
            yLabel: cell.yLabel ?? "x" + subscriptDigits(cy + 1),
            x: x, y: y, labels: labels.map { $0.map(String.init) }, referenceLines: references)
        let sampled = rows.count < dataset.count ? " (a seeded sample of \(rows.count) of \(dataset.count) points)" : ""
        return (chart, "Coordinates \(cx + 1) and \(cy + 1) of \(dataset.name)\(sampled)" + (labels == nil ? "." : ", coloured by label."))
    }

    static func imageGrid(_ dataset: Dataset, cell: Settings) throws -> (any Chart, String) {
        guard let shape = dataset.imageShape else {
            throw ParameterError("kind", "\(dataset.name) is not a set of images; use `kind: scatter`")
        }
        let count = min(cell.images, dataset.count), columns = cell.columns
        let picked = ImageSample.rows(count, of: dataset)
        let rows = stride(from: 0, to: count, by: columns).map { start in
            ImageGrid.Row(images: picked[start..<min(count, start + columns)].map { Array(dataset.points.row($0)) })
        }
        let chart = try ImageGrid(title: cell.title ?? dataset.name, rows: rows,
                                  imageWidth: shape.width, imageHeight: shape.height)
        let how = dataset.labels == nil ? "drawn at random from its \(dataset.count) rows" : "drawn at random from its \(dataset.count) rows, one label after another"
        return (chart, "\(count) images of \(dataset.name) \(how), \(shape.height)×\(shape.width) pixels, grey levels from the smallest to the largest value.")
    }

    private static func subscriptDigits(_ n: Int) -> String {
        let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        return String(String(n).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }
}
