import XCTest
@testable import Report
import Notebook

final class TypesettingTests: XCTestCase {
    func testNumbersAndRangesAreTypesetAndOtherTextIsLeftAlone() {
        let cases: [(String, String)] = [
            ("[-2.11–-1.41]", "[−2.11\u{2009}–\u{2009}−1.41]"),
            ("3.97e-04", "3.97×10⁻⁴"),
            ("1.2e+07", "1.2×10⁷"),
            ("-0.5", "−0.5"),
            ("12", "12"),
            ("0.42 ± 0.03", "0.42 ± 0.03"),
            ("2–5", "2\u{2009}–\u{2009}5"),
            ("k-means", "k-means"),
            ("not confirmed", "not confirmed"),
            ("d = 3", "d = 3"),
            ("0 %", "0\u{00A0}%"),
            ("12.5 %", "12.5\u{00A0}%"),
            ("", ""),
        ]
        for (input, expected) in cases { XCTAssertEqual(Typesetting.typeset(input), expected, input) }
    }

    func testNumericCellsAreRecognised() {
        for text in ["1", "-1.5", "3.97e-04", "[-2.11–-1.41]", "(0.1–0.2)", "0.42 ± 0.03", "−0.5", "0 %", "12.5 %"] {
            XCTAssertTrue(Typesetting.isNumeric(text), text)
        }
        for text in ["", "—", "H(d)", "d = 3", "1 of 3", "2024-01-01"] { XCTAssertFalse(Typesetting.isNumeric(text), text) }
    }

    func testVerdictsAreRecognisedInSentencesAndCells() {
        XCTAssertEqual(Typesetting.Verdict(ClaimValue.Outcome.partly), .partly)
        XCTAssertEqual(Typesetting.Verdict(ClaimValue.Outcome.notConfirmed), .notConfirmed)
        XCTAssertEqual(Typesetting.Verdict(ClaimValue.Outcome.confirmed).mark, ClaimValue.Outcome.confirmed.mark)
        XCTAssertEqual(Typesetting.Verdict(status: "confirmed"), .confirmed)
        XCTAssertEqual(Typesetting.Verdict(status: "not confirmed"), .notConfirmed)
        XCTAssertNil(Typesetting.Verdict(status: "unconfirmed data"))
    }

    func testPNGSizeComesFromTheHeader() {
        var header: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        header += [0, 0, 0x07, 0x08, 0, 0, 0x04, 0x60] // 1800 × 1120
        XCTAssertEqual(Typesetting.pngSize(header)?.width, 1800)
        XCTAssertEqual(Typesetting.pngSize(header)?.height, 1120)
        XCTAssertNil(Typesetting.pngSize([0x89, 0x50, 0x4E, 0x47]))
    }
}
