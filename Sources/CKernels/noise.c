#include "CKernels.h"

#pragma STDC FP_CONTRACT OFF

/* tanh by the rational approximation of Eigen's ptanh_float: an odd degree-13 over an even
   degree-6 polynomial on the input clamped to ±7.905 (where tanh rounds to ±1 in Float32);
   relative error below 4.2e-7 over [−10, 10] (checked against tanh in Double). */
static inline float tanh_rational(float x) {
    const float clamp = 7.90531110763549805f;
    float c = x > clamp ? clamp : (x < -clamp ? -clamp : x);
    float x2 = c * c;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 + -8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    p = p * c;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    float r = p / q;
    float ax = x < 0 ? -x : x;
    return ax < 0.0004f ? x : r;
}

__attribute__((target("avx2")))
static void tanh_avx2(float *x, long count) {
    for (long k = 0; k < count; k++) x[k] = tanh_rational(x[k]);
}

void eb_tanh(float *x, long count) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) { tanh_avx2(x, count); return; }
#endif
    for (long k = 0; k < count; k++) x[k] = tanh_rational(x[k]);
}

/* ln u for u in (0, 1] (Cephes logf's polynomial on the mantissa, error ≈ 1 ulp). */
static inline float log_poly(float u) {
    union { float f; uint32_t i; } v = { u };
    int e = (int)((v.i >> 23) & 0xFF) - 126;          /* u = m·2^e, m in [0.5, 1) */
    v.i = (v.i & 0x807FFFFFu) | 0x3F000000u;
    float m = v.f;
    int small = m < 0.707106781186547524f;
    float x = small ? m + m - 1.0f : m - 1.0f;
    float fe = (float)(small ? e - 1 : e);
    float z = x * x;
    float y = 7.0376836292e-2f;
    y = y * x + -1.1514610310e-1f;
    y = y * x + 1.1676998740e-1f;
    y = y * x + -1.2420140846e-1f;
    y = y * x + 1.4249322787e-1f;
    y = y * x + -1.6668057665e-1f;
    y = y * x + 2.0000714765e-1f;
    y = y * x + -2.4999993993e-1f;
    y = y * x + 3.3333331174e-1f;
    y = y * x * z;
    y = y + -2.12194440e-4f * fe;
    y = y + -0.5f * z;
    return x + y + 0.693359375f * fe;
}

/* One Box–Muller pair from 64 random bits: two 24-bit uniforms, u1 in (0, 1]. The angle is
   2π(u2 − ½) (a half turn from 2πu2: the pair's signs flip, its law does not); sin and cos of
   it from those of the half angle in [−π/2, π/2) by Taylor polynomials (error < 1e-7). */
static inline void box_muller(uint64_t bits, float sigma, float *a, float *b) {
    float u1 = ((float)(int32_t)(uint32_t)(bits >> 40) + 1.0f) * 0x1p-24f;
    float u2 = (float)(int32_t)((uint32_t)(bits >> 16) & 0xFFFFFFu) * 0x1p-24f;
    float r = sigma * __builtin_elementwise_sqrt(-2.0f * log_poly(u1));
    float h = 3.14159265358979f * (u2 - 0.5f);       /* half angle */
    float h2 = h * h;
    float s = -2.5052108385441720e-08f;               /* sin h: h − h³/3! + … − h¹¹/11! */
    s = s * h2 + 2.7557319223985893e-06f;
    s = s * h2 + -1.9841269841269841e-04f;
    s = s * h2 + 8.3333333333333333e-03f;
    s = s * h2 + -1.6666666666666667e-01f;
    s = s * h2 * h + h;
    float c = 2.0876756987868099e-09f;                /* cos h: 1 − h²/2! + … + h¹²/12! */
    c = c * h2 + -2.7557319223985888e-07f;
    c = c * h2 + 2.4801587301587302e-05f;
    c = c * h2 + -1.3888888888888889e-03f;
    c = c * h2 + 4.1666666666666667e-02f;
    c = c * h2 + -0.5f;
    c = c * h2 + 1.0f;
    *a = r * (c * c - s * s);
    *b = r * (2.0f * s * c);
}

#define EB_NOISE_BODY \
    for (long p = 0; p < pairs; p++) { \
        float a, b; \
        box_muller(bits[p], sigma, &a, &b); \
        out[2 * p] = clean[2 * p] + a; \
        out[2 * p + 1] = clean[2 * p + 1] + b; \
    }

__attribute__((target("avx2")))
static void noise_avx2(float *out, const float *clean, long pairs, float sigma, const uint64_t *bits) { EB_NOISE_BODY }

static void noise_scalar(float *out, const float *clean, long pairs, float sigma, const uint64_t *bits) { EB_NOISE_BODY }

void eb_add_gaussian_noise(float *out, const float *clean, long count, float sigma, const uint64_t *bits) {
    long pairs = count / 2;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) noise_avx2(out, clean, pairs, sigma, bits);
    else
#endif
    noise_scalar(out, clean, pairs, sigma, bits);
    if (count % 2) {
        float a, b;
        box_muller(bits[pairs], sigma, &a, &b);
        out[count - 1] = clean[count - 1] + a;
    }
}
