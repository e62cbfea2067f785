import Datasets
import FileAccess
import Foundation
import Linalg
import Notebook
import Plot

/// `{dataset}` — makes a synthetic dataset of known intrinsic dimension or loads one
/// (MNIST sample, full MNIST, Fashion-MNIST, IDX, CSV, NPY). A thin adapter over the
/// Datasets library: it picks the generator or loader, applies the digit subset, n,
/// normalisation and scale, and shows n, D, the true dimension and a sample figure.
public enum DatasetDirective: Directive {
    public static let name = "dataset"
    public static let summary = "make a dataset of known intrinsic dimension, or load MNIST, Fashion-MNIST, IDX, CSV or NPY data"

    /// What to make or load: the words of `kind` (reads as its word in messages).
    enum Kind: String, CaseIterable, Decodable, ParameterWords, CustomStringConvertible {
        // Generated kinds.
        case gaussian, uniformCube = "uniform-cube", linear, sphere, swissRoll = "swiss-roll", sCurve = "s-curve", helix,
             moebius, torus, nonlinear, mixing, bumps, rectangles
        // File kinds.
        case mnist, fashionMNIST = "fashion-mnist", idx, csv, npy

        var description: String { rawValue }

        var isSynthetic: Bool {
            switch self {
            case .gaussian, .uniformCube, .linear, .sphere, .swissRoll, .sCurve, .helix, .moebius, .torus, .nonlinear, .mixing,
                 .bumps, .rectangles: true
            case .mnist, .fashionMNIST, .idx, .csv, .npy: false
            }
        }
        /// MNIST-format images read from a sample file or an IDX directory.
        var isImageFolder: Bool { self == .mnist || self == .fashionMNIST }
        /// Images of a fixed size (ambient and rotation do not apply).
        var isImages: Bool { self == .bumps || self == .rectangles }
        /// The intrinsic dimension the manifold fixes, if it does.
        var fixedDimension: Int? {
            switch self {
            case .swissRoll, .sCurve, .moebius, .torus, .bumps: 2
            case .helix: 1
            case .rectangles: 4
            default: nil
            }
        }
        /// The intrinsic dimension when `k` is not given, for the kinds that take `k`.
        var defaultDimension: Int? {
            switch self {
            case .gaussian, .uniformCube, .linear, .sphere: 2
            case .nonlinear: 4
            case .mixing: 8
            default: nil
            }
        }
    }
    /// `covariance`'s words.
    enum Covariance: String, CaseIterable, Decodable, ParameterWords { case identity, random }
    /// `sample`'s words: which n rows of a file.
    enum Sampling: String, CaseIterable, Decodable, ParameterWords { case random, first }
    static let defaultCount = 2000
    /// n in quick mode (drafts and tests).
    static let quickCount = 1000

    public static let parameters = Settings.parameters

    public static var results: [ResultSlot] { [ResultSlot(kind: .dataset, doc: "the points, labels, true dimension and image shape")] }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("what to make or load (synthetic manifolds of known dimension, images of known latent dimension, or files)")
        var kind: Kind
        @Param("number of points (synthetic: default 2000; files: all rows)", 1...100_000_000) var n: Int?
        @Param("intrinsic dimension for gaussian, uniform-cube, linear, sphere (S^k), nonlinear, mixing (latent)", 1...100_000)
        var k: Int?
        @Param("ambient dimension D (linear: default 10; nonlinear: (4,6) or any D ≥ 2k, default the benchmark's (4,8), (6,36), (12,72), else 2k; mixing: default 2k)",
               1...10_000_000)
        var ambient: Int?
        @Param("standard deviation of isotropic Gaussian noise added in R^D", 0...1_000_000) var noise = 0.0
        @Param("embed by a random orthonormal basis instead of padding with zeros") var rotate = false
        @Param("gaussian: identity, or a random covariance with eigenvalues in [¼, 4]") var covariance = Covariance.identity
        @Param("gaussian: standard deviation of each axis (a diagonal covariance; sets k)") var scales: [Double]?
        @Param("file to load (idx, csv, npy) or MNIST-format IDX directory (mnist, fashion-mnist)", type: .path) var path: String?
        @Param("csv: label column (index from 0, negative from the end, `last`, or header name); idx, npy: labels file")
        var labels: String?
        @Param("csv: whether the first line is a header (default: detected)") var header: Bool?
        @Param("keep only rows with these labels, e.g. [0, 1]", 0...1_000_000) var digits: [Int]?
        @Param("mnist, fashion-mnist: load IDX files, train (60 000), test (10 000) or all (70 000); mnist without split loads the 5 000-digit sample")
        var split: MNIST.Split?
        @Param("with n: a seeded random sample, or the first n rows") var sample = Sampling.random
        @Param("map values to [0, 1] (bytes /255, else min–max); default true for mnist and fashion-mnist") var normalize: Bool?
        @Param("multiply every coordinate by this factor at the end", -1_000_000...1_000_000) var scale = 1.0

        var mnistSplit: MNIST.Split? { split }
        var isImageFolderKind: Bool { kind.isImageFolder }
    }

    /// The files read, for cache keys and provenance: the `path` file, a labels file, the
    /// MNIST sample, or the IDX files of an MNIST-format directory — the same files `load`
    /// reads (see `defaultSource`).
    public static func inputFiles(_ arguments: Arguments, locations: FileLocations) -> [URL] {
        guard let cell = try? arguments.decode(Settings.self) else { return [] }
        let kind = cell.kind
        let path = cell.path.map(locations.resolve)
        switch kind {
        case .idx, .npy:
            return [path, cell.labels.map(locations.resolve)].compactMap { $0 }
        case .csv:
            return path.map { [$0] } ?? []
        case .mnist, .fashionMNIST:
            let split = cell.mnistSplit
            let source = path ?? defaultSource(kind, split: split, dataDirectory: locations.dataDirectory)
            guard isDirectory(source) else { return [source] }
            let files = (try? MNIST.idxFiles(in: source, split: split ?? .all)) ?? []
            return files.flatMap { [$0.images, $0.labels] }
        case .gaussian, .uniformCube, .linear, .sphere, .swissRoll, .sCurve, .helix, .moebius, .torus, .nonlinear, .mixing,
             .bumps, .rectangles:
            return []
        }
    }

    /// `path` (a directory too for mnist and fashion-mnist) and, for idx and npy, the
    /// `labels` file: both must pass the read confinement before anything runs.
    public static func readPaths(_ arguments: Arguments) -> [ReadPath] {
        guard let cell = try? arguments.decode(Settings.self) else { return [] }
        var paths = [ReadPath]()
        if let path = cell.path {
            paths.append(ReadPath(parameter: "path", path: path, expecting: cell.isImageFolderKind ? .fileOrDirectory : .file))
        }
        if cell.kind == .idx || cell.kind == .npy, let labels = cell.labels {
            paths.append(ReadPath(parameter: "labels", path: labels))
        }
        return paths
    }

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        guard let cell = try? arguments.decode(Settings.self) else { return [] }
        let kind = cell.kind
        var problems = [ParameterError]()
        let synthetic = kind.isSynthetic
        // The key and whether the body set it, for each key a kind may refuse.
        let (path, labels, header, digits, split, normalize) = (("path", cell.$path.isExplicit), ("labels", cell.$labels.isExplicit),
            ("header", cell.$header.isExplicit), ("digits", cell.$digits.isExplicit), ("split", cell.$split.isExplicit),
            ("normalize", cell.$normalize.isExplicit))
        let (k, ambient, noise, rotate, covariance, scales) = (("k", cell.$k.isExplicit), ("ambient", cell.$ambient.isExplicit),
            ("noise", cell.$noise.isExplicit), ("rotate", cell.$rotate.isExplicit), ("covariance", cell.$covariance.isExplicit),
            ("scales", cell.$scales.isExplicit))
        func refuse(_ key: (String, Bool), _ reason: String) {
            if key.1 { problems.append(ParameterError(key.0, "`\(key.0)` \(reason)")) }
        }
        if [.idx, .csv, .npy].contains(kind), cell.path == nil {
            problems.append(ParameterError("kind", "kind `\(kind)` needs a `path` to the file"))
        }
        if synthetic {
            for p in [path, labels, header, digits, split, normalize] { refuse(p, "applies to loaded data, not to kind `\(kind)`") }
        } else {
            for p in [k, ambient, noise, rotate] { refuse(p, "applies to synthetic data, not to kind `\(kind)`") }
        }
        if kind != .gaussian { refuse(covariance, "applies to kind `gaussian` only"); refuse(scales, "applies to kind `gaussian` only") }
        if kind != .csv { refuse(header, "applies to kind `csv` only") }
        if !kind.isImageFolder { refuse(split, "applies to kinds `mnist` and `fashion-mnist` only") }
        if let fixed = kind.fixedDimension, let k = cell.k, k != fixed {
            problems.append(ParameterError("k", "a \(kind) has intrinsic dimension \(fixed); `k: \(k)` cannot be honoured"))
        }
        if kind.isImages {
            refuse(ambient, "does not apply to images (their size is fixed)")
            refuse(rotate, "does not apply to images")
        }
        if let scales = cell.scales {
            if cell.covariance == .random, cell.$covariance.isExplicit {
                problems.append(ParameterError("scales", "give either `scales` (a diagonal covariance) or `covariance: random`, not both"))
            }
            if let k = cell.k, k != scales.count {
                problems.append(ParameterError("scales", "\(scales.count) scales for `k: \(k)`; give one per dimension"))
            }
        }
        return problems
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let kind = cell.kind
        var warnings = [String](), notes = [String]()
        var dataset: Dataset
        do {
            if kind.isSynthetic {
                var count = cell.n ?? defaultCount
                if context.settings.quick && count > quickCount {
                    notes.append("Quick mode: \(quickCount) points instead of \(count).")
                    count = quickCount
                }
                let embedding = Embedding(ambientDimension: cell.ambient, rotate: cell.rotate, noise: cell.noise)
                let sampler = try makeSampler(cell, context: context)
                dataset = try SyntheticDataset.generate(sampler, count: count, embedding: embedding, using: context.generator("data"))
            } else {
                dataset = try load(cell, context: context)
                if let digits = cell.digits { dataset = try dataset.selecting(labels: Set(digits)) }
                var count = cell.n ?? dataset.count
                if context.settings.quick && count > quickCount {
                    notes.append("Quick mode: \(quickCount) rows instead of \(min(count, dataset.count)).")
                    count = quickCount
                }
                if cell.sample == .first {
                    dataset = dataset.prefix(count)
                } else {
                    var generator = context.generator("sample")
                    dataset = dataset.randomSample(count, using: &generator)
                }
            }
            let factor = cell.scale
            if factor != 1 { dataset = dataset.scaled(by: Float(factor)) }
        } catch let error as DatasetParameterError {
            throw ParameterError(error.parameter, error.message)
        } catch let error as DataFileError where [.missingFile, .notRegularFile, .outsideAllowedDirectories].contains(error.reason) {
            let labels = cell.labels.map { context.resolvePath($0).path }
            throw ParameterError(error.path == labels ? "labels" : cell.path != nil ? "path" : "kind", error.description)
        }
        guard dataset.points.isFinite else { throw CellError("\(dataset.name) contains NaN or infinite values") }
        dataset.provenance = displayPaths(in: dataset.provenance, context: context) + "; cell seed \(context.seed)"

        var outputs: [OutputItem] = [
            .metric(Metric("points", Double(dataset.count))),
            .metric(Metric("ambient dimension D", Double(dataset.dimension))),
        ]
        if let k = dataset.intrinsicDimension { outputs.append(.metric(Metric("true intrinsic dimension", Double(k)))) }
        if let labels = dataset.labels {
            outputs.append(.metric(Metric("classes", Double(Set(labels).count))))
        }
        outputs.append(.text(dataset.provenance))
        do {
            if let figure = try sampleFigure(dataset, context: context) { outputs.append(.figure(figure)) }
        } catch {
            warnings.append("The sample figure could not be drawn: \(error)")
        }
        outputs += notes.map(OutputItem.note) + warnings.map(OutputItem.warning)
        return CellResult(values: ["": dataset], outputs: outputs)
    }

    /// The text with every absolute path written relative to the notebook (`displayPath`).
    static func displayPaths(in text: String, context: CellContext) -> String {
        guard let pattern = try? NSRegularExpression(pattern: #"(?<![\w.])/[^\s;,()]+"#) else { return text }
        var result = text
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard let range = Range(match.range, in: result) else { continue }
            result.replaceSubrange(range, with: context.displayPath(String(result[range])))
        }
        return result
    }

    /// The generator of a synthetic kind, with k and the ambient dimension resolved.
    static func makeSampler(_ cell: Settings, context: CellContext) throws -> any ManifoldSampler {
        let kind = cell.kind, scales = cell.scales
        let k = cell.k ?? scales?.count ?? kind.fixedDimension ?? kind.defaultDimension ?? 2
        let ambient = cell.ambient
        switch kind {
        case .gaussian:
            if let scales { return try GaussianCloud(standardDeviations: scales) }
            switch cell.covariance {
            case .random:
                var generator = context.generator("covariance")
                return try GaussianCloud.randomCovariance(dimension: k, using: &generator)
            case .identity:
                return try GaussianCloud(dimension: k)
            }
        case .uniformCube: return UniformCube(dimension: k)
        case .linear: return try LinearSubspace(dimension: k, ambient: ambient ?? max(10, 2 * k))
        case .sphere: return try Sphere(dimension: k)
        case .swissRoll: return SwissRoll()
        case .sCurve: return SCurve()
        case .helix: return Helix()
        case .moebius: return MoebiusStrip()
        case .torus: return try Torus()
        case .nonlinear:
            let benchmarkAmbient = [4: 8, 6: 36, 12: 72]
            return try NonlinearBenchmark(dimension: k, ambient: ambient ?? benchmarkAmbient[k] ?? 2 * k)
        case .mixing: return try NonlinearMixing(latent: k, ambient: ambient ?? 2 * k)
        case .bumps: return try GaussianBumpImages()
        case .rectangles: return try RectangleImages()
        case .mnist, .fashionMNIST, .idx, .csv, .npy: throw ParameterError("kind", "`\(kind)` is not a synthetic kind")
        }
    }

    /// What `kind: mnist` or `fashion-mnist` reads when no `path` is given: the IDX
    /// directory (the data directory for MNIST with a `split`; `data/fashion-mnist`, else
    /// Debian's dataset-fashion-mnist, for Fashion-MNIST) or the 5 000-digit MNIST sample.
    static func defaultSource(_ kind: Kind, split: MNIST.Split?, dataDirectory: URL) -> URL {
        if kind == .fashionMNIST {
            let local = dataDirectory.appendingPathComponent("fashion-mnist")
            return isDirectory(local) ? local : MNIST.debianFashionDirectory
        }
        return split == nil ? dataDirectory.appendingPathComponent(MNIST.sampleFileName) : dataDirectory
    }

    /// Loads a file kind (before digits, n and scale are applied). Every path the notebook
    /// gave passes the read confinement first, and the readers get the context's limits.
    static func load(_ cell: Settings, context: CellContext) throws -> Dataset {
        let kind = cell.kind
        let path = try cell.path.map {
            try context.readableURL("path", $0, expecting: cell.isImageFolderKind ? .fileOrDirectory : .file)
        }
        let limits = context.dataReadLimits
        let normalize = cell.normalize ?? cell.isImageFolderKind
        let labels = cell.labels
        let split = cell.mnistSplit
        switch kind {
        case .mnist:
            if let path, !isDirectory(path) { return try MNIST.loadSample(path, normalize: normalize, limits: limits) }
            if let path {
                return try MNIST.loadIDX(directory: path, split: split ?? .all, normalize: normalize, name: "mnist", limits: limits)
            }
            let source = defaultSource(kind, split: split, dataDirectory: context.dataDirectory)
            if let split {
                guard (try? MNIST.idxFiles(in: source, split: split)) != nil else {
                    throw ParameterError("split", "`split` loads full MNIST from IDX files (train-images-idx3-ubyte.gz, …), "
                                         + "which are not in the data directory \(source.path); give `path` to their directory, "
                                         + "or leave out `split` for the 5 000-digit sample")
                }
                return try MNIST.loadIDX(directory: source, split: split, normalize: normalize, name: "mnist", limits: limits)
            }
            let sample = source
            guard FileManager.default.fileExists(atPath: sample.path) else {
                throw ParameterError("kind", "the MNIST sample is not at \(sample.path); run scripts/fetch-mnist-sample.sh "
                                     + "(or set ENTROPYBOOK_DATA to the directory holding \(MNIST.sampleFileName), or give `path`)")
            }
            return try MNIST.loadSample(sample, normalize: normalize, limits: limits)
        case .fashionMNIST:
            let directory = path ?? defaultSource(kind, split: split, dataDirectory: context.dataDirectory)
            guard isDirectory(directory) else {
                throw ParameterError(path == nil ? "kind" : "path",
                                     "no Fashion-MNIST directory at \(directory.path); install Debian's dataset-fashion-mnist (scripts/install-deps.sh) or give `path`")
            }
            // Debian's system copy is read when the notebook names no path: the program
            // chose that directory, not the notebook, so it joins the allowed ones.
            var fashionLimits = limits
            if path == nil, let system = ReadLimits.canonicalPath(directory.path) {
                fashionLimits.allowedDirectories?.append(system)
            }
            return try MNIST.loadIDX(directory: directory, split: split ?? .all, normalize: normalize, name: "fashion-mnist",
                                     limits: fashionLimits)
        case .idx, .csv, .npy:
            guard let path else { throw ParameterError("kind", "kind `\(kind)` needs a `path` to the file") }
            if kind == .csv {
                let options = CSVOptions(hasHeader: cell.header,
                                         labelColumn: labels.map(LabelColumn.init))
                return try CSVFile.loadDataset(path, options: options, normalize: normalize, limits: limits)
            }
            let labelsURL = try labels.map { try context.readableURL("labels", $0) }
            if let labelsURL, !FileManager.default.fileExists(atPath: labelsURL.path) {
                throw ParameterError("labels", "\(labelsURL.path): no such file")
            }
            return kind == .idx
                ? try IDXFile.loadDataset(images: path, labels: labelsURL, normalize: normalize, limits: limits)
                : try NPYFile.loadDataset(path, labels: labelsURL, normalize: normalize, limits: limits)
        case .gaussian, .uniformCube, .linear, .sphere, .swissRoll, .sCurve, .helix, .moebius, .torus, .nonlinear, .mixing,
             .bumps, .rectangles:
            throw ParameterError("kind", "`\(kind)` is not a file kind")
        }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }

    /// An image grid for images (a row per class when labelled), otherwise a scatter plot of
    /// the first two principal components (the coordinates themselves in 2-D), coloured by
    /// label. `nil` for one-dimensional data.
    static func sampleFigure(_ dataset: Dataset, context: CellContext) throws -> Figure? {
        if let shape = dataset.imageShape {
            var rows = [ImageGrid.Row]()
            if let labels = dataset.labels {
                for label in Set(labels).sorted().prefix(10) {
                    let images = labels.indices.filter { labels[$0] == label }.prefix(10).map { Array(dataset.points.row($0)) }
                    rows.append(ImageGrid.Row(label: String(label), images: images))
                }
            } else {
                for r in 0..<min(3, (dataset.count + 9) / 10) {
                    let images = (r * 10..<min(dataset.count, r * 10 + 10)).map { Array(dataset.points.row($0)) }
                    rows.append(ImageGrid.Row(images: images))
                }
            }
            let chart = try ImageGrid(title: dataset.name, rows: rows, imageWidth: shape.width, imageHeight: shape.height)
            return try Figure(name: "sample", caption: "Sample images of \(dataset.name)" + (dataset.labels == nil ? "." : ", one row per label."),
                              chart: chart)
        }
        return try sampleScatter(dataset).map { try Figure(name: "sample", caption: $0.caption, chart: $0.chart) }
    }

    /// The scatter plot of `sampleFigure` for data that are not images; nil in 1-D.
    static func sampleScatter(_ dataset: Dataset) throws -> (chart: ScatterChart, caption: String)? {
        guard dataset.dimension >= 2 else { return nil }
        // At most 2000 points, evenly spread over the rows (files are often sorted by label).
        let shown = dataset.count <= 2000 ? dataset : dataset.rows(at: (0..<2000).map { $0 * dataset.count / 2000 })
        let projected = dataset.dimension == 2 ? shown.points : try shown.principalProjection(components: 2)
        let x = (0..<projected.rows).map { Double(projected[$0, 0]) }
        let y = (0..<projected.rows).map { Double(projected[$0, 1]) }
        let axes = dataset.dimension == 2 ? ("x₁", "x₂") : ("PC 1", "PC 2")
        var colouring = ""
        var labels = shown.labels
        if labels == nil, let latent = shown.latent, latent.columns > 0 {
            // No classes: colour by the generator's first coordinate (a swiss roll's t), in
            // six equal-width bins, so the reader sees how the manifold is laid out.
            let t = (0..<latent.rows).map { latent[$0, 0] }
            if let lo = t.min(), let hi = t.max(), hi > lo {
                labels = t.map { 1 + min(5, Int(6 * ($0 - lo) / (hi - lo))) }
                colouring = ", coloured by the generator's first coordinate in six equal bins (1 = lowest, darkest)"
            }
        }
        var chart = try labels.map {
            try ScatterChart(title: dataset.name, xLabel: axes.0, yLabel: axes.1, x: x, y: y, labels: $0)
        } ?? ScatterChart(title: dataset.name, xLabel: axes.0, yLabel: axes.1, x: x, y: y)
        if !colouring.isEmpty {
            chart.orderedLabels = true
            chart.legendTitle = "latent t₁, bin"
        }
        let what = dataset.dimension == 2 ? "The points" : "First two principal components"
        let subset = shown.count < dataset.count ? " (\(shown.count) of \(dataset.count) points)" : ""
        return (chart, "\(what) of \(dataset.name)\(subset)\(colouring).")
    }
}
