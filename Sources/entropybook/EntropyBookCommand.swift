import ArgumentParser
import Foundation
import Notebook

@main
struct EntropyBookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entropybook",
        abstract: "Run Markdown notebooks of information-theoretic experiments and write self-contained HTML reports.",
        discussion: """
        A notebook is Markdown with fenced directive blocks (```{dataset}, ```{autoencoder}, \
        ```{entropy}, …) whose YAML bodies call the experiment library. `entropybook run` \
        executes them in order and writes output/NOTEBOOK/index.html with every figure inlined, \
        plus figures/*.png (slide size), data/*.csv and run.json.
        """,
        version: ProgramInfo.version,
        subcommands: [RunCommand.self, WatchCommand.self, PreviewCommand.self, SiteCommand.self, CheckCommand.self, DiffCommand.self, DirectivesCommand.self, CacheCommand.self,
                      UnitsCommand.self, WorkCommand.self, BenchCommand.self, ResultsCommand.self],
        defaultSubcommand: nil)
}
