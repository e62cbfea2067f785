import Autoencoder
import Classifier
import Entropy
import Foundation
import Linalg

/// The information plane of a trained noisy classifier: for every snapshot and hidden layer,
/// I(X;T) and I(T;Y) of the read-out T = S + σZ, by two estimators side by side:
/// - noise-aware (`NoisyMutualInformation`): h(T|X) exact, h(T) by sample propagation;
/// - compressed: T (and X, once) compressed by an autoencoder to `compressedDimension`
///   coordinates, then Gaussian-KDE mutual information (`KernelMutualInformation`), the talk's
///   method. Layers no wider than the code are used as they are.
public struct InformationPlaneExperiment: Sendable {
    public struct Settings: Sendable, Hashable {
        /// σ of the read-out noise (the classifier's).
        public var noise: Double
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
    }

    public var settings: Settings
    public init(settings: Settings) { self.settings = settings }

    /// The points of one trained classifier's snapshots. `input` are the evaluation rows the
    /// snapshots were taken on (for the compressed I(X;T)), `labels` their labels;
    /// `compressedInput` the compressed input codes (`compressInput`), computed once per run.
    public func measure(_ snapshots: [LayerSnapshot], labels: [Int], compressedInput: Matrix?, repeatIndex: Int,
                        progress: (Double, String) -> Void = { _, _ in }) throws -> [Point] {
        var points = [Point]()
        let total = Double(max(1, snapshots.reduce(0) { $0 + $1.layers.count }))
        for snapshot in snapshots {
            for (l, clean) in snapshot.layers.enumerated() {
                try Cancellation.checkpoint()
                progress(Double(points.count) / total, "seed \(repeatIndex + 1), epoch \(snapshot.epoch), layer \(l + 1)")
                let stream = SeededGenerator(seed: settings.seed).derived("r\(repeatIndex)-e\(snapshot.epoch)-l\(l)")
                let noisy = try NoisyMutualInformation(noise: settings.noise, samples: settings.monteCarloSamples,
                                                       generator: stream.derived("mc"), threads: settings.threads)
                    .estimate(clean, labels: labels)
                var point = Point(repeatIndex: repeatIndex, epoch: snapshot.epoch, layer: l + 1, width: clean.columns,
                                  noisy: noisy, compressedInput: nil, compressedLabel: nil, failure: nil)
                if settings.compressed, let compressedInput {
                    do {
                        let codes = try compress(readOut(clean, generator: stream.derived("read-out")), seed: stream.derived("ae").seed)
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
