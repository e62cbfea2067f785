@testable import Cluster
import Foundation
import XCTest

/// The Slurm pieces that need no cluster: the generated batch script and the parsing of
/// `squeue` and `scontrol` output (their formats as Slurm 22.05 prints them).
final class BatchScriptTests: XCTestCase {
    /// Issue 28: without `--time`, each array asks for the cost model's estimate of its
    /// longest unit times the stated safety factor (3), at least five minutes.
    func testTimeLimitComesFromTheEstimateUnlessGiven() {
        var script = BatchScript(name: "x", taskCount: 2, keyList: URL(fileURLWithPath: "/k"), logDirectory: URL(fileURLWithPath: "/l"),
                                 cache: URL(fileURLWithPath: "/c"), cpusPerTask: 2, options: SlurmOptions(executable: "/eb"))
        XCTAssertFalse(script.text.contains("--time"))
        script.estimatedSeconds = 1200
        XCTAssert(script.text.contains("#SBATCH --time=01:01:00\n"), script.text)
        script.options.time = "00:10:00"
        XCTAssert(script.text.contains("#SBATCH --time=00:10:00\n"), script.text)
        XCTAssertEqual(BatchScript.slurmTime(seconds: 1), "00:05:00")
        XCTAssertEqual(BatchScript.slurmTime(seconds: 40_000), "1-09:21:00")
    }

    func testBatchScriptThrottlesTheArrayAndRunsOneKeyPerTask() {
        var options = SlurmOptions(executable: "/opt/eb/entropybook")
        options.maxParallel = 4
        options.partition = "short"
        options.time = "00:30:00"
        options.memory = "4G"
        let script = BatchScript(name: "entropybook-L1", taskCount: 12, keyList: URL(fileURLWithPath: "/c/slurm/x.keys"),
                                 logDirectory: URL(fileURLWithPath: "/c/slurm/logs"), cache: URL(fileURLWithPath: "/c"),
                                 cpusPerTask: 2, options: options)
        XCTAssertEqual(script.text, """
            #!/bin/bash
            #SBATCH --job-name=entropybook-L1
            #SBATCH --array=0-11%4
            #SBATCH --output=/c/slurm/logs/%A_%a.log
            #SBATCH --cpus-per-task=2
            #SBATCH --partition=short
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
        XCTAssertEqual(SlurmClient.parseJobs(text), [
            .init(index: 1, jobID: "7", state: "FAILED", exitCode: "3:0"),
            .init(index: 2, jobID: "5", state: "COMPLETED", exitCode: "0:0"),
        ])
    }
}
