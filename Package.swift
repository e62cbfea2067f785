// swift-tools-version:6.0
// EntropyBook: Markdown notebooks of information-theoretic experiments → self-contained HTML.
import PackageDescription

/// System libraries: a module map and a shim header each, nothing else.
func systemLibrary(_ name: String, pkgConfig: String, apt: [String]) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt(apt)])
}

let package = Package(
    name: "EntropyBook",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "entropybook", targets: ["entropybook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        systemLibrary("CCmark", pkgConfig: "libcmark", apt: ["libcmark-dev"]),
        systemLibrary("CGD", pkgConfig: "gdlib", apt: ["libgd-dev"]),
        systemLibrary("CBLAS", pkgConfig: "openblas", apt: ["libopenblas-dev"]),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: ["zlib1g-dev"]),

        // Element-wise kernels in C with an AVX2 path chosen at run time (Swift targets
        // baseline x86-64, which has no 8-lane square root or division).
        .target(name: "CKernels"),
        // Numerics: Float32 matrices on OpenBLAS, seeded random numbers, small statistics.
        .target(name: "Linalg", dependencies: ["CBLAS", "CKernels"]),

        // Caps and path checks for reading files a notebook names: shared by the data readers
        // and the notebook engine's read confinement, so neither imports the other.
        .target(name: "FileAccess"),

        // The experiment library. It knows nothing of notebooks.
        .target(name: "Datasets", dependencies: ["Linalg", "FileAccess", "CZlib"], path: "Sources/Experiments/Datasets"),
        .target(name: "Autoencoder", dependencies: ["Linalg"], path: "Sources/Experiments/Autoencoder"),
        .target(name: "Entropy", dependencies: ["Linalg"], path: "Sources/Experiments/Entropy"),
        .target(name: "Dimension", dependencies: ["Linalg"], path: "Sources/Experiments/Dimension"),
        // The H(d) sweep and its dimension verdict: autoencoder → codes → entropy, per d.
        .target(name: "EntropyCurve", dependencies: ["Linalg", "Autoencoder", "Entropy", "Dimension", "Datasets"],
                path: "Sources/Experiments/EntropyCurve"),

        // A dense classifier with Gaussian noise after every hidden layer, on the autoencoder's
        // activations and Adam; snapshots of the hidden layers for the information plane.
        .target(name: "Classifier", dependencies: ["Linalg", "Autoencoder"], path: "Sources/Experiments/Classifier"),
        // I(X;T) and I(T;Y) of a classifier's layers: noise-aware (sample propagation) and
        // compressed (autoencoder → KDE), per snapshot and layer.
        .target(name: "InformationPlane", dependencies: ["Linalg", "Entropy", "Autoencoder", "Classifier"],
                path: "Sources/Experiments/InformationPlane"),
        // I(X;Y) between two variables: KSG, Gaussian (canonical correlations), Gaussian copula,
        // KDE plug-in, intervals and consistency checks, and `auto`; the neural critics and the
        // compressed estimator.
        .target(name: "MutualInformation", dependencies: ["Linalg", "Entropy", "Autoencoder"],
                path: "Sources/Experiments/MutualInformation"),

        // Charts behind a drawing protocol; libgd renders them to PNG.
        .target(name: "Plot", dependencies: ["CGD"]),

        // The notebook engine: Markdown (cmark) → directive cells → validated plan → executed
        // results, with the cache, budgets and read confinement. It imports no experiment
        // module and names no directive: it is given them (`Validator(registry:)`,
        // `CellCache(valueTypes:)`). Linalg for seeded generators, BLAS threads and the
        // cancellation flag.
        .target(name: "Notebook", dependencies: [
            "CCmark", "Linalg", "FileAccess", .product(name: "Yams", package: "Yams"),
        ]),
        // The directives: thin adapters from notebook parameters to the experiment library,
        // and `DirectiveRegistry`, the list the CLI hands to the engine.
        .target(name: "Directives", dependencies: [
            "Notebook", "Linalg", "FileAccess", "Datasets", "Autoencoder", "Entropy", "Dimension", "EntropyCurve", "Plot",
            "Classifier", "InformationPlane", "MutualInformation",
        ]),
        // One run's results → self-contained HTML, figures, data, run.json. Depends on the
        // engine only; it runs nothing.
        .target(name: "Report", dependencies: [
            "Notebook", "CCmark", .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // A notebook's runs: running one (validate, key, execute, write its report), comparing
        // two (`diff`), the site of a folder's runs. Linalg for the BLAS build and threads in
        // run.json's machine. Given its directives, like the engine.
        .target(name: "Runs", dependencies: ["Notebook", "Report", "Linalg"]),
        // `entropybook results`: the README's results blocks from full runs' extracts, each
        // record read through its declaration (the directives' own, hence Directives).
        .target(name: "Readme", dependencies: ["Notebook", "Report", "Directives"]),
        // `entropybook preview`: an HTTP server on 127.0.0.1 (Hummingbird) that serves the reports
        // of a notebook or a folder and tells open pages to reload after each run.
        .target(name: "Preview", dependencies: [
            "Notebook", "Report", .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // Units of work on a Slurm cluster through the shared cache: job arrays, polling,
        // and `entropybook work` on the nodes.
        .target(name: "Cluster", dependencies: ["Notebook", "Runs", "Linalg"]),
        // Speed measurements (`entropybook bench`), never timed assertions in tests.
        .target(name: "Benchmarks", dependencies: ["Linalg", "Autoencoder", "Entropy", "Dimension", "Plot", "Classifier", "InformationPlane",
                                                 "MutualInformation", "Datasets"]),
        .executableTarget(name: "entropybook", dependencies: [
            "Notebook", "Directives", "Report", "Runs", "Readme", "Cluster", "Benchmarks", "Linalg", "Preview",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "FileAccess", "Linalg"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AutoencoderTests", dependencies: ["Autoencoder", "Linalg", "CKernels"]),
        .testTarget(name: "EntropyTests", dependencies: ["Entropy", "Linalg"]),
        .testTarget(name: "EntropyCurveTests", dependencies: ["EntropyCurve", "Autoencoder", "Linalg", "Dimension", "Datasets"]),
        .testTarget(name: "ClassifierTests", dependencies: ["Classifier", "Autoencoder", "Linalg"]),
        .testTarget(name: "InformationPlaneTests", dependencies: ["InformationPlane", "Classifier", "Entropy", "Linalg"]),
        .testTarget(name: "MutualInformationTests", dependencies: ["MutualInformation", "Datasets", "Linalg", "Autoencoder"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DimensionTests", dependencies: ["Dimension", "Linalg"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PlotTests", dependencies: ["Plot"]),
        // Golden-file helpers shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The engine with test directives; some tests (cache round trip of a data set, {config},
        // the real catalogue's budget checks) use the real directives.
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "Directives", "Datasets", "Linalg", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        // The directives through the engine's validator.
        .testTarget(name: "DirectivesTests", dependencies: ["Directives", "Notebook", "Datasets", "Plot", "Linalg"]),
        // The report of a run; its golden runs go through `Runs.NotebookRun`.
        .testTarget(name: "ReportTests", dependencies: ["Report", "Runs", "Notebook", "TestSupport", "CCmark", "Linalg"],
                    resources: [.copy("Fixtures")]),
        // `diff`, generated result ids.
        .testTarget(name: "RunsTests", dependencies: ["Runs", "Report", "Notebook", "TestSupport", "Linalg"], resources: [.copy("Fixtures")]),
        // The README's results blocks against the committed extracts and README.md.
        .testTarget(name: "ReadmeTests", dependencies: ["Readme", "Notebook", "Directives"]),
        // Runs the built executable: exit codes, messages, --help snapshots.
        .testTarget(name: "CLITests", dependencies: ["entropybook", "TestSupport"], resources: [.copy("Fixtures")]),
        // The Slurm pieces without a cluster: batch script, queue parsing.
        .testTarget(name: "ClusterTests", dependencies: ["Cluster"]),
    ]
)
