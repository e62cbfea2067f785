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
    enum EstimatorName: String, Decodable, CaseIterable, ParameterWords {
        case auto, ksg, ksg2 = "ksg-2", ksgCopula = "ksg-copula", gaussian, gaussianCopula = "gaussian-copula", kde
        var method: MutualInformationMethod? { MutualInformationMethod(rawValue: rawValue) }
    }

    /// `y: labels`: Y is x's labels, not a data set.
    static let labelsWord = "labels"

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("X: a data set, one observation per row", kinds: [.dataset]) var x: ResultID
        @Param("Y: a data set with the same rows as x (row i of x and of y are one observation), or `labels`: x's labels (discrete), by the Ross k-NN estimator (Ross 2014)",
               type: .referenceOrWord([.dataset], words: [MutualInformationDirective.labelsWord]))
        var y: ResultID
        @Param("auto: chosen from the data by a stated rule (Gaussian copula or KSG on normal scores); ksg, ksg-2: Kraskov et al. 2004 on standardised data; "
               + "ksg-copula: KSG-1 on normal scores; gaussian: from the canonical correlations (bias-corrected); gaussian-copula: the same on normal scores; kde: H(X)+H(Y)−H(X,Y) by leave-one-out KDE")
        var estimator = EstimatorName.auto
        @Param("neighbours of the KSG and Ross estimators", 1...100) var k = 3
        @Param("random half splits for the interval (2 estimates each)", 1...50) var splits = 5
        @Param("also estimate on y with its rows permuted (truth 0): an estimate whose null interval misses 0 is flagged unreliable")
        var null = true
    }

    public static let parameters = Settings.parameters

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .estimate, doc: "I(X;Y) in nats; details: lower, upper (interval), halfMean, quarterMean, spread, drift, remaining, extrapolated, driftRatio, null, nullLower, nullUpper, reliable (1/0), n"),
        ResultSlot("estimators", kind: .table, doc: "every estimator run: value, interval, n/4 → n/2 → n, null, verdict"),
    ]

    /// Whether `y:` is the word `labels` (x's labels) rather than a data set's id: the word
    /// wins over an id spelt the same (`ParameterType.referenceOrWord`), so the id is the word.
    static func yIsLabels(_ cell: Settings) -> Bool { cell.y.id == labelsWord }

    public static func validate(_ arguments: Arguments) -> [ParameterError] {
        guard let cell = try? arguments.decode(Settings.self) else { return [] }
        var problems = [ParameterError]()
        if yIsLabels(cell) && cell.$estimator.isExplicit && cell.estimator != .auto && cell.estimator != .ksg {
            problems.append(ParameterError("estimator", "with `y: labels` the estimator is Ross's k-NN (`auto` or `ksg`); `\(cell.estimator.rawValue)` needs a continuous y"))
        }
        return problems
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let xData = try context.value(cell.x, as: Dataset.self)
        var generator = context.generator("resampling")
        let options = ReliabilityOptions(splits: cell.splits, nullSplits: cell.null ? 3 : 0)
        if yIsLabels(cell) {
            guard let labels = xData.labels else { throw ParameterError("y", "`\(xData.name)` has no labels: `y: labels` needs a data set with labels (mnist, or a file with a label column)") }
            try check(xData.points, Matrix(rows: xData.count, columns: 1, elements: labels.map(Float.init)),
                      xName: xData.name, yName: "labels", minimumRows: minimumRows(cell, labels: true, dimX: xData.points.columns, dimY: 1),
                      estimatorName: estimatorLabel(cell, labels: true), labelsOnly: true)
            let ross = RossMutualInformation(k: cell.k)
            let checked = try MutualInformationReliability.check(ross.label, xData.points, labelMatrix(labels), options: options,
                                                                 generator: &generator) { x, l in
                try ross.information(x, labels: l.elements.map { Int($0) })
            }
            return try package(checked, candidates: [checked], rule: "y: labels — Ross's k-NN estimator for a discrete y",
                               xName: xData.name, yName: "labels")
        }
        let yData = try context.value(cell.y, as: Dataset.self)
        let x = xData.points, y = yData.points
        let method = cell.estimator.method
        try check(x, y, xName: xData.name, yName: yData.name, minimumRows: minimumRows(cell, labels: false, dimX: x.columns, dimY: y.columns),
                  estimatorName: estimatorLabel(cell, labels: false), labelsOnly: false)
        let threads = context.settings.threads
        if let method {
            let oneSided = MutualInformationReliability.lowerBoundOnly(kNearestNeighbours: method.isNearestNeighbour, dimX: x.columns, dimY: y.columns)
            let checked = try MutualInformationReliability.check(method.label(k: cell.k), x, y, options: options, oneSided: oneSided,
                                                                 generator: &generator) {
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

    /// The shape problems `check` can see: rows of x and y when validation knows both (data
    /// sets of a synthetic kind with their `n`, npy and idx files from their headers), too
    /// few rows for the estimator, and a constant column that a scan of the file found. NaN
    /// in a file is the `{dataset}` cell's error (it refuses non-finite data). CSV files and
    /// data over the scan bound are known only when read: `run` reports those at the same
    /// parameters.
    public static func validateShapes(_ inputs: EstimateInputs) -> [ParameterError] {
        let a = inputs.arguments
        guard let cell = try? a.decode(Settings.self), let x = inputs.shapes["x"] else { return [] }
        let labels = yIsLabels(cell)
        let y = labels ? nil : inputs.shapes["y"]
        if let y, x.rowsAreExact, y.rowsAreExact, y.rows != x.rows {
            return [rowMismatch(xName: cell.x.id, xRows: x.rows, yName: cell.y.id, yRows: y.rows)]
        }
        // Validation's columns are a memory estimate's upper bound and its rows exact or an
        // upper bound: the minimum at one column each is the smallest the estimator can need,
        // so no error is false.
        let needed = minimumRows(cell, labels: labels, dimX: 1, dimY: 1)
        if x.rows < needed { return [tooFewRows(estimatorLabel(cell, labels: labels), needed: needed, xName: cell.x.id, have: x.rows)] }
        if let c = x.constantColumns.first { return [constantColumn(c, of: cell.x.id, parameter: "x")] }
        if let c = y?.constantColumns.first { return [constantColumn(c, of: cell.y.id, parameter: "y")] }
        return []
    }

    static func constantColumn(_ column: Int, of name: String, parameter: String) -> ParameterError {
        ParameterError(parameter, "column \(column + 1) of `\(name)` is constant: it carries no information and breaks the estimators; drop it")
    }

    /// Rows the estimate needs: the estimator's own minimum in each half of the half-sampling
    /// interval. `auto` always computes the Gaussian copula (d_x + d_y + 2 rows) and may run KSG (k + 1).
    static func minimumRows(_ cell: Settings, labels: Bool, dimX: Int, dimY: Int) -> Int {
        let one: Int
        if labels {
            one = cell.k + 1
        } else if let method = cell.estimator.method {
            one = method.minimumRows(k: cell.k, dimX: dimX, dimY: dimY)
        } else {
            one = max(cell.k + 1, dimX + dimY + 2)
        }
        return 2 * one
    }

    static func estimatorLabel(_ cell: Settings, labels: Bool) -> String {
        labels ? "Ross k-NN (k = \(cell.k))" : (cell.estimator.method?.label(k: cell.k) ?? "auto (k = \(cell.k))")
    }

    static func rowMismatch(xName: String, xRows: Int, yName: String, yRows: Int) -> ParameterError {
        ParameterError("y", "`\(xName)` has \(xRows) rows but `\(yName)` has \(yRows): x and y must be paired observations, one per row")
    }

    static func tooFewRows(_ estimator: String, needed: Int, xName: String, have: Int) -> ParameterError {
        ParameterError("k", "\(estimator) needs at least \(needed) rows (its minimum in each half of the half-sampling interval; KSG's is k + 1); `\(xName)` has \(have)")
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
                throw rowMismatch(xName: xName, xRows: a, yName: yName, yRows: b)
            case .tooFewRows(let needed, let have, let e):
                throw tooFewRows(e, needed: needed, xName: xName, have: have)
            case .nonFinite(let v, let r, let c):
                throw ParameterError(v == "x" ? "x" : "y", "`\(v == "x" ? xName : yName)` has a NaN or infinite value at row \(r + 1), column \(c + 1)")
            case .constantColumn(let v, let c):
                if labelsOnly && v == "y" { throw ParameterError("y", "every row of `\(xName)` has the same label: I = 0 and nothing to estimate") }
                throw constantColumn(c, of: v == "x" ? xName : yName, parameter: v == "x" ? "x" : "y")
            default:
                throw ParameterError("x", error.description)
            }
        }
    }

    static func package(_ chosen: CheckedMutualInformation, candidates: [CheckedMutualInformation], rule: String,
                        xName: String, yName: String) throws -> CellResult {
        let e = chosen.estimate
        let order = ["lower", "upper", "halfMean", "quarterMean", "spread", "drift", "remaining", "extrapolated", "driftRatio", "null", "nullLower", "nullUpper", "reliable", "n"]
        let details = order.compactMap { key in e.details[key].map { EstimateValue.Detail(key, $0) } }
            .filter { $0.name != "lower" && $0.name != "upper" }
        func f(_ v: Double?) -> String { v.map { formatNumber($0) } ?? "–" }
        // A one-sided interval stores no upper end (run.json holds numbers, not +∞).
        let ends: [EstimateValue.Detail] = [.init("lower", e.lower ?? .nan)] + (e.upper.map { [.init("upper", $0)] } ?? [])
        let main = EstimateValue(name: "I(\(xName); \(yName)) by \(e.estimator)", value: e.value, unit: "nats",
                                 details: ends + details + (chosen.oneSided == nil ? [] : [.init("oneSided", 1)]))
        func interval(_ c: CheckedMutualInformation) -> String {
            c.oneSided == nil ? "[\(f(c.estimate.lower)), \(f(c.estimate.upper))]" : "≥ \(f(c.estimate.lower)) (lower bound only)"
        }
        let rows = candidates.map { c -> [String] in
            [c.estimate.estimator, f(c.estimate.value), interval(c),
             "\(f(c.quarterMean)) → \(f(c.halfMean)) → \(f(c.estimate.value))" + (c.estimate.details["extrapolated"].map { " (→ ∞: \(f($0)))" } ?? ""),
             c.null.map { "\(formatNumber($0)) [\(f(c.nullLower)), \(f(c.nullUpper))]" } ?? "–",
             (c.isReliable ? "consistent" : "unreliable: " + c.problems.joined(separator: "; ")) + (c.oneSided.map { "; " + $0 } ?? "")]
        }
        let table = Table(title: "Estimators run", columns: ["estimator", "I (nats)", "interval", "n/4 → n/2 → n", "permuted-y null", "check"], rows: rows)
        var outputs: [OutputItem] = []
        if chosen.isReliable {
            outputs.append(.metric(Metric("I(\(xName); \(yName))", e.value, unit: "nats",
                                          note: "\(e.estimator); interval \(interval(chosen)) (half-sampling, 95 % with Student's t for the splits, extended by the bias extrapolated from n/4 → n/2 → n)")))
        } else {
            outputs.append(.warning("Unreliable: I(\(xName); \(yName)) by \(e.estimator) read \(formatNumber(e.value)) nats \(interval(chosen)), but "
                + chosen.problems.joined(separator: "; ") + ". Do not read it as the information."))
        }
        outputs.append(.note("Rule: \(rule)."))
        outputs.append(.table(table))
        return CellResult(values: ["": main, "estimators": table], outputs: outputs)
    }
}
