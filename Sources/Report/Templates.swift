import Foundation
import Mustache

/// The report's templates (templates/report.mustache, templates/cell.mustache) and its
/// stylesheet (templates/style.css, inlined into every report), and the slide deck's.
public struct Templates: Sendable {
    public var report: MustacheTemplate
    public var cell: MustacheTemplate
    public var css: String
    /// The slide deck (templates/slides.mustache, templates/slides.css).
    public var slides: MustacheTemplate
    public var slidesCSS: String

    /// Loads the templates from `directory`.
    public init(directory: URL) throws {
        func read(_ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw TemplateError("cannot read template \(url.path)")
            }
            return text
        }
        do {
            report = try MustacheTemplate(string: try read("report.mustache"))
            cell = try MustacheTemplate(string: try read("cell.mustache"))
            slides = try MustacheTemplate(string: try read("slides.mustache"))
        } catch let e as TemplateError {
            throw e
        } catch {
            throw TemplateError("template error in \(directory.path): \(error)")
        }
        css = try read("style.css")
        slidesCSS = try read("slides.css")
    }

    /// Finds templates/: $ENTROPYBOOK_TEMPLATES, else a `templates` folder beside or above
    /// the executable (the repository when run from .build), else one above the current
    /// directory.
    public static func locate() throws -> URL {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["ENTROPYBOOK_TEMPLATES"] {
            return URL(fileURLWithPath: env)
        }
        var starts = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        starts.append(URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent())
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("templates")
                if fm.fileExists(atPath: candidate.appendingPathComponent("report.mustache").path) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
        }
        throw TemplateError("cannot find the templates/ folder (report.mustache); run from the project or set ENTROPYBOOK_TEMPLATES")
    }
}

public struct TemplateError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
