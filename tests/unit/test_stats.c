/* Unit tests for the study statistics (src/eval/stats_*.c): the rank-sum
 * test, A12 / Cliff's delta and Holm against tests/data/stats/vectors.json
 * (made by make_vectors.py with SciPy 1.10.1; the file records the exact
 * versions), the exact U distribution against enumeration, and hand-checked
 * Scott-Knott ESD rankings.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "eval/stats-int.h"
#include "llm4perf/stats.h"
#include "testutil.h"

/* p-values: 1e-9 relative, as promised in docs/STATISTICS.md. */
#define assert_rel(got, want, tol, what)                                      \
  do {                                                                        \
    double got_ = (got), want_ = (want);                                      \
    if (!(fabs(got_ - want_) <= (tol)*fabs(want_)) && got_ != want_)          \
      fail_msg("%s: %s is %.17g, expected %.17g", (what), #got, got_, want_); \
  } while (0)

static json_t *vectors;

static int load_vectors(void **state)
{
  (void)state;
  json_error_t err;
  vectors = json_load_file(tu_src("tests/data/stats/vectors.json"), 0, &err);
  if (!vectors) {
    fprintf(stderr, "vectors.json:%d: %s\n", err.line, err.text);
    return -1;
  }
  printf("# reference vectors from SciPy %s, numpy %s, statsmodels %s\n",
         json_string_value(json_object_get(vectors, "scipy")),
         json_string_value(json_object_get(vectors, "numpy")),
         json_string_value(json_object_get(vectors, "statsmodels")));
  return 0;
}

static int free_vectors(void **state)
{
  (void)state;
  json_decref(vectors);
  return 0;
}

/* A JSON array of numbers as a malloc'ed array; its length into *n. */
static double *numbers(json_t *arr, size_t *n)
{
  assert_true(json_is_array(arr));
  *n = json_array_size(arr);
  double *v = malloc((*n ? *n : 1) * sizeof *v);
  assert_non_null(v);
  for (size_t i = 0; i < *n; i++)
    v[i] = json_number_value(json_array_get(arr, i));
  return v;
}

static const char *str(json_t *obj, const char *key)
{
  const char *s = json_string_value(json_object_get(obj, key));
  assert_non_null(s);
  return s;
}

static double num(json_t *obj, const char *key)
{
  json_t *v = json_object_get(obj, key);
  assert_true(json_is_number(v));
  return json_number_value(v);
}

/* Every case of scipy.stats.mannwhitneyu: U exactly, p to 1e-9
 * relative, and the method 'auto' took where SciPy's p-values show it.
 * Swapping x and y must give nx ny - U and the same p. */
static void test_mwu_vectors(void **state)
{
  (void)state;
  json_t *cases = json_object_get(vectors, "mannwhitneyu"), *c;
  size_t i;
  assert_true(json_array_size(cases) >= 20);
  json_array_foreach (cases, i, c) {
    const char *name = str(c, "name"), *method = str(c, "method");
    enum l4p_mwu_method m = !strcmp(method, "exact")        ? L4P_MWU_EXACT
                            : !strcmp(method, "asymptotic") ? L4P_MWU_ASYMPTOTIC
                                                            : L4P_MWU_AUTO;
    size_t nx, ny;
    double *x = numbers(json_object_get(c, "x"), &nx);
    double *y = numbers(json_object_get(c, "y"), &ny);
    struct l4p_mwu r, swapped;
    if (l4p_stats_mannwhitney(x, nx, y, ny, m, &r) != L4P_OK)
      fail_msg("%s: %s", name, l4p_last_error());
    assert_rel(r.u, num(c, "statistic"), 0, name);
    assert_rel(r.p, num(c, "pvalue"), 1e-9, name);
    json_t *chosen = json_object_get(c, "chosen");
    if (chosen && !strcmp(json_string_value(chosen), "exact") && !r.exact)
      fail_msg("%s: SciPy used the exact distribution", name);
    if (chosen && !strcmp(json_string_value(chosen), "asymptotic") && r.exact)
      fail_msg("%s: SciPy used the normal approximation", name);
    assert_int_equal(l4p_stats_mannwhitney(y, ny, x, nx, m, &swapped), L4P_OK);
    assert_rel(swapped.u, (double)nx * (double)ny - r.u, 0, name);
    assert_rel(swapped.p, r.p, 1e-12, name);
    free(x);
    free(y);
  }
}

/* A12 and delta from their pairwise definitions, labels from exact
 * fractions (including values exactly on the thresholds). */
static void test_effect_vectors(void **state)
{
  (void)state;
  json_t *cases = json_object_get(vectors, "effect"), *c;
  size_t i;
  assert_true(json_array_size(cases) >= 30);
  json_array_foreach (cases, i, c) {
    const char *name = str(c, "name");
    size_t nx, ny;
    double *x = numbers(json_object_get(c, "x"), &nx);
    double *y = numbers(json_object_get(c, "y"), &ny);
    struct l4p_effect e;
    if (l4p_stats_effect(x, nx, y, ny, &e) != L4P_OK)
      fail_msg("%s: %s", name, l4p_last_error());
    assert_rel(e.a12, num(c, "a12"), 1e-15, name);
    assert_rel(e.delta, num(c, "delta"), 1e-15, name);
    if (strcmp(l4p_magnitude_name(e.a12_mag), str(c, "a12_magnitude")))
      fail_msg("%s: A12 %g is %s, expected %s", name, e.a12,
               l4p_magnitude_name(e.a12_mag), str(c, "a12_magnitude"));
    if (strcmp(l4p_magnitude_name(e.delta_mag), str(c, "delta_magnitude")))
      fail_msg("%s: delta %g is %s, expected %s", name, e.delta,
               l4p_magnitude_name(e.delta_mag), str(c, "delta_magnitude"));
    free(x);
    free(y);
  }
}

/* Holm against the definition (checked against statsmodels by the
 * generator), into a separate array and in place. */
static void test_holm_vectors(void **state)
{
  (void)state;
  json_t *cases = json_object_get(vectors, "holm"), *c;
  size_t i;
  assert_true(json_array_size(cases) >= 5);
  json_array_foreach (cases, i, c) {
    const char *name = str(c, "name");
    size_t n, n_want;
    double *p = numbers(json_object_get(c, "p"), &n);
    double *want = numbers(json_object_get(c, "adjusted"), &n_want);
    double *adj = malloc(n * sizeof *adj);
    assert_non_null(adj);
    assert_int_equal(n, n_want);
    assert_int_equal(l4p_stats_holm(p, n, adj), L4P_OK);
    assert_int_equal(l4p_stats_holm(p, n, p), L4P_OK);
    for (size_t j = 0; j < n; j++) {
      assert_rel(adj[j], want[j], 1e-12, name);
      assert_rel(p[j], want[j], 1e-12, name);
    }
    free(p);
    free(want);
    free(adj);
  }
}

/* Count the m-subsets of ranks 1..m+n by U = rank sum - m(m+1)/2, the
 * definition of the exact distribution, and compare every P(U <= k). */
static void test_exact_cdf_enumerated(void **state)
{
  (void)state;
  for (size_t m = 1; m <= 5; m++)
    for (size_t n = 1; n <= 7; n++) {
      size_t total = m + n, count[64] = {0}, subsets = 0;
      for (uint32_t mask = 0; mask < (1u << total); mask++) {
        if ((size_t)__builtin_popcount(mask) != m)
          continue;
        size_t sum = 0;
        for (size_t b = 0; b < total; b++)
          if (mask >> b & 1)
            sum += b + 1;
        count[sum - m * (m + 1) / 2]++;
        subsets++;
      }
      size_t below = 0;
      for (size_t k = 0; k <= m * n; k++) {
        below += count[k];
        double cdf;
        assert_int_equal(l4p__mwu_exact_cdf(m, n, k, &cdf), L4P_OK);
        assert_rel(cdf, (double)below / (double)subsets, 1e-13, "cdf");
      }
    }
}

/* Bad input is refused with a message, never answered. */
static void test_errors(void **state)
{
  (void)state;
  const double x[] = {1, 2, 3}, tied[] = {1, 1, 2}, bad[] = {1, NAN};
  struct l4p_mwu r;
  struct l4p_effect e;
  assert_int_equal(l4p_stats_mannwhitney(x, 0, x, 3, L4P_MWU_AUTO, &r),
                   L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), "empty"));
  assert_int_equal(l4p_stats_mannwhitney(x, 3, bad, 2, L4P_MWU_AUTO, &r),
                   L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), "NaN"));
  assert_int_equal(l4p_stats_mannwhitney(x, 3, tied, 3, L4P_MWU_EXACT, &r),
                   L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), "ties"));
  assert_int_equal(
      l4p_stats_mannwhitney(x, 3, x, 3, (enum l4p_mwu_method)7, &r),
      L4P_EUSAGE);
  assert_int_equal(l4p_stats_effect(bad, 2, x, 3, &e), L4P_EUSAGE);

  /* 3 against 60000 interleaved values: the exact distribution would take
   * 3 * 60000 * 90000 steps, so AUTO falls back and EXACT refuses. */
  enum { BIG = 60000 };
  double *big = malloc(BIG * sizeof *big);
  assert_non_null(big);
  for (size_t i = 0; i < BIG; i++)
    big[i] = (double)i;
  const double three[] = {0.5, 30000.5, 59998.5};
  assert_int_equal(l4p_stats_mannwhitney(three, 3, big, BIG, L4P_MWU_AUTO, &r),
                   L4P_OK);
  assert_false(r.exact);
  assert_true(r.p > 0.9);
  assert_int_equal(l4p_stats_mannwhitney(three, 3, big, BIG, L4P_MWU_EXACT, &r),
                   L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), "too large"));
  free(big);
  assert_int_equal(l4p_stats_effect(x, 3, x, 0, &e), L4P_EUSAGE);

  double p[] = {0.5, 1.5}, adj[2];
  assert_int_equal(l4p_stats_holm(p, 2, adj), L4P_EUSAGE);
  p[1] = NAN;
  assert_int_equal(l4p_stats_holm(p, 2, adj), L4P_EUSAGE);
  assert_int_equal(l4p_stats_holm(p, 0, adj), L4P_OK);
  assert_string_equal(l4p_magnitude_name((enum l4p_magnitude)9), "unknown");
}

/* ------------------------------------------------------------------ */
/* Scott-Knott ESD: no reference implementation in SciPy, so every case
 * below is worked out by hand (the numbers in the comments come from the
 * formulas in docs/STATISTICS.md: c = pi / (2 (pi - 2)) = 1.37597,
 * df = k / (pi - 2), p = P(chi2(df) > lambda)). */

static struct l4p_skesd_opts raw(void)
{
  struct l4p_skesd_opts o;
  l4p_stats_skesd_defaults(&o);
  o.log_transform = false;
  return o;
}

static void ranks_are(const int *got, const int *want, size_t k,
                      const char *what)
{
  for (size_t t = 0; t < k; t++)
    if (got[t] != want[t])
      fail_msg("%s: treatment %zu has rank %d, expected %d", what, t, got[t],
               want[t]);
}

/* Means 10, 1, 5 (given out of order), each +-0.1 over 3 repetitions:
 * MSE = 0.06 / 6 = 0.01 with nu = 6, s2 = 0.01 / 3. Sorted 1, 5, 10: the
 * cuts give B = 28.17 and 32.67, so {1, 5} | {10}; spread 40.67, sigma0^2
 * = (40.67 + 6 s2) / 9 = 4.521, lambda = 9.94, df 2.63, p = 0.0135:
 * split. {1, 5}: B = 8, sigma0^2 = (8 + 0.02) / 8 = 1.0025, lambda = 10.98,
 * df 1.75, p = 0.0030: split. Cohen's d between neighbours is about 40,
 * so nothing merges: ranks 3, 1, 2, or 1, 3, 2 when higher is better. */
static void test_skesd_separated(void **state)
{
  (void)state;
  const double v[] = {10, 10.1, 9.9, 1, 1.1, 0.9, 5, 5.1, 4.9};
  const size_t counts[] = {3, 3, 3};
  struct l4p_skesd_opts o = raw();
  int rank[3], sk[3];
  assert_int_equal(l4p_stats_skesd(v, counts, 3, &o, rank, sk), L4P_OK);
  ranks_are(rank, (const int[]){3, 1, 2}, 3, "lower is better");
  ranks_are(sk, (const int[]){3, 1, 2}, 3, "before the merge");
  o.higher_is_better = true;
  assert_int_equal(l4p_stats_skesd(v, counts, 3, &o, rank, NULL), L4P_OK);
  ranks_are(rank, (const int[]){1, 3, 2}, 3, "higher is better");
}

/* Identical treatments: every cut has B = 0, nothing to split, and
 * equal means with their spread give d = 0. One treatment: rank 1. */
static void test_skesd_identical(void **state)
{
  (void)state;
  const double v[] = {2, 3, 4, 2, 3, 4, 2, 3, 4, 2, 3, 4};
  const size_t counts[] = {3, 3, 3, 3};
  int rank[4], sk[4];
  assert_int_equal(l4p_stats_skesd(v, counts, 4, NULL, rank, sk), L4P_OK);
  ranks_are(rank, (const int[]){1, 1, 1, 1}, 4, "identical");
  ranks_are(sk, (const int[]){1, 1, 1, 1}, 4, "identical, sk");
  assert_int_equal(l4p_stats_skesd(v, counts, 1, NULL, rank, NULL), L4P_OK);
  assert_int_equal(rank[0], 1);
  /* same mean, different spread: B = 0 too */
  const double w[] = {1, 3, 2, 2};
  const size_t two[] = {2, 2};
  struct l4p_skesd_opts o = raw();
  assert_int_equal(l4p_stats_skesd(w, two, 2, &o, rank, sk), L4P_OK);
  ranks_are(rank, (const int[]){1, 1}, 2, "equal means");
}

/* 400 repetitions of -1, +1 (T0) and the same plus 0.15 (T1): MSE =
 * 800 / 798 = 1.0025, s2 = MSE / 400, nu = 798. B = spread = 0.01125,
 * sigma0^2 = (0.01125 + 798 s2) / 800 = 0.0025141, lambda = 6.157, df 1.75,
 * p = 0.036 < 0.05: Scott-Knott splits. But d = 0.15 / sqrt(1.0025) =
 * 0.1498 < 0.2: ESD merges them. Shifted by 0.5 instead (d = 0.499,
 * p = 5e-15) the two stay apart. */
static void test_skesd_negligible_merge(void **state)
{
  (void)state;
  enum { R = 400 };
  double v[2 * R];
  const size_t counts[] = {R, R};
  for (size_t j = 0; j < R; j++) {
    v[j] = j % 2 ? 1 : -1;
    v[R + j] = v[j] + 0.15;
  }
  struct l4p_skesd_opts o = raw();
  int rank[2], sk[2];
  assert_int_equal(l4p_stats_skesd(v, counts, 2, &o, rank, sk), L4P_OK);
  ranks_are(sk, (const int[]){1, 2}, 2, "scott-knott alone");
  ranks_are(rank, (const int[]){1, 1}, 2, "after the merge");
  for (size_t j = 0; j < R; j++)
    v[R + j] = v[j] + 0.5;
  assert_int_equal(l4p_stats_skesd(v, counts, 2, &o, rank, sk), L4P_OK);
  ranks_are(rank, (const int[]){1, 2}, 2, "non-negligible");
}

/* Three shifts 0, 0.15, 0.30 of the same 400 values. Sorted, both cuts
 * give B = 0.03375 (up to rounding), lambda = 18.3, p < 0.001; the pair
 * left over is the case above (p = 0.036): three Scott-Knott groups either
 * way. Merging walks best first: T1 joins T0 (d = 0.1498); T2 is compared
 * with the grown group {T0, T1}, mean 0.075, pooled sd 1.0009: d = 0.2244,
 * so it stays out, although against T1 alone it would be negligible. With
 * the third at +3 instead, the first pair still merges: ranks 1 1 2. */
static void test_skesd_merge_chain(void **state)
{
  (void)state;
  enum { R = 400 };
  static double v[3 * R];
  const size_t counts[] = {R, R, R};
  const double shift[] = {0, 0.15, 0.30};
  for (size_t t = 0; t < 3; t++)
    for (size_t j = 0; j < R; j++)
      v[t * R + j] = (j % 2 ? 1 : -1) + shift[t];
  struct l4p_skesd_opts o = raw();
  int rank[3], sk[3];
  assert_int_equal(l4p_stats_skesd(v, counts, 3, &o, rank, sk), L4P_OK);
  ranks_are(sk, (const int[]){1, 2, 3}, 3, "scott-knott alone");
  ranks_are(rank, (const int[]){1, 1, 2}, 3, "merged with the grown group");
  for (size_t j = 0; j < R; j++)
    v[2 * R + j] = (j % 2 ? 1 : -1) + 3;
  assert_int_equal(l4p_stats_skesd(v, counts, 3, &o, rank, sk), L4P_OK);
  ranks_are(sk, (const int[]){1, 2, 3}, 3, "far third, sk");
  ranks_are(rank, (const int[]){1, 1, 2}, 3, "far third");
}

/* One observation each (nu = 0, no error term): 1, 2, 100 cut as
 * {1, 2} | {100}, B = 6468.2, sigma0^2 = spread / 3 = 2156.2, lambda =
 * 4.13, df 2.63, p = 0.20: no split, one group, although 100 is far off. */
static void test_skesd_unreplicated(void **state)
{
  (void)state;
  const double v[] = {1, 2, 100};
  const size_t counts[] = {1, 1, 1};
  struct l4p_skesd_opts o = raw();
  int rank[3];
  assert_int_equal(l4p_stats_skesd(v, counts, 3, &o, rank, NULL), L4P_OK);
  ranks_are(rank, (const int[]){1, 1, 1}, 3, "unreplicated");
}

/* Means about 1, 2 and 100, each +-10 % and +-20 % over 5 repetitions.
 * Raw, T2's deviations (SS 1000) swamp the error term: MSE = 1000.5 / 12
 * = 83.4, s2 = 16.7, so {T0, T1} (B = 0.5) gets lambda = 0.048, p = 0.96:
 * one group, ranks 1 1 2. On log(1 + x) every treatment has about the
 * same spread, s2 drops to 0.0028 and {T0, T1} splits (lambda = 13.6,
 * p = 0.0008): ranks 1 2 3, the outcome of the original ESD. The option
 * is exactly the raw analysis of log1p(x). */
static void test_skesd_log_transform(void **state)
{
  (void)state;
  const double v[] = {1,   1.2, 0.8, 1.1, 0.9, 2,   2.4, 1.6,
                      2.2, 1.8, 100, 120, 80,  110, 90};
  const size_t counts[] = {5, 5, 5};
  double logged[15];
  for (size_t i = 0; i < 15; i++)
    logged[i] = log1p(v[i]);
  struct l4p_skesd_opts o;
  l4p_stats_skesd_defaults(&o);
  struct l4p_skesd_opts r = raw();
  int a[3], b[3], sa[3], sb[3];
  assert_int_equal(l4p_stats_skesd(v, counts, 3, &r, a, NULL), L4P_OK);
  ranks_are(a, (const int[]){1, 1, 2}, 3, "raw");
  assert_int_equal(l4p_stats_skesd(v, counts, 3, &o, a, sa), L4P_OK);
  ranks_are(a, (const int[]){1, 2, 3}, 3, "log transform");
  assert_int_equal(l4p_stats_skesd(logged, counts, 3, &r, b, sb), L4P_OK);
  ranks_are(a, b, 3, "log1p by hand");
  ranks_are(sa, sb, 3, "log1p by hand, sk");
}

/* Refused input: no treatments, an empty one, a NaN, log of <= -1, bad
 * alpha. */
static void test_skesd_errors(void **state)
{
  (void)state;
  const double v[] = {1, 2, -1, 3};
  const size_t counts[] = {2, 2}, empty[] = {2, 0};
  int rank[2];
  struct l4p_skesd_opts o;
  l4p_stats_skesd_defaults(&o);
  assert_int_equal(l4p_stats_skesd(v, counts, 0, NULL, rank, NULL), L4P_EUSAGE);
  assert_int_equal(l4p_stats_skesd(v, empty, 2, NULL, rank, NULL), L4P_EUSAGE);
  assert_int_equal(l4p_stats_skesd(v, counts, 2, &o, rank, NULL), L4P_EDOMAIN);
  assert_non_null(strstr(l4p_last_error(), "log(1 + x)"));
  o.log_transform = false;
  assert_int_equal(l4p_stats_skesd(v, counts, 2, &o, rank, NULL), L4P_OK);
  o.alpha = 1;
  assert_int_equal(l4p_stats_skesd(v, counts, 2, &o, rank, NULL), L4P_EUSAGE);
  const double nan_v[] = {1, NAN};
  const size_t one[] = {2};
  assert_int_equal(l4p_stats_skesd(nan_v, one, 1, NULL, rank, NULL),
                   L4P_EUSAGE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mwu_vectors),
      cmocka_unit_test(test_effect_vectors),
      cmocka_unit_test(test_holm_vectors),
      cmocka_unit_test(test_exact_cdf_enumerated),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_skesd_separated),
      cmocka_unit_test(test_skesd_identical),
      cmocka_unit_test(test_skesd_negligible_merge),
      cmocka_unit_test(test_skesd_merge_chain),
      cmocka_unit_test(test_skesd_unreplicated),
      cmocka_unit_test(test_skesd_log_transform),
      cmocka_unit_test(test_skesd_errors),
  };
  return cmocka_run_group_tests(tests, load_vectors, free_vectors);
}
