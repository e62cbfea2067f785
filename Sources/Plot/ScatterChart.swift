/// Points coloured by label (2-D codes of digits, a dataset's first two coordinates), with
/// a legend of the labels. Colours come from `Palette.categorical` and every label also has
/// its own marker shape (ten distinct, then cycling), so classes stay distinguishable without
/// colour vision.
public struct ScatterChart: DrawableChart {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var x: [Double]
    public var y: [Double]
    /// One label per point (nil: one colour, no legend).
    public var labels: [String]?
    public var referenceLines: [ReferenceLine]
    /// What the labels are, shown above them in the legend ("generator's t, bin").
    public var legendTitle: String?
    /// The labels are ordered bins of a continuous variable, not classes: a sequential
    /// palette (dark to light, `Palette.ordered`) instead of the categorical one.
    public var orderedLabels = false

    /// Throws for no points or arrays of different lengths.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, x: [Double], y: [Double],
                labels: [String]? = nil, referenceLines: [ReferenceLine] = []) throws {
        guard !x.isEmpty else { throw PlotError.emptySeries("of the scatter plot") }
        guard x.count == y.count else { throw PlotError.lengthMismatch("scatter plot has \(x.count) x values but \(y.count) y values") }
        if let labels, labels.count != x.count {
            throw PlotError.lengthMismatch("scatter plot has \(x.count) points but \(labels.count) labels")
        }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.labels = labels
        self.referenceLines = referenceLines
    }

    /// Integer labels (digit classes) are shown as numbers, in numeric order.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, x: [Double], y: [Double],
                labels: [Int], referenceLines: [ReferenceLine] = []) throws {
        try self.init(title: title, xLabel: xLabel, yLabel: yLabel, x: x, y: y, labels: labels.map(String.init),
                      referenceLines: referenceLines)
    }

    /// The distinct labels in display order: numeric order when all are integers, else first appearance.
    var classes: [String] {
        guard let labels else { return [] }
        var seen = Set<String>(), order = [String]()
        for l in labels where seen.insert(l).inserted { order.append(l) }
        if order.allSatisfy({ Int($0) != nil }) { return order.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) } }
        return order
    }

    public func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout {
        // Many points: smaller and translucent so dense regions show their density.
        let opacity = x.count > 2000 ? 0.55 : (x.count > 300 ? 0.75 : 0.9)
        let radiusScale = x.count > 2000 ? 0.7 : (x.count > 300 ? 0.85 : 1.1)
        var layers = [any PlotLayer]()
        if let labels {
            for (k, name) in classes.enumerated() {
                let indices = labels.indices.filter { labels[$0] == name }
                // Every category its own (colour, shape) pair: the shape tells them apart
                // where colour does not (WCAG 1.4.1, colour-vision deficiencies).
                let shape = MarkerShape.automatic(k)
                let color = orderedLabels ? Palette.ordered(k, of: classes.count) : Palette.category(k)
                layers.append(ScatterLayer(name: name, x: indices.map { x[$0] }, y: indices.map { y[$0] },
                                           color: color, marker: shape, opacity: opacity, radiusScale: radiusScale))
            }
        } else {
            layers.append(ScatterLayer(name: "points", x: x, y: y, color: Palette.color(0), marker: .circle,
                                       opacity: opacity, radiusScale: radiusScale))
        }
        var spec = FigureSpec(title: title, xLabel: xLabel, yLabel: yLabel,
                              panels: [PanelSpec(layers: layers, referenceLines: referenceLines)], showLegend: labels != nil)
        spec.legendTitle = legendTitle
        return try FigureRenderer(spec: spec, canvas: canvas, theme: theme).render()
    }

    /// One row per point: `x,y,label`.
    public func csv() -> String {
        CSV.lines(header: ["x", "y", "label"], rows: x.indices.map { i in
            [CSV.number(x[i]), CSV.number(y[i]), labels?[i] ?? ""]
        })
    }
}
