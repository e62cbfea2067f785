import Foundation

/// The layout step of `FigureRenderer`: everything is measured and placed here, as a
/// `Layout` value, before `draw(_:)` puts a pixel down.
extension FigureRenderer {
    /// Where everything of the figure goes, decided before anything is drawn.
    struct Layout {
        var xAxis: Axis
        var yAxis: Axis
        var panelRects: [Rect]
        var legend: Legend
        var legendFrame: (frame: Rect, placement: LegendPlacement)?
        var notes: [String]
        var skipped: SkipCount
        var yLabelText: String?
        var xLabelProvisional: String?
        var tickHeight: Double
    }

    /// The panel grid's vertical measures: the y axis' length fixes its ticks.
    struct Rows {
        var top: Double, cellH: Double, rowGap: Double, panelTitleH: Double
    }

    /// Axes, margins, panel frames and the legend's spot. Vertical margins come first, then
    /// y ticks for the panel height, which fix the left margin, then x ticks for the panel
    /// width; the legend goes inside where it hides least data, else outside on the right.
    func layout() throws -> Layout {
        let layers = spec.panels.flatMap(\.layers)
        var (xAxis, yAxis) = try axes(layers)
        let skipped = layers.reduce(SkipCount()) { $0 + $1.skipped(xScale: spec.xScale, yScale: spec.yScale) }
        var notes = spec.extraNotes
        if skipped.nonFinite > 0 { notes.append("\(skipped.nonFinite) point\(skipped.nonFinite == 1 ? "" : "s") with NaN/∞ not drawn") }
        if skipped.nonPositive > 0 { notes.append("\(skipped.nonPositive) point\(skipped.nonPositive == 1 ? "" : "s") ≤ 0 not drawn on the log axis") }
        var entries = [LegendEntry]()
        for entry in layers.flatMap(\.legendEntries) where !entries.contains(entry) { entries.append(entry) }
        var legend = Legend(entries: entries, title: spec.legendTitle, theme: theme, canvas: canvas)

        var rows = try rowLayout(notes: notes, yAxis: &yAxis)
        var yLabelText = axisTitle(spec.yLabel, exponent: yAxis.exponent, scale: spec.yScale)
        var columns = ColumnLayout(renderer: self, xAxis: xAxis, yAxis: yAxis, yLabelText: yLabelText)
        var (cellW, columnGap, fittedX) = columns.fit(extraRight: 0)
        xAxis = fittedX
        var panelRects = rects(left: columns.left, rows: rows, cellW: cellW, columnGap: columnGap)
        var legendFrame: (frame: Rect, placement: LegendPlacement)?
        if spec.showLegend && !entries.isEmpty {
            if let inside = insideLegendFrame(legend, panelRects: panelRects, xAxis: xAxis, yAxis: yAxis) {
                legendFrame = inside
            } else if legend.size.width + 3 * theme.gap > Self.rightLegendShare * canvas.width {
                // A narrow figure: the legend goes below, its entries side by side, and the
                // panels give up its height instead of half their width.
                legend.columnCount = legend.columnsFitting(width: canvas.width - 2 * theme.padding)
                let size = legend.size
                rows = try rowLayout(notes: notes, yAxis: &yAxis, extraBottom: size.height + theme.gap)
                yLabelText = axisTitle(spec.yLabel, exponent: yAxis.exponent, scale: spec.yScale)
                columns = ColumnLayout(renderer: self, xAxis: xAxis, yAxis: yAxis, yLabelText: yLabelText)
                (cellW, columnGap, fittedX) = columns.fit(extraRight: 0)
                xAxis = fittedX
                panelRects = rects(left: columns.left, rows: rows, cellW: cellW, columnGap: columnGap)
                let top = canvas.height - theme.padding - noteHeight(notes) - size.height
                legendFrame = (Rect(x: (canvas.width - size.width) / 2, y: top, width: size.width, height: size.height), .outsideBottom)
            } else {
                (cellW, columnGap, fittedX) = columns.fit(extraRight: legend.size.width + 3 * theme.gap)
                xAxis = fittedX
                panelRects = rects(left: columns.left, rows: rows, cellW: cellW, columnGap: columnGap)
                let lastColumn = panelRects[min(columns.count, spec.panels.count) - 1]
                legendFrame = (LegendPlacement.outsideRight.frame(size: legend.size, in: lastColumn, inset: theme.gap * 1.5), .outsideRight)
            }
        }
        return Layout(xAxis: xAxis, yAxis: yAxis, panelRects: panelRects, legend: legend, legendFrame: legendFrame,
                      notes: notes, skipped: skipped, yLabelText: yLabelText,
                      xLabelProvisional: axisTitle(spec.xLabel, exponent: 0, scale: spec.xScale),
                      tickHeight: canvas.measure("0", font: theme.tickFont).height)
    }

    /// Both axes over the data and the reference lines (a line outside the data still shows).
    private func axes(_ layers: [any PlotLayer]) throws -> (Axis, Axis) {
        var extent = DataExtent()
        for layer in layers { extent.formUnion(layer.extent(xScale: spec.xScale, yScale: spec.yScale)) }
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
        let yAxis = Axis(scale: spec.yScale, domain: spec.yRange ?? Axis.domain(for: yExtent, scale: spec.yScale, includeZero: spec.includeZeroY))
        return (xAxis, yAxis)
    }

    /// The most of the figure's width a legend outside on the right may take; a wider one
    /// goes below the plot.
    static let rightLegendShare = 0.3

    /// The height of the notes line at the bottom, with its gap; 0 without notes.
    private func noteHeight(_ notes: [String]) -> Double {
        notes.isEmpty ? 0 : canvas.measure(notes.joined(separator: "; "), font: theme.noteFont).height + theme.gap
    }

    /// Vertical margins, the rows of panels, and the y ticks that fit their height;
    /// `extraBottom` is kept free above the notes (for a legend below the plot).
    private func rowLayout(notes: [String], yAxis: inout Axis, extraBottom: Double = 0) throws -> Rows {
        let lines = titleLines
        let titleH = lines.isEmpty ? 0 : Double(lines.count) * canvas.measure("Hg", font: theme.titleFont).height + theme.gap * 1.5
        let labelH = canvas.measure("Hg", font: theme.labelFont).height
        let tickH = canvas.measure("0", font: theme.tickFont).height
        let top = theme.padding + titleH + tickH / 2
        let bottom = theme.padding + noteHeight(notes) + extraBottom + (spec.xLabel != nil ? labelH + theme.gap : 0) + tickH + theme.gap + theme.tickLength
        let count = spec.panels.count, columns = columnCount
        let rows = (count + columns - 1) / columns
        let hasPanelTitles = spec.panels.contains { $0.title != nil }
        let panelTitleH = hasPanelTitles ? canvas.measure("Hg", font: theme.panelTitleFont).height + theme.gap : 0
        let incompleteLastRow = count % columns != 0
        let rowGap = rows > 1 ? (incompleteLastRow ? tickH + theme.tickLength + 3 * theme.gap : 3 * theme.gap) : 0
        let cellH = (canvas.height - top - bottom - Double(rows - 1) * rowGap - Double(rows) * panelTitleH) / Double(rows)
        guard cellH > 4 * tickH else { throw PlotError.invalidArgument("\(rows) rows of panels do not fit in a \(Int(canvas.height)) px tall figure") }
        yAxis.fitTicks(length: cellH, horizontal: false, canvas: canvas, font: theme.tickFont)
        return Rows(top: top, cellH: cellH, rowGap: rowGap, panelTitleH: panelTitleH)
    }

    /// Horizontal margins: the left one from the y tick labels, the right one from the last
    /// x tick label's overhang (or the legend), the gap between columns from the tick
    /// labels at the ends of neighbouring panels.
    private struct ColumnLayout {
        let renderer: FigureRenderer
        let xAxis: Axis
        let count: Int
        let left: Double

        init(renderer: FigureRenderer, xAxis: Axis, yAxis: Axis, yLabelText: String?) {
            let (canvas, theme) = (renderer.canvas, renderer.theme)
            self.renderer = renderer
            self.xAxis = xAxis
            count = renderer.columnCount
            let labelH = canvas.measure("Hg", font: theme.labelFont).height
            let yTickW = yAxis.ticks.compactMap(\.label).map { canvas.measure($0, font: theme.tickFont).width }.max() ?? 0
            left = theme.padding + (yLabelText != nil ? labelH + theme.gap : 0) + yTickW + theme.gap + theme.tickLength
        }

        private func columns(right: Double, gap: Double) -> (cellW: Double, axis: Axis) {
            let cellW = (renderer.canvas.width - left - right - Double(count - 1) * gap) / Double(count)
            var axis = xAxis
            axis.fitTicks(length: max(cellW, 1), horizontal: true, canvas: renderer.canvas, font: renderer.theme.tickFont)
            return (cellW, axis)
        }

        private func overhang(_ axis: Axis, cellW: Double) -> Double {
            guard let last = axis.ticks.last(where: \.isMajor), let text = last.label else { return 0 }
            return max(0, renderer.canvas.measure(text, font: renderer.theme.tickFont).width / 2 - (1 - axis.fraction(last.value)) * cellW)
        }

        private func withRightMargin(extra: Double, gap: Double) -> (cellW: Double, axis: Axis) {
            let padding = renderer.theme.padding
            var (cellW, axis) = columns(right: padding + extra, gap: gap)
            let needed = overhang(axis, cellW: cellW)
            if extra == 0, needed > padding { (cellW, axis) = columns(right: needed + renderer.theme.gap, gap: gap) }
            return (cellW, axis)
        }

        /// Panel width, column gap and the fitted x axis, with `extraRight` kept free.
        func fit(extraRight: Double) -> (cellW: Double, columnGap: Double, xAxis: Axis) {
            let theme = renderer.theme
            var gap = count > 1 ? 3 * theme.gap : 0
            var (cellW, axis) = withRightMargin(extra: extraRight, gap: gap)
            guard count > 1 else { return (cellW, gap, axis) }
            let labelled = axis.ticks.filter(\.isMajor)
            func halfWidth(_ t: Tick?) -> Double { t?.label.map { renderer.canvas.measure($0, font: theme.tickFont).width / 2 } ?? 0 }
            let leftOverhang = max(0, halfWidth(labelled.first) - axis.fraction(labelled.first?.value ?? 0) * cellW)
            let needed = leftOverhang + overhang(axis, cellW: cellW) + 2 * theme.gap
            if needed > gap {
                gap = needed
                (cellW, axis) = withRightMargin(extra: extraRight, gap: gap)
            }
            return (cellW, gap, axis)
        }
    }

    /// The inside spot hiding least data over all panels, or nil when the legend is too big
    /// for a panel or every spot would hide data (then it goes outside on the right).
    private func insideLegendFrame(_ legend: Legend, panelRects: [Rect], xAxis: Axis,
                                   yAxis: Axis) -> (frame: Rect, placement: LegendPlacement)? {
        let size = legend.size
        var best: (panel: Int, placement: LegendPlacement, hidden: Int)?
        var total = 0
        for (i, panel) in spec.panels.enumerated() {
            let frame = PlotFrame(canvas: canvas, theme: theme, rect: panelRects[i], x: xAxis, y: yAxis)
            var occupied = panel.layers.flatMap { $0.occupancy(in: frame) }
            occupied += referenceLabels(panel.referenceLines, frame: frame, occupied: occupied).map(\.frame).flatMap(corners)
            occupied += referenceLineSamples(panel.referenceLines, frame: frame)
            total += occupied.count
            let candidate = Legend.bestPlacement(size: size, plot: panelRects[i], inset: theme.gap * 1.5, occupied: occupied)
            if best == nil || candidate.hidden < (best?.hidden ?? 0) { best = (i, candidate.placement, candidate.hidden) }
        }
        let fits = size.width < panelRects[0].width * 0.6 && size.height < panelRects[0].height * 0.8
        guard let best, fits, best.hidden <= total / 500 else { return nil }
        return (best.placement.frame(size: size, in: panelRects[best.panel], inset: theme.gap * 1.5), best.placement)
    }

    private func rects(left: Double, rows: Rows, cellW: Double, columnGap: Double) -> [Rect] {
        let columns = columnCount
        return spec.panels.indices.map { i in
            let row = i / columns, column = i % columns
            return Rect(x: left + Double(column) * (cellW + columnGap),
                        y: rows.top + rows.panelTitleH + Double(row) * (rows.cellH + rows.rowGap + rows.panelTitleH),
                        width: cellW, height: rows.cellH)
        }
    }
}
