import Foundation

/// The validated arguments of one cell: every declared parameter with its value (or its
/// default), plus where each key was written, for error messages. Directives read them
/// only through their settings struct (`decode`): a key is named once, by its `@Param`
/// property, and whether the body set it is `cell.$key.isExplicit`.
public struct Arguments: Sendable, Hashable {
    public var values: [String: ParameterValue]
    /// Line (1-based, in the notebook) of each key that the body set.
    public var lines: [String: Int]

    public init(values: [String: ParameterValue], lines: [String: Int] = [:]) {
        self.values = values
        self.lines = lines
    }
}
