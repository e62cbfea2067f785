import Autoencoder
import Datasets
import EntropyCurve
import Foundation
import InformationPlane
import Notebook

// What each directive's arguments imply in memory, for `ResourceBudget`. Estimates count
// the largest buffers a cell holds at once (Float32, 4 bytes a value) and a small factor
// for the copies made on the way; they aim to be right within a factor of two, which is
// enough to refuse a notebook that would need 40 GB on a 24 GB machine before it starts.

/// Bytes of a Float32 value.
private let float = 4.0

extension DatasetDirective {
    /// Rows × columns before anything runs: synthetic kinds from `n` and `ambient` (or their
    /// defaults), MNIST-format data from its split, NPY and IDX files from their headers
    /// (`fileEstimate`). CSV files are sized only when read (their readers cap rows and bytes).
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        let a = inputs.arguments
        guard let cell = try? a.decode(Settings.self) else { return nil }
        let kind = cell.kind, n = cell.n
        if kind.isSynthetic {
            var rows = n ?? defaultCount
            if inputs.settings.quick { rows = min(rows, quickCount) }
            let k = cell.k ?? kind.fixedDimension ?? kind.defaultDimension ?? 2
            let columns: Int
            if kind.isImages {
                columns = 256
            } else if let d = cell.ambient {
                columns = d
            } else {
                columns = max(10, 2 * k, kind == .nonlinear ? 72 : 0)
            }
            // The latent points, the embedded points and the noise or rotation copy; the
            // mixing map also holds its 64 hidden units per row.
            let hiddenWidth = kind == .mixing ? 64.0 : 0
            let bytes = Double(rows) * (Double(k) + 2 * Double(columns) + hiddenWidth) * float
            let driver = cell.$ambient.isExplicit && columns > rows ? "ambient" : (cell.$n.isExplicit ? "n" : (cell.$k.isExplicit ? "k" : "kind"))
            return ResourceEstimate(bytes: bytes, parameter: driver,
                                    explanation: "\(groupedDigits(rows)) points × \(groupedDigits(columns)) coordinates, with the latent points and a working copy",
                                    shapes: [nil: DataShape(rows: rows, columns: columns)])
                .with(work: WorkEstimates.dataset(rows: rows, columns: columns, latent: k), driver: driver,
                      "\(groupedDigits(rows)) points × \(groupedDigits(columns)) coordinates")
        }
        if kind == .idx || kind == .npy { return fileEstimate(cell, inputs) }
        guard cell.isImageFolderKind, cell.path == nil else { return nil }
        let loaded: Int = switch cell.split {
        case .train?: 60_000
        case .test?: 10_000
        case .all?: 70_000
        case nil: kind == .mnist ? 5_000 : 70_000
        }
        var rows = min(loaded, n ?? loaded)
        if inputs.settings.quick { rows = min(rows, quickCount) }
        // The bytes as read plus Float32 pixels of every loaded row.
        let bytes = Double(loaded) * 784 * (1 + float)
        let driver = cell.$split.isExplicit ? "split" : "kind"
        return ResourceEstimate(bytes: bytes, parameter: driver,
                                explanation: "\(groupedDigits(loaded)) images of 784 pixels",
                                shapes: [nil: DataShape(rows: rows, columns: 784)])
            .with(work: WorkEstimates.dataset(rows: loaded, columns: 784, latent: 0, images: true), driver: driver,
                  "\(groupedDigits(loaded)) images of 784 pixels")
    }
}

/// The memory of training one autoencoder: weights, their gradients per thread, Adam's
/// two moments and a best-so-far copy (six copies of the parameters), the activations of
/// a mini-batch forward and backward, and the data with its shuffled copy and codes.
func autoencoderEstimate(data: DataShape, code: Int, hidden: [Int]?, batch: Int, threads: Int,
                         hiddenParameter: String, dataParameter: String) -> ResourceEstimate {
    let widths = hidden ?? AutoencoderArchitecture.defaultHidden(for: data.columns, code: code)
    let sizes = [data.columns] + widths + [code] + widths.reversed() + [data.columns]
    var parameters = 0.0
    for l in 0..<(sizes.count - 1) { parameters += Double(sizes[l]) * Double(sizes[l + 1]) + Double(sizes[l + 1]) }
    let parameterBytes = parameters * float * Double(4 + max(1, threads))
    let activationBytes = Double(min(batch, data.rows)) * Double(sizes.reduce(0, +)) * float * 3
    let dataBytes = data.bytes * 3 + Double(data.rows) * Double(code) * float
    let bytes = parameterBytes + activationBytes + dataBytes
    let networkDominates = parameterBytes + activationBytes > dataBytes
    let explanation = networkDominates
        ? "layers \(sizes.map(groupedDigits).joined(separator: "–")): \(String(format: "%.3g", parameters)) weights, with gradients and Adam's moments"
        : "\(groupedDigits(data.rows)) rows × \(groupedDigits(data.columns)) inputs, with a shuffled copy and the reconstruction"
    return ResourceEstimate(bytes: bytes, parameter: networkDominates ? hiddenParameter : dataParameter, explanation: explanation)
}

extension AutoencoderDirective {
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let data = inputs.shapes["data"], let cell = try? inputs.arguments.decode(Settings.self) else { return nil }
        let code = cell.code
        var estimate = autoencoderEstimate(data: data, code: code, hidden: cell.autoencoder.hidden, batch: cell.autoencoder.batch,
                                           threads: inputs.settings.threads,
                                           hiddenParameter: cell.autoencoder.$hidden.isExplicit ? "hidden" : "code", dataParameter: "data")
        // Rows carry over (exact or not); a constant input column need not stay constant.
        var codes = DataShape(rows: data.rows, columns: code), reconstruction = data
        codes.rowsAreExact = data.rowsAreExact
        reconstruction.constantColumns = []
        estimate.shapes = ["codes": codes, "reconstruction": reconstruction]
        if let (work, driver, explanation) = WorkEstimates.autoencoder(inputs) { estimate = estimate.with(work: work, driver: driver, explanation) }
        return estimate
    }
}

extension EntropyCurveDirective {
    /// One autoencoder at a time, the widest code of the sweep.
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        let a = inputs.arguments
        guard let data = inputs.shapes["data"], let cell = try? a.decode(Settings.self) else { return nil }
        let widest = cell.dims.max() ?? 1
        let estimate = autoencoderEstimate(data: data, code: widest, hidden: cell.autoencoder.hidden, batch: cell.autoencoder.batch,
                                           threads: inputs.settings.threads,
                                           hiddenParameter: cell.autoencoder.$hidden.isExplicit ? "autoencoder" : "dims", dataParameter: "data")
        guard let (work, driver, explanation) = WorkEstimates.entropyCurve(inputs) else { return estimate }
        return estimate.with(work: work, driver: driver, explanation)
    }
}

/// The `sample` setting that caps the point-set estimators' rows (declared by each
/// directive's own `@Param`; read here for the three that share this estimate).
private struct SampleSetting: Decodable { var sample: Param<Int?> }

/// The point-set estimators hold their input, a working copy and per-point neighbour lists;
/// distances go through fixed-size blocks, never an n × n matrix.
private func pointSetEstimate(_ inputs: EstimateInputs, neighbours: Int) -> ResourceEstimate? {
    guard var data = inputs.shapes["data"] else { return nil }
    let sample = (try? inputs.arguments.decode(SampleSetting.self))?.sample
    if let m = sample?.wrappedValue { data.rows = min(data.rows, m) }
    let bytes = data.bytes * 3 + Double(data.rows) * Double(neighbours) * 8
    return ResourceEstimate(bytes: bytes, parameter: sample?.isExplicit == true ? "sample" : "data",
                            explanation: "\(groupedDigits(data.rows)) points × \(groupedDigits(data.columns)) coordinates")
}

extension EntropyDirective {
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let cell = try? inputs.arguments.decode(Settings.self),
              var estimate = pointSetEstimate(inputs, neighbours: cell.k) else { return nil }
        if let d = inputs.shapes["data"] { estimate.bytes += Double(cell.samples) * Double(d.columns) * float }
        var leaveOneOutML = false
        if case .leaveOneOutML = cell.bandwidth.selection { leaveOneOutML = true }
        if let work = WorkEstimates.entropy(inputs, estimator: cell.estimator, samples: cell.samples, leaveOneOutML: leaveOneOutML) {
            estimate = estimate.with(work: work, driver: "data", "\(cell.estimator.rawValue) on \(estimate.explanation)")
        }
        return estimate
    }
}

extension DimensionDirective {
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        let cell = try? inputs.arguments.decode(Settings.self)
        let methods = Set(cell?.methods ?? defaultMethods)
        let neighbours = max(cell?.k ?? 20, methods.contains(.ess) ? 100 : 64)
        guard let estimate = pointSetEstimate(inputs, neighbours: neighbours + 1), var data = inputs.shapes["data"] else { return nil }
        if let m = cell?.sample { data.rows = min(data.rows, m) }
        // One neighbour search for MLE, TwoNN, MiND, Gride and auto's scale curve; the
        // correlation sum; DANCo (asked for, or auto's fallback on wide data); ESS's patches.
        // The ID-against-scale figure when a scale method (auto, Gride) runs.
        var work = distancePassWork(rows: data.rows, columns: data.columns, symmetric: false)
            + figureWork(methods.contains(.auto) || methods.contains(.gride) ? 1 : 0)
        if methods.contains(.corrdim) { work = work + correlationSumWork(rows: data.rows, columns: data.columns) }
        if methods.contains(.auto) { work = work + automaticDimensionWork(rows: data.rows, columns: data.columns, searched: true) }
        if methods.contains(.danco) { work = work + dancoWork(rows: data.rows, columns: data.columns) }
        if methods.contains(.ess) { work = work + essWork(rows: data.rows, columns: data.columns) }
        return estimate.with(work: work, driver: estimate.parameter, "\(methods.count) methods on \(estimate.explanation)")
    }
}

extension CorrdimDirective {
    /// The correlation sum over half the pairs, binned into the radii, CorrInt's 20-neighbour
    /// search, and two figures.
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let estimate = pointSetEstimate(inputs, neighbours: 20), var data = inputs.shapes["data"] else { return nil }
        if let m = (try? inputs.arguments.decode(SampleSetting.self))?.sample.wrappedValue { data.rows = min(data.rows, m) }
        let corrint = (try? inputs.arguments.decode(CorrintSetting.self))?.corrint ?? true
        var work = correlationSumWork(rows: data.rows, columns: data.columns) + figureWork(2)
        if corrint { work = work + distancePassWork(rows: data.rows, columns: data.columns, symmetric: false) }
        return estimate.with(work: work, driver: estimate.parameter, estimate.explanation)
    }
}

/// `{corrdim}`'s `corrint` setting.
private struct CorrintSetting: Decodable { var corrint: Bool }

extension DistancesDirective {
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let estimate = pointSetEstimate(inputs, neighbours: 0), let data = inputs.shapes["data"] else { return nil }
        let work = distancePassWork(rows: data.rows, columns: data.columns, symmetric: true) + figureWork(1)
        return estimate.with(work: work, driver: estimate.parameter, estimate.explanation)
    }
}

extension InformationPlaneDirective {
    /// The read-outs' entropies dominate the time; the memory is the classifier's read-outs
    /// (already held) plus the draws and the centres of one layer at a time.
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let shape = inputs.shapes["classifier"], !shape.layers.isEmpty,
              var cell = try? inputs.arguments.decode(Settings.self) else { return nil }
        if inputs.settings.quick { (cell.samples, cell.chains, cell.aeEpochs) = (min(cell.samples, 500), min(cell.chains, 4), min(cell.aeEpochs, 3)) }
        let propagated = cell.noise == .propagated
        let widest = shape.layers.max() ?? 1
        let centres = Double(shape.rows) * Double(propagated ? cell.chains : 1)
        let bytes = (centres + Double(cell.samples)) * Double(widest) * float * 3
        let work = WorkEstimates.informationPlane(shape: shape, samples: cell.samples, propagated: propagated, chains: cell.chains,
                                                  noiseAware: cell.noiseAware, compressed: cell.compressed, code: cell.code,
                                                  aeEpochs: cell.aeEpochs, threads: inputs.settings.threads)
        let driver = cell.$samples.isExplicit ? "samples" : cell.$chains.isExplicit ? "chains" : cell.$aeEpochs.isExplicit ? "ae-epochs" : "classifier"
        return ResourceEstimate(bytes: bytes, parameter: "classifier",
                                explanation: "\(groupedDigits(Int(centres))) centres × \(groupedDigits(widest)) units")
            .with(work: work, driver: driver,
                  "\(shape.repeats) seed(s) × \(shape.readOuts) read-outs × \(shape.layers.count) layers on \(groupedDigits(shape.rows)) rows")
    }
}

extension VerdictCalibrationDirective {
    /// One case at a time: its points, one autoencoder and its codes.
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard var cell = try? inputs.arguments.decode(Settings.self) else { return nil }
        _ = cell.applyQuickMode(inputs.settings.quick)
        guard var family = try? VerdictCalibration.family(high: cell.high) else { return nil }
        if let m = cell.sets { family = Array(family.prefix(m)) }
        let settings = cell.calibration(threads: inputs.settings.threads, seed: 0)
        var work = ComputeWork.none
        var widest = DataShape(rows: 0, columns: 0)
        for benchmark in family {
            let ambient = benchmark.ambient ?? benchmark.sampler.nativeDimension
            for n in settings.sizes {
                work = work + Double(settings.seeds) * WorkEstimates.calibrationCase(settings, k: benchmark.k, ambient: ambient, n: n)
                if Double(n) * Double(ambient) > widest.bytes / 4 { widest = DataShape(rows: n, columns: ambient) }
            }
        }
        let cases = family.count * settings.sizes.count * settings.seeds
        let estimate = autoencoderEstimate(data: widest, code: 8 + cell.beyond, hidden: cell.hidden, batch: 128,
                                           threads: inputs.settings.threads, hiddenParameter: "hidden", dataParameter: "sizes")
        let driver = cell.$epochs.isExplicit ? "epochs" : cell.$seeds.isExplicit ? "seeds" : "sizes"
        return estimate.with(work: work + figureWork(2), driver: driver,
                             "\(cases) cases (\(family.count) sets × \(settings.sizes.count) sizes × \(settings.seeds) seeds), \(settings.training.epochs) epochs each")
    }
}

extension DimensionBenchmarkDirective {
    /// One case at a time: n points × D columns and a neighbour list of 100 per point.
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard var cell = try? inputs.arguments.decode(Settings.self) else { return nil }
        if inputs.settings.quick { (cell.sizes, cell.seeds, cell.noise, cell.sets) = ([300], 1, [0.02], min(cell.sets ?? 3, 3)) }
        var family = ScikitDimensionManifold.all
        if let m = cell.sets { family = Array(family.prefix(m)) }
        let levels = cell.noise.filter { $0 > 0 }.count
        var work = ComputeWork.none, cases = 0
        let widest = family.map(\.nativeDimension).max() ?? 1
        for n in cell.sizes {
            work = work + WorkEstimates.dancoCalibrationWork(rows: n, maxColumns: widest)
            for m in family {
                work = work + Double(cell.seeds) * WorkEstimates.estimatorCase(rows: n, columns: m.nativeDimension)
                cases += cell.seeds
                if m.intrinsicDimension <= cell.noisyMaxK {
                    work = work + Double(cell.seeds * levels) * WorkEstimates.estimatorCase(rows: n, columns: m.nativeDimension)
                    cases += cell.seeds * levels
                }
            }
        }
        let largest = cell.sizes.max() ?? 0
        let bytes = Double(largest) * (Double(widest) * 3 * float + 100 * 8)
        let driver = cell.$seeds.isExplicit ? "seeds" : "sizes"
        return ResourceEstimate(bytes: bytes, parameter: "sizes", explanation: "\(groupedDigits(largest)) points × \(widest) coordinates, 100 neighbours each")
            .with(work: work, driver: driver, "\(cases) cases on \(family.count) manifolds")
    }
}

extension MutualInformationDirective {
    /// The estimator on all rows, its half- and quarter-sample re-estimates and the
    /// permuted null (`MutualInformationReliability`).
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let x = inputs.shapes["x"], let cell = try? inputs.arguments.decode(Settings.self) else { return nil }
        let labels = yIsLabels(cell)
        let dy = labels ? 1 : (inputs.shapes["y"]?.columns ?? 1)
        let one = WorkEstimates.mutualInformationEstimate(labels ? "ksg" : cell.estimator.rawValue, rows: x.rows, dx: x.columns, dy: dy,
                                                          kdeRows: x.rows)
        let power = WorkEstimates.mutualInformationPower(labels ? "ksg" : cell.estimator.rawValue)
        let work = WorkEstimates.reliabilityFactor(splits: cell.splits, null: cell.null, power: power) * one
        let bytes = Double(x.rows) * Double(x.columns + dy) * float * 4 + Double(x.rows) * 64 * 8
        return ResourceEstimate(bytes: bytes, parameter: "x", explanation: "\(groupedDigits(x.rows)) rows × \(x.columns + dy) coordinates")
            .with(work: work, driver: cell.$splits.isExplicit ? "splits" : "x",
                  "\(cell.estimator.rawValue) on \(groupedDigits(x.rows)) rows, \(cell.splits) half splits" + (cell.null ? " and the null" : ""))
    }
}

extension MutualInformationBenchmarkDirective {
    /// Every estimator on every task and seed, each with its re-estimates (no null).
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let cell = try? inputs.arguments.decode(Settings.self) else { return nil }
        let quick = inputs.settings.quick
        let tasks = chosenTasks(cell, quick: quick)
        let n = quick ? min(cell.n, quickRows) : cell.n
        let seeds = quick ? 1 : cell.seeds
        var work = ComputeWork.none
        for task in tasks {
            for e in cell.estimators.map(\.rawValue) {
                work = work + Double(seeds) * WorkEstimates.reliabilityFactor(splits: cell.splits, null: false,
                                                                              power: WorkEstimates.mutualInformationPower(e))
                    * WorkEstimates.mutualInformationEstimate(e, rows: n, dx: task.dimX, dy: task.dimY, kdeRows: cell.kdeRows)
            }
            work = work + Double(seeds) * ComputeWork(serialOperations: Double(n) * Double(task.dimX + task.dimY) * 60)
        }
        let widest = tasks.map { $0.dimX + $0.dimY }.max() ?? 2
        let bytes = Double(n) * Double(widest) * float * 4 + Double(n) * 64 * 8
        let driver = cell.$n.isExplicit ? "n" : cell.$seeds.isExplicit ? "seeds" : cell.$estimators.isExplicit ? "estimators" : "tasks"
        return ResourceEstimate(bytes: bytes, parameter: "n", explanation: "\(groupedDigits(n)) rows × \(widest) coordinates")
            .with(work: work + figureWork(1), driver: driver,
                  "\(tasks.count) tasks × \(seeds) seed(s) × \(cell.estimators.count) estimators on \(groupedDigits(n)) rows")
    }
}

extension PlotDirective {
    /// One figure, drawn at three sizes: a line chart or histogram, or a scatter of up to
    /// `points` points (of the data's rows), or a grid of `images` images.
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        let cell = try? inputs.arguments.decode(Settings.self)
        let rows = inputs.shapes["of"]?.rows
        let work: ComputeWork
        switch cell?.kind {
        case .scatter?: work = pointFigureWork(points: min(cell?.points ?? 5000, rows ?? 5000))
        case .imageGrid?: work = pointFigureWork(points: 20 * (cell?.images ?? 16))
        case .auto? where rows != nil && (inputs.shapes["of"]?.columns ?? 0) >= 2:
            work = pointFigureWork(points: min(cell?.points ?? 5000, rows ?? 5000))
        default: work = figureWork(1)
        }
        return ResourceEstimate(bytes: 0, parameter: "of", explanation: "one figure").with(work: work, driver: "of", "one figure at three sizes")
    }
}
