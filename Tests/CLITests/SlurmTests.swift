import Foundation
import XCTest

/// `entropybook run --executor slurm` on a throw-away single-node Slurm (munged, slurmctld
/// and slurmd on loopback under a temporary directory, scripts/start-test-slurm.sh),
/// started once for these tests and stopped at the end. Skipped, with the reason printed,
/// only when Slurm is not installed or cannot start here (e.g. not root).
final class SlurmTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var notebook: String { SlurmTests.fixtures.appendingPathComponent("sweep.md").path }
    nonisolated(unsafe) static var cluster: TestCluster?
    nonisolated(unsafe) static var skipReason: String?

    override class func setUp() {
        super.setUp()
        do { cluster = try TestCluster.start(script: repository.appendingPathComponent("scripts/start-test-slurm.sh")) } catch {
            skipReason = "\(error)"
            print("SlurmTests skipped: \(error)")
        }
    }

    override class func tearDown() {
        cluster?.stop()
        cluster = nil
        super.tearDown()
    }

    var executable: URL {
        let dir = Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("entropybook")
    }

    var scratch: URL!

    override func setUpWithError() throws {
        if let reason = SlurmTests.skipReason { throw XCTSkip(reason) }
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("eb-slurm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    // MARK: The acceptance tests

    /// 12 autoencoders (d = 1…6 × 2 seeds) and the 12 entropy estimates of their codes go
    /// through the cluster as two job arrays; the report assembled from the cache has the
    /// local run's numbers, every one.
    func testSweepThroughSlurmEqualsLocalRun() throws {
        let local = try entropybook(["run", notebook, "-o", path("local"), "--cache-dir", path("local-cache"), "-p", "threads=1"])
        XCTAssertEqual(local.status, 0, local.stderr)
        let slurm = try entropybook(["run", notebook, "-o", path("slurm"), "--cache-dir", path("slurm-cache"), "-p", "threads=1",
                                     "--executor", "slurm", "--max-parallel", "2"])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        XCTAssertTrue(slurm.stderr.contains("slurm: level 1: 12 unit(s) in job array"), slurm.stderr)
        XCTAssertTrue(slurm.stderr.contains("slurm: level 2: 12 unit(s) in job array"), slurm.stderr)
        try assertSameNumbers(URL(fileURLWithPath: path("local/sweep")), URL(fileURLWithPath: path("slurm/sweep")))
        XCTAssertEqual(try queue(), "")
        // The batch script asks for the throttle and one CPU per task (threads=1).
        let scripts = try FileManager.default.contentsOfDirectory(atPath: path("slurm-cache/slurm")).filter { $0.hasSuffix(".sh") }
        XCTAssertEqual(scripts.count, 2)
        let script = try String(contentsOfFile: path("slurm-cache/slurm/\(scripts[0])"), encoding: .utf8)
        XCTAssertTrue(script.contains("#SBATCH --array=0-11%2\n#SBATCH --output="), script)
        XCTAssertTrue(script.contains("#SBATCH --cpus-per-task=1\n"), script)
        // Issue 30: the time limit from the cost model's estimate (at least 5 minutes).
        XCTAssertTrue(script.contains("#SBATCH --time=00:05:00\n"), script)
        // Each entropy estimate waits for its own autoencoder only, not for the whole array.
        XCTAssertTrue(slurm.stderr.contains("task i after task i of job"), slurm.stderr)
    }

    /// A unit whose result cannot be stored (its entry's path is taken by a directory) fails
    /// its task: the report shows the cell failed in place with the task's job id and log,
    /// exit 1; once the obstacle is gone a re-run submits that one unit alone.
    func testFailedUnitIsReportedWithItsJobAndRerunsAlone() throws {
        let key = try unitKey("sweep: entropy d=3 seed=2", cache: path("cache"))
        try FileManager.default.createDirectory(atPath: path("cache/\(key).ebc"), withIntermediateDirectories: true)
        let first = try slurmRun()
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stderr.contains("slurm: job "), first.stderr)
        XCTAssertTrue(first.stderr.contains(", 23 done, 1 failed") || first.stderr.contains(", 11 done, 1 failed"), first.stderr)
        let failure = try XCTUnwrap(first.stderr.split(separator: "\n").first { $0.contains("unit `entropy d=3 seed=2` failed in Slurm job") },
                                    first.stderr)
        XCTAssertTrue(failure.contains("sweep.md:19:1: error: {entropy-curve} failed"), String(failure))
        let log = try XCTUnwrap(failure.components(separatedBy: "log: ").last)
        XCTAssertTrue(try String(contentsOfFile: log, encoding: .utf8).contains("could not be stored"), log)
        let html = try String(contentsOfFile: path("out/sweep/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("status-failed"))
        XCTAssertTrue(html.contains("failed in Slurm job"), "the report shows the job")
        XCTAssertEqual(try queue(), "")

        try FileManager.default.removeItem(atPath: path("cache/\(key).ebc"))
        let second = try slurmRun()
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("slurm: level 2: 1 unit(s) in job array"), second.stderr)
        XCTAssertEqual(second.stderr.components(separatedBy: "unit(s) in job array").count - 1, 1, second.stderr)
    }

    /// Ctrl-C while the array runs: the jobs are cancelled (the queue is empty afterwards),
    /// the report of what finished says "interrupted" and the exit code is 130. A lock left
    /// by a task killed while it held it does not block the re-run, which completes.
    func testInterruptCancelsTheArrayAndAStaleLockDoesNotBlockTheRerun() throws {
        let p = Process()
        p.executableURL = executable
        p.arguments = ["run", notebook, "-o", path("out"), "--cache-dir", path("cache"), "--executor", "slurm"]
        p.environment = environment
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var text = ""
        // Wait until the first array has a unit done, so that some finished and some did not.
        while !text.contains(" 1 done,") && !text.contains(" 2 done,") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(p.processIdentifier, SIGINT)
        text += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130, text)
        XCTAssertTrue(text.contains("slurm: cancelled job"), text)
        XCTAssertEqual(try queue(), "", "scancel emptied the queue")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("out/sweep/run.json")))) as? [String: Any]
        XCTAssertEqual(manifest?["status"] as? String, "interrupted")

        // A task killed while it held a unit's lock: the lock file stays, the lock does not.
        let key = try unitKey("sweep: autoencoder d=6 seed=2", cache: path("cache"))
        let lock = path("cache/locks/\(key).lock")
        try holdLockAndDie(lock)
        XCTAssertTrue(FileManager.default.fileExists(atPath: lock))
        let rerun = try slurmRun()
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try queue(), "")
    }

    // MARK: Issue 30: units of every expensive directive, quoted paths, retries

    /// A labelled notebook with a `{classifier}` (two seeds: two units), its
    /// `{information-plane}`, `{dimension}` and `{distances}` (one unit each), written into
    /// a directory whose name has a space and an apostrophe, its cache likewise: through the
    /// cluster it gives the local run's numbers, and every generated script asks for a time
    /// limit and quotes its paths.
    func writeUnitsNotebook(epochs: Int = 4, hidden: String = "[6, 4]", plane: Bool = true) throws -> String {
        let directory = scratch.appendingPathComponent("my notebook's dir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Two clusters in R³ (uniform noise in a cube of side 2, means 4 apart), 160 rows, label last.
        var state: UInt64 = 99
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) * 0x1p-53 }
        let lines = (0..<160).map { i -> String in
            let label = i % 2
            return (0..<3).map { k in String(format: "%.5f", 2 * uniform() - 1 + (k == label ? 4 : 0)) }.joined(separator: ",") + ",\(label)"
        }
        try lines.joined(separator: "\n").write(to: directory.appendingPathComponent("two.csv"), atomically: true, encoding: .utf8)
        let notebook = """
            ---
            title: Units of every kind
            seed: 3
            ---

            ```{dataset}
            id: x
            kind: csv
            path: two.csv
            labels: last
            header: false
            ```

            ```{classifier}
            id: net
            data: x
            hidden: \(hidden)
            noise: 0.4
            epochs: \(epochs)
            batch: 32
            lr: 0.01
            eval: 60
            snapshots: 2
            repeats: 2
            ```

            \(plane ? "```{information-plane}\nid: p\nclassifier: net\nsamples: 200\nbins: 8\nestimators: noise-aware\n```" : "")

            ```{dimension}
            id: dim
            data: x
            methods: [mle, twonn, pca]
            ```

            ```{distances}
            id: dist
            data: x
            by: label
            bins: 20
            ```

            """
        let url = directory.appendingPathComponent("units.md")
        try notebook.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testEveryExpensiveDirectiveRunsAsUnitsUnderPathsWithSpacesAndEqualsTheLocalRun() throws {
        let nb = try writeUnitsNotebook()
        let cache = path("the cache's dir")
        let units = try TestCluster.run(executable.path, ["units", nb, "--cache-dir", cache, "-p", "threads=1"], environment: environment)
        XCTAssertEqual(units.status, 0, units.stderr)
        for label in ["net: training seed=1", "net: training seed=2", "  p  ", "  dim  ", "  dist  "] {
            XCTAssertTrue(units.stdout.contains(label), "`units` lists \(label):\n\(units.stdout)")
        }
        XCTAssertTrue(units.stderr.contains("5 unit(s) in 2 level(s)"), units.stderr)

        let local = try entropybook(["run", nb, "-o", path("local"), "--cache-dir", path("local-cache"), "-p", "threads=1"])
        XCTAssertEqual(local.status, 0, local.stderr)
        let slurm = try entropybook(["run", nb, "-o", path("slurm out"), "--cache-dir", cache, "-p", "threads=1", "--executor", "slurm"])
        XCTAssertEqual(slurm.status, 0, slurm.stderr)
        XCTAssertTrue(slurm.stderr.contains("slurm: level 1: 4 unit(s) in job array"), slurm.stderr)
        XCTAssertTrue(slurm.stderr.contains("slurm: level 2: 1 unit(s) in job array"), slurm.stderr)
        try assertSameNumbers(URL(fileURLWithPath: path("local/units")), URL(fileURLWithPath: path("slurm out/units")))
        let logs = try FileManager.default.contentsOfDirectory(atPath: cache + "/slurm/logs")
        XCTAssertEqual(logs.count, 5, "one log per task, in the directory with a space: \(logs)")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: cache + "/slurm").filter { $0.hasSuffix(".sh") }
        for name in scripts {
            let script = try String(contentsOfFile: cache + "/slurm/" + name, encoding: .utf8)
            XCTAssertTrue(script.contains("#SBATCH --output=\"\(cache)/slurm/logs/%A_%a.log\"\n"), script)
        }
        // Each task left its record: node, job, seconds, peak memory.
        let records = try FileManager.default.contentsOfDirectory(atPath: cache + "/units").filter { $0.hasSuffix(".record.json") }
        XCTAssertEqual(records.count, 5)
    }

    /// A tiny `--mem`: the test cluster kills a task over it (jobacct_gather's
    /// OverMemoryKill samples every second; the classifier trains long enough to be seen),
    /// the unit is resubmitted with doubled memory until it fits, and the run completes.
    func testAUnitKilledForMemoryIsRetriedWithMoreAndTheRunCompletes() throws {
        let nb = try writeUnitsNotebook(epochs: 10_000, hidden: "[64, 64]", plane: false)
        let run = try entropybook(["run", nb, "-o", path("out"), "--cache-dir", path("cache"), "-p", "threads=1", "--executor", "slurm",
                                   "--mem", "32M", "--retries", "3"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("killed for memory; retry 1 of 3, --mem=64M"), run.stderr)
        XCTAssertTrue(run.stderr.contains("(retry 1 of 3, --mem=64M"), "resubmitted as its own array: \(run.stderr)")
        // The report says where each unit ran and what it used.
        let html = try String(contentsOfFile: path("out/units/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Computed on the cluster: training seed=1: Slurm job"), "provenance in the report")
        XCTAssertTrue(run.stderr.contains("| unit | job | node | elapsed s |"), run.stderr)
        XCTAssertEqual(try queue(), "")
    }

    /// A task cancelled from outside (`scancel JOB_TASK`, as an administrator or a
    /// preemption would) is submitted again and the run completes.
    func testACancelledTaskIsRetried() throws {
        let nb = try writeUnitsNotebook(plane: false)
        let p = Process()
        p.executableURL = executable
        p.arguments = ["run", nb, "-o", path("out"), "--cache-dir", path("cache"), "-p", "threads=1", "--executor", "slurm", "--max-parallel", "1"]
        p.environment = environment
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        var text = ""
        var job: String?
        while job == nil {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"level 1: 4 unit\(s\) in job array (\d+)"#, options: .regularExpression) {
                job = text[range].split(separator: " ").last.map(String.init)
            }
        }
        let array = try XCTUnwrap(job, text)
        // The last task is still pending (one at a time): cancelled, it leaves no record.
        let cancel = try TestCluster.run("/usr/bin/env", ["scancel", "\(array)_3"], environment: environment)
        XCTAssertEqual(cancel.status, 0, cancel.stderr)
        text += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("retry 1 of 2"), text)
        XCTAssertEqual(try queue(), "")
    }

    // MARK: Helpers

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["ENTROPYBOOK_TEMPLATES"] = SlurmTests.repository.appendingPathComponent("templates").path
        env["SLURM_CONF"] = SlurmTests.cluster?.configuration
        env["ENTROPYBOOK_SLURM_POLL"] = "0.2"
        return env
    }

    func path(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    func slurmRun() throws -> (status: Int32, stderr: String) {
        try entropybook(["run", notebook, "-o", path("out"), "--cache-dir", path("cache"), "-p", "threads=1", "--executor", "slurm"])
    }

    func entropybook(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let r = try TestCluster.run(executable.path, arguments, environment: environment)
        return (r.status, r.stderr + r.stdout)
    }

    /// The key of the unit labelled `label` (`entropybook units`).
    func unitKey(_ label: String, cache: String) throws -> String {
        let r = try TestCluster.run(executable.path, ["units", notebook, "--cache-dir", cache, "-p", "threads=1"], environment: environment)
        let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.contains("  \(label)  ") }, r.stdout + r.stderr)
        return String(line.prefix(64))
    }

    func queue() throws -> String {
        try TestCluster.run("/usr/bin/env", ["squeue", "-h"], environment: environment).stdout
    }

    /// A process takes the lock (flock) and is killed with SIGKILL while it holds it.
    func holdLockAndDie(_ lock: String) throws {
        try FileManager.default.createDirectory(atPath: (lock as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)", lock]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        _ = out.fileHandleForReading.availableData // "locked"
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// The numbers of two reports agree: every data/*.csv byte for byte, and run.json's
    /// per-cell stored values.
    func assertSameNumbers(_ a: URL, _ b: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: a.appendingPathComponent("data").path).sorted()
        XCTAssertFalse(names.isEmpty, file: file, line: line)
        XCTAssertEqual(names, try FileManager.default.contentsOfDirectory(atPath: b.appendingPathComponent("data").path).sorted(), file: file, line: line)
        for name in names {
            let x = try String(contentsOf: a.appendingPathComponent("data/\(name)"), encoding: .utf8)
            let y = try String(contentsOf: b.appendingPathComponent("data/\(name)"), encoding: .utf8)
            XCTAssertEqual(x, y, name, file: file, line: line)
        }
        func stored(_ url: URL) throws -> [String] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url.appendingPathComponent("run.json"))) as? [String: Any]
            let cells = json?["cells"] as? [[String: Any]] ?? []
            return cells.map { cell in
                let values = cell["stored"] as? [String: String] ?? [:]
                return values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            }
        }
        XCTAssertEqual(try stored(a), try stored(b), file: file, line: line)
    }
}
