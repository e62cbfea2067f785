import Yams

/// YAML between `---` lines at the top of a notebook: title, author, seed, threads, quick,
/// and `params` (defaults that `-p key=value` overrides and `${name}` refers to).
public struct FrontMatter: Sendable {
    public var title: String?
    public var author: String?
    public var seed: UInt64?
    public var threads: Int?
    public var quick: Bool?
    /// Notebook parameters with their default values, as written.
    public var params: [String: String] = [:]
    /// `allow-read`: directories the notebook asks to read outside its folder, as written.
    /// They count only when the user confirms with `--trust`.
    public var allowRead: [String] = []
    /// Line of the closing `---` (0 when there is no front matter).
    public var lastLine: Int = 0

    public var isEmpty: Bool { lastLine == 0 }

    static let knownKeys = ["title", "author", "date", "seed", "threads", "quick", "params", "allow-read"]

    func dumpFields() -> String {
        var f = [String]()
        if let title { f.append("title=\"\(title)\"") }
        if let author { f.append("author=\"\(author)\"") }
        if let seed { f.append("seed=\(seed)") }
        if let threads { f.append("threads=\(threads)") }
        if let quick { f.append("quick=\(quick)") }
        for (k, v) in params.sorted(by: { $0.key < $1.key }) { f.append("params.\(k)=\(v)") }
        return f.joined(separator: " ")
    }

    /// Splits front matter off `source`. Returns it and the source with the front matter
    /// lines blanked (so cmark's line numbers stay those of the file), plus diagnostics.
    static func split(_ source: String, file: String) -> (FrontMatter, String, [Diagnostic]) {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else {
            return (FrontMatter(), source, [])
        }
        guard let end = lines.indices.dropFirst().first(where: {
            let t = lines[$0].trimmingCharacters(in: .whitespaces)
            return t == "---" || t == "..."
        }) else {
            let d = Diagnostic(at: SourceLocation(file: file, line: 1), "front matter starts with `---` on line 1 but is never closed by another `---`", sourceLine: first)
            return (FrontMatter(), source, [d])
        }
        var fm = FrontMatter()
        fm.lastLine = end + 1
        var diagnostics = [Diagnostic]()
        let yaml = lines[1..<end].joined(separator: "\n")
        let yamlLines = lines[1..<end].map { Substring($0) }
        func location(line: Int?, column: Int?) -> SourceLocation {
            SourceLocation(file: file, line: 1 + (line ?? 1), column: column ?? 1)
        }
        do {
            if let node = try YAMLGuard.compose(yaml) {
                guard let mapping = node.mapping else {
                    throw FrontMatterError(message: "front matter must be a mapping of keys to values", node: node)
                }
                for (keyNode, value) in mapping {
                    let key = keyNode.string ?? ""
                    if let tagged = firstExplicitTag(in: value, lines: yamlLines) {
                        throw FrontMatterError(message: "YAML tags such as `\(tagged.tag)` are not read; write the value plainly", node: tagged.node)
                    }
                    switch key {
                    case "title", "author":
                        guard let text = value.scalar?.string else { throw FrontMatterError(message: "`\(key)` must be text, not \(describeNode(value))", node: value) }
                        if key == "title" { fm.title = text } else { fm.author = text }
                    case "date": break
                    case "seed":
                        guard let s = value.int, s >= 0 else { throw FrontMatterError(message: "`seed` must be a non-negative integer", node: value) }
                        fm.seed = UInt64(s)
                    case "threads":
                        guard let t = value.int, (1...64).contains(t) else { throw FrontMatterError(message: "`threads` must be an integer in 1...64", node: value) }
                        fm.threads = t
                    case "quick":
                        guard let q = value.bool else { throw FrontMatterError(message: "`quick` must be true or false", node: value) }
                        fm.quick = q
                    case "params":
                        guard let m = value.mapping else { throw FrontMatterError(message: "`params` must be a mapping of names to default values", node: value) }
                        for (k, v) in m {
                            guard let name = k.string, let s = v.scalar?.string else {
                                throw FrontMatterError(message: "each entry of `params` must be `name: value`", node: v)
                            }
                            fm.params[name] = s
                        }
                    case "allow-read":
                        let items = value.sequence.map(Array.init) ?? [value]
                        for item in items {
                            guard let directory = item.scalar?.string, !directory.isEmpty else {
                                throw FrontMatterError(message: "`allow-read` must be a directory or a list of directories", node: item)
                            }
                            fm.allowRead.append(directory)
                        }
                    default:
                        let hint = suggestion(for: key, among: knownKeys)
                        diagnostics.append(Diagnostic(.warning, at: location(line: keyNode.mark?.line, column: keyNode.mark?.column), "unknown front matter key `\(key)`" + hint,
                                                      sourceLine: lines[location(line: keyNode.mark?.line, column: nil).line - 1]))
                    }
                }
            }
        } catch let refusal as YAMLGuard.Refusal {
            let loc = location(line: refusal.line, column: refusal.column)
            diagnostics.append(Diagnostic(at: loc, "front matter: " + refusal.message, sourceLine: lines[safe: loc.line - 1]))
        } catch let e as FrontMatterError {
            let loc = location(line: e.line, column: e.column)
            diagnostics.append(Diagnostic(at: loc, e.message, sourceLine: lines[safe: loc.line - 1]))
        } catch {
            let mark = yamlMark(error)
            let loc = location(line: mark?.line, column: mark?.column)
            diagnostics.append(Diagnostic(at: loc, "front matter is not valid YAML: \(yamlMessage(error))", sourceLine: lines[safe: loc.line - 1]))
        }
        for i in 0...end { lines[i] = "" }
        return (fm, lines.joined(separator: "\n"), diagnostics)
    }
}

/// A front-matter problem with the YAML position of the offending node.
private struct FrontMatterError: Error {
    var message: String
    var line: Int?
    var column: Int?

    init(message: String, node: Node?) {
        self.message = message
        line = node?.mark?.line
        column = node?.mark?.column
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

/// The first node at or under `node` with an explicit YAML tag (`!!str 2`, `!custom x`).
/// Tags change how a value is read behind the notebook's back, so they are refused. Yams
/// resolves implicit tags as it composes, so a written tag is found in the text: a node's
/// mark is where its properties start, and a tag there begins with `!` (after an anchor).
/// A loop over an explicit stack, in document order; `YAMLGuard` has bounded the expanded
/// tree it walks (aliases included) before the block was composed.
func firstExplicitTag(in node: Node, lines: [Substring]) -> (node: Node, tag: String)? {
    func written(_ node: Node) -> String? {
        guard let mark = node.mark, mark.line >= 1, mark.line <= lines.count else { return nil }
        var rest = Substring(lines[mark.line - 1].unicodeScalars.dropFirst(mark.column - 1))
        if rest.hasPrefix("&") { rest = rest.drop(while: { $0 != " " }).drop(while: { $0 == " " }) }
        guard rest.hasPrefix("!") else { return nil }
        return String(rest.prefix(while: { $0 != " " && $0 != "," && $0 != "]" && $0 != "}" }).prefix(40))
    }
    var pending = [node]
    var visited = 0
    while let next = pending.popLast(), visited <= YAMLGuard.nodeBudget {
        visited += 1
        if let tag = written(next) { return (next, tag) }
        switch next {
        case .scalar, .alias: continue
        case .sequence(let items): pending += items.reversed()
        case .mapping(let pairs): pending += pairs.reversed().flatMap { [$0.value, $0.key] }
        }
    }
    return nil
}

/// How a YAML node reads in a message.
func describeNode(_ node: Node) -> String {
    switch node {
    case .scalar(let s): "`\(s.string.prefix(40))`"
    case .sequence: "a list"
    case .mapping: "a mapping"
    case .alias: "an alias"
    }
}

/// libyaml's problem text without Yams's multi-line context dump.
func yamlMessage(_ error: Error) -> String {
    if let y = error as? YamlError {
        switch y {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            // libyaml's own limit on written nesting; its text names a C function.
            if problem.hasPrefix("Maximum nesting level reached") {
                return "the YAML nests more than 1 000 levels deep from here; a block may nest at most 1 000 levels"
            }
            return problem
        default: break
        }
    }
    return String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
}

/// The mark of a YAML error, when it has one.
func yamlMark(_ error: Error) -> Mark? {
    if let y = error as? YamlError {
        switch y {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark
        default: break
        }
    }
    return nil
}
