#ifndef ENTROPYBOOK_CKERNELS_H
#define ENTROPYBOOK_CKERNELS_H

#include <stdint.h>

/// Element-wise kernels that Swift cannot vectorise well for the baseline x86-64 target
/// (SSE2: no 8-lane square root or division). Each picks an AVX2 path at run time when
/// the CPU has it and gives the same bits as its scalar path: the same IEEE operations
/// in the same order, never contracted into fused multiply-adds.

/// One Adam step on `count` parameters with the bias corrections folded into scalars:
///   g = gradients[0][offset + k] + gradients[1][offset + k] + … (in that order),
///   m ← β1·m + (1−β1)·g,  v ← β2·v + ((1−β2)·g)·g,
///   w ← w·decay − (stepSize·m)/(√v + eps).
/// Several gradients are the partial gradients of one mini-batch (one per thread).
void eb_adam_step(float *w, float *m, float *v, long count,
                  const float *const *gradients, long gradientCount, long offset,
                  float beta1, float beta2, float oneMinusBeta1, float oneMinusBeta2,
                  float stepSize, float eps, float decay);

/// x[k] ← tanh(x[k]) for `count` values by a rational approximation (Eigen's: odd degree 13
/// over even degree 6 on the input clamped to ±7.905), relative error below 4.2e-7; about 20×
/// faster than libm's tanhf once vectorised.
void eb_tanh(float *x, long count);

/// out[k] ← clean[k] + σ·zₖ for `count` values (out may be clean), the standard normals zₖ by
/// Box–Muller from one 64-bit word of `bits` per pair: two 24-bit uniforms, u₁ ∈ (0, 1],
/// r = σ·√(−2 ln u₁), angle 2π(u₂ − ½); ln, sin and cos by polynomials (absolute error of
/// a normal below 2e-6), so the loop vectorises. `bits` holds ⌈count/2⌉ words.
void eb_add_gaussian_noise(float *out, const float *clean, long count, float sigma, const uint64_t *bits);

#endif
