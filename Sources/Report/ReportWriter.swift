import Foundation
import Notebook

/// Writes a report's files under a directory: each file atomically (`AtomicFile`: temporary
/// file and rename, the temporary removed on every failure), figures and data first so a
/// reader never sees an index.html that points at missing files, then index.html, and
/// run.json last, so a run.json exists only beside the index.html of the same run — it can
/// never say `ok` about a report that was not written (issue 14, row 14).
public enum ReportWriter {
    /// - Throws: `FileWriteError` naming the file that could not be written and why
    ///   (`cannot write output/x/index.html: no space left on device`). Then neither
    ///   index.html nor run.json is left from an earlier run.
    public static func write(_ report: ReportFiles, to directory: URL) throws {
        let index = directory.appendingPathComponent("index.html")
        let manifest = directory.appendingPathComponent("run.json")
        try AtomicFile.createDirectory(directory)
        // The previous run's manifest would describe files this run is about to replace.
        unlink(manifest.path)
        var indexWritten = false
        do {
            for (path, bytes) in report.files.sorted(by: { $0.key < $1.key }) where path != "run.json" {
                let url = directory.appendingPathComponent(path)
                try AtomicFile.createDirectory(url.deletingLastPathComponent())
                try AtomicFile.write(bytes, to: url)
            }
            try AtomicFile.write(Array(report.html.utf8), to: index)
            indexWritten = true
            if let json = report.files["run.json"] { try AtomicFile.write(json, to: manifest) }
        } catch {
            // An earlier run's page would pass for this run's report.
            if !indexWritten { unlink(index.path) }
            throw error
        }
    }
}
