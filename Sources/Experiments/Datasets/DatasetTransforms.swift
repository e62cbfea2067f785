import Foundation
import Linalg

extension Dataset {
    /// The rows at `indices`, in that order, with their labels and latent coordinates.
    public func rows(at indices: [Int]) -> Dataset {
        var out = self
        out.points = points.rows(at: indices)
        out.labels = labels.map { l in indices.map { l[$0] } }
        out.latent = latent.map { $0.rows(at: indices) }
        return out
    }

    /// Only the rows whose label is in `wanted` (e.g. digits 0 and 1), in their order.
    /// Throws when the data has no labels or no row matches.
    public func selecting(labels wanted: Set<Int>) throws -> Dataset {
        guard let labels else { throw DatasetParameterError("digits", "\(name) has no labels to select from") }
        let indices = labels.indices.filter { wanted.contains(labels[$0]) }
        guard !indices.isEmpty else {
            let present = Set(labels).sorted().map(String.init).joined(separator: ", ")
            throw DatasetParameterError("digits", "no rows of \(name) have labels \(wanted.sorted()); present: \(present)")
        }
        var out = rows(at: indices)
        out.name = "\(name) digits \(wanted.sorted().map(String.init).joined(separator: ","))"
        out.provenance += "; labels \(wanted.sorted())"
        return out
    }

    /// The first `n` rows (all when n ≥ count).
    public func prefix(_ n: Int) -> Dataset {
        guard n < count else { return self }
        var out = rows(at: Array(0..<n))
        out.provenance += "; first \(n) rows"
        return out
    }

    /// `n` rows drawn without replacement, kept in file order (all when n ≥ count).
    public func randomSample(_ n: Int, using generator: inout SeededGenerator) -> Dataset {
        guard n < count else { return self }
        let chosen = generator.permutation(count).prefix(n).sorted()
        var out = rows(at: chosen)
        out.provenance += "; random sample of \(n) rows"
        return out
    }

    /// Every coordinate multiplied by `factor` (the true dimension is unchanged).
    public func scaled(by factor: Float) -> Dataset {
        var out = self
        out.points.elements.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] *= factor }
        }
        if factor != 1 { out.provenance += "; scaled by \(factor)" }
        return out
    }

    /// Values mapped affinely to [0, 1]: from `range` when the source scale is known
    /// (0...255 for bytes), else from the data's own minimum and maximum. Throws for
    /// constant data (no range to map).
    public func normalizedToUnitInterval(from range: ClosedRange<Float>? = nil) throws -> Dataset {
        let (lo, hi): (Float, Float)
        if let range {
            (lo, hi) = (range.lowerBound, range.upperBound)
        } else {
            guard let mn = points.elements.min(), let mx = points.elements.max() else { return self }
            (lo, hi) = (mn, mx)
        }
        guard hi > lo else {
            throw DatasetParameterError("normalize", "\(name) has constant values (\(lo)); it cannot be mapped to [0, 1]")
        }
        var out = self
        let span = hi - lo
        out.points.elements.withUnsafeMutableBufferPointer { p in
            // Division, not multiplication by 1/span: 51/255 is then exactly the Float 0.2.
            for i in p.indices { p[i] = (p[i] - lo) / span }
        }
        out.provenance += "; normalised from [\(lo), \(hi)] to [0, 1]"
        return out
    }
}

extension Dataset {
    /// The centred points projected on their first `m` principal axes (n×m), for 2-D views
    /// of a point cloud. Covariance by `dsyrk` and eigenvectors by `dsyevd`; O(n·D² + D³).
    public func principalProjection(components m: Int = 2) throws -> Matrix {
        let d = dimension
        let eigen = try SymmetricEigen(points.covariance())
        let kept = min(m, d)
        var axes = Matrix(rows: d, columns: m)
        for i in 0..<d { for j in 0..<kept { axes[i, j] = Float(eigen.vectors[i * d + j]) } }
        return points.centred().multiplied(by: axes)
    }
}
