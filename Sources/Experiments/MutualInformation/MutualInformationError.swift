/// Why a mutual-information estimate could not be computed: messages a user can act on.
public enum MutualInformationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// X and Y (or the labels) do not have one row each per observation.
    case rowMismatch(x: Int, y: Int)
    /// Too few rows for the estimator (KSG needs k + 1).
    case tooFewRows(needed: Int, have: Int, estimator: String)
    /// A NaN or infinite value at (row, column) of the named variable.
    case nonFinite(variable: String, row: Int, column: Int)
    /// A column whose values are all equal carries no information and breaks the estimators.
    case constantColumn(variable: String, column: Int)
    /// A parameter out of range.
    case invalidParameter(String)
    /// A covariance that is not positive definite (collinear columns).
    case singularCovariance(String)

    public var description: String {
        switch self {
        case .rowMismatch(let x, let y): "x has \(x) rows but y has \(y): the rows must be paired observations"
        case .tooFewRows(let needed, let have, let e): "\(e) needs at least \(needed) rows, the data has \(have)"
        case .nonFinite(let v, let r, let c): "\(v) has a NaN or infinite value at row \(r + 1), column \(c + 1)"
        case .constantColumn(let v, let c): "column \(c + 1) of \(v) is constant: it carries no information; drop it"
        case .invalidParameter(let m): m
        case .singularCovariance(let m): m
        }
    }

    /// Checks that `x` and `y` are paired, finite and without constant columns.
    public static func validate(_ x: Matrix, _ y: Matrix, minimumRows: Int, estimator: String) throws {
        guard x.rows == y.rows else { throw rowMismatch(x: x.rows, y: y.rows) }
        guard x.rows >= minimumRows else { throw tooFewRows(needed: minimumRows, have: x.rows, estimator: estimator) }
        for (name, m) in [("x", x), ("y", y)] {
            guard m.columns > 0 else { throw invalidParameter("\(name) has no columns") }
            for i in 0..<m.rows {
                for j in 0..<m.columns where !m.elements[i * m.columns + j].isFinite {
                    throw nonFinite(variable: name, row: i, column: j)
                }
            }
            for j in 0..<m.columns {
                let first = m.elements[j]
                var constant = true
                for i in 1..<max(1, m.rows) where m.elements[i * m.columns + j] != first { constant = false; break }
                if constant { throw constantColumn(variable: name, column: j) }
            }
        }
    }
}

import Linalg
