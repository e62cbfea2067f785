import Classifier
import Foundation
import Linalg
import Notebook

/// What `{classifier}` stores: per seed the history and the snapshots, and the evaluation
/// rows (inputs and labels) the snapshots were taken on.
public struct ClassifierValue: NotebookValue {
    public static var kind: ValueKind { "classifier" }
    public struct Run: Sendable {
        public var history: [ClassifierEpoch]
        public var snapshots: [LayerSnapshot]
    }
    public var name: String
    public var architecture: ClassifierArchitecture
    public var noise: Double
    public var runs: [Run]
    public var evaluation: Matrix
    /// Class indices 0..<C of the evaluation rows.
    public var evaluationLabels: [Int]
    public var classNames: [String]
    public var summary: String { "noisy classifier \(name), σ = \(formatNumber(noise)), \(runs.count) seed(s)" }

    /// The same networks read out on the first `count` evaluation rows only: the inputs, labels
    /// and every snapshot's layer outputs cut to those rows.
    public func firstEvaluationRows(_ count: Int) -> ClassifierValue {
        let n = min(count, evaluation.rows)
        var cut = self
        cut.evaluation = evaluation.rows(in: 0..<n)
        cut.evaluationLabels = Array(evaluationLabels.prefix(n))
        cut.runs = runs.map { run in
            Run(history: run.history, snapshots: run.snapshots.map { s in
                LayerSnapshot(epoch: s.epoch, layers: s.layers.map { $0.rows(in: 0..<min(n, $0.rows)) }, parameters: s.parameters)
            })
        }
        return cut
    }
}

/// Cached so that a re-run with unchanged inputs does not retrain. The entry holds what
/// cannot be recomputed cheaply — the histories, each snapshot's parameters and the
/// evaluation rows — and not the snapshots' layer outputs, which decoding recomputes by the
/// same noise-free forward pass that made them (repeats × read-outs × rows × hidden units
/// floats would otherwise dominate the entry: 100 MB for the information-plane notebook).
extension ClassifierValue: CacheableValue {
    public static var cacheTag: String { "classifier" }

    /// The plain-data part, as JSON.
    private struct Header: Codable {
        var name: String
        var architecture: ClassifierArchitecture
        var noise: Double
        var histories: [[ClassifierEpoch]]
        var snapshotEpochs: [[Int]]
        var evaluationLabels: [Int]
        var classNames: [String]
        var evaluationRows: Int
    }

    public func encode(to writer: inout ByteWriter) throws {
        try writer.write(json: Header(name: name, architecture: architecture, noise: noise, histories: runs.map(\.history),
                                      snapshotEpochs: runs.map { $0.snapshots.map(\.epoch) }, evaluationLabels: evaluationLabels,
                                      classNames: classNames, evaluationRows: evaluation.rows))
        writer.write(floats: evaluation.elements)
        for run in runs { for snapshot in run.snapshots { writer.write(floats: snapshot.parameters) } }
    }

    public static func decode(from reader: inout ByteReader) throws -> ClassifierValue {
        let header = try reader.readJSON(Header.self)
        let a = header.architecture
        let elements = try reader.readFloats()
        guard header.histories.count == header.snapshotEpochs.count, header.evaluationRows >= 0,
              elements.count == header.evaluationRows * a.inputDimension, header.evaluationLabels.count == header.evaluationRows else {
            throw CacheError.malformed("a classifier entry whose parts do not fit together")
        }
        let evaluation = Matrix(rows: header.evaluationRows, columns: a.inputDimension, elements: elements)
        var runs = [Run]()
        for (history, epochs) in zip(header.histories, header.snapshotEpochs) {
            var snapshots = [LayerSnapshot]()
            for epoch in epochs {
                let parameters = try reader.readFloats()
                let model: NoisyClassifier
                do {
                    model = try NoisyClassifier(architecture: a, noise: header.noise, parameters: parameters)
                } catch {
                    throw CacheError.malformed("a classifier entry with \(parameters.count) parameters for \(a.description)")
                }
                snapshots.append(LayerSnapshot(epoch: epoch, layers: try model.hiddenOutputs(evaluation), parameters: parameters))
            }
            runs.append(Run(history: history, snapshots: snapshots))
        }
        return ClassifierValue(name: header.name, architecture: a, noise: header.noise, runs: runs, evaluation: evaluation,
                               evaluationLabels: header.evaluationLabels, classNames: header.classNames)
    }
}
