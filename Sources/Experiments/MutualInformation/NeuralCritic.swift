import Dispatch
import Foundation
import Linalg

/// One evaluation of the critic during training.
public struct NeuralCriticProgress: Sendable, Hashable, Codable {
    /// Adam steps taken (1-based).
    public var step: Int
    /// The most steps training may take.
    public var maximumSteps: Int
    /// Mean of the training batches' bounds since the previous evaluation, nats.
    public var trainingBound: Double
    /// The bound on the held-out rows, nats.
    public var testBound: Double
    /// Its standard error over the held-out rows, nats.
    public var testStandardError: Double
    /// Wall-clock seconds since training began.
    public var seconds: Double
}

/// A neural estimate of I(X;Y) and how training went.
public struct NeuralCriticResult: Sendable {
    /// The best held-out bound, with its interval.
    public var estimate: MutualInformationEstimate
    /// One entry per evaluation.
    public var history: [NeuralCriticProgress]
    /// Steps taken, and the step whose critic gave the estimate.
    public var steps: Int
    public var bestStep: Int
    /// True when the patience rule ended training before `maximumSteps`.
    public var stoppedEarly: Bool
    public var trainingRows: Int
    public var testRows: Int
    public var architecture: CriticArchitecture
    /// The parameters of the critic that gave the estimate (on standardised columns when
    /// `standardize` was set).
    public var parameters: [Float]
}

/// Mutual information from a neural critic trained to maximise a variational lower bound
/// (Poole et al. 2019): InfoNCE (van den Oord et al. 2018) or NWJ (Nguyen, Wainwright & Jordan
/// 2010), with the training loop of the `benchmark-mi` neural estimators (Czyż et al. 2023):
/// a seeded split into training and held-out rows, Adam on batches of B training rows scoring
/// all B² pairs, the bound evaluated on all m² held-out pairs every `evaluationInterval` steps,
/// the estimate the best held-out value (bmi's `final_mi`).
///
/// Interval: the held-out bound is the mean of one term per held-out row (`rowTerm`), so its
/// standard error is their standard deviation over √m and the interval value ± 1.96·SE (normal
/// approximation). It treats the rows as independent — each term also reads the other rows'
/// y — and leaves out the variation between trainings and the optimism of keeping the best of
/// several evaluations; it is the held-out sampling error only. Both bounds are lower bounds in
/// expectation: a critic that has not converged, and InfoNCE near ln m, read low.
public enum NeuralCritic {
    /// Trains a critic on the rows of `x` (n×dx) and `y` (n×dy, the same rows) and returns its
    /// held-out bound. Deterministic for `options.seed` and thread count (the initial weights,
    /// the split and each step's batch come from separate streams). `progress` is called after
    /// every evaluation. Cancellable before every step and between evaluation blocks
    /// (`CancellationError`). Cost per step O(B·(dx + dy)·h₁ + B²·Σ hₗ·hₗ₊₁), per evaluation the
    /// same with m for B.
    /// - Throws: `NeuralEstimatorError` for mismatched rows, non-finite data, too few rows or
    ///   a bound that becomes NaN or infinite.
    public static func estimate(x: Matrix, y: Matrix, options: NeuralCriticOptions,
                                progress: (NeuralCriticProgress) -> Void = { _ in }) throws -> NeuralCriticResult {
        try options.validate()
        guard x.rows == y.rows else {
            throw NeuralEstimatorError.invalidConfiguration("X has \(x.rows) rows and Y \(y.rows); the rows must be paired")
        }
        guard x.isFinite, y.isFinite else { throw NeuralEstimatorError.invalidConfiguration("the data contain NaN or infinite values") }
        let architecture = try CriticArchitecture(xDimension: x.columns, yDimension: y.columns, hidden: options.hidden)
        let root = SeededGenerator(seed: options.seed)
        var initGenerator = root.derived("init"), splitGenerator = root.derived("split")
        var batchGenerator = root.derived("batches")

        let order = splitGenerator.permutation(x.rows)
        let testCount = Int((Double(x.rows) * options.testFraction).rounded(.down))
        let testRows = Array(order[0..<min(testCount, options.maximumTestRows)]).sorted()
        let trainingRows = Array(order[testCount...]).sorted()
        guard testRows.count >= 2, trainingRows.count >= 2 else {
            throw NeuralEstimatorError.invalidConfiguration("\(x.rows) rows leave too few to train on and to evaluate (test fraction \(options.testFraction))")
        }
        let (xs, ys) = options.standardize ? (standardised(x), standardised(y)) : (x, y)
        let xTrain = xs.rows(at: trainingRows), yTrain = ys.rows(at: trainingRows)
        let xTest = xs.rows(at: testRows), yTest = ys.rows(at: testRows)

        let trainer = CriticTrainer(architecture: architecture, batchSize: min(options.batchSize, trainingRows.count),
                                    parameters: architecture.initialParameters(generator: &initGenerator))
        let previousThreads = BLAS.threads
        BLAS.setThreads(options.threads)
        defer { BLAS.setThreads(previousThreads) }

        let start = DispatchTime.now().uptimeNanoseconds
        var history = [NeuralCriticProgress]()
        var best = (value: -Double.infinity, error: Double.nan, step: 0, parameters: trainer.currentParameters())
        var sinceBest = 0, trainingSum = 0.0, trainingCount = 0, step = 0, stoppedEarly = false
        var pool = Array(0..<trainingRows.count)
        while step < options.maximumSteps {
            try Cancellation.checkpoint()
            step += 1
            let bound = trainer.step(x: xTrain, y: yTrain, pool: &pool, generator: &batchGenerator,
                                     objective: options.objective, learningRate: Float(options.learningRate))
            guard bound.isFinite else { throw NeuralEstimatorError.nonFiniteObjective(step: step) }
            trainingSum += bound
            trainingCount += 1
            guard step % options.evaluationInterval == 0 || step == options.maximumSteps else { continue }
            let test = try trainer.heldOutBound(x: xTest, y: yTest, objective: options.objective)
            guard test.value.isFinite else { throw NeuralEstimatorError.nonFiniteObjective(step: step) }
            let record = NeuralCriticProgress(step: step, maximumSteps: options.maximumSteps,
                                              trainingBound: trainingSum / Double(trainingCount), testBound: test.value,
                                              testStandardError: test.standardError,
                                              seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            history.append(record)
            progress(record)
            trainingSum = 0
            trainingCount = 0
            if test.value > best.value {
                best = (test.value, test.standardError, step, trainer.currentParameters())
                sinceBest = 0
            } else {
                sinceBest += 1
                if let patience = options.patience, sinceBest >= patience {
                    stoppedEarly = step < options.maximumSteps
                    break
                }
            }
        }
        let m = Double(testRows.count)
        var details: [String: Double] = [
            "standardError": best.error, "testRows": m, "trainingRows": Double(trainingRows.count),
            "batchSize": Double(trainer.batchSize), "steps": Double(step), "bestStep": Double(best.step),
            "stoppedEarly": stoppedEarly ? 1 : 0, "seconds": Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
        ]
        if options.objective == .infoNCE {
            details["bound"] = Foundation.log(m)
            details["batchBound"] = Foundation.log(Double(trainer.batchSize))
        }
        let label = "\(options.objective.label) (critic \(options.hidden.map(String.init).joined(separator: "-")))"
        let estimate = MutualInformationEstimate(estimator: label, value: best.value, lower: best.value - 1.96 * best.error,
                                                 upper: best.value + 1.96 * best.error, details: details)
        return NeuralCriticResult(estimate: estimate, history: history, steps: step, bestStep: best.step,
                                  stoppedEarly: stoppedEarly, trainingRows: trainingRows.count, testRows: testRows.count,
                                  architecture: architecture, parameters: best.parameters)
    }
}

/// Parameters, Adam state and the buffers of one training batch, allocated once.
final class CriticTrainer {
    let architecture: CriticArchitecture
    let batchSize: Int
    private let parameterCount: Int
    private let parameters: UnsafeMutablePointer<Float>
    private let gradients: UnsafeMutablePointer<Float>
    private let firstMoment: UnsafeMutablePointer<Float>
    private let secondMoment: UnsafeMutablePointer<Float>
    private let xBatch: UnsafeMutablePointer<Float>
    private let yBatch: UnsafeMutablePointer<Float>
    private let p: UnsafeMutablePointer<Float>, q: UnsafeMutablePointer<Float>
    private let dP: UnsafeMutablePointer<Float>, dQ: UnsafeMutablePointer<Float>
    private let pairs: CriticPairs
    private var adamStep = 0
    /// Pairs per block of the held-out evaluation (memory ≈ 4·Σ widths bytes per pair).
    static let evaluationPairs = 1 << 17

    init(architecture: CriticArchitecture, batchSize: Int, parameters initial: [Float]) {
        self.architecture = architecture
        self.batchSize = batchSize
        parameterCount = architecture.parameterCount
        parameters = zeroedFloats(parameterCount)
        for k in 0..<min(parameterCount, initial.count) { parameters[k] = initial[k] }
        gradients = zeroedFloats(parameterCount)
        firstMoment = zeroedFloats(parameterCount)
        secondMoment = zeroedFloats(parameterCount)
        xBatch = zeroedFloats(batchSize * architecture.xDimension)
        yBatch = zeroedFloats(batchSize * architecture.yDimension)
        let h = architecture.firstWidth
        p = zeroedFloats(batchSize * h)
        q = zeroedFloats(batchSize * h)
        dP = zeroedFloats(batchSize * h)
        dQ = zeroedFloats(batchSize * h)
        pairs = CriticPairs(architecture: architecture, pairs: batchSize * batchSize, training: true)
    }

    deinit {
        for b in [parameters, gradients, firstMoment, secondMoment, xBatch, yBatch, p, q, dP, dQ] { b.deallocate() }
    }

    func currentParameters() -> [Float] { Array(UnsafeBufferPointer(start: parameters, count: parameterCount)) }

    /// One Adam step on a batch of `batchSize` training rows drawn without replacement (a
    /// partial Fisher–Yates shuffle of `pool`); returns the batch's bound before the step, and
    /// leaves the parameters untouched when it is not finite.
    func step(x: Matrix, y: Matrix, pool: inout [Int], generator: inout SeededGenerator,
              objective: CriticObjective, learningRate: Float) -> Double {
        let b = batchSize, dx = architecture.xDimension, dy = architecture.yDimension
        for r in 0..<b {
            let k = r + generator.index(below: pool.count - r)
            pool.swapAt(r, k)
        }
        x.elements.withUnsafeBufferPointer { xs in
            y.elements.withUnsafeBufferPointer { ys in
                for r in 0..<b {
                    (xBatch + r * dx).update(from: xs.baseAddress! + pool[r] * dx, count: dx)
                    (yBatch + r * dy).update(from: ys.baseAddress! + pool[r] * dy, count: dy)
                }
            }
        }
        let bound = batchGradient(objective: objective)
        guard bound.isFinite else { return bound }
        adamStep += 1
        VectorOps.adamStep(parameters: parameters, gradients: gradients, firstMoment: firstMoment,
                           secondMoment: secondMoment, count: parameterCount, step: adamStep,
                           learningRate: learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)
        return bound
    }

    /// The bound of the batch in `xBatch`/`yBatch` and, when it is finite, `gradients` ← its
    /// loss's gradient ∂(−bound)/∂θ.
    private func batchGradient(objective: CriticObjective) -> Double {
        let b = batchSize
        pairs.projectX(xBatch, rows: b, parameters: parameters, into: p)
        pairs.projectY(yBatch, rows: b, parameters: parameters, into: q)
        let scores = pairs.forward(p: p, xRows: b, q: q, yRows: b, parameters: parameters)
        let bound = objective.batchBound(scores: scores, rows: b, deltas: pairs.scoreDeltas)
        guard bound.isFinite else { return bound }
        pairs.backward(x: xBatch, y: yBatch, rows: b, parameters: parameters, gradients: gradients, dP: dP, dQ: dQ)
        return bound
    }

    /// The bound of the batch of all rows of `x` and `y` (exactly `batchSize` of them) at
    /// `parameters`, and the gradient of −bound: for the finite-difference test.
    func boundAndGradient(x: Matrix, y: Matrix, parameters values: [Float], objective: CriticObjective) -> (Double, [Float]) {
        for k in 0..<parameterCount { parameters[k] = values[k] }
        x.elements.withUnsafeBufferPointer { xBatch.update(from: $0.baseAddress!, count: batchSize * architecture.xDimension) }
        y.elements.withUnsafeBufferPointer { yBatch.update(from: $0.baseAddress!, count: batchSize * architecture.yDimension) }
        let bound = batchGradient(objective: objective)
        return (bound, Array(UnsafeBufferPointer(start: gradients, count: parameterCount)))
    }

    /// The bound on all m² pairs of the held-out rows and its standard error over the rows'
    /// terms, in blocks of x rows of at most `evaluationPairs` pairs. O(m²·Σ hₗ·hₗ₊₁) flops.
    func heldOutBound(x: Matrix, y: Matrix, objective: CriticObjective) throws -> (value: Double, standardError: Double) {
        let m = x.rows, h = architecture.firstWidth
        let block = max(1, min(m, CriticTrainer.evaluationPairs / m))
        let evaluation = CriticPairs(architecture: architecture, pairs: block * m, training: false)
        let pAll = zeroedFloats(m * h), qAll = zeroedFloats(m * h)
        defer { pAll.deallocate(); qAll.deallocate() }
        x.elements.withUnsafeBufferPointer { evaluation.projectX($0.baseAddress!, rows: m, parameters: parameters, into: pAll) }
        y.elements.withUnsafeBufferPointer { evaluation.projectY($0.baseAddress!, rows: m, parameters: parameters, into: qAll) }
        var sum = 0.0, sumSquares = 0.0
        var first = 0
        while first < m {
            try Cancellation.checkpoint()
            let rows = min(block, m - first)
            let scores = evaluation.forward(p: pAll + first * h, xRows: rows, q: qAll, yRows: m, parameters: parameters)
            for r in 0..<rows {
                let t = objective.rowTerm(scores: scores + r * m, count: m, own: first + r)
                sum += t
                sumSquares += t * t
            }
            first += rows
        }
        let mean = sum / Double(m)
        let variance = max(0, (sumSquares - Double(m) * mean * mean) / Double(m - 1))
        return (mean, (variance / Double(m)).squareRoot())
    }
}
