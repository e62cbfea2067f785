import ArgumentParser
import Foundation
import Notebook

/// Looks after the cell cache.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List, collect or clear cached cell results.",
        subcommands: [List.self, Collect.self, Clear.self])

    struct Location: ParsableArguments {
        @Option(name: .customLong("cache-dir"), help: "Cache directory.")
        var directory: String = "output/.cache"
        var cache: CellCache { CellCache(directory: URL(fileURLWithPath: directory)) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List entries, most recently used first.")
        @OptionGroup var location: Location
        func run() {
            let entries = location.cache.entries()
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd HH:mm"
            for e in entries {
                print("\(e.key.prefix(12))  \(f.string(from: e.lastUsed))  \(String(format: "%9.1f KiB", Double(e.bytes) / 1024))  {\(e.directive)} \(e.label)")
            }
            let total = entries.reduce(0) { $0 + $1.bytes }
            print("\(entries.count) entries, \(String(format: "%.1f", Double(total) / 1_048_576)) MiB in \(location.directory)")
        }
    }

    struct Collect: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "gc", abstract: "Remove least recently used entries beyond a size limit.")
        @OptionGroup var location: Location
        @Option(help: "Size to keep, in GiB.") var keep: Double = 4
        func run() throws {
            let n = try location.cache.collectGarbage(keep: Int(keep * 1_073_741_824))
            print("removed \(n) entries")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Remove every entry.")
        @OptionGroup var location: Location
        func run() throws { print("removed \(try location.cache.clear()) entries") }
    }
}
