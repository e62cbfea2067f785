import Foundation
import Yams

/// Reads one directive cell's YAML body into typed `Arguments`, collecting a diagnostic
/// (with the notebook line of the offending key) for every problem.
struct BodyReader {
    let document: Document
    let cell: Document.DirectiveCell
    let directive: any Directive.Type
    /// Notebook parameters that `${name}` in a value refers to.
    let parameters: [String: String]
    private(set) var diagnostics = [Diagnostic]()
    /// The body's lines, to find YAML tags as written.
    private let bodyLines: [Substring]
    /// Set when `${name}` substitution failed (already reported).
    private var scalarTextFailed = false

    init(document: Document, cell: Document.DirectiveCell, directive: any Directive.Type, parameters: [String: String]) {
        self.document = document
        self.cell = cell
        self.directive = directive
        self.parameters = parameters
        bodyLines = cell.body.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The arguments, or nil when the body is not a YAML mapping at all.
    mutating func read() -> Arguments? {
        let root: Node?
        do {
            root = try YAMLGuard.compose(cell.body)
        } catch let refusal as YAMLGuard.Refusal {
            let line = cell.bodyFirstLine + refusal.line - 1
            diagnostics.append(Diagnostic(at: SourceLocation(file: document.file, line: line, column: refusal.column),
                                          directive: directive.name, "the body of {\(directive.name)}: \(refusal.message)",
                                          sourceLine: document.line(line)))
            return nil
        } catch {
            let mark = yamlMark(error)
            let line = cell.bodyFirstLine + (mark?.line ?? 1) - 1
            diagnostics.append(Diagnostic(at: SourceLocation(file: document.file, line: line, column: mark?.column ?? 1),
                                          directive: directive.name, "the body of {\(directive.name)} is not valid YAML: \(yamlMessage(error))",
                                          sourceLine: document.line(line)))
            return nil
        }
        var arguments = Arguments(values: [:])
        let parameters = Validator.commonParameters + directive.parameters
        guard let root else {
            fillDefaults(parameters, into: &arguments.values, prefix: "", owner: "{\(directive.name)}", at: cell.location)
            return arguments
        }
        guard let mapping = root.mapping else {
            report(root, nil, "the body of {\(directive.name)} must be `key: value` lines")
            return nil
        }
        readMapping(mapping, parameters: parameters, into: &arguments, prefix: "", owner: "{\(directive.name)}", at: cell.location)
        return arguments
    }

    private mutating func readMapping(_ mapping: Node.Mapping, parameters: [Parameter], into arguments: inout Arguments,
                                      prefix: String, owner: String, at location: SourceLocation) {
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { report(keyNode, nil, "keys must be words"); continue }
            let path = prefix + key
            arguments.lines[path] = line(of: keyNode)
            if let tagged = firstExplicitTag(in: keyNode, lines: bodyLines) ?? firstExplicitTag(in: valueNode, lines: bodyLines) {
                report(tagged.node, path, "YAML tags such as `\(tagged.tag)` are not read; write the value plainly")
                continue
            }
            guard let parameter = parameters.first(where: { $0.name == key }) else {
                report(keyNode, path, "`\(key)` is not a parameter of \(owner)" + suggestion(for: key, among: parameters.map(\.name)))
                continue
            }
            if case .object(let nested) = parameter.type {
                guard let m = valueNode.mapping else { report(valueNode, path, "`\(path)` must be a mapping (`key: value` lines indented under it)"); continue }
                var inner = Arguments(values: [:])
                readMapping(m, parameters: nested, into: &inner, prefix: path + ".", owner: "`\(path)`",
                            at: SourceLocation(file: document.file, line: line(of: keyNode)))
                arguments.values[key] = .object(inner.values)
                arguments.lines.merge(inner.lines) { a, _ in a }
                continue
            }
            if let value = convert(valueNode, to: parameter.type, path: path) {
                arguments.values[key] = value
            }
        }
        fillDefaults(parameters, into: &arguments.values, prefix: prefix, owner: owner, at: location)
    }

    private mutating func fillDefaults(_ parameters: [Parameter], into values: inout [String: ParameterValue],
                                       prefix: String, owner: String, at location: SourceLocation) {
        for p in parameters where values[p.name] == nil {
            if let d = p.defaultValue {
                values[p.name] = d
            } else if case .object(let nested) = p.type {
                var inner = [String: ParameterValue]()
                fillDefaults(nested, into: &inner, prefix: prefix + p.name + ".", owner: "`\(prefix + p.name)`", at: location)
                values[p.name] = .object(inner)
            } else if p.required {
                diagnostics.append(Diagnostic(at: location, directive: directive.name, parameter: prefix + p.name,
                                              "\(owner) needs `\(prefix + p.name)` (\(p.type.display)): \(p.doc)",
                                              sourceLine: document.line(location.line)))
            }
        }
    }

    /// Converts a YAML node to a typed value, reporting a mismatch: a list node item by
    /// item (`convertList`), anything else from its scalar text (`convertScalar`).
    private mutating func convert(_ node: Node, to type: ParameterType, path: String) -> ParameterValue? {
        if case .scalar(let s) = node, s.string.isEmpty, s.style == .plain {
            report(node, path, "`\(path)` has no value; it takes \(type.display)")
            return nil
        }
        guard let text = scalarText(node, path: path) else {
            if scalarTextFailed { scalarTextFailed = false; return nil }
            // Sequences are fine for list types; mappings only for objects (handled earlier).
            guard case .sequence(let items) = node else { return mismatch(node, path, type.display) }
            guard items.count <= maximumListLength else {
                report(node, path, "`\(path)` holds \(items.count) items; a list may hold at most \(maximumListLength)")
                return nil
            }
            return convertList(items, of: node, to: type, path: path)
        }
        return convertScalar(text, of: node, to: type, path: path)
    }

    /// Reports that `node` is not what `path` takes; nil for the caller to return.
    private mutating func mismatch(_ node: Node, _ path: String, _ expected: String) -> ParameterValue? {
        report(node, path, "`\(path)` must be \(expected), not \(describe(node))")
        return nil
    }

    /// A YAML sequence, for the list types.
    private mutating func convertList(_ items: Node.Sequence, of node: Node, to type: ParameterType, path: String) -> ParameterValue? {
        func fail(_ expected: String) -> ParameterValue? { mismatch(node, path, expected) }
        switch type {
        case .intList(let range):
            var out = [ParameterValue]()
            for item in items {
                guard let t = scalarText(item, path: path), let v = Int(t) else { return fail("a list of integers") }
                if let range, !range.contains(v) { report(item, path, "`\(path)`: \(v) is outside \(range.lowerBound)...\(range.upperBound)"); return nil }
                out.append(.int(v))
            }
            return .list(out)
        case .doubleList(let range):
            var out = [ParameterValue]()
            for item in items {
                guard let t = scalarText(item, path: path), let v = Double(t), v.isFinite else { return fail("a list of numbers") }
                if let range, !range.contains(v) { report(item, path, "`\(path)`: \(formatNumber(v)) is outside \(formatNumber(range.lowerBound))...\(formatNumber(range.upperBound))"); return nil }
                out.append(.double(v))
            }
            return .list(out)
        case .choiceOrNumbers(let choices, let count):
            var out = [ParameterValue]()
            for item in items {
                guard let t = scalarText(item, path: path) else { return fail(type.display) }
                guard let v = Double(t), v.isFinite else { report(item, path, "`\(path)`: `\(t)` is not a number"); return nil }
                out.append(.double(v))
            }
            guard out.count == count else {
                report(node, path, "`\(path)` takes \(count) numbers, not \(out.count)"
                       + " (or one of \(choices.map { "`\($0)`" }.joined(separator: ", ")))")
                return nil
            }
            return .list(out)
        case .stringList:
            var out = [ParameterValue]()
            for item in items {
                guard let t = scalarText(item, path: path) else { return fail("a list of words") }
                out.append(.string(t))
            }
            return .list(out)
        case .wordList(let words):
            var out = [ParameterValue]()
            for item in items {
                guard let t = scalarText(item, path: path) else { return fail(type.display) }
                guard words.contains(t) else { return notAWord(item, path, t, words) }
                out.append(.string(t))
            }
            return .list(out)
        case .referenceList:
            var out = [ParameterValue]()
            for item in items {
                guard let t = scalarText(item, path: path), isValidReference(t) else { return fail("a list of ids of earlier results") }
                out.append(.reference(t))
            }
            return .list(out)
        default: return fail(type.display)
        }
    }

    /// A scalar's text, for every type (one integer is also a list of one).
    private mutating func convertScalar(_ text: String, of node: Node, to type: ParameterType, path: String) -> ParameterValue? {
        func fail(_ expected: String) -> ParameterValue? { mismatch(node, path, expected) }
        switch type {
        case .int(let range):
            guard let v = Int(text) ?? exactInteger(text) else { return fail("an integer") }
            if let range, !range.contains(v) { return outOfRange(node, path, text, "\(range.lowerBound)...\(range.upperBound)") }
            return .int(v)
        case .double(let range):
            guard let v = Double(text), v.isFinite else { return fail("a number") }
            if let range, !range.contains(v) { return outOfRange(node, path, text, "\(formatNumber(range.lowerBound))...\(formatNumber(range.upperBound))") }
            return .double(v)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on": return .bool(true)
            case "false", "no", "off": return .bool(false)
            default: return fail("true or false")
            }
        case .string, .path:
            return .string(text)
        case .choice(let choices):
            guard choices.contains(text) else {
                report(node, path, "`\(path)` must be one of \(choices.map { "`\($0)`" }.joined(separator: ", ")), not `\(text)`" + suggestion(for: text, among: choices))
                return nil
            }
            return .string(text)
        case .choiceOrNumber(let choices, let range):
            if choices.contains(text) { return .string(text) }
            if let v = Double(text), v.isFinite {
                if let range, !range.contains(v) { return outOfRange(node, path, text, "\(formatNumber(range.lowerBound))...\(formatNumber(range.upperBound))") }
                return .double(v)
            }
            report(node, path, "`\(path)` must be one of \(choices.map { "`\($0)`" }.joined(separator: ", ")) or a number, not `\(text)`" + suggestion(for: text, among: choices))
            return nil
        case .choiceOrNumbers(let choices, _):
            guard choices.contains(text) else {
                report(node, path, "`\(path)` must be \(type.display), not `\(text)`" + suggestion(for: text, among: choices))
                return nil
            }
            return .string(text)
        case .intList(let range):
            switch parseIntList(text, within: range) {
            case .success(let values): return .list(values.map(ParameterValue.int))
            case .failure(.malformed): return fail("a list of integers such as [1, 2, 4] or a range such as 1...16")
            case .failure(.outside(let bad)): return outOfRange(node, path, bad, "\(range.map { "\($0.lowerBound)...\($0.upperBound)" } ?? "")")
            case .failure(.tooMany(let count)):
                report(node, path, "`\(path)` would hold \(count) integers; a list may hold at most \(maximumListLength)")
                return nil
            }
        case .doubleList(let range):
            guard let v = Double(text), v.isFinite else { return fail("a list of numbers") }
            if let range, !range.contains(v) { return outOfRange(node, path, text, "\(formatNumber(range.lowerBound))...\(formatNumber(range.upperBound))") }
            return .list([.double(v)])
        case .stringList:
            return .list([.string(text)])
        case .wordList(let words):
            guard words.contains(text) else { return notAWord(node, path, text, words) }
            return .list([.string(text)])
        case .reference:
            guard isValidReference(text) else { return fail("the id of an earlier result") }
            return .reference(text)
        case .referenceOrWord(_, let words):
            if words.contains(text) { return .string(text) }
            guard isValidReference(text) else { return fail(type.display) }
            return .reference(text)
        case .referenceList:
            let ids = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !ids.isEmpty, ids.allSatisfy(isValidReference) else { return fail("a list of ids of earlier results") }
            return .list(ids.map(ParameterValue.reference))
        case .object:
            return fail("a mapping")
        }
    }

    private mutating func notAWord(_ node: Node, _ path: String, _ text: String, _ words: [String]) -> ParameterValue? {
        report(node, path, "`\(path)`: `\(text)` is not one of \(words.map { "`\($0)`" }.joined(separator: ", "))" + suggestion(for: text, among: words))
        return nil
    }

    private mutating func outOfRange(_ node: Node, _ path: String, _ text: String, _ range: String) -> ParameterValue? {
        report(node, path, "`\(path)` is \(text), outside the allowed range \(range)")
        return nil
    }

    /// The node's scalar text with `${name}` parameters substituted; nil for non-scalars.
    /// One pass from left to right: a substituted value is never scanned again, so a
    /// parameter whose value is `${n}` cannot loop.
    private mutating func scalarText(_ node: Node, path: String) -> String? {
        guard case .scalar(let s) = node else { return nil }
        switch substituteParameters(in: s.string, parameters) {
        case .success(let text): return text
        case .failure(let missing):
            scalarTextFailed = true
            report(node, path, "`${\(missing.name)}` is not a notebook parameter" + suggestion(for: missing.name, among: parameters.keys.sorted())
                   + (parameters.isEmpty ? " (declare it under `params:` in the front matter)" : ""))
            return nil
        }
    }

    private func exactInteger(_ text: String) -> Int? {
        guard let d = Double(text), d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): "`\(s.string.prefix(40))`"
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    private func line(of node: Node) -> Int { cell.bodyFirstLine + (node.mark?.line ?? 1) - 1 }

    private mutating func report(_ node: Node, _ parameter: String?, _ message: String) {
        let line = line(of: node)
        diagnostics.append(Diagnostic(at: SourceLocation(file: document.file, line: line, column: node.mark?.column ?? 1),
                                      directive: directive.name, parameter: parameter, message, sourceLine: document.line(line)))
    }
}

/// `id` or `id.suffix`, each part a valid identifier.
func isValidReference(_ text: String) -> Bool {
    !text.isEmpty && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValidIdentifier(String($0)) }
}

/// The longest list a parameter may hold. Lists name code dimensions, layer widths,
/// digits or radii: a few hundred at most in any real notebook.
let maximumListLength = 10_000

/// Why an integer list was refused.
enum IntListProblem: Error, Equatable {
    case malformed
    /// The first value outside the allowed range, as written.
    case outside(String)
    /// A range that would hold this many values (more than `maximumListLength`).
    case tooMany(String)
}

/// "1...16", "1..16", "[1, 2, 4]", "1, 2, 4" or "3" → integers. A range's bounds and size
/// are checked before it is materialised, so `1...1000000000000` or `0...Int.max` is an
/// error, not an allocation or an overflow.
func parseIntList(_ text: String, within range: ClosedRange<Int>? = nil) -> Result<[Int], IntListProblem> {
    let t = text.trimmingCharacters(in: CharacterSet(charactersIn: " []"))
    for separator in ["...", ".."] {
        let parts = t.components(separatedBy: separator)
        if parts.count > 2 { return .failure(.malformed) }
        guard parts.count == 2 else { continue }
        let lowText = parts[0].trimmingCharacters(in: .whitespaces), highText = parts[1].trimmingCharacters(in: .whitespaces)
        guard let low = Int(lowText), let high = Int(highText), low <= high else { return .failure(.malformed) }
        if let range {
            if !range.contains(low) { return .failure(.outside(lowText)) }
            if !range.contains(high) { return .failure(.outside(highText)) }
        }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < maximumListLength else {
            return .failure(.tooMany(overflow ? "more than \(Int.max)" : "\(UInt(span) + 1)"))
        }
        return .success(Array(low...high))
    }
    let items = t.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard items.count <= maximumListLength else { return .failure(.tooMany("\(items.count)")) }
    var values = [Int]()
    for item in items {
        guard let v = Int(item) else { return .failure(.malformed) }
        if let range, !range.contains(v) { return .failure(.outside(item)) }
        values.append(v)
    }
    return values.isEmpty ? .failure(.malformed) : .success(values)
}

/// `${name}` → the parameter's value, in one left-to-right pass (substituted text is not
/// rescanned). Fails with the first name that is not a parameter.
func substituteParameters(in text: String, _ parameters: [String: String]) -> Result<String, MissingParameter> {
    var out = ""
    var rest = text[...]
    while let open = rest.range(of: "${"), let close = rest.range(of: "}", range: open.upperBound..<rest.endIndex) {
        let name = String(rest[open.upperBound..<close.lowerBound])
        guard let value = parameters[name] else { return .failure(MissingParameter(name: name)) }
        out += rest[..<open.lowerBound]
        out += value
        rest = rest[close.upperBound...]
    }
    out += rest
    return .success(out)
}

/// A `${name}` that names no notebook parameter.
struct MissingParameter: Error {
    var name: String
}
