import Dispatch
import Linalg

extension NoisyClassifier {
    /// Trains a noisy classifier on the rows of `data` (n×D) with integer `labels` in
    /// 0..<classes, by Adam on shuffled mini-batches of the training rows; a seeded
    /// `testFraction` of the rows is held out for test accuracy and loss (with the noise).
    /// At every epoch in `options.snapshotEpochs` (0: before training) the clean hidden
    /// outputs of the rows `evaluationRows` are kept (`LayerSnapshot`).
    ///
    /// Deterministic for a seed and thread count. Cost per epoch ≈ n ·
    /// `trainingFlopsPerSample` flops in sgemm, plus one normal draw per hidden unit and row.
    /// Cancellable before every mini-batch (`CancellationError`).
    /// - Throws: `ClassifierError` for impossible settings, labels outside the classes, or a
    ///   loss that becomes NaN or infinite.
    public static func train(on data: Matrix, labels: [Int], architecture: ClassifierArchitecture,
                             options: ClassifierOptions, evaluationRows: [Int] = [],
                             progress: (ClassifierEpoch) -> Void = { _ in }) throws -> ClassifierResult {
        try validate(data, labels: labels, architecture: architecture, options: options, evaluationRows: evaluationRows)
        let root = SeededGenerator(seed: options.seed)
        var initGenerator = root.derived("init"), splitGenerator = root.derived("split")
        var shuffleGenerator = root.derived("shuffle"), noiseGenerator = root.derived("noise")
        let order = splitGenerator.permutation(data.rows)
        let testRows: [Int], trainingRows: [Int]
        if options.holdOutEvaluation {
            let held = Set(evaluationRows)
            testRows = held.sorted()
            trainingRows = (0..<data.rows).filter { !held.contains($0) }
        } else {
            let testCount = Int((Double(data.rows) * options.testFraction).rounded(.down))
            testRows = Array(order[0..<testCount]).sorted()
            trainingRows = Array(order[testCount...]).sorted()
        }
        guard !trainingRows.isEmpty else { throw ClassifierError.invalidConfiguration("no rows left to train on") }

        let initial = NoisyClassifier(architecture: architecture, noise: options.noise, generator: &initGenerator)
        let trainer = ClassifierTrainer(architecture: architecture, batchSize: min(options.batchSize, trainingRows.count),
                                        parameters: initial.parameters)
        let evaluation = data.rows(at: evaluationRows)
        let testData = data.rows(at: testRows), testLabels = testRows.map { labels[$0] }
        var snapshots = [LayerSnapshot](), history = [ClassifierEpoch]()
        func snapshot(_ epoch: Int) throws {
            guard options.snapshotEpochs.contains(epoch) else { return }
            let parameters = trainer.currentParameters()
            let model = try NoisyClassifier(architecture: architecture, noise: options.noise, parameters: parameters)
            snapshots.append(LayerSnapshot(epoch: epoch, layers: try model.hiddenOutputs(evaluation), parameters: parameters))
        }

        let previousThreads = BLAS.threads
        BLAS.setThreads(options.threads)
        defer { BLAS.setThreads(previousThreads) }
        try snapshot(0)
        for epoch in 1...options.epochs {
            let start = DispatchTime.now().uptimeNanoseconds
            let order = trainingRows.permuted(by: shuffleGenerator.permutation(trainingRows.count))
            let (loss, correct) = try trainEpoch(trainer, data: data, labels: labels, order: order, epoch: epoch,
                                                 options: options, generator: &noiseGenerator)
            var record = ClassifierEpoch(epoch: epoch, trainingLoss: loss / Double(trainingRows.count), testAccuracy: nil,
                                         testLoss: nil, trainingAccuracy: Double(correct) / Double(trainingRows.count), seconds: 0)
            if !testRows.isEmpty {
                let model = try NoisyClassifier(architecture: architecture, noise: options.noise, parameters: trainer.currentParameters())
                let test = try model.evaluate(testData, labels: testLabels, generator: root.derived("test-noise-\(epoch)"))
                record.testAccuracy = test.accuracy
                record.testLoss = test.loss
            }
            record.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            history.append(record)
            progress(record)
            try snapshot(epoch)
        }
        let model = try NoisyClassifier(architecture: architecture, noise: options.noise, parameters: trainer.currentParameters())
        return ClassifierResult(model: model, history: history, snapshots: snapshots,
                                trainingRows: trainingRows, testRows: testRows)
    }

    /// The checks of `train`'s inputs.
    static func validate(_ data: Matrix, labels: [Int], architecture: ClassifierArchitecture, options: ClassifierOptions,
                         evaluationRows: [Int]) throws {
        try options.validate()
        guard data.columns == architecture.inputDimension else {
            throw ClassifierError.dimensionMismatch(expected: architecture.inputDimension, got: data.columns)
        }
        guard labels.count == data.rows, labels.allSatisfy({ (0..<architecture.classes).contains($0) }) else {
            throw ClassifierError.invalidConfiguration("need one label in 0..<\(architecture.classes) per row")
        }
        guard data.isFinite else { throw ClassifierError.invalidConfiguration("the data contain NaN or infinite values") }
        guard evaluationRows.allSatisfy({ (0..<data.rows).contains($0) }) else {
            throw ClassifierError.invalidConfiguration("evaluation rows outside the data")
        }
    }

    /// One pass of Adam steps over the rows `order` (in that order) in mini-batches; the summed
    /// cross-entropy and the count of rows classified correctly as they were trained on.
    static func trainEpoch(_ trainer: ClassifierTrainer, data: Matrix, labels: [Int], order: [Int], epoch: Int,
                           options: ClassifierOptions, generator: inout SeededGenerator) throws -> (loss: Double, correct: Int) {
        let width = trainer.architecture.inputDimension, batch = trainer.batchSize
        var loss = 0.0, correct = 0, first = 0, batchNumber = 0
        try data.elements.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            while first < order.count {
                try Cancellation.checkpoint()
                let rows = min(batch, order.count - first)
                batchNumber += 1
                for r in 0..<rows {
                    (trainer.input + r * width).update(from: base + order[first + r] * width, count: width)
                    trainer.labels[r] = labels[order[first + r]]
                }
                guard let result = trainer.trainStep(rows: rows, options: options, generator: &generator) else {
                    throw ClassifierError.nonFiniteLoss(epoch: epoch, batch: batchNumber)
                }
                loss += result.loss
                correct += result.correct
                first += rows
            }
        }
        return (loss, correct)
    }
}

private extension Array where Element == Int {
    /// The elements in the order `permutation` gives: self[permutation[0]], self[permutation[1]], ….
    func permuted(by permutation: [Int]) -> [Int] { permutation.map { self[$0] } }
}
