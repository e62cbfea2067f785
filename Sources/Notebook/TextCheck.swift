import Foundation

/// Checks on a notebook's raw bytes before any parser sees them: a notebook from a stranger
/// may be a device, a FIFO, a binary file or invalid UTF-8, and each of those is a located
/// error rather than a hang, an allocation or a lost cause.
enum TextCheck {
    struct ReadProblem: Error {
        var message: String
        var isMissing = false
    }

    /// Reads a regular file of at most `limit` bytes. A FIFO, device, socket or directory is
    /// refused before it is opened for reading (opening a FIFO would block), and the size
    /// is checked on the opened descriptor, so a file swapped in between cannot slip past.
    static func readRegularFile(_ url: URL, limit: Int) -> Result<[UInt8], ReadProblem> {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            return .failure(ReadProblem(message: errno == ENOENT ? "no such file" : String(cString: strerror(errno)), isMissing: errno == ENOENT))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return .failure(ReadProblem(message: "not a regular file (\(fileKind(status.st_mode)))"))
        }
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadProblem(message: String(cString: strerror(errno)))) }
        defer { close(fd) }
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            return .failure(ReadProblem(message: "not a regular file"))
        }
        guard Int(status.st_size) <= limit else {
            return .failure(ReadProblem(message: "the file is \(status.st_size) bytes; a notebook may have at most \(limit)"))
        }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadProblem(message: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > limit {
                return .failure(ReadProblem(message: "the file grew past \(limit) bytes while it was read"))
            }
        }
        return .success(bytes)
    }

    static func fileKind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// The first byte that breaks UTF-8, with its 1-based line and column (in characters
    /// of the valid text before it); nil for valid UTF-8.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> (byte: UInt8, line: Int, column: Int)? {
        var i = 0
        var line = 1
        var column = 1
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (b, line, column)
            }
            guard i + length <= bytes.count else { return (b, line, column) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return (bytes[i + k], line, column) }
            if length == 3 {
                let second = bytes[i + 1]
                if (b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F) { return (b, line, column) }
            } else if length == 4 {
                let second = bytes[i + 1]
                if (b == 0xF0 && second < 0x90) || (b == 0xF4 && second > 0x8F) { return (b, line, column) }
            }
            if b == 0x0A { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        return nil
    }

    /// Line and column of the first NUL character, if any.
    static func firstNUL(in text: String) -> (line: Int, column: Int)? {
        guard text.utf8.contains(0) else { return nil }
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            if scalar == "\0" { return (line, column) }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return nil
    }
}
