import Foundation

/// A path a cell will read, as the notebook wrote it, and the parameter that names it.
public struct ReadPath: Sendable, Hashable {
    public var parameter: String
    public var path: String
    public var expecting: FileLocations.Expectation

    public init(parameter: String, path: String, expecting: FileLocations.Expectation = .file) {
        self.parameter = parameter
        self.path = path
        self.expecting = expecting
    }
}

extension Validator {
    /// The read access of this notebook: `locations` with the front matter's `allow-read`
    /// directories added when `trust` confirms them (they resolve against the notebook's
    /// directory), and the directories it named without that confirmation.
    func readAccess(for document: Document) -> (locations: FileLocations, unconfirmed: [URL])? {
        guard var locations else { return nil }
        let named = document.frontMatter.allowRead.map { locations.resolve($0) }
        if trust {
            locations.allowedDirectories += named
            return (locations, [])
        }
        return (locations, named)
    }

    /// A problem per path of `directive`'s arguments that the notebook may not read, each
    /// with the parameter it belongs to. When the front matter's `allow-read` names the
    /// directory but `--trust` was not given, the message says so.
    func confinementProblems(_ directive: any Directive.Type, _ arguments: Arguments,
                             access: (locations: FileLocations, unconfirmed: [URL])) -> [ParameterError] {
        directive.readPaths(arguments).compactMap { read -> ParameterError? in
            do {
                _ = try access.locations.readableURL(read.path, expecting: read.expecting)
                return nil
            } catch let refusal as ReadRefusal {
                let resolved = access.locations.resolve(read.path).path
                let named = refusal.allowable
                    && access.unconfirmed.contains { resolved == $0.path || resolved.hasPrefix($0.path + "/") }
                return ParameterError(read.parameter, refusal.description
                    + (named ? " (the front matter's `allow-read` names it, which counts only with `--trust`)" : ""))
            } catch {
                return ParameterError(read.parameter, "`\(read.path)` cannot be checked: \(error)")
            }
        }
    }
}
