import Foundation

/// Changes to a few files, from the kernel's file events (inotify), for `watch`.
///
/// Watches the files' directories rather than the files: editors save by writing a
/// temporary file and renaming it over the old one, which replaces the inode a watch on
/// the file itself would follow. Events of other files in those directories are ignored.
/// Waiting is `poll(2)` on the inotify descriptor with a short timeout, only so that a
/// stop request (Ctrl-C) is noticed while nothing changes.
final class FileEvents {
    private let descriptor: Int32
    /// Watch descriptor → its directory's path.
    private var directories: [Int32: String] = [:]
    /// Directory path → the names in it that count.
    private var names: [String: Set<String>] = [:]
    /// Names modified (or created) and not yet closed by their writer: a save in progress.
    private var writing = Set<String>()
    /// How long a file may stay open for writing before its change counts anyway (a writer
    /// that keeps the file open, such as a log).
    static let openWriteSeconds = 2.0

    /// A file written and closed, renamed or created in place, deleted or renamed away; and
    /// the directory itself deleted or moved (the watch then ends).
    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE
                                     | IN_DELETE_SELF | IN_MOVE_SELF)
    /// How long one `poll` waits before looking at the stop request again.
    private static let pollMilliseconds: Int32 = 100

    init() throws {
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { throw FileEventsError("cannot watch files: \(String(cString: strerror(errno)))") }
    }

    deinit { close(descriptor) }

    /// Watches `files` (paths) from now on, instead of the earlier set. Throws when the
    /// directory of `required` cannot be watched; other files' directories that cannot be
    /// watched are left out (a data file may be gone; the run says so).
    func watch(_ files: Set<String>, required: String) throws {
        names = [:]
        for file in files {
            let url = URL(fileURLWithPath: file).standardizedFileURL
            names[url.deletingLastPathComponent().path, default: []].insert(url.lastPathComponent)
        }
        for directory in names.keys {
            let wd = inotify_add_watch(descriptor, directory, FileEvents.mask)
            if wd >= 0 {
                directories[wd] = directory
            } else if directory == URL(fileURLWithPath: required).standardizedFileURL.deletingLastPathComponent().path {
                throw FileEventsError("cannot watch \(directory): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Waits until a watched file changes, then until `quiet` seconds pass without another
    /// change (one save is often several events: create, write, rename) and its writer has
    /// closed it (or `openWriteSeconds` passed): on a loaded machine the truncation, the
    /// write and the close of one save can lie further apart than `quiet`, and a run started
    /// in between read a half-written notebook and ran again. Returns the names that
    /// changed, or nil when `stop()` became true first.
    func waitForChange(quiet: Double, stop: () -> Bool) -> Set<String>? {
        var changed = Set<String>()
        var lastChange = Date.distantPast
        while true {
            if stop() { return nil }
            let idle = Date().timeIntervalSince(lastChange)
            if !changed.isEmpty && idle >= quiet && (writing.isEmpty || idle >= FileEvents.openWriteSeconds) {
                writing = []
                return changed
            }
            var pending = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pending, 1, FileEvents.pollMilliseconds)
            guard ready > 0 else { continue }  // timeout, or EINTR from the signal
            let found = readEvents()
            if !found.isEmpty {
                changed.formUnion(found)
                lastChange = Date()
            }
        }
    }

    /// Reads the events waiting on the descriptor and returns the watched names among them
    /// (a directory that went away counts as a change of every name in it).
    private func readEvents() -> Set<String> {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return [] }
        var found = Set<String>()
        let header = MemoryLayout<inotify_event>.size
        var offset = 0
        while offset + header <= count {
            let event = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: inotify_event.self) }
            let nameBytes = buffer[(offset + header)..<min(offset + header + Int(event.len), count)]
            offset += header + Int(event.len)
            if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                // Events were lost: any watched file may have changed.
                for watched in names.values { found.formUnion(watched) }
                continue
            }
            guard let directory = directories[event.wd], let watched = names[directory] else { continue }
            if event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                if event.mask & UInt32(IN_IGNORED) != 0 { directories[event.wd] = nil }
                found.formUnion(watched)
                continue
            }
            // The name is NUL-padded to a multiple of the event's alignment.
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            guard watched.contains(name) else { continue }
            found.insert(name)
            if event.mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) != 0 {
                writing.remove(name)
            } else if event.mask & UInt32(IN_MODIFY | IN_CREATE) != 0 {
                writing.insert(name)
            }
        }
        return found
    }
}

struct FileEventsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
