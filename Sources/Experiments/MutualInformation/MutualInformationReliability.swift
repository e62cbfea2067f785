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
///   KSG. The interval is then extended by the drift d = θ̂(n) − mean θ̂(n/2) on the side the
///   estimates are moving to: a bias that shrinks like 1/n leaves ≈ d still to go at n.
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
}

/// How many resamples the checks take.
public struct ReliabilityOptions: Sendable, Hashable, Codable {
    /// Random half splits for the interval (2 estimates each).
    public var splits: Int
    /// Half splits of the permuted data for the null's interval (0: no null check).
    public var nullSplits: Int
    /// The normal quantile of the interval (1.96: 95 %).
    public var z: Double
    public init(splits: Int = 5, nullSplits: Int = 3, z: Double = 1.96) {
        self.splits = splits; self.nullSplits = nullSplits; self.z = z
    }
}

public enum MutualInformationReliability {
    /// θ̂ with interval and checks for `method` on paired rows (see `CheckedMutualInformation`).
    /// Cost: about 1 + splits/2 + 1/4 + 1 + nullSplits/2 full estimates for an O(n²) estimator.
    public static func check(_ label: String, _ x: Matrix, _ y: Matrix, options: ReliabilityOptions = ReliabilityOptions(),
                             generator: inout SeededGenerator, estimate: (Matrix, Matrix) throws -> Double) throws -> CheckedMutualInformation {
        let n = x.rows
        guard y.rows == n else { throw MutualInformationError.rowMismatch(x: n, y: y.rows) }
        let value = try estimate(x, y)
        let (halves, quarters) = try resampled(x, y, splits: max(1, options.splits), quarters: true, generator: &generator, estimate: estimate)
        let halfMean = mean(halves), spread = standardDeviation(halves)
        let quarterMean = quarters.isEmpty ? Double.nan : mean(quarters)
        let drift = value - halfMean
        var lower = value - options.z * spread + min(0, drift), upper = value + options.z * spread + max(0, drift)
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
            let s0 = standardDeviation(h0), d0 = v0 - mean(h0)
            let lo = v0 - options.z * s0 + min(0, d0), hi = v0 + options.z * s0 + max(0, d0)
            null = v0; nullLower = lo; nullUpper = hi
            if !(lo <= 0 && 0 <= hi) {
                problems.append(String(format: "reads %.3f nats [%.3f, %.3f] on permuted y, where the truth is 0", v0, lo, hi))
            }
        }
        var details = ["halfMean": halfMean, "quarterMean": quarterMean, "spread": spread, "drift": drift, "n": Double(n)]
        if let null { details["null"] = null }
        if let nullLower, let nullUpper { details["nullLower"] = nullLower; details["nullUpper"] = nullUpper }
        details["reliable"] = problems.isEmpty ? 1 : 0
        return CheckedMutualInformation(
            estimate: MutualInformationEstimate(estimator: label, value: value, lower: lower, upper: upper, details: details),
            halfMean: halfMean, quarterMean: quarterMean, spread: spread,
            null: null, nullLower: nullLower, nullUpper: nullUpper, problems: problems)
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
