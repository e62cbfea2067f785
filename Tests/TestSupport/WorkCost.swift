import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The CPU time this thread spends in `body`, least of `repeats` runs, in nanoseconds.
///
/// For tests that compare the work at two input sizes (linear vs quadratic growth), not
/// against a clock. Thread CPU time leaves out the time the thread waits while other
/// processes run, which is what made the wall-clock ratio cross its limit on a loaded
/// machine (8.1× and 8.4× for a linear 4×). The machine has no hardware instruction
/// counter (`perf_event_open` gives ENOENT), which would be the exact operation count.
public func leastThreadCPUTime(repeats: Int = 5, _ body: () -> Void) -> Double {
    var least = Double.infinity
    for _ in 0..<max(repeats, 1) {
        let start = threadCPUNanoseconds()
        body()
        least = min(least, threadCPUNanoseconds() - start)
    }
    return least
}

private func threadCPUNanoseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
}
