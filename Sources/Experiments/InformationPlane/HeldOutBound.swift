import Entropy
import Foundation
import Linalg

/// A lower bound on I(X;T) and I(T;Y) of a layer of the propagated noisy network, from draws
/// of T that the estimate never saw (a fresh noise chain per input) — the variational bound of
/// Barber and Agakov ("The IM algorithm", NIPS 2003): for X uniform over the n inputs and any
/// conditional q,
///
///     I(X;T) = ln n − H(X|T) ≥ ln n + E[ln q(X|T)],    I(T;Y) ≥ H(Y) + E[ln q(Y|T)],
///
/// the expectations over the true joint. Here q(i|t) ∝ N(t; sᵢ, Σ) with sᵢ the layer's
/// noise-free output for input i and Σ = σ²I + the mean second moment of the propagated centres
/// around it (`centres`, k per input, the noise of the earlier layers carried through): the
/// posterior of a Gaussian channel whose spread is the network's own. For a linear network
/// T given X is exactly N(sᵢ, Σ) and the bound is tight (up to the estimate of Σ from n·k
/// residuals); for a nonlinear one it is still a bound, loose where T given X is far from
/// Gaussian. In whitened coordinates (Σ^{-1/2}) q is an isotropic mixture with σ = 1, so
///
///     Î = (1/n)·Σᵢ [ln φ₁(w(tᵢ) − w(sᵢ)) − ln (1/n)·Σⱼ φ₁(w(tᵢ) − w(sⱼ))],
///
/// tᵢ = hᵢ + σzᵢ for the held-out centre hᵢ of input i. Each term is ≤ ln n, the label terms
/// ≤ H(Y) (as for `NoisyMutualInformation`). Standard errors are the Monte-Carlo ones over the
/// n draws. Cost: O(n·k·d²) for Σ (sgemm), O(d³) for its eigen-decomposition, O(n²·d) for the
/// mixture.
public struct HeldOutBound: Sendable {
    public var noise: Double
    public var threads: Int
    public init(noise: Double, threads: Int? = nil) {
        self.noise = noise
        self.threads = max(1, threads ?? BLAS.threads)
    }

    /// The bounds, nats, with their Monte-Carlo standard errors.
    public struct Bound: Sendable, Hashable, Codable {
        public var inputInformation: Double
        public var inputStandardError: Double
        public var labelInformation: Double?
        public var labelStandardError: Double?
    }

    /// - Parameters:
    ///   - clean: the layer's noise-free outputs, one row per input (n × d).
    ///   - centres: the propagated centres, `perInput` rows per input (rows i·k ..< (i+1)·k).
    ///   - heldOut: one more propagated centre per input from chains independent of `centres`
    ///     (n × d); the draw is heldOut + σZ.
    ///   - labels: one per input, for I(T;Y).
    /// - Throws: `EntropyError` for mismatched shapes, non-finite values or σ ≤ 0;
    ///   `LinalgError` when the eigen-decomposition fails.
    public func bound(clean: Matrix, centres: Matrix, perInput k: Int, heldOut: Matrix, labels: [Int]?,
                      generator: SeededGenerator) throws -> Bound {
        guard noise > 0, noise.isFinite else { throw EntropyError.invalidParameter("the noise σ must be a positive number, not \(noise)") }
        let n = clean.rows, d = clean.columns
        guard n >= 2, d >= 1, k >= 1, centres.rows == n * k, centres.columns == d, heldOut.rows == n, heldOut.columns == d else {
            throw EntropyError.invalidParameter("shapes do not fit: \(clean.rows)×\(clean.columns) outputs, \(centres.rows)×\(centres.columns) centres (\(k) per input), \(heldOut.rows)×\(heldOut.columns) held-out")
        }
        guard clean.isFinite, centres.isFinite, heldOut.isFinite else { throw EntropyError.nonFinite }
        if let labels, labels.count != n { throw EntropyError.invalidParameter("\(labels.count) labels for \(n) inputs") }
        let map = try whitening(clean: clean, centres: centres, perInput: k)
        var g = generator
        var draws = heldOut
        for t in draws.elements.indices { draws.elements[t] += Float(noise * g.normal()) }
        let means = clean.multiplied(by: map), points = draws.multiplied(by: map)
        let logG = try SamplePropagationEntropy.mixtureLogDensities(of: points, mixtureOn: means, noise: 1, threads: threads)
        let logNorm = -0.5 * Double(d) * log(2 * Double.pi)
        var input = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = 0.0
            for c in 0..<d {
                let diff = Double(points[i, c]) - Double(means[i, c])
                sum += diff * diff
            }
            input[i] = logNorm - 0.5 * sum - logG[i]
        }
        let (mean, se) = NoisyMutualInformation.meanAndStandardError(input)
        var result = Bound(inputInformation: mean, inputStandardError: se, labelInformation: nil, labelStandardError: nil)
        guard let labels else { return result }
        var label = [Double](repeating: 0, count: n)
        var rowsOfClass = [Int: [Int]]()
        for (i, y) in labels.enumerated() { rowsOfClass[y, default: []].append(i) }
        for (_, rows) in rowsOfClass {
            let logGc = try SamplePropagationEntropy.mixtureLogDensities(of: points.rows(at: rows), mixtureOn: means.rows(at: rows),
                                                                         noise: 1, threads: threads)
            for (t, i) in rows.enumerated() { label[i] = logGc[t] - logG[i] }
        }
        let (labelMean, labelSE) = NoisyMutualInformation.meanAndStandardError(label)
        result.labelInformation = labelMean
        result.labelStandardError = labelSE
        return result
    }

    /// Σ^{-1/2} as a d×d matrix to multiply rows by, Σ = σ²I + (1/(n·k))·Σ (c − s)(c − s)ᵀ.
    func whitening(clean: Matrix, centres: Matrix, perInput k: Int) throws -> Matrix {
        let d = clean.columns
        var residuals = centres
        for r in 0..<centres.rows {
            let i = r / k
            for c in 0..<d { residuals.elements[r * d + c] -= clean.elements[i * d + c] }
        }
        let moment = residuals.multiplied(by: residuals, transposeSelf: true)
        let scale = 1 / Double(centres.rows)
        var sigma = [Double](repeating: 0, count: d * d)
        for a in 0..<d {
            for b in 0..<d { sigma[a * d + b] = Double(moment.elements[a * d + b]) * scale }
            sigma[a * d + a] += noise * noise
        }
        for a in 0..<d { for b in (a + 1)..<d { let m = 0.5 * (sigma[a * d + b] + sigma[b * d + a]); sigma[a * d + b] = m; sigma[b * d + a] = m } }
        let eigen = try SymmetricEigen(SymmetricMatrix(dimension: d, elements: sigma))
        var map = Matrix(rows: d, columns: d)
        for a in 0..<d {
            for j in 0..<d { map.elements[a * d + j] = Float(eigen.vectors[a * d + j] / max(eigen.values[j], noise * noise).squareRoot()) }
        }
        return map
    }
}
