/* Unit tests for src/eval/influence.c: eta squared against shares worked
 * out by hand (two and three groups, quantile bins with and without
 * ties, rows left out), and per option over a hand-made table.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "llm4perf/influence.h"
#include "llm4perf/spec.h"
#include "llm4perf/table.h"
#include "testutil.h"

#define assert_near(got, want)                                    \
  do {                                                            \
    double got_ = (got), want_ = (want);                          \
    if (!(fabs(got_ - want_) <= 1e-12))                           \
      fail_msg("%s is %.17g, expected %.17g", #got, got_, want_); \
  } while (0)

static double eta2(const double *x, const double *y, size_t n, bool numeric)
{
  double e = -1;
  assert_int_equal(l4p_influence_eta2(x, y, n, numeric, &e), L4P_OK);
  return e;
}

/* Means 2 and 6 around 4: between 2*4 + 2*4 = 16 of total 9+1+1+9 = 20. */
static void test_two_groups(void **state)
{
  double x[] = {0, 0, 1, 1}, y[] = {1, 3, 5, 7};
  assert_near(eta2(x, y, 4, false), 0.8);
  /* the group label's value and order do not matter */
  double x2[] = {5, 5, -1, -1};
  assert_near(eta2(x2, y, 4, false), 0.8);
  /* a NaN value is left out with its row */
  double x3[] = {0, 0, 1, 1, 1}, y3[] = {1, 3, 5, 7, NAN};
  assert_near(eta2(x3, y3, 5, false), 0.8);
  double x4[] = {0, 0, 1, NAN, 1}, y4[] = {1, 3, 5, 100, 7};
  assert_near(eta2(x4, y4, 5, false), 0.8);
}

/* Means 2, 5, 11 around 6: between 2*16 + 2*1 + 2*25 = 84, total
 * 25+9+4+0+16+36 = 90. */
static void test_three_groups(void **state)
{
  double x[] = {0, 0, 1, 1, 2, 2}, y[] = {1, 3, 4, 6, 10, 12};
  assert_near(eta2(x, y, 6, false), 84.0 / 90.0);
  /* ten or fewer distinct values: a numeric option is grouped by value */
  assert_near(eta2(x, y, 6, true), 84.0 / 90.0);
}

/* x = y = 1..20: categorical, each row its own group explains all; in
 * ten quantile bins {1,2}, {3,4}... the within sum of squares is 10 *
 * 0.5 of the total sum((x - 10.5)^2) = 665. */
static void test_bins(void **state)
{
  double x[20], y[20];
  for (int k = 0; k < 20; k++)
    x[k] = y[k] = k + 1;
  assert_near(eta2(x, y, 20, false), 1.0);
  assert_near(eta2(x, y, 20, true), 660.0 / 665.0);
}

/* Ten zeros and 1..10 (11 distinct values): the edges are the sorted
 * values at ranks 2, 4 ... 18 (0, 0, 0, 0, 1, 3, 5, 7, 9), so the zeros
 * share one bin and the rest pair up as {1,2} {3,4} {5,6} {7,8} {9,10}.
 * With y = x: total 385 - 20 * 2.75^2 = 233.75, within 5 * 0.5. */
static void test_bins_with_ties(void **state)
{
  double x[20], y[20];
  for (int k = 0; k < 20; k++)
    x[k] = y[k] = k < 10 ? 0 : k - 9;
  assert_near(eta2(x, y, 20, true), 231.25 / 233.75);
}

static void test_degenerate(void **state)
{
  double x[] = {0, 1, 0, 1}, flat[] = {2, 2, 2, 2};
  assert_near(eta2(x, flat, 4, false), 0);
  double y[] = {1, 2, 3, 4};
  assert_near(eta2(x, y, 1, false), 0);
  assert_near(eta2(x, y, 0, true), 0);
}

static const char *const spec_json =
    "{\"name\": \"hand\", \"options\": ["
    " {\"name\": \"big\", \"type\": \"bool\", \"default\": false},"
    " {\"name\": \"n\", \"type\": \"int\", \"min\": 1, \"max\": 20,"
    "  \"default\": 1},"
    " {\"name\": \"mode\", \"type\": \"enum\", \"values\": [\"a\", \"b\"],"
    "  \"default\": \"a\"}],"
    " \"objectives\": [{\"name\": \"t\", \"goal\": \"min\"},"
    "                  {\"name\": \"u\", \"goal\": \"max\"}]}";

/* A table of 20 rows: n = 1..20, big = n > 10, mode alternating, t = n
 * and u constant. For t: n binned as in test_bins (660 / 665); big
 * splits means 5.5 and 15.5 around 10.5: 20 * 25 = 500 of 665; mode
 * splits odd (mean 10) and even (mean 11) n: 20 * 0.25 = 5 of 665. */
static void test_table(void **state)
{
  struct l4p_spec *spec;
  assert_int_equal(l4p_spec_parse(spec_json, "hand.json", &spec), L4P_OK);
  struct l4p_table *t = l4p_table_new(spec);
  assert_non_null(t);
  for (int k = 1; k <= 20; k++) {
    double cfg[] = {k > 10, k, k % 2 == 0}, values[] = {k, 3};
    assert_int_equal(l4p_table_add(t, spec, cfg, values), L4P_OK);
  }
  double e[3];
  assert_int_equal(l4p_influence_table(spec, t, 0, e), L4P_OK);
  assert_near(e[0], 500.0 / 665.0);
  assert_near(e[1], 660.0 / 665.0);
  assert_near(e[2], 5.0 / 665.0);
  assert_int_equal(l4p_influence_table(spec, t, 1, e), L4P_OK);
  assert_near(e[0], 0);
  assert_near(e[1], 0);
  assert_int_equal(l4p_influence_table(spec, t, 2, e), L4P_EUSAGE);
  l4p_table_free(t);
  l4p_spec_free(spec);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_two_groups), cmocka_unit_test(test_three_groups),
      cmocka_unit_test(test_bins),       cmocka_unit_test(test_bins_with_ties),
      cmocka_unit_test(test_degenerate), cmocka_unit_test(test_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
