import Foundation

/// A conclusion judged on numbers by a stated rule: the outcome, the rule in words, its
/// thresholds and the numbers it compared. Stored by `{claim}` and shown by the report with
/// the outcome's style (the report reads `outcome`, never the sentence).
public struct ClaimValue: CacheableValue, Hashable, Codable {
    public static var kind: ValueKind { ValueKind(RecordDeclaration.claim) }
    public static var cacheTag: String { "claim" }

    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        case confirmed = "confirmed"
        case partly = "partly confirmed"
        case notConfirmed = "not confirmed"

        /// "✔ Confirmed", "◐ Partly confirmed", "✘ Not confirmed".
        public var mark: String {
            switch self {
            case .confirmed: "✔"
            case .partly: "◐"
            case .notConfirmed: "✘"
            }
        }
        public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    /// A named number the rule compared, or one of its thresholds.
    public struct Number: Sendable, Hashable, Codable {
        public var name: String
        public var value: Double
        public init(_ name: String, _ value: Double) { self.name = name; self.value = value }
    }

    public var statement: String
    /// The test's name ("corrdim-continuous").
    public var test: String
    public var outcome: Outcome
    /// The rule in words, with its thresholds written out.
    public var rule: String
    public var thresholds: [Number]
    /// The numbers the rule compared.
    public var numbers: [Number]
    /// What the numbers show, in a sentence or two.
    public var evidence: String

    public init(statement: String, test: String, outcome: Outcome, rule: String, thresholds: [Number], numbers: [Number], evidence: String) {
        self.statement = statement
        self.test = test
        self.outcome = outcome
        self.rule = rule
        self.thresholds = thresholds
        self.numbers = numbers
        self.evidence = evidence
    }

    public var summary: String { "\(outcome.rawValue): \(statement)" }

    /// The sentence after the outcome: the claim, the evidence and the rule.
    public var sentence: String { "“\(statement)”. \(evidence). Rule: \(rule)." }
    /// The whole line as the terminal and plain text show it.
    public var line: String { "\(outcome.mark) \(outcome.title) — \(sentence)" }

    public func encode(to writer: inout ByteWriter) throws { try writer.write(json: self) }
    public static func decode(from reader: inout ByteReader) throws -> ClaimValue { try reader.readJSON(ClaimValue.self) }
}
