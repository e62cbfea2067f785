import Foundation
import Notebook

/// run.json: what ran, how, on what, and what came of it. Also the data of the report's
/// provenance footer.
public struct RunManifest: Codable, Sendable {
    public var program: String
    public var version: String
    public var notebook: String
    public var notebookSHA256: String
    public var title: String
    public var started: Date
    public var finished: Date
    /// "ok", "failed" (some cell failed) or "interrupted".
    public var status: String
    public var settings: RunSettings
    /// The git commit the program was built from ("abc1234", "+dirty" when modified), when known.
    public var programCommit: String?
    /// Input files the cells read, with their SHA-256.
    public var dataFiles: [String: String]
    public var machine: MachineInfo
    public var cells: [Cell]

    public struct Cell: Codable, Sendable {
        public var index: Int
        public var label: String
        public var directive: String
        public var line: Int
        public var status: String
        public var seconds: Double
        public var seed: UInt64
        public var error: String?
        public var stored: [String: String]
        public var figures: [String]
        public var cacheKey: String?
    }
}

/// The machine a run happened on, for the provenance footer.
public struct MachineInfo: Codable, Sendable {
    public var os: String
    public var cpu: String
    public var cores: Int
    public var memoryGiB: Double
    public var blasCore: String
    public var blasThreads: Int
    public var blasConfig: String

    public static func current(blasCore: String, blasThreads: Int, blasConfig: String) -> MachineInfo {
        var os = "Linux"
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            os = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        var cpu = "unknown"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return MachineInfo(os: os, cpu: cpu, cores: ProcessInfo.processInfo.activeProcessorCount,
                           memoryGiB: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
                           blasCore: blasCore, blasThreads: blasThreads, blasConfig: blasConfig)
    }
}

/// The git commit of the source tree the running program lives in, when it runs from a
/// checkout (.build inside the repository); nil otherwise.
public enum ProgramCommit {
    public static let current: String? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(".git").path) {
                guard let head = git(["rev-parse", "--short=10", "HEAD"], in: dir) else { return nil }
                let dirty = git(["status", "--porcelain", "--untracked-files=no", "Sources", "templates", "Package.swift"], in: dir)
                return head + ((dirty?.isEmpty ?? true) ? "" : "+dirty")
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    private static func git(_ arguments: [String], in dir: URL) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", dir.path] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
