/// e^x for 16 floats at once, for x in [−87, 0] (the kernel sums clamp their arguments to
/// [−40, 0], so no overflow, underflow or special value ever reaches it).
///
/// Cody–Waite range reduction x = k·ln 2 + r with |r| ≤ ½·ln 2 (ln 2 split in two parts so
/// k·ln 2 is exact), the degree-7 minimax polynomial of Cephes `expf` (S. Moshier) for e^r,
/// and 2^k built in the exponent bits. Relative error ≤ 2.5e-7 (≈ 2 ulp) on [−87, 0],
/// checked against `Foundation.exp` in the tests. It is the hot loop of every kernel sum, so
/// it is written in SIMD16 operations that lower to vector instructions.
@inline(__always)
func exponential(_ x: SIMD16<Float>) -> SIMD16<Float> {
    // Adding 1.5·2^23 rounds x·log₂e to the nearest integer k, which then sits in the low
    // mantissa bits of `shifted` (valid for |k| < 2^22).
    let roundingShift: Float = 12_582_912
    let shifted = x * Float(1.442_695_040_888_963_4) + roundingShift
    let k = shifted - roundingShift
    let r = x - k * Float(0.693_359_375) + k * Float(2.121_944_400_546_905_8e-4)
    var p = SIMD16<Float>(repeating: 1.987_569_150_0e-4)
    p = p * r + Float(1.398_199_950_7e-3)
    p = p * r + Float(8.333_451_907_3e-3)
    p = p * r + Float(4.166_579_589_4e-2)
    p = p * r + Float(1.666_666_545_9e-1)
    p = p * r + Float(5.000_000_120_1e-1)
    p = p * (r * r) + r + 1
    // k + 127 in the exponent field is 2^k.
    let exponentBits = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return p * unsafeBitCast(exponentBits, to: SIMD16<Float>.self)
}
