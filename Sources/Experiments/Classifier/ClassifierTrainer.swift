import Autoencoder
import Foundation
import Linalg

/// The buffers and arithmetic of one mini-batch of the noisy classifier: forward pass with
/// the noise (and dropout) after every hidden layer, softmax cross-entropy, backward pass and
/// Adam, over memory allocated once. Products run in OpenBLAS (threaded by the caller).
final class ClassifierTrainer {
    let architecture: ClassifierArchitecture
    let batchSize: Int
    let parameterCount: Int
    let parameters: UnsafeMutablePointer<Float>
    let gradients: UnsafeMutablePointer<Float>
    private let firstMoment: UnsafeMutablePointer<Float>
    private let secondMoment: UnsafeMutablePointer<Float>
    /// The batch rows (batchSize×D) and their labels.
    let input: UnsafeMutablePointer<Float>
    var labels: [Int]
    /// clean[l] = f_l(pre-activation) (the logits for the last layer).
    private let clean: [UnsafeMutablePointer<Float>]
    /// noisy[l] = (clean[l] + σZ)·mask: what layer l + 1 reads (hidden layers only).
    private let noisy: [UnsafeMutablePointer<Float>]
    /// Dropout factors (0 or 1/(1 − p)) of the hidden units.
    private let masks: [UnsafeMutablePointer<Float>]
    private let deltas: [UnsafeMutablePointer<Float>]
    private var step = 0

    init(architecture: ClassifierArchitecture, batchSize: Int, parameters initial: [Float]) {
        self.architecture = architecture
        self.batchSize = batchSize
        parameterCount = architecture.parameterCount
        parameters = zeroedFloats(parameterCount)
        for k in 0..<min(parameterCount, initial.count) { parameters[k] = initial[k] }
        gradients = zeroedFloats(parameterCount)
        firstMoment = zeroedFloats(parameterCount)
        secondMoment = zeroedFloats(parameterCount)
        input = zeroedFloats(batchSize * architecture.inputDimension)
        labels = Array(repeating: 0, count: batchSize)
        let widths = architecture.sizes.dropFirst()
        clean = widths.map { zeroedFloats(batchSize * $0) }
        deltas = widths.map { zeroedFloats(batchSize * $0) }
        noisy = architecture.hiddenWidths.map { zeroedFloats(batchSize * $0) }
        masks = architecture.hiddenWidths.map { zeroedFloats(batchSize * $0) }
    }

    deinit {
        for p in [parameters, gradients, firstMoment, secondMoment, input] + clean + deltas + noisy + masks { p.deallocate() }
    }

    func currentParameters() -> [Float] { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }

    /// Forward and backward pass of the first `rows` rows of `input`: fills `gradients` with
    /// ∂L/∂θ of L = mean cross-entropy, the noise and dropout masks drawn from `generator`.
    /// Returns the summed cross-entropy (nats) and the number of rows classified correctly.
    func computeGradient(rows: Int, noise sigma: Double, dropout: Double,
                         generator: inout SeededGenerator) -> (loss: Double, correct: Int) {
        let a = architecture
        var source = UnsafePointer(input)
        for l in 0..<a.layerCount {
            NoisyClassifier.denseForward(a, layer: l, parameters: parameters, input: source, output: clean[l], rows: rows)
            guard l < a.hiddenCount else { break }
            let count = rows * a.sizes[l + 1]
            let out = noisy[l], mask = masks[l]
            if sigma > 0 {
                Self.addNoise(to: out, from: clean[l], count: count, sigma: Float(sigma), generator: &generator)
            } else {
                out.update(from: clean[l], count: count)
            }
            if dropout > 0 {
                let keep = 1 - dropout, scale = Float(1 / keep)
                for k in 0..<count {
                    mask[k] = generator.uniform() < keep ? scale : 0
                    out[k] *= mask[k]
                }
            }
            source = UnsafePointer(out)
        }
        let result = softmaxDelta(rows: rows)
        backward(rows: rows, dropout: dropout)
        return result
    }

    /// out[k] = clean[k] + σ·zₖ for `count` standard normals zₖ: Box–Muller in Float32, a pair
    /// per 64-bit draw (two 24-bit uniforms, u₁ in (0, 1], so |z| ≤ √(2·ln 2²⁴) = 5.77, a tail
    /// of 8·10⁻⁹ per value), with ln, sin and cos by polynomials in a vectorised C loop
    /// (`VectorOps.addGaussianNoise`): the noise is drawn for every hidden unit of every row,
    /// and libm's scalar log/sin/cos per pair cost as much as the small layers' products.
    static func addNoise(to out: UnsafeMutablePointer<Float>, from clean: UnsafePointer<Float>, count: Int,
                         sigma: Float, generator: inout SeededGenerator) {
        VectorOps.addGaussianNoise(to: out, from: clean, count: count, sigma: sigma, generator: &generator)
    }

    /// One Adam step on the first `rows` rows; nil (parameters untouched) when the loss is not finite.
    func trainStep(rows: Int, options: ClassifierOptions, generator: inout SeededGenerator) -> (loss: Double, correct: Int)? {
        let result = computeGradient(rows: rows, noise: options.noise, dropout: options.dropout, generator: &generator)
        guard result.loss.isFinite else { return nil }
        step += 1
        VectorOps.adamStep(parameters: parameters, gradients: gradients, firstMoment: firstMoment,
                           secondMoment: secondMoment, count: parameterCount, step: step,
                           learningRate: Float(options.learningRate), beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                           weightDecay: Float(options.weightDecay))
        return result
    }

    /// Softmax of the logits, the output Δ = (p − onehot(y))/rows in place, the summed
    /// cross-entropy and the count of rows whose largest logit is the label.
    private func softmaxDelta(rows: Int) -> (loss: Double, correct: Int) {
        let c = architecture.classes, last = architecture.layerCount - 1
        let logits = clean[last], delta = deltas[last]
        var loss = 0.0, correct = 0
        for i in 0..<rows {
            let z = logits + i * c, d = delta + i * c
            var top = z[0], best = 0
            for k in 1..<c where z[k] > top { top = z[k]; best = k }
            if best == labels[i] { correct += 1 }
            var sum: Float = 0
            for k in 0..<c { d[k] = Foundation.exp(z[k] - top); sum += d[k] }
            loss += Double(top) + log(Double(sum)) - Double(z[labels[i]])
            let scale = 1 / (sum * Float(rows))
            for k in 0..<c { d[k] *= scale }
            d[labels[i]] -= 1 / Float(rows)
        }
        return (loss, correct)
    }

    /// Backward pass from the output Δ: every layer's weight and bias gradient.
    private func backward(rows: Int, dropout: Double) {
        let a = architecture
        for l in stride(from: a.layerCount - 1, through: 0, by: -1) {
            let n = a.sizes[l], m = a.sizes[l + 1]
            let layerInput = l == 0 ? UnsafePointer(input) : UnsafePointer(noisy[l - 1])
            sgemm(.transpose, .none, m: n, n: m, k: rows, alpha: 1, a: layerInput, lda: n,
                  b: deltas[l], ldb: m, beta: 0, c: gradients + a.weightOffset(l), ldc: m)
            VectorOps.columnSums(deltas[l], rows: rows, columns: m, into: gradients + a.biasOffset(l))
            guard l > 0 else { continue }
            // Δ_{l−1} = (Δ_l · W_lᵀ) ⊙ mask ⊙ f′(clean output): the noise is additive, so it
            // does not change the derivative, and f′ is written in terms of f's own output.
            sgemm(.none, .transpose, m: rows, n: n, k: m, alpha: 1, a: deltas[l], lda: m,
                  b: parameters + a.weightOffset(l), ldb: m, beta: 0, c: deltas[l - 1], ldc: n)
            if dropout > 0 {
                let delta = deltas[l - 1], mask = masks[l - 1]
                for k in 0..<(rows * n) { delta[k] *= mask[k] }
            }
            a.activation(l - 1).multiplyByDerivative(deltas[l - 1], output: clean[l - 1], count: rows * n)
        }
    }
}

