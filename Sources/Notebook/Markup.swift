/// The notebook's prose as cmark parsed it, mirrored in Swift values with source positions
/// (in the style of swift-markdown's converter). The parser builds it once; validation
/// reads its inline values and cross-references, and the report renders from it — nothing
/// downstream calls cmark again.
///
/// A `Markup` is one node of a tree kept in flat storage (`MarkupTree`: every node of a
/// top-level block in one array, in document order, each with its parent and the end of its
/// subtree), never a value that holds its children. A stranger's notebook may nest block
/// quotes, lists or emphasis 100 000 deep; a tree of nested values would recurse that deep
/// to build, compare, hash or free it (Swift's synthesized `==` and deinit do), and overflow
/// the stack. Here building, walking, comparing and freeing are loops.
public struct Markup: Sendable, Hashable {
    /// The tree this node belongs to.
    let tree: MarkupTree
    /// The node's position in `tree.nodes`.
    let index: Int

    init(tree: MarkupTree, index: Int) {
        self.tree = tree
        self.index = index
    }

    private var node: MarkupNode { tree.nodes[index] }
    public var kind: Kind { node.kind }
    /// Text of leaf nodes: a text run, a code span, a code block's content, raw HTML.
    public var literal: String { node.literal }
    /// Where the node starts in the notebook (1-based line and column). Inline nodes that
    /// cmark does not locate carry the position of their nearest located ancestor.
    public var line: Int { node.line }
    public var column: Int { node.column }

    /// The direct children, in order (one level: a walk over them never recurses).
    public var children: [Markup] {
        var out = [Markup]()
        var child = index + 1
        while child < node.end {
            out.append(Markup(tree: tree, index: child))
            child = tree.nodes[child].end
        }
        return out
    }

    /// The parent node, nil for a top-level block.
    public var parent: Markup? { node.parent >= 0 ? Markup(tree: tree, index: node.parent) : nil }

    /// The node's place among its parent's children (0 for the first).
    public var siblingIndex: Int { node.siblingIndex }

    /// The index one past this node's last descendant, in `tree.nodes`.
    var subtreeEnd: Int { node.end }

    /// Calls `body` on this node and every descendant, depth first, in document order
    /// (the storage order: a loop, not a recursion).
    public func forEach(_ body: (Markup) -> Void) {
        for i in index..<node.end { body(Markup(tree: tree, index: i)) }
    }

    /// Walks this node's subtree in document order without recursion: `walker.enter` on
    /// each node (its answer says whether to walk into the children), `walker.leave` once a
    /// node entered with `true` has had all its children. An explicit stack holds the open
    /// nodes, so a walk is as deep as the tree is without using the call stack.
    public func walk<Walker: MarkupWalker>(with walker: inout Walker) {
        var open = [Markup]()
        var i = index
        let last = node.end
        while i < last {
            let current = Markup(tree: tree, index: i)
            while let top = open.last, top.subtreeEnd <= i {
                walker.leave(top)
                open.removeLast()
            }
            if walker.enter(current) {
                open.append(current)
                i += 1
            } else {
                i = current.subtreeEnd
            }
        }
        while let top = open.popLast() { walker.leave(top) }
    }

    /// Whether the node has children.
    public var hasChildren: Bool { node.end > index + 1 }

    /// The concatenated text and code of the inline content, as a heading's name.
    public var plainText: String {
        var out = ""
        for i in index..<node.end {
            let n = tree.nodes[i]
            switch n.kind {
            case .text, .code: out += n.literal
            case .softBreak, .lineBreak: out += " "
            case .inlineValue(let r): out += r.source
            case .crossReference(let r): out += "@" + r.label
            default: break
            }
        }
        return out
    }

    public enum Kind: Sendable, Hashable {
        // Blocks
        case blockQuote
        case list(ordered: Bool, start: Int, tight: Bool)
        case item
        case codeBlock(info: String)
        case htmlBlock
        case paragraph
        case heading(level: Int)
        case thematicBreak
        /// A GitHub-style pipe table the project recognised in a paragraph; children are
        /// rows, the first one the header.
        case table(alignments: [TableAlignment])
        case tableRow(header: Bool)
        case tableCell
        // Inlines
        case text
        case softBreak
        case lineBreak
        case code
        case htmlInline
        case emphasis
        case strong
        case link(url: String, title: String)
        case image(url: String, title: String)
        /// `` `{=id.field:format}` ``: a number of a result, resolved after the run.
        case inlineValue(InlineReference)
        /// `@fig-ID`, `@tbl-ID`, `@cell-ID`: a numbered link to an output.
        case crossReference(CrossReference)

        /// Whether the kind is a block (as opposed to inline content).
        public var isBlock: Bool {
            switch self {
            case .blockQuote, .list, .item, .codeBlock, .htmlBlock, .paragraph, .heading, .thematicBreak, .table, .tableRow, .tableCell:
                return true
            default:
                return false
            }
        }
    }
}

/// What `Markup.walk(with:)` calls on each node.
public protocol MarkupWalker {
    /// Called on a node before its children; returns whether to walk into them.
    mutating func enter(_ node: Markup) -> Bool
    /// Called after the children of a node `enter` answered `true` for.
    mutating func leave(_ node: Markup)
}

/// The nodes of one top-level block, in document order (pre-order): a node's descendants
/// follow it, up to `end`. Flat, so that nothing about it recurses.
struct MarkupTree: Sendable, Hashable {
    var nodes: [MarkupNode]
}

/// One node of a `MarkupTree`.
struct MarkupNode: Sendable, Hashable {
    var kind: Markup.Kind
    var literal: String
    var line: Int
    var column: Int
    /// Index of the parent, -1 for the root.
    var parent: Int
    /// Place among the parent's children.
    var siblingIndex: Int
    /// One past the last descendant.
    var end: Int
}

/// Builds a `MarkupTree` in document order: `open` a node, add its children, `close` it.
struct MarkupBuilder {
    private(set) var nodes = [MarkupNode]()
    /// The open nodes, innermost last, with the number of children each has so far.
    private var open = [(index: Int, children: Int)]()

    /// The innermost open node, nil before the root is opened.
    var current: Int? { open.last?.index }
    var depth: Int { open.count }

    /// Adds a node as the next child of the innermost open node and opens it.
    @discardableResult
    mutating func open(_ kind: Markup.Kind, literal: String = "", line: Int, column: Int) -> Int {
        let index = nodes.count
        let parent = open.last?.index ?? -1
        let sibling = open.last?.children ?? 0
        if !open.isEmpty { open[open.count - 1].children += 1 }
        nodes.append(MarkupNode(kind: kind, literal: literal, line: line, column: column, parent: parent,
                                siblingIndex: sibling, end: index + 1))
        open.append((index, 0))
        return index
    }

    /// Closes the innermost open node.
    mutating func close() {
        guard let last = open.popLast() else { return }
        nodes[last.index].end = nodes.count
    }

    /// Adds a node without children.
    mutating func leaf(_ kind: Markup.Kind, literal: String = "", line: Int, column: Int) {
        open(kind, literal: literal, line: line, column: column)
        close()
    }

    /// The tree's root, every open node closed; nil when nothing was added.
    mutating func finish() -> Markup? {
        while !open.isEmpty { close() }
        guard !nodes.isEmpty else { return nil }
        return Markup(tree: MarkupTree(nodes: nodes), index: 0)
    }
}

/// How a pipe table column is aligned (from its delimiter row: `:--`, `:-:`, `--:`).
public enum TableAlignment: String, Sendable, Hashable, Codable {
    case none, left, center, right
}

/// A reference to a stored result's number in the prose: `` `{=images.mle:.2f}` ``.
public struct InlineReference: Sendable, Hashable, Codable {
    /// The text between `{=` and `}`, for messages and placeholders.
    public var source: String
    /// `id.field…`, split at dots (which id it names is decided at validation).
    public var path: [String]
    /// A printf-style format (`.2f`, `.3g`, `d`, `%`), or nil for the default.
    public var format: String?
}

/// `@fig-ID` and friends.
public struct CrossReference: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case figure = "fig", table = "tbl", cell = "cell"
    }
    public var kind: Kind
    /// The label after the prefix: a cell id, or `id.suffix` for one of its figures or tables.
    public var target: String
    public var label: String { "\(kind.rawValue)-\(target)" }
}
