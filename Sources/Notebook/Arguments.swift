import Foundation

/// The validated arguments of one cell: every declared parameter with its value (or its
/// default), plus where each key was written, for error messages.
public struct Arguments: Sendable, Hashable {
    public var values: [String: ParameterValue]
    /// Line (1-based, in the notebook) of each key that the body set.
    public var lines: [String: Int]

    public init(values: [String: ParameterValue], lines: [String: Int] = [:]) {
        self.values = values
        self.lines = lines
    }

    /// Whether the body set the key or it has a default.
    public func has(_ name: String) -> Bool { values[name] != nil }
    /// Whether the body itself set the key (not a default).
    public func isExplicit(_ name: String) -> Bool { lines[name] != nil }

    func int(_ name: String) throws -> Int {
        guard case .int(let v)? = values[name] else { throw missing(name, "an integer") }
        return v
    }
    func double(_ name: String) throws -> Double {
        switch values[name] {
        case .double(let v)?: return v
        case .int(let v)?: return Double(v)
        default: throw missing(name, "a number")
        }
    }
    func bool(_ name: String) throws -> Bool {
        guard case .bool(let v)? = values[name] else { throw missing(name, "true or false") }
        return v
    }
    func string(_ name: String) throws -> String {
        guard case .string(let v)? = values[name] else { throw missing(name, "text") }
        return v
    }
    /// The id a reference parameter names.
    func reference(_ name: String) throws -> String {
        guard case .reference(let v)? = values[name] else { throw missing(name, "an id") }
        return v
    }
    func ints(_ name: String) throws -> [Int] {
        guard case .list(let items)? = values[name] else { throw missing(name, "a list of integers") }
        return try items.map { item in
            guard case .int(let v) = item else { throw missing(name, "a list of integers") }
            return v
        }
    }
    func doubles(_ name: String) throws -> [Double] {
        guard case .list(let items)? = values[name] else { throw missing(name, "a list of numbers") }
        return try items.map { item in
            switch item {
            case .double(let v): return v
            case .int(let v): return Double(v)
            default: throw missing(name, "a list of numbers")
            }
        }
    }
    /// The ids a reference-list parameter names.
    func references(_ name: String) throws -> [String] {
        guard case .list(let items)? = values[name] else { throw missing(name, "a list of ids") }
        return try items.map { item in
            guard case .reference(let v) = item else { throw missing(name, "a list of ids") }
            return v
        }
    }
    func strings(_ name: String) throws -> [String] {
        guard case .list(let items)? = values[name] else { throw missing(name, "a list of words") }
        return try items.map { item in
            guard case .string(let v) = item else { throw missing(name, "a list of words") }
            return v
        }
    }
    /// A nested mapping's arguments (defaults filled in).
    func object(_ name: String) throws -> Arguments {
        guard case .object(let v)? = values[name] else { throw missing(name, "a mapping") }
        return Arguments(values: v, lines: lines.filter { $0.key.hasPrefix(name + ".") }
            .reduce(into: [:]) { $0[String($1.key.dropFirst(name.count + 1))] = $1.value })
    }

    func optionalInt(_ name: String) throws -> Int? { has(name) ? try int(name) : nil }
    func optionalDouble(_ name: String) throws -> Double? { has(name) ? try double(name) : nil }
    func optionalString(_ name: String) throws -> String? { has(name) ? try string(name) : nil }

    private func missing(_ name: String, _ expected: String) -> ParameterError {
        ParameterError(name, "`\(name)` should be \(expected)")
    }
}
