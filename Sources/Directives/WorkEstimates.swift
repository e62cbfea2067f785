import Autoencoder
import Entropy
import EntropyCurve
import Foundation
import MutualInformation
import Notebook

// What each directive's arguments imply in work, the time half of `ResourceEstimates`:
// counted from the same settings, priced in seconds by the engine's `MachineSpeeds`, whose
// probes run the way the work runs (worker threads making single-threaded calls; figures
// on one thread). The counts follow the algorithms' own complexity notes:
// - an autoencoder's or classifier's epoch is a forward and a backward product per row
//   (6 flops per weight, 2 for rows that are only evaluated), one sgemm call per layer and
//   product on each shard, an Adam step per mini-batch and two meetings of the shard
//   threads per mini-batch (`Training.swift`);
// - a kernel-density pass over the distance blocks is 2·n·m·d flops in sgemm and a few
//   exponentials per pair (`KernelEntropy`: the leave-one-out ML bandwidth is a coarse grid
//   on 2 000 rows and two passes on all rows, three below n = 4 000); sample propagation is
//   one such pass of its draws against the centres;
// - k-NN and correlation sums are one pass of blocked distances; DANCo's calibration adds
//   a k-NN search of a simulated ball per dimension up to min(D, 100);
// - a figure is drawn at three sizes (supersampled libgd, palette quantisation, zlib 9).
// The constants below (figure, generation and per-call costs) were measured on this
// machine's cold runs (docs/ARCHITECTURE.md, "The cost model"); they aim at a factor 1.5.

/// Exponentials per pair and pass of a kernel sum (several bandwidths per pass, one exp
/// per four of them, vectorised).
private let exponentialsPerPair = 2.0
/// sgemm flops one layer step of a shard costs beyond its own products (the call's dispatch
/// and packing, the bias, activation and copy passes' loop overheads): what makes a
/// 10–64–32 network slower per flop than the probe's 64 × 512 × 512. Fitted on idle cold
/// runs: quickstart.md's `{autoencoder}` (40 epochs of 10–64–32–3 on 2 000 rows) trains in
/// 0.05 s; 2·10⁵, fitted at load 10–15, priced it at twice that.
private let flopsPerCall = 1.2e5
/// Element operations per pair and column of KSG's max-norm scan (a Double difference, its
/// absolute value and a max, unvectorised) and per pair beyond them (the k-best insertion,
/// the marginal counts).
private let ksgOperationsPerColumn = 5.5
private let ksgOperationsPerPair = 40.0
/// Element operations per pair and activation of a neural critic's step (the first layer's
/// P + Q broadcast, ReLU and its derivative, the objective's softmax terms).
private let criticOperationsPerActivation = 8.0
/// Adam steps a neural critic's estimate is counted at: bmi's early stopping (two held-out
/// evaluations 250 steps apart without a new best) ends most runs well before its 10 000.
private let criticStepsCounted = 2_000.0
/// Rows per shard of a split-product trainer's mini-batch (`Training.swift`).
private let shardRows = 64.0

/// Element operations per weight and mini-batch: Adam's moments, the update, the
/// gradients' reduction over threads. This and the next refitted on idle cold runs of
/// mnist.md, presentation.md and fractal-dimension.md (quick), whose 784-column sweeps
/// 12 and 8, fitted at load 10–15, priced 1.7–1.9 × long (docs/ARCHITECTURE.md).
private let adamOperationsPerWeight = 4.0
/// Element operations per activation and row: bias, activation and its derivative, copies.
private let activationOperations = 3.0
/// Single-thread element operations that stand for drawing one line chart or histogram at
/// its three sizes (supersampled libgd drawing, palette quantisation, zlib level 9) and
/// writing its CSV. Fitted on idle cold runs of the cells that draw and compute little
/// (`{dimension}`, `{distances}`, `{classifier}` and the quick `{information-plane}` of
/// synthetic, presentation and information-plane.md): about 0.25 s a chart where the serial
/// probe measures 12–14·10⁹ operations a second.
let figureOperations = 3.0e9
/// Single-thread element operations per point of a scatter plot (or pixel block of an image
/// grid) on top of a chart's: the dataset cell's 2 000-point scatter takes about 0.5 s on an
/// idle machine, twenty line charts' worth.
private let operationsPerPlottedPoint = 2.5e6
/// Single-thread element operations per generated coordinate (sampling, the embedding map,
/// noise, the provenance's statistics).
private let generationOperations = 60.0

/// The drawing of `count` line charts or histograms.
func figureWork(_ count: Int) -> ComputeWork { ComputeWork(serialOperations: Double(count) * figureOperations) }

/// The drawing of one scatter plot of `points` points (an image grid counts its images as
/// 20 points each).
func pointFigureWork(points: Int) -> ComputeWork {
    ComputeWork(serialOperations: figureOperations + Double(points) * operationsPerPlottedPoint)
}

/// The work of one kernel-density pass: `queries` rows against `points` rows in `d` dimensions.
func kernelPassWork(points: Int, queries: Int, dimension d: Int) -> ComputeWork {
    let pairs = Double(points) * Double(queries)
    return ComputeWork(matrixFlops: 2 * pairs * Double(d), exponentials: exponentialsPerPair * pairs, elementOperations: 3 * pairs,
                       barriers: 1)
}

/// Leave-one-out ML bandwidth and the entropy at it (`KernelEntropy`'s passes,
/// `BandwidthSearch.maximize`): below 4 000 rows a grid search and its refinement on all rows,
/// about three passes; from 4 000 rows a coarse grid on 2 000 of them, then two passes on all.
func leaveOneOutWork(rows n: Int, dimension d: Int) -> ComputeWork {
    guard n >= 4000 else { return 3 * kernelPassWork(points: n, queries: n, dimension: d) }
    return 2 * kernelPassWork(points: n, queries: n, dimension: d) + 2 * kernelPassWork(points: 2000, queries: 2000, dimension: d)
}

/// Sample propagation (`SamplePropagationEntropy`, `NoisyMutualInformation`): `samples`
/// draws against `centres` Gaussian centres in `d` dimensions, one exponential per pair.
func samplePropagationWork(samples: Int, centres: Int, dimension d: Int) -> ComputeWork {
    let pairs = Double(samples) * Double(centres)
    return ComputeWork(matrixFlops: 2 * pairs * Double(d), exponentials: pairs, elementOperations: 3 * pairs, barriers: 1)
}

/// One pass of blocked pairwise distances (half of them when symmetric), with a selection
/// or binning step per pair.
func distancePassWork(rows n: Int, columns d: Int, symmetric: Bool) -> ComputeWork {
    let pairs = Double(n) * Double(n) * (symmetric ? 0.5 : 1)
    return ComputeWork(matrixFlops: 2 * pairs * Double(d), elementOperations: 2 * pairs, barriers: 1)
}

/// The correlation sum (`CorrelationIntegral`): half the pairs' distances, each binned
/// among the radii by a search.
func correlationSumWork(rows n: Int, columns d: Int) -> ComputeWork {
    distancePassWork(rows: n, columns: d, symmetric: true) + ComputeWork(elementOperations: 5 * Double(n) * Double(n) / 2)
}

/// DANCo on `n` points in `d` columns (`DANCoDimension`): its own k-NN search and the
/// calibration's, one simulated ball of `n` points per dimension 1…min(d, 100), each with
/// its neighbour search and its statistics (`dancoCalibrationWork`; a process keeps them
/// per n, so a notebook pays for them once per size — counted here each time).
func dancoWork(rows n: Int, columns d: Int) -> ComputeWork {
    distancePassWork(rows: n, columns: d, symmetric: false) + WorkEstimates.dancoCalibrationWork(rows: n, maxColumns: d)
}

/// ESS (`ExpectedSimplexSkewnessDimension`) on `n` points in `d` columns with patches of
/// `m` neighbours: per point a Gram matrix (`cblas_dsyrk`, m²·d flops), the centring and
/// the pair loop.
func essWork(rows n: Int, columns d: Int, patch m: Int = 100) -> ComputeWork {
    let rows = Double(n), patch = Double(min(m, max(1, n - 1))), columns = Double(d)
    return ComputeWork(matrixFlops: rows * patch * patch * columns,
                       elementOperations: rows * patch * columns * 2 + rows * patch * patch * 4)
}

/// `auto` (`AutomaticDimension`): a 64-neighbour search and Gride's scale curve; in high
/// dimension or without a plateau DANCo, and in high dimension ESS (with its own 100-neighbour
/// search) and the correlation integral's two pair counts. Which the arguments cannot tell:
/// counted for data of at least 512 columns (MNIST's 784 read high, the 256-pixel bumps of
/// dimension 2 do not; counting it from 16 columns made synthetic.md's bumps 3–9 × too long).
/// `searched`: the 64-neighbour search is shared with other methods and counted there.
func automaticDimensionWork(rows n: Int, columns d: Int, searched: Bool = false) -> ComputeWork {
    let search = distancePassWork(rows: n, columns: d, symmetric: false)
    let own = searched ? .none : search
    guard d >= 512 else { return own }
    return own + search + dancoWork(rows: n, columns: d) + essWork(rows: n, columns: d)
        + distancePassWork(rows: n, columns: d, symmetric: true)
}

/// Training a dense network (`sizes` from input to output) for `epochs` passes over `rows`
/// rows, of which the fraction `heldOut` is only evaluated, in mini-batches of `batch` rows
/// split into shards of 64 rows on the worker threads.
func denseTrainingWork(sizes: [Int], rows: Int, heldOut: Double, epochs: Int, batch: Int) -> ComputeWork {
    var weights = 0.0
    for l in 0..<(sizes.count - 1) { weights += Double(sizes[l]) * Double(sizes[l + 1]) }
    let layers = Double(sizes.count - 1)
    let rowCount = Double(rows), epochCount = Double(epochs)
    let trained = rowCount * (1 - heldOut)
    let batchRows = Double(max(1, min(batch, max(1, Int(trained)))))
    let batches = (trained / batchRows).rounded(.up)
    let shards = batches * (batchRows / shardRows).rounded(.up)
    // Three products per layer and shard in training (forward, backward, weight gradient),
    // one per layer for the evaluated rows (in batches too).
    let calls = epochCount * (shards * layers * 3 + ((rowCount - trained) / batchRows).rounded(.up) * layers)
    let flops = epochCount * (trained * 6 * weights + (rowCount - trained) * 2 * weights) + calls * flopsPerCall
    let elements = epochCount * (batches * weights * adamOperationsPerWeight + rowCount * Double(sizes.reduce(0, +)) * activationOperations)
    return ComputeWork(matrixFlops: flops, elementOperations: elements, barriers: epochCount * batches * 2)
}

/// A forward pass of `rows` rows through `sizes`.
func forwardWork(sizes: [Int], rows: Int) -> ComputeWork {
    var weights = 0.0
    for l in 0..<(sizes.count - 1) { weights += Double(sizes[l]) * Double(sizes[l + 1]) }
    return ComputeWork(matrixFlops: 2 * Double(rows) * weights, elementOperations: Double(rows) * Double(sizes.reduce(0, +)) * 2)
}

/// Training one autoencoder: `epochs` passes over the rows, then encoding every row once.
func trainingWork(data: DataShape, code: Int, settings: AutoencoderSettings) -> ComputeWork {
    let widths = settings.hidden ?? AutoencoderArchitecture.defaultHidden(for: data.columns, code: code)
    let sizes = [data.columns] + widths + [code] + widths.reversed() + [data.columns]
    return denseTrainingWork(sizes: sizes, rows: data.rows, heldOut: settings.validation, epochs: settings.epochs, batch: settings.batch)
        + forwardWork(sizes: Array(sizes.prefix(widths.count + 2)), rows: data.rows)
}

extension ResourceEstimate {
    /// The estimate with its work, the parameter that drives the time and how it is made up.
    func with(work: ComputeWork, driver: String?, _ explanation: String) -> ResourceEstimate {
        var copy = self
        copy.work = work
        copy.timeParameter = driver
        copy.timeExplanation = explanation
        return copy
    }
}

enum WorkEstimates {
    /// Generating (or reading) the rows and the sample figure: a scatter of at most 2 000
    /// points, or a grid of sample images (100, as 20 points each).
    static func dataset(rows: Int, columns: Int, latent: Int, images: Bool = false) -> ComputeWork {
        ComputeWork(serialOperations: Double(rows) * Double(columns + latent) * generationOperations)
            + pointFigureWork(points: images ? 2000 : min(rows, 2000))
    }

    static func autoencoder(_ inputs: EstimateInputs) -> (ComputeWork, String, String)? {
        guard let data = inputs.shapes["data"], var cell = try? inputs.arguments.decode(AutoencoderDirective.Settings.self) else { return nil }
        _ = cell.autoencoder.applyQuickMode(inputs.settings.quick)
        // The loss curve, and a grid of reconstructions for images.
        let images = [256, 784].contains(data.columns)
        let work = trainingWork(data: data, code: cell.code, settings: cell.autoencoder) + figureWork(1)
            + (images ? pointFigureWork(points: 640) : .none)
        let driver = cell.autoencoder.$epochs.isExplicit ? "epochs" : "data"
        return (work, driver, "\(cell.autoencoder.epochs) epochs × \(groupedDigits(data.rows)) rows")
    }

    static func entropyCurve(_ inputs: EstimateInputs) -> (ComputeWork, String, String)? {
        guard let data = inputs.shapes["data"],
              let (cell, settings, _) = try? EntropyCurveDirective.sweepSettings(inputs.arguments, run: inputs.settings, seed: 0)
        else { return nil }
        var work = sweepWork(settings, data: data)
        // The cross-check's `auto` of the data itself.
        if cell.verdict == .crossChecked && data.rows > 65 {
            work = work + automaticDimensionWork(rows: data.rows, columns: data.columns)
        }
        // H(d), its gains, the bandwidths, the losses, the correlation family, the verdict.
        work = work + figureWork(6)
        // The driver: of the parameters written in the cell, the one furthest above its
        // default (epochs 20, dims 1...8, repeats 3), as a factor.
        let factors: [(String, Double, explicit: Bool)] = [
            ("autoencoder.epochs", Double(settings.training.epochs) / 20, cell.autoencoder.$epochs.isExplicit),
            ("dims", Double(settings.dimensions.count) / 8, cell.$dims.isExplicit),
            ("repeats", Double(settings.repeats) / 3, cell.$repeats.isExplicit),
        ].filter(\.explicit)
        let driver = factors.max { $0.1 < $1.1 }?.0 ?? "dims"
        return (work, driver, "\(settings.dimensions.count) dims × \(settings.repeats) seeds × \(settings.training.epochs) epochs on \(groupedDigits(data.rows)) rows")
    }

    /// An H(d) sweep (`EntropyCurveExperiment.run`): per d and seed an autoencoder, the
    /// KDE entropy of its codes (and the Monte-Carlo one), the noisy entropies on n, n/2,
    /// n/4 codes per σ, the correlation dimension when asked.
    static func sweepWork(_ settings: EntropyCurveExperiment.Settings, data: DataShape) -> ComputeWork {
        let n = min(data.rows, settings.entropySample ?? data.rows)
        var work = ComputeWork.none
        for d in settings.dimensions {
            let widths = settings.hidden ?? AutoencoderArchitecture.defaultHidden(for: data.columns, code: d)
            let sizes = [data.columns] + widths + [d] + widths.reversed() + [data.columns]
            var point = denseTrainingWork(sizes: sizes, rows: data.rows, heldOut: settings.training.validationFraction,
                                          epochs: settings.training.epochs, batch: settings.training.batchSize)
                + forwardWork(sizes: Array(sizes.prefix(widths.count + 2)), rows: data.rows)
            if case .leaveOneOutML = settings.bandwidth { point = point + leaveOneOutWork(rows: n, dimension: d) }
            else { point = point + kernelPassWork(points: n, queries: n, dimension: d) }
            if let m = settings.monteCarloSamples, m > 0 { point = point + kernelPassWork(points: n, queries: m, dimension: d) }
            if let noisy = settings.noisy {
                for divisor in noisy.divisors {
                    let rows = max(n / max(divisor, 1), 2)
                    point = point + Double(noisy.sigmas.count) * samplePropagationWork(samples: noisy.samples, centres: rows, dimension: d)
                }
            }
            if settings.correlationDimension { point = point + distancePassWork(rows: n, columns: d, symmetric: true) }
            work = work + Double(settings.repeats) * point
        }
        return work
    }

    static func entropy(_ inputs: EstimateInputs, estimator: EntropyDirective.EstimatorName, samples: Int, leaveOneOutML: Bool) -> ComputeWork? {
        guard let data = inputs.shapes["data"] else { return nil }
        return figureWork(1) + estimatorWork(data, estimator: estimator, samples: samples, leaveOneOutML: leaveOneOutML)
    }

    private static func estimatorWork(_ data: DataShape, estimator: EntropyDirective.EstimatorName, samples: Int, leaveOneOutML: Bool) -> ComputeWork {
        switch estimator {
        case .knn: return distancePassWork(rows: data.rows, columns: data.columns, symmetric: false)
        case .kdeMC: return kernelPassWork(points: data.rows, queries: samples, dimension: data.columns)
            + (leaveOneOutML ? leaveOneOutWork(rows: data.rows, dimension: data.columns) : .none)
        case .kdeLOO, .kdeResub, .noisy:
            return leaveOneOutML ? leaveOneOutWork(rows: data.rows, dimension: data.columns)
                : kernelPassWork(points: data.rows, queries: data.rows, dimension: data.columns)
        }
    }
}

// MARK: - Classifier, information plane, calibrations, mutual information

extension WorkEstimates {
    /// `{classifier}`: per seed, `epochs` passes of the noisy MLP over the training rows
    /// (the test rows evaluated each epoch) and a forward pass of the evaluation rows at
    /// every read-out.
    static func classifier(sizes: [Int], rows: Int, heldOut: Double, epochs: Int, batch: Int, evaluation: Int,
                           readOuts: Int, repeats: Int) -> ComputeWork {
        let one = denseTrainingWork(sizes: sizes, rows: rows, heldOut: heldOut, epochs: epochs, batch: batch)
            + Double(readOuts) * forwardWork(sizes: sizes, rows: evaluation)
        return Double(repeats) * one + figureWork(2)
    }

    /// `{information-plane}` on a classifier's read-outs (`shape`: the evaluation rows, the
    /// input columns, the hidden widths, read-outs per seed and seeds):
    /// - noise-aware: per read-out and layer, `samples` draws against the n·k centres, for
    ///   h(T) and again by class for h(T|Y); in the propagated mode the network's forward
    ///   pass on n·k rows per read-out and the held-out bound's pass;
    /// - compressed: an autoencoder to `code` dims on the input once, and per read-out and
    ///   layer on the layer's outputs, then three KDE entropies for I(X;T) and two for I(T;Y);
    /// - the distance histograms of every layer at every read-out of the first seed.
    static func informationPlane(shape: DataShape, samples: Int, propagated: Bool, chains: Int, noiseAware: Bool,
                                 compressed: Bool, code: Int, aeEpochs: Int, threads: Int) -> ComputeWork {
        let n = shape.rows, k = propagated ? chains : 1
        let network = [shape.columns] + shape.layers + [10]
        var snapshot = ComputeWork.none
        if propagated { snapshot = snapshot + forwardWork(sizes: network, rows: n * (k + 1)) }
        for (l, width) in shape.layers.enumerated() {
            let centres = n * (l == 0 ? 1 : k)
            if noiseAware { snapshot = snapshot + 2 * samplePropagationWork(samples: samples, centres: centres, dimension: width) }
            if propagated && l > 0 { snapshot = snapshot + samplePropagationWork(samples: n, centres: centres, dimension: width) }
            if compressed {
                if width > code { snapshot = snapshot + compressionWork(rows: n, columns: width, code: code, epochs: aeEpochs) }
                snapshot = snapshot + 5 * leaveOneOutWork(rows: n, dimension: 2 * code)
            }
        }
        var work = Double(shape.readOuts * shape.repeats) * snapshot
        if compressed { work = work + compressionWork(rows: n, columns: shape.columns, code: code, epochs: aeEpochs) }
        let histograms = Double(shape.readOuts + 4) * shape.layers.reduce(ComputeWork.none) {
            $0 + distancePassWork(rows: n, columns: $1, symmetric: true)
        }
        return work + histograms + figureWork(4 + shape.layers.count)
    }

    /// The compressing autoencoder of `InformationPlaneExperiment`: one hidden layer of
    /// min(128, max(2·code, columns/2)) units each side, no validation split.
    private static func compressionWork(rows: Int, columns: Int, code: Int, epochs: Int) -> ComputeWork {
        let hidden = min(128, max(2 * code, columns / 2))
        let sizes = [columns, hidden, code, hidden, columns]
        return denseTrainingWork(sizes: sizes, rows: rows, heldOut: 0, epochs: epochs, batch: 128)
            + forwardWork(sizes: Array(sizes.prefix(3)), rows: rows)
    }

    /// One `VerdictCalibration` case: generating n points, the H(d) sweep for d = 1…k + beyond
    /// with its KDE and noisy entropies, and MLE, TwoNN and CorrInt on a 20-neighbour search.
    static func calibrationCase(_ settings: VerdictCalibration.Settings, k: Int, ambient: Int, n: Int) -> ComputeWork {
        let sweep = EntropyCurveExperiment.Settings(
            dimensions: Array(1...(k + settings.beyond)), repeats: 1, hidden: settings.hidden,
            training: settings.training, monteCarloSamples: nil, entropySample: settings.kdeSample,
            noisy: settings.noisy, seed: 0)
        let data = DataShape(rows: n, columns: ambient)
        return sweepWork(sweep, data: data) + 2 * distancePassWork(rows: n, columns: ambient, symmetric: false)
            + ComputeWork(serialOperations: Double(n) * Double(ambient) * generationOperations)
    }

    /// One `EstimatorCalibration` case of `{dimension-benchmark}` on n points in D columns:
    /// the neighbour searches (up to 100 neighbours for ESS), DANCo's own search, CorrInt's
    /// pair counts, ESS's simplices over 100-point patches (every case keeps all of them for
    /// `auto`'s rule). DANCo's calibration is counted once per size (`dancoCalibrationWork`).
    static func estimatorCase(rows n: Int, columns d: Int) -> ComputeWork {
        3.0 * distancePassWork(rows: n, columns: d, symmetric: false) + essWork(rows: n, columns: d)
            + ComputeWork(serialOperations: Double(n) * Double(d) * generationOperations)
    }

    /// DANCo's calibration balls for `n` points up to `maxColumns` dimensions (kept per
    /// size): per ball of d dimensions a search of n² pairs at about 3 element operations
    /// per pair and dimension (small-d distances are element-bound, with the neighbour
    /// selection and the statistics). Measured on an idle machine: presentation.md's quick
    /// `{dimension}` of 1 000 MNIST rows (100 balls) takes 1.8 s in all (8 operations per pair
    /// and dimension, fitted at load 14, priced it at 4.4 s).
    static func dancoCalibrationWork(rows n: Int, maxColumns d: Int) -> ComputeWork {
        let top = min(d, 100)
        let pairDimensions = Double(n) * Double(n) * Double(top * (top + 1) / 2)
        return ComputeWork(matrixFlops: 2 * pairDimensions, elementOperations: 3 * pairDimensions, barriers: Double(top))
    }

    /// Half-sample and quarter-sample re-estimates and the permuted null
    /// (`MutualInformationReliability.check`), as a multiple of one estimate on all rows of a
    /// method whose cost grows like n^`power` (2: the k-NN and kernel estimators; 1: the
    /// trained ones, whose epochs or steps are per row).
    static func reliabilityFactor(splits: Int, null: Bool, power: Double = 2) -> Double {
        let half = pow(0.5, power), quarter = pow(0.25, power)
        return 1 + Double(splits) * (2 * half + 2 * quarter) + (null ? 1 + 2 * 3 * half : 0)
    }

    /// KSG on n rows of dx + dy columns (`KraskovStogbauerGrassberger.pointTerms`): for every
    /// pair a max-norm distance in Double over every column, the k-best insertion, and a
    /// counting pass in the marginals — scalar loops on the worker threads, no sgemm.
    static func kraskovWork(rows n: Int, dx: Int, dy: Int) -> ComputeWork {
        let pairs = Double(n) * Double(n)
        return ComputeWork(elementOperations: pairs * (ksgOperationsPerColumn * Double(dx + dy) + ksgOperationsPerPair), barriers: 1)
    }

    /// One neural-critic estimate (`NeuralCritic`, bmi's defaults): per Adam step the B²
    /// pairs of a batch through the critic's layers after the first, forward and backward
    /// (the first layer is a product per row), and every `evaluationInterval` steps the m²
    /// held-out pairs forward. The step count depends on early stopping, which the arguments
    /// cannot tell: counted at `criticStepsCounted`.
    static func criticWork(rows n: Int, dx: Int, dy: Int, options: NeuralCriticOptions = NeuralCriticOptions()) -> ComputeWork {
        let widths = options.hidden + [1]
        var pairWeights = 0.0
        for l in 0..<(widths.count - 1) { pairWeights += Double(widths[l]) * Double(widths[l + 1]) }
        let activations = Double(widths.reduce(0, +))
        let b = Double(min(options.batchSize, n)), steps = min(Double(options.maximumSteps), criticStepsCounted)
        let m = Double(min(options.maximumTestRows, Int(Double(n) * options.testFraction)))
        let rowFlops = 2 * Double(dx + dy) * Double(options.hidden.first ?? 1)
        let step = ComputeWork(matrixFlops: b * b * pairWeights * 6 + b * rowFlops * 3,
                               elementOperations: b * b * activations * criticOperationsPerActivation, barriers: 2)
        let evaluation = ComputeWork(matrixFlops: m * m * pairWeights * 2 + m * rowFlops,
                                     elementOperations: m * m * activations * criticOperationsPerActivation / 2)
        return steps * step + (steps / Double(options.evaluationInterval)).rounded(.up) * evaluation
    }

    /// One estimate of I(X;Y) by `estimator` on n rows of dx and dy columns: KSG its scalar
    /// scan (`kraskovWork`); the Gaussian estimates a covariance; KDE three leave-one-out
    /// entropies on `kdeRows` rows; the neural critics their steps (`criticWork`); the
    /// compressed estimator an autoencoder per side wider than its 4-column code and KSG on
    /// the codes; `auto` both of its candidates.
    static func mutualInformationEstimate(_ estimator: String, rows n: Int, dx: Int, dy: Int, kdeRows: Int) -> ComputeWork {
        let joint = dx + dy
        let ksg = kraskovWork(rows: n, dx: dx, dy: dy)
        let gaussian = ComputeWork(matrixFlops: 2 * Double(n) * Double(joint * joint), elementOperations: 20 * Double(n) * Double(joint))
        switch estimator {
        case "gaussian", "gaussian-copula": return gaussian
        case "kde":
            let m = min(n, kdeRows)
            return leaveOneOutWork(rows: m, dimension: dx) + leaveOneOutWork(rows: m, dimension: dy) + leaveOneOutWork(rows: m, dimension: joint)
        case "infonce", "nwj": return criticWork(rows: n, dx: dx, dy: dy)
        case "compressed":
            let settings = CompressedMutualInformation.Settings()
            func side(_ d: Int, _ code: Int) -> ComputeWork {
                guard d > code else { return .none }
                let widths = AutoencoderArchitecture.defaultHidden(for: d, code: code)
                let sizes = [d] + widths + [code] + widths.reversed() + [d]
                return denseTrainingWork(sizes: sizes, rows: n, heldOut: 0, epochs: settings.training.epochs, batch: settings.training.batchSize)
                    + forwardWork(sizes: Array(sizes.prefix(widths.count + 2)), rows: n)
            }
            return side(dx, settings.xCodeDimension) + side(dy, settings.yCodeDimension)
                + kraskovWork(rows: n, dx: min(dx, settings.xCodeDimension), dy: min(dy, settings.yCodeDimension))
        // `AutomaticMutualInformation`: the copula estimate always, KSG on the scores only up
        // to its `maximumNeighbourDimension` joint columns.
        case "auto": return gaussian + (joint <= AutomaticMutualInformation().maximumNeighbourDimension ? ksg : .none)
        default: return ksg
        }
    }

    /// The cost growth of an estimator's work with its rows, for `reliabilityFactor`: a
    /// critic trains for as many steps of B rows on a half sample as on all rows (0), an
    /// autoencoder's epochs are per row (1), the pairwise estimators grow like n² (2).
    static func mutualInformationPower(_ estimator: String) -> Double {
        switch estimator {
        case "infonce", "nwj": 0
        case "compressed": 1
        default: 2
        }
    }
}
