import Autoencoder
import Datasets
import Dimension
import Foundation
import Linalg

/// The calibration of the dimension verdict: H(d) sweeps on a family of manifolds of known
/// dimension, several sample sizes and seeds, with MLE, TwoNN and CorrInt on the same points.
/// The sweeps are the expensive part and are kept (`Case`); every rule is then scored on them
/// for free (`CalibrationScore`).
public struct VerdictCalibration: Sendable {
    /// One manifold of the family.
    public struct Benchmark: Sendable {
        public var name: String
        public var sampler: any ManifoldSampler
        public var ambient: Int?
        public var k: Int { sampler.intrinsicDimension }
        public init(_ name: String, _ sampler: any ManifoldSampler, ambient: Int? = nil) {
            self.name = name
            self.sampler = sampler
            self.ambient = ambient
        }
    }

    /// The project's benchmark family: k = 1…6 from curves, surfaces, linear subspaces, the
    /// Hein–Audibert nonlinear manifolds and a smooth random map; `high` adds two k = 8 sets
    /// for the "no confident number more than 1 off" check.
    public static func family(high: Bool) throws -> [Benchmark] {
        var sets = [
            Benchmark("helix", Helix()),
            Benchmark("swiss roll", SwissRoll()),
            Benchmark("Möbius strip", MoebiusStrip()),
            Benchmark("torus", try Torus()),
            Benchmark("sphere S³", try Sphere(dimension: 3)),
            Benchmark("linear 3 in R¹⁰", try LinearSubspace(dimension: 3, ambient: 10)),
            Benchmark("nonlinear (4, 6)", try NonlinearBenchmark(dimension: 4, ambient: 6)),
            Benchmark("nonlinear (4, 8)", try NonlinearBenchmark(dimension: 4, ambient: 8)),
            Benchmark("mixing 5 → 10", try NonlinearMixing(latent: 5, ambient: 10)),
            Benchmark("nonlinear (6, 36)", try NonlinearBenchmark(dimension: 6, ambient: 36)),
        ]
        if high {
            sets += [Benchmark("linear 8 in R¹⁶", try LinearSubspace(dimension: 8, ambient: 16)),
                     Benchmark("nonlinear (8, 16)", try NonlinearBenchmark(dimension: 8, ambient: 16))]
        }
        return sets
    }

    public struct Settings: Sendable, Hashable, Codable {
        /// Sample sizes n.
        public var sizes: [Int]
        /// Seeds per (set, n): each draws its own points and trains its own autoencoders.
        public var seeds: Int
        /// Code dimensions swept: 1 … k + `beyond`.
        public var beyond: Int
        public var hidden: [Int]?
        public var training: TrainingOptions
        /// KDE entropies on at most this many codes.
        public var kdeSample: Int
        public var noisy: NoisyEntropySettings
        public var seed: UInt64
        public init(sizes: [Int], seeds: Int, beyond: Int = 3, hidden: [Int]? = nil, training: TrainingOptions,
                    kdeSample: Int = 2000, noisy: NoisyEntropySettings, seed: UInt64) {
            self.sizes = sizes
            self.seeds = seeds
            self.beyond = beyond
            self.hidden = hidden
            self.training = training
            self.kdeSample = kdeSample
            self.noisy = noisy
            self.seed = seed
        }
    }

    /// One (set, n, seed) sweep with the direct estimators on its points.
    public struct Case: Sendable, Hashable, Codable {
        public var set: String
        public var k: Int
        public var n: Int
        public var seed: Int
        public var points: [EntropyCurveExperiment.Point]
        public var mle: Double
        public var twoNN: Double
        public var corrInt: Double
        public var seconds: Double
    }

    public var settings: Settings
    public init(settings: Settings) { self.settings = settings }

    /// Runs one (set, n, seed) case; `train` as in `EntropyCurveExperiment.run` (a caller may
    /// memoize the models).
    public func run(_ benchmark: Benchmark, n: Int, seed s: Int,
                    train: (Matrix, AutoencoderArchitecture, TrainingOptions) throws -> EntropyCurveExperiment.TrainedModel
                        = EntropyCurveExperiment.train) throws -> Case {
        let start = DispatchTime.now().uptimeNanoseconds
        let stream = SeededGenerator(seed: settings.seed).derived("calibration-\(benchmark.name)-\(n)-\(s)")
        let data = try SyntheticDataset.generate(benchmark.sampler, count: n,
                                                 embedding: Embedding(ambientDimension: benchmark.ambient), using: stream)
        var sweepSeed = stream.derived("sweep")
        let sweep = EntropyCurveExperiment.Settings(
            dimensions: Array(1...(benchmark.k + settings.beyond)), repeats: 1, hidden: settings.hidden,
            training: settings.training, monteCarloSamples: nil, entropySample: settings.kdeSample,
            noisy: settings.noisy, seed: sweepSeed.next())
        let points = try EntropyCurveExperiment(settings: sweep).run(on: data.points, train: train)
        let neighbors = try NearestNeighbors(of: data.points, k: 20)
        let mle = try MaximumLikelihoodDimension(neighbors: neighbors, k: 20).dimension
        let twoNN = try TwoNearestNeighborsDimension(neighbors: neighbors).dimension
        let corrInt = try TwoRadiusCorrelationDimension(of: data.points, neighbors: neighbors).dimension
        return Case(set: benchmark.name, k: benchmark.k, n: n, seed: s, points: points, mle: mle, twoNN: twoNN,
                    corrInt: corrInt, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
