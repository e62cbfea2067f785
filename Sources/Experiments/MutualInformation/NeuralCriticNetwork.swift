import Autoencoder
import Linalg

/// The shape of a concatenated critic f(x, y) = MLP([x; y]): input width dx + dy, hidden widths
/// with ReLU, one linear output — the critic of the `benchmark-mi` neural estimators (Czyż et
/// al. 2023, bmi/estimators/neural/_critics.py). The parameters are laid out as the
/// autoencoder's (`DenseLayerStack`): layer by layer, weights (in×out, row-major) then biases;
/// the first layer's weight rows 0..<dx act on x and the rows after them on y.
public struct CriticArchitecture: DenseLayerStack, Sendable, Hashable, Codable {
    /// `[dx + dy, h1, …, hL, 1]`.
    public let sizes: [Int]
    /// dx: the first `xDimension` inputs are x's columns.
    public let xDimension: Int

    /// - Throws: `NeuralEstimatorError.invalidConfiguration` for a zero width.
    public init(xDimension: Int, yDimension: Int, hidden: [Int]) throws {
        guard xDimension >= 1, yDimension >= 1 else {
            throw NeuralEstimatorError.invalidConfiguration("X and Y need at least one column each (have \(xDimension) and \(yDimension))")
        }
        guard !hidden.isEmpty, hidden.allSatisfy({ $0 >= 1 }) else {
            throw NeuralEstimatorError.invalidConfiguration("the critic needs hidden widths of at least 1, not \(hidden)")
        }
        sizes = [xDimension + yDimension] + hidden + [1]
        self.xDimension = xDimension
    }

    public var yDimension: Int { sizes[0] - xDimension }
    /// Number of dense layers (the hidden ones and the output).
    public var layerCount: Int { sizes.count - 1 }
    /// Width of the first hidden layer, where x and y meet.
    var firstWidth: Int { sizes[1] }
    /// ReLU after the hidden layers, linear output.
    func activation(_ l: Int) -> Activation { l < layerCount - 1 ? .relu : .linear }

    /// Initial parameters: He normal (σ² = 2/fan-in) before the ReLU layers, Xavier/Glorot
    /// normal (σ² = 2/(fan-in + fan-out)) before the linear output, zero biases — the
    /// autoencoder's rule.
    func initialParameters(generator: inout SeededGenerator) -> [Float] {
        var p = [Float](repeating: 0, count: parameterCount)
        for l in 0..<layerCount {
            let fanIn = sizes[l], fanOut = sizes[l + 1]
            let variance = activation(l).usesHeInitialisation ? 2.0 / Double(fanIn) : 2.0 / Double(fanIn + fanOut)
            let sigma = variance.squareRoot(), offset = weightOffset(l)
            for k in 0..<(fanIn * fanOut) { p[offset + k] = Float(generator.normal() * sigma) }
        }
        return p
    }

    /// "4+4-16-8-1".
    public var description: String {
        "\(xDimension)+\(yDimension)-" + sizes.dropFirst().map(String.init).joined(separator: "-")
    }
}

/// The activations of the critic over every pair (xᵢ, yⱼ) of a block of x rows and a block of
/// y rows, pair (i, j) in row i·yRows + j, over memory allocated once.
///
/// The first layer is computed once per row, not per pair: [x; y]·W₀ + b₀ = x·W₀ₓ + (y·W₀ᵧ + b₀),
/// so with P = X·W₀ₓ and Q = Y·W₀ᵧ + b₀ (two products) the first hidden layer of pair (i, j) is
/// ReLU(Pᵢ + Qⱼ); the later layers run as one `sgemm` per layer over all pairs. Backward, the
/// first layer's gradients are Xᵀ·(Σⱼ Δ₍ᵢⱼ₎) and Yᵀ·(Σᵢ Δ₍ᵢⱼ₎). A step over B rows costs
/// O(B·(dx + dy)·h₁ + B²·Σ hₗ·hₗ₊₁) flops.
final class CriticPairs {
    let architecture: CriticArchitecture
    /// Most pairs a forward pass may cover.
    let capacity: Int
    /// outputs[l]: layer l's output for every pair (capacity × sizes[l + 1]); the last is the scores.
    private let outputs: [UnsafeMutablePointer<Float>]
    /// deltas[l] = ∂loss/∂(pre-activation of layer l), the shape of outputs[l] (training only).
    private let deltas: [UnsafeMutablePointer<Float>]

    init(architecture: CriticArchitecture, pairs: Int, training: Bool) {
        self.architecture = architecture
        capacity = pairs
        outputs = architecture.sizes.dropFirst().map { zeroedFloats(pairs * $0) }
        deltas = training ? architecture.sizes.dropFirst().map { zeroedFloats(pairs * $0) } : []
    }

    deinit { for p in outputs + deltas { p.deallocate() } }

    /// ∂loss/∂score of every pair, to be filled by the objective before `backward`.
    var scoreDeltas: UnsafeMutablePointer<Float> { deltas[architecture.layerCount - 1] }

    /// P ← X·W₀ₓ for `rows` rows of x (rows × h₁).
    func projectX(_ x: UnsafePointer<Float>, rows: Int, parameters: UnsafePointer<Float>, into p: UnsafeMutablePointer<Float>) {
        let a = architecture, h = a.firstWidth
        sgemm(.none, .none, m: rows, n: h, k: a.xDimension, alpha: 1, a: x, lda: a.xDimension,
              b: parameters + a.weightOffset(0), ldb: h, beta: 0, c: p, ldc: h)
    }

    /// Q ← Y·W₀ᵧ + b₀ for `rows` rows of y (rows × h₁).
    func projectY(_ y: UnsafePointer<Float>, rows: Int, parameters: UnsafePointer<Float>, into q: UnsafeMutablePointer<Float>) {
        let a = architecture, h = a.firstWidth
        let bias = parameters + a.biasOffset(0)
        for i in 0..<rows { (q + i * h).update(from: bias, count: h) }
        sgemm(.none, .none, m: rows, n: h, k: a.yDimension, alpha: 1, a: y, lda: a.yDimension,
              b: parameters + a.weightOffset(0) + a.xDimension * h, ldb: h, beta: 1, c: q, ldc: h)
    }

    /// The scores f(xᵢ, yⱼ) of the xRows × yRows pairs of the projected rows `p` and `q`
    /// (xRows·yRows ≤ capacity), in row i·yRows + j of the returned buffer.
    func forward(p: UnsafePointer<Float>, xRows: Int, q: UnsafePointer<Float>, yRows: Int,
                 parameters: UnsafePointer<Float>) -> UnsafePointer<Float> {
        let a = architecture, h = a.firstWidth
        let first = outputs[0]
        for i in 0..<xRows {
            let pi = p + i * h
            for j in 0..<yRows {
                let out = first + (i * yRows + j) * h, qj = q + j * h
                for k in 0..<h { let z = pi[k] + qj[k]; out[k] = z > 0 ? z : 0 }
            }
        }
        let rows = xRows * yRows
        for l in 1..<a.layerCount {
            a.forward(layer: l, activation: a.activation(l), parameters: parameters,
                      input: outputs[l - 1], output: outputs[l], rows: rows)
        }
        return UnsafePointer(outputs[a.layerCount - 1])
    }

    /// Backward pass after `forward` over B × B pairs of the batch rows `x` and `y`, from
    /// `scoreDeltas`: every weight and bias gradient into `gradients`. `dP` and `dQ` are
    /// B × h₁ scratch buffers.
    func backward(x: UnsafePointer<Float>, y: UnsafePointer<Float>, rows b: Int, parameters: UnsafePointer<Float>,
                  gradients: UnsafeMutablePointer<Float>, dP: UnsafeMutablePointer<Float>, dQ: UnsafeMutablePointer<Float>) {
        let a = architecture, pairs = b * b
        for l in stride(from: a.layerCount - 1, through: 1, by: -1) {
            let n = a.sizes[l], m = a.sizes[l + 1]
            // ∂L/∂W_l = A_lᵀ·Δ_l, ∂L/∂b_l = Σ rows of Δ_l
            sgemm(.transpose, .none, m: n, n: m, k: pairs, alpha: 1, a: outputs[l - 1], lda: n,
                  b: deltas[l], ldb: m, beta: 0, c: gradients + a.weightOffset(l), ldc: m)
            VectorOps.columnSums(deltas[l], rows: pairs, columns: m, into: gradients + a.biasOffset(l))
            // Δ_{l−1} = (Δ_l·W_lᵀ) ⊙ ReLU′
            sgemm(.none, .transpose, m: pairs, n: n, k: m, alpha: 1, a: deltas[l], lda: m,
                  b: parameters + a.weightOffset(l), ldb: m, beta: 0, c: deltas[l - 1], ldc: n)
            a.activation(l - 1).multiplyByDerivative(deltas[l - 1], output: outputs[l - 1], count: pairs * n)
        }
        // The first layer: Pᵢ meets every Qⱼ, so ∂L/∂Pᵢ = Σⱼ Δ₍ᵢⱼ₎ and ∂L/∂Qⱼ = Σᵢ Δ₍ᵢⱼ₎.
        // Both are column sums: x row i's pairs are a B × h block, and Δ as B rows of B·h.
        let h = a.firstWidth, delta = deltas[0]
        for i in 0..<b { VectorOps.columnSums(delta + i * b * h, rows: b, columns: h, into: dP + i * h) }
        VectorOps.columnSums(delta, rows: b, columns: b * h, into: dQ)
        sgemm(.transpose, .none, m: a.xDimension, n: h, k: b, alpha: 1, a: x, lda: a.xDimension,
              b: dP, ldb: h, beta: 0, c: gradients + a.weightOffset(0), ldc: h)
        sgemm(.transpose, .none, m: a.yDimension, n: h, k: b, alpha: 1, a: y, lda: a.yDimension,
              b: dQ, ldb: h, beta: 0, c: gradients + a.weightOffset(0) + a.xDimension * h, ldc: h)
        VectorOps.columnSums(dQ, rows: b, columns: h, into: gradients + a.biasOffset(0))
    }
}

