import Autoencoder
import Foundation
import Notebook

// What each directive's arguments imply in memory, for `ResourceBudget`. Estimates count
// the largest buffers a cell holds at once (Float32, 4 bytes a value) and a small factor
// for the copies made on the way; they aim to be right within a factor of two, which is
// enough to refuse a notebook that would need 40 GB on a 24 GB machine before it starts.

/// Bytes of a Float32 value.
private let float = 4.0

extension DatasetDirective {
    /// Rows × columns before anything runs: synthetic kinds from `n` and `ambient` (or their
    /// defaults), MNIST-format data from its split. CSV, NPY and IDX files are sized only
    /// when read (their readers cap rows and bytes).
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        let a = inputs.arguments
        guard let cell = try? a.decode(Settings.self) else { return nil }
        let kind = cell.kind, n = cell.n
        if syntheticKinds.contains(kind) {
            var rows = n ?? defaultCount
            if inputs.settings.quick { rows = min(rows, quickCount) }
            let k = cell.k ?? fixedDimension[kind] ?? defaultDimension[kind] ?? 2
            let columns: Int
            if ["bumps", "rectangles"].contains(kind) {
                columns = 256
            } else if let d = cell.ambient {
                columns = d
            } else {
                columns = max(10, 2 * k, kind == "nonlinear" ? 72 : 0)
            }
            // The latent points, the embedded points and the noise or rotation copy; the
            // mixing map also holds its 64 hidden units per row.
            let hiddenWidth = kind == "mixing" ? 64.0 : 0
            let bytes = Double(rows) * (Double(k) + 2 * Double(columns) + hiddenWidth) * float
            let driver = a.isExplicit("ambient") && columns > rows ? "ambient" : (a.isExplicit("n") ? "n" : (a.isExplicit("k") ? "k" : "kind"))
            return ResourceEstimate(bytes: bytes, parameter: driver,
                                    explanation: "\(groupedDigits(rows)) points × \(groupedDigits(columns)) coordinates, with the latent points and a working copy",
                                    shapes: [nil: DataShape(rows: rows, columns: columns)])
                .with(work: WorkEstimates.dataset(rows: rows, columns: columns, latent: k), driver: driver,
                      "\(groupedDigits(rows)) points × \(groupedDigits(columns)) coordinates")
        }
        guard cell.isImageFolderKind, cell.path == nil else { return nil }
        let loaded: Int = switch cell.split {
        case "train"?: 60_000
        case "test"?: 10_000
        case "all"?: 70_000
        default: kind == "mnist" ? 5_000 : 70_000
        }
        var rows = min(loaded, n ?? loaded)
        if inputs.settings.quick { rows = min(rows, quickCount) }
        // The bytes as read plus Float32 pixels of every loaded row.
        let bytes = Double(loaded) * 784 * (1 + float)
        return ResourceEstimate(bytes: bytes, parameter: a.isExplicit("split") ? "split" : "kind",
                                explanation: "\(groupedDigits(loaded)) images of 784 pixels",
                                shapes: [nil: DataShape(rows: rows, columns: 784)])
            .with(work: WorkEstimates.dataset(rows: loaded, columns: 784, latent: 0), driver: a.isExplicit("split") ? "split" : "kind",
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
                                           hiddenParameter: inputs.arguments.isExplicit("hidden") ? "hidden" : "code", dataParameter: "data")
        estimate.shapes = ["codes": DataShape(rows: data.rows, columns: code), "reconstruction": data]
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
                                           hiddenParameter: a.isExplicit("autoencoder.hidden") ? "autoencoder" : "dims", dataParameter: "data")
        guard let (work, driver, explanation) = WorkEstimates.entropyCurve(inputs) else { return estimate }
        return estimate.with(work: work, driver: driver, explanation)
    }
}

/// The `sample` setting that caps the point-set estimators' rows.
private struct SampleSetting: Decodable { var sample: Int? }

/// The point-set estimators hold their input, a working copy and per-point neighbour lists;
/// distances go through fixed-size blocks, never an n × n matrix.
private func pointSetEstimate(_ inputs: EstimateInputs, neighbours: Int) -> ResourceEstimate? {
    guard var data = inputs.shapes["data"] else { return nil }
    if let m = (try? inputs.arguments.decode(SampleSetting.self))?.sample { data.rows = min(data.rows, m) }
    let bytes = data.bytes * 3 + Double(data.rows) * Double(neighbours) * 8
    return ResourceEstimate(bytes: bytes, parameter: inputs.arguments.isExplicit("sample") ? "sample" : "data",
                            explanation: "\(groupedDigits(data.rows)) points × \(groupedDigits(data.columns)) coordinates")
}

extension EntropyDirective {
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let cell = try? inputs.arguments.decode(Settings.self),
              var estimate = pointSetEstimate(inputs, neighbours: cell.k) else { return nil }
        if let d = inputs.shapes["data"] { estimate.bytes += Double(cell.samples) * Double(d.columns) * float }
        var leaveOneOutML = false
        if case .leaveOneOutML = cell.bandwidth.selection { leaveOneOutML = true }
        if let work = WorkEstimates.entropy(inputs, estimator: cell.estimator.rawValue, samples: cell.samples, leaveOneOutML: leaveOneOutML) {
            estimate = estimate.with(work: work, driver: "data", "\(cell.estimator.rawValue) on \(estimate.explanation)")
        }
        return estimate
    }
}

extension DimensionDirective {
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        let cell = try? inputs.arguments.decode(Settings.self)
        guard let estimate = pointSetEstimate(inputs, neighbours: (cell?.k ?? 20) + 1) else { return nil }
        // k-NN (MLE, TwoNN) and the correlation sum: two passes over the distances.
        let passes = (cell?.methods.contains("corrdim") ?? true) ? 2.0 : 1.0
        guard let work = WorkEstimates.pointSet(inputs, sample: cell?.sample, passes: passes) else { return estimate }
        return estimate.with(work: work, driver: estimate.parameter, estimate.explanation)
    }
}

extension CorrdimDirective {
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let estimate = pointSetEstimate(inputs, neighbours: 20),
              let work = WorkEstimates.pointSet(inputs, sample: (try? inputs.arguments.decode(SampleSetting.self))?.sample, passes: 0.5)
        else { return pointSetEstimate(inputs, neighbours: 20) }
        return estimate.with(work: work, driver: estimate.parameter, estimate.explanation)
    }
}

extension DistancesDirective {
    public static func estimate(_ inputs: EstimateInputs) -> ResourceEstimate? {
        guard let estimate = pointSetEstimate(inputs, neighbours: 0), let work = WorkEstimates.pointSet(inputs, sample: nil, passes: 0.5)
        else { return nil }
        return estimate.with(work: work, driver: estimate.parameter, estimate.explanation)
    }
}
