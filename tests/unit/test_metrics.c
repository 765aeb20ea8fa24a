/* Unit tests for the error metrics (src/eval/metrics.c) against values
 * computed by hand, including the rows each metric must leave out (true
 * value NAN, or 0 for the MRE) and metrics over no rows (NAN, not 0).
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "llm4perf/metrics.h"

#define assert_near(got, want)                                    \
  do {                                                            \
    double got_ = (got), want_ = (want);                          \
    if (!(fabs(got_ - want_) <= 1e-12 * fmax(1, fabs(want_))))    \
      fail_msg("%s is %.17g, expected %.17g", #got, got_, want_); \
  } while (0)

/* pred 1 2 3 4 against truth 2 2 5 0: squared errors 1 0 4 16, so RMSE is
 * sqrt(21/4); relative errors 1/2, 0, 2/5 (the 0 row left out), so MRE is
 * 30 %; the truth's range is 5. */
static void test_hand_computed(void **state)
{
  (void)state;
  const double pred[] = {1, 2, 3, 4}, truth[] = {2, 2, 5, 0};
  assert_near(l4p_metrics_rmse(pred, truth, 4), sqrt(5.25));
  size_t zero = 99;
  assert_near(l4p_metrics_mre(pred, truth, 4, &zero), 30.0);
  assert_int_equal(zero, 1);
  assert_near(l4p_metrics_mre(pred, truth, 4, NULL), 30.0);
  assert_near(l4p_metrics_range(truth, 4), 5.0);
  assert_near(l4p_metrics_nrmse(pred, truth, 4, 5.0), sqrt(5.25) / 5);
  assert_near(l4p_metrics_rmse(pred, pred, 4), 0.0);
}

/* Negative true values use |true|: -1 against -2 is 50 % off. */
static void test_negative_truth(void **state)
{
  (void)state;
  const double pred[] = {-1, 3}, truth[] = {-2, 4};
  assert_near(l4p_metrics_mre(pred, truth, 2, NULL), (50.0 + 25.0) / 2);
  assert_near(l4p_metrics_range(truth, 2), 6.0);
}

/* NAN truth is skipped everywhere; nothing left gives NAN. */
static void test_missing_and_empty(void **state)
{
  (void)state;
  const double pred[] = {1, 9}, truth[] = {2, NAN};
  assert_near(l4p_metrics_rmse(pred, truth, 2), 1.0);
  assert_near(l4p_metrics_mre(pred, truth, 2, NULL), 50.0);
  assert_near(l4p_metrics_range(truth, 2), 0.0);
  assert_true(isnan(l4p_metrics_nrmse(pred, truth, 2, 0.0)));
  assert_true(isnan(l4p_metrics_nrmse(pred, truth, 2, NAN)));
  assert_true(isnan(l4p_metrics_rmse(pred, truth, 0)));
  const double none[] = {NAN, NAN};
  assert_true(isnan(l4p_metrics_rmse(pred, none, 2)));
  assert_true(isnan(l4p_metrics_range(none, 2)));
  const double zeros[] = {0, 0};
  size_t zero = 0;
  assert_true(isnan(l4p_metrics_mre(pred, zeros, 2, &zero)));
  assert_int_equal(zero, 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand_computed),
      cmocka_unit_test(test_negative_truth),
      cmocka_unit_test(test_missing_and_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
