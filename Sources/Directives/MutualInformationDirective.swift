import Datasets
import Foundation
import Linalg
import MutualInformation
import Notebook

/// `{mutual-information}` — I(X;Y) in nats between the paired rows of two data sets (or a
/// data set and its labels), with an interval and a consistency check for every estimate.
/// An adapter over the MutualInformation module: `auto` (`AutomaticMutualInformation`), a
/// named estimator (`MutualInformationMethod`) through `MutualInformationReliability`, or
/// the Ross k-NN estimator for labels.
public enum MutualInformationDirective: Directive {
    public static let name = "mutual-information"
    public static let summary = "I(X;Y) in nats between two data sets with the same rows (or a data set and its labels): KSG, Gaussian, Gaussian copula, KDE plug-in or auto, each with a half-sampling interval and a permuted-y null check"

    /// The estimator words: `auto` and the library's methods.
    enum EstimatorName: String, Decodable, CaseIterable {
        case auto, ksg, ksg2 = "ksg-2", ksgCopula = "ksg-copula", gaussian, gaussianCopula = "gaussian-copula", kde
        var method: MutualInformationMethod? { MutualInformationMethod(rawValue: rawValue) }
    }

    struct Settings: Decodable {
        var x: ResultID
        var y: ResultID?
        var labels: Bool
        var estimator: EstimatorName
        var k: Int
        var splits: Int
        var null: Bool
    }

    public static let parameters: [Parameter] = [
        Parameter("x", .reference([.dataset]), required: true, doc: "X: a data set, one observation per row"),
        Parameter("y", .reference([.dataset]), doc: "Y: a data set with the same rows as x (row i of x and of y are one observation)"),
        Parameter("labels", .bool, default: .bool(false), doc: "true: Y is x's labels (discrete); the Ross k-NN estimator (Ross 2014) is used"),
        Parameter("estimator", .words(EstimatorName.self), default: .string("auto"),
                  doc: "auto: chosen from the data by a stated rule (Gaussian copula or KSG on normal scores); ksg, ksg-2: Kraskov et al. 2004 on standardised data; "
                      + "ksg-copula: KSG-1 on normal scores; gaussian: from the canonical correlations (bias-corrected); gaussian-copula: the same on normal scores; kde: H(X)+H(Y)−H(X,Y) by leave-one-out KDE"),
        Parameter("k", .int(1...100), default: .int(3), doc: "neighbours of the KSG and Ross estimators"),
        Parameter("splits", .int(1...50), default: .int(5), doc: "random half splits for the interval (2 estimates each)"),
        Parameter("null", .bool, default: .bool(true), doc: "also estimate on y with its rows permuted (truth 0): an estimate whose null interval misses 0 is flagged unreliable"),
    ]

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .estimate, doc: "I(X;Y) in nats; details: lower, upper (interval), halfMean, quarterMean, spread, drift, null, nullLower, nullUpper, reliable (1/0), n"),
        ResultSlot("estimators", kind: .table, doc: "every estimator run: value, interval, n/4 → n/2 → n, null, verdict"),
    ]

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        guard let cell = try? arguments.decode(Settings.self) else { return [] }
        var problems = [ParameterError]()
        if cell.labels && cell.y != nil {
            problems.append(ParameterError("labels", "give either `y:` (a data set) or `labels: true`, not both"))
        }
        if !cell.labels && cell.y == nil {
            problems.append(ParameterError("x", "{mutual-information} needs `y:` (a data set with the same rows) or `labels: true`"))
        }
        if cell.labels && arguments.isExplicit("estimator") && cell.estimator != .auto && cell.estimator != .ksg {
            problems.append(ParameterError("estimator", "with `labels: true` the estimator is Ross's k-NN (`auto` or `ksg`); `\(cell.estimator.rawValue)` needs a continuous y"))
        }
        return problems
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let xData = try context.value(cell.x, as: Dataset.self)
        var generator = context.generator("resampling")
        let options = ReliabilityOptions(splits: cell.splits, nullSplits: cell.null ? 3 : 0)
        if cell.labels {
            guard let labels = xData.labels else { throw ParameterError("labels", "`\(xData.name)` has no labels") }
            try check(xData.points, Matrix(rows: xData.count, columns: 1, elements: labels.map(Float.init)),
                      xName: xData.name, yName: "labels", minimumRows: cell.k + 1, estimatorName: "Ross k-NN", labelsOnly: true)
            let ross = RossMutualInformation(k: cell.k)
            let checked = try MutualInformationReliability.check(ross.label, xData.points, labelMatrix(labels), options: options,
                                                                 generator: &generator) { x, l in
                try ross.information(x, labels: l.elements.map { Int($0) })
            }
            return try package(checked, candidates: [checked], rule: "labels: Ross's k-NN estimator for a discrete y",
                               xName: xData.name, yName: "labels")
        }
        guard let yID = cell.y else { throw ParameterError("x", "{mutual-information} needs `y:` or `labels: true`") }
        let yData = try context.value(yID, as: Dataset.self)
        let x = xData.points, y = yData.points
        let method = cell.estimator.method
        let minimum = method?.minimumRows(k: cell.k, dimX: x.columns, dimY: y.columns) ?? (cell.k + 1)
        try check(x, y, xName: xData.name, yName: yData.name, minimumRows: minimum,
                  estimatorName: method?.label(k: cell.k) ?? "auto", labelsOnly: false)
        let threads = context.settings.threads
        if let method {
            let checked = try MutualInformationReliability.check(method.label(k: cell.k), x, y, options: options, generator: &generator) {
                try method.information($0, $1, k: cell.k, threads: threads)
            }
            return try package(checked, candidates: [checked], rule: "estimator: \(method.rawValue) (chosen in the notebook)",
                               xName: xData.name, yName: yData.name)
        }
        let auto = AutomaticMutualInformation(k: cell.k, options: options, threads: threads)
        let result = try auto.estimate(x, y, generator: &generator)
        return try package(result.chosen, candidates: result.candidates, rule: "auto — \(auto.rule). Here: \(result.reason)",
                           xName: xData.name, yName: yData.name)
    }

    static func labelMatrix(_ labels: [Int]) -> Matrix {
        Matrix(rows: labels.count, columns: 1, elements: labels.map(Float.init))
    }

    /// The data problems, each at the parameter that names the data.
    static func check(_ x: Matrix, _ y: Matrix, xName: String, yName: String, minimumRows: Int,
                      estimatorName: String, labelsOnly: Bool) throws {
        do {
            try MutualInformationError.validate(x, y, minimumRows: minimumRows, estimator: estimatorName)
        } catch let error as MutualInformationError {
            switch error {
            case .rowMismatch(let a, let b):
                throw ParameterError(labelsOnly ? "labels" : "y", "`\(xName)` has \(a) rows but `\(yName)` has \(b): x and y must be paired observations, one per row")
            case .tooFewRows(let needed, let have, let e):
                throw ParameterError("k", "\(e) needs at least \(needed) rows (k + 1 for KSG); `\(xName)` has \(have)")
            case .nonFinite(let v, let r, let c):
                throw ParameterError(v == "x" ? "x" : (labelsOnly ? "labels" : "y"), "`\(v == "x" ? xName : yName)` has a NaN or infinite value at row \(r + 1), column \(c + 1)")
            case .constantColumn(let v, let c):
                if labelsOnly && v == "y" { throw ParameterError("labels", "every row of `\(xName)` has the same label: I = 0 and nothing to estimate") }
                throw ParameterError(v == "x" ? "x" : "y", "column \(c + 1) of `\(v == "x" ? xName : yName)` is constant: it carries no information and breaks the estimators; drop it")
            default:
                throw ParameterError("x", error.description)
            }
        }
    }

    static func package(_ chosen: CheckedMutualInformation, candidates: [CheckedMutualInformation], rule: String,
                        xName: String, yName: String) throws -> CellResult {
        let e = chosen.estimate
        let order = ["lower", "upper", "halfMean", "quarterMean", "spread", "drift", "null", "nullLower", "nullUpper", "reliable", "n"]
        let details = order.compactMap { key in e.details[key].map { EstimateValue.Detail(key, $0) } }
            .filter { $0.name != "lower" && $0.name != "upper" }
        let main = EstimateValue(name: "I(\(xName); \(yName)) by \(e.estimator)", value: e.value, unit: "nats",
                                 details: [.init("lower", e.lower ?? .nan), .init("upper", e.upper ?? .nan)] + details)
        func f(_ v: Double?) -> String { v.map { formatNumber($0) } ?? "–" }
        let rows = candidates.map { c -> [String] in
            [c.estimate.estimator, f(c.estimate.value), "[\(f(c.estimate.lower)), \(f(c.estimate.upper))]",
             "\(f(c.quarterMean)) → \(f(c.halfMean)) → \(f(c.estimate.value))",
             c.null.map { "\(formatNumber($0)) [\(f(c.nullLower)), \(f(c.nullUpper))]" } ?? "–",
             c.isReliable ? "consistent" : "unreliable: " + c.problems.joined(separator: "; ")]
        }
        let table = Table(title: "Estimators run", columns: ["estimator", "I (nats)", "interval", "n/4 → n/2 → n", "permuted-y null", "check"], rows: rows)
        var outputs: [OutputItem] = []
        if chosen.isReliable {
            outputs.append(.metric(Metric("I(\(xName); \(yName))", e.value, unit: "nats",
                                          note: "\(e.estimator); interval [\(f(e.lower)), \(f(e.upper))] (half-sampling, 95 %, widened by the n/2 → n drift)")))
        } else {
            outputs.append(.warning("Unreliable: I(\(xName); \(yName)) by \(e.estimator) read \(formatNumber(e.value)) nats [\(f(e.lower)), \(f(e.upper))], but "
                + chosen.problems.joined(separator: "; ") + ". Do not read it as the information."))
        }
        outputs.append(.note("Rule: \(rule)."))
        outputs.append(.table(table))
        return CellResult(values: ["": main, "estimators": table], outputs: outputs)
    }
}
