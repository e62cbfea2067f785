import EntropyCurve
import Foundation
import Notebook

/// `{claim}` — evaluates one of the talk's conclusions from computed results and marks it
/// confirmed, partly confirmed or not confirmed, with the evidence. Conclusions are never
/// typed by hand: the verdict comes from the numbers of earlier cells.
public enum ClaimDirective: Directive {
    public static let name = "claim"
    public static let summary = "evaluate a conclusion from earlier results: confirmed / partly / not confirmed, with the evidence"
    static let tests = ["kink", "kink-near-truth", "growth-after-plateau", "corrdim-continuous", "corrdim-saturates"]
        + InformationPlaneClaims.tests

    public static let parameters: [Parameter] = [
        Parameter("statement", .string, required: true, doc: "the claim as the talk states it"),
        Parameter("test", .choice(tests), required: true, doc: """
            kink / kink-near-truth: ids of {entropy-curve} results (their `.dimension`); growth-after-plateau: one \
            {entropy-curve} id; corrdim-continuous: an {entropy-curve} id run with corrdim: true; corrdim-saturates: \
            that id and an estimate of the images' correlation dimension
            """),
        Parameter("of", .referenceList([]), required: true, doc: "the results the test reads"),
    ]
    public static var results: [ResultSlot] { [ResultSlot(kind: .table, doc: "one row: claim, status, evidence")] }

    /// The cell's arguments, typed.
    struct Settings: Decodable {
        var statement: String
        var test: String
        var of: [ResultID]
    }

    public static func run(_ arguments: Arguments, context: CellContext) throws -> CellResult {
        let cell = try arguments.decode(Settings.self)
        let statement = cell.statement
        let ids = cell.of.map(\.id)
        if let result = try InformationPlaneClaims.run(test: cell.test, statement: statement, ids: ids, context: context) {
            return result
        }
        func value<T: NotebookValue>(_ id: String, _ type: T.Type) throws -> T {
            guard let v = context.value(id: id) else { throw ParameterError("of", "no result named `\(id)`") }
            guard let t = v as? T else { throw ParameterError("of", "`\(id)` is \(withArticle(Swift.type(of: v).kind.name)), not \(withArticle(T.kind.name))") }
            return t
        }
        func verdict(_ id: String) throws -> Conclusions.Verdict {
            let e = try value(id.hasSuffix(".dimension") ? id : id + ".dimension", EstimateValue.self)
            func detail(_ name: String) -> Int? {
                e.details.first { $0.name == name }.flatMap { $0.value.isFinite ? Int($0.value) : nil }
            }
            let label = (context.value(id: id.replacingOccurrences(of: ".dimension", with: "")) as? CurveValue)?
                .title.components(separatedBy: " — ").last ?? id
            return Conclusions.Verdict(label: label, dimension: e.value.isFinite ? Int(e.value) : nil,
                                       trueDimension: detail("true dimension"), candidate: detail("candidate"))
        }
        func curve(_ id: String, suffix: String) throws -> (d: [Int], y: [Double]) {
            let c = try value(id.hasSuffix(suffix) ? id : id + suffix, CurveValue.self)
            guard let s = c.series.first else { throw ParameterError("of", "`\(id)` has no series") }
            return (s.x.map { Int($0) }, s.y)
        }

        let finding: Conclusions.Finding
        switch cell.test {
        case "kink":
            finding = Conclusions.hasKink(try ids.map(verdict))
        case "kink-near-truth":
            finding = Conclusions.kinkNearTruth(try ids.map(verdict))
        case "growth-after-plateau":
            guard let id = ids.first else { throw ParameterError("of", "name one {entropy-curve} result") }
            let (d, h) = try curve(id, suffix: "")
            let v = try verdict(id)
            finding = Conclusions.growthAfterPlateau(d: d, h: h, bend: v.dimension ?? v.candidate)
        case "corrdim-continuous":
            guard let id = ids.first else { throw ParameterError("of", "name one {entropy-curve} result run with corrdim: true") }
            let (d, c) = try curve(id, suffix: ".corrdim")
            finding = Conclusions.changesContinuously(d: d, corrdim: c)
        default: // corrdim-saturates
            guard ids.count == 2 else { throw ParameterError("of", "name an {entropy-curve} result (corrdim: true) and the images' correlation dimension estimate") }
            let (d, c) = try curve(ids[0], suffix: ".corrdim")
            let reference = try value(ids[1], EstimateValue.self)
            let other = reference.details.first { $0.name == "other scaling region" }?.value
            finding = Conclusions.saturatesAt(d: d, corrdim: c, reference: reference.value, alternative: other)
        }
        let table = Table(title: nil, columns: ["claim", "status", "evidence"], rows: [[statement, finding.status.rawValue, finding.evidence]])
        let mark = finding.status == .confirmed ? "✔ Confirmed" : finding.status == .partly ? "◐ Partly confirmed" : "✘ Not confirmed"
        let line = "\(mark) — “\(statement)”. \(finding.evidence)."
        return CellResult(values: ["": table], outputs: [finding.status == .confirmed ? .text(line) : .warning(line)])
    }
}
