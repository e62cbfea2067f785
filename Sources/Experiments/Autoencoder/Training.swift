import Dispatch
import Linalg

extension Autoencoder {
    /// Trains an autoencoder on the rows of `data` (n×D) to minimise the mean squared
    /// reconstruction error, with Adam on shuffled mini-batches.
    ///
    /// Deterministic for a given `options.seed` and OpenBLAS thread count: the initial
    /// weights, the validation split, each epoch's shuffle and the input noise come from
    /// separate streams derived from the seed. `progress` is called after every epoch.
    /// Cost per epoch ≈ n · `architecture.trainingFlopsPerSample` flops, nearly all in
    /// `sgemm`; the buffers of a mini-batch are allocated once, before the first epoch.
    ///
    /// Throws `AutoencoderError.nonFiniteLoss` (with epoch and mini-batch) when the loss
    /// becomes NaN or infinite, and `.invalidConfiguration` for impossible settings.
    public static func train(on data: Matrix, architecture: AutoencoderArchitecture, options: TrainingOptions,
                             progress: (EpochLoss) -> Void = { _ in }) throws -> TrainingResult {
        try options.validate()
        guard data.columns == architecture.inputDimension else {
            throw AutoencoderError.dimensionMismatch(expected: architecture.inputDimension, got: data.columns)
        }
        guard data.isFinite else {
            throw AutoencoderError.invalidConfiguration("the data contain NaN or infinite values")
        }
        let root = SeededGenerator(seed: options.seed)
        var initGenerator = root.derived("init")
        var splitGenerator = root.derived("split")
        var shuffleGenerator = root.derived("shuffle")
        var noiseGenerator = root.derived("noise")

        let order = splitGenerator.permutation(data.rows)
        let validationCount = Int((Double(data.rows) * options.validationFraction).rounded(.down))
        let validationRows = Array(order[0..<validationCount]).sorted()
        let trainingRows = Array(order[validationCount...]).sorted()
        guard !trainingRows.isEmpty else {
            throw AutoencoderError.invalidConfiguration("no rows left to train on (\(data.rows) rows, validation fraction \(options.validationFraction))")
        }

        let initial = Autoencoder(architecture: architecture, generator: &initGenerator)
        let split = options.splitProducts && options.threads > 1
        let previousThreads = BLAS.threads
        BLAS.setThreads(split ? 1 : options.threads)
        defer { BLAS.setThreads(previousThreads) }
        let trainer = MiniBatchTrainer(architecture: architecture, batchSize: min(options.batchSize, trainingRows.count),
                                       parameters: initial.parameters, noisy: options.inputNoise > 0,
                                       gemm: ParallelGemm(parts: split ? options.threads : 1))
        var history = [EpochLoss]()
        var best = (loss: Double.infinity, epoch: 0, parameters: initial.parameters)
        var stoppedEarly = false
        let batch = trainer.batchSize
        let width = architecture.inputDimension

        try data.elements.withUnsafeBufferPointer { source in
            let x = source.baseAddress!
            for epoch in 1...options.epochs {
                let start = DispatchTime.now().uptimeNanoseconds
                let permutation = shuffleGenerator.permutation(trainingRows.count)
                var squaredError: Double = 0
                var first = 0, batchNumber = 0
                while first < trainingRows.count {
                    let rows = min(batch, trainingRows.count - first)
                    batchNumber += 1
                    for r in 0..<rows {
                        (trainer.target + r * width).update(from: x + trainingRows[permutation[first + r]] * width, count: width)
                    }
                    if options.inputNoise > 0 {
                        let sigma = options.inputNoise
                        for k in 0..<(rows * width) {
                            trainer.input[k] = trainer.target[k] + Float(noiseGenerator.normal() * sigma)
                        }
                    }
                    let batchError = trainer.trainStep(rows: rows, options: options)
                    guard let batchError else {
                        throw AutoencoderError.nonFiniteLoss(epoch: epoch, batch: batchNumber, loss: trainer.lastError)
                    }
                    squaredError += batchError
                    first += rows
                }
                let trainingLoss = squaredError / Double(trainingRows.count * width)

                var validationLoss: Double?
                if !validationRows.isEmpty {
                    var total: Double = 0
                    var first = 0
                    while first < validationRows.count {
                        let rows = min(batch, validationRows.count - first)
                        for r in 0..<rows {
                            (trainer.target + r * width).update(from: x + validationRows[first + r] * width, count: width)
                        }
                        total += trainer.squaredError(rows: rows)
                        first += rows
                    }
                    let loss = total / Double(validationRows.count * width)
                    guard loss.isFinite else { throw AutoencoderError.nonFiniteValidationLoss(epoch: epoch, loss: loss) }
                    validationLoss = loss
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let record = EpochLoss(epoch: epoch, training: trainingLoss, validation: validationLoss, seconds: seconds)
                history.append(record)
                progress(record)

                let monitored = validationLoss ?? trainingLoss
                if monitored < best.loss {
                    best = (monitored, epoch, trainer.currentParameters())
                } else if let patience = options.earlyStoppingPatience, epoch - best.epoch >= patience {
                    stoppedEarly = epoch < options.epochs
                    break
                }
            }
        }
        let keep = options.earlyStoppingPatience == nil ? trainer.currentParameters() : best.parameters
        let bestEpoch = options.earlyStoppingPatience == nil ? history.count : best.epoch
        return TrainingResult(model: try Autoencoder(architecture: architecture, parameters: keep), history: history,
                              bestEpoch: bestEpoch, stoppedEarly: stoppedEarly,
                              trainingRows: trainingRows.count, validationRows: validationRows.count)
    }
}

/// The buffers and arithmetic of mini-batch training: forward pass, MSE loss, backward
/// pass and Adam step over preallocated memory. Nothing is allocated per batch.
final class MiniBatchTrainer {
    let architecture: AutoencoderArchitecture
    let batchSize: Int
    let parameterCount: Int
    let gemm: ParallelGemm
    let parameters: UnsafeMutablePointer<Float>
    let gradients: UnsafeMutablePointer<Float>
    private let firstMoment: UnsafeMutablePointer<Float>
    private let secondMoment: UnsafeMutablePointer<Float>
    /// The clean rows of the batch (batchSize×D): the reconstruction targets.
    let target: UnsafeMutablePointer<Float>
    /// The network's input: `target` itself, or its noisy copy.
    let input: UnsafeMutablePointer<Float>
    /// activations[l] = output of layer l − 1 (batchSize × sizes[l]); activations[0] = input.
    private var activations: [UnsafeMutablePointer<Float>]
    /// deltas[l] = ∂loss/∂(pre-activation of layer l − 1), same shape as activations[l].
    private var deltas: [UnsafeMutablePointer<Float>]
    private var step = 0

    init(architecture: AutoencoderArchitecture, batchSize: Int, parameters initial: [Float], noisy: Bool,
         gemm: ParallelGemm = ParallelGemm(parts: 1)) {
        self.architecture = architecture
        self.gemm = gemm
        self.batchSize = batchSize
        parameterCount = architecture.parameterCount
        func zeros(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        let count = architecture.parameterCount
        let start = zeros(count)
        for k in 0..<min(count, initial.count) { start[k] = initial[k] }
        parameters = start
        gradients = zeros(parameterCount)
        firstMoment = zeros(parameterCount)
        secondMoment = zeros(parameterCount)
        let width = architecture.inputDimension
        target = zeros(batchSize * width)
        input = noisy ? zeros(batchSize * width) : target
        activations = [input]
        deltas = [input] // deltas[0] is never written: the input needs no gradient
        for l in 1..<architecture.sizes.count {
            activations.append(zeros(batchSize * architecture.sizes[l]))
            deltas.append(zeros(batchSize * architecture.sizes[l]))
        }
    }

    deinit {
        for p in activations.dropFirst() { p.deallocate() }
        for p in deltas.dropFirst() { p.deallocate() }
        if input != target { input.deallocate() }
        target.deallocate()
        for p in [parameters, gradients, firstMoment, secondMoment] { p.deallocate() }
    }

    func currentParameters() -> [Float] { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }

    /// Forward pass of the first `rows` rows of `input`, filling every layer's activations.
    private func forward(rows: Int) {
        for l in 0..<architecture.layerCount {
            Autoencoder.denseForward(architecture, layer: l, gemm: gemm, parameters: parameters,
                                     input: activations[l], output: activations[l + 1], rows: rows)
        }
    }

    /// Σ (reconstruction − target)² over the first `rows` rows of `target`, used as input
    /// without noise (for the validation loss).
    func squaredError(rows: Int) -> Double {
        let a = architecture
        Autoencoder.denseForward(a, layer: 0, gemm: gemm, parameters: parameters, input: target, output: activations[1], rows: rows)
        for l in 1..<a.layerCount {
            Autoencoder.denseForward(a, layer: l, gemm: gemm, parameters: parameters, input: activations[l],
                                     output: activations[l + 1], rows: rows)
        }
        return VectorOps.squaredDistance(activations[a.layerCount], target, count: rows * a.inputDimension)
    }

    /// Loss and gradient of one mini-batch (the first `rows` rows of `input`/`target`):
    /// fills `gradients` with ∂L/∂θ for L = mean squared error per element and returns the
    /// summed squared error (L·rows·D).
    func computeGradient(rows: Int) -> Double {
        forward(rows: rows)
        let error = outputDelta(rows: rows)
        backward(rows: rows) { _ in }
        return error
    }

    /// The summed squared error of the last `trainStep`, finite or not.
    private(set) var lastError: Double = 0

    /// One training step on the first `rows` rows: forward, backward and Adam. Each
    /// layer's parameters are updated as soon as its gradient is complete and the layer
    /// below no longer needs its weights, while that gradient is still in cache. Returns
    /// the summed squared error, or nil (parameters untouched) when it is not finite.
    func trainStep(rows: Int, options: TrainingOptions) -> Double? {
        forward(rows: rows)
        lastError = outputDelta(rows: rows)
        guard lastError.isFinite else { return nil }
        step += 1
        backward(rows: rows) { layer in
            let a = architecture
            adamStep(range: a.weightOffset(layer)..<a.weightOffset(layer + 1), options: options)
        }
        return lastError
    }

    /// Δ of the output layer from the reconstruction error; returns Σ error².
    private func outputDelta(rows: Int) -> Double {
        let a = architecture
        let layers = a.layerCount
        let count = rows * a.inputDimension
        let error = VectorOps.squaredError(activations[layers], target, count: count, difference: deltas[layers])
        a.activations[layers - 1].multiplyByDerivative(deltas[layers], output: activations[layers],
                                                       count: count, scale: 2 / Float(count))
        return error
    }

    /// Backward pass from the output Δ: fills `gradients` layer by layer, top down, and
    /// calls `layerDone(l)` once layer l's gradient is complete and its weights have been
    /// used for the Δ of the layer below (so they may change).
    private func backward(rows: Int, layerDone: (Int) -> Void) {
        let a = architecture
        for l in stride(from: a.layerCount - 1, through: 0, by: -1) {
            let n = a.sizes[l], m = a.sizes[l + 1]
            // ∂L/∂W_l = A_lᵀ · Δ_{l+1}
            gemm(.transpose, .none, m: n, n: m, k: rows, alpha: 1, a: activations[l], lda: n,
                  b: deltas[l + 1], ldb: m, beta: 0, c: gradients + a.weightOffset(l), ldc: m)
            VectorOps.columnSums(deltas[l + 1], rows: rows, columns: m, into: gradients + a.biasOffset(l))
            if l > 0 {
                // Δ_l = (Δ_{l+1} · W_lᵀ) ⊙ f′(A_l)
                gemm(.none, .transpose, m: rows, n: n, k: m, alpha: 1, a: deltas[l + 1], lda: m,
                      b: parameters + a.weightOffset(l), ldb: m, beta: 0, c: deltas[l], ldc: n)
                a.activations[l - 1].multiplyByDerivative(deltas[l], output: activations[l], count: rows * n)
            }
            layerDone(l)
        }
    }

    /// One Adam step (step number `step`) on the parameters in `range`, split among the
    /// training threads when it is large. Each parameter's update is independent, so the
    /// result does not depend on the split.
    private func adamStep(range: Range<Int>, options: TrainingOptions) {
        let buffers = AdamBuffers(w: parameters, g: gradients, m: firstMoment, v: secondMoment)
        let t = step
        let parts = range.count >= 65_536 ? max(1, options.threads) : 1
        let chunk = ((range.count + parts - 1) / parts + 15) / 16 * 16
        let update: @Sendable (Int) -> Void = { part in
            let start = min(range.lowerBound + part * chunk, range.upperBound)
            let end = min(start + chunk, range.upperBound)
            VectorOps.adamStep(parameters: buffers.w + start, gradients: buffers.g + start,
                               firstMoment: buffers.m + start, secondMoment: buffers.v + start,
                               count: end - start, step: t,
                               learningRate: Float(options.learningRate), beta1: Float(options.beta1),
                               beta2: Float(options.beta2), epsilon: Float(options.epsilon),
                               weightDecay: Float(options.weightDecay))
        }
        if parts == 1 { update(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: update) }
    }
}

/// The optimiser's buffers, shared by the threads of one Adam step. Each thread updates a
/// disjoint range, and the step returns only when all are done.
private struct AdamBuffers: @unchecked Sendable {
    let w: UnsafeMutablePointer<Float>
    let g: UnsafeMutablePointer<Float>
    let m: UnsafeMutablePointer<Float>
    let v: UnsafeMutablePointer<Float>
}
