#include "CKernels.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

/// The AVX2 body: eight parameters per iteration; returns how many it handled.
__attribute__((target("avx2")))
static long adam_avx2(float *w, float *m, float *v, long count,
                      const float *const *gradients, long gradientCount, long offset,
                      float beta1, float beta2, float oneMinusBeta1, float oneMinusBeta2,
                      float stepSize, float eps, float decay) {
    const __m256 b1 = _mm256_set1_ps(beta1), b2 = _mm256_set1_ps(beta2);
    const __m256 c1 = _mm256_set1_ps(oneMinusBeta1), c2 = _mm256_set1_ps(oneMinusBeta2);
    const __m256 s = _mm256_set1_ps(stepSize), e = _mm256_set1_ps(eps), d = _mm256_set1_ps(decay);
    long k = 0;
    for (; k + 8 <= count; k += 8) {
        __m256 gk = _mm256_loadu_ps(gradients[0] + offset + k);
        for (long j = 1; j < gradientCount; j++) gk = _mm256_add_ps(gk, _mm256_loadu_ps(gradients[j] + offset + k));
        __m256 mk = _mm256_add_ps(_mm256_mul_ps(b1, _mm256_loadu_ps(m + k)), _mm256_mul_ps(c1, gk));
        __m256 vk = _mm256_add_ps(_mm256_mul_ps(b2, _mm256_loadu_ps(v + k)), _mm256_mul_ps(_mm256_mul_ps(c2, gk), gk));
        _mm256_storeu_ps(m + k, mk);
        _mm256_storeu_ps(v + k, vk);
        __m256 update = _mm256_div_ps(_mm256_mul_ps(s, mk), _mm256_add_ps(_mm256_sqrt_ps(vk), e));
        _mm256_storeu_ps(w + k, _mm256_sub_ps(_mm256_mul_ps(_mm256_loadu_ps(w + k), d), update));
    }
    return k;
}
#endif

void eb_adam_step(float *w, float *m, float *v, long count,
                  const float *const *gradients, long gradientCount, long offset,
                  float beta1, float beta2, float oneMinusBeta1, float oneMinusBeta2,
                  float stepSize, float eps, float decay) {
    long k = 0;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (__builtin_cpu_supports("avx2")) {
        k = adam_avx2(w, m, v, count, gradients, gradientCount, offset, beta1, beta2, oneMinusBeta1, oneMinusBeta2, stepSize, eps, decay);
    }
#endif
    for (; k < count; k++) {
        float gk = gradients[0][offset + k];
        for (long j = 1; j < gradientCount; j++) gk += gradients[j][offset + k];
        float mk = beta1 * m[k] + oneMinusBeta1 * gk;
        float vk = beta2 * v[k] + (oneMinusBeta2 * gk) * gk;
        m[k] = mk;
        v[k] = vk;
        w[k] = w[k] * decay - (stepSize * mk) / (__builtin_sqrtf(vk) + eps);
    }
}
