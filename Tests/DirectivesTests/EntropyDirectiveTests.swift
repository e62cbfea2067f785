import Foundation
import XCTest
import Directives
import Notebook

/// `{entropy}`'s checks of the `estimator: noisy` parameters, through the real validator.
final class EntropyDirectiveTests: XCTestCase {
    private let registry: [any Directive.Type] = [DatasetDirective.self, EntropyDirective.self]
    private let dataset = "```{dataset}\nid: g\nkind: gaussian\nn: 300\n```\n\n"

    private func problems(_ body: String) -> [String] {
        let (document, _) = NotebookParser.parse(dataset + "```{entropy}\ndata: g\n" + body + "```\n", file: "nb.md")
        switch Validator(registry: registry).plan(document) {
        case .success: return []
        case .failure(let f): return f.diagnostics.map(\.description)
        }
    }

    func testNoisyEstimatorDefaultsToSigmaOneTenthStandardisedAndTenThousandDraws() throws {
        let (document, _) = NotebookParser.parse(dataset + "```{entropy}\ndata: g\nestimator: noisy\n```\n", file: "nb.md")
        let arguments = try Validator(registry: registry).plan(document).get().cells[1].arguments
        XCTAssertEqual(arguments.values["sigma"], .double(0.1))
        XCTAssertEqual(arguments.values["standardize"], .bool(true))
        XCTAssertEqual(arguments.values["samples"], .int(10_000))
    }

    func testNoisyEstimatorRejectsBandwidthAndWhiten() {
        let found = problems("estimator: noisy\nbandwidth: 0.3\nwhiten: false\n")
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertTrue(found.contains { $0.contains("has no bandwidth") }, "\(found)")
        XCTAssertTrue(found.contains { $0.contains("uses `standardize`") }, "\(found)")
    }

    func testSigmaAndStandardizeOutsideNoisyAreErrors() {
        let found = problems("estimator: kde-loo\nsigma: 0.2\nstandardize: false\n")
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.contains("used only by `estimator: noisy`") }, "\(found)")
    }

    func testNonPositiveSigmaIsAnError() {
        XCTAssertEqual(problems("estimator: noisy\nsigma: 0\n").count, 1)
    }
}
