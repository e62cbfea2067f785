/// Saving and loading a model as bytes (the notebook cache stores models this way).
///
/// Layout, all little-endian:
///
///     "EBAE"            magic, 4 bytes
///     UInt32            format version (1)
///     UInt32 L          number of layers
///     UInt32 c          index of the code layer
///     UInt32 × (L + 1)  layer widths, input first
///     UInt8 × L         activation of each layer (`Activation.code`)
///     Float32 × P       parameters in `Autoencoder.parameters` order
extension Autoencoder {
    static let magic: [UInt8] = Array("EBAE".utf8)
    static let formatVersion: UInt32 = 1

    /// The model as bytes; `init(bytes:)` reads them back exactly.
    public func serialized() -> [UInt8] {
        let a = architecture
        var out = Autoencoder.magic
        out.reserveCapacity(16 + 4 * a.sizes.count + a.layerCount + 4 * parameters.count)
        func append(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        append(Autoencoder.formatVersion)
        append(UInt32(a.layerCount))
        append(UInt32(a.codeLayer))
        for s in a.sizes { append(UInt32(s)) }
        out.append(contentsOf: a.activations.map(\.code))
        for p in parameters { append(p.bitPattern) }
        return out
    }

    /// Reads a model written by `serialized()`. Throws `AutoencoderError.malformedModel`
    /// for bytes that are truncated, of another format or version, or inconsistent.
    public init(bytes: [UInt8]) throws {
        var cursor = 0
        func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, cursor + n <= bytes.count else {
                throw AutoencoderError.malformedModel("truncated after \(bytes.count) bytes")
            }
            defer { cursor += n }
            return bytes[cursor..<(cursor + n)]
        }
        func word() throws -> UInt32 {
            try take(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        guard Array(try take(4)) == Autoencoder.magic else { throw AutoencoderError.malformedModel("not an EntropyBook autoencoder") }
        let version = try word()
        guard version == Autoencoder.formatVersion else {
            throw AutoencoderError.malformedModel("format version \(version); this program reads version \(Autoencoder.formatVersion)")
        }
        let layers = Int(try word()), codeLayer = Int(try word())
        guard (1...1024).contains(layers) else { throw AutoencoderError.malformedModel("\(layers) layers") }
        var sizes = [Int]()
        for _ in 0...layers { sizes.append(Int(try word())) }
        var activations = [Activation]()
        for code in try take(layers) {
            guard let a = Activation(code: code) else { throw AutoencoderError.malformedModel("unknown activation code \(code)") }
            activations.append(a)
        }
        let architecture = try AutoencoderArchitecture(sizes: sizes, activations: activations, codeLayer: codeLayer)
        let count = architecture.parameterCount
        guard bytes.count - cursor == 4 * count else {
            throw AutoencoderError.malformedModel("\((bytes.count - cursor) / 4) parameters stored, \(architecture.description) needs \(count)")
        }
        var parameters = [Float](repeating: 0, count: count)
        for k in 0..<count { parameters[k] = Float(bitPattern: try word()) }
        try self.init(architecture: architecture, parameters: parameters)
    }
}
