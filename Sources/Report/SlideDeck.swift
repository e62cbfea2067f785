import Foundation
import Mustache
import Notebook

/// The run as a 16:9 deck (slides.html beside index.html): a title slide, one slide per
/// figure — its slide-size PNG, caption, the verdict its cell reached and the cell it came
/// from — and a closing slide with every verdict of the notebook. Self-contained like the
/// report (PNGs inlined, no request) and without script: CSS scroll snapping turns the
/// page keys, arrow keys and swipes into slide-by-slide steps.
struct SlideDeck {
    var template: MustacheTemplate
    var css: String

    /// One figure's slide.
    struct Slide {
        var number: Int
        var figure: Figure
        var cell: CellRecord
        var verdicts: [[String: Any]]
    }

    func render(_ input: ReportInput) -> String {
        let slides = Self.slides(input.records)
        let m = input.manifest
        let conclusions = input.records.sorted { $0.cell.index < $1.cell.index }.flatMap(Self.verdicts)
        let context: [String: Any] = presentOnly([
            "title": input.plan.document.title,
            "author": input.plan.document.frontMatter.author ?? "",
            "css": css,
            "notebook": m.notebook,
            "started": iso(m.started),
            "program": "\(m.program) \(m.version)",
            "figureCount": slides.count,
            "slides": slides.map(slideContext),
            "conclusions": conclusions,
            "hasConclusions": !conclusions.isEmpty,
        ])
        return template.render(context)
    }

    /// Every figure of the run in report order, numbered as in the report.
    static func slides(_ records: [CellRecord]) -> [Slide] {
        var slides = [Slide]()
        for record in records.sorted(by: { $0.cell.index < $1.cell.index }) {
            let verdicts = verdicts(of: record)
            for case .figure(let figure) in record.outputs {
                slides.append(Slide(number: slides.count + 1, figure: figure, cell: record, verdicts: verdicts))
            }
        }
        return slides
    }

    /// The claims a cell judged ("◐ Partly confirmed — …"), styled by their typed outcome.
    static func verdicts(of record: CellRecord) -> [[String: Any]] {
        record.outputs.compactMap { item -> [String: Any]? in
            switch item {
            case .claim(let claim):
                return ["kind": Typesetting.Verdict(claim.outcome).rawValue, "mark": "\(claim.outcome.mark) \(claim.outcome.title)",
                        "rest": " — " + claim.sentence]
            default: return nil
            }
        }
    }

    private func slideContext(_ slide: Slide) -> [String: Any] {
        let cell = slide.cell.cell
        var context: [String: Any] = presentOnly([
            "number": slide.number,
            "anchor": "slide-\(slide.number)",
            "png": Data(slide.figure.slidePNG).base64EncodedString(),
            "file": "figures/\(fileStem("\(slide.cell.cell.label)-\(slide.figure.name)")).png",
            "caption": slide.figure.caption,
            "verdicts": slide.verdicts,
            "directive": cell.directive.name,
            "label": cell.id ?? "",
            "location": cell.cell.location.description,
            "source": "```{\(cell.cell.name)}\n" + cell.cell.body + "```",
        ])
        if let (w, h) = Typesetting.pngSize(slide.figure.slidePNG) {
            context["size"] = ["width": w, "height": h] as [String: Any]
        }
        return context
    }
}
