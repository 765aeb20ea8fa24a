/* Unit tests for src/eval/hypervolume.c: hypervolumes against values
 * worked out by hand (staircases, boxes and their overlaps), against
 * inclusion-exclusion on random small sets in 3 to 5 objectives, and the
 * Pareto-front extraction with duplicates, dominated points and NaNs.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "llm4perf/hypervolume.h"
#include "llm4perf/rng.h"
#include "testutil.h"

#define assert_near(got, want)                                    \
  do {                                                            \
    double got_ = (got), want_ = (want);                          \
    if (!(fabs(got_ - want_) <= 1e-9 * fmax(1, fabs(want_))))     \
      fail_msg("%s is %.17g, expected %.17g", #got, got_, want_); \
  } while (0)

static double hv(const double *pts, size_t n, size_t m, const double *ref)
{
  double v = -1;
  assert_int_equal(l4p_hypervolume(pts, n, m, ref, &v), L4P_OK);
  return v;
}

static void test_one_objective(void **state)
{
  double pts[] = {3, 1, 5}, ref[] = {4};
  assert_near(hv(pts, 3, 1, ref), 3);
  assert_near(hv(pts, 0, 1, ref), 0);
}

/* (1,3) (2,2) (3,1) under (4,4): columns of height 1, 2 and 3. */
static void test_two_objectives(void **state)
{
  double ref[] = {4, 4};
  double stair[] = {1, 3, 2, 2, 3, 1};
  assert_near(hv(stair, 3, 2, ref), 6);
  /* a dominated point, a duplicate, one beyond ref and a NaN add nothing */
  double noisy[] = {3, 1, 3, 3, 1, 3, 2, 2, 5, 0, NAN, 0, 2, 2};
  assert_near(hv(noisy, 7, 2, ref), 6);
  /* a point on the reference boundary counts for nothing */
  double edge[] = {4, 0, 0, 4};
  assert_near(hv(edge, 2, 2, ref), 0);
}

static void test_three_objectives(void **state)
{
  double ref1[] = {1, 2, 3}, one[] = {0, 0, 0};
  assert_near(hv(one, 1, 3, ref1), 6);
  /* boxes 2x2x1 and 1x1x2 overlapping in a unit cube: 4 + 2 - 1 */
  double ref2[] = {2, 2, 2}, two[] = {0, 0, 1, 1, 1, 0};
  assert_near(hv(two, 2, 3, ref2), 5);
  /* unit vectors under (2,2,2): everything but the unit cube at 0 */
  double units[] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  assert_near(hv(units, 3, 3, ref2), 7);
  /* ties in the slicing objective and a duplicate: of the eight unit
   * cubes under (2,2,2), those with two or three coordinates high */
  double ties[] = {0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0};
  assert_near(hv(ties, 4, 3, ref2), 4);
}

static void test_more_objectives(void **state)
{
  double ref4[] = {2, 2, 2, 2}, two[] = {0, 0, 0, 1, 1, 1, 1, 0};
  assert_near(hv(two, 2, 4, ref4), 8 + 2 - 1);
  for (size_t m = 4; m <= 5; m++) {
    double units[25] = {0}, ref[5];
    for (size_t i = 0; i < m; i++) {
      units[i * m + i] = 1;
      ref[i] = 2;
    }
    assert_near(hv(units, m, m, ref), pow(2, (double)m) - 1);
  }
}

/* Exact union of boxes by inclusion-exclusion over every subset. */
static double inclusion_exclusion(const double *pts, size_t n, size_t m,
                                  const double *ref)
{
  double total = 0;
  for (unsigned mask = 1; mask < 1u << n; mask++) {
    double vol = 1;
    int bits = 0;
    for (size_t j = 0; j < m; j++) {
      double hi = -INFINITY;
      for (size_t k = 0; k < n; k++)
        if (mask >> k & 1)
          hi = fmax(hi, pts[k * m + j]);
      vol *= ref[j] - hi;
    }
    for (size_t k = 0; k < n; k++)
      bits += mask >> k & 1;
    total += bits % 2 ? vol : -vol;
  }
  return total;
}

static void test_random_sets(void **state)
{
  struct l4p_rng *rng = l4p_rng_new(11);
  double pts[10 * 5], ref[5] = {1, 1, 1, 1, 1};
  for (int round = 0; round < 60; round++) {
    size_t m = 2 + (size_t)round % 4, n = 1 + l4p_rng_below(rng, 10);
    for (size_t k = 0; k < n * m; k++) /* a coarse grid makes ties */
      pts[k] = (double)l4p_rng_below(rng, 8) / 8;
    assert_near(hv(pts, n, m, ref), inclusion_exclusion(pts, n, m, ref));
  }
  l4p_rng_free(rng);
}

static void test_bad_arguments(void **state)
{
  double pts[] = {0, 0}, ref[] = {1, INFINITY}, v;
  assert_int_equal(l4p_hypervolume(pts, 1, 0, ref, &v), L4P_EUSAGE);
  assert_int_equal(l4p_hypervolume(pts, 1, 2, ref, &v), L4P_EUSAGE);
}

static void test_pareto_front(void **state)
{
  double pts[] = {1, 3, 2, 2, 3, 1, 3, 3, 2, 2, NAN, 0, 0, NAN, 4, 1};
  size_t idx[8];
  size_t n = l4p_pareto_front(pts, 8, 2, idx);
  assert_int_equal(n, 4);
  assert_int_equal(idx[0], 0);
  assert_int_equal(idx[1], 1);
  assert_int_equal(idx[2], 2);
  assert_int_equal(idx[3], 4);
  assert_int_equal(l4p_pareto_front(pts, 0, 2, idx), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_one_objective),
      cmocka_unit_test(test_two_objectives),
      cmocka_unit_test(test_three_objectives),
      cmocka_unit_test(test_more_objectives),
      cmocka_unit_test(test_random_sets),
      cmocka_unit_test(test_bad_arguments),
      cmocka_unit_test(test_pareto_front),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
