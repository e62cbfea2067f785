#ifndef ENTROPYBOOK_CKERNELS_H
#define ENTROPYBOOK_CKERNELS_H

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

#endif
