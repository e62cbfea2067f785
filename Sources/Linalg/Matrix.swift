import Foundation

/// A dense row-major matrix of `Float` (Float32) with contiguous storage.
///
/// Rows are samples and columns are features throughout EntropyBook, so `rows` is n and
/// `columns` is the dimension d. Storage is a Swift array (copy-on-write); heavy work goes
/// through `withUnsafeBufferPointer` and BLAS (see `BLAS.swift`).
public struct Matrix: Sendable, Equatable {
    /// Number of rows (samples).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// Row-major elements: element (i, j) is `elements[i * columns + j]`.
    public var elements: [Float]

    /// A matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Float](repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major elements; `elements.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, elements: [Float]) {
        precondition(elements.count == rows * columns, "element count \(elements.count) ≠ \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from rows of equal length (convenient in tests and small fixtures).
    public init(_ rowArrays: [[Float]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i * n + i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Float {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// Row `i` as an array slice (no copy until mutated).
    public func row(_ i: Int) -> ArraySlice<Float> {
        elements[(i * columns)..<((i + 1) * columns)]
    }

    /// The rows at `indices`, in that order, as a new matrix.
    public func rows(at indices: some Collection<Int>) -> Matrix {
        var out = [Float]()
        out.reserveCapacity(indices.count * columns)
        elements.withUnsafeBufferPointer { src in
            for i in indices { out.append(contentsOf: src[(i * columns)..<((i + 1) * columns)]) }
        }
        return Matrix(rows: indices.count, columns: columns, elements: out)
    }

    /// Rows `range` as a new matrix.
    public func rows(in range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns,
               elements: Array(elements[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// The first `k` columns as a new matrix.
    public func leadingColumns(_ k: Int) -> Matrix {
        precondition(k <= columns)
        var out = Matrix(rows: rows, columns: k)
        for i in 0..<rows {
            for j in 0..<k { out.elements[i * k + j] = elements[i * columns + j] }
        }
        return out
    }

    /// The transpose (a copy).
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        elements.withUnsafeBufferPointer { a in
            t.elements.withUnsafeMutableBufferPointer { b in
                for i in 0..<rows {
                    for j in 0..<columns { b[j * rows + i] = a[i * columns + j] }
                }
            }
        }
        return t
    }

    /// True when every element is finite (no NaN or ±inf).
    public var isFinite: Bool {
        elements.withUnsafeBufferPointer { p in
            for x in p where !x.isFinite { return false }
            return true
        }
    }

    /// Element-wise conversion to Double, row-major.
    public var doubleElements: [Double] { elements.map(Double.init) }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        let shown = (0..<min(rows, 6)).map { i in
            row(i).prefix(8).map { String(format: "%9.4f", Double($0)) }.joined(separator: " ")
        }
        return "Matrix \(rows)×\(columns)\n" + shown.joined(separator: "\n")
    }
}
