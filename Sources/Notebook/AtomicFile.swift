import Foundation

/// Writes a file whole or not at all: the bytes go to a temporary file beside the target,
/// which is renamed over it. Unlike `Data.write(options: .atomic)` it removes the temporary
/// file on every failure (a full disk, a signal-driven `exit`) and its error names the file
/// and the cause in words (`no space left on device`), not as Foundation's error text.
public enum AtomicFile {
    /// Writes `bytes` to `url`, creating the file or replacing it.
    /// - Throws: `FileWriteError` naming `url` and the cause.
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        // The name is short and unrelated to the target, so a long target name cannot make
        // the temporary one too long; `.tmp` marks orphans for `removeOrphans`.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".eb-\(UUID().uuidString)\(suffix)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileWriteError(url, errno: errno) }
        pending.insert(temporary.path)
        var renamed = false
        defer {
            if !renamed { unlink(temporary.path) }
            pending.remove(temporary.path)
        }
        var failure = bytes.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return 0 }
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
        if close(fd) != 0, failure == 0 { failure = errno }
        guard failure == 0 else { throw FileWriteError(url, errno: failure) }
        guard rename(temporary.path, url.path) == 0 else { throw FileWriteError(url, errno: errno) }
        renamed = true
    }

    /// Creates `url` and its parents when missing.
    /// - Throws: `FileWriteError` naming `url` and the cause.
    public static func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(url, error)
        }
    }

    /// Removes temporary files in `directory` left by processes that were killed mid-write
    /// (SIGKILL, power loss) and are older than `age` seconds, so a writer still at work is
    /// left alone. Returns how many were removed.
    @discardableResult
    public static func removeOrphans(in directory: URL, olderThan age: TimeInterval = 60) -> Int {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(".eb-") && name.hasSuffix(suffix) {
            let path = directory.appendingPathComponent(name).path
            guard let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  Date().timeIntervalSince(modified) > age else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    static let suffix = ".tmp"

    /// Temporary files being written right now; removed at `exit` (an interrupt ends the
    /// process with `exit(130)` while a worker thread may be mid-write).
    private static let pending = PendingFiles()

    private final class PendingFiles: @unchecked Sendable {
        private let lock = NSLock()
        private var paths = Set<String>()
        private var registered = false

        func insert(_ path: String) {
            let first = lock.withLock { () -> Bool in
                paths.insert(path)
                defer { registered = true }
                return !registered
            }
            if first { atexit { AtomicFile.pending.removeAll() } }
        }

        func remove(_ path: String) { _ = lock.withLock { paths.remove(path) } }

        func removeAll() {
            // `try` rather than `withLock`: the thread that holds the lock may be the one
            // stopped by exit, and an exit handler must not wait for it.
            guard lock.try() else { return }
            defer { lock.unlock() }
            for path in paths { unlink(path) }
            paths.removeAll()
        }
    }
}

/// A file that could not be written, with the cause in words:
/// `cannot write output/x/index.html: no space left on device`.
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The file (or directory) that was being written.
    public var path: String
    /// The cause, lower case (`no space left on device`, `permission denied`).
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(_ url: URL, errno code: Int32) {
        self.init(path: FileWriteError.displayPath(url), reason: FileWriteError.words(errno: code))
    }

    /// From a Foundation error: the POSIX cause when it carries one, else its description.
    public init(_ url: URL, _ error: Error) {
        if let e = error as? FileWriteError { self = e; return }
        self.init(path: FileWriteError.displayPath(url), reason: FileWriteError.reason(of: error))
    }

    /// The path as the user would type it: relative to the current directory when inside it.
    static func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.path
        guard cwd != "/", path.hasPrefix(cwd + "/") else { return path }
        return String(path.dropFirst(cwd.count + 1))
    }

    public var description: String { "cannot write \(path): \(reason)" }

    /// The cause of a Foundation file error in words. Foundation wraps the errno in a
    /// Cocoa error (`NSCocoaErrorDomain Code=640`), whose own text is not for users.
    public static func reason(of error: Error) -> String {
        let e = error as NSError
        if e.domain == NSPOSIXErrorDomain { return words(errno: Int32(truncatingIfNeeded: e.code)) }
        if let underlying = e.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return words(errno: Int32(truncatingIfNeeded: underlying.code))
        }
        if e.domain == NSCocoaErrorDomain {
            switch e.code {
            case NSFileWriteOutOfSpaceError: return words(errno: ENOSPC)
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return words(errno: EACCES)
            case NSFileWriteInvalidFileNameError: return words(errno: ENAMETOOLONG)
            case NSFileWriteVolumeReadOnlyError: return words(errno: EROFS)
            case NSFileWriteFileExistsError: return words(errno: EEXIST)
            default: break
            }
        }
        return String(describing: error)
    }

    /// `strerror` in lower case, as the message continues a sentence.
    static func words(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        let s = String(cString: text)
        return s.prefix(1).lowercased() + s.dropFirst()
    }
}
