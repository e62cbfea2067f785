import Datasets
import Dimension
import Foundation
import Linalg

/// The direct estimators on scikit-dimension's 24 benchmark manifolds (`ScikitDimensionManifold`),
/// clean and with isotropic Gaussian noise, scored with the metric of the literature's
/// anchors (Campadelli et al. 2015; the mean relative error |d̂ − k|/k) and by the exact rate
/// of the rounded estimate. `auto` also answers "not resolvable" (no plateau across scales, or
/// a reading half-way between integers: `AutomaticDimensionRule`); that answer is counted
/// apart, never as exact.
public enum EstimatorCalibration {
    /// Row labels, in table order.
    public static let methods = ["auto", "DANCo", "TwoNN", "Gride (n₁ = 1)", "MLE", "MiND-ML", "ESS", "CorrInt"]

    /// One (manifold, n, seed, noise) case.
    public struct Case: Sendable, Hashable, Codable {
        public var set: String
        public var k: Int
        public var n: Int
        public var seed: Int
        /// Noise standard deviation as a fraction of the data's spread √(tr Σ).
        public var noise: Double
        /// Estimate per method label.
        public var estimates: [String: Double]
        /// Whether `auto` gave a confident number (`AutomaticDimension.isResolved`).
        public var autoResolved: Bool
        /// What `auto` used ("DANCo", "Gride, n₁ = 4–8").
        public var autoMethod: String
        /// Gride's estimates at n₁ = 1, 2, 4, … (empty when `auto` did not run): the scale
        /// curve `auto` read, so a rule can be re-scored without recomputing.
        public var grideCurve: [Double]
        /// Gride's standard errors at the same scales.
        public var grideErrors: [Double]
        public var seconds: Double

        /// The case with `auto`'s answer: `AutomaticDimensionRule` on the stored Gride curve and
        /// DANCo's estimate (what `AutomaticDimension` computes on the same points).
        public func withAutomaticAnswer(_ settings: AutomaticDimensionRule.Settings = .init()) -> Case {
            var c = self
            let rule = AutomaticDimensionRule(curve: grideCurve, settings: settings)
            let companions = AutomaticDimensionRule.Companions(danco: estimates["DANCo"] ?? .nan, ess: estimates["ESS"] ?? .nan,
                                                               correlation: estimates["CorrInt"] ?? .nan)
            c.estimates["auto"] = rule.value(companions)
            c.autoResolved = rule.isResolved(companions)
            c.autoMethod = rule.method
            return c
        }
    }

    /// Draws the case's points (the manifold's generator, then noise σ = `noise`·√(tr Σ) in
    /// every ambient coordinate) and runs `methods` (labels of `methods`) on them.
    public static func run(_ manifold: ScikitDimensionManifold, n: Int, seed: Int, noise: Double, methods chosen: [String],
                           rootSeed: UInt64, threads: Int) throws -> Case {
        let start = DispatchTime.now().uptimeNanoseconds
        var g = SeededGenerator(seed: rootSeed).derived("estimator-calibration-\(manifold.id)-\(n)-\(seed)")
        var x = manifold.sample(n, using: &g).points
        if noise > 0 {
            let sigma = noise * spread(x)
            var ng = SeededGenerator(seed: rootSeed).derived("estimator-calibration-noise-\(manifold.id)-\(n)-\(seed)-\(noise)")
            for e in x.elements.indices { x.elements[e] += Float(sigma * ng.normal()) }
        }
        // `auto`'s rule may ask for DANCo, ESS and the correlation integral: a case keeps them
        // all, so a changed rule re-scores it from the cache.
        var wants = Set(chosen)
        if wants.contains("auto") { wants.formUnion(["DANCo", "ESS", "CorrInt"]) }
        let neighbourCount = min(n - 1, wants.contains("ESS") ? 100 : 64)
        let nn = try NearestNeighbors(of: x, k: neighbourCount, workers: threads)
        var estimates = [String: Double]()
        // Raw outputs only: `auto` is a rule on them (`withAutomaticAnswer`), applied when the
        // case is scored, so a changed rule re-scores cached cases without recomputing them.
        let scales = try GrideDimension(neighbors: nn, rangeMax: min(64, nn.k)).scales
        let curve = scales.map(\.dimension)
        if wants.contains("auto") || wants.contains("Gride (n₁ = 1)") { estimates["Gride (n₁ = 1)"] = curve.first }
        if wants.contains("auto") || wants.contains("DANCo") {
            estimates["DANCo"] = try DANCoDimension(of: x, seed: rootSeed, workers: threads).dimension
        }
        if wants.contains("TwoNN") { estimates["TwoNN"] = try TwoNearestNeighborsDimension(neighbors: nn).dimension }
        if wants.contains("MLE") { estimates["MLE"] = try MaximumLikelihoodDimension(neighbors: nn, k: 20).dimension }
        if wants.contains("MiND-ML") { estimates["MiND-ML"] = try MinimumNeighborDistanceDimension(neighbors: nn).dimension }
        if wants.contains("ESS") {
            estimates["ESS"] = try ExpectedSimplexSkewnessDimension(of: x, neighbors: nn, neighbors: min(100, nn.k), workers: threads).dimension
        }
        if wants.contains("CorrInt") { estimates["CorrInt"] = try TwoRadiusCorrelationDimension(of: x, neighbors: nn).dimension }
        let raw = Case(set: manifold.id, k: manifold.intrinsicDimension, n: n, seed: seed, noise: noise, estimates: estimates,
                       autoResolved: false, autoMethod: "", grideCurve: curve, grideErrors: scales.map(\.standardError),
                       seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return wants.contains("auto") ? raw.withAutomaticAnswer() : raw
    }

    /// √(tr Σ): the root-mean-square distance of the points to their mean.
    public static func spread(_ x: Matrix) -> Double {
        var total = 0.0
        for c in 0..<x.columns {
            var s = 0.0, s2 = 0.0
            for i in 0..<x.rows { let v = Double(x[i, c]); s += v; s2 += v * v }
            let mean = s / Double(x.rows)
            total += max(0, s2 / Double(x.rows) - mean * mean)
        }
        return total.squareRoot()
    }

    /// A method's score over a set of cases.
    public struct Score: Sendable, Hashable {
        public var method: String
        public var cases: Int
        /// Rounded estimate = k (for `auto`: only resolved answers count).
        public var exactRate: Double
        /// Mean |d̂ − k|/k over all cases (auto: its number, resolved or not).
        public var meanRelativeError: Double
        /// Rounded estimate more than 1 off k, among confident answers.
        public var moreThanOneOffRate: Double
        /// A confident number that is not k.
        public var confidentWrongRate: Double
        /// "Not resolvable" (auto only).
        public var notResolvableRate: Double
    }

    public static func score(_ cases: [Case], method: String) -> Score {
        let scored = cases.filter { $0.estimates[method] != nil }
        var exact = 0, far = 0, wrong = 0, unresolved = 0
        var relative = 0.0
        for c in scored {
            let value = c.estimates[method] ?? .nan
            relative += abs(value - Double(c.k)) / Double(c.k)
            if method == "auto" && !c.autoResolved { unresolved += 1; continue }
            let rounded = Int(value.rounded())
            if rounded == c.k { exact += 1 } else { wrong += 1 }
            if abs(rounded - c.k) > 1 { far += 1 }
        }
        let count = Double(max(1, scored.count))
        return Score(method: method, cases: scored.count, exactRate: Double(exact) / count,
                     meanRelativeError: scored.isEmpty ? .nan : relative / Double(scored.count),
                     moreThanOneOffRate: Double(far) / count, confidentWrongRate: Double(wrong) / count,
                     notResolvableRate: Double(unresolved) / count)
    }
}
