import Foundation

/// Writes a report's files under a directory: each file atomically (temporary file and
/// rename), figures and data first and index.html last, so a reader never sees an
/// index.html that points at missing files.
public enum ReportWriter {
    public static func write(_ report: ReportFiles, to directory: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        for (path, bytes) in report.files.sorted(by: { $0.key < $1.key }) {
            let url = directory.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        }
        try Data(report.html.utf8).write(to: directory.appendingPathComponent("index.html"), options: .atomic)
    }
}
