@testable import Notebook
import XCTest

/// Typed argument binding: a directive's settings struct reads the validated arguments by
/// property name (camelCase → kebab-case keys), numbers widen, and a mismatch between a
/// declaration and its struct is a `ParameterError` naming the key.
final class ArgumentDecoderTests: XCTestCase {
    enum Shape: String, Decodable { case round, square }

    struct Group: Decodable, Equatable {
        var epochs: Int
        var learningRate: Double
    }

    struct Settings: Decodable {
        var data: ResultID
        var codeActivation: Shape
        var sizes: [Int]
        var scale: Double
        var label: String?
        var group: Group
        var ids: [ResultID]
    }

    func testKebabKeysTypedValuesAndNestedGroups() throws {
        let arguments = Arguments(values: [
            "data": .reference("ds"), "code-activation": .string("square"), "sizes": .list([.int(1), .int(2)]),
            "scale": .int(3), "group": .object(["epochs": .int(5), "learning-rate": .double(0.01)]),
            "ids": .list([.reference("a"), .reference("b.codes")]),
        ])
        let s = try arguments.decode(Settings.self)
        XCTAssertEqual(s.data, ResultID("ds", parameter: "data"))
        XCTAssertEqual(s.codeActivation, .square)
        XCTAssertEqual(s.sizes, [1, 2])
        XCTAssertEqual(s.scale, 3) // an integer widens to a number
        XCTAssertNil(s.label)
        XCTAssertEqual(s.group, Group(epochs: 5, learningRate: 0.01))
        XCTAssertEqual(s.ids.map(\.id), ["a", "b.codes"])
        XCTAssertEqual(s.ids.map(\.parameter), ["ids", "ids"])
    }

    func testMismatchIsAParameterErrorNamingTheKey() {
        let cases: [(ParameterValue, String, String)] = [
            (.double(2.5), "group.epochs", "`group.epochs` should be an integer"),
            (.string("x"), "group.epochs", "`group.epochs` should be an integer"),
        ]
        for (epochs, key, message) in cases {
            let arguments = Arguments(values: ["group": .object(["epochs": epochs, "learning-rate": .double(1)])])
            struct Only: Decodable { var group: Group }
            XCTAssertThrowsError(try arguments.decode(Only.self)) { error in
                let e = error as? ParameterError
                XCTAssertEqual(e?.parameter, key)
                XCTAssertEqual(e?.message, message)
            }
        }
        struct Needs: Decodable { var codeActivation: Shape }
        XCTAssertThrowsError(try Arguments(values: [:]).decode(Needs.self)) { error in
            XCTAssertEqual((error as? ParameterError)?.message, "`code-activation` is required")
        }
    }

    func testKebabCase() {
        XCTAssertEqual(kebabCase("monteCarlo"), "monte-carlo")
        XCTAssertEqual(kebabCase("gainThreshold"), "gain-threshold")
        XCTAssertEqual(kebabCase("k"), "k")
    }
}
