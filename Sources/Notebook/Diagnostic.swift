/// A position in a notebook file (1-based line and column).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }
    public var description: String { "\(file):\(line):\(column)" }
}

/// An error or warning with a location, printed as `notebook.md:12:1: error: message`
/// (the swift-docc / compiler convention), with the source line under it when known.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning, note }
    public var severity: Severity
    public var location: SourceLocation
    /// The directive the problem is in ("autoencoder"), when there is one.
    public var directive: String?
    /// The parameter the problem is about ("epochs"), when there is one.
    public var parameter: String?
    public var message: String
    /// The text of the offending source line, shown under the message.
    public var sourceLine: String?

    public init(_ severity: Severity = .error, at location: SourceLocation, directive: String? = nil,
                parameter: String? = nil, _ message: String, sourceLine: String? = nil) {
        self.severity = severity
        self.location = location
        self.directive = directive
        self.parameter = parameter
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:col: error: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }

    /// The description with the source line and a caret under the column, as compilers print.
    /// A line longer than 200 characters is shown as 160 of them around the column, so a
    /// hostile 2 MB line is not printed back whole.
    public var rendered: String {
        guard let sourceLine else { return description }
        let scalars = sourceLine.unicodeScalars
        let offset = max(0, location.column - 1)
        guard scalars.count > 200 else {
            return "\(description)\n\(sourceLine)\n" + String(repeating: " ", count: offset) + "^"
        }
        let from = max(0, min(offset - 80, scalars.count - 160))
        let window = scalars.dropFirst(from).prefix(160)
        let shown = (from > 0 ? "…" : "") + String(String.UnicodeScalarView(window)) + (from + 160 < scalars.count ? "…" : "")
        return "\(description)\n\(shown)\n" + String(repeating: " ", count: offset - from + (from > 0 ? 1 : 0)) + "^"
    }
}

/// Thrown by a directive's `run` when a problem belongs to one of its parameters (a file
/// that does not exist, a value that is valid alone but not with the data). The runner
/// turns it into a Diagnostic at that parameter's line.
public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var parameter: String
    public var message: String
    public init(_ parameter: String, _ message: String) {
        self.parameter = parameter
        self.message = message
    }
    public var description: String { message }
}

/// A failure inside a cell that is not about a single parameter (NaN loss, singular
/// covariance, …). Library errors may be thrown as they are; their description is shown.
public struct CellError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
