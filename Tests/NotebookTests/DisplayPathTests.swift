import Foundation
import XCTest
@testable import Notebook

/// Issue 17, page: the report prints a file relative to the notebook ("../data/x.csv"),
/// not the machine's absolute path (meaningless to a reader, and it runs off a phone).
final class DisplayPathTests: XCTestCase {
    func context(notebookDirectory: String) -> CellContext {
        CellContext(cellID: "c", seed: 1, settings: RunSettings(), notebookDirectory: URL(fileURLWithPath: notebookDirectory),
                    dataDirectory: URL(fileURLWithPath: "/srv/data"), environment: [:], arguments: Arguments(values: [:]))
    }

    /// Each row: notebook directory, path as given, path as printed.
    func testAbsolutePathsArePrintedRelativeToTheNotebook() {
        let cases: [(notebook: String, path: String, shown: String)] = [
            ("/home/ada/book/notebooks", "/home/ada/book/data/mnist_5k.csv.gz", "../data/mnist_5k.csv.gz"),
            ("/home/ada/book/notebooks", "/home/ada/book/notebooks/points.csv", "points.csv"),
            ("/home/ada/book/notebooks", "/home/ada/book/notebooks/sub/dir/x.npy", "sub/dir/x.npy"),
            ("/home/ada/book/notebooks", "/home/ada/other/y.csv", "../../other/y.csv"),
            ("/home/ada/book/notebooks", "/home/ada/book/notebooks", "."),
            ("/home/ada/book/notebooks", "/home/ada/book/notebooks/../data/z.csv", "../data/z.csv"),
            // Nothing in common but the root: a relative path would only be longer.
            ("/home/ada/book/notebooks", "/srv/data/mnist", "/srv/data/mnist"),
            // Already relative: as written in the notebook.
            ("/home/ada/book/notebooks", "data/x.csv", "data/x.csv"),
        ]
        for c in cases {
            XCTAssertEqual(context(notebookDirectory: c.notebook).displayPath(c.path), c.shown, "\(c.path) from \(c.notebook)")
        }
    }
}
