import FileAccess
import Foundation

/// Checks on a notebook's raw bytes before any parser sees them: a notebook from a stranger
/// may be a device, a FIFO, a binary file or invalid UTF-8, and each of those is a located
/// error rather than a hang, an allocation or a lost cause.
enum TextCheck {
    struct ReadProblem: Error {
        var message: String
        var isMissing = false
    }

    /// Reads a regular file of at most `limit` bytes, opened through `RegularFile` (a FIFO,
    /// device, socket or directory is refused before it is opened; the size is checked on
    /// the opened descriptor).
    static func readRegularFile(_ url: URL, limit: Int) -> Result<[UInt8], ReadProblem> {
        let fd: Int32
        let status: stat
        switch RegularFile.open(url.path) {
        case .success(let opened): (fd, status) = opened
        case .failure(.missing): return .failure(ReadProblem(message: "no such file", isMissing: true))
        case .failure(.notRegular(let kind)): return .failure(ReadProblem(message: "it is \(kind), not a regular file"))
        case .failure(.unreadable(let reason)): return .failure(ReadProblem(message: reason))
        }
        defer { close(fd) }
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
