import Autoencoder
import Classifier
import Entropy
import Foundation
import Linalg

/// The information plane of a trained noisy classifier: for every snapshot and hidden layer,
/// I(X;T) and I(T;Y) of the noisy layer T, by two estimators side by side. T is either the
/// noisy network's own layer (`NoiseMode.propagated`, T_l = f_l(T_{l−1}) + σZ_l) or the
/// noise-free pass read out with noise (`NoiseMode.readout`, T_l = S_l + σZ).
/// - noise-aware (`NoisyMutualInformation`): h(T) and h(T|X) by sample propagation (h(T|X)
///   exact in the read-out mode);
/// - compressed: T (and X, once) compressed by an autoencoder to `compressedDimension`
///   coordinates, then Gaussian-KDE mutual information (`KernelMutualInformation`), the talk's
///   method. Layers no wider than the code are used as they are.
public struct InformationPlaneExperiment: Sendable {
    /// Where the noise of the layers read out comes from.
    public enum NoiseMode: String, Sendable, Hashable, Codable, CaseIterable {
        /// Goldfeld et al.'s noisy network: T_1 = f_1(X) + σZ_1, T_l = f_l(T_{l−1}) + σZ_l, the
        /// network as it was trained; I(X;T_l) obeys the data-processing inequality.
        case propagated
        /// T_l = S_l + σZ with S_l from the noise-free pass: h(T_l|X) exact, but the layers are
        /// not a Markov chain, so I(X;T_l) need not fall with depth.
        case readout
    }

    public struct Settings: Sendable, Hashable {
        /// σ of the read-out noise (the classifier's).
        public var noise: Double
        public var noiseMode: NoiseMode = .readout
        /// Samples of T_{l−1} per input that propagate the earlier layers' noise (propagated mode).
        public var propagationSamples: Int = 8
        /// Monte-Carlo draws of each sample-propagation entropy.
        public var monteCarloSamples: Int = SamplePropagationEntropy.defaultSamples
        /// Run the compressed estimator too.
        public var compressed: Bool = true
        /// Code width d′ of the compressing autoencoders.
        public var compressedDimension: Int = 4
        /// Training of the compressing autoencoders.
        public var compression = TrainingOptions(epochs: 30, batchSize: 128, validationFraction: 0)
        public var threads: Int = 2
        public var seed: UInt64 = 0
        public init(noise: Double) { self.noise = noise }
    }

    /// One (seed, epoch, layer) point.
    public struct Point: Sendable, Hashable, Codable {
        public var repeatIndex: Int
        public var epoch: Int
        /// 1-based hidden layer.
        public var layer: Int
        public var width: Int
        public var noisy: NoisyMutualInformation.Estimate
        /// Compressed-KDE I(X;T) and I(T;Y), nats (nil when not run or failed).
        public var compressedInput: Double?
        public var compressedLabel: Double?
        public var failure: String?
        /// Propagated noise, layers past the first: the held-out lower bound (`HeldOutBound`).
        public var lowerBound: HeldOutBound.Bound?
        /// Propagated noise: the data-processing upper bound min over l′ ≤ l of the noise-aware
        /// estimate of I(X;T_l′) (each an upper bound in expectation: see
        /// `NoisyMutualInformation.estimate(centres:perInput:labels:)`).
        public var upperBound: Double?
    }

    public var settings: Settings
    public init(settings: Settings) { self.settings = settings }

    /// One layer's T given each input: the centres of its Gaussian mixture, `perInput` per
    /// input (rows i·perInput ..< (i + 1)·perInput), each with the known σ.
    public struct LayerMixture: Sendable {
        public var centres: Matrix
        public var perInput: Int
    }

    /// Every hidden layer's mixture at one snapshot: the clean outputs (one centre per input)
    /// in the read-out mode; in the propagated mode the centres of `network` with the
    /// snapshot's parameters run on `input` with `propagationSamples` noise chains per row.
    /// - Throws: `ClassifierError.invalidConfiguration` when the propagated mode lacks the
    ///   network or the snapshot its parameters.
    public func mixtures(_ snapshot: LayerSnapshot, network: ClassifierArchitecture?, input: Matrix,
                         generator: SeededGenerator) throws -> [LayerMixture] {
        switch settings.noiseMode {
        case .readout:
            return snapshot.layers.map { LayerMixture(centres: $0, perInput: 1) }
        case .propagated:
            guard let network, !snapshot.parameters.isEmpty else {
                throw ClassifierError.invalidConfiguration("the propagated noise needs the network's parameters at epoch \(snapshot.epoch)")
            }
            let model = try NoisyClassifier(architecture: network, noise: settings.noise, parameters: snapshot.parameters)
            let m = settings.propagationSamples
            return try model.propagatedCentres(input, samples: m, generator: generator).enumerated().map {
                LayerMixture(centres: $1, perInput: $0 == 0 ? 1 : m)
            }
        }
    }

    /// One fresh propagated centre per input and layer, from chains independent of the
    /// mixtures' (propagated noise; empty in the read-out mode): the held-out draws of the
    /// lower bound.
    func heldOutCentres(_ snapshot: LayerSnapshot, network: ClassifierArchitecture?, input: Matrix,
                        generator: SeededGenerator) throws -> [Matrix] {
        guard settings.noiseMode == .propagated, let network, !snapshot.parameters.isEmpty else { return [] }
        let model = try NoisyClassifier(architecture: network, noise: settings.noise, parameters: snapshot.parameters)
        return try model.propagatedCentres(input, samples: 1, generator: generator)
    }

    /// The points of one trained classifier's snapshots. `input` are the evaluation rows the
    /// snapshots were taken on (for the propagated noise and the compressed I(X;T)), `labels`
    /// their labels, `network` the classifier's shape (for the propagated noise);
    /// `compressedInput` the compressed input codes (`compressInput`), computed once per run.
    public func measure(_ snapshots: [LayerSnapshot], network: ClassifierArchitecture?, input: Matrix, labels: [Int],
                        compressedInput: Matrix?, repeatIndex: Int,
                        progress: (Double, String) -> Void = { _, _ in }) throws -> [Point] {
        var points = [Point]()
        let total = Double(max(1, snapshots.reduce(0) { $0 + $1.layers.count }))
        for snapshot in snapshots {
            let base = SeededGenerator(seed: settings.seed).derived("r\(repeatIndex)-e\(snapshot.epoch)")
            let layers = try mixtures(snapshot, network: network, input: input, generator: base.derived("propagate"))
            let heldOut = try heldOutCentres(snapshot, network: network, input: input, generator: base.derived("held-out"))
            var upper = Double.infinity
            for (l, mixture) in layers.enumerated() {
                try Cancellation.checkpoint()
                progress(Double(points.count) / total, "seed \(repeatIndex + 1), epoch \(snapshot.epoch), layer \(l + 1)")
                let stream = SeededGenerator(seed: settings.seed).derived("r\(repeatIndex)-e\(snapshot.epoch)-l\(l)")
                let noisy = try NoisyMutualInformation(noise: settings.noise, samples: settings.monteCarloSamples,
                                                       generator: stream.derived("mc"), threads: settings.threads)
                    .estimate(centres: mixture.centres, perInput: mixture.perInput, labels: labels)
                var point = Point(repeatIndex: repeatIndex, epoch: snapshot.epoch, layer: l + 1, width: mixture.centres.columns,
                                  noisy: noisy, compressedInput: nil, compressedLabel: nil, failure: nil)
                if settings.noiseMode == .propagated {
                    upper = min(upper, noisy.inputInformation)
                    point.upperBound = upper
                    if mixture.perInput > 1, l < heldOut.count, l < snapshot.layers.count {
                        point.lowerBound = try HeldOutBound(noise: settings.noise, threads: settings.threads)
                            .bound(clean: snapshot.layers[l], centres: mixture.centres, perInput: mixture.perInput,
                                   heldOut: heldOut[l], labels: labels, generator: stream.derived("held-out"))
                    }
                }
                if settings.compressed, let compressedInput {
                    do {
                        let codes = try compress(readOut(mixture, generator: stream.derived("read-out")), seed: stream.derived("ae").seed)
                        let kde = KernelMutualInformation(threads: settings.threads)
                        point.compressedInput = try kde.information(compressedInput, codes)
                        point.compressedLabel = try kde.labelInformation(codes, labels: labels)
                    } catch let error as CancellationError {
                        throw error
                    } catch {
                        point.failure = "seed \(repeatIndex + 1), epoch \(snapshot.epoch), layer \(l + 1): \(error)"
                    }
                }
                points.append(point)
            }
        }
        return points
    }

    /// The input rows compressed to d′ (as they are when no wider).
    public func compressInput(_ x: Matrix) throws -> Matrix {
        try compress(x, seed: SeededGenerator(seed: settings.seed).derived("input-ae").seed)
    }

    /// T = S + σZ for the clean outputs S.
    public func readOut(_ clean: Matrix, generator: SeededGenerator) -> Matrix {
        var g = generator, out = clean
        for k in out.elements.indices { out.elements[k] += Float(settings.noise * g.normal()) }
        return out
    }

    /// One draw of T per input: the input's first centre plus σZ (its first noise chain, so
    /// in the propagated mode a draw of the noisy network's layer given the input).
    public func readOut(_ mixture: LayerMixture, generator: SeededGenerator) -> Matrix {
        let k = mixture.perInput
        let first = k == 1 ? mixture.centres : mixture.centres.rows(at: Array(stride(from: 0, to: mixture.centres.rows, by: k)))
        return readOut(first, generator: generator)
    }

    /// The codes of an autoencoder trained on `x` (one hidden layer of 2·d′…128 units each
    /// side); `x` itself when it has at most d′ columns.
    func compress(_ x: Matrix, seed: UInt64) throws -> Matrix {
        let d = settings.compressedDimension
        guard x.columns > d else { return x }
        var options = settings.compression
        options.seed = seed
        options.threads = settings.threads
        let hidden = [min(128, max(2 * d, x.columns / 2))]
        let architecture = try AutoencoderArchitecture(inputDimension: x.columns, codeDimension: d, hidden: hidden)
        return try Autoencoder.train(on: x, architecture: architecture, options: options).model.encode(x)
    }
}
