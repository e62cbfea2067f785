import Autoencoder
import Entropy
import Foundation
import Notebook

// What each directive's arguments imply in work, the time half of `ResourceEstimates`:
// counted from the same settings, priced in seconds by the engine's `MachineSpeeds`.
// The counts follow the algorithms' own complexity notes: an autoencoder's epoch is a
// forward and a backward product per row (6 flops per weight, less the held-out rows'
// backward pass) and an Adam step per mini-batch; a kernel-density pass over the distance
// blocks is 2·n·m·d flops in sgemm and a few exponentials per pair (`KernelEntropy`:
// the leave-one-out ML bandwidth is a coarse grid on 2 000 rows and two passes on all
// rows, three below n = 4 000); k-NN and correlation sums are one pass of blocked
// distances. The constants below were fitted once on this machine's cold runs of
// quickstart.md, synthetic.md and presentation.md (the README's table); they aim at a
// factor 1.5.

/// Exponentials per pair and pass of a kernel sum (several bandwidths per pass, one exp
/// per four of them, vectorised).
private let exponentialsPerPair = 2.0
/// How much faster sgemm runs at training shapes (a 128-row mini-batch against 784 × 512)
/// than at the probe's: 149 against about 100 GFLOP/s on two threads here (DESIGN.md).
private let trainingProductSpeedup = 1.5

/// Element operations per weight and mini-batch: Adam's moments, the update, the
/// gradients' reduction over threads.
private let adamOperationsPerWeight = 12.0
/// Element operations per activation and row: bias, activation and its derivative, copies.
private let activationOperations = 8.0
/// Element operations that stand for drawing one figure at its three sizes (supersampled
/// libgd drawing, palette quantisation, zlib level 9) and writing its CSV.
let figureOperations = 3e9

/// The drawing of `count` figures.
func figureWork(_ count: Int) -> ComputeWork { ComputeWork(elementOperations: Double(count) * figureOperations) }

/// The work of one kernel-density pass: `queries` rows against `points` rows in `d` dimensions.
func kernelPassWork(points: Int, queries: Int, dimension d: Int) -> ComputeWork {
    let pairs = Double(points) * Double(queries)
    return ComputeWork(matrixFlops: 2 * pairs * Double(d), exponentials: exponentialsPerPair * pairs, elementOperations: 3 * pairs)
}

/// Leave-one-out ML bandwidth and the entropy at it (`KernelEntropy`'s passes).
func leaveOneOutWork(rows n: Int, dimension d: Int) -> ComputeWork {
    let coarse = min(n, 2000)
    return Double(n < 4000 ? 3 : 2) * kernelPassWork(points: n, queries: n, dimension: d)
        + 2 * kernelPassWork(points: coarse, queries: coarse, dimension: d)
}

/// One pass of blocked pairwise distances (half of them when symmetric), with a selection
/// or binning step per pair.
func distancePassWork(rows n: Int, columns d: Int, symmetric: Bool) -> ComputeWork {
    let pairs = Double(n) * Double(n) * (symmetric ? 0.5 : 1)
    return ComputeWork(matrixFlops: 2 * pairs * Double(d), elementOperations: 2 * pairs)
}

/// Training one autoencoder: `epochs` passes over the rows.
func trainingWork(data: DataShape, code: Int, settings: AutoencoderSettings) -> ComputeWork {
    let widths = settings.hidden ?? AutoencoderArchitecture.defaultHidden(for: data.columns, code: code)
    let sizes = [data.columns] + widths + [code] + widths.reversed() + [data.columns]
    var weights = 0.0
    for l in 0..<(sizes.count - 1) { weights += Double(sizes[l]) * Double(sizes[l + 1]) }
    let rows = Double(data.rows), epochs = Double(settings.epochs)
    let trained = rows * (1 - settings.validation)
    let batches = (trained / Double(max(1, settings.batch))).rounded(.up)
    let flops = epochs * (trained * 6 * weights + (rows - trained) * 2 * weights)
    let elements = epochs * (batches * weights * adamOperationsPerWeight + rows * Double(sizes.reduce(0, +)) * activationOperations)
    // Encoding every row once at the end.
    let encoder = sizes.prefix(widths.count + 2)
    var encoderWeights = 0.0
    for l in 0..<(encoder.count - 1) { encoderWeights += Double(sizes[l]) * Double(sizes[l + 1]) }
    return ComputeWork(matrixFlops: (flops + 2 * rows * encoderWeights) / trainingProductSpeedup, elementOperations: elements)
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
    static func dataset(rows: Int, columns: Int, latent: Int) -> ComputeWork {
        ComputeWork(elementOperations: Double(rows) * Double(columns + latent) * 60) + figureWork(1)
    }

    static func autoencoder(_ inputs: EstimateInputs) -> (ComputeWork, String, String)? {
        guard let data = inputs.shapes["data"], var cell = try? inputs.arguments.decode(AutoencoderDirective.Settings.self) else { return nil }
        _ = cell.autoencoder.applyQuickMode(inputs.settings.quick)
        let work = trainingWork(data: data, code: cell.code, settings: cell.autoencoder) + figureWork(2)
        let driver = inputs.arguments.isExplicit("autoencoder.epochs") ? "autoencoder.epochs"
            : inputs.arguments.isExplicit("epochs") ? "epochs" : "data"
        return (work, driver, "\(cell.autoencoder.epochs) epochs × \(groupedDigits(data.rows)) rows")
    }

    static func entropyCurve(_ inputs: EstimateInputs) -> (ComputeWork, String, String)? {
        guard let data = inputs.shapes["data"], var cell = try? inputs.arguments.decode(EntropyCurveDirective.Settings.self) else { return nil }
        _ = cell.autoencoder.applyQuickMode(inputs.settings.quick)
        if inputs.settings.quick { cell.repeats = 1 }
        let n = min(data.rows, cell.sample ?? data.rows)
        var work = ComputeWork.none
        for d in cell.dims {
            var point = trainingWork(data: data, code: d, settings: cell.autoencoder)
            if case .leaveOneOutML = cell.bandwidth.selection { point = point + leaveOneOutWork(rows: n, dimension: d) }
            else { point = point + kernelPassWork(points: n, queries: n, dimension: d) }
            if cell.monteCarlo > 0 {
                // The Monte-Carlo estimate and the noisy (sample-propagation) one.
                point = point + 2 * kernelPassWork(points: n, queries: cell.monteCarlo, dimension: d)
            }
            if cell.corrdim { point = point + distancePassWork(rows: n, columns: d, symmetric: true) }
            work = work + Double(cell.repeats) * point
        }
        // H(d), its gains, the bandwidths, the losses, the correlation family, the verdict.
        work = work + figureWork(6)
        // The driver: of the parameters written in the cell, the one furthest above its
        // default (epochs 20, dims 1...8, repeats 3), as a factor.
        let a = inputs.arguments
        let factors: [(String, Double)] = [
            ("autoencoder.epochs", Double(cell.autoencoder.epochs) / 20), ("dims", Double(cell.dims.count) / 8),
            ("repeats", Double(cell.repeats) / 3),
        ].filter { a.isExplicit($0.0) }
        let driver = factors.max { $0.1 < $1.1 }?.0 ?? "dims"
        return (work, driver, "\(cell.dims.count) dims × \(cell.repeats) seeds × \(cell.autoencoder.epochs) epochs on \(groupedDigits(data.rows)) rows")
    }

    static func entropy(_ inputs: EstimateInputs, estimator: String, samples: Int, leaveOneOutML: Bool) -> ComputeWork? {
        guard let data = inputs.shapes["data"] else { return nil }
        return figureWork(1) + estimatorWork(data, estimator: estimator, samples: samples, leaveOneOutML: leaveOneOutML)
    }

    private static func estimatorWork(_ data: DataShape, estimator: String, samples: Int, leaveOneOutML: Bool) -> ComputeWork {
        switch estimator {
        case "knn": return distancePassWork(rows: data.rows, columns: data.columns, symmetric: false)
        case "kde-mc": return kernelPassWork(points: data.rows, queries: samples, dimension: data.columns)
            + (leaveOneOutML ? leaveOneOutWork(rows: data.rows, dimension: data.columns) : .none)
        default:
            return leaveOneOutML ? leaveOneOutWork(rows: data.rows, dimension: data.columns)
                : kernelPassWork(points: data.rows, queries: data.rows, dimension: data.columns)
        }
    }

    /// Point-set estimators: `passes` passes of blocked distances on (a sample of) the rows.
    static func pointSet(_ inputs: EstimateInputs, sample: Int?, passes: Double) -> ComputeWork? {
        guard var data = inputs.shapes["data"] else { return nil }
        if let sample { data.rows = min(data.rows, sample) }
        return passes * distancePassWork(rows: data.rows, columns: data.columns, symmetric: false) + figureWork(1)
    }
}
