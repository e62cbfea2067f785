/// A grid of line-chart panels with shared axes: one panel per dataset, per repeat or per
/// estimator, so shapes can be compared at a glance.
public struct SmallMultiples: DrawableChart {
    /// One panel: its title and its series.
    public struct Panel: Sendable, Hashable {
        public var title: String
        public var series: [LineChart.Series]
        public var referenceLines: [ReferenceLine]
        public init(title: String, series: [LineChart.Series], referenceLines: [ReferenceLine] = []) {
            self.title = title
            self.series = series
            self.referenceLines = referenceLines
        }
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var panels: [Panel]
    /// Panels per row; nil: about square.
    public var columns: Int?
    public var xScale: AxisScale
    public var yScale: AxisScale

    /// Throws for no panels, a panel without series, or an invalid series.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, panels: [Panel], columns: Int? = nil,
                xScale: AxisScale = .linear, yScale: AxisScale = .linear) throws {
        guard !panels.isEmpty else { throw PlotError.emptySeries("list (small multiples need at least one panel)") }
        for p in panels {
            guard !p.series.isEmpty else { throw PlotError.emptySeries("list of panel “\(p.title)”") }
            for s in p.series { try s.validate() }
        }
        if let columns, columns < 1 { throw PlotError.invalidArgument("small multiples need at least one column, got \(columns)") }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.panels = panels
        self.columns = columns
        self.xScale = xScale
        self.yScale = yScale
    }

    public func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout {
        // Series with the same name share a colour across panels.
        var names = [String]()
        for s in panels.flatMap(\.series) where !names.contains(s.name) { names.append(s.name) }
        let specs = panels.map { panel in
            PanelSpec(title: panel.title, layers: panel.series.map { s in
                let k = names.firstIndex(of: s.name) ?? 0
                let markers = s.showsMarkers ?? (s.x.count <= 25)
                return LineLayer(name: s.name, x: s.x, y: s.y, lower: s.lower, upper: s.upper, uncertainty: s.uncertainty,
                                 color: s.color ?? Palette.color(k), dash: Palette.dash(k),
                                 marker: markers ? (s.marker ?? .circle) : nil) as any PlotLayer
            }, referenceLines: panel.referenceLines)
        }
        let spec = FigureSpec(title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale, panels: specs,
                              columns: columns ?? Int(Double(panels.count).squareRoot().rounded(.up)),
                              showLegend: names.count > 1)
        return try FigureRenderer(spec: spec, canvas: canvas, theme: theme).render()
    }

    public func layoutHeight(for size: FigureSize) -> Int {
        FigureRenderer.height(panels: panels.count, requestedColumns: columns, size: size)
    }

    /// One row per point: `panel,series,x,y,lower,upper`.
    public func csv() -> String {
        CSV.lines(header: ["panel", "series", "x", "y", "lower", "upper"], rows: panels.flatMap { panel in
            panel.series.flatMap(LineChart.rows).map { [panel.title] + $0 }
        })
    }
}
