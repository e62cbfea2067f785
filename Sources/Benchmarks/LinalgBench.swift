import Foundation
import Linalg

/// `entropybook bench linalg`: sgemm GFLOP/s on the shapes of autoencoder training, on
/// one OpenBLAS thread, on `threads` OpenBLAS threads, and as `threads` concurrent
/// single-threaded calls that each take their share of the batch rows (how training
/// uses the cores: see `MiniBatchTrainer`) — to show whether (and how) a second core helps.
public enum LinalgBench: BenchSuite {
    public static let name = "linalg"
    public static let summary = "sgemm GFLOP/s per shape: 1 thread, OpenBLAS threads, rows sharded across threads"

    /// One product C(m×n) = op(A)·op(B) with inner dimension k.
    struct Shape {
        var label: String
        var m: Int, n: Int, k: Int
        var transA: Transpose = .none, transB: Transpose = .none

        /// The product on `rows` of the batch's rows: the batch is m, except in the
        /// weight gradient (Aᵀ·Δ), where it is the inner dimension k.
        func sharded(rows: Int) -> Shape {
            var s = self
            if transA == .transpose { s.k = rows } else { s.m = rows }
            return s
        }

        /// The batch dimension.
        var batch: Int { transA == .transpose ? k : m }
    }

    /// The products of one training step of 784-512-256-d-256-512-784 at batch 128
    /// (forward X·W, weight gradient Aᵀ·Δ, input gradient Δ·Wᵀ), and a large square one.
    static func shapes(quick: Bool) -> [Shape] {
        var s = [
            Shape(label: "forward 128×784·784×512", m: 128, n: 512, k: 784),
            Shape(label: "forward 128×512·512×784", m: 128, n: 784, k: 512),
            Shape(label: "forward 128×512·512×256", m: 128, n: 256, k: 512),
            Shape(label: "weight-grad 784×128·128×512", m: 784, n: 512, k: 128, transA: .transpose),
            Shape(label: "weight-grad 512×128·128×784", m: 512, n: 784, k: 128, transA: .transpose),
            Shape(label: "input-grad 128×784·(512×784)ᵀ", m: 128, n: 512, k: 784, transB: .transpose),
            Shape(label: "input-grad 128×512·(256×512)ᵀ", m: 128, n: 256, k: 512, transB: .transpose),
            Shape(label: "code 128×256·256×8", m: 128, n: 8, k: 256),
        ]
        s.append(quick ? Shape(label: "square 1024", m: 1024, n: 1024, k: 1024)
                       : Shape(label: "square 2048", m: 2048, n: 2048, k: 2048))
        return s
    }

    public static func run(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let previous = BLAS.threads
        defer { BLAS.setThreads(previous) }
        var generator = SeededGenerator(seed: 1)
        let threads = max(2, options.threads)
        for shape in shapes(quick: options.quick) {
            let aCount = shape.m * shape.k, bCount = shape.k * shape.n
            let a = generator.uniformMatrix(rows: 1, columns: aCount).elements
            let b = generator.uniformMatrix(rows: 1, columns: bCount).elements
            let flops = 2 * Double(shape.m) * Double(shape.n) * Double(shape.k)
            // About 0.3 s of work per measurement at 100 GFLOP/s (less in quick mode).
            let calls = max(1, Int((options.quick ? 1e10 : 3e10) / flops))
            let modes: [(name: String, blasThreads: Int, shards: Int)] = [
                ("openblas-1", 1, 1), ("openblas-\(threads)", threads, 1), ("shards-\(threads)", 1, threads),
            ]
            var single = 0.0
            for mode in modes {
                BLAS.setThreads(mode.blasThreads)
                // Each shard computes the product on its rows of the batch, into its own C.
                let part = shape.sharded(rows: shape.batch / mode.shards)
                let partA = part.m * part.k, partC = part.m * part.n
                var c = [Float](repeating: 0, count: partC * mode.shards)
                let seconds = a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { pc in
                            let operands = Operands(a: pa.baseAddress!, b: pb.baseAddress!, c: pc.baseAddress!)
                            let lda = part.transA == .none ? part.k : part.m
                            let ldb = part.transB == .none ? part.n : part.k
                            return measure(repetitions: options.repetitions, warmUp: true) {
                                DispatchQueue.concurrentPerform(iterations: mode.shards) { s in
                                    // The batch rows of A (and of Δ, the B of a weight gradient).
                                    let aPart = operands.a + s * partA
                                    let bPart = part.transA == .transpose ? operands.b + s * part.k * part.n : operands.b
                                    for _ in 0..<calls {
                                        sgemm(part.transA, part.transB, m: part.m, n: part.n, k: part.k, alpha: 1,
                                              a: aPart, lda: lda, b: bPart, ldb: ldb,
                                              beta: 0, c: operands.c + s * partC, ldc: part.n)
                                    }
                                }
                            }
                        }
                    }
                } / Double(calls)
                let gflops = Double(mode.shards) * 2 * Double(part.m) * Double(part.n) * Double(part.k) / seconds / 1e9
                if mode.name == "openblas-1" { single = gflops }
                emit(BenchRecord(suite: name, name: "sgemm", parameters: [
                    "shape": shape.label, "m": String(shape.m), "n": String(shape.n), "k": String(shape.k),
                    "mode": mode.name, "core": BLAS.coreName,
                ], seconds: seconds, metrics: ["gflops": gflops, "speedup": single > 0 ? gflops / single : 1]))
            }
        }
        try measureAdam(options: options, emit: emit)
    }

    /// One Adam step over the parameters of 784-512-256-8-256-512-784 (≈ 1.07 M), on one
    /// thread: the optimiser's share of a training step, in ns per parameter and GB/s of
    /// the seven streams it touches (read w, g, m, v; write w, m, v).
    static func measureAdam(options: BenchOptions, emit: (BenchRecord) -> Void) throws {
        let count = 1_068_832
        var generator = SeededGenerator(seed: 2)
        var w = generator.uniformMatrix(rows: 1, columns: count).elements
        let g = generator.uniformMatrix(rows: 1, columns: count).elements
        var m = [Float](repeating: 0, count: count), v = [Float](repeating: 0, count: count)
        let steps = options.quick ? 20 : 100
        var t = 0
        let seconds = w.withUnsafeMutableBufferPointer { pw in
            g.withUnsafeBufferPointer { pg in
                m.withUnsafeMutableBufferPointer { pm in
                    v.withUnsafeMutableBufferPointer { pv in
                        measure(repetitions: options.repetitions, warmUp: true) {
                            for _ in 0..<steps {
                                t += 1
                                VectorOps.adamStep(parameters: pw.baseAddress!, gradients: pg.baseAddress!,
                                                   firstMoment: pm.baseAddress!, secondMoment: pv.baseAddress!,
                                                   count: count, step: t, learningRate: 1e-3, beta1: 0.9,
                                                   beta2: 0.999, epsilon: 1e-8, weightDecay: 0)
                            }
                        }
                    }
                }
            }
        } / Double(steps)
        emit(BenchRecord(suite: name, name: "adam", parameters: ["parameters": String(count), "threads": "1"],
                         seconds: seconds,
                         metrics: ["ns_per_parameter": seconds / Double(count) * 1e9,
                                   "gbytes_per_second": 28 * Double(count) / seconds / 1e9]))
    }
}

/// The operands of the concurrent calls: each shard reads its rows of `a` (and `b`) and
/// writes its own block of `c`, and `concurrentPerform` returns when all are done.
private struct Operands: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
}
