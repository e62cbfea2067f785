import Dispatch
import Linalg

extension Autoencoder {
    /// Trains an autoencoder on the rows of `data` (n×D) to minimise the mean squared
    /// reconstruction error, with Adam on shuffled mini-batches.
    ///
    /// Deterministic for a given `options.seed` and thread count (which fixes how each
    /// mini-batch is split among threads, and so the order of the gradient sums): the
    /// initial weights, the validation split, each epoch's shuffle and the input noise come
    /// from separate streams derived from the seed. `progress` is called after every epoch.
    /// Cost per epoch ≈ n · `architecture.trainingFlopsPerSample` flops, nearly all in
    /// `sgemm`; the buffers of a mini-batch are allocated once, before the first epoch.
    ///
    /// Throws `AutoencoderError.nonFiniteLoss` (with epoch and mini-batch) when the loss
    /// becomes NaN or infinite, and `.invalidConfiguration` for impossible settings.
    /// Cancellable: before each mini-batch (when the previous one's shard threads have
    /// joined) it checks `Cancellation` and throws `CancellationError` on a request, so an
    /// interrupt waits at most one mini-batch and leaves no thread inside OpenBLAS.
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
        let trainer = MiniBatchTrainer(architecture: architecture, batchSize: min(options.batchSize, trainingRows.count),
                                       parameters: initial.parameters, noisy: options.inputNoise > 0,
                                       shards: split ? options.threads : 1)
        var history = [EpochLoss]()
        var best = (loss: Double.infinity, epoch: 0, parameters: initial.parameters)
        var stoppedEarly = false

        func trainEpochs() throws {
            try data.elements.withUnsafeBufferPointer { source in
                guard let x = source.baseAddress else { return }
                for epoch in 1...options.epochs {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let trainingLoss = try trainingEpoch(epoch, trainer: trainer, data: x, rows: trainingRows, options: options,
                                                         shuffle: &shuffleGenerator, noise: &noiseGenerator)
                    let validationLoss = try self.validationLoss(epoch, trainer: trainer, data: x, rows: validationRows)
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
        }
        if split {
            // The shards' threads each make single-threaded calls.
            try BLAS.withSingleThreadedCalls(trainEpochs)
        } else {
            let previousThreads = BLAS.threads
            BLAS.setThreads(options.threads)
            defer { BLAS.setThreads(previousThreads) }
            try trainEpochs()
        }
        let keep = options.earlyStoppingPatience == nil ? trainer.currentParameters() : best.parameters
        let bestEpoch = options.earlyStoppingPatience == nil ? history.count : best.epoch
        return TrainingResult(model: try Autoencoder(architecture: architecture, parameters: keep), history: history,
                              bestEpoch: bestEpoch, stoppedEarly: stoppedEarly,
                              trainingRows: trainingRows.count, validationRows: validationRows.count)
    }
}

extension Autoencoder {
    /// One pass over the training rows in a fresh shuffled order, with input noise when
    /// asked: the mean squared error per element, or `nonFiniteLoss` naming the mini-batch.
    fileprivate static func trainingEpoch(_ epoch: Int, trainer: MiniBatchTrainer, data x: UnsafePointer<Float>,
                                          rows trainingRows: [Int], options: TrainingOptions,
                                          shuffle: inout SeededGenerator, noise: inout SeededGenerator) throws -> Double {
        let batch = trainer.batchSize, width = trainer.architecture.inputDimension
        let permutation = shuffle.permutation(trainingRows.count)
        var squaredError: Double = 0
        var first = 0, batchNumber = 0
        while first < trainingRows.count {
            try Cancellation.checkpoint()
            let rows = min(batch, trainingRows.count - first)
            batchNumber += 1
            for r in 0..<rows {
                (trainer.target + r * width).update(from: x + trainingRows[permutation[first + r]] * width, count: width)
            }
            if options.inputNoise > 0 {
                let sigma = options.inputNoise
                for k in 0..<(rows * width) {
                    trainer.input[k] = trainer.target[k] + Float(noise.normal() * sigma)
                }
            }
            guard let batchError = trainer.trainStep(rows: rows, options: options) else {
                throw AutoencoderError.nonFiniteLoss(epoch: epoch, batch: batchNumber, loss: trainer.lastError)
            }
            squaredError += batchError
            first += rows
        }
        return squaredError / Double(trainingRows.count * width)
    }

    /// The mean squared error per element on the held-out rows, without noise; nil when
    /// there are none.
    fileprivate static func validationLoss(_ epoch: Int, trainer: MiniBatchTrainer, data x: UnsafePointer<Float>,
                                           rows validationRows: [Int]) throws -> Double? {
        guard !validationRows.isEmpty else { return nil }
        let batch = trainer.batchSize, width = trainer.architecture.inputDimension
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
        return loss
    }
}

/// The buffers and arithmetic of mini-batch training: forward pass, MSE loss, backward
/// pass and Adam step over memory allocated once, before the first batch (per batch only
/// the short list of shards and their row ranges).
///
/// With several shards the rows of a mini-batch are split among them and each shard runs
/// its forward and backward pass on its own thread with single-threaded OpenBLAS, into
/// its own activations and gradient; Adam then adds the shards' gradients in shard order
/// (so a run is the same for a given shard count) while it updates the parameters, split
/// among the same threads. Two waits per mini-batch, instead of one per product when
/// each product is threaded, and the element-wise passes run in parallel too.
final class MiniBatchTrainer {
    let architecture: AutoencoderArchitecture
    let batchSize: Int
    let parameterCount: Int
    let parameters: UnsafeMutablePointer<Float>
    private let firstMoment: UnsafeMutablePointer<Float>
    private let secondMoment: UnsafeMutablePointer<Float>
    /// The clean rows of the batch (batchSize×D): the reconstruction targets.
    let target: UnsafeMutablePointer<Float>
    /// The network's input: `target` itself, or its noisy copy.
    let input: UnsafeMutablePointer<Float>
    private let shards: [Shard]
    /// Fewest rows a shard is given; smaller batches use fewer shards.
    private let minimumShardRows: Int
    private var step = 0
    /// The summed squared error of the last `trainStep`, finite or not.
    private(set) var lastError: Double = 0

    /// ∂L/∂θ of the last `computeGradient` (the first shard's buffer holds the sum).
    var gradients: UnsafeMutablePointer<Float> { shards[0].gradients }

    init(architecture: AutoencoderArchitecture, batchSize: Int, parameters initial: [Float], noisy: Bool,
         shards shardCount: Int = 1, minimumShardRows: Int = 16) {
        self.architecture = architecture
        self.batchSize = batchSize
        self.minimumShardRows = max(1, minimumShardRows)
        parameterCount = architecture.parameterCount
        parameters = zeroedFloats(parameterCount)
        for k in 0..<min(parameterCount, initial.count) { parameters[k] = initial[k] }
        firstMoment = zeroedFloats(parameterCount)
        secondMoment = zeroedFloats(parameterCount)
        target = zeroedFloats(batchSize * architecture.inputDimension)
        input = noisy ? zeroedFloats(batchSize * architecture.inputDimension) : target
        let count = max(1, min(shardCount, batchSize))
        // The most rows `split` gives one shard for any batch of up to batchSize rows (a
        // short batch may go to fewer shards).
        let minimumRows = self.minimumShardRows
        let capacity = (1...max(1, batchSize)).map { rows in
            let used = MiniBatchTrainer.shardCount(rows: rows, shards: count, minimumRows: minimumRows)
            return (rows + used - 1) / used
        }.max()!
        shards = (0..<count).map { _ in Shard(architecture: architecture, rows: capacity) }
    }

    /// How many of `shards` a batch of `rows` rows uses: each gets at least `minimumRows`.
    private static func shardCount(rows: Int, shards: Int, minimumRows: Int) -> Int {
        max(1, min(shards, rows / minimumRows))
    }

    deinit {
        if input != target { input.deallocate() }
        target.deallocate()
        for p in [parameters, firstMoment, secondMoment] { p.deallocate() }
    }

    func currentParameters() -> [Float] { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }

    /// The shards and their row ranges for a batch of `rows` rows, in shard order.
    private func split(rows: Int) -> [(shard: Shard, rows: Range<Int>)] {
        // Sizes differ by at most one row and none is empty (count ≤ rows).
        let count = MiniBatchTrainer.shardCount(rows: rows, shards: shards.count, minimumRows: minimumShardRows)
        let base = rows / count, extra = rows % count
        var start = 0
        return (0..<count).map { s in
            let size = base + (s < extra ? 1 : 0)
            defer { start += size }
            return (shards[s], start..<(start + size))
        }
    }

    /// Runs `body` for every part, on parallel threads when there are several.
    private func parallel<Part>(_ parts: [Part], _ body: (Part) -> Void) {
        if parts.count == 1 { body(parts[0]); return }
        withoutActuallyEscaping(body) { body in
            let work = UncheckedBox(value: (body, parts))
            DispatchQueue.concurrentPerform(iterations: parts.count) { work.value.0(work.value.1[$0]) }
        }
    }

    /// Σ (reconstruction − target)² over the first `rows` rows of `target`, used as input
    /// without noise (for the validation loss).
    func squaredError(rows: Int) -> Double {
        let parts = split(rows: rows)
        let width = architecture.inputDimension
        var errors = [Double](repeating: 0, count: parts.count)
        errors.withUnsafeMutableBufferPointer { errors in
            let out = errors.baseAddress!
            parallel(Array(parts.enumerated())) { item in
                let (shard, range) = item.element
                let x = target + range.lowerBound * width
                shard.forward(input: x, rows: range.count, parameters: parameters)
                out[item.offset] = shard.squaredError(target: x, rows: range.count)
            }
        }
        return errors.reduce(0, +)
    }

    /// Loss and gradient of one mini-batch (the first `rows` rows of `input`/`target`):
    /// fills `gradients` with ∂L/∂θ for L = mean squared error per element and returns the
    /// summed squared error (L·rows·D).
    func computeGradient(rows: Int) -> Double {
        let parts = split(rows: rows)
        let error = gradient(parts, rows: rows)
        for (shard, _) in parts.dropFirst() {
            for k in 0..<parameterCount { gradients[k] += shard.gradients[k] }
        }
        return error
    }

    /// One training step on the first `rows` rows: forward, backward and Adam. Returns the
    /// summed squared error, or nil (parameters untouched) when it is not finite.
    func trainStep(rows: Int, options: TrainingOptions) -> Double? {
        let parts = split(rows: rows)
        lastError = gradient(parts, rows: rows)
        guard lastError.isFinite else { return nil }
        step += 1
        adamStep(gradients: parts.map { $0.shard.gradients }, options: options)
        return lastError
    }

    /// Every shard's gradient of its rows (scaled for the mean over all `rows`); returns
    /// the summed squared error, added in shard order.
    private func gradient(_ parts: [(shard: Shard, rows: Range<Int>)], rows: Int) -> Double {
        let width = architecture.inputDimension
        let scale = 2 / Float(rows * width)
        var errors = [Double](repeating: 0, count: parts.count)
        errors.withUnsafeMutableBufferPointer { errors in
            let out = errors.baseAddress!
            parallel(Array(parts.enumerated())) { item in
                let (shard, range) = item.element
                shard.forward(input: input + range.lowerBound * width, rows: range.count, parameters: parameters)
                out[item.offset] = shard.outputDelta(target: target + range.lowerBound * width,
                                                     rows: range.count, scale: scale)
                shard.backward(rows: range.count, parameters: parameters)
            }
        }
        return errors.reduce(0, +)
    }

    /// One Adam step (step number `step`) with the sum of `gradients`, the parameters
    /// split among the training threads when they are many. Each parameter's update is
    /// independent, so the result does not depend on the split.
    private func adamStep(gradients: [UnsafeMutablePointer<Float>], options: TrainingOptions) {
        let parts = parameterCount >= 65_536 ? max(1, shards.count) : 1
        let chunk = ((parameterCount + parts - 1) / parts + 15) / 16 * 16
        let ranges = (0..<parts).map { min($0 * chunk, parameterCount)..<min(($0 + 1) * chunk, parameterCount) }
        gradients.map { UnsafePointer($0) }.withUnsafeBufferPointer { sources in
            let sources = UncheckedBox(value: sources)
            parallel(ranges) { range in
                VectorOps.adamStep(parameters: parameters + range.lowerBound, gradients: sources.value,
                                   offset: range.lowerBound, firstMoment: firstMoment + range.lowerBound,
                                   secondMoment: secondMoment + range.lowerBound, count: range.count, step: step,
                                   learningRate: Float(options.learningRate), beta1: Float(options.beta1),
                                   beta2: Float(options.beta2), epsilon: Float(options.epsilon),
                                   weightDecay: Float(options.weightDecay))
            }
        }
    }
}

/// One shard's buffers: activations, deltas and gradient for up to `rows` rows.
private final class Shard {
    let architecture: AutoencoderArchitecture
    /// outputs[l] = f(pre-activation) of layer l (rows × sizes[l + 1]).
    private let outputs: [UnsafeMutablePointer<Float>]
    /// deltas[l] = ∂loss/∂(pre-activation of layer l), the shape of outputs[l].
    private let deltas: [UnsafeMutablePointer<Float>]
    /// activations[l] = the input of layer l: the batch rows (set by `forward`) for l = 0,
    /// outputs[l − 1] after.
    private var activations: [UnsafePointer<Float>]
    /// ∂L/∂θ from this shard's rows (scaled for the mean over the whole batch).
    let gradients: UnsafeMutablePointer<Float>

    init(architecture: AutoencoderArchitecture, rows: Int) {
        self.architecture = architecture
        let sizes = architecture.sizes.dropFirst()
        outputs = sizes.map { zeroedFloats(rows * $0) }
        deltas = sizes.map { zeroedFloats(rows * $0) }
        activations = [UnsafePointer(outputs[0])] + outputs.map { UnsafePointer($0) }
        gradients = zeroedFloats(architecture.parameterCount)
    }

    deinit {
        for p in outputs + deltas + [gradients] { p.deallocate() }
    }

    /// Forward pass of `rows` rows of `input`, filling every layer's activations.
    func forward(input: UnsafePointer<Float>, rows: Int, parameters: UnsafePointer<Float>) {
        activations[0] = input
        for l in 0..<architecture.layerCount {
            Autoencoder.denseForward(architecture, layer: l, parameters: parameters,
                                     input: activations[l], output: outputs[l], rows: rows)
        }
    }

    /// Σ (reconstruction − target)² after `forward`.
    func squaredError(target: UnsafePointer<Float>, rows: Int) -> Double {
        VectorOps.squaredDistance(outputs[architecture.layerCount - 1], target, count: rows * architecture.inputDimension)
    }

    /// Δ of the output layer from the reconstruction error, times `scale` (2 over the
    /// element count of the whole batch); returns Σ error² of these rows.
    func outputDelta(target: UnsafePointer<Float>, rows: Int, scale: Float) -> Double {
        let a = architecture
        let last = a.layerCount - 1
        let count = rows * a.inputDimension
        let error = VectorOps.squaredError(outputs[last], target, count: count, difference: deltas[last])
        a.activations[last].multiplyByDerivative(deltas[last], output: outputs[last], count: count, scale: scale)
        return error
    }

    /// Backward pass from the output Δ: every layer's weight and bias gradient.
    func backward(rows: Int, parameters: UnsafePointer<Float>) {
        let a = architecture
        for l in stride(from: a.layerCount - 1, through: 0, by: -1) {
            let n = a.sizes[l], m = a.sizes[l + 1]
            // ∂L/∂W_l = A_lᵀ · Δ_l
            sgemm(.transpose, .none, m: n, n: m, k: rows, alpha: 1, a: activations[l], lda: n,
                  b: deltas[l], ldb: m, beta: 0, c: gradients + a.weightOffset(l), ldc: m)
            VectorOps.columnSums(deltas[l], rows: rows, columns: m, into: gradients + a.biasOffset(l))
            if l > 0 {
                // Δ_{l−1} = (Δ_l · W_lᵀ) ⊙ f′(outputs[l − 1])
                sgemm(.none, .transpose, m: rows, n: n, k: m, alpha: 1, a: deltas[l], lda: m,
                      b: parameters + a.weightOffset(l), ldb: m, beta: 0, c: deltas[l - 1], ldc: n)
                a.activations[l - 1].multiplyByDerivative(deltas[l - 1], output: outputs[l - 1], count: rows * n)
            }
        }
    }
}

/// A value handed to the threads of one `concurrentPerform`. The trainer's threads write
/// disjoint buffers (their shard, their parameter range) and the call returns only when
/// all are done, which the compiler cannot see.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
}
