import EntropyCurve
import Foundation
import Notebook
import Plot

/// The images' correlation-dimension values an `{entropy-curve}` with `corrdim: true` is
/// compared with, read from the `{corrdim}` cell named by `reference-corrdim`: its fit and,
/// when its C(r) has one, the slope of a second scaling region — the two numbers conclusion 5
/// (`{claim}` test `corrdim-saturates`) compares the codes with — and the images' C(r).
struct CorrdimReference {
    /// The `{corrdim}` fit (the one definition shared with `{dimension}`).
    var images: EstimateValue
    /// `ID.other-region`: a second scaling region with a real plateau, which the claim may match.
    var secondRegion: EstimateValue?
    /// A flat run of local slopes that is only the turning point of a V: shown, never matched.
    var turningPoint: Double?
    /// The images' C(r) (`ID.curve`, stored as ln C against ln r).
    var integral: CorrelationCurve?

    init(images: EstimateValue, secondRegion: EstimateValue? = nil, turningPoint: Double? = nil, integral: CorrelationCurve? = nil) {
        self.images = images
        self.secondRegion = secondRegion
        self.turningPoint = turningPoint
        self.integral = integral
    }

    /// The values stored by the `{corrdim}` cell `id`.
    init(_ id: ResultID, context: CellContext) throws {
        images = try context.value(id, as: EstimateValue.self)
        secondRegion = context.value(id: id.id + "." + CorrdimDirective.otherRegionSlot) as? EstimateValue
        let competing = images.details.first { $0.name == CorrdimDirective.Detail.otherScalingRegion }?.value
        turningPoint = secondRegion == nil ? competing : nil
        if let curve = context.value(id: id.id + ".curve") as? CurveValue, let s = curve.series.first {
            integral = CorrelationCurve(radii: s.x.map(Foundation.exp), values: s.y.map(Foundation.exp))
        }
    }

    /// Horizontal lines for every value the claim compares with (and the turning point, marked unused).
    var lines: [ReferenceLine] {
        var out = [ReferenceLine.horizontal(images.value, label: "images: \(formatNumber(images.value, significantDigits: 3))", color: .black)]
        if let s = secondRegion {
            out.append(.horizontal(s.value, label: "images, second scaling region: \(formatNumber(s.value, significantDigits: 3))",
                                   color: Palette.color(1)))
        }
        if let t = turningPoint {
            out.append(.horizontal(t, label: "images, local slopes only turn at \(formatNumber(t, significantDigits: 3)) (not a plateau: unused)",
                                   color: .gray(0.55)))
        }
        return out
    }

    /// Caption words for the lines.
    var caption: String {
        var text = "The black line is the images' correlation dimension"
        if secondRegion != nil {
            text += "; the orange line the slope of the second scaling region of the images' C(r), where its local slopes have a real plateau. "
                + "These are the two values conclusion 5 compares the codes' tail with."
        } else if turningPoint != nil {
            text += ", the one value conclusion 5 compares the codes' tail with; the grey line is where the images' local slopes only turn "
                + "(the bottom of a V or the top of a Λ, not a plateau), so it is not a second scaling region and the claim does not use it."
        } else {
            text += ", the one value conclusion 5 compares the codes' tail with (the images' C(r) has no second scaling region)."
        }
        return text
    }
}

extension EntropyCurveReport {
    /// The codes' correlation dimension against d with the images' values as lines.
    func corrdimFigure(_ curve: CurveValue, lines: [ReferenceLine], spreadNote: String) throws -> Figure {
        try figure("corrdim", "Correlation dimension of the codes against d\(spreadNote). " + (reference?.caption ?? ""),
                   curve, lines + (reference?.lines ?? []))
    }

    /// The family of the codes' C(r), one line per d, and the images' C(r) in black: the
    /// figure and its curve record. Nil without correlation integrals.
    func correlationFamily() throws -> (Figure, CurveValue)? {
        let family = CorrelationFamily(points.compactMap { p in p.correlationIntegral.map { (p.d, $0) } })
        guard !family.members.isEmpty else { return nil }
        var series = family.members.map {
            Series(name: "\($0.d)", x: $0.scaledRadii, y: $0.median,
                   lower: $0.seeds > 1 ? $0.lower : nil, upper: $0.seeds > 1 ? $0.upper : nil)
        }
        let images = reference?.integral.flatMap(CorrelationFamily.scaled)
        if let images { series.append(Series(name: "images", x: images.scaledRadii, y: images.values)) }
        let title = "C(r) of the codes, one line per d — \(label)"
        let xLabel = "r / r½ (r½: median pair distance)"
        let curve = CurveValue(title: title, xLabel: xLabel, yLabel: "C(r), fraction of pairs closer than r", series: series)
        let members = series.prefix(family.members.count).map { LineChart.Series(name: $0.name, x: $0.x, y: $0.y) }
        let chart = try CurveFamilyChart(title: title, xLabel: xLabel, yLabel: curve.yLabel, members: Array(members),
                                         parameter: "code dimension d",
                                         reference: images.map { LineChart.Series(name: "images", x: $0.scaledRadii, y: $0.values) })
        let seeds = Set(points.map(\.repeatIndex)).count
        let caption = "The correlation integral C(r) of the codes for each code dimension d (dark: small d, light: large d"
            + (seeds > 1 ? "; median over \(seeds) seeds" : "; one seed") + ")"
            + (images != nil ? " and of the images (black)" : "")
            + ", on log-log axes. Each set's radii are divided by its median pair distance r½, so every curve passes through (1, ½) "
            + "and the curves differ only in slope: the slope of ln C against ln r at small r is the correlation dimension, "
            + "the number plotted against d in the figure above. Codes of different d have no common scale, hence the rescaling."
        return (try Figure(name: "correlation-family", caption: caption, chart: chart), curve)
    }
}
