/// Human-readable descriptions of the directives, from their declarations (so the
/// catalogue can never drift from what validation accepts).
public enum DirectiveCatalogue {
    /// One line per directive.
    public static func overview(of all: [any Directive.Type]) -> String {
        let width = (all.map { $0.name.count }.max() ?? 0) + 2
        let lines = all.map { d -> String in
            let n = "{\(d.name)}"
            return "  " + n + String(repeating: " ", count: max(1, width - n.count + 2)) + d.summary
        }
        return (["Directives (entropybook directives NAME for parameters):"] + lines + [
            "",
            "Every directive also takes:",
        ] + Validator.commonParameters.map { "  \($0.name): \($0.doc)" } + [
        ]).joined(separator: "\n")
    }

    /// A directive's parameters and results in full.
    public static func describe(_ d: any Directive.Type) -> String {
        var out = ["{\(d.name)} — \(d.summary)", "", "Parameters:"]
        let parameters: [Parameter] = d.parameters
        out += describe(parameters, indent: "  ")
        out.append("  (and the common keys: " + Validator.commonParameters.map(\.name).joined(separator: ", ") + ")")
        let results: [ResultSlot] = d.results
        if !results.isEmpty {
            out += ["", "Results (with `id: x`):"]
            for r in results {
                let id = r.suffix.map { "x.\($0)" } ?? "x"
                out.append("  " + id + " — \(r.kind): \(r.doc)")
                // The fields prose quotes, from the record's declaration.
                for f in r.kind.declaration?.fields ?? [] where f.inline {
                    let named = r.kind.declaration?.namedListFields.contains(f.inlinePath) == true ? ".NAME" : ""
                    let isDefault = r.kind.declaration?.defaultField == f.name
                    out.append("      {=\(id)\(isDefault ? "" : "." + f.inlinePath + named)} — \(f.doc)" + (f.unit.map { " (\($0))" } ?? ""))
                }
            }
        }
        return out.joined(separator: "\n")
    }

    static func describe(_ parameters: [Parameter], indent: String) -> [String] {
        var out = [String]()
        for p in parameters {
            var line = indent + p.name + ": " + p.type.display
            if p.required { line += " (required)" }
            if let d = p.defaultValue { line += " = " + display(d) }
            out.append(line)
            out.append(indent + "    " + p.doc)
            if case .object(let nested) = p.type { out += describe(nested, indent: indent + "    ") }
        }
        return out
    }

    static func display(_ v: ParameterValue) -> String {
        switch v {
        case .int(let i): String(i)
        case .double(let d): formatNumber(d)
        case .bool(let b): String(b)
        case .string(let s): s
        case .reference(let r): r
        case .list(let l): "[" + l.map(display).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.sorted { $0.key < $1.key }.map { "\($0.key): \(display($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
