/// The variational bound a neural critic maximises (notation of Poole et al., "On Variational
/// Bounds of Mutual Information", ICML 2019).
public enum CriticObjective: String, Sendable, Hashable, Codable, CaseIterable {
    /// I_NCE = E[f(xᵢ, yᵢ) − ln (1/m)·Σⱼ e^{f(xᵢ, yⱼ)}] (van den Oord et al. 2018, "Representation
    /// Learning with Contrastive Predictive Coding"): low variance, but never above ln m for m
    /// pairs, so it saturates when I(X;Y) approaches ln(batch) in training and ln(test rows) in
    /// evaluation.
    case infoNCE = "infonce"
    /// I_NWJ = E_p[f] − e⁻¹·E_{p(x)p(y)}[e^f] (Nguyen, Wainwright & Jordan 2010, the f-divergence
    /// bound of the KL divergence): not capped by the batch size, but its variance grows like
    /// e^{I(X;Y)}.
    case nwj

    /// The row label of an estimate.
    public var label: String {
        switch self {
        case .infoNCE: "InfoNCE"
        case .nwj: "NWJ"
        }
    }
}

/// How to train a neural critic. Defaults are those of the neural estimators of Czyż et al.,
/// "Beyond Normal: On the Evaluation of Mutual Information Estimators" (NeurIPS 2023), in their
/// `benchmark-mi` 0.1.3 package (bmi/estimators/neural/_estimators.py): a concatenated ReLU
/// critic with hidden widths 16 and 8, Adam with learning rate 0.1, batches of 256 rows drawn
/// without replacement at every step, at most 10 000 steps, half the rows held out, the held-out
/// bound evaluated every 250 steps and training stopped once it has not improved for two
/// evaluations in a row; columns standardised first.
public struct NeuralCriticOptions: Sendable, Hashable, Codable {
    /// The bound to maximise and report.
    public var objective: CriticObjective = .infoNCE
    /// Hidden widths of the critic f(x, y) = MLP([x; y]) (ReLU after each, a linear output).
    public var hidden: [Int] = [16, 8]
    /// Rows per training batch B: every step scores all B² pairs (B positive, B² − B negative).
    public var batchSize: Int = 256
    /// Most Adam steps.
    public var maximumSteps: Int = 10_000
    /// Adam step size α.
    public var learningRate: Double = 0.1
    /// Fraction of the rows held out to evaluate the bound (the estimate comes from them only).
    public var testFraction: Double = 0.5
    /// Most held-out rows the bound is evaluated on (a seeded subset of the held-out fraction
    /// when it is larger): evaluation scores all m² pairs, so this caps its cost; the rows
    /// beyond it are used by neither training nor evaluation. InfoNCE's cap is ln m.
    public var maximumTestRows: Int = 4_096
    /// Steps between evaluations of the bound on the held-out rows.
    public var evaluationInterval: Int = 250
    /// Stop after this many evaluations in a row without a new best; nil = run every step.
    public var patience: Int? = 2
    /// Standardise every column of X and Y (z-scores over all rows) before training: the
    /// bounds are invariant to it, the optimiser is not.
    public var standardize: Bool = true
    /// OpenBLAS threads for the products.
    public var threads: Int = 1
    /// Seed of the initial weights, the split and the batches.
    public var seed: UInt64 = 0

    public init(objective: CriticObjective = .infoNCE, hidden: [Int] = [16, 8], batchSize: Int = 256,
                maximumSteps: Int = 10_000, learningRate: Double = 0.1, testFraction: Double = 0.5,
                evaluationInterval: Int = 250, patience: Int? = 2, standardize: Bool = true,
                threads: Int = 1, seed: UInt64 = 0) {
        self.objective = objective
        self.hidden = hidden
        self.batchSize = batchSize
        self.maximumSteps = maximumSteps
        self.learningRate = learningRate
        self.testFraction = testFraction
        self.evaluationInterval = evaluationInterval
        self.patience = patience
        self.standardize = standardize
        self.threads = threads
        self.seed = seed
    }

    func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw NeuralEstimatorError.invalidConfiguration(message) }
        }
        try check(!hidden.isEmpty, "the critic needs at least one hidden layer")
        try check(hidden.allSatisfy { (1...4096).contains($0) }, "hidden widths must lie in 1...4096, not \(hidden)")
        try check(batchSize >= 2, "the batch size must be at least 2, not \(batchSize)")
        // Every step keeps each layer's output and gradient for all batch² pairs.
        let pairBytes = Double(batchSize) * Double(batchSize) * Double(hidden.reduce(1, +)) * 8
        try check(pairBytes <= Double(1 << 30), "a batch of \(batchSize) rows with hidden widths \(hidden) needs \(Int(pairBytes / 1e6)) MB per step (batch² pairs); at most 1 GiB")
        try check(maximumSteps >= 1, "the number of steps must be at least 1, not \(maximumSteps)")
        try check(learningRate > 0 && learningRate.isFinite, "the learning rate must be positive, not \(learningRate)")
        try check(testFraction > 0 && testFraction < 1, "the test fraction must lie in (0, 1), not \(testFraction)")
        try check(maximumTestRows >= 2, "the held-out rows must be at least 2, not \(maximumTestRows)")
        try check(evaluationInterval >= 1, "the evaluation interval must be at least 1 step, not \(evaluationInterval)")
        try check((patience ?? 1) >= 1, "the patience must be at least 1 evaluation")
        try check(threads >= 1, "threads must be at least 1, not \(threads)")
    }
}

/// Failures of the neural and compressed mutual-information estimators, with the context a user needs.
public enum NeuralEstimatorError: Error, Equatable, CustomStringConvertible {
    /// Settings or data shapes that do not allow an estimate.
    case invalidConfiguration(String)
    /// The critic's objective became NaN or ±∞ at `step` (1-based).
    case nonFiniteObjective(step: Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): message
        case .nonFiniteObjective(let step):
            "the critic's objective became NaN or infinite at step \(step); lower the learning rate or standardise the data"
        }
    }
}
