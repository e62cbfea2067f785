import ArgumentParser
import Directives
import Notebook

/// Prints the directive catalogue, generated from the registry.
struct DirectivesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directives",
        abstract: "List the directives and their parameters.")

    @Argument(help: "Show one directive in full.")
    var name: String?

    func run() throws {
        if let name {
            guard let d = DirectiveRegistry.directive(named: name) else {
                let names = DirectiveRegistry.all.map { $0.name }
                throw ValidationError("no directive `{\(name)}`; the directives are: \(names.joined(separator: ", "))")
            }
            print(DirectiveCatalogue.describe(d))
        } else {
            print(DirectiveCatalogue.overview(of: DirectiveRegistry.all))
        }
    }
}
