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
        let layers = spec.panels.flatMap(\.layers)
        var extent = DataExtent()
        for layer in layers { extent.formUnion(layer.extent(xScale: spec.xScale, yScale: spec.yScale)) }
        let skipped = layers.reduce(SkipCount()) { $0 + $1.skipped(xScale: spec.xScale, yScale: spec.yScale) }
        guard var xExtent = extent.x, var yExtent = extent.y else {
            throw PlotError.noDrawableData("nothing to draw in “\(spec.title ?? "chart")”: every value is NaN/∞"
                + (spec.xScale == .log || spec.yScale == .log ? " or not positive on a log axis" : ""))
        }
        for line in spec.panels.flatMap(\.referenceLines) {
            switch line.orientation {
            case .vertical where spec.xScale.accepts(line.value):
                xExtent = min(xExtent.lowerBound, line.value)...max(xExtent.upperBound, line.value)
            case .horizontal where spec.yScale.accepts(line.value):
                yExtent = min(yExtent.lowerBound, line.value)...max(yExtent.upperBound, line.value)
            default: break
            }
        }
        var xAxis = Axis(scale: spec.xScale, domain: spec.xRange ?? Axis.domain(for: xExtent, scale: spec.xScale))
        xAxis.integerSteps = layers.allSatisfy(\.hasIntegerX)
        var yAxis = Axis(scale: spec.yScale, domain: spec.yRange ?? Axis.domain(for: yExtent, scale: spec.yScale, includeZero: spec.includeZeroY))

        var notes = spec.extraNotes
        if skipped.nonFinite > 0 { notes.append("\(skipped.nonFinite) point\(skipped.nonFinite == 1 ? "" : "s") with NaN/∞ not drawn") }
        if skipped.nonPositive > 0 { notes.append("\(skipped.nonPositive) point\(skipped.nonPositive == 1 ? "" : "s") ≤ 0 not drawn on the log axis") }

        var entries = [LegendEntry]()
        for entry in layers.flatMap(\.legendEntries) where !entries.contains(entry) { entries.append(entry) }
        let legend = Legend(entries: entries, theme: theme, canvas: canvas)
        let wantsLegend = spec.showLegend && !entries.isEmpty

        // Vertical margins.
        let titleH = spec.title.map { canvas.measure($0, font: theme.titleFont).height + theme.gap * 1.5 } ?? 0
        let labelH = canvas.measure("Hg", font: theme.labelFont).height
        let tickH = canvas.measure("0", font: theme.tickFont).height
        let noteH = notes.isEmpty ? 0 : canvas.measure(notes.joined(separator: "; "), font: theme.noteFont).height + theme.gap
        let top = theme.padding + titleH + tickH / 2
        let bottom = theme.padding + noteH + (spec.xLabel != nil ? labelH + theme.gap : 0) + tickH + theme.gap + theme.tickLength
        let count = spec.panels.count, columns = max(1, min(spec.columns, count))
        let rows = (count + columns - 1) / columns
        let hasPanelTitles = spec.panels.contains { $0.title != nil }
        let panelTitleH = hasPanelTitles ? canvas.measure("Hg", font: theme.panelTitleFont).height + theme.gap : 0
        let incompleteLastRow = count % columns != 0
        let rowGap = rows > 1 ? (incompleteLastRow ? tickH + theme.tickLength + 3 * theme.gap : 3 * theme.gap) : 0
        let cellH = (canvas.height - top - bottom - Double(rows - 1) * rowGap - Double(rows) * panelTitleH) / Double(rows)
        guard cellH > 4 * tickH else { throw PlotError.invalidArgument("\(rows) rows of panels do not fit in a \(Int(canvas.height)) px tall figure") }
        yAxis.fitTicks(length: cellH, horizontal: false, canvas: canvas, font: theme.tickFont)

        // Horizontal margins.
        let yLabelText = axisTitle(spec.yLabel, exponent: yAxis.exponent, scale: spec.yScale)
        let xLabelTextProvisional = axisTitle(spec.xLabel, exponent: 0, scale: spec.xScale)
        let yTickW = yAxis.ticks.compactMap(\.label).map { canvas.measure($0, font: theme.tickFont).width }.max() ?? 0
        let left = theme.padding + (yLabelText != nil ? labelH + theme.gap : 0) + yTickW + theme.gap + theme.tickLength
        var columnGap = columns > 1 ? 3 * theme.gap : 0

        func layoutColumns(right: Double) -> (cellW: Double, axis: Axis) {
            let cellW = (canvas.width - left - right - Double(columns - 1) * columnGap) / Double(columns)
            var axis = xAxis
            axis.fitTicks(length: max(cellW, 1), horizontal: true, canvas: canvas, font: theme.tickFont)
            return (cellW, axis)
        }
        func overhang(_ axis: Axis, cellW: Double) -> Double {
            guard let last = axis.ticks.last(where: \.isMajor), let text = last.label else { return 0 }
            return max(0, canvas.measure(text, font: theme.tickFont).width / 2 - (1 - axis.fraction(last.value)) * cellW)
        }
        func rightMargin(extra: Double) -> (cellW: Double, axis: Axis, right: Double) {
            var right = theme.padding + extra
            var (cellW, axis) = layoutColumns(right: right)
            let needed = overhang(axis, cellW: cellW)
            if extra == 0, needed > theme.padding {
                right = needed + theme.gap
                (cellW, axis) = layoutColumns(right: right)
            }
            return (cellW, axis, right)
        }

        var (cellW, fittedX, _) = rightMargin(extra: 0)
        if columns > 1 {
            // Tick labels at the ends of neighbouring panels must not run into each other.
            let labelled = fittedX.ticks.filter(\.isMajor)
            func halfWidth(_ t: Tick?) -> Double { t?.label.map { canvas.measure($0, font: theme.tickFont).width / 2 } ?? 0 }
            let leftOverhang = max(0, halfWidth(labelled.first) - fittedX.fraction(labelled.first?.value ?? 0) * cellW)
            let rightOverhang = overhang(fittedX, cellW: cellW)
            let needed = leftOverhang + rightOverhang + 2 * theme.gap
            if needed > columnGap {
                columnGap = needed
                (cellW, fittedX, _) = rightMargin(extra: 0)
            }
        }
        var panelRects = rects(left: left, top: top, cellW: cellW, cellH: cellH, columns: columns, columnGap: columnGap,
                               rowGap: rowGap, panelTitleH: panelTitleH)
        xAxis = fittedX

        // Legend: the inside spot hiding least data, else outside on the right.
        var legendFrame: (frame: Rect, placement: LegendPlacement)?
        if wantsLegend {
            let size = legend.size
            var best: (panel: Int, placement: LegendPlacement, hidden: Int)?
            var total = 0
            for (i, panel) in spec.panels.enumerated() {
                let frame = PlotFrame(canvas: canvas, theme: theme, rect: panelRects[i], x: xAxis, y: yAxis)
                var occupied = panel.layers.flatMap { $0.occupancy(in: frame) }
                occupied += referenceLabelFrames(panel.referenceLines, frame: frame, occupied: occupied).flatMap(corners)
                occupied += referenceLineSamples(panel.referenceLines, frame: frame)
                total += occupied.count
                let candidate = Legend.bestPlacement(size: size, plot: panelRects[i], inset: theme.gap * 1.5, occupied: occupied)
                if best == nil || candidate.hidden < (best?.hidden ?? 0) { best = (i, candidate.placement, candidate.hidden) }
            }
            let fits = size.width < panelRects[0].width * 0.6 && size.height < panelRects[0].height * 0.8
            if let best, fits, best.hidden <= total / 500 {
                legendFrame = (best.placement.frame(size: size, in: panelRects[best.panel], inset: theme.gap * 1.5), best.placement)
            } else {
                let extra = size.width + 3 * theme.gap
                (cellW, fittedX, _) = rightMargin(extra: extra)
                xAxis = fittedX
                panelRects = rects(left: left, top: top, cellW: cellW, cellH: cellH, columns: columns, columnGap: columnGap,
                                   rowGap: rowGap, panelTitleH: panelTitleH)
                let lastColumn = panelRects[min(columns, count) - 1]
                legendFrame = (LegendPlacement.outsideRight.frame(size: size, in: lastColumn, inset: theme.gap * 1.5), .outsideRight)
            }
        }

        // Draw.
        var layouts = [PanelLayout]()
        for (i, panel) in spec.panels.enumerated() {
            let rect = panelRects[i]
            let frame = PlotFrame(canvas: canvas, theme: theme, rect: rect, x: xAxis, y: yAxis)
            let below = i + columns
            drawPanel(panel, frame: frame, xTickLabels: below >= count, yTickLabels: i % columns == 0)
            layouts.append(PanelLayout(plotArea: rect, xDomain: xAxis.domain, yDomain: yAxis.domain, xTicks: xAxis.ticks, yTicks: yAxis.ticks))
        }
        let gridArea = panelRects.dropFirst().reduce(panelRects[0]) { a, r in
            Rect(x: min(a.minX, r.minX), y: min(a.minY, r.minY), width: max(a.maxX, r.maxX) - min(a.minX, r.minX),
                 height: max(a.maxY, r.maxY) - min(a.minY, r.minY))
        }
        if let title = spec.title {
            canvas.text(title, at: Point(gridArea.midX, theme.padding), font: theme.titleFont, color: theme.textColor,
                        anchor: TextAnchor(.center, .top))
        }
        if let text = axisTitle(spec.xLabel, exponent: xAxis.exponent, scale: spec.xScale) ?? xLabelTextProvisional {
            let y = gridArea.maxY + theme.tickLength + theme.gap + tickH + theme.gap
            canvas.text(text, at: Point(gridArea.midX, y), font: theme.labelFont, color: theme.textColor, anchor: TextAnchor(.center, .top))
        }
        if let text = yLabelText {
            canvas.text(text, at: Point(theme.padding, gridArea.midY), font: theme.labelFont, color: theme.textColor,
                        anchor: TextAnchor(.center, .top), rotated: true)
        }
        if let legendFrame { legend.draw(in: legendFrame.frame) }
        if !notes.isEmpty {
            canvas.text(notes.joined(separator: "; "), at: Point(theme.padding, canvas.height - theme.padding),
                        font: theme.noteFont, color: theme.noteColor, anchor: TextAnchor(.leading, .bottom))
        }
        return ChartLayout(panels: layouts, legend: legendFrame, notes: notes,
                           skippedNonFinite: skipped.nonFinite, skippedNonPositive: skipped.nonPositive)
    }

    /// The axis title with what the reader must know to read the ticks: a common power of
    /// ten, and "(log scale)" on a logarithmic axis (equal steps are factors, not sums).
    private func axisTitle(_ label: String?, exponent: Int, scale: AxisScale) -> String? {
        var title = label
        if exponent != 0 { title = (title.map { $0 + " " } ?? "") + "(×10" + Ticks.superscript(exponent) + ")" }
        if scale == .log, let t = title, !t.localizedCaseInsensitiveContains("log") { title = t + " (log scale)" }
        return title
    }

    private func rects(left: Double, top: Double, cellW: Double, cellH: Double, columns: Int, columnGap: Double,
                       rowGap: Double, panelTitleH: Double) -> [Rect] {
        spec.panels.indices.map { i in
            let row = i / columns, column = i % columns
            return Rect(x: left + Double(column) * (cellW + columnGap),
                        y: top + panelTitleH + Double(row) * (cellH + rowGap + panelTitleH), width: cellW, height: cellH)
        }
    }

    private func corners(_ r: Rect) -> [Point] {
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
        let occupied = labelled.isEmpty ? [] : panel.layers.flatMap { $0.occupancy(in: frame) }
        for (line, labelFrame) in zip(labelled, referenceLabelFrames(labelled, frame: frame, occupied: occupied)) {
            guard let label = line.label else { continue }
            canvas.rect(labelFrame.expanded(by: theme.gap * 0.4), fill: Color.white.withOpacity(0.85), stroke: nil)
            canvas.text(label, at: Point(labelFrame.minX, labelFrame.minY), font: theme.tickFont,
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
    private func referenceLineSamples(_ lines: [ReferenceLine], frame: PlotFrame) -> [Point] {
        let step = 6 * theme.scale, r = frame.rect
        return lines.flatMap { line -> [Point] in
            switch line.orientation {
            case .vertical where frame.x.scale.accepts(line.value):
                return stride(from: r.minY, through: r.maxY, by: step).map { Point(frame.px(line.value), $0) }
            case .horizontal where frame.y.scale.accepts(line.value):
                return stride(from: r.minX, through: r.maxX, by: step).map { Point($0, frame.py(line.value)) }
            default: return []
            }
        }
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
        default: break
        }
    }

    /// Label boxes of the labelled reference lines. Each goes to the spot beside its line
    /// (top, bottom or middle, right or left of a vertical line; above or below the right
    /// end, left end or middle of a horizontal one) that covers the fewest `occupied` data
    /// points and no other label; ties keep the conventional spot (top, right).
    func referenceLabelFrames(_ lines: [ReferenceLine], frame: PlotFrame, occupied: [Point]) -> [Rect] {
        var placed = [Rect]()
        let gap = theme.gap, plot = frame.rect
        for line in lines {
            guard let label = line.label else { continue }
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
        return placed
    }
}
