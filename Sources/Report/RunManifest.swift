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
