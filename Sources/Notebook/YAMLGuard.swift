import Yams

/// Composes a YAML block (a cell body, the front matter) only when its aliases expand to a
/// bounded tree.
///
/// Yams shares an anchored node wherever an alias names it, so nine levels of ten aliases
/// (`l1: &a1 [*a0, *a0, …]`, the "billion laughs") compose into a small graph that stands
/// for 10⁹ nodes; anything that walks it as a tree — a check for tags, a hash of a mapping
/// key (Yams hashes every key while composing, to find duplicates) — walks all 10⁹. So the
/// text is composed first with every `*` turned into a private-use character: aliases
/// become plain scalars, the graph a tree as large as the text. One iterative walk over
/// that tree in document order counts the expanded nodes, an alias counting as the size of
/// its anchor's node (memoised when the anchor's node is complete, as the composer resolves
/// it), and the expanded depth. Past `nodeBudget` nodes or `depthLimit` levels the block is
/// refused at the alias that crosses the bound, before Yams composes the real thing.
///
/// A `*` that is not an alias (inside a quoted or plain scalar) is counted as one when a
/// plain scalar holds it and an anchor of that name exists: the count errs on the high side.
/// libyaml itself stops at 1 000 levels of written nesting (`[[[[…`), with an error at the
/// place, so nothing here recurses with the text's depth either.
enum YAMLGuard {
    /// The most nodes a YAML block may hold once its aliases are expanded. A cell's longest
    /// list is `maximumListLength` (10 000) values; ten times that is far past any notebook.
    static let nodeBudget = 100_000
    /// The deepest a YAML block may nest once its aliases are expanded: libyaml's own limit
    /// for written nesting.
    static let depthLimit = 1_000

    /// Stands in for `*` in the first pass (U+E000, private use: a plain scalar may start with it).
    static let aliasMarker: Character = "\u{E000}"

    /// A refusal, at a position of the YAML text (1-based, like Yams's marks).
    struct Refusal: Error, Equatable {
        var message: String
        var line: Int
        var column: Int
    }

    /// `Yams.compose`, after the expansion check. Throws `Refusal` or Yams's errors.
    static func compose(_ yaml: String) throws -> Node? {
        if yaml.utf8.contains(UInt8(ascii: "*")) { try checkExpansion(yaml) }
        return try Yams.compose(yaml: yaml)
    }

    /// Throws a `Refusal` when the aliases of `yaml` expand past the budget or the depth limit.
    static func checkExpansion(_ yaml: String, budget: Int = nodeBudget, depthLimit: Int = depthLimit) throws {
        // Scalar by scalar: linear (Foundation's replacingOccurrences took seconds on a
        // body of 300 000 `*`).
        var scalars = String.UnicodeScalarView()
        for scalar in yaml.unicodeScalars { scalars.append(scalar == "*" ? "\u{E000}" : scalar) }
        let neutral = String(scalars)
        // The parser owns the anchors (nodes hold them weakly): keep it while walking.
        let parser = try Parser(yaml: neutral)
        guard let root = try parser.singleRoot() else { return }
        try withExtendedLifetime(parser) {
            try count(root, budget: budget, depthLimit: depthLimit)
        }
    }

    /// One open collection of the walk.
    private struct Frame {
        var children: [Node]
        var next = 0
        var depth: Int
        /// Expanded nodes counted when the frame was entered.
        var startTotal: Int
        /// The deepest level reached inside.
        var deepest: Int
        var anchor: String?
    }

    private static func count(_ root: Node, budget: Int, depthLimit: Int) throws {
        var sizes = [String: (nodes: Int, depth: Int)]()
        var total = 0
        var stack = [Frame]()

        func enter(_ node: Node, depth: Int) throws {
            switch node {
            case .scalar(let scalar):
                var nodes = 1, below = 0
                var alias: String?
                if scalar.style == .plain, scalar.string.contains(aliasMarker) {
                    nodes = 0
                    for name in aliasNames(in: scalar.string) {
                        let size = sizes[name] ?? (1, 0)
                        nodes += size.nodes
                        below = max(below, size.depth)
                        if alias == nil || size.nodes > (sizes[alias ?? ""]?.nodes ?? 0) { alias = name }
                    }
                    nodes = max(nodes, 1)
                }
                total += nodes
                let line = scalar.mark?.line ?? 1, column = scalar.mark?.column ?? 1
                if total > budget {
                    let name = alias.map { "`*\($0)`" } ?? "this value"
                    throw Refusal(message: "YAML aliases expand past \(groupedDigits(budget)) nodes here: \(name) stands for \(groupedDigits(nodes)) nodes, "
                        + "copied where it is used; a block may expand to at most \(groupedDigits(budget)) (write the values out, or use fewer aliases)",
                        line: line, column: column)
                }
                if depth + below > depthLimit {
                    throw Refusal(message: "YAML aliases nest past \(groupedDigits(depthLimit)) levels here (\(alias.map { "`*\($0)`" } ?? "this value") is \(below) levels deep); "
                        + "a block may nest at most \(groupedDigits(depthLimit)) levels", line: line, column: column)
                }
                if let anchor = scalar.anchor?.rawValue { sizes[anchor] = (nodes, below) }
                if !stack.isEmpty { stack[stack.count - 1].deepest = max(stack[stack.count - 1].deepest, depth + below) }
            case .sequence(let sequence):
                total += 1
                try checkTotal(node)
                stack.append(Frame(children: Array(sequence), depth: depth, startTotal: total - 1, deepest: depth,
                                   anchor: sequence.anchor?.rawValue))
            case .mapping(let mapping):
                total += 1
                try checkTotal(node)
                stack.append(Frame(children: mapping.flatMap { [$0.key, $0.value] }, depth: depth, startTotal: total - 1,
                                   deepest: depth, anchor: mapping.anchor?.rawValue))
            case .alias:
                // Composing resolves aliases; the neutral text has none.
                total += 1
            }
        }

        func checkTotal(_ node: Node) throws {
            guard total > budget else { return }
            throw Refusal(message: "the YAML holds more than \(groupedDigits(budget)) nodes; a block may hold at most \(groupedDigits(budget))",
                          line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }

        try enter(root, depth: 0)
        while var frame = stack.popLast() {
            if frame.next < frame.children.count {
                let child = frame.children[frame.next]
                frame.next += 1
                let depth = frame.depth + 1
                stack.append(frame)
                try enter(child, depth: depth)
                continue
            }
            if let anchor = frame.anchor { sizes[anchor] = (total - frame.startTotal, frame.deepest - frame.depth) }
            if !stack.isEmpty { stack[stack.count - 1].deepest = max(stack[stack.count - 1].deepest, frame.deepest) }
        }
    }

    /// The anchor names after each marker in a plain scalar (libyaml's anchor characters:
    /// ASCII letters, digits, `-` and `_`).
    static func aliasNames(in text: String) -> [String] {
        var names = [String]()
        var current: String?
        for character in text {
            if character == aliasMarker {
                if let name = current, !name.isEmpty { names.append(name) }
                current = ""
            } else if current != nil {
                if character.isASCII, character.isLetter || character.isNumber || character == "-" || character == "_" {
                    current?.append(character)
                } else {
                    if let name = current, !name.isEmpty { names.append(name) }
                    current = nil
                }
            }
        }
        if let name = current, !name.isEmpty { names.append(name) }
        return names
    }

}
