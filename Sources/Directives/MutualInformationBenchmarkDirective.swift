import Datasets
import Foundation
import Linalg
import MutualInformation
import Notebook
import Plot

/// `{mi-benchmark}` — the estimators of I(X;Y) on the 40 tasks of Czyż et al., "Beyond
/// Normal: On the Evaluation of Mutual Information Estimators" (NeurIPS 2023), generated
/// natively (`MutualInformationTasks`): per task the truth and each estimator's mean and
/// spread over seeds, MAE per estimator and per family, interval coverage, the permuted-y
/// null, and an estimate-vs-truth figure. An adapter over `MutualInformationBenchmark`.
public enum MutualInformationBenchmarkDirective: Directive {
    public static let name = "mi-benchmark"
    public static let summary = "Mutual-information estimators on the 40 benchmark tasks of Czyż et al. (2023) with known I: MAE per estimator and family, interval coverage, null checks, estimate vs truth"

    /// The names of the `auto` estimate's details that readers look up (the README's
    /// block): declared once, here.
    public enum AutoDetail {
        /// The share of (task, seed) cases whose interval covers the truth.
        public static let coverage = "coverage"
        /// The share of cases with a two-sided interval.
        public static let claimed = "claimed"
    }

    /// The tasks of quick mode: one per family, and the hard cases of each kind.
    static let quickTasks = ["1v1-normal-0.75", "1v1-additive-0.1", "student-identity-2-2-1",
                             "multinormal-dense-5-5-0.5", "spiral-multinormal-sparse-3-3-2-2.0"]
    static let quickRows = 500

    /// A benchmark task by its bmi id: the words are the ids of the library's task list
    /// (`MutualInformationTasks.benchmark`), so `check` rejects any other at its line.
    struct TaskName: ParameterWords, Sendable, Hashable {
        let rawValue: String
        init?(rawValue: String) {
            guard MutualInformationTasks.task(id: rawValue) != nil else { return nil }
            self.rawValue = rawValue
        }
        private init(listed id: String) { rawValue = id }
        static var allCases: [TaskName] { MutualInformationTasks.benchmark.map { TaskName(listed: $0.id) } }
        /// The library's task.
        var task: MutualInformationTask? { MutualInformationTasks.task(id: rawValue) }
    }

    /// The estimator words: `auto` and every one of the library's methods
    /// (`MutualInformationMethod`; `WordParameterTests` checks none is missing).
    enum EstimatorName: String, CaseIterable, Decodable, Sendable, ParameterWords {
        case auto, ksg, ksg2 = "ksg-2", ksgCopula = "ksg-copula", gaussian, gaussianCopula = "gaussian-copula", kde, infoNCE = "infonce", nwj, compressed

        /// The library's estimator the word names.
        var estimator: MutualInformationBenchmark.Estimator {
            switch self {
            case .auto: .auto
            case .ksg: .method(.ksg)
            case .ksg2: .method(.ksg2)
            case .ksgCopula: .method(.ksgCopula)
            case .gaussian: .method(.gaussian)
            case .gaussianCopula: .method(.gaussianCopula)
            case .kde: .method(.kde)
            case .infoNCE: .method(.infoNCE)
            case .nwj: .method(.nwj)
            case .compressed: .method(.compressed)
            }
        }
    }

    /// The cell's parameters, declared once. `estimators` and `tasks` take the words of the
    /// library's benchmark (the estimator words, the task ids).
    struct Settings: ParameterSettings {
        @Param("rows per task and seed (quick mode: \(MutualInformationBenchmarkDirective.quickRows))", 50...100_000) var n = 5_000
        @Param("samples per task (quick mode: 1)", 1...50) var seeds = 3
        @Param("auto and any of " + MutualInformationMethod.allCases.map(\.rawValue).joined(separator: ", ")
               + " (default without ksg-copula and ksg-2: auto runs KSG on normal scores itself where it may choose it, and each costs as much as ksg)")
        var estimators: [EstimatorName] = [.auto, .ksg, .gaussian, .gaussianCopula, .kde]
        @Param("bmi task ids (default: all 40; quick mode: \(MutualInformationBenchmarkDirective.quickTasks.count) of them)")
        var tasks: [TaskName]?
        @Param("neighbours of the KSG estimators", 1...100) var k = 3
        @Param("random half splits per interval", 1...50) var splits = 5
        @Param("the KDE plug-in uses the first this many rows (three O(n²) bandwidth searches per estimate)", 50...100_000) var kdeRows = 1_000
    }

    public static let parameters = Settings.parameters

    public static let results: [ResultSlot] = [
        ResultSlot(kind: .table, doc: "per estimator: MAE, MAE of the per-task means, coverage, null coverage, unreliable share, seconds"),
        ResultSlot("tasks", kind: .table, doc: "per task: truth and each estimator's mean ± sd over seeds"),
        ResultSlot("families", kind: .table, doc: "MAE per family and estimator"),
        ResultSlot("published", kind: .table, doc: "the published numbers quoted beside the measured ones, with their sources"),
        ResultSlot("auto", kind: .estimate, doc: "auto's MAE over the tasks, nats; details: coverage, nullCoverage, unreliable, tasks, seeds, n"),
    ]

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let quick = context.settings.quick
        let chosen = chosenTasks(cell, quick: quick)
        let n = quick ? min(cell.n, quickRows) : cell.n
        let seeds = Array(0..<(quick ? 1 : cell.seeds))
        let estimators = cell.estimators.map(\.estimator)
        let tasks = chosen.map { t in
            MutualInformationBenchmark.Task(id: t.id, family: t.family, truth: t.mutualInformation) { rows, g in t.sample(rows, using: &g) }
        }
        let kdeRows = cell.kdeRows
        let records = try MutualInformationBenchmark.run(
            tasks: tasks, n: n, seeds: seeds, root: context.seed, estimators: estimators, k: cell.k,
            options: ReliabilityOptions(splits: cell.splits, nullSplits: 3), threads: context.settings.threads,
            rowsFor: { $0 == .method(.kde) ? kdeRows : nil },
            progress: { done, total in context.progress(Double(done) / Double(max(1, total)), "\(done)/\(total) estimates") })
        return try package(records, tasks: chosen, estimators: estimators.map(\.word), n: n, seeds: seeds.count, kdeRows: kdeRows, quick: quick)
    }

    /// The cell's tasks: those it names, else all 40 (quick mode: `quickTasks`).
    static func chosenTasks(_ cell: Settings, quick: Bool) -> [MutualInformationTask] {
        let ids = cell.tasks.map { $0.map(\.rawValue) } ?? (quick ? quickTasks : MutualInformationTasks.benchmark.map(\.id))
        return ids.compactMap { MutualInformationTasks.task(id: $0) }
    }

    static func package(_ records: [MutualInformationBenchmark.Record], tasks: [MutualInformationTask], estimators: [String],
                        n: Int, seeds: Int, kdeRows: Int, quick: Bool) throws -> CellResult {
        func f(_ v: Double) -> String { v.isFinite ? String(format: "%.3f", v) : "–" }
        func pct(_ v: Double) -> String { v.isFinite ? String(format: "%.0f %%", 100 * v) : "–" }
        let summaries = estimators.map { MutualInformationBenchmark.summarize(records, estimator: $0) }
        let summary = Table(title: "Mutual-information estimators on \(tasks.count) tasks × \(seeds) seeds, n = \(n)",
                            columns: ["estimator", "MAE (nats)", "MAE of task means", "interval covers I", "two-sided", "two-sided covers I",
                                      "null interval covers 0", "flagged unreliable", "failed", "seconds"],
                            rows: summaries.map { s in
                                [s.estimator, f(s.meanAbsoluteError), f(s.meanAbsoluteErrorOfMeans), pct(s.coverage), pct(s.twoSided), pct(s.twoSidedCoverage),
                                 pct(s.nullCoverage),
                                 pct(s.unreliable), "\(s.failures)/\(s.count)", String(format: "%.0f", s.seconds)]
                            })
        var taskRows = [[String]]()
        var figureX = [Double](), figureY = [Double](), figureLabels = [String]()
        for t in tasks {
            var row = [t.id, t.family, f(t.mutualInformation)]
            for e in estimators {
                let values = records.filter { $0.task == t.id && $0.estimator == e && $0.failure == nil && $0.value.isFinite }.map(\.value)
                guard !values.isEmpty else { row.append("failed"); continue }
                let mean = values.reduce(0, +) / Double(values.count)
                let sd = values.count > 1 ? (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot() : 0
                let flagged = records.contains { $0.task == t.id && $0.estimator == e && !$0.reliable }
                row.append("\(f(mean)) ± \(f(sd))" + (flagged ? " ⚠" : ""))
                figureX.append(t.mutualInformation); figureY.append(mean); figureLabels.append(e)
            }
            taskRows.append(row)
        }
        let taskTable = Table(title: "Per task: truth and each estimator's mean ± sd over \(seeds) seeds (nats; ⚠ = flagged unreliable at some seed)",
                              columns: ["task", "family", "truth"] + estimators, rows: taskRows)
        let families = Array(Set(tasks.map(\.family))).sorted { a, b in
            (familyOrder.firstIndex(of: a) ?? 99) < (familyOrder.firstIndex(of: b) ?? 99)
        }
        let familyTable = Table(title: "MAE per family (nats)", columns: ["family", "tasks"] + estimators, rows: families.map { family in
            [family, "\(tasks.filter { $0.family == family }.count)"]
                + estimators.map { f(MutualInformationBenchmark.summarize(records.filter { $0.family == family }, estimator: $0).meanAbsoluteError) }
        })
        var outputs: [OutputItem] = [.table(summary), .table(familyTable)]
        outputs.append(.table(publishedTable))
        let chart = try ScatterChart(title: "Estimate (mean over seeds) against the true I", xLabel: "true I(X;Y), nats", yLabel: "estimate, nats",
                                     x: figureX, y: figureY, labels: figureLabels, referenceLines: [.identity(label: "truth (y = x)")])
        outputs.append(.figure(try Figure(name: "mi-benchmark", caption: "Each estimator's mean estimate per task against the truth; the dashed diagonal is y = x, where an exact estimate lies.", chart: chart)))
        outputs.append(.table(taskTable))
        outputs.append(.note("MAE: mean over (task, seed) of |Î − I|; MAE of task means: mean over tasks of |mean over seeds of Î − I|. "
            + "Intervals: half-sampling (2 halves per split), 95 % with Student's t for the splits, extended by the bias extrapolated from n/4 → n/2 → n; "
            + "KSG in d_x + d_y ≥ \(MutualInformationReliability.lowerBoundDimension) dimensions claims only the lower end (a one-sided interval covers I when I ≥ it); the null is the same estimator on y with permuted rows. "
            + "The KDE plug-in uses the first \(min(n, kdeRows)) rows." + (quick ? " Quick mode: \(tasks.count) tasks, n = \(n), 1 seed." : "")))
        var values: [String: any NotebookValue] = ["": summary, "tasks": taskTable, "families": familyTable, "published": publishedTable]
        if let auto = summaries.first(where: { $0.estimator == "auto" }) {
            values["auto"] = EstimateValue(name: "MAE of auto", value: auto.meanAbsoluteError, unit: "nats", details: [
                .init(AutoDetail.coverage, auto.coverage), .init(AutoDetail.claimed, auto.twoSided), .init("twoSidedCoverage", auto.twoSidedCoverage),
                .init("nullCoverage", auto.nullCoverage), .init("unreliable", auto.unreliable),
                .init("maeOfMeans", auto.meanAbsoluteErrorOfMeans), .init("tasks", Double(tasks.count)), .init("seeds", Double(seeds)), .init("n", Double(n)),
            ])
        }
        return CellResult(values: values, outputs: outputs)
    }

    static let familyOrder = ["1×1", "embedding", "multinormal", "Student-t", "transformed"]

    /// The published numbers quoted in issue 26, with their sources as the issue gives them.
    static let publishedTable = Table(title: "Published numbers (as quoted in issue 26)", columns: ["estimator", "MAE (nats)", "setting", "source"], rows: [
        ["MINDE", "0.070", "40 tasks, n = 5 000", "a 2025 summary of the Czyż et al. (2023) suite"],
        ["InfoNCE", "0.123", "40 tasks, n = 5 000", "same"],
        ["Donsker–Varadhan", "0.279", "40 tasks, n = 5 000", "same"],
        ["CCA (best non-neural)", "0.195", "40 tasks, n = 1 000", "same"],
        ["KSG (relative error)", "0.18 / 0.81 / 0.97", "correlated normal, 2 nats per dim, d = 4 / 16 / 64", "Butakov et al., `mutinfo` tables"],
    ])
}
