import XCTest
import Linalg
@testable import Autoencoder

final class ModelCodingTests: XCTestCase {
    func model() throws -> Autoencoder {
        let architecture = try AutoencoderArchitecture(inputDimension: 12, codeDimension: 3, hidden: [10, 6],
                                                       activation: .leakyRelu, codeActivation: .sigmoid, outputActivation: .tanh)
        var g = SeededGenerator(seed: 1)
        return Autoencoder(architecture: architecture, generator: &g)
    }

    func testSerialisedModelRoundTripsExactly() throws {
        let original = try model()
        let bytes = original.serialized()
        XCTAssertEqual(Array(bytes.prefix(4)), Array("EBAE".utf8))
        let restored = try Autoencoder(bytes: bytes)
        XCTAssertEqual(restored, original)
        var g = SeededGenerator(seed: 2)
        let x = g.normalMatrix(rows: 9, columns: 12)
        XCTAssertEqual(try restored.encode(x), try original.encode(x))
    }

    func testMalformedBytesAreErrors() throws {
        let bytes = try model().serialized()
        XCTAssertThrowsError(try Autoencoder(bytes: Array(bytes.dropLast(3))))
        XCTAssertThrowsError(try Autoencoder(bytes: [0x00] + Array(bytes.dropFirst())))
        XCTAssertThrowsError(try Autoencoder(bytes: []))
        var badVersion = bytes
        badVersion[4] = 99
        XCTAssertThrowsError(try Autoencoder(bytes: badVersion)) { error in
            XCTAssertTrue(String(describing: error).contains("version 99"))
        }
    }
}
