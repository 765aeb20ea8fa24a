/* Unit tests for src/report/variants.c, the numbers of the report's
 * "Sampler variants" table: means over finite values, geometric mean of
 * ratios, coefficient of variation, "best in X of Y" with ties and
 * scenarios without values, and a whole table worked out by hand.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>

#include "report/variants-int.h"

/* got equals want to 1e-12 (relative above 1); a NaN want wants NaN. */
static void check(double got, double want, const char *what)
{
  bool ok = isnan(want) ? isnan(got)
                        : fabs(got - want) <= 1e-12 * fmax(1, fabs(want));
  if (!ok)
    fail_msg("%s is %.17g, expected %.17g", what, got, want);
}
#define CHECK(got, want) check((got), (want), #got)

/* (1 + 3 + 8) / 3 = 4: the NaN is left out, not counted as 0. */
static void test_mean_finite(void **state)
{
  double x[] = {1, NAN, 3, 8}, none[] = {NAN, INFINITY};
  CHECK(l4p__mean_finite(x, 4), 4);
  CHECK(l4p__mean_finite(x, 1), 1);
  CHECK(l4p__mean_finite(none, 2), NAN);
  CHECK(l4p__mean_finite(x, 0), NAN);
}

/* Ratios 2, 0.5 and 1 (the NaN and the zero numerator left out): logs
 * ln 2, -ln 2, 0 average to 0, so the geometric mean is 1 where the
 * arithmetic mean would say 1.17. Ratios 4 and 9: sqrt(36) = 6. */
static void test_geo_mean_ratio(void **state)
{
  double num[] = {2, 1, 5, NAN, 0}, den[] = {1, 2, 5, 3, 4};
  CHECK(l4p__geo_mean_ratio(num, den, 5), 1);
  double a[] = {4, 9}, one[] = {1, 1};
  CHECK(l4p__geo_mean_ratio(a, one, 2), 6);
  /* nothing positive on both sides */
  double zero[] = {0, NAN};
  CHECK(l4p__geo_mean_ratio(a, zero, 2), NAN);
}

/* sd / mean: 1/10 and 5/20 average to 0.175; the zero mean and the NaN
 * mean are left out. */
static void test_mean_cv(void **state)
{
  double mean[] = {10, 20, 0, NAN}, sd[] = {1, 5, 3, 2};
  CHECK(l4p__mean_cv(mean, sd, 4), 0.175);
  double sd_nan[] = {NAN, NAN, 1, 1};
  CHECK(l4p__mean_cv(mean, sd_nan, 4), NAN);
}

/* Three variants over four scenarios (NaN: no value):
 *   scenario   0    1    2    3
 *   v0        10    5    -    7
 *   v1        12    5    -    6
 *   v2        11    9    -    -
 * lowest: 0 -> v0; 1 -> v0 and v1 (a tie counts for each); 2 -> nobody,
 * so it is not counted; 3 -> v1. best = 2, 2, 0 of 3. */
static const double means[3 * 4] = {10,  5, NAN, 7, 12,  5,
                                    NAN, 6, 11,  9, NAN, NAN};
static const double sds[3 * 4] = {1,   1, NAN, 0.7, 2,   0.5,
                                  NAN, 3, NAN, 0.9, NAN, NAN};

static void test_best_counts(void **state)
{
  struct l4p__variant_row rows[3];
  l4p__best_counts(means, 3, 4, rows);
  assert_int_equal(rows[0].best, 2);
  assert_int_equal(rows[1].best, 2);
  assert_int_equal(rows[2].best, 0);
  for (int v = 0; v < 3; v++)
    assert_int_equal(rows[v].of, 3);
  /* one variant alone is best wherever it has a value */
  l4p__best_counts(means + 8, 1, 4, rows);
  assert_int_equal(rows[0].best, 2);
  assert_int_equal(rows[0].of, 2);
}

/* The whole table, default v0, front scenarios v0 {0.9, 0.8}, v1 {-,
 * 0.7}, v2 none:
 *   v0: mean (10+5+7)/3 = 22/3; ratio 1; sd (1+1+0.7)/3 = 0.9;
 *       cv (0.1+0.2+0.1)/3 = 0.4/3; hv 0.85
 *   v1: mean (12+5+6)/3 = 23/3; ratio cbrt(12/10 * 5/5 * 6/7) =
 *       cbrt(36/35); sd (2+0.5+3)/3 = 5.5/3; cv (2/12 + 0.5/5 + 3/6)/3
 *       = (5/30 + 3/30 + 15/30)/3 = 23/90; hv 0.7
 *   v2: mean (11+9)/2 = 10; ratio sqrt(11/10 * 9/5) = sqrt(1.98); sd
 *       0.9 (its one sd); cv 0.9/9 = 0.1; hv none */
static void test_table(void **state)
{
  const double hv[3 * 2] = {0.9, 0.8, NAN, 0.7, NAN, NAN};
  struct l4p__variant_row r[3];
  l4p__variants_compute(means, sds, 3, 4, 0, hv, 2, r);
  CHECK(r[0].mean, 22.0 / 3);
  CHECK(r[0].ratio, 1);
  CHECK(r[0].sd, 0.9);
  CHECK(r[0].cv, 0.4 / 3);
  CHECK(r[0].hv, 0.85);
  CHECK(r[1].mean, 23.0 / 3);
  CHECK(r[1].ratio, cbrt(36.0 / 35));
  CHECK(r[1].sd, 5.5 / 3);
  CHECK(r[1].cv, 23.0 / 90);
  CHECK(r[1].hv, 0.7);
  CHECK(r[2].mean, 10);
  CHECK(r[2].ratio, sqrt(1.98));
  CHECK(r[2].sd, 0.9);
  CHECK(r[2].cv, 0.1);
  CHECK(r[2].hv, NAN);
  assert_int_equal(r[0].best, 2);
  assert_int_equal(r[2].best, 0);
  assert_int_equal(r[2].of, 3);
  /* v2 as the default: v0 over it in scenarios 0 and 1 only, sqrt(10/11
   * * 5/9) = sqrt(50/99); its own ratio is 1 */
  l4p__variants_compute(means, sds, 3, 4, 2, hv, 2, r);
  CHECK(r[0].ratio, sqrt(50.0 / 99));
  CHECK(r[2].ratio, 1);
  /* no front scenarios at all: every hv is NaN */
  l4p__variants_compute(means, sds, 3, 4, 0, hv, 0, r);
  CHECK(r[0].hv, NAN);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mean_finite), cmocka_unit_test(test_geo_mean_ratio),
      cmocka_unit_test(test_mean_cv),     cmocka_unit_test(test_best_counts),
      cmocka_unit_test(test_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
