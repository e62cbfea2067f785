import Linalg

/// A trained (or freshly initialised) dense autoencoder: its architecture and every
/// weight and bias in one flat Float32 vector.
///
/// Encode and decode run whole datasets in row blocks through `sgemm`, so memory stays
/// O(block · widest layer) beyond the output. Train one with `Autoencoder.train`.
public struct Autoencoder: Sendable, Hashable {
    public let architecture: AutoencoderArchitecture
    /// Layer by layer: weights (in×out, row-major, so a layer computes X·W) then biases.
    public internal(set) var parameters: [Float]

    /// Rows per block when encoding or decoding a dataset.
    static let inferenceBlock = 1024

    /// Random initial weights: He normal (σ² = 2/fan-in) before ReLU-like activations,
    /// Xavier/Glorot normal (σ² = 2/(fan-in + fan-out)) before the others; zero biases.
    public init(architecture: AutoencoderArchitecture, generator: inout SeededGenerator) {
        self.architecture = architecture
        var p = [Float](repeating: 0, count: architecture.parameterCount)
        for l in 0..<architecture.layerCount {
            let fanIn = architecture.sizes[l], fanOut = architecture.sizes[l + 1]
            let variance = architecture.activations[l].usesHeInitialisation
                ? 2.0 / Double(fanIn) : 2.0 / Double(fanIn + fanOut)
            let sigma = variance.squareRoot()
            let offset = architecture.weightOffset(l)
            for k in 0..<(fanIn * fanOut) { p[offset + k] = Float(generator.normal() * sigma) }
        }
        parameters = p
    }

    /// A model from known parameters (their count must match the architecture).
    public init(architecture: AutoencoderArchitecture, parameters: [Float]) throws {
        guard parameters.count == architecture.parameterCount else {
            throw AutoencoderError.malformedModel("\(parameters.count) parameters for \(architecture.description), which has \(architecture.parameterCount)")
        }
        self.architecture = architecture
        self.parameters = parameters
    }

    /// The codes (n×d) of the rows of `data` (n×D). O(n·Σ in·out) flops in BLAS.
    public func encode(_ data: Matrix) throws -> Matrix {
        try run(data, layers: 0..<(architecture.codeLayer + 1))
    }

    /// The reconstructions (n×D) of codes (n×d).
    public func decode(_ codes: Matrix) throws -> Matrix {
        try run(codes, layers: (architecture.codeLayer + 1)..<architecture.layerCount)
    }

    /// decode(encode(data)) in one pass.
    public func reconstruct(_ data: Matrix) throws -> Matrix {
        try run(data, layers: 0..<architecture.layerCount)
    }

    /// Mean squared error per element between `data` and its reconstruction.
    public func reconstructionError(_ data: Matrix) throws -> Double {
        let r = try reconstruct(data)
        guard data.rows > 0, data.columns > 0 else { return 0 }
        return data.elements.withUnsafeBufferPointer { a in
            r.elements.withUnsafeBufferPointer { b in
                VectorOps.squaredDistance(a.baseAddress!, b.baseAddress!, count: a.count)
            }
        } / Double(data.rows * data.columns)
    }

    /// Forward pass of `layers` over `input`, a block of rows at a time.
    func run(_ input: Matrix, layers: Range<Int>) throws -> Matrix {
        let a = architecture
        guard input.columns == a.sizes[layers.lowerBound] else {
            throw AutoencoderError.dimensionMismatch(expected: a.sizes[layers.lowerBound], got: input.columns)
        }
        let outWidth = a.sizes[layers.upperBound]
        var output = Matrix(rows: input.rows, columns: outWidth)
        guard input.rows > 0 else { return output }
        let block = Autoencoder.inferenceBlock
        let width = a.maxWidth
        let ping = UnsafeMutablePointer<Float>.allocate(capacity: block * width)
        let pong = UnsafeMutablePointer<Float>.allocate(capacity: block * width)
        defer { ping.deallocate(); pong.deallocate() }
        parameters.withUnsafeBufferPointer { params in
            input.elements.withUnsafeBufferPointer { x in
                output.elements.withUnsafeMutableBufferPointer { out in
                    var start = 0
                    while start < input.rows {
                        let rows = min(block, input.rows - start)
                        var source = UnsafePointer(x.baseAddress! + start * input.columns)
                        var buffers = (ping, pong)
                        for l in layers {
                            let target = l == layers.upperBound - 1 ? out.baseAddress! + start * outWidth : buffers.0
                            Autoencoder.denseForward(a, layer: l, parameters: params.baseAddress!,
                                                     input: source, output: target, rows: rows)
                            source = UnsafePointer(target)
                            buffers = (buffers.1, buffers.0)
                        }
                        start += rows
                    }
                }
            }
        }
        return output
    }

    /// output ← f(input·W + b) for one dense layer over `rows` rows.
    @inline(__always)
    static func denseForward(_ a: AutoencoderArchitecture, layer l: Int, parameters: UnsafePointer<Float>,
                             input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, rows: Int) {
        a.forward(layer: l, activation: a.activations[l], parameters: parameters, input: input, output: output, rows: rows)
    }
}
