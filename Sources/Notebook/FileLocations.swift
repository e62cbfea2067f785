import FileAccess
import Foundation

/// Where a notebook's files are, and which of them it may read. Relative paths in
/// parameters resolve against the notebook's directory; downloaded data (the MNIST sample,
/// IDX files) lives in the data directory (ENTROPYBOOK_DATA, else `data/` beside the
/// project).
///
/// A notebook can come from a stranger, so reading is confined: a data path must resolve —
/// symbolic links followed — inside the notebook's directory tree, the data directory, or
/// one of `allowedDirectories` (`--allow-read`, or the front matter's `allow-read` confirmed
/// by `--trust`), and must name a regular file. Otherwise `/etc/passwd`, `~/.ssh/id_rsa`,
/// `/dev/zero` or a FIFO would be one `path:` away.
public struct FileLocations: Sendable, Hashable {
    public var notebookDirectory: URL
    public var dataDirectory: URL
    /// Directories beyond the notebook's and the data directory that the user allowed.
    public var allowedDirectories: [URL]

    public init(notebookDirectory: URL, dataDirectory: URL, allowedDirectories: [URL] = []) {
        self.notebookDirectory = notebookDirectory
        self.dataDirectory = dataDirectory
        self.allowedDirectories = allowedDirectories
    }

    /// An absolute path, `~/…` (or `~user/…`), or a path relative to the notebook's
    /// directory, with `.` and `..` removed lexically. Says nothing about whether the file
    /// may be read: see `readableURL`.
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        if path.hasPrefix("~") {
            let expanded = NSString(string: path).expandingTildeInPath
            if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        }
        return notebookDirectory.appendingPathComponent(path).standardizedFileURL
    }

    /// What a path parameter may name.
    public enum Expectation: Sendable, Hashable {
        case file
        /// A file or a directory of files (an MNIST-format IDX directory).
        case fileOrDirectory
    }

    /// `path` resolved as `resolve` does, if the notebook may read it: inside the allowed
    /// directories both as written and with symbolic links resolved, and a regular file (or
    /// a directory where `expecting` allows one). A path that does not exist passes — the
    /// reader reports it missing — so that nothing is learnt about files outside. Nothing
    /// is opened here: the reader checks the opened file again (`ReadLimits`).
    public func readableURL(_ path: String, expecting: Expectation = .file) throws -> URL {
        // The C calls would stop at a NUL and see another path than the one checked.
        guard !path.utf8.contains(0) else {
            throw ReadRefusal(path: path.replacingOccurrences(of: "\u{0}", with: "\\0"), "contains a NUL character", allowable: false)
        }
        let url = resolve(path)
        let canonicalRoots = readableDirectories
        let writtenRoots = roots.map(\.standardizedFileURL.path)
        guard (writtenRoots + canonicalRoots).contains(where: { ReadLimits.isPath(url.path, inside: $0) }) else {
            throw ReadRefusal(path: path, "is outside the notebook's folder and the data directory"
                              + (path.hasPrefix("~") ? " (`~` is the home directory)" : ""))
        }
        guard let canonical = ReadLimits.canonicalPath(url.path) else { return url }
        guard canonicalRoots.contains(where: { ReadLimits.isPath(canonical, inside: $0) }) else {
            throw ReadRefusal(path: path, "leads through a symbolic link to a file outside the notebook's folder and the data directory")
        }
        var status = stat()
        guard stat(canonical, &status) == 0 else { return url }
        if status.st_mode & S_IFMT == S_IFDIR {
            guard expecting == .fileOrDirectory else {
                throw ReadRefusal(path: path, "is a directory; a file is expected here", allowable: false)
            }
            return url
        }
        if let kind = RegularFile.irregularKind(status) {
            throw ReadRefusal(path: path, "is \(kind), not a regular file", allowable: false)
        }
        return url
    }

    /// The directories a notebook may read, canonical (symlinks resolved), for
    /// `ReadLimits.allowedDirectories`. Directories that do not exist are left out.
    public var readableDirectories: [String] {
        roots.compactMap { ReadLimits.canonicalPath($0.path) }
    }

    private var roots: [URL] { [notebookDirectory, dataDirectory] + allowedDirectories }
}

/// Why a notebook may not read a path; the validator locates it at the parameter's line.
public struct ReadRefusal: Error, Sendable, CustomStringConvertible {
    /// The path as the notebook wrote it.
    public var path: String
    public var reason: String
    /// Whether `--allow-read` would change the answer (not for devices, FIFOs, …).
    public var allowable: Bool

    public init(path: String, _ reason: String, allowable: Bool = true) {
        self.path = path
        self.reason = reason
        self.allowable = allowable
    }

    public var description: String {
        "`\(path)` \(reason)" + (allowable ? "; a notebook reads only there unless `--allow-read DIR` allows more" : "")
    }
}
