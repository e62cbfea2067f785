@testable import Cluster
import Foundation
import XCTest

/// The Slurm pieces that need no cluster: the generated batch script and the parsing of
/// `squeue` and `scontrol` output (their formats as Slurm 22.05 prints them).
final class BatchScriptTests: XCTestCase {
    /// Issue 28: without `--time`, each array asks for the cost model's estimate of its
    /// longest unit times the stated safety factor (3), at least five minutes.
    func testTimeLimitComesFromTheEstimateUnlessGiven() throws {
        var script = BatchScript(name: "x", taskCount: 2, keyList: URL(fileURLWithPath: "/k"), logDirectory: URL(fileURLWithPath: "/l"),
                                 cache: URL(fileURLWithPath: "/c"), cpusPerTask: 2, options: SlurmOptions(executable: "/eb"))
        XCTAssertFalse(try script.text().contains("--time"))
        script.estimatedSeconds = 1200
        XCTAssert(try script.text().contains("#SBATCH --time=01:01:00\n"))
        script.options.time = "00:10:00"
        XCTAssert(try script.text().contains("#SBATCH --time=00:10:00\n"))
        XCTAssertEqual(BatchScript.slurmTime(seconds: 1), "00:05:00")
        XCTAssertEqual(BatchScript.slurmTime(seconds: 40_000), "1-09:21:00")
    }

    func testBatchScriptThrottlesTheArrayAndRunsOneKeyPerTask() throws {
        var options = SlurmOptions(executable: "/opt/eb/entropybook")
        options.maxParallel = 4
        options.partition = "short"
        options.time = "00:30:00"
        options.memory = "4G"
        let script = BatchScript(name: "entropybook-L1", taskCount: 12, keyList: URL(fileURLWithPath: "/c/slurm/x.keys"),
                                 logDirectory: URL(fileURLWithPath: "/c/slurm/logs"), cache: URL(fileURLWithPath: "/c"),
                                 cpusPerTask: 2, options: options)
        XCTAssertEqual(try script.text(), """
            #!/bin/bash
            #SBATCH --job-name="entropybook-L1"
            #SBATCH --array=0-11%4
            #SBATCH --output="/c/slurm/logs/%A_%a.log"
            #SBATCH --cpus-per-task=2
            #SBATCH --partition="short"
            #SBATCH --time=00:30:00
            #SBATCH --mem=4G
            # One EntropyBook unit of work per array task: the task's line of the key list.
            set -eu
            KEY=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" '/c/slurm/x.keys')
            exec '/opt/eb/entropybook' work --cache-dir '/c' --key "$KEY"

            """)
    }

    func testQuotingSurvivesAnApostrophe() {
        XCTAssertEqual(BatchScript.quoted("/a/it's"), #"'/a/it'\''s'"#)
    }

    func testQueueLinesGiveIndexAndState() {
        let tasks = SlurmClient.parseQueue("2 PD\n0 R\n1 CG\n")
        XCTAssertEqual(tasks, [.init(index: 2, state: "PD"), .init(index: 0, state: "R"), .init(index: 1, state: "CG")])
        XCTAssertEqual(tasks.map(\.isRunning), [false, true, true])
    }

    func testScontrolLinesGiveEachTasksJobIdStateAndExitCode() {
        let text = """
            JobId=7 ArrayJobId=5 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=f.sh JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0 RunTime=00:00:00
            JobId=5 ArrayJobId=5 ArrayTaskId=2 JobState=COMPLETED Reason=None ExitCode=0:0
            """
        XCTAssertEqual(SlurmClient.parseJobs(text).map { [String($0.index), $0.jobID, $0.state, $0.exitCode] },
                       [["1", "7", "FAILED", "3:0"], ["2", "5", "COMPLETED", "0:0"]])
    }

    /// Issue 30: every path quoted — the log pattern in double quotes with `%` doubled
    /// (sbatch reads the quotes; Slurm expands `%A`), shell words in single quotes.
    func testPathsWithSpacesApostrophesAndPercentAreQuoted() throws {
        let script = BatchScript(name: "entropybook-my notebook-1", taskCount: 1, keyList: URL(fileURLWithPath: "/s p/it's/x.keys"),
                                 logDirectory: URL(fileURLWithPath: "/s p/it's/100% logs"), cache: URL(fileURLWithPath: "/s p/it's"),
                                 cpusPerTask: 1, options: SlurmOptions(executable: "/opt/my eb/entropybook"))
        let text = try script.text()
        XCTAssert(text.contains(#"#SBATCH --job-name="entropybook-my notebook-1""#), text)
        XCTAssert(text.contains(#"#SBATCH --output="/s p/it's/100%% logs/%A_%a.log""#), text)
        XCTAssert(text.contains(#"exec '/opt/my eb/entropybook' work --cache-dir '/s p/it'\''s' --key "$KEY""#), text)
        var bad = script
        bad.logDirectory = URL(fileURLWithPath: "/a\"b")
        XCTAssertThrowsError(try bad.text())
    }

    /// Without `--mem`, the estimate's peak × 2 + 512 MB, at least 1 GB; a retry's limits win.
    func testMemoryComesFromTheEstimateAndARetryOverridesBoth() throws {
        var script = BatchScript(name: "x", taskCount: 1, keyList: URL(fileURLWithPath: "/k"), logDirectory: URL(fileURLWithPath: "/l"),
                                 cache: URL(fileURLWithPath: "/c"), cpusPerTask: 1, options: SlurmOptions(executable: "/eb"))
        XCTAssertFalse(try script.text().contains("--mem"))
        script.estimatedBytes = 100 * 1_048_576
        XCTAssertEqual(script.memory, "1024M")
        script.estimatedBytes = 2048 * 1_048_576
        XCTAssertEqual(script.memory, "4608M")
        script.options.memory = "2G"
        XCTAssertEqual(script.memory, "2G")
        script.memoryOverride = "4096M"
        script.timeOverride = "02:00:00"
        XCTAssert(try script.text().contains("#SBATCH --time=02:00:00\n#SBATCH --mem=4096M\n"))
    }

    func testSlurmTimesAndSizesAreReadAndDoubled() {
        XCTAssertEqual(SlurmLimits.seconds(ofTime: "90"), 5400)
        XCTAssertEqual(SlurmLimits.seconds(ofTime: "5:30"), 330)
        XCTAssertEqual(SlurmLimits.seconds(ofTime: "01:02:03"), 3723)
        XCTAssertEqual(SlurmLimits.seconds(ofTime: "2-03"), 2 * 86_400 + 3 * 3600)
        XCTAssertEqual(SlurmLimits.seconds(ofTime: "1-00:00:10"), 86_410)
        XCTAssertNil(SlurmLimits.seconds(ofTime: "UNLIMITED"))
        XCTAssertEqual(SlurmLimits.doubled(time: "00:05:00"), "00:10:00")
        XCTAssertEqual(SlurmLimits.doubled(time: "16:00:00"), "1-08:00:00")
        XCTAssertEqual(SlurmLimits.megabytes(ofMemory: "4G"), 4096)
        XCTAssertEqual(SlurmLimits.megabytes(ofMemory: "500"), 500)
        XCTAssertEqual(SlurmLimits.megabytes(ofMemory: "20M"), 20)
        XCTAssertNil(SlurmLimits.megabytes(ofMemory: "lots"))
        XCTAssertNil(SlurmLimits.megabytes(ofMemory: "1e300G"), "refused, not a trap converting to Int")
        XCTAssertNil(SlurmLimits.seconds(ofTime: "99999999999999999:00"))
        XCTAssertNil(SlurmLimits.seconds(ofTime: "999999999-00:00:00"))
        XCTAssertEqual(SlurmLimits.doubled(memory: "20M"), "40M")
        XCTAssertEqual(SlurmLimits.doubled(memory: "1G"), "2048M")
    }

    /// The memory kill as the test cluster's OverMemoryKill leaves it (state FAILED, the
    /// reason only in the log), a cgroup kill (OUT_OF_MEMORY), a time limit, a cancel.
    func testKilledTasksAreToldApartFromFailedOnes() {
        let failed = SlurmClient.FinishedTask(index: 0, jobID: "3", state: "FAILED", exitCode: "0:9")
        XCTAssertEqual(QueuePoll.kill(failed, log: "slurmstepd-vm: error: StepId=3.batch exceeded memory limit (227307520 > 52428800), being killed"), .memory)
        XCTAssertEqual(QueuePoll.kill(.init(index: 0, jobID: "3", state: "OUT_OF_MEMORY", exitCode: "0:125"), log: ""), .memory)
        XCTAssertEqual(QueuePoll.kill(.init(index: 0, jobID: "3", state: "TIMEOUT", exitCode: "0:0"), log: ""), .time)
        XCTAssertEqual(QueuePoll.kill(failed, log: "slurmstepd: error: *** JOB 3 ON n1 CANCELLED AT 2026-01-01T00:00:00 DUE TO TIME LIMIT ***"), .time)
        XCTAssertEqual(QueuePoll.kill(.init(index: 0, jobID: "3", state: "CANCELLED", exitCode: "0:15"), log: ""), .cancelled)
        XCTAssertEqual(QueuePoll.kill(nil, log: ""), .cancelled)
        XCTAssertNil(QueuePoll.kill(.init(index: 0, jobID: "3", state: "FAILED", exitCode: "1:0"), log: "error: could not be stored"))
    }

    func testScontrolGivesTheTasksMemoryTimeLimitAndNode() {
        let line = "JobId=3 ArrayJobId=1 ArrayTaskId=1 JobState=FAILED Reason=JobLaunchFailure ExitCode=0:9 RunTime=00:00:01 TimeLimit=00:05:00 ReqNodeList=(null) NodeList=vm TRES=cpu=1,mem=50M,node=1,billing=1 MinMemoryNode=50M"
        let task = SlurmClient.parseJobs(line)[0]
        XCTAssertEqual(task.memory, "50M")
        XCTAssertEqual(task.timeLimit, "00:05:00")
        XCTAssertEqual(task.node, "vm")
        XCTAssertEqual(task.runTime, "00:00:01")
    }

    /// `--container` wraps the command in `apptainer exec` (or singularity) with the cache
    /// and notebook directories bound; `--signal` forwards SIGTERM and requeues on exit 75.
    func testContainerAndSignalScripts() throws {
        var options = SlurmOptions(executable: "entropybook")
        options.container = "/images/eb 1.sif"
        options.signalSeconds = 120
        var script = BatchScript(name: "x", taskCount: 2, keyList: URL(fileURLWithPath: "/c/k"), logDirectory: URL(fileURLWithPath: "/c/l"),
                                 cache: URL(fileURLWithPath: "/c"), cpusPerTask: 1, options: options)
        script.bindDirectories = ["/nb dir"]
        let text = try script.text()
        XCTAssert(text.contains("RUNTIME=$(command -v apptainer || command -v singularity)"), text)
        XCTAssert(text.contains(#""$RUNTIME" exec --bind '/c' --bind '/nb dir' '/images/eb 1.sif' 'entropybook' work --cache-dir '/c' --key "$KEY" &"#), text)
        XCTAssert(text.contains("#SBATCH --signal=B:TERM@120\n#SBATCH --requeue\n"), text)
        XCTAssert(text.contains(#"if [ "$STATUS" -eq 75 ] && [ "${SLURM_RESTART_COUNT:-0}" -lt 1 ]; then scontrol requeue"#), text)
        // Stopped by the signal a second time: a time kill, retried with twice the time.
        XCTAssertEqual(QueuePoll.kill(.init(index: 0, jobID: "3", state: "FAILED", exitCode: "75:0"), log: ""), .time)
        // The script parses.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("eb-script-\(UUID().uuidString).sh")
        try Data(text.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-n", path.path]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
    }

    /// Issue 30: an array whose task i reads task i of another waits task by task
    /// (`aftercorr`), with gaps in its indices where that array's task has no reader.
    func testDependentArraysWaitTaskByTask() throws {
        var script = BatchScript(name: "x", taskCount: 3, keyList: URL(fileURLWithPath: "/k"), logDirectory: URL(fileURLWithPath: "/l"),
                                 cache: URL(fileURLWithPath: "/c"), cpusPerTask: 1, options: SlurmOptions(executable: "/eb"))
        script.indices = [0, 2, 5]
        script.dependency = "aftercorr:41"
        let text = try script.text()
        XCTAssert(text.contains("#SBATCH --array=0,2,5\n"), text)
        XCTAssert(text.contains("#SBATCH --dependency=aftercorr:41\n"), text)
        script.indices = [0, 1, 2]
        XCTAssert(try script.text().contains("#SBATCH --array=0-2\n"))
        XCTAssertEqual(SlurmScheduler.Wait.tasks([.init(job: "7", index: 1), .init(job: "9", index: 0)]).dependency, "afterok:7_1:9_0")
    }
}
