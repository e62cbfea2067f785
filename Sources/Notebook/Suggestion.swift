/// "; did you mean `epochs`?" when a name is close to one of `candidates`, else "".
func suggestion(for name: String, among candidates: [String], format: (String) -> String = { "`\($0)`" }) -> String {
    // A suggestion is worth making only when most of the word survives: at most a third of
    // the shorter word may change ("epochz" → "epochs", "tabel" → "table", not "kind" → "id").
    let scored = candidates.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        .filter { $0.1 <= max(1, min(name.count, $0.0.count) / 3) && $0.1 < min(name.count, $0.0.count) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return "" }
    return "; did you mean \(format(best.0))?"
}

/// Edit distance with adjacent transpositions (optimal string alignment), by Unicode
/// scalars: the typos people make are insertions, deletions, substitutions and swaps.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}

/// "a dataset", "an estimate".
public func withArticle(_ word: String) -> String {
    guard let first = word.lowercased().first else { return word }
    return ("aeiou".contains(first) ? "an " : "a ") + word
}
