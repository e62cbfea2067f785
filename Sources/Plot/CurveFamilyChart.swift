/// A family of curves ordered by a parameter (C(r) of the codes for each code dimension d):
/// one solid line per member on a sequential ramp, dark for the first member to light for
/// the last, so the order reads as order; a legend titled with the parameter's name; and
/// an optional reference curve drawn last, thicker and black, so it stays on top (the
/// images' C(r)). Log-log by default.
public struct CurveFamilyChart: DrawableChart {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// The members, in the parameter's order (each series' name is its value, "4").
    public var members: [LineChart.Series]
    /// The parameter, as the legend's title ("code dimension d").
    public var parameter: String
    /// A curve to compare the family with, drawn in black on top.
    public var reference: LineChart.Series?
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var referenceLines: [ReferenceLine]

    /// Throws for no member, an empty series or mismatched lengths.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, members: [LineChart.Series],
                parameter: String, reference: LineChart.Series? = nil, xScale: AxisScale = .log, yScale: AxisScale = .log,
                referenceLines: [ReferenceLine] = []) throws {
        guard !members.isEmpty else { throw PlotError.emptySeries("list (a curve family needs at least one member)") }
        for s in members { try s.validate() }
        try reference?.validate()
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.members = members
        self.parameter = parameter
        self.reference = reference
        self.xScale = xScale
        self.yScale = yScale
        self.referenceLines = referenceLines
    }

    /// The colour of member `index`.
    public func color(_ index: Int) -> Color { Palette.ordered(index, of: members.count) }

    public func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout {
        var layers: [any PlotLayer] = members.enumerated().map { i, s in
            LineLayer(name: s.name, x: s.x, y: s.y, lower: nil, upper: nil, uncertainty: .band, color: color(i), dash: Palette.dash(i), marker: nil)
        }
        if let reference {
            layers.append(LineLayer(name: reference.name, x: reference.x, y: reference.y, lower: nil, upper: nil, uncertainty: .band,
                                    color: .black, dash: nil, marker: nil, widthFactor: 1.8, halo: true))
        }
        var spec = FigureSpec(title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                              panels: [PanelSpec(layers: layers, referenceLines: referenceLines)])
        spec.legendTitle = parameter
        return try FigureRenderer(spec: spec, canvas: canvas, theme: theme).render()
    }

    /// Long format: `series,x,y,lower,upper`, the members then the reference.
    public func csv() -> String {
        CSV.lines(header: ["series", "x", "y", "lower", "upper"], rows: (members + (reference.map { [$0] } ?? [])).flatMap(LineChart.rows))
    }
}
