import Classifier
import Notebook
import Plot

/// The accuracy and loss curves of `{classifier}` (means over the seeds, with min–max bands).
enum ClassifierFigures {
    static func curves(_ value: ClassifierValue) -> (accuracy: CurveValue, loss: CurveValue) {
        let epochs = value.runs.map(\.history.count).min() ?? 0
        let x = (0..<epochs).map { Double($0 + 1) }
        func series(_ name: String, _ pick: (ClassifierEpoch) -> Double?) -> Series? {
            var y = [Double](), lower = [Double](), upper = [Double]()
            for e in 0..<epochs {
                let values = value.runs.compactMap { pick($0.history[e]) }
                guard values.count == value.runs.count else { return nil }
                y.append(values.reduce(0, +) / Double(values.count))
                lower.append(values.min() ?? .nan)
                upper.append(values.max() ?? .nan)
            }
            return Series(name: name, x: x, y: y, lower: value.runs.count > 1 ? lower : nil, upper: value.runs.count > 1 ? upper : nil)
        }
        let accuracy = CurveValue(title: "Accuracy of \(value.name)", xLabel: "epoch", yLabel: "accuracy",
                                  series: [series("training (noisy batches)", \.trainingAccuracy), series("test", \.testAccuracy)].compactMap { $0 })
        let loss = CurveValue(title: "Cross-entropy of \(value.name)", xLabel: "epoch", yLabel: "cross-entropy (nats)",
                              series: [series("training (noisy batches)", \.trainingLoss), series("test", \.testLoss)].compactMap { $0 })
        return (accuracy, loss)
    }

    static func chart(_ curve: CurveValue) throws -> LineChart {
        try LineChart(title: curve.title, xLabel: curve.xLabel, yLabel: curve.yLabel,
                      series: curve.series.map { LineChart.Series(name: $0.name, x: $0.x, y: $0.y, lower: $0.lower, upper: $0.upper) })
    }

    static func accuracyFigure(_ curve: CurveValue) throws -> Figure {
        try Figure(name: "accuracy", caption: "Training accuracy of the noisy mini-batches and test accuracy (noise included) per epoch; bands: min–max over seeds.",
                   chart: chart(curve))
    }

    static func lossFigure(_ curve: CurveValue) throws -> Figure {
        try Figure(name: "loss", caption: "Cross-entropy per epoch, training (noisy mini-batches, dropout) and test (noise included).",
                   chart: chart(curve))
    }
}
