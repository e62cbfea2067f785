/// The notebook's prose as cmark parsed it, mirrored in Swift values with source positions
/// (in the style of swift-markdown's converter). The parser builds it once; validation
/// reads its inline values and cross-references, and the report renders from it — nothing
/// downstream calls cmark again.
public struct Markup: Sendable, Hashable {
    public var kind: Kind
    /// Text of leaf nodes: a text run, a code span, a code block's content, raw HTML.
    public var literal: String
    public var children: [Markup]
    /// Where the node starts in the notebook (1-based line and column). Inline nodes that
    /// cmark does not locate carry the position of their nearest located ancestor.
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, literal: String = "", children: [Markup] = [], line: Int, column: Int) {
        self.kind = kind
        self.literal = literal
        self.children = children
        self.line = line
        self.column = column
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
    }

    /// Calls `body` on this node and every descendant, depth first, in document order.
    public func forEach(_ body: (Markup) -> Void) {
        body(self)
        for child in children { child.forEach(body) }
    }

    /// The concatenated text and code of the inline content, as a heading's name.
    public var plainText: String {
        switch kind {
        case .text, .code: return literal
        case .softBreak, .lineBreak: return " "
        case .inlineValue(let r): return r.source
        case .crossReference(let r): return "@" + r.label
        default: return children.map(\.plainText).joined()
        }
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
