import Foundation
import Linalg

/// The non-linearity after a dense layer. Every derivative is written in terms of the
/// layer's output y = f(z), so the backward pass needs only the stored activations.
public enum Activation: String, Sendable, Hashable, CaseIterable, Codable {
    /// max(0, z) — He initialisation.
    case relu
    /// z for z > 0, 0.01·z otherwise — He initialisation.
    case leakyRelu = "leaky-relu"
    /// tanh z — Xavier initialisation.
    case tanh
    /// 1/(1 + e^−z) — Xavier initialisation.
    case sigmoid
    /// z — Xavier initialisation.
    case linear

    /// Slope of leaky ReLU for negative inputs.
    public static let leakySlope: Float = 0.01

    /// Whether the layer before is initialised for ReLU-like units (He et al. 2015,
    /// σ² = 2/fan-in) rather than for symmetric ones (Glorot & Bengio 2010, σ² = 2/(fan-in + fan-out)).
    public var usesHeInitialisation: Bool { self == .relu || self == .leakyRelu }

    /// Stable byte for the serialised model.
    var code: UInt8 {
        switch self {
        case .relu: 0
        case .leakyRelu: 1
        case .tanh: 2
        case .sigmoid: 3
        case .linear: 4
        }
    }

    init?(code: UInt8) {
        guard let a = Activation.allCases.first(where: { $0.code == code }) else { return nil }
        self = a
    }

    /// x[k] ← f(x[k]) for `count` elements (the bias is already in x: see `denseForward`).
    public func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .relu:
            // Explicit lanes: Swift's max(_:_:) orders NaN and does not vectorise.
            let wide = count - count % 8
            var k = 0
            while k < wide {
                let z = VectorOps.loadVector(x + k)
                VectorOps.storeVector(z.replacing(with: 0, where: z .< 0), x + k)
                k += 8
            }
            for k in wide..<count { x[k] = max(x[k], 0) }
        case .leakyRelu:
            let slope = Activation.leakySlope
            for k in 0..<count { let z = x[k]; x[k] = z > 0 ? z : slope * z }
        case .tanh:
            // libm's tanhf per element cost as much as the small layers' products.
            VectorOps.tanh(x, count: count)
        case .sigmoid:
            for k in 0..<count { x[k] = 1 / (1 + Foundation.exp(-x[k])) }
        case .linear:
            break
        }
    }

    /// delta[k] ← scale · delta[k] · f′ at output[k] (the chain rule through this
    /// activation), for `count` elements.
    public func multiplyByDerivative(_ delta: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>,
                              count: Int, scale: Float = 1) {
        switch self {
        case .relu:
            let wide = count - count % 8
            var k = 0
            while k < wide {
                let d = VectorOps.loadVector(delta + k) * scale
                VectorOps.storeVector(d.replacing(with: 0, where: VectorOps.loadVector(y + k) .<= 0), delta + k)
                k += 8
            }
            for k in wide..<count { delta[k] = y[k] > 0 ? scale * delta[k] : 0 }
        case .leakyRelu:
            let negative = scale * Activation.leakySlope
            for k in 0..<count { delta[k] *= y[k] > 0 ? scale : negative }
        case .tanh:
            for k in 0..<count { delta[k] *= scale * (1 - y[k] * y[k]) }
        case .sigmoid:
            for k in 0..<count { delta[k] *= scale * y[k] * (1 - y[k]) }
        case .linear:
            if scale != 1 { for k in 0..<count { delta[k] *= scale } }
        }
    }
}
