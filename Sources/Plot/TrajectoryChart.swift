import Foundation

/// Trajectories in a plane, each point coloured by a step (an epoch) on a sequential scale,
/// the first and last point of each trajectory marked: the information plane, I(X;T)
/// against I(T;Y) per layer over training. Trajectories differ by line colour and dash; the
/// points by colour from light (first step) to dark (last step).
public struct TrajectoryChart: DrawableChart {
    public struct Trajectory: Sendable, Hashable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// The step of each point (the colour scale spans all trajectories' steps).
        public var steps: [Double]
        public init(name: String, x: [Double], y: [Double], steps: [Double]) {
            self.name = name
            self.x = x
            self.y = y
            self.steps = steps
        }
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var trajectories: [Trajectory]
    /// Name of the step in the note under the chart ("epoch").
    public var stepName: String

    /// Throws for no trajectories, an empty one or arrays of different lengths.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, trajectories: [Trajectory],
                stepName: String = "step") throws {
        guard !trajectories.isEmpty else { throw PlotError.emptySeries("list (a trajectory chart needs at least one trajectory)") }
        for t in trajectories {
            guard !t.x.isEmpty else { throw PlotError.emptySeries("“\(t.name)”") }
            guard t.x.count == t.y.count, t.x.count == t.steps.count else {
                throw PlotError.lengthMismatch("trajectory “\(t.name)” has \(t.x.count) x, \(t.y.count) y and \(t.steps.count) step values")
            }
        }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.trajectories = trajectories
        self.stepName = stepName
    }

    /// A sequential scale from light yellow to dark purple (viridis' end points and middle),
    /// readable in grey scale too: lightness falls monotonically.
    public static func sequentialColor(_ t: Double) -> Color {
        let anchors: [(Double, Double, Double)] = [(253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84)]
        let u = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2), f = u - Double(i)
        let (a, b) = (anchors[i], anchors[i + 1])
        func mix(_ p: Double, _ q: Double) -> UInt8 { UInt8(max(0, min(255, (p + (q - p) * f).rounded()))) }
        return Color(red: mix(a.0, b.0), green: mix(a.1, b.1), blue: mix(a.2, b.2))
    }

    public func draw(on canvas: Canvas, theme: Theme) throws -> ChartLayout {
        let all = trajectories.flatMap(\.steps).filter(\.isFinite)
        let low = all.min() ?? 0, high = all.max() ?? 1
        func position(_ s: Double) -> Double { high > low ? (s - low) / (high - low) : 1 }
        var layers = [any PlotLayer]()
        for (k, t) in trajectories.enumerated() {
            layers.append(LineLayer(name: t.name, x: t.x, y: t.y, lower: nil, upper: nil, uncertainty: .band,
                                    color: Palette.color(k), dash: Palette.dash(k), marker: nil))
        }
        for t in trajectories {
            for i in t.x.indices {
                var point = ScatterLayer(name: "", x: [t.x[i]], y: [t.y[i]], color: Self.sequentialColor(position(t.steps[i])),
                                         marker: .circle, opacity: 1, radiusScale: 1.2)
                if i == 0 { point.marker = .circle; point.radiusScale = 1.9 }
                if i == t.x.count - 1 { point.marker = .square; point.radiusScale = 1.9 }
                layers.append(UnlistedLayer(base: point))
            }
        }
        layers.append(ScatterLayer(name: "start", x: [], y: [], color: .gray(0.35), marker: .circle, opacity: 1, radiusScale: 1.9))
        layers.append(ScatterLayer(name: "end", x: [], y: [], color: .gray(0.35), marker: .square, opacity: 1, radiusScale: 1.9))
        // The colour bar: which colour is which step, in the legend beside the start and end marks.
        layers.append(StepScaleKey(label: "\(stepName) \(formatStep(low)) → \(formatStep(high))",
                                   colors: (0..<12).map { Self.sequentialColor(Double($0) / 11) }))
        let note = "point colour: \(stepName) \(formatStep(low)) (light) → \(formatStep(high)) (dark)"
        let spec = FigureSpec(title: title, xLabel: xLabel, yLabel: yLabel, panels: [PanelSpec(layers: layers)],
                              showLegend: true, extraNotes: [note])
        return try FigureRenderer(spec: spec, canvas: canvas, theme: theme).render()
    }

    private func formatStep(_ s: Double) -> String { s == s.rounded() && abs(s) < 1e9 ? String(Int(s)) : String(format: "%.3g", s) }

    /// One row per point: `trajectory,step,x,y`.
    public func csv() -> String {
        CSV.lines(header: ["trajectory", "step", "x", "y"], rows: trajectories.flatMap { t in
            t.x.indices.map { [t.name, CSV.number(t.steps[$0]), CSV.number(t.x[$0]), CSV.number(t.y[$0])] }
        })
    }
}

/// The legend's colour bar of the step scale: no data, one legend row.
private struct StepScaleKey: PlotLayer {
    var label: String
    var colors: [Color]
    func extent(xScale: AxisScale, yScale: AxisScale) -> DataExtent { DataExtent() }
    func draw(in frame: PlotFrame) {}
    var legendEntries: [LegendEntry] { [LegendEntry(label: label, swatch: .gradient(colors))] }
    func occupancy(in frame: PlotFrame) -> [Point] { [] }
}

/// A layer drawn like `base` but without a legend entry (each coloured point of a trajectory).
private struct UnlistedLayer: PlotLayer {
    var base: ScatterLayer
    func extent(xScale: AxisScale, yScale: AxisScale) -> DataExtent { base.extent(xScale: xScale, yScale: yScale) }
    func skipped(xScale: AxisScale, yScale: AxisScale) -> SkipCount { base.skipped(xScale: xScale, yScale: yScale) }
    func draw(in frame: PlotFrame) { base.draw(in: frame) }
    var legendEntries: [LegendEntry] { [] }
    func occupancy(in frame: PlotFrame) -> [Point] { base.occupancy(in: frame) }
}
