import Foundation

/// A single-node Slurm for the tests, started by scripts/start-test-slurm.sh in a temporary
/// directory (nothing in /etc) and stopped by the same script.
final class TestCluster: @unchecked Sendable {
    struct Unavailable: Error, CustomStringConvertible { var description: String }

    let directory: URL
    let script: URL
    var configuration: String { directory.appendingPathComponent("slurm.conf").path }

    private init(directory: URL, script: URL) {
        self.directory = directory
        self.script = script
    }

    /// Starts the daemons; throws `Unavailable` with the reason when Slurm is not installed
    /// or does not start.
    static func start(script: URL) throws -> TestCluster {
        for tool in ["slurmctld", "slurmd", "munged", "sbatch"] where (try? run("/usr/bin/env", ["which", tool]))?.status != 0 {
            throw Unavailable(description: "`\(tool)` is not installed (scripts/install-deps.sh installs slurm-wlm and munge)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eb-slurm-\(UUID().uuidString.prefix(8))")
        var env = ProcessInfo.processInfo.environment
        // A port of its own, so that a cluster left over by another run does not answer.
        env["SLURM_TEST_PORT"] = String(20_000 + Int(getpid() % 10_000) * 2)
        // Output into a file, not a pipe: the daemons inherit it and would keep a pipe open.
        let log = directory.path + ".start.log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let status = spawnAndWait(["/bin/bash", "-c", "\"$0\" \"$1\" >\"$2\" 2>&1 </dev/null", script.path, directory.path, log], environment: env)
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Unavailable(description: "the test cluster did not start (exit \(status)): \(text.suffix(600))")
        }
        return TestCluster(directory: directory, script: script)
    }

    /// Cancels what is left and stops the daemons.
    func stop() {
        _ = TestCluster.spawnAndWait(["/bin/bash", "-c", "\"$0\" \"$1\" stop >/dev/null 2>&1 </dev/null", script.path, directory.path],
                                     environment: ProcessInfo.processInfo.environment)
        try? FileManager.default.removeItem(at: directory)
    }

    /// posix_spawn and waitpid, without Foundation's `Process`: the script leaves daemons
    /// behind (munged forks twice), and `Process` then never saw the script's exit here.
    static func spawnAndWait(_ arguments: [String], environment: [String: String]) -> Int32 {
        var pid = pid_t()
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        guard posix_spawn(&pid, arguments[0], nil, nil, argv, envp) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// Runs a program to completion, reading stdout and stderr together.
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let errText = Collector(err.fileHandleForReading)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: errText.text())
    }
}

/// Reads a pipe to its end on its own thread.
private final class Collector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }
    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
