import XCTest
@testable import Notebook

/// Issue 17, page: numbers in tables and metrics keep one rule of significant digits (4 by
/// default), never print more digits than that, and switch to an exponent (which the report
/// typesets as ×10⁻⁴) only for very small or very large magnitudes.
final class NumberFormatTests: XCTestCase {
    func testSignificantDigitsAreTheSameRuleForEveryMagnitude() {
        let cases: [(x: Double, digits: Int, text: String)] = [
            (1.41894, 4, "1.419"),
            (14.1894, 4, "14.19"),
            (141.894, 4, "141.9"),
            (0.0141894, 4, "0.01419"),
            (-2.1137, 3, "-2.11"),
            (0.25, 4, "0.25"),           // no trailing zeros: "0.2500" claims a precision it lacks
            (12, 4, "12"),
            (12345.678, 4, "12346"),     // whole numbers keep their integer digits
            (0.000397, 3, "3.97e-04"),   // small: an exponent, typeset as 3.97×10⁻⁴
            (3.2e7 + 0.5, 3, "3.20e+07"),
            (.nan, 4, "—"),
            (.infinity, 4, "∞"),
            (-.infinity, 4, "−∞"),
        ]
        for c in cases { XCTAssertEqual(formatNumber(c.x, significantDigits: c.digits), c.text, "\(c.x)") }
    }
}
