/* Adam's update for DeepPerf's training (beta1 0.9, beta2 0.999, eps 1e-8,
 * bias-corrected; METHOD.md), applied to the whole flat parameter vector
 * with the clipping factor folded in, and the squared gradient norm that
 * factor comes from. With a small batch these loops, not sgemm, dominate
 * an epoch, so they run in the widest SIMD the CPU has (AVX-512, AVX,
 * SSE2), chosen at run time; each machine always takes the same path,
 * which keeps training reproducible.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stddef.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_X86_SIMD 1
#endif

#include "models/deepperf-int.h"
#include "util/banned.h"

#define BETA1 0.9
#define BETA2 0.999
#define ADAM_EPS 1e-8f

/* The update's constants: s (clipping), b1, 1 - b1, b2, 1 - b2, the bias
 * corrections a = lr / (1 - b1^t) and c = 1 / (1 - b2^t), eps. */
enum { K_S, K_B1, K_NB1, K_B2, K_NB2, K_A, K_C, K_EPS, K_N };

#ifdef HAVE_X86_SIMD
/* The vector loops below spell out the scalar tail's operations in the
 * same order; compilers may fuse multiply-adds on the wider paths. */
#define ADAM_BODY(V, load, store, set1, add, sub, mul, div, sqrt) \
  V ks = set1(k[K_S]), b1 = set1(k[K_B1]), nb1 = set1(k[K_NB1]);  \
  V b2 = set1(k[K_B2]), nb2 = set1(k[K_NB2]), a = set1(k[K_A]);   \
  V c = set1(k[K_C]), eps = set1(k[K_EPS]);                       \
  size_t lanes = sizeof(V) / sizeof(float), i = 0;                \
  for (; i + lanes <= n; i += lanes) {                            \
    V gi = mul(ks, load(g + i));                                  \
    V mi = add(mul(b1, load(m + i)), mul(nb1, gi));               \
    V vi = add(mul(b2, load(v + i)), mul(mul(nb2, gi), gi));      \
    V den = add(sqrt(mul(c, vi)), eps);                           \
    store(m + i, mi);                                             \
    store(v + i, vi);                                             \
    store(w + i, sub(load(w + i), div(mul(a, mi), den)));         \
  }                                                               \
  return i;

/* Each returns how many leading parameters it updated. */
__attribute__((target("avx512f"))) static size_t
adam_avx512(float *w, const float *g, float *m, float *v, size_t n,
            const float *k)
{
  ADAM_BODY(__m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_set1_ps,
            _mm512_add_ps, _mm512_sub_ps, _mm512_mul_ps, _mm512_div_ps,
            _mm512_sqrt_ps)
}

__attribute__((target("avx"))) static size_t
adam_avx(float *w, const float *g, float *m, float *v, size_t n, const float *k)
{
  ADAM_BODY(__m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_set1_ps,
            _mm256_add_ps, _mm256_sub_ps, _mm256_mul_ps, _mm256_div_ps,
            _mm256_sqrt_ps)
}

static size_t adam_sse2(float *w, const float *g, float *m, float *v, size_t n,
                        const float *k)
{
  ADAM_BODY(__m128, _mm_loadu_ps, _mm_storeu_ps, _mm_set1_ps, _mm_add_ps,
            _mm_sub_ps, _mm_mul_ps, _mm_div_ps, _mm_sqrt_ps)
}

/* Squared sums: four vector accumulators over blocks of up to 1024
 * values, each block reduced in float and added in double (no float sum
 * runs over more than a few dozen terms). */
#define SUMSQ_BODY(V, load, add, mul, zero, reduce)                 \
  double ss = 0.0;                                                  \
  size_t lanes = sizeof(V) / sizeof(float), i = 0;                  \
  while (i + 4 * lanes <= n) {                                      \
    V a0 = zero(), a1 = zero(), a2 = zero(), a3 = zero();           \
    size_t left = (n - i) / (4 * lanes) * (4 * lanes);              \
    size_t end = i + (left < 1024 ? left : 1024);                   \
    for (; i < end; i += 4 * lanes) {                               \
      V x0 = load(g + i), x1 = load(g + i + lanes);                 \
      V x2 = load(g + i + 2 * lanes), x3 = load(g + i + 3 * lanes); \
      a0 = add(a0, mul(x0, x0));                                    \
      a1 = add(a1, mul(x1, x1));                                    \
      a2 = add(a2, mul(x2, x2));                                    \
      a3 = add(a3, mul(x3, x3));                                    \
    }                                                               \
    ss += reduce(add(add(a0, a1), add(a2, a3)));                    \
  }                                                                 \
  *done = i;                                                        \
  return ss;

/* Horizontal sums of the narrower vectors. */
__attribute__((target("avx"))) static double hsum256(__m256 x)
{
  float f[8];
  _mm256_storeu_ps(f, x);
  return (double)(((f[0] + f[1]) + (f[2] + f[3])) +
                  ((f[4] + f[5]) + (f[6] + f[7])));
}

static double hsum128(__m128 x)
{
  float f[4];
  _mm_storeu_ps(f, x);
  return (double)((f[0] + f[1]) + (f[2] + f[3]));
}

__attribute__((target("avx512f"))) static double
sumsq_avx512(const float *g, size_t n, size_t *done)
{
  SUMSQ_BODY(__m512, _mm512_loadu_ps, _mm512_add_ps, _mm512_mul_ps,
             _mm512_setzero_ps, (double)_mm512_reduce_add_ps)
}

__attribute__((target("avx"))) static double sumsq_avx(const float *g, size_t n,
                                                       size_t *done)
{
  SUMSQ_BODY(__m256, _mm256_loadu_ps, _mm256_add_ps, _mm256_mul_ps,
             _mm256_setzero_ps, hsum256)
}

static double sumsq_sse2(const float *g, size_t n, size_t *done)
{
  SUMSQ_BODY(__m128, _mm_loadu_ps, _mm_add_ps, _mm_mul_ps, _mm_setzero_ps,
             hsum128)
}
#endif

/* Sum of g's squares; the vector paths take all but a short tail. */
double l4p__dp_sumsq(const float *g, size_t n)
{
  double ss = 0.0;
  size_t i = 0;
#ifdef HAVE_X86_SIMD
  if (__builtin_cpu_supports("avx512f"))
    ss = sumsq_avx512(g, n, &i);
  else if (__builtin_cpu_supports("avx"))
    ss = sumsq_avx(g, n, &i);
  else
    ss = sumsq_sse2(g, n, &i);
#endif
  for (; i < n; i++)
    ss += (double)g[i] * g[i];
  return ss;
}

/* Update w, m, v (n each) from the gradient g scaled by gscale, at step t
 * (1-based) and rate lr:
 *   g' = gscale g;  m = b1 m + (1 - b1) g';  v = b2 v + (1 - b2) g'^2;
 *   w -= lr / (1 - b1^t) m / (sqrt(v / (1 - b2^t)) + eps). */
void l4p__dp_adam_step(float *restrict w, const float *restrict g,
                       float *restrict m, float *restrict v, size_t n,
                       float gscale, double lr, int t)
{
  const float k[K_N] = {
      [K_S] = gscale,
      [K_B1] = (float)BETA1,
      [K_NB1] = (float)(1.0 - BETA1),
      [K_B2] = (float)BETA2,
      [K_NB2] = (float)(1.0 - BETA2),
      [K_A] = (float)(lr / (1.0 - pow(BETA1, t))),
      [K_C] = (float)(1.0 / (1.0 - pow(BETA2, t))),
      [K_EPS] = ADAM_EPS,
  };
  size_t i = 0;
#ifdef HAVE_X86_SIMD
  if (__builtin_cpu_supports("avx512f"))
    i = adam_avx512(w, g, m, v, n, k);
  else if (__builtin_cpu_supports("avx"))
    i = adam_avx(w, g, m, v, n, k);
  else
    i = adam_sse2(w, g, m, v, n, k);
#endif
  for (; i < n; i++) {
    float gi = k[K_S] * g[i];
    m[i] = k[K_B1] * m[i] + k[K_NB1] * gi;
    v[i] = k[K_B2] * v[i] + k[K_NB2] * gi * gi;
    w[i] -= k[K_A] * m[i] / (sqrtf(k[K_C] * v[i]) + k[K_EPS]);
  }
}
