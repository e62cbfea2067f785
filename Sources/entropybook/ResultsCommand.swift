import ArgumentParser
import Foundation
import Notebook
import Readme
import Runs

/// Regenerates the README's results from full runs' run.json.
struct ResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Rewrite the README's results tables from full runs (via their extracts in docs/results/).",
        discussion: """
        Each RUN (a run.json or its output directory, of a full run of synthetic.md, \
        verdict-calibration.md, mnist.md, presentation.md or mi-benchmark.md) is cut down to the records the \
        README's tables read and written to EXTRACTS/NAME.json. Then every block between \
        `<!-- results:NAME -->` and `<!-- /results:NAME -->` in the README is rewritten from \
        the extracts. Without RUN, only the README is regenerated. --check writes nothing and \
        exits 1, with the differing lines, when the README disagrees with the extracts.
        """)

    @Argument(help: "Full runs to extract: run.json files or output directories.")
    var runs: [String] = []

    @Option(help: "The README to rewrite.")
    var readme: String = "README.md"

    @Option(help: "Directory of the extracts.")
    var extracts: String = "docs/results"

    @Flag(help: "Write nothing; exit 1 when the README disagrees with the extracts.")
    var check = false

    func run() throws {
        let directory = URL(fileURLWithPath: extracts)
        var written = [String: JSONValue]()
        for path in runs {
            let run = try RunDiff.load(path)
            guard let source = ReadmeResults.source(forNotebook: run["notebook"]?.stringValue ?? "") else {
                let names = ReadmeResults.sources.map(\.notebook).joined(separator: ", ")
                throw ValidationError("\(path): a run of \(run["notebook"]?.stringValue ?? "an unknown notebook"); the README's results come from \(names)")
            }
            written[source.name] = try ReadmeResults.extract(run: run, source: source)
        }
        if !check {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, extract) in written.sorted(by: { $0.key < $1.key }) {
                let file = directory.appendingPathComponent("\(name).json")
                try ReadmeResults.encode(extract).write(to: file, options: .atomic)
                print("wrote \(file.path)")
            }
        }
        let loaded = try ReadmeResults.extracts(in: directory).merging(written) { _, new in new }
        let blocks = try ReadmeResults.blocks(from: loaded)
        for notebook in ReadmeResults.changedNotebooks(loaded, root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
            print("note: \(notebook) changed since the run its extract came from; run it again and pass the run to `entropybook results`")
        }
        let readmeURL = URL(fileURLWithPath: readme)
        let old = try String(contentsOf: readmeURL, encoding: .utf8)
        let new = try ReadmeResults.update(readme: old, blocks: blocks)
        if check {
            guard old != new else { return print("\(readme) agrees with \(extracts)/ (\(blocks.keys.sorted().joined(separator: ", ")))") }
            print(ReadmeResults.lineDiff(old, new))
            throw ExitCode(1)
        }
        if old != new { try new.write(to: readmeURL, atomically: true, encoding: .utf8) }
        print("\(readme): \(old == new ? "unchanged" : "rewrote") blocks \(blocks.keys.sorted().joined(separator: ", "))")
    }
}
