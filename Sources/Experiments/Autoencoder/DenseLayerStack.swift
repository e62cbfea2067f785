import Linalg

/// A stack of dense layers over one flat parameter vector: layer l's weights
/// (sizes[l]×sizes[l+1], row-major) followed by its biases. The autoencoder and the
/// classifier share this layout and the forward step.
public protocol DenseLayerStack {
    /// Widths of every layer's output, preceded by the input width.
    var sizes: [Int] { get }
}

extension DenseLayerStack {
    /// Offset of layer l's weights in the flat parameter vector; its biases follow them.
    public func weightOffset(_ l: Int) -> Int {
        var offset = 0
        for i in 0..<l { offset += sizes[i] * sizes[i + 1] + sizes[i + 1] }
        return offset
    }
    public func biasOffset(_ l: Int) -> Int { weightOffset(l) + sizes[l] * sizes[l + 1] }

    /// Number of weights and biases.
    public var parameterCount: Int { weightOffset(sizes.count - 1) }

    /// output ← f(input·W + b) for layer l over `rows` rows.
    @inline(__always)
    public func forward(layer l: Int, activation: Activation, parameters: UnsafePointer<Float>,
                        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, rows: Int) {
        let n = sizes[l], m = sizes[l + 1]
        // Bias rows first, then the product added to them (β = 1): OpenBLAS skips its
        // separate pass that clears C for β = 0, and the bias needs no pass of its own.
        let bias = parameters + biasOffset(l)
        for i in 0..<rows { (output + i * m).update(from: bias, count: m) }
        sgemm(.none, .none, m: rows, n: m, k: n, alpha: 1, a: input, lda: n,
              b: parameters + weightOffset(l), ldb: m, beta: 1, c: output, ldc: m)
        activation.apply(output, count: rows * m)
    }
}
