/// "; did you mean `epochs`?" when a name is close to one of `candidates`, else "".
func suggestion(for name: String, among candidates: [String], format: (String) -> String = { "`\($0)`" }) -> String {
    // A suggestion is worth making only when most of the word survives: at most a third of
    // the shorter word may change ("epochz" → "epochs", but not "kind" → "id").
    let scored = candidates.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        .filter { $0.1 <= max(1, min(name.count, $0.0.count) / 3) && $0.1 < min(name.count, $0.0.count) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return "" }
    return "; did you mean \(format(best.0))?"
}

/// Levenshtein distance between two strings (by Unicode scalars).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// "a dataset", "an estimate".
func withArticle(_ word: String) -> String {
    guard let first = word.lowercased().first else { return word }
    return ("aeiou".contains(first) ? "an " : "a ") + word
}
