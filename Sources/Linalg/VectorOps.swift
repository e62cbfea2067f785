import CKernels

/// Element-wise kernels for training loops: tight loops over raw buffers that the
/// optimiser turns into SIMD code in release builds (no allocation, no bounds checks, no
/// calls per element). Products go through BLAS (`sgemm`); everything between products —
/// bias, activation, loss, optimiser step — goes through these.
///
/// Buffers are row-major `rows × columns` blocks given by their base pointer. Callers own
/// the memory; these functions never retain a pointer.
public enum VectorOps {
    /// `sums[j] = Σ_i x[i, j]` (the bias gradient of a dense layer), accumulated in Float
    /// across at most a batch of rows. O(rows·columns).
    @inlinable
    public static func columnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int,
                                  into sums: UnsafeMutablePointer<Float>) {
        sums.update(repeating: 0, count: columns)
        for i in 0..<rows {
            let row = x + i * columns
            for j in 0..<columns { sums[j] += row[j] }
        }
    }

    /// `difference = output − target` and returns Σ difference² in Double. O(count).
    @inlinable
    public static func squaredError(_ output: UnsafePointer<Float>, _ target: UnsafePointer<Float>,
                                    count: Int, difference: UnsafeMutablePointer<Float>) -> Double {
        var total: Double = 0
        // Float partial sums over short blocks vectorise; Double across blocks keeps the
        // accumulated error at the level of one block.
        var i = 0
        while i < count {
            let end = min(i + 1024, count)
            var partial: Float = 0
            for k in i..<end {
                let e = output[k] - target[k]
                difference[k] = e
                partial += e * e
            }
            total += Double(partial)
            i = end
        }
        return total
    }

    /// Σ (a − b)² in Double without storing the differences. O(count).
    @inlinable
    public static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Double {
        var total: Double = 0
        var i = 0
        while i < count {
            let end = min(i + 1024, count)
            var partial: Float = 0
            for k in i..<end { let e = a[k] - b[k]; partial += e * e }
            total += Double(partial)
            i = end
        }
        return total
    }

    /// One Adam step (Kingma & Ba 2015, Algorithm 1) on `count` parameters, with optional
    /// decoupled weight decay (AdamW, Loshchilov & Hutter 2019):
    ///
    ///     m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²
    ///     w ← w − lr·( m̂ / (√v̂ + ε) + λ·w ),   m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)
    ///
    /// The bias corrections are folded into two scalars per step, so the loop is one pass
    /// of multiply-adds, a square root and a division per parameter. `step` t counts from 1.
    ///
    /// `gradients` are partial gradients (one per thread) whose sum, in order, is the
    /// mini-batch gradient; parameter k takes element `offset + k` of each.
    public static func adamStep(parameters w: UnsafeMutablePointer<Float>,
                                gradients: UnsafeBufferPointer<UnsafePointer<Float>>, offset: Int = 0,
                                firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
                                count: Int, step t: Int, learningRate lr: Float,
                                beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float) {
        let correction1 = 1 - Float(integerPower(Double(beta1), t))
        let correction2 = 1 - Float(integerPower(Double(beta2), t))
        // lr·m̂/(√v̂+ε) = (lr·√c2/c1)·m/(√v + ε·√c2)
        let stepSize = lr * correction2.squareRoot() / correction1
        let eps = epsilon * correction2.squareRoot()
        // In C: this pass touches every parameter once per mini-batch, and the baseline
        // x86-64 target of Swift has no vector square root or division (AVX2 there is
        // 2.2× faster; `entropybook bench linalg` measures it).
        let sources = UnsafeRawPointer(gradients.baseAddress!).assumingMemoryBound(to: UnsafePointer<Float>?.self)
        eb_adam_step(w, m, v, count, sources, gradients.count, offset, beta1, beta2, 1 - beta1, 1 - beta2,
                     stepSize, eps, 1 - lr * weightDecay)
    }

    /// x[k] ← tanh(x[k]) for `count` values (rational approximation, relative error < 4.2e-7,
    /// vectorised: `eb_tanh`).
    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        eb_tanh(x, count)
    }

    /// out[k] ← clean[k] + σ·zₖ, zₖ standard normals by vectorised Box–Muller (`eb_add_gaussian_noise`)
    /// from `generator`'s 64-bit words, one per pair, drawn in blocks of 512 on the stack.
    /// `out` may be `clean`.
    public static func addGaussianNoise(to out: UnsafeMutablePointer<Float>, from clean: UnsafePointer<Float>, count: Int,
                                        sigma: Float, generator: inout SeededGenerator) {
        let block = 1_024
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: block / 2) { bits in
            guard let words = bits.baseAddress else { return }
            var k = 0
            while k < count {
                let n = min(block, count - k)
                for p in 0..<((n + 1) / 2) { words[p] = generator.next() }
                eb_add_gaussian_noise(out + k, clean + k, n, sigma, words)
                k += n
            }
        }
    }

    /// `adamStep` with one gradient.
    public static func adamStep(parameters w: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
                                firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
                                count: Int, step t: Int, learningRate lr: Float,
                                beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float) {
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 1) { sources in
            sources.initialize(repeating: g)
            adamStep(parameters: w, gradients: UnsafeBufferPointer(sources), firstMoment: m, secondMoment: v,
                     count: count, step: t, learningRate: lr, beta1: beta1, beta2: beta2, epsilon: epsilon,
                     weightDecay: weightDecay)
        }
    }

    /// Eight floats from `p` (any alignment).
    @inlinable @inline(__always)
    public static func loadVector(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Stores eight floats at `p` (any alignment).
    @inlinable @inline(__always)
    public static func storeVector(_ x: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: x, as: SIMD8<Float>.self)
    }
}

@usableFromInline
func integerPower(_ x: Double, _ n: Int) -> Double {
    // Repeated squaring gives the same bits on every platform (libm's pow need not).
    var result = 1.0, base = x, n = n
    while n > 0 {
        if n & 1 == 1 { result *= base }
        base *= base
        n >>= 1
    }
    return result
}

/// `count` zeroed floats (at least one), owned by the caller (`deallocate()`): the buffers
/// the trainers allocate once per run.
public func zeroedFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    p.initialize(repeating: 0, count: max(count, 1))
    return p
}
