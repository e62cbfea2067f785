import Foundation

/// A correlation integral as numbers: C(r), the fraction of pairs closer than r, at
/// ascending radii (Grassberger & Procaccia 1983). What a sweep keeps of each code set's
/// correlation-dimension fit, so the family of C(r) curves can be drawn.
public struct CorrelationCurve: Sendable, Hashable, Codable {
    /// Radii, ascending, in the data's units.
    public var radii: [Double]
    /// C(r) at each radius, in [0, 1], non-decreasing.
    public var values: [Double]
    public init(radii: [Double], values: [Double]) {
        self.radii = radii
        self.values = values
    }

    /// The median pair distance: the radius where C crosses ½, interpolated linearly in
    /// (ln r, ln C) between the two radii around the crossing; nil when C never reaches ½
    /// or starts above it.
    public var medianDistance: Double? {
        guard let j = values.firstIndex(where: { $0 >= 0.5 }), j > 0, values[j - 1] > 0 else { return nil }
        let (r0, r1) = (log(radii[j - 1]), log(radii[j]))
        let (c0, c1) = (log(values[j - 1]), log(values[j]))
        guard c1 > c0 else { return radii[j] }
        return exp(r0 + (log(0.5) - c0) / (c1 - c0) * (r1 - r0))
    }

    /// ln C at ln r = `u`, interpolated linearly between the radii with C > 0; nil outside them.
    func logValue(atLogRadius u: Double) -> Double? {
        let usable = radii.indices.filter { values[$0] > 0 && radii[$0] > 0 }
        guard let first = usable.first, let last = usable.last, u >= log(radii[first]), u <= log(radii[last]) else { return nil }
        for (a, b) in zip(usable, usable.dropFirst()) where u <= log(radii[b]) {
            let (ua, ub) = (log(radii[a]), log(radii[b]))
            let t = ub > ua ? (u - ua) / (ub - ua) : 0
            return log(values[a]) + t * (log(values[b]) - log(values[a]))
        }
        return log(values[first]) // a single usable radius, u on it
    }
}

/// The family of C(r) curves of a sweep's codes, one per code dimension d — the talk's
/// fractal-dimension figure. Codes of different d live on different scales (a linear code
/// layer fixes none), so each curve is drawn against r / r½, its own median pair distance:
/// every curve then passes through (1, ½) and the curves differ only in shape, the slope of
/// ln C against ln r (the correlation dimension) reading directly off the fan.
/// Per d, the seeds' curves are interpolated in (ln r, ln C) onto one grid and summarised
/// by their median and min–max.
public struct CorrelationFamily: Sendable, Hashable {
    /// One curve of the family: C against r / r½ on the grid points every seed covers
    /// (fewer than the grid's at its ends), median over seeds with the min–max spread.
    public struct Member: Sendable, Hashable {
        public var d: Int
        public var seeds: Int
        public var scaledRadii: [Double]
        public var median: [Double]
        public var lower: [Double]
        public var upper: [Double]
    }

    public var members: [Member]

    /// - Parameters:
    ///   - curves: (d, curve) per measured code set, several per d for several seeds.
    ///   - gridPoints: log-spaced points of r / r½ shared by every member.
    public init(_ curves: [(d: Int, curve: CorrelationCurve)], gridPoints: Int = 100) {
        let scaled = curves.compactMap { item in item.curve.medianDistance.map { (item.d, item.curve, $0) } }
        let bounds = scaled.flatMap { _, curve, half in
            curve.radii.indices.filter { curve.values[$0] > 0 }.map { log(curve.radii[$0] / half) }
        }
        guard let lo = bounds.min(), let hi = bounds.max(), hi > lo, gridPoints >= 2 else { members = []; return }
        let grid = (0..<gridPoints).map { lo + (hi - lo) * Double($0) / Double(gridPoints - 1) }
        let byD = Dictionary(grouping: scaled, by: { $0.0 })
        members = byD.keys.sorted().compactMap { d in
            let seeds = byD[d] ?? []
            var member = Member(d: d, seeds: seeds.count, scaledRadii: [], median: [], lower: [], upper: [])
            for u in grid {
                // ln(r/r½) = u  ⇔  ln r = u + ln r½.
                let values = seeds.map { _, curve, half in curve.logValue(atLogRadius: u + log(half)) }
                guard values.allSatisfy({ $0 != nil }) else { continue }
                let c = values.compactMap { $0 }.map(exp).sorted()
                member.scaledRadii.append(exp(u))
                member.median.append(c.count % 2 == 1 ? c[c.count / 2] : (c[c.count / 2 - 1] + c[c.count / 2]) / 2)
                member.lower.append(c[0])
                member.upper.append(c[c.count - 1])
            }
            return member.scaledRadii.count >= 2 ? member : nil
        }
    }

    /// One curve (the images') on the same axis: C against r / r½ at its own radii with C > 0.
    public static func scaled(_ curve: CorrelationCurve) -> (scaledRadii: [Double], values: [Double])? {
        guard let half = curve.medianDistance else { return nil }
        let usable = curve.radii.indices.filter { curve.values[$0] > 0 }
        return (usable.map { curve.radii[$0] / half }, usable.map { curve.values[$0] })
    }
}
