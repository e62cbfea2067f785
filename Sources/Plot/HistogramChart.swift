/// Histograms over shared bin edges: several groups overlaid with translucent fills (the
/// within- and between-label distance distributions), or one small panel per group.
public struct HistogramChart: DrawableChart {
    /// One histogram: per-bin values (counts or densities), one per pair of adjacent edges.
    public struct Group: Sendable, Hashable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    /// How several groups are arranged.
    public enum Arrangement: Sendable, Hashable {
        /// All groups in one panel, translucent.
        case overlaid
        /// One panel per group in a grid with shared axes (`columns` nil: about square).
        case smallMultiples(columns: Int?)
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var edges: [Double]
    public var groups: [Group]
    public var arrangement: Arrangement
    public var referenceLines: [ReferenceLine]
    public var yScale: AxisScale

    /// Throws when edges are fewer than two or not ascending, a group is empty, or a
    /// group's bin count differs from `edges.count − 1`.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = "count", edges: [Double], groups: [Group],
                arrangement: Arrangement = .overlaid, referenceLines: [ReferenceLine] = [], yScale: AxisScale = .linear) throws {
        guard edges.count >= 2 else { throw PlotError.invalidArgument("a histogram needs at least two bin edges, got \(edges.count)") }
        guard zip(edges, edges.dropFirst()).allSatisfy({ $0.0 < $0.1 && $0.0.isFinite && $0.1.isFinite }) else {
            throw PlotError.invalidArgument("histogram bin edges must be finite and strictly ascending")
        }
        guard !groups.isEmpty else { throw PlotError.emptySeries("list (a histogram needs at least one group)") }
        for g in groups {
            guard !g.values.isEmpty else { throw PlotError.emptySeries("“\(g.name)”") }
            guard g.values.count == edges.count - 1 else {
                throw PlotError.lengthMismatch("group “\(g.name)” has \(g.values.count) bins but the \(edges.count) edges make \(edges.count - 1)")
            }
        }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.edges = edges
        self.groups = groups
        self.arrangement = arrangement
        self.referenceLines = referenceLines
        self.yScale = yScale
    }

    public func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout {
        let overlaid = if case .overlaid = arrangement { groups.count > 1 } else { false }
        let layers = groups.enumerated().map { k, g in
            BarsLayer(name: g.name, edges: edges, values: g.values, color: Palette.color(k),
                      fillOpacity: groups.count == 1 ? 0.55 : overlaid ? BarsLayer.overlaidOpacity : 0.35,
                      dash: overlaid ? Palette.dash(k) : nil)
        }
        var spec = FigureSpec(title: title, xLabel: xLabel, yLabel: yLabel, yScale: yScale, includeZeroY: true, panels: [])
        switch arrangement {
        case .overlaid:
            spec.panels = [PanelSpec(layers: layers, referenceLines: referenceLines)]
            spec.showLegend = groups.count > 1
        case .smallMultiples(let columns):
            spec.panels = layers.map { PanelSpec(title: $0.name, layers: [$0], referenceLines: referenceLines) }
            spec.columns = columns ?? Int((Double(groups.count).squareRoot()).rounded(.up))
            spec.showLegend = false
        }
        return try FigureRenderer(spec: spec, canvas: canvas, theme: theme).render()
    }

    public func layoutHeight(for size: FigureSize) -> Int {
        guard case .smallMultiples(let columns) = arrangement else { return size.layout.height }
        return FigureRenderer.height(panels: groups.count, requestedColumns: columns, size: size)
    }

    /// One row per group and bin: `group,bin_start,bin_end,value`.
    public func csv() -> String {
        CSV.lines(header: ["group", "bin_start", "bin_end", "value"], rows: groups.flatMap { g in
            g.values.indices.map { i in [g.name, CSV.number(edges[i]), CSV.number(edges[i + 1]), CSV.number(g.values[i])] }
        })
    }
}
