import Foundation

/// One panel: its layers, reference lines and (in a grid) its own small title.
struct PanelSpec {
    var title: String?
    var layers: [any PlotLayer]
    var referenceLines: [ReferenceLine] = []
}

/// Everything a figure of one or more panels with shared axes needs; every chart builds
/// one and lets `FigureRenderer` lay it out and draw it.
struct FigureSpec {
    var title: String?
    var xLabel: String?
    var yLabel: String?
    var xScale: AxisScale = .linear
    var yScale: AxisScale = .linear
    var xRange: ClosedRange<Double>?
    var yRange: ClosedRange<Double>?
    /// Bars start at zero: the y domain includes 0 without a margin below it.
    var includeZeroY = false
    var panels: [PanelSpec]
    var columns = 1
    var showLegend = true
    /// A heading inside the legend box, above its entries.
    var legendTitle: String?
    var extraNotes: [String] = []
}

/// Lays out a figure (title, grid of panels with shared axes, axis titles, legend, notes)
/// and draws it. Layout: vertical margins first, then y ticks for the panel height, which
/// fix the left margin, then x ticks for the panel width; the legend goes to the inside
/// spot hiding least data, or outside on the right when every spot would hide data.
struct FigureRenderer {
    let spec: FigureSpec
    let canvas: Canvas
    let theme: Theme

    func render() throws -> ChartLayout {
        try draw(try layout())
    }

    /// The narrowest a panel of a grid may be, in CSS px: fewer columns (and more rows) below it.
    static let minPanelWidth = 160.0
    /// The least height of a row of panels (plot, panel title and gap), in CSS px.
    static let minRowHeight = 190.0

    /// Panels per row: `requested`, but no more than fit `width` at `minPanelWidth` each
    /// (`scale` px per CSS px): on a phone's narrow figure three panels side by side would
    /// be 100 px each, their titles running into each other.
    static func columns(requested: Int, panels: Int, width: Double, scale: Double) -> Int {
        max(1, min(requested, panels, Int(width / (minPanelWidth * scale))))
    }

    /// The height a grid of `panels` needs in a figure of `size`: the size's own height, or
    /// more when its rows would be shorter than `minRowHeight` (six panels in a narrow figure).
    static func height(panels: Int, requestedColumns: Int?, size: FigureSize) -> Int {
        let (width, height) = size.layout, scale = Theme(size, density: 1).scale
        let requested = requestedColumns ?? Int(Double(panels).squareRoot().rounded(.up))
        let perRow = columns(requested: requested, panels: panels, width: Double(width), scale: scale)
        let rows = (panels + perRow - 1) / perRow
        return max(height, Int((Double(rows) * minRowHeight + 110) * scale))
    }

    /// Panels per row of this figure.
    var columnCount: Int {
        Self.columns(requested: spec.columns, panels: spec.panels.count, width: canvas.width, scale: theme.scale)
    }

    /// Draws the laid-out figure: panels, then title, axis titles, legend and notes.
    func draw(_ layout: Layout) -> ChartLayout {
        let (xAxis, yAxis, panelRects) = (layout.xAxis, layout.yAxis, layout.panelRects)
        let count = spec.panels.count, columns = columnCount
        var layouts = [PanelLayout]()
        for (i, panel) in spec.panels.enumerated() {
            let rect = panelRects[i]
            let frame = PlotFrame(canvas: canvas, theme: theme, rect: rect, x: xAxis, y: yAxis)
            drawPanel(panel, frame: frame, xTickLabels: i + columns >= count, yTickLabels: i % columns == 0)
            layouts.append(PanelLayout(plotArea: rect, xDomain: xAxis.domain, yDomain: yAxis.domain, xTicks: xAxis.ticks, yTicks: yAxis.ticks))
        }
        let gridArea = panelRects.dropFirst().reduce(panelRects[0]) { a, r in
            Rect(x: min(a.minX, r.minX), y: min(a.minY, r.minY), width: max(a.maxX, r.maxX) - min(a.minX, r.minX),
                 height: max(a.maxY, r.maxY) - min(a.minY, r.minY))
        }
        let lines = titleLines, lineH = canvas.measure("Hg", font: theme.titleFont).height
        let widest = lines.map { canvas.measure($0, font: theme.titleFont).width }.max() ?? 0
        // Centred over the panels when it fits there, else as close to that as the figure allows.
        let titleX = max(theme.padding + widest / 2, min(canvas.width - theme.padding - widest / 2, gridArea.midX))
        for (i, line) in lines.enumerated() {
            canvas.text(line, at: Point(titleX, theme.padding + Double(i) * lineH), font: theme.titleFont, color: theme.textColor,
                        anchor: TextAnchor(.center, .top))
        }
        if let text = axisTitle(spec.xLabel, exponent: xAxis.exponent, scale: spec.xScale) ?? layout.xLabelProvisional {
            let y = gridArea.maxY + theme.tickLength + theme.gap + layout.tickHeight + theme.gap
            canvas.text(text, at: Point(gridArea.midX, y), font: theme.labelFont, color: theme.textColor, anchor: TextAnchor(.center, .top))
        }
        if let text = layout.yLabelText {
            canvas.text(text, at: Point(theme.padding, gridArea.midY), font: theme.labelFont, color: theme.textColor,
                        anchor: TextAnchor(.center, .top), rotated: true)
        }
        if let legendFrame = layout.legendFrame { layout.legend.draw(in: legendFrame.frame) }
        if !layout.notes.isEmpty {
            canvas.text(layout.notes.joined(separator: "; "), at: Point(theme.padding, canvas.height - theme.padding),
                        font: theme.noteFont, color: theme.noteColor, anchor: TextAnchor(.leading, .bottom))
        }
        return ChartLayout(panels: layouts, legend: layout.legendFrame, notes: layout.notes,
                           skippedNonFinite: layout.skipped.nonFinite, skippedNonPositive: layout.skipped.nonPositive)
    }

    /// The title broken at spaces into lines that fit the figure's width: a phone's narrow
    /// figure cannot hold "H = H_white + ½·ln det Σ — bump images (k = 2)" on one line.
    /// A unit longer than the width gets a line of its own.
    var titleLines: [String] {
        guard let title = spec.title else { return [] }
        let room = canvas.width - 2 * theme.padding
        var lines = [String]()
        // "k = 2" and "H = H_white" stay together: no break next to an equals sign.
        var units = [String]()
        for word in title.split(separator: " ").map(String.init) {
            if let last = units.last, word.hasPrefix("=") || last.hasSuffix("=") {
                units[units.count - 1] = last + " " + word
            } else {
                units.append(word)
            }
        }
        for word in units {
            if let last = lines.last, canvas.measure(last + " " + word, font: theme.titleFont).width <= room {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(word)
            }
        }
        return lines
    }

    /// The axis title with what the reader must know to read the ticks: a common power of
    /// ten, and "(log scale)" on a logarithmic axis (equal steps are factors, not sums).
    func axisTitle(_ label: String?, exponent: Int, scale: AxisScale) -> String? {
        var title = label
        if exponent != 0 { title = (title.map { $0 + " " } ?? "") + "(×10" + Ticks.superscript(exponent) + ")" }
        if scale == .log, let t = title, !t.localizedCaseInsensitiveContains("log") { title = t + " (log scale)" }
        return title
    }

    func corners(_ r: Rect) -> [Point] {
        // A label hides as much as many data points: weigh it by a grid of samples.
        stride(from: r.minX, through: r.maxX, by: max(1, r.width / 6)).flatMap { x in
            stride(from: r.minY, through: r.maxY, by: max(1, r.height / 3)).map { Point(x, $0) }
        }
    }

    private func drawPanel(_ panel: PanelSpec, frame: PlotFrame, xTickLabels: Bool, yTickLabels: Bool) {
        let rect = frame.rect
        let gridStroke = Stroke(theme.gridColor, width: theme.axisWidth)
        for tick in frame.x.ticks where tick.isMajor {
            canvas.line(from: Point(frame.px(tick.value), rect.minY), to: Point(frame.px(tick.value), rect.maxY), stroke: gridStroke)
        }
        for tick in frame.y.ticks where tick.isMajor {
            canvas.line(from: Point(rect.minX, frame.py(tick.value)), to: Point(rect.maxX, frame.py(tick.value)), stroke: gridStroke)
        }
        canvas.clip(to: rect)
        for layer in panel.layers { layer.drawUnderlay(in: frame) }
        for layer in panel.layers { layer.draw(in: frame) }
        for line in panel.referenceLines { drawReferenceLine(line, frame: frame) }
        canvas.clip(to: nil)
        let labelled = panel.referenceLines.filter { $0.label != nil }
        // The lines themselves too: a label across another reference line hides where it runs.
        let occupied = labelled.isEmpty ? [] : panel.layers.flatMap { $0.occupancy(in: frame) }
            + referenceLineSamples(panel.referenceLines, frame: frame)
        for (line, placed) in zip(labelled, referenceLabels(labelled, frame: frame, occupied: occupied)) {
            let labelFrame = placed.frame
            canvas.rect(labelFrame.expanded(by: theme.gap * 0.4), fill: Color.white.withOpacity(0.85), stroke: nil)
            canvas.text(placed.text, at: Point(labelFrame.minX, labelFrame.minY), font: theme.tickFont,
                        color: line.color ?? theme.referenceColor, anchor: TextAnchor(.leading, .top))
        }

        // Frame, ticks and tick labels.
        let axisStroke = Stroke(theme.axisColor, width: theme.axisWidth)
        canvas.rect(rect, fill: nil, stroke: axisStroke)
        for tick in frame.x.ticks {
            let x = frame.px(tick.value)
            let length = tick.isMajor ? theme.tickLength : theme.tickLength * 0.6
            canvas.line(from: Point(x, rect.maxY), to: Point(x, rect.maxY + length), stroke: axisStroke)
            if xTickLabels, let label = tick.label {
                canvas.text(label, at: Point(x, rect.maxY + theme.tickLength + theme.gap), font: theme.tickFont,
                            color: theme.textColor, anchor: TextAnchor(.center, .top))
            }
        }
        for tick in frame.y.ticks {
            let y = frame.py(tick.value)
            let length = tick.isMajor ? theme.tickLength : theme.tickLength * 0.6
            canvas.line(from: Point(rect.minX - length, y), to: Point(rect.minX, y), stroke: axisStroke)
            if yTickLabels, let label = tick.label {
                canvas.text(label, at: Point(rect.minX - theme.tickLength - theme.gap, y), font: theme.tickFont,
                            color: theme.textColor, anchor: TextAnchor(.trailing, .middle))
            }
        }
        if let title = panel.title {
            canvas.text(title, at: Point(rect.midX, rect.minY - theme.gap), font: theme.panelTitleFont,
                        color: theme.textColor, anchor: TextAnchor(.center, .bottom))
        }
    }

    /// Points along the reference lines, so the legend does not sit on one.
    func referenceLineSamples(_ lines: [ReferenceLine], frame: PlotFrame) -> [Point] {
        let step = 6 * theme.scale, r = frame.rect
        return lines.flatMap { line -> [Point] in
            switch line.orientation {
            case .vertical where frame.x.scale.accepts(line.value):
                return stride(from: r.minY, through: r.maxY, by: step).map { Point(frame.px(line.value), $0) }
            case .horizontal where frame.y.scale.accepts(line.value):
                return stride(from: r.minX, through: r.maxX, by: step).map { Point($0, frame.py(line.value)) }
            case .identity:
                guard let (from, to) = identitySegment(frame) else { return [] }
                let length = hypot(to.x - from.x, to.y - from.y), count = max(1, Int(length / step))
                return (0...count).map { i in
                    let t = Double(i) / Double(count)
                    return Point(from.x + t * (to.x - from.x), from.y + t * (to.y - from.y))
                }
            default: return []
            }
        }
    }

    /// The visible part of y = x in canvas coordinates: the values both axes show, nil when
    /// they share none (or none a log axis accepts).
    func identitySegment(_ frame: PlotFrame) -> (Point, Point)? {
        let lo = max(frame.x.domain.lowerBound, frame.y.domain.lowerBound)
        let hi = min(frame.x.domain.upperBound, frame.y.domain.upperBound)
        guard lo < hi, frame.accepts(lo, lo), frame.accepts(hi, hi) else { return nil }
        return (frame.point(lo, lo), frame.point(hi, hi))
    }

    private func drawReferenceLine(_ line: ReferenceLine, frame: PlotFrame) {
        let stroke = Stroke(line.color ?? theme.referenceColor, width: theme.lineWidth * 0.7,
                            dash: [5 * theme.scale, 3.5 * theme.scale])
        switch line.orientation {
        case .vertical where frame.x.scale.accepts(line.value):
            let x = frame.px(line.value)
            canvas.line(from: Point(x, frame.rect.minY), to: Point(x, frame.rect.maxY), stroke: stroke)
        case .horizontal where frame.y.scale.accepts(line.value):
            let y = frame.py(line.value)
            canvas.line(from: Point(frame.rect.minX, y), to: Point(frame.rect.maxX, y), stroke: stroke)
        case .identity:
            if let (from, to) = identitySegment(frame) { canvas.line(from: from, to: to, stroke: stroke) }
        default: break
        }
    }

    /// Label boxes of the labelled reference lines. Each goes to the spot beside its line
    /// (top, bottom or middle, right or left of a vertical line; above or below the right
    /// end, left end or middle of a horizontal one) that covers the fewest `occupied` data
    /// points and no other label; ties keep the conventional spot (top, right).
    ///
    /// A label wider than the plot loses words from its end, marked by "…" (the caption
    /// carries the whole sentence): on a phone-width figure a long one ran out of the plot
    /// over the axis title.
    func referenceLabels(_ lines: [ReferenceLine], frame: PlotFrame, occupied: [Point]) -> [(text: String, frame: Rect)] {
        var placed = [Rect](), texts = [String]()
        let gap = theme.gap, plot = frame.rect
        for line in lines {
            guard let whole = line.label else { continue }
            let label = fitted(whole, width: plot.width - 2 * gap)
            texts.append(label)
            let e = canvas.measure(label, font: theme.tickFont)
            var candidates = [Rect]()
            switch line.orientation {
            case .vertical:
                let x = frame.x.scale.accepts(line.value) ? frame.px(line.value) : plot.minX
                for y in [plot.minY + gap, plot.maxY - gap - e.height, plot.midY - e.height / 2] {
                    for left in [x + gap, x - gap - e.width] where left >= plot.minX + gap / 2 && left + e.width <= plot.maxX - gap / 2 {
                        candidates.append(Rect(x: left, y: y, width: e.width, height: e.height))
                    }
                }
            case .horizontal:
                let y = frame.y.scale.accepts(line.value) ? frame.py(line.value) : plot.maxY
                for top in [y - gap * 0.6 - e.height, y + gap * 0.6] where top >= plot.minY + gap / 2 && top + e.height <= plot.maxY - gap / 2 {
                    for left in [plot.maxX - gap - e.width, plot.minX + gap, plot.midX - e.width / 2] {
                        candidates.append(Rect(x: left, y: top, width: e.width, height: e.height))
                    }
                }
            case .identity:
                // Beside the diagonal's upper part: above-left or below-right of a point on it.
                if let (from, to) = identitySegment(frame) {
                    for t in [0.85, 0.6, 0.35] {
                        let p = Point(from.x + t * (to.x - from.x), from.y + t * (to.y - from.y))
                        for r in [Rect(x: p.x - gap - e.width, y: p.y - gap - e.height, width: e.width, height: e.height),
                                  Rect(x: p.x + gap, y: p.y + gap, width: e.width, height: e.height)]
                        where r.minX >= plot.minX + gap / 2 && r.maxX <= plot.maxX - gap / 2
                            && r.minY >= plot.minY + gap / 2 && r.maxY <= plot.maxY - gap / 2 {
                            candidates.append(r)
                        }
                    }
                }
            }
            if candidates.isEmpty { candidates = [Rect(x: plot.minX + gap, y: plot.minY + gap, width: e.width, height: e.height)] }
            func cost(_ r: Rect) -> Int {
                let box = r.expanded(by: gap * 0.5)
                let hidden = occupied.reduce(0) { $0 + (box.contains($1) ? 1 : 0) }
                return hidden + (placed.contains { $0.expanded(by: gap * 0.4).intersects(r) } ? 1_000_000 : 0)
            }
            var best = candidates[0], bestCost = cost(best)
            for r in candidates.dropFirst() {
                let c = cost(r)
                if c < bestCost { best = r; bestCost = c }
            }
            while bestCost >= 1_000_000, placed.contains(where: { $0.expanded(by: gap * 0.4).intersects(best) }),
                  best.maxY + e.height < plot.maxY {
                best.y += e.height + gap * 0.6
            }
            placed.append(best)
        }
        return Array(zip(texts, placed))
    }

    /// `label`, or as many of its leading words as fit in `width` followed by "…".
    private func fitted(_ label: String, width: Double) -> String {
        guard canvas.measure(label, font: theme.tickFont).width > width else { return label }
        var words = label.split(separator: " ").map(String.init)
        while words.count > 1 {
            words.removeLast()
            let shortened = words.joined(separator: " ") + "…"
            if canvas.measure(shortened, font: theme.tickFont).width <= width { return shortened }
        }
        return (words.first ?? label) + "…"
    }
}
