import Autoencoder
import Foundation
import Linalg

/// A dense classifier whose hidden layers are noisy: T_l = f_l(T_{l−1}·W_l + b_l) + σ·Z_l with
/// Z_l ~ N(0, I), in training and when the layers are read out (Goldfeld et al., "Estimating
/// Information Flow in Deep Neural Networks", ICML 2019). The output layer is linear and
/// followed by a softmax.
public struct NoisyClassifier: Sendable, Hashable {
    public let architecture: ClassifierArchitecture
    /// σ of the noise after every hidden layer, in activation units.
    public let noise: Double
    /// Layer by layer: weights (in×out, row-major) then biases.
    public internal(set) var parameters: [Float]

    /// Random initial weights (He before ReLU-like activations, Xavier/Glorot otherwise), zero biases.
    public init(architecture: ClassifierArchitecture, noise: Double, generator: inout SeededGenerator) {
        self.architecture = architecture
        self.noise = noise
        var p = [Float](repeating: 0, count: architecture.parameterCount)
        for l in 0..<architecture.layerCount {
            let fanIn = architecture.sizes[l], fanOut = architecture.sizes[l + 1]
            let variance = architecture.activation(l).usesHeInitialisation ? 2.0 / Double(fanIn) : 2.0 / Double(fanIn + fanOut)
            let offset = architecture.weightOffset(l)
            for k in 0..<(fanIn * fanOut) { p[offset + k] = Float(generator.normal() * variance.squareRoot()) }
        }
        parameters = p
    }

    /// A classifier from known parameters.
    public init(architecture: ClassifierArchitecture, noise: Double, parameters: [Float]) throws {
        guard parameters.count == architecture.parameterCount else {
            throw ClassifierError.invalidConfiguration("\(parameters.count) parameters for \(architecture.description), which has \(architecture.parameterCount)")
        }
        self.architecture = architecture
        self.noise = noise
        self.parameters = parameters
    }

    /// The clean outputs S_l of every hidden layer for the rows of `x`, by the noise-free
    /// forward pass: S_l = f_l(S_{l−1}·W_l + b_l). The read-out T_l = S_l + σZ then has
    /// h(T_l | X) = ½·d_l·ln(2πeσ²) exactly, which is what the noise-aware estimator needs
    /// (with the noise of the earlier layers included, T_l given X would be a mixture).
    public func hiddenOutputs(_ x: Matrix) throws -> [Matrix] {
        try forward(x, noise: nil).hidden
    }

    /// The centres of every hidden layer's noisy output given each row of `x`, as Goldfeld et
    /// al.'s noisy network propagates them: T_1 = f_1(X) + σZ_1, T_l = f_l(T_{l−1}) + σZ_l, so
    /// given X = x, T_l is a Gaussian mixture with centres f_l(t) over the samples t of
    /// T_{l−1} given x. Layer 1's centre is f_1(x) itself (n rows); every deeper layer has
    /// `samples` = m centres per row, rows i·m ..< (i + 1)·m for row i of `x`, each from its
    /// own chain of noise draws. Cost: n·m·Σ_{l≥2} 2·d_{l−1}·d_l flops in sgemm beyond one
    /// clean pass, and one normal draw per unit of every chain.
    public func propagatedCentres(_ x: Matrix, samples m: Int, generator: SeededGenerator) throws -> [Matrix] {
        let a = architecture
        guard m >= 1 else { throw ClassifierError.invalidConfiguration("need at least 1 propagated sample per row, not \(m)") }
        guard x.columns == a.inputDimension else { throw ClassifierError.dimensionMismatch(expected: a.inputDimension, got: x.columns) }
        guard a.hiddenCount >= 1, x.rows > 0 else { return [] }
        var g = generator
        var centres = [try dense(layer: 0, x)]
        // Every row's chains start from the same centre f_1(x): repeat it m times.
        var current = Matrix(rows: x.rows * m, columns: a.sizes[1])
        let width = a.sizes[1]
        for i in 0..<x.rows {
            for j in 0..<m {
                for k in 0..<width { current.elements[(i * m + j) * width + k] = centres[0].elements[i * width + k] }
            }
        }
        for l in 1..<a.hiddenCount {
            addNoise(&current, generator: &g)
            let next = try dense(layer: l, current)
            centres.append(next)
            current = next
        }
        return centres
    }

    /// x ← x + σZ.
    private func addNoise(_ x: inout Matrix, generator: inout SeededGenerator) {
        let count = x.elements.count
        x.elements.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            ClassifierTrainer.addNoise(to: base, from: base, count: count, sigma: Float(noise), generator: &generator)
        }
    }

    /// f_l(x·W_l + b_l) for the rows of `x`.
    private func dense(layer l: Int, _ x: Matrix) throws -> Matrix {
        let a = architecture
        guard x.columns == a.sizes[l] else { throw ClassifierError.dimensionMismatch(expected: a.sizes[l], got: x.columns) }
        var out = Matrix(rows: x.rows, columns: a.sizes[l + 1])
        guard x.rows > 0 else { return out }
        parameters.withUnsafeBufferPointer { p in
            x.elements.withUnsafeBufferPointer { input in
                out.elements.withUnsafeMutableBufferPointer { output in
                    guard let pb = p.baseAddress, let ib = input.baseAddress, let ob = output.baseAddress else { return }
                    Self.denseForward(a, layer: l, parameters: pb, input: ib, output: ob, rows: x.rows)
                }
            }
        }
        return out
    }

    /// Accuracy and mean cross-entropy (nats) on rows `x` with `labels`, with the noise of
    /// every hidden layer drawn from `generator` (the network as trained), or without noise
    /// when `generator` is nil.
    public func evaluate(_ x: Matrix, labels: [Int], generator: SeededGenerator?) throws -> (accuracy: Double, loss: Double) {
        let logits = try forward(x, noise: generator).logits
        var correct = 0, loss = 0.0
        for i in 0..<x.rows {
            let row = logits.row(i)
            let top = row.max() ?? 0
            let logSum = Double(top) + log(row.reduce(0.0) { $0 + exp(Double($1 - top)) })
            if let best = row.indices.max(by: { row[$0] < row[$1] }), best - row.startIndex == labels[i] { correct += 1 }
            loss += logSum - Double(row[row.startIndex + labels[i]])
        }
        let n = Double(max(x.rows, 1))
        return (Double(correct) / n, loss / n)
    }

    /// Forward pass of the whole network: every hidden layer's output (clean when `noise` is
    /// nil, else with σZ added, which the next layer then reads) and the logits.
    func forward(_ x: Matrix, noise generator: SeededGenerator?) throws -> (hidden: [Matrix], logits: Matrix) {
        let a = architecture
        guard x.columns == a.inputDimension else { throw ClassifierError.dimensionMismatch(expected: a.inputDimension, got: x.columns) }
        var generator = generator
        var hidden = [Matrix]()
        var current = x
        for l in 0..<a.layerCount {
            var out = Matrix(rows: x.rows, columns: a.sizes[l + 1])
            if x.rows > 0 {
                parameters.withUnsafeBufferPointer { p in
                    current.elements.withUnsafeBufferPointer { input in
                        out.elements.withUnsafeMutableBufferPointer { output in
                            Self.denseForward(a, layer: l, parameters: p.baseAddress!, input: input.baseAddress!,
                                              output: output.baseAddress!, rows: x.rows)
                        }
                    }
                }
            }
            if l < a.hiddenCount {
                if var g = generator {
                    let count = out.elements.count
                    out.elements.withUnsafeMutableBufferPointer { p in
                        ClassifierTrainer.addNoise(to: p.baseAddress!, from: p.baseAddress!, count: count,
                                                   sigma: Float(noise), generator: &g)
                    }
                    generator = g
                }
                hidden.append(out)
            }
            current = out
        }
        return (hidden, current)
    }

    /// output ← f(input·W + b) for one dense layer over `rows` rows.
    static func denseForward(_ a: ClassifierArchitecture, layer l: Int, parameters: UnsafePointer<Float>,
                             input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, rows: Int) {
        a.forward(layer: l, activation: a.activation(l), parameters: parameters, input: input, output: output, rows: rows)
    }
}
