import EntropyCurve
import Foundation
import Notebook

/// `{claim}` — evaluates one of the talk's conclusions from computed results and marks it
/// confirmed, partly confirmed or not confirmed, with its rule, thresholds and the numbers
/// compared. Conclusions are never typed by hand, and never read from text: the test reads
/// the typed verdicts (`id.verdict`) and estimates of earlier cells.
public enum ClaimDirective: Directive {
    public static let name = "claim"
    public static let summary = "evaluate a conclusion from earlier results: confirmed / partly / not confirmed, with its rule and numbers"
    /// The tests a claim can apply; the words of `test`.
    enum Test: String, CaseIterable, Decodable, ParameterWords {
        case kink
        case kinkNearTruth = "kink-near-truth"
        case growthAfterPlateau = "growth-after-plateau"
        case corrdimContinuous = "corrdim-continuous"
        case corrdimSaturates = "corrdim-saturates"
        // On an {information-plane} result (`InformationPlaneClaims.Test`).
        case fittingPhase = "fitting-phase"
        case compressionPhase = "compression-phase"
        case compressionClusters = "compression-clusters"
        case stable
    }

    public static let parameters = Settings.parameters
    public static var results: [ResultSlot] {
        [ResultSlot(kind: .table, doc: "one row: claim, status, evidence, rule"),
         ResultSlot("outcome", kind: ClaimValue.kind, doc: "the outcome with its rule, thresholds and the numbers compared")]
    }

    /// The cell's parameters, declared once.
    struct Settings: ParameterSettings {
        @Param("the claim as the talk states it") var statement: String
        @Param("""
            kink / kink-near-truth / growth-after-plateau: ids of {entropy-curve} results; corrdim-continuous: an \
            {entropy-curve} id run with corrdim: true; corrdim-saturates: that id and an estimate of the images' \
            correlation dimension (its `.other-region`, when stored, is the second scaling region); fitting-phase / \
            compression-phase / compression-clusters: an {information-plane} id; stable: a reference {information-plane} \
            id, then its controls
            """) var test: Test
        @Param("the results the test reads", kinds: []) var of: [ResultID]
        var ids: [String] { of.map(\.id) }
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let settings = try arguments.decode(Settings.self)
        let planeTest: InformationPlaneClaims.Test? = switch settings.test {
        case .fittingPhase: .fittingPhase
        case .compressionPhase: .compressionPhase
        case .compressionClusters: .compressionClusters
        case .stable: .stable
        case .kink, .kinkNearTruth, .growthAfterPlateau, .corrdimContinuous, .corrdimSaturates: nil
        }
        if let planeTest {
            return package(try InformationPlaneClaims.judge(planeTest, statement: settings.statement, ids: settings.ids, context: context))
        }
        let finding = try evaluate(settings, context: context)
        let claim = ClaimValue(statement: settings.statement, test: settings.test.rawValue, outcome: outcome(finding.status),
                               rule: finding.rule, thresholds: finding.thresholds.map { .init($0.name, $0.value) },
                               numbers: finding.numbers.map { .init($0.name, $0.value) }, evidence: finding.evidence)
        return package(claim)
    }

    /// The claim as the cell's values (a one-row table and the typed claim) and its output.
    static func package(_ claim: ClaimValue) -> CellResult {
        let table = Table(title: nil, columns: ["claim", "status", "evidence", "rule"],
                          cells: [[.text(claim.statement), .verdict(claim.outcome.rawValue), .text(claim.evidence), .text(claim.rule)]])
        return CellResult(values: ["": table, "outcome": claim], outputs: [.claim(claim)])
    }

    static func outcome(_ status: Conclusions.Status) -> ClaimValue.Outcome {
        switch status {
        case .confirmed: .confirmed
        case .partly: .partly
        case .notConfirmed: .notConfirmed
        }
    }

    static func evaluate(_ settings: Settings, context: CellContext) throws -> Conclusions.Finding {
        let ids = settings.ids
        func value<T: NotebookValue>(_ id: String, _ type: T.Type) throws -> T {
            guard let v = context.value(id: id) else { throw ParameterError("of", "no result named `\(id)`") }
            guard let t = v as? T else { throw ParameterError("of", "`\(id)` is \(withArticle(Swift.type(of: v).kind.name)), not \(withArticle(T.kind.name))") }
            return t
        }
        func verdict(_ id: String) throws -> DimensionVerdictValue {
            try value(id.hasSuffix(".verdict") ? id : id + ".verdict", DimensionVerdictValue.self)
        }
        func conclusionVerdict(_ v: DimensionVerdictValue) -> Conclusions.Verdict {
            Conclusions.Verdict(label: v.label, dimension: v.dimension, trueDimension: v.trueDimension, candidate: v.candidate)
        }
        func corrdim(_ id: String) throws -> (DimensionVerdictValue, [Double]) {
            let v = try verdict(id)
            guard let c = v.correlationDimension else { throw ParameterError("of", "`\(id)` was run without `corrdim: true`") }
            return (v, c)
        }
        guard let first = ids.first else { throw ParameterError("of", "name at least one result") }
        switch settings.test {
        case .kink:
            return Conclusions.hasKink(try ids.map { conclusionVerdict(try verdict($0)) })
        case .kinkNearTruth:
            return Conclusions.kinkNearTruth(try ids.map { conclusionVerdict(try verdict($0)) })
        case .growthAfterPlateau:
            return Conclusions.growthAfterPlateau(try ids.map { id in
                let v = try verdict(id)
                return Conclusions.Curve(label: v.label, d: v.d, entropy: v.entropy, whitenedEntropy: v.whitenedEntropy,
                                         bend: v.dimension ?? v.candidate)
            })
        case .corrdimContinuous:
            let (v, c) = try corrdim(first)
            return Conclusions.changesContinuously(d: v.d, corrdim: c, seeds: v.seeds)
        case .corrdimSaturates:
            guard ids.count == 2 else { throw ParameterError("of", "name an {entropy-curve} result (corrdim: true) and the images' correlation dimension estimate") }
            let (v, c) = try corrdim(ids[0])
            let reference = try value(ids[1], EstimateValue.self)
            let other = context.value(id: ids[1] + "." + CorrdimDirective.otherRegionSlot) as? EstimateValue
            return Conclusions.saturatesAt(d: v.d, corrdim: c, reference: reference.value, alternative: other?.value)
        case .fittingPhase, .compressionPhase, .compressionClusters, .stable:
            throw ParameterError("test", "`\(settings.test.rawValue)` reads an {information-plane} result")
        }
    }
}
