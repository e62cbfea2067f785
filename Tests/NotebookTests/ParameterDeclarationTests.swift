import Foundation
@testable import Notebook
import XCTest

/// Issue 24 item 4: a parameter is declared once, by its `@Param` property — key, type,
/// range, words, default and doc come from the property, and decoding reads the same
/// property, with `$name.isExplicit` for whether the body set the key.
final class ParameterDeclarationTests: XCTestCase {
    enum Shape: String, CaseIterable, Codable, ParameterWords { case round, square, flat = "flat-ish" }

    struct Group: ParameterGroup, Codable, Equatable {
        @Param("passes", 1...100) var epochs = 20
        @Param("patience", 1...10) var patience: Int?
    }

    struct Settings: ParameterSettings, Codable {
        @Param("the points", kinds: [.dataset]) var data: ResultID
        @Param("the shape") var shape = Shape.round
        @Param("some shapes") var shapes = [Shape.round, .square]
        @Param("only two", words: [.round, .square]) var codeShape = Shape.square
        @Param("a size", 1...4096) var code: Int
        @Param("a scale", 0.5...2) var scale = 1.0
        @Param("a label") var label: String?
        @Param("sizes", 1...65_536) var sizes = [256, 128]
        @Param("a file", type: .path) var path: String?
        @Param("the group") var group = Group()
        /// Not a parameter: no wrapper.
        var derived: Int { code * 2 }
    }

    func testTheDeclarationComesFromTheProperty() {
        let p = Dictionary(uniqueKeysWithValues: Settings.parameters.map { ($0.name, $0) })
        XCTAssertEqual(Settings.parameters.map(\.name),
                       ["data", "shape", "shapes", "code-shape", "code", "scale", "label", "sizes", "path", "group"],
                       "keys in declaration order, kebab case")
        XCTAssertEqual(p["data"], Parameter("data", .reference([.dataset]), required: true, doc: "the points"))
        XCTAssertEqual(p["shape"], Parameter("shape", .choice(["round", "square", "flat-ish"]), default: .string("round"), doc: "the shape"))
        XCTAssertEqual(p["shapes"]?.type, .wordList(["round", "square", "flat-ish"]))
        XCTAssertEqual(p["shapes"]?.defaultValue, .list([.string("round"), .string("square")]))
        XCTAssertEqual(p["code-shape"]?.type, .choice(["round", "square"]))
        XCTAssertEqual(p["code"], Parameter("code", .int(1...4096), required: true, doc: "a size"))
        XCTAssertEqual(p["scale"], Parameter("scale", .double(0.5...2), default: .double(1), doc: "a scale"))
        XCTAssertEqual(p["label"], Parameter("label", .string, doc: "a label"), "optional without a value: no default, not required")
        XCTAssertEqual(p["sizes"], Parameter("sizes", .intList(1...65_536), default: .list([.int(256), .int(128)]), doc: "sizes"))
        XCTAssertEqual(p["path"]?.type, .path)
        XCTAssertEqual(p["group"], Parameter("group", .object([
            Parameter("epochs", .int(1...100), default: .int(20), doc: "passes"),
            Parameter("patience", .int(1...10), doc: "patience"),
        ]), doc: "the group"))
    }

    func testDecodingReadsTheSamePropertiesAndKnowsWhatTheBodySet() throws {
        let arguments = Arguments(values: [
            "data": .reference("ds"), "shape": .string("flat-ish"), "shapes": .list([.string("square")]),
            "code-shape": .string("square"), "code": .int(8), "scale": .int(2), "sizes": .list([.int(4)]),
            "group": .object(["epochs": .int(5)]),
        ], lines: ["data": 2, "shape": 3, "code": 4, "group.epochs": 5])
        let s = try arguments.decode(Settings.self)
        XCTAssertEqual(s.data, ResultID("ds", parameter: "data"))
        XCTAssertEqual(s.shape, .flat)
        XCTAssertEqual(s.shapes, [.square])
        XCTAssertEqual(s.code, 8)
        XCTAssertEqual(s.derived, 16)
        XCTAssertEqual(s.scale, 2)
        XCTAssertNil(s.label, "an optional key the body left out reads as nil")
        XCTAssertNil(s.path)
        XCTAssertEqual(s.group.epochs, 5)
        XCTAssertNil(s.group.patience)
        XCTAssertTrue(s.$data.isExplicit)
        XCTAssertTrue(s.$shape.isExplicit)
        XCTAssertFalse(s.$scale.isExplicit, "a value without a line is a default")
        XCTAssertFalse(s.$label.isExplicit)
        XCTAssertTrue(s.group.$epochs.isExplicit, "a nested key is explicit by its dotted path")
        XCTAssertFalse(s.group.$patience.isExplicit)
    }

    func testAMismatchStillNamesTheKey() {
        struct Small: ParameterSettings {
            @Param("a size", 1...4096) var codeSize: Int
            @Param("a label") var label: String?
        }
        XCTAssertThrowsError(try Arguments(values: ["code-size": .double(2.5)]).decode(Small.self)) { error in
            XCTAssertEqual((error as? ParameterError)?.parameter, "code-size")
            XCTAssertEqual((error as? ParameterError)?.message, "`code-size` should be an integer")
        }
        XCTAssertThrowsError(try Arguments(values: [:]).decode(Small.self)) { error in
            XCTAssertEqual((error as? ParameterError)?.message, "`code-size` is required")
        }
    }

    /// A settings struct encodes as a plain one would (cache keys made from settings stay the
    /// same): each value alone, a missing optional left out.
    func testEncodingIsTheValuesAlone() throws {
        struct Plain: Encodable {
            var data = "ds", shape = "round", shapes = ["round", "square"], codeShape = "square", code = 8, scale = 1.0
            var sizes = [256, 128]
            var group = ["epochs": 20]
        }
        var s = Settings()
        s.data = ResultID("ds", parameter: "data")
        s.code = 8
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        XCTAssertEqual(String(decoding: try encoder.encode(s), as: UTF8.self), String(decoding: try encoder.encode(Plain()), as: UTF8.self))
    }

    /// Equality and hashing look at the values only, not at whether a key was written.
    func testEqualityIgnoresWhereAValueCameFrom() throws {
        let written = try Arguments(values: ["epochs": .int(20)], lines: ["epochs": 1]).decode(Group.self)
        let defaulted = try Arguments(values: ["epochs": .int(20)]).decode(Group.self)
        XCTAssertEqual(written, defaulted)
    }
}
