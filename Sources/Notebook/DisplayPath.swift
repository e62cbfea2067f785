import Foundation

/// Paths as a report prints them. The machine's absolute paths mean nothing to a reader of
/// the report and run off a phone screen.
public enum DisplayPath {
    /// `path` relative to `directory` when both lie in one tree below the root
    /// ("../data/mnist_5k.csv.gz"), else unchanged.
    public static func relative(_ path: String, to directory: URL) -> String {
        guard path.hasPrefix("/") else { return path }
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = directory.standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        guard common > 1 else { return path }
        let up = Array(repeating: "..", count: base.count - common)
        let relative = (up + target[common...]).joined(separator: "/")
        return relative.isEmpty ? "." : relative
    }
}
