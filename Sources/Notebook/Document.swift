/// A parsed notebook: front matter, prose blocks and directive cells in source order, each
/// with its location. Immutable; validation turns it into a `Plan`.
public struct Document: Sendable {
    /// The notebook's file name as given on the command line (used in every location).
    public var file: String
    /// The full source text (front matter included), for diagnostics' source lines.
    public let source: String
    public var frontMatter: FrontMatter
    public var blocks: [Block]
    /// The source split into lines once: `line(_:)` is called per diagnostic and per cell,
    /// and re-splitting the file each time made validation quadratic in its length.
    private let sourceLines: [Substring]

    public init(file: String, source: String, frontMatter: FrontMatter, blocks: [Block]) {
        self.file = file
        self.source = source
        self.frontMatter = frontMatter
        self.blocks = blocks
        sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// A run of Markdown between directives, or one directive cell.
    public enum Block: Sendable {
        case prose(Prose)
        case directive(DirectiveCell)
    }

    /// Markdown text with its line span (1-based, inclusive).
    public struct Prose: Sendable {
        public var firstLine: Int
        public var lastLine: Int
        /// Headings inside, in order, for the table of contents.
        public var headings: [Heading]
        /// The blocks as cmark parsed them (pipe tables, inline values and
        /// cross-references recognised), which the report renders.
        public var nodes: [Markup]
    }

    public struct Heading: Sendable, Hashable, Codable {
        public var level: Int
        public var text: String
        public var line: Int
    }

    /// A fenced block whose info string is `{name}`.
    public struct DirectiveCell: Sendable {
        /// The directive name inside the braces.
        public var name: String
        /// Where the opening fence is.
        public var location: SourceLocation
        /// The YAML body (the fence's content).
        public var body: String
        /// The notebook line of the body's first line (fence line + 1).
        public var bodyFirstLine: Int
        /// The line of the closing fence (or the last line when unclosed).
        public var lastLine: Int
    }

    /// The directive cells in order.
    public var cells: [DirectiveCell] {
        blocks.compactMap { if case .directive(let c) = $0 { c } else { nil } }
    }

    /// Every prose block, top level, in order.
    public var proseNodes: [Markup] {
        blocks.flatMap { block -> [Markup] in
            if case .prose(let p) = block { return p.nodes }
            return []
        }
    }

    /// All headings in order.
    public var headings: [Heading] {
        blocks.flatMap { block -> [Heading] in
            if case .prose(let p) = block { return p.headings }
            return []
        }
    }

    /// The title: front matter `title`, else the first level-1 heading, else the file name.
    public var title: String {
        if let t = frontMatter.title { return t }
        if let h = headings.first(where: { $0.level == 1 }) { return h.text }
        return file
    }

    /// Line `n` (1-based) of the source, for diagnostics.
    public func line(_ n: Int) -> String? {
        n >= 1 && n <= sourceLines.count ? String(sourceLines[n - 1]) : nil
    }

    /// A stable, readable dump for golden tests: one line per block with its lines.
    public func dump() -> String {
        var out = ["Document \(file) title=\"\(title)\""]
        if !frontMatter.isEmpty { out.append("  FrontMatter lines 1-\(frontMatter.lastLine) " + frontMatter.dumpFields()) }
        for block in blocks {
            switch block {
            case .prose(let p):
                let hs = p.headings.map { "h\($0.level)@\($0.line) \"\($0.text)\"" }.joined(separator: ", ")
                out.append("  Prose \(p.firstLine)-\(p.lastLine)" + (hs.isEmpty ? "" : " [\(hs)]"))
            case .directive(let c):
                out.append("  Directive {\(c.name)} at \(c.location) body \(c.bodyFirstLine)-\(c.lastLine - 1)")
                for line in c.body.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                    out.append("    | \(line)")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
