import ArgumentParser
import Benchmarks
import Foundation

/// Speed measurements as JSON lines, with the reference implementations side by side.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed (JSON lines on stdout), side by side with numpy/scikit-learn references.",
        discussion: "Suites: " + BenchRegistry.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; "))

    @Argument(help: "Suites to run (default: all).")
    var suites: [String] = []

    @Flag(help: "Smaller sizes, for a smoke run.")
    var quick = false

    @Option(help: "OpenBLAS threads.")
    var threads = 2

    @Option(help: "Repetitions per measurement (the median is reported).")
    var repetitions = 3

    @Flag(name: .customLong("no-reference"), help: "Skip the Python reference implementations.")
    var noReference = false

    func run() throws {
        let selected = suites.isEmpty ? BenchRegistry.all : try suites.map { name in
            guard let s = BenchRegistry.all.first(where: { $0.name == name }) else {
                throw ValidationError("no bench suite `\(name)`; suites: \(BenchRegistry.all.map { $0.name }.joined(separator: ", "))")
            }
            return s
        }
        let options = BenchOptions(quick: quick, threads: threads, repetitions: repetitions, withReference: !noReference,
                                   referenceDirectory: locateReferenceDirectory())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for suite in selected {
            try suite.run(options: options) { record in
                if let data = try? encoder.encode(record) { print(String(decoding: data, as: UTF8.self)) }
                fflush(nil)
            }
        }
    }

    private func locateReferenceDirectory() -> URL {
        var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("bench/reference")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "bench/reference")
    }
}
