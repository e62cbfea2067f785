import Foundation
import Linalg
import Plot

/// `entropybook bench plot`: a 10-series, 10 000-point line chart (noisy sines) drawn
/// and encoded as PNG at report size (900×560, 3× supersampled) and at slide size
/// (1600×1000, 2×), beside matplotlib (Agg) drawing the same data at the same pixel size.
/// Target: under 100 ms at report size.
public enum PlotBench: BenchSuite {
    public static let name = "plot"
    public static let summary = "10-series × 10 000-point line chart to PNG at report and slide size (target < 100 ms) vs matplotlib"

    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let seriesCount = 10
        let points = options.quick ? 2000 : 10_000
        var generator = SeededGenerator(seed: 0).derived("plot-bench")
        let x = (0..<points).map(Double.init)
        let series = (0..<seriesCount).map { s in
            LineChart.Series(name: "series \(s + 1)", x: x, y: x.map { v in
                sin(v / 700 + Double(s)) + 0.1 * generator.uniform(-1, 1) + 0.3 * Double(s)
            })
        }
        let chart = try LineChart(title: "\(seriesCount) series × \(points) points", xLabel: "step", yLabel: "value", series: series)
        for size in FigureSize.allCases {
            var bytes = 0
            var cpuTimes = [Double]()
            let seconds = try measure(repetitions: max(options.repetitions, 5), warmUp: true) {
                let start = threadCPUSeconds()
                bytes = try chart.png(size: size).count
                cpuTimes.append(threadCPUSeconds() - start)
            }
            // Rendering is single-threaded: its CPU time is what wall time would be on an idle
            // core, the honest figure while other builds share the machine.
            cpuTimes.sort()
            emit(BenchRecord(suite: name, name: "line-chart-png", parameters: [
                "series": String(seriesCount), "points": String(points), "size": size.rawValue,
                "pixels": "\(size.pixels.width)x\(size.pixels.height)", "supersample": String(Theme(size).supersample),
            ], seconds: seconds, metrics: ["png_bytes": Double(bytes), "target_seconds": 0.1,
                                            "cpu_seconds": cpuTimes[cpuTimes.count / 2]]))
        }
        if options.withReference {
            for r in try runReference("plot_matplotlib.py", arguments: [
                "--series", String(seriesCount), "--points", String(points),
                "--repetitions", String(max(options.repetitions, 5)),
            ], options: options) { emit(r) }
        }
    }
}

/// CPU time of the calling thread in seconds.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
