/// A bound on how deep the prose can nest, computed from the text before cmark sees it.
///
/// cmark parses deep nesting iteratively, but it keeps every level as a node: a line of a
/// million `> ` makes a million nested block quotes, 130 MB in cmark's tree alone before
/// the engine mirrors it. So the notebook's text is scanned once, line by line, for an
/// upper bound of the nesting it can produce, and refused past `limit` with the place where
/// the bound is crossed. Everything after this check (the mirror, the renderers, the
/// reference checks) is iterative and would cope with deeper trees; the limit is about
/// memory, and 100 000 levels (which the report renders) is far past any real prose.
///
/// The bounds, both upper bounds of what cmark can build:
/// - blocks: a line's content sits in the containers it continues and those it opens.
///   Each opened one takes a marker (`>`, `-`/`*`/`+` or `1.`/`1)` and a blank), each
///   continued one a `>` or at least two columns of indentation, and no more can be
///   continued than were ever open. So depth ≤ markers + min(extra indentation / 2, the
///   deepest bound of any earlier line). Lines inside top-level fences are code.
/// - inlines, per run of non-blank lines (a paragraph never spans a blank line): nested
///   emphasis takes a `*` or `_` on each side, a nested link or image a `](` and a `)`;
///   so depth ≤ (number of `*` and `_`) / 2 + min(number of `](`, number of `)`). Brackets
///   nest lexically too (`[[[…]]]`, each an open node in cmark until it is matched).
///   Lines of only `*`, `-`, `_` and blanks (thematic breaks) hold no inlines.
enum ProseNesting {
    /// The deepest nesting (of block containers, and of inlines) a notebook may have.
    static let limit = 100_000

    /// The first place where the bound passes `limit`, as an error; nil when it never does.
    /// Linear in the text's length.
    static func check(_ text: String, file: String, lineText: (Int) -> String?, limit: Int = limit) -> Diagnostic? {
        var scanner = Scanner(limit: limit)
        var lineNumber = 0
        var start = text.utf8.startIndex
        let utf8 = text.utf8
        while start <= utf8.endIndex {
            lineNumber += 1
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            let line = Array(utf8[start..<end])
            if let problem = scanner.scan(line) {
                let prefix = line.prefix(problem.offset)
                let column = String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1
                return Diagnostic(at: SourceLocation(file: file, line: lineNumber, column: column), problem.message,
                                  sourceLine: lineText(lineNumber))
            }
            if end == utf8.endIndex { break }
            start = utf8.index(after: end)
        }
        return nil
    }

    /// The line-by-line state of the scan.
    struct Scanner {
        let limit: Int
        /// The open top-level fence: its character and length.
        var fence: (character: UInt8, length: Int)?
        /// The deepest block bound of any line so far.
        var deepest = 0
        /// Counts of the current run of non-blank lines.
        var emphasis = 0, linkOpeners = 0, closingParentheses = 0
        /// Open `[` of the current run (lexical nesting: each is a node in cmark until matched).
        var brackets = 0

        init(limit: Int) { self.limit = limit }

        struct Problem {
            /// Byte offset in the line.
            var offset: Int
            var message: String
        }

        mutating func scan(_ line: [UInt8]) -> Problem? {
            let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
            var indent = 0
            while indent < line.count, line[indent] == space { indent += 1 }
            if let open = fence {
                if indent < 4, Self.run(of: open.character, in: line, from: indent) >= open.length,
                   line[(indent + Self.run(of: open.character, in: line, from: indent))...].allSatisfy({ $0 == space || $0 == tab || $0 == 13 }) {
                    fence = nil
                }
                return nil
            }
            if indent < 4, indent < line.count, line[indent] == UInt8(ascii: "`") || line[indent] == UInt8(ascii: "~") {
                let length = Self.run(of: line[indent], in: line, from: indent)
                if length >= 3 {
                    fence = (line[indent], length)
                    resetInlines()
                    return nil
                }
            }
            if line.allSatisfy({ $0 == space || $0 == tab || $0 == 13 }) {
                resetInlines()
                return nil
            }
            if let problem = scanBlockPrefix(line) { return problem }
            return scanInlines(line)
        }

        private mutating func resetInlines() {
            emphasis = 0
            linkOpeners = 0
            closingParentheses = 0
            brackets = 0
        }

        private static func run(of character: UInt8, in line: [UInt8], from start: Int) -> Int {
            var i = start
            while i < line.count, line[i] == character { i += 1 }
            return i - start
        }

        private static func isBlankOrEnd(_ line: [UInt8], _ i: Int) -> Bool {
            i >= line.count || line[i] == UInt8(ascii: " ") || line[i] == UInt8(ascii: "\t") || line[i] == 13
        }

        /// Container markers and indentation at the start of the line.
        private mutating func scanBlockPrefix(_ line: [UInt8]) -> Problem? {
            var i = 0, column = 0, markers = 0, extraColumns = 0
            var afterMarker = false
            while i < line.count {
                var width = 0
                while i < line.count, line[i] == UInt8(ascii: " ") || line[i] == UInt8(ascii: "\t") {
                    let step = line[i] == UInt8(ascii: "\t") ? 4 - column % 4 : 1
                    width += step
                    column += step
                    i += 1
                }
                extraColumns += afterMarker ? max(0, width - 1) : width
                guard i < line.count else { break }
                let c = line[i]
                var length = 0
                if c == UInt8(ascii: ">") {
                    length = 1
                } else if c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "+"), Self.isBlankOrEnd(line, i + 1) {
                    length = 1
                } else {
                    var j = i
                    while j < line.count, j - i < 9, line[j] >= UInt8(ascii: "0"), line[j] <= UInt8(ascii: "9") { j += 1 }
                    if j > i, j < line.count, line[j] == UInt8(ascii: ".") || line[j] == UInt8(ascii: ")"), Self.isBlankOrEnd(line, j + 1) {
                        length = j + 1 - i
                    }
                }
                guard length > 0 else { break }
                markers += 1
                if markers + min(extraColumns / 2, deepest) > limit {
                    return Problem(offset: i, message: "block quotes and list items nest more than \(groupedDigits(limit)) deep from here on; "
                        + "prose may nest at most \(groupedDigits(limit)) levels (each level is held in memory)")
                }
                i += length
                column += length
                afterMarker = true
            }
            deepest = max(deepest, markers + min(extraColumns / 2, deepest))
            return nil
        }

        /// Emphasis delimiters and link closers, accumulated over the run of lines.
        private mutating func scanInlines(_ line: [UInt8]) -> Problem? {
            let isBreak = line.allSatisfy {
                $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: " ")
                    || $0 == UInt8(ascii: "\t") || $0 == 13
            }
            if isBreak { return nil }
            for i in line.indices {
                switch line[i] {
                case UInt8(ascii: "*"), UInt8(ascii: "_"): emphasis += 1
                case UInt8(ascii: "("): if i > 0, line[i - 1] == UInt8(ascii: "]") { linkOpeners += 1 } else { continue }
                case UInt8(ascii: ")"): closingParentheses += 1
                case UInt8(ascii: "]"): brackets = max(0, brackets - 1); continue
                case UInt8(ascii: "["):
                    brackets += 1
                    if brackets > limit {
                        return Problem(offset: i, message: "brackets `[` in this paragraph nest more than \(groupedDigits(limit)) deep; "
                            + "prose may nest at most \(groupedDigits(limit)) levels (each level is held in memory)")
                    }
                    continue
                default: continue
                }
                if emphasis / 2 + min(linkOpeners, closingParentheses) > limit {
                    return Problem(offset: i, message: "emphasis, links and images in this paragraph could nest more than \(groupedDigits(limit)) deep "
                        + "(\(groupedDigits(emphasis)) `*` and `_`, \(groupedDigits(linkOpeners)) `](`); prose may nest at most \(groupedDigits(limit)) levels (each level is held in memory)")
                }
            }
            return nil
        }

    }
}
