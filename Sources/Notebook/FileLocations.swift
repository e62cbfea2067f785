import Foundation

/// Where a notebook's files are: relative paths in parameters resolve against the
/// notebook's directory; downloaded data (the MNIST sample, IDX files) lives in the data
/// directory (ENTROPYBOOK_DATA, else `data/` beside the project).
public struct FileLocations: Sendable, Hashable {
    public var notebookDirectory: URL
    public var dataDirectory: URL

    public init(notebookDirectory: URL, dataDirectory: URL) {
        self.notebookDirectory = notebookDirectory
        self.dataDirectory = dataDirectory
    }

    /// An absolute path, `~/…`, or a path relative to the notebook's directory.
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        if path.hasPrefix("~/") { return URL(fileURLWithPath: NSString(string: path).expandingTildeInPath) }
        return notebookDirectory.appendingPathComponent(path).standardizedFileURL
    }
}
