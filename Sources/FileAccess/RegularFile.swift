import Foundation

/// Opens a file that a stranger's notebook names, trusting nothing about it: devices, FIFOs,
/// sockets and directories are refused before they are opened (opening a FIFO blocks and
/// `/dev/zero` never ends), the open is non-blocking in case the path became a FIFO since,
/// and the opened descriptor is checked again, so a file swapped in between cannot slip
/// past. Shared by the notebook reader (the engine) and the data readers (`Datasets`).
public enum RegularFile {
    /// Why a path could not be opened as a regular file.
    public enum Problem: Error, Equatable {
        /// Nothing at the path (or a missing directory on the way).
        case missing
        /// Not a regular file; the text says what it is ("a FIFO (named pipe)").
        case notRegular(String)
        /// The system refused: the text is its reason.
        case unreadable(String)
    }

    /// An open descriptor (opened read-only, non-blocking, close-on-exec) with its status.
    /// The caller owns the descriptor and closes it.
    public static func open(_ path: String) -> Result<(descriptor: Int32, status: stat), Problem> {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            return .failure(code == ENOENT || code == ENOTDIR ? .missing : .unreadable(String(cString: strerror(code))))
        }
        if let kind = irregularKind(status) { return .failure(.notRegular(kind)) }
        let descriptor = Foundation.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            return .failure(.unreadable(reason))
        }
        if let kind = irregularKind(status) {
            close(descriptor)
            return .failure(.notRegular(kind))
        }
        return .success((descriptor, status))
    }

    /// What a non-regular file is ("a directory", "a FIFO (named pipe)", …); nil for a
    /// regular file.
    public static func irregularKind(_ status: stat) -> String? {
        switch status.st_mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "not a file"
        }
    }
}
