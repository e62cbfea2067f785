import Datasets
import Directives
import MutualInformation
import Foundation
import Notebook
import XCTest

/// Issue 24: every parameter that takes words is checked by `check` (the validator), from
/// its declaration — never first at run time (`{classifier}` `activation: tahn` used to
/// pass `check`).
final class WordParameterTests: XCTestCase {
    /// Every parameter of every directive that accepts words, with its key path (a nested
    /// group's keys as `autoencoder.activation`).
    static func wordParameters() -> [(directive: String, path: [String], words: [String])] {
        func walk(_ parameters: [Parameter], _ prefix: [String], _ directive: String) -> [(String, [String], [String])] {
            parameters.flatMap { p -> [(String, [String], [String])] in
                if case .object(let nested) = p.type { return walk(nested, prefix + [p.name], directive) }
                return p.type.words.map { [(directive, prefix + [p.name], $0)] } ?? []
            }
        }
        return DirectiveRegistry.all.flatMap { d in walk(d.parameters, [], d.name) }.map { (directive: $0.0, path: $0.1, words: $0.2) }
    }

    /// A near miss of the first word (two letters swapped, as a typo), never a word itself.
    static func misspelt(_ words: [String]) -> String {
        var letters = Array(words.first ?? "word")
        if letters.count >= 3 { letters.swapAt(1, 2) }
        let typo = String(letters)
        return words.contains(typo) || typo.isEmpty ? "zz" + typo : typo
    }

    func testCheckRejectsAMisspeltWordForEveryWordParameter() throws {
        let parameters = Self.wordParameters()
        XCTAssertGreaterThan(parameters.count, 20, "the walk found almost no word parameters")
        for (directive, path, words) in parameters {
            let typo = Self.misspelt(words)
            // The key, nested under its groups; other keys (required ones) may be missing:
            // check reports every problem, and this one must be among them.
            var body = "", indent = ""
            for key in path.dropLast() { body += indent + key + ":\n"; indent += "  " }
            body += indent + (path.last ?? "") + ": " + typo + "\n"
            let (document, _) = NotebookParser.parse("```{\(directive)}\n" + body + "```\n", file: "nb.md")
            let name = path.joined(separator: ".")
            switch Validator(registry: DirectiveRegistry.all).plan(document) {
            case .success:
                XCTFail("{\(directive)} `\(name): \(typo)` passed check")
            case .failure(let failure):
                let found = failure.diagnostics.contains { $0.parameter == name && $0.message.contains("`\(typo)`") }
                XCTAssertTrue(found, "{\(directive)} `\(name): \(typo)`: no diagnostic at the key naming the word; got "
                              + failure.diagnostics.map(\.message).joined(separator: " | "))
            }
        }
    }

    /// The word parameters that were free strings until issue 24's last part: typed, their
    /// words declared (the benchmark's from the library's estimator and task lists).
    func testBenchmarkAndWordOrParametersDeclareTheirWords() throws {
        let declared = Dictionary(Self.wordParameters().map { ("\($0.directive).\($0.path.joined(separator: "."))", $0.words) },
                                  uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(declared["mi-benchmark.estimators"], ["auto"] + MutualInformationMethod.allCases.map(\.rawValue))
        XCTAssertEqual(declared["mi-benchmark.tasks"], MutualInformationTasks.benchmark.map(\.id))
        XCTAssertEqual(declared["mi-benchmark.tasks"]?.count, 40)
        XCTAssertEqual(declared["corrdim.range"], ["auto"])
        XCTAssertEqual(declared["distances.pairs"], ["all"])
    }

    /// A misspelt task is refused at its line, with the nearest task's id.
    func testMisspeltBenchmarkTaskIsRefusedAtItsLineWithASuggestion() throws {
        let source = "```{mi-benchmark}\nestimators: [ksg, gausian]\ntasks:\n  - 1v1-normal-0.75\n  - multinormal-dense-5-5-0.6\n```\n"
        let (document, _) = NotebookParser.parse(source, file: "nb.md")
        guard case .failure(let failure) = Validator(registry: DirectiveRegistry.all).plan(document) else { return XCTFail("passed check") }
        let task = failure.diagnostics.first { $0.parameter == "tasks" }
        XCTAssertEqual(task?.location.line, 5, "\(failure.diagnostics.map(\.message))")
        XCTAssertTrue(task?.message.contains("`multinormal-dense-5-5-0.5`") == true, task?.message ?? "no diagnostic at `tasks`")
        let estimator = failure.diagnostics.first { $0.parameter == "estimators" }
        XCTAssertEqual(estimator?.location.line, 2)
        XCTAssertTrue(estimator?.message.contains("`gaussian`") == true, estimator?.message ?? "no diagnostic at `estimators`")
    }

    /// The typed words decode to their cases (a word, or the value beside it).
    func testTypedWordsDecode() throws {
        let (document, _) = NotebookParser.parse("```{dataset}\nid: d\nkind: gaussian\n```\n\n```{distances}\ndata: d\npairs: 500\n```\n\n"
            + "```{corrdim}\ndata: d\n```\n\n```{mi-benchmark}\ntasks: [student-identity-2-2-1]\nestimators: [auto, ksg-2]\n```\n", file: "nb.md")
        guard case .success = Validator(registry: DirectiveRegistry.all).plan(document) else { return XCTFail("a valid notebook failed check") }
    }

    /// The example of the issue, with its suggestion.
    func testClassifierActivationTypoFailsCheckWithSuggestion() throws {
        let (document, _) = NotebookParser.parse("```{dataset}\nid: m\nkind: gaussian\n```\n\n```{classifier}\ndata: m\nactivation: [relu, tahn]\n```\n", file: "nb.md")
        guard case .failure(let failure) = Validator(registry: DirectiveRegistry.all).plan(document) else { return XCTFail("passed check") }
        let messages = failure.diagnostics.map(\.message)
        XCTAssertTrue(messages.contains { $0.contains("`tahn`") && $0.contains("`tanh`") }, "\(messages)")
    }

    /// Parameters declared as free text (`.string`, `.stringList`) are text by design: a
    /// word choice declared so would escape check. A new one must be added here on purpose.
    func testEveryTextParameterIsFreeText() {
        let freeText: Set<String> = [
            "claim.statement", "dataset.labels", "entropy-curve.label", "plot.title", "plot.x-label", "plot.y-label",
            "plot.vline-label", "plot.hline-label", "table.title",
        ]
        var found = Set<String>()
        func walk(_ parameters: [Parameter], _ prefix: String) {
            for p in parameters {
                switch p.type {
                case .object(let nested): walk(nested, prefix + p.name + ".")
                case .string, .stringList: found.insert(prefix + p.name)
                default: break
                }
            }
        }
        for d in DirectiveRegistry.all { walk(d.parameters, d.name + ".") }
        XCTAssertEqual(found.subtracting(freeText).sorted(), [], "text parameters that may be word choices: declare their words")
    }
}
