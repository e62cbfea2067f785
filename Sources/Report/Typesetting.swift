import Foundation
import Notebook

/// The style of a claim's outcome on a page (the class `verdict-NAME` of its badge):
/// "confirmed", "partly" or "not-confirmed". For pages beside the reports (the site's index).
public func verdictStyle(_ outcome: ClaimValue.Outcome) -> String { Typesetting.Verdict(outcome).rawValue }

/// How the page shows values the engine hands over as text: numbers and ranges set with a
/// real minus sign and thin spaces, verdicts recognised so they get their own style, and
/// the pixel size of a PNG for the `<img>` width and height (no layout shift).
enum Typesetting {
    /// A number as the engine prints it: "-1.41", "3.97e-04", "12", "0.25".
    private static let number = #"[-−+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"#
    /// A number, a range "[a–b]" / "a–b", or a value with its spread "a ± b", each possibly
    /// a percentage ("12.5 %"). The patterns
    /// are constants; were one ever to fail to compile, cells are shown as written.
    private static let numeric = try? NSRegularExpression(
        pattern: #"^\s*[\[(]?\s*N(?:\s*(?:–|±|\.\.\.?)\s*N)?\s*[\])]?(?:\s*%)?\s*$"#.replacingOccurrences(of: "N", with: number))
    private static let exponent = try? NSRegularExpression(pattern: #"(\d)[eE]([-+]?)0*(\d+)"#)

    /// Whether a table cell holds a number or a numeric range (right-aligned, never wrapped).
    static func isNumeric(_ text: String) -> Bool {
        !text.isEmpty && numeric?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The cell as a reader should see it: for numbers and ranges, a minus sign (U+2212)
    /// instead of the hyphen, "×10⁻⁴" instead of "e-04", and thin spaces around the range's
    /// en dash so "[−2.11 – −1.41]" does not read as one long token, and a no-break space
    /// before a percent sign. Other text is unchanged.
    static func typeset(_ text: String) -> String {
        guard isNumeric(text) else { return text }
        var s = ""
        var previous: Character?
        for c in text {
            // A hyphen is a sign at the start, after a bracket, a space or a range dash.
            if c == "-", previous.map({ "[( –±".contains($0) }) ?? true { s.append("−") } else { s.append(c) }
            previous = c
        }
        s = s.replacingOccurrences(of: #"\s*–\s*"#, with: "\u{2009}–\u{2009}", options: .regularExpression)
        // "0 %" never breaks between the number and its sign in a narrow column.
        s = s.replacingOccurrences(of: #"\s+%"#, with: "\u{00A0}%", options: .regularExpression)
        let range = NSRange(s.startIndex..., in: s)
        var result = s
        for match in (exponent?.matches(in: s, range: range) ?? []).reversed() {
            guard let whole = Range(match.range, in: s), let digit = Range(match.range(at: 1), in: s),
                  let sign = Range(match.range(at: 2), in: s), let power = Range(match.range(at: 3), in: s),
                  let k = Int(s[power]) else { continue }
            let exponent = (s[sign] == "-" ? -k : k)
            result.replaceSubrange(Range(match.range, in: result) ?? whole, with: s[digit] + "×10" + superscript(exponent))
        }
        return result
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(abs(n)).compactMap { $0.wholeNumberValue.map { digits[$0] } }
    }

    /// The three outcomes of a `{claim}`, each with its own colour, glyph and word.
    enum Verdict: String {
        case confirmed, partly, notConfirmed = "not-confirmed"

        var mark: String {
            switch self {
            case .confirmed: "✔"
            case .partly: "◐"
            case .notConfirmed: "✘"
            }
        }

        /// The verdict of a table cell that holds exactly a status ("partly confirmed").
        init?(status: String) {
            switch status.trimmingCharacters(in: .whitespaces).lowercased() {
            case "confirmed": self = .confirmed
            case "partly confirmed", "partly": self = .partly
            case "not confirmed": self = .notConfirmed
            default: return nil
            }
        }

        /// The style of a claim's typed outcome.
        init(_ outcome: ClaimValue.Outcome) {
            switch outcome {
            case .confirmed: self = .confirmed
            case .partly: self = .partly
            case .notConfirmed: self = .notConfirmed
            }
        }
    }

    /// Width and height of a PNG from its IHDR chunk (nil when `bytes` is not a PNG).
    static func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func be32(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let w = be32(16), h = be32(20)
        return w > 0 && h > 0 ? (w, h) : nil
    }
}
