/// A problem with a data file: what is wrong and where (byte offset or line), always
/// naming the file, so a user can open it and look. The message never quotes the file's
/// content — only positions and what was expected there — because a hostile notebook could
/// otherwise point a reader at a private file and get its text into the report.
///
/// Printed as `path: byte 1234: message` or `path:17: message` (line, like compilers).
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is (tests and callers branch on this, users read `message`).
    public enum Reason: String, Sendable, Equatable {
        case missingFile, unreadable, corruptCompression, badMagic, truncated, wrongSize,
             notNumeric, raggedRow, empty, unsupported, mismatch
        /// A directory, device, FIFO or socket where a data file was expected.
        case notRegularFile
        /// The opened file lies outside `ReadLimits.allowedDirectories`.
        case outsideAllowedDirectories
        /// Past a `ReadLimits` cap (file size, decompressed size or element count).
        case tooLarge
    }

    /// Where in the file the problem is.
    public enum Position: Sendable, Equatable {
        /// Nowhere in particular (a missing file).
        case none
        /// Byte offset from the start of the (decompressed) contents.
        case byte(Int)
        /// 1-based line, and 1-based field within it when known.
        case line(Int, field: Int?)
    }

    public var path: String
    public var reason: Reason
    public var position: Position
    public var message: String

    public init(_ path: String, _ reason: Reason, at position: Position = .none, _ message: String) {
        self.path = path
        self.reason = reason
        self.position = position
        self.message = message
    }

    public var description: String {
        switch position {
        case .none: "\(path): \(message)"
        case .byte(let offset): "\(path): byte \(offset): \(message)"
        case .line(let line, let field?): "\(path):\(line): field \(field): \(message)"
        case .line(let line, nil): "\(path):\(line): \(message)"
        }
    }
}

/// A generator or loader argument that cannot work (k too large for the ambient space, a
/// digit that is not 0–9, n < 1). `parameter` uses the notebook's parameter names (`n`,
/// `k`, `ambient`, `noise`, `digits`, …) so a directive can point at the offending key.
public struct DatasetParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var parameter: String
    public var message: String
    public init(_ parameter: String, _ message: String) {
        self.parameter = parameter
        self.message = message
    }
    public var description: String { "`\(parameter)`: \(message)" }
}
