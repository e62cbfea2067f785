import Foundation
import Linalg

/// An estimate with its interval and its consistency check (Abdelaleem et al. 2025 argue
/// these are what MI estimators lack):
///
/// - **Interval (half-sampling).** The data are split at random into two halves, `splits`
///   times; s is the standard deviation of the 2·`splits` half-sample estimates. For
///   half-samples drawn without replacement the spread of θ̂(n/2) around its mean is
///   σ²(2/n − 1/n) = σ²/n, the variance of θ̂(n) itself (the classical half-sampling
///   identity), so θ̂ ± z·s is a normal-approximation interval for the full estimate.
///   Unlike the bootstrap it never duplicates rows, which would put zero distances into
///   KSG. The interval is then extended on the side the estimates are moving to by the bias
///   still to come, extrapolated from n/4 → n/2 → n (`SettlingRule`): half-sampling measures
///   spread, not a bias that has not settled.
/// - **Consistency.** θ̂ on n, n/2 (mean of the halves) and n/4 rows (mean of four
///   quarters), and on Y with its rows permuted (true I = 0), with the same interval. The
///   estimate is *unreliable* when the null's interval excludes 0, or when the drift from
///   n/2 to n is larger than max(2·s, 0.05 + 0.1·|θ̂|) nats.
public struct CheckedMutualInformation: Sendable, Hashable, Codable {
    public var estimate: MutualInformationEstimate
    /// Mean estimate on halves and on quarters of the rows.
    public var halfMean: Double
    public var quarterMean: Double
    /// The half-sample standard deviation s.
    public var spread: Double
    /// The estimate on permuted Y and its interval.
    public var null: Double?
    public var nullLower: Double?
    public var nullUpper: Double?
    /// Empty when the checks passed; otherwise what failed, in words with numbers.
    public var problems: [String]
    public var isReliable: Bool { problems.isEmpty }
    /// Why only the lower end of the interval is claimed (`MutualInformationReliability.lowerBoundOnly`),
    /// or nil for a two-sided interval. The estimate's `upper` is then nil.
    public var oneSided: String?
}

/// How many resamples the checks take.
public struct ReliabilityOptions: Sendable, Hashable, Codable {
    /// Random half splits for the interval (2 estimates each).
    public var splits: Int
    /// Half splits of the permuted data for the null's interval (0: no null check).
    public var nullSplits: Int
    /// The normal quantile of the interval (1.96: 95 %).
    public var z: Double
    /// `SettlingRule.maximumRatio`: how far the n/4 → n/2 → n drift is extrapolated.
    public var maximumRatio: Double
    public init(splits: Int = 5, nullSplits: Int = 3, z: Double = 1.96, maximumRatio: Double = 0.8) {
        self.splits = splits; self.nullSplits = nullSplits; self.z = z; self.maximumRatio = maximumRatio
    }
    /// The rule for an interval from `splits` half splits.
    public func rule(splits: Int) -> SettlingRule { SettlingRule(z: z, degreesOfFreedom: max(1, splits), maximumRatio: maximumRatio) }
}

/// The interval of an estimate: its sampling spread and the bias it has still to shed,
/// extrapolated from how it moved between n/4, n/2 and n rows.
///
/// A bias that shrinks like c·m^(−α) makes successive drifts d₁ = θ̂(n/2) − θ̂(n/4) and
/// d₂ = θ̂(n) − θ̂(n/2) a geometric sequence of ratio r = d₂/d₁ = 2^(−α); what remains after
/// n is d₂·r/(1 − r) (Richardson's extrapolation of the sequence). r = ½ (a 1/n bias, as a
/// plug-in's) leaves d₂ still to go; KSG in many dimensions converges like n^(−1/d), r → 1.
/// The rule: when d₁ and d₂ agree in sign, the remaining bias is d₂·r/(1 − r) with r capped
/// at `maximumRatio` (at the cap: still moving as fast as before, extrapolated no further);
/// otherwise the drifts are noise and the remainder is d₂ (one more step). Never less than
/// d₂. The interval is θ̂ ± t·s, extended by the remainder on the side the estimates move to.
///
/// t is Student's quantile for `degreesOfFreedom` = the number of random half splits, not the
/// normal z: s is estimated from that many independent half-sample contrasts (five by default),
/// and a standard deviation from five contrasts is often half the true one (t₅ = 2.571 for
/// z = 1.96, by the Cornish–Fisher expansion, Abramowitz & Stegun 26.7.5).
public struct SettlingRule: Sendable, Hashable, Codable {
    /// The normal quantile of the statistical part (1.96: 95 %).
    public var z: Double
    /// The contrasts s is estimated from (the half splits); 0: use z as it is.
    public var degreesOfFreedom: Int
    /// The largest drift ratio extrapolated (0.8: a remainder of at most 4·d₂).
    public var maximumRatio: Double
    public init(z: Double = 1.96, degreesOfFreedom: Int = 0, maximumRatio: Double = 0.8) {
        self.z = z; self.degreesOfFreedom = degreesOfFreedom; self.maximumRatio = maximumRatio
    }

    /// Student's t quantile at the normal quantile `z` for ν degrees of freedom (Cornish–Fisher
    /// expansion to ν⁻⁴, Abramowitz & Stegun 26.7.5: 2.5706 for z = 1.96, ν = 5, exact 2.5706;
    /// 3.179 for ν = 3, exact 3.182; 4.27 for ν = 2, exact 4.30).
    public static func studentQuantile(z: Double, degreesOfFreedom nu: Int) -> Double {
        guard nu > 0 else { return z }
        // ν = 1 is Cauchy's quantile, exactly; the expansion holds from 2 on.
        if nu == 1 { return tan(Double.pi * 0.5 * erf(z / 2.0.squareRoot())) }
        let v = Double(nu)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
            + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v)
    }

    /// The multiplier of s: t for the contrasts, or z.
    public var quantile: Double { Self.studentQuantile(z: z, degreesOfFreedom: degreesOfFreedom) }

    public struct Interval: Sendable, Hashable {
        public var lower: Double
        public var upper: Double
        /// The bias still to come, signed (the extrapolated value is θ̂ + remaining).
        public var remaining: Double
        /// d₂/d₁ when the drifts agree in sign, else nil.
        public var ratio: Double?
    }

    /// The interval from θ̂ on n rows, the mean on halves and on quarters, and the
    /// half-sample standard deviation s (non-finite inputs: the interval collapses to θ̂).
    public func interval(value: Double, halfMean: Double, quarterMean: Double, spread: Double) -> Interval {
        guard value.isFinite, halfMean.isFinite, spread.isFinite else {
            return Interval(lower: value, upper: value, remaining: 0, ratio: nil)
        }
        let d2 = value - halfMean, d1 = halfMean - quarterMean
        var remaining = d2
        var ratio: Double?
        if d1.isFinite, d1 != 0, d2 / d1 > 0 {
            let r = d2 / d1
            ratio = r
            let capped = min(r, maximumRatio)
            let tail = d2 * capped / (1 - capped)
            remaining = abs(tail) > abs(d2) ? tail : d2
        }
        let t = quantile
        return Interval(lower: value - t * spread + min(0, remaining), upper: value + t * spread + max(0, remaining),
                        remaining: remaining, ratio: ratio)
    }
}

public enum MutualInformationReliability {
    /// From this many joint dimensions d_x + d_y on, a k-NN (KSG) estimate claims only a lower
    /// bound: its bias is negative for dependent data and decays like n^(−1/d) (Gao, Ver Steeg
    /// & Galstyan 2015; Czyż et al. 2023), too slowly for n/4 → n/2 → n to show it. Measured on
    /// the 40 bmi tasks at n = 5 000 (mi-benchmark.md): KSG-1 on normal scores read the 3 × 3
    /// and 5 × 5 Student-t and spiral tasks 30–50 % low with a flat n/4 → n/2 → n, and the 1 × 1
    /// and 2 × 2 tasks within their intervals — the threshold lies between 4 and 6.
    public static let lowerBoundDimension = 6

    /// Why a KSG-type estimate on d_x + d_y dimensions claims only its lower end, or nil.
    public static func lowerBoundOnly(kNearestNeighbours: Bool, dimX: Int, dimY: Int) -> String? {
        guard kNearestNeighbours, dimX + dimY >= lowerBoundDimension else { return nil }
        return "k-NN in d_x + d_y = \(dimX + dimY) ≥ \(lowerBoundDimension) dimensions reads low by more than its n/4 → n/2 → n drift shows: a lower bound only"
    }

    /// θ̂ with interval and checks for `method` on paired rows (see `CheckedMutualInformation`).
    /// `oneSided`: claim only the interval's lower end, for this reason (`lowerBoundOnly`).
    /// Cost: about 1 + splits/2 + 1/4 + 1 + nullSplits/2 full estimates for an O(n²) estimator.
    public static func check(_ label: String, _ x: Matrix, _ y: Matrix, options: ReliabilityOptions = ReliabilityOptions(),
                             oneSided: String? = nil,
                             generator: inout SeededGenerator, estimate: (Matrix, Matrix) throws -> Double) throws -> CheckedMutualInformation {
        let n = x.rows
        guard y.rows == n else { throw MutualInformationError.rowMismatch(x: n, y: y.rows) }
        let value = try estimate(x, y)
        let (halves, quarters) = try resampled(x, y, splits: max(1, options.splits), quarters: true, generator: &generator, estimate: estimate)
        let halfMean = mean(halves), spread = standardDeviation(halves)
        let quarterMean = quarters.isEmpty ? Double.nan : mean(quarters)
        let drift = value - halfMean
        let interval = options.rule(splits: options.splits).interval(value: value, halfMean: halfMean, quarterMean: quarterMean, spread: spread)
        var lower = interval.lower, upper = interval.upper
        if !lower.isFinite || !upper.isFinite { lower = value; upper = value }
        var problems = [String]()
        let tolerance = max(2 * spread, 0.05 + 0.1 * abs(value))
        if abs(drift) > tolerance {
            problems.append(String(format: "not settled in n: %.3f nats on n/4 rows, %.3f on n/2, %.3f on n (drift %.3f > %.3f allowed)",
                                   quarterMean, halfMean, value, drift, tolerance))
        }
        var null: Double?, nullLower: Double?, nullUpper: Double?
        if options.nullSplits > 0 {
            let order = generator.permutation(n)
            let shuffled = y.rows(at: order)
            let v0 = try estimate(x, shuffled)
            let (h0, _) = try resampled(x, shuffled, splits: options.nullSplits, quarters: false, generator: &generator, estimate: estimate)
            let i0 = options.rule(splits: options.nullSplits).interval(value: v0, halfMean: mean(h0), quarterMean: .nan, spread: standardDeviation(h0))
            let lo = i0.lower, hi = i0.upper
            null = v0; nullLower = lo; nullUpper = hi
            if !(lo <= 0 && 0 <= hi) {
                problems.append(String(format: "reads %.3f nats [%.3f, %.3f] on permuted y, where the truth is 0", v0, lo, hi))
            }
        }
        var details = ["halfMean": halfMean, "quarterMean": quarterMean, "spread": spread, "drift": drift, "n": Double(n),
                       "remaining": interval.remaining, "extrapolated": value + interval.remaining]
        if let r = interval.ratio { details["driftRatio"] = r }
        if let null { details["null"] = null }
        if let nullLower, let nullUpper { details["nullLower"] = nullLower; details["nullUpper"] = nullUpper }
        details["reliable"] = problems.isEmpty ? 1 : 0
        if oneSided != nil { details["oneSided"] = 1 }
        return CheckedMutualInformation(
            estimate: MutualInformationEstimate(estimator: label, value: value, lower: lower, upper: oneSided == nil ? upper : nil, details: details),
            halfMean: halfMean, quarterMean: quarterMean, spread: spread,
            null: null, nullLower: nullLower, nullUpper: nullUpper, problems: problems, oneSided: oneSided)
    }

    /// Estimates on 2·splits random halves, and on the four quarters of the first split.
    static func resampled(_ x: Matrix, _ y: Matrix, splits: Int, quarters: Bool, generator: inout SeededGenerator,
                          estimate: (Matrix, Matrix) throws -> Double) throws -> ([Double], [Double]) {
        let n = x.rows, half = n / 2
        var halves = [Double](), quarterValues = [Double]()
        for s in 0..<splits {
            try Cancellation.checkpoint()
            let order = generator.permutation(n)
            let a = Array(order[0..<half]), b = Array(order[half..<(2 * half)])
            halves.append(try estimate(x.rows(at: a), y.rows(at: a)))
            halves.append(try estimate(x.rows(at: b), y.rows(at: b)))
            if s == 0 && quarters && n >= 8 {
                let q = n / 4
                for part in 0..<4 {
                    let rows = Array(order[(part * q)..<((part + 1) * q)])
                    if let v = try? estimate(x.rows(at: rows), y.rows(at: rows)) { quarterValues.append(v) }
                }
            }
        }
        return (halves, quarterValues)
    }

    static func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count) }
    static func standardDeviation(_ v: [Double]) -> Double {
        guard v.count > 1 else { return .nan }
        let m = mean(v)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }
}
