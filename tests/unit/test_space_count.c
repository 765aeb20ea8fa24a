/* Unit tests for exact counting, uniform sampling, repair and enumeration
 * of configuration spaces (src/space/), checked against a brute-force walk
 * over the product of the domains on small random constrained spaces
 * (space_build.c) and, for sampling, a chi-square test; hand-made spaces
 * cover huge counts, groups too big to list (upper bounds, rejection
 * sampling, greedy repair) and the refusals.
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

#include "llm4perf/rng.h"
#include "llm4perf/space.h"
#include "space_build.h"

/* ---------------------------------------------------------- counting */

static void test_count_vs_brute_force(void **state)
{
  struct l4p_rng *rng = l4p_rng_new(2024);
  size_t zero = 0, cut = 0;
  for (int round = 0; round < 60; round++) {
    struct l4p_space *s = random_space(rng);
    struct cfglist all;
    brute_force(s, &all);
    bool exact;
    char *got = count_text(s, &exact);
    char want[32];
    snprintf(want, sizeof want, "%zu", all.n);
    if (strcmp(got, want) != 0 || !exact) {
      for (size_t c = 0; c < l4p_space_n_constraints(s); c++)
        print_message("  %s\n", l4p_space_constraint_text(s, c));
      fail_msg("round %d: count %s, brute force %s", round, got, want);
    }
    struct l4p_space_size size;
    assert_int_equal(l4p_space_count(s, &size), L4P_OK);
    assert_same(size.approx, (double)all.n);
    free(size.decimal);
    size_t bad;
    assert_int_equal(l4p_space_check_satisfiable(s, &bad),
                     all.n ? L4P_OK : L4P_ECONSTR);
    zero += all.n == 0;
    cut += all.n > 0 && all.n < all.total;
    free(got);
    free(all.cfg);
    l4p_space_free(s);
  }
  /* the random spaces are mostly cut down by their constraints, and a
   * few are empty */
  assert_true(cut >= 30);
  assert_true(zero >= 1);
  l4p_rng_free(rng);
}

static void test_count_huge(void **state)
{
  struct l4p_space *s = l4p_space_new();
  for (int i = 0; i < 100; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  char want[128];
  want[0] = '1';
  memset(want + 1, '0', 100);
  want[101] = '\0';
  struct l4p_space_size size;
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  assert_string_equal(size.decimal, want);
  assert_true(size.exact);
  assert_false(size.infinite);
  assert_true(fabs(size.approx / 1e100 - 1) < 1e-12);
  free(size.decimal);

  /* 79 of the 100 pairs (o0, o1) have a sum above 5 */
  constrain(s, "o0 + o1 > 5");
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  want[0] = '7';
  want[1] = '9';
  want[100] = '\0';
  assert_string_equal(size.decimal, want);
  assert_true(size.exact);
  free(size.decimal);

  /* a second, independent group multiplies in: o2 < o3 has 45 pairs */
  constrain(s, "o2 < o3");
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  memcpy(want, "3555", 4);
  memset(want + 4, '0', 96);
  want[100] = '\0';
  assert_string_equal(size.decimal, want);
  assert_true(size.exact);
  free(size.decimal);
  l4p_space_free(s);
}

static void test_count_special(void **state)
{
  struct l4p_space_size size;
  /* a free continuous option makes the space infinite */
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_float("f", 0, 1, 0, 0.5));
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  assert_true(size.infinite);
  assert_string_equal(size.decimal, "infinite");
  assert_true(isinf(size.approx));
  free(size.decimal);
  /* ... unless it is fixed */
  assert_int_equal(l4p_space_fix(s, 1, 0.25), L4P_OK);
  assert_count(s, 2);
  l4p_space_unfix(s, 1);
  /* nothing valid is nothing, continuous options or not */
  constrain(s, "a && !a");
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  assert_false(size.infinite);
  assert_true(size.exact);
  assert_string_equal(size.decimal, "0");
  assert_same(size.approx, 0);
  free(size.decimal);
  l4p_space_free(s);

  /* a constant constraint is a group of its own */
  s = l4p_space_new();
  add(s, opt_int("x", 0, 4, 1, 0));
  constrain(s, "1 < 2");
  assert_count(s, 5);
  constrain(s, "2 < 1");
  assert_count(s, 0);
  size_t bad = 99;
  assert_fails(l4p_space_check_satisfiable(s, &bad), L4P_ECONSTR,
               "'2 < 1' can never hold");
  assert_int_equal(bad, 1);
  l4p_space_free(s);

  /* no options at all: one (empty) configuration */
  s = l4p_space_new();
  assert_count(s, 1);
  l4p_space_free(s);
}

static void test_count_big_group(void **state)
{
  /* eight linked options with 10^8 combinations: too many to list, so
   * the count is the product, flagged as an upper bound */
  struct l4p_space *s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  add(s, opt_bool("free", 0));
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 >= 40");
  bool exact;
  char *got = count_text(s, &exact);
  assert_string_equal(got, "200000000");
  assert_false(exact);
  free(got);
  size_t bad;
  assert_int_equal(l4p_space_check_satisfiable(s, &bad), L4P_OK);
  l4p_space_free(s);

  /* 2^12 bool combinations times 2^52 + 1 values pass 2^64: the group
   * must not be taken for a small one when the product wraps around */
  s = l4p_space_new();
  struct l4px_text {
    char buf[512];
  } text = {{0}};
  size_t len = 0;
  for (int i = 0; i < 12; i++) {
    char name[8];
    snprintf(name, sizeof name, "b%d", i);
    add(s, opt_bool(name, 0));
    len +=
        (size_t)snprintf(text.buf + len, sizeof text.buf - len, "%s + ", name);
  }
  add(s, opt_int("x", 0, 4503599627370496.0, 1, 0));
  snprintf(text.buf + len, sizeof text.buf - len, "x >= 0");
  constrain(s, text.buf);
  got = count_text(s, &exact);
  assert_string_equal(got, "18446744073709555712");
  assert_false(exact);
  free(got);
  l4p_space_free(s);
}

/* ---------------------------------------------------------- sampling */

/* The 0.999 quantile of chi-square with k degrees of freedom
 * (Wilson-Hilferty; within a fraction of a percent for k > 20). */
static double chi2_quantile_999(double k)
{
  double z = 3.0902, h = 2 / (9 * k);
  return k * pow(1 - h + z * sqrt(h), 3);
}

static void test_sample_uniform_chi2(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_bool("b", 0));
  add(s, opt_int("x", 0, 3, 1, 2));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_int("z", 0, 2, 1, 0));
  add(s, opt_int("g", -4, 4, 4, 0)); /* -4 0 4 */
  constrain(s, "a -> x >= 2");
  constrain(s, "me == 'hex' -> !b");
  constrain(s, "g + x != 4");
  struct cfglist all;
  brute_force(s, &all);
  assert_count(s, all.n);
  assert_true(all.n > 100);
  size_t per_cell = 150, draws = all.n * per_cell;
  size_t *seen = calloc(all.n, sizeof *seen);
  struct l4p_rng *rng = l4p_rng_new(7);
  double cfg[6];
  for (size_t t = 0; t < draws; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_OK);
    assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
    ptrdiff_t k = find_cfg(&all, cfg);
    assert_true(k >= 0);
    seen[k]++;
  }
  double chi2 = 0;
  for (size_t k = 0; k < all.n; k++) {
    double d = (double)seen[k] - (double)per_cell;
    chi2 += d * d / (double)per_cell;
    assert_true(seen[k] > 0);
  }
  double limit = chi2_quantile_999((double)(all.n - 1));
  if (!(chi2 < limit))
    fail_msg("chi-square %.1f over %zu cells exceeds %.1f", chi2, all.n, limit);
  /* and it is not suspiciously perfect either (0.001 quantile ~ k/2) */
  assert_true(chi2 > (double)(all.n - 1) / 2);
  free(seen);
  free(all.cfg);
  l4p_rng_free(rng);
  l4p_space_free(s);
}

static void test_sample_rejection_and_continuous(void **state)
{
  /* a group too big to list is drawn by rejection: still always valid */
  struct l4p_space *s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  add(s, opt_float("f", 0, 1, 0, 0.5));
  add(s, opt_float("u", -2, 2, 0, 0));
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 >= 40");
  constrain(s, "f > 0.5");
  struct l4p_rng *rng = l4p_rng_new(11);
  double cfg[10], fsum = 0, usum = 0;
  int n = 2000;
  for (int t = 0; t < n; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_OK);
    assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
    assert_true(cfg[8] > 0.5 && cfg[8] <= 1);
    assert_true(cfg[9] >= -2 && cfg[9] <= 2);
    fsum += cfg[8];
    usum += cfg[9];
  }
  /* uniform on (0.5, 1] and [-2, 2]: means 0.75 and 0 (sd/sqrt(n) tiny) */
  assert_true(fabs(fsum / n - 0.75) < 0.02);
  assert_true(fabs(usum / n) < 0.1);
  l4p_rng_free(rng);
  l4p_space_free(s);
}

static void test_sample_unsatisfiable(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 5, 1, 0));
  constrain(s, "x > 10");
  struct l4p_rng *rng = l4p_rng_new(1);
  double cfg[2];
  assert_fails(l4p_space_sample_uniform(s, rng, cfg), L4P_ECONSTR,
               "no configuration satisfies 'x > 10'");
  l4p_rng_free(rng);
  l4p_space_free(s);
}

static void test_sample_deterministic(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 100, 1, 0));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_float("f", 0, 1, 0, 0));
  constrain(s, "a -> x > 50");
  struct l4p_rng *r1 = l4p_rng_new(42), *r2 = l4p_rng_new(42),
                 *r3 = l4p_rng_new(43);
  double c1[4], c2[4], c3[4];
  bool differs = false;
  for (int t = 0; t < 50; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, r1, c1), L4P_OK);
    assert_int_equal(l4p_space_sample_uniform(s, r2, c2), L4P_OK);
    assert_int_equal(l4p_space_sample_uniform(s, r3, c3), L4P_OK);
    assert_memory_equal(c1, c2, sizeof c1);
    differs |= memcmp(c1, c3, sizeof c1) != 0;
  }
  assert_true(differs);
  /* reseeding restarts the stream; a clone samples the same */
  struct l4p_space *copy = l4p_space_clone(s);
  l4p_rng_seed(r1, 42);
  l4p_rng_seed(r2, 42);
  for (int t = 0; t < 20; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, r1, c1), L4P_OK);
    assert_int_equal(l4p_space_sample_uniform(copy, r2, c2), L4P_OK);
    assert_memory_equal(c1, c2, sizeof c1);
  }
  l4p_space_free(copy);
  l4p_rng_free(r1);
  l4p_rng_free(r2);
  l4p_rng_free(r3);
  l4p_space_free(s);
}

/* ------------------------------------------------------------ repair */

static void snap_all(const struct l4p_space *s, double *cfg)
{
  for (size_t i = 0; i < l4p_space_n_options(s); i++) {
    const struct l4p_option *o = l4p_space_option(s, i);
    cfg[i] = o->fixed ? o->fixed_value : l4p_option_snap(o, cfg[i]);
  }
}

static void test_repair_nearest(void **state)
{
  struct l4p_rng *rng = l4p_rng_new(99);
  int checked = 0;
  for (int round = 0; round < 60; round++) {
    struct l4p_space *s = random_space(rng);
    size_t d = l4p_space_n_options(s);
    if (round % 2) {
      size_t i = (size_t)l4p_rng_below(rng, d);
      const struct l4p_option *o = l4p_space_option(s, i);
      double v = l4p_option_value_at(
          o, (size_t)l4p_rng_below(rng, l4p_option_cardinality(o)));
      assert_int_equal(l4p_space_fix(s, i, v), L4P_OK);
    }
    struct cfglist all;
    brute_force(s, &all);
    double cfg[8], snapped[8], before[8];
    if (all.n == 0) {
      l4p_space_default_config(s, cfg);
      assert_int_equal(l4p_space_repair(s, cfg), L4P_ECONSTR);
      free(all.cfg);
      l4p_space_free(s);
      continue;
    }
    for (int t = 0; t < 20; t++) {
      for (size_t i = 0; i < d; i++) {
        const struct l4p_option *o = l4p_space_option(s, i);
        cfg[i] = o->min - 2 + l4p_rng_uniform(rng) * (o->max - o->min + 4);
        if (l4p_rng_below(rng, 2))
          cfg[i] = l4p_option_snap(o, cfg[i]);
      }
      memcpy(snapped, cfg, sizeof cfg);
      memcpy(before, cfg, sizeof cfg);
      snap_all(s, snapped);
      l4p_status st = l4p_space_repair(s, cfg);
      if (st)
        fail_msg("round %d: repair: %s", round, l4p_last_error());
      assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
      double best = INFINITY;
      for (size_t k = 0; k < all.n; k++) {
        double dist = l4p_space_distance(s, snapped, all.cfg + k * d);
        best = dist < best ? dist : best;
      }
      double got = l4p_space_distance(s, snapped, cfg);
      if (fabs(got - best) > 1e-9)
        fail_msg("round %d: repaired at distance %g, nearest is %g", round, got,
                 best);
      /* a valid configuration is its own repair */
      double again[8];
      memcpy(again, cfg, sizeof again);
      assert_int_equal(l4p_space_repair(s, again), L4P_OK);
      assert_memory_equal(again, cfg, d * sizeof *cfg);
      checked++;
    }
    free(all.cfg);
    l4p_space_free(s);
  }
  assert_true(checked > 400);
  l4p_rng_free(rng);
}

static void test_repair_snap_fixed_unsat(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 51, 1, 0));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_float("f", 0, 1, 0, 0));
  add(s, opt_float("q", 0, 1, 0.25, 0));
  /* no constraints: values are only snapped into their domains */
  double cfg[5] = {0.7, 60, 7.3, 5, 0.3};
  assert_int_equal(l4p_space_repair(s, cfg), L4P_OK);
  assert_same(cfg[0], 1);
  assert_same(cfg[1], 51);
  assert_same(cfg[2], 2);
  assert_same(cfg[3], 1);
  assert_same(cfg[4], 0.25);
  double nan_cfg[5] = {NAN, NAN, NAN, NAN, NAN};
  assert_int_equal(l4p_space_repair(s, nan_cfg), L4P_OK);
  assert_int_equal(l4p_space_validate(s, nan_cfg), L4P_OK);

  /* a fixed option is reset, and the repair moves the others instead */
  constrain(s, "x > 5 || a");
  assert_int_equal(l4p_space_fix(s, 1, 3), L4P_OK);
  double c2[5] = {0, 40, 0, 0.5, 0.5};
  assert_int_equal(l4p_space_repair(s, c2), L4P_OK);
  assert_same(c2[1], 3);
  assert_same(c2[0], 1);
  assert_same(c2[3], 0.5);
  assert_int_equal(l4p_space_validate(s, c2), L4P_OK);
  /* fixing a the other way leaves nothing */
  assert_int_equal(l4p_space_fix(s, 0, 0), L4P_OK);
  assert_fails(l4p_space_repair(s, c2), L4P_ECONSTR, "x > 5 || a");
  l4p_space_free(s);

  s = l4p_space_new();
  add(s, opt_bool("a", 0));
  constrain(s, "a && !a");
  double c3[1] = {1};
  assert_fails(l4p_space_repair(s, c3), L4P_ECONSTR, "a && !a");
  l4p_space_free(s);

  s = l4p_space_new();
  add(s, opt_int("x", 0, 5, 1, 0));
  add(s, opt_bool("b", 0));
  constrain(s, "x > 10");
  double c4[2] = {3, 1};
  assert_fails(l4p_space_repair(s, c4), L4P_ECONSTR, "x > 10");
  l4p_space_free(s);
}

static void test_repair_greedy(void **state)
{
  /* a group too big to list is repaired by single-option moves, each
   * fixing a violation at the least distance */
  struct l4p_space *s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 >= 0");
  constrain(s, "o0 > 5");
  constrain(s, "o1 != o2");
  double cfg[8] = {0};
  double orig[8] = {0};
  assert_int_equal(l4p_space_repair(s, cfg), L4P_OK);
  assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
  assert_near(l4p_space_distance(s, orig, cfg), 7.0 / 9);
  l4p_space_free(s);

  /* no single change satisfies a sum over many options: the repair and
   * the sampler (rejection rarely succeeds) still find the corner */
  s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 >= 72");
  double zeros[8] = {0};
  memcpy(cfg, zeros, sizeof cfg);
  l4p_status st = l4p_space_repair(s, cfg);
  if (st)
    fail_msg("repair: %s", l4p_last_error());
  for (int i = 0; i < 8; i++)
    assert_same(cfg[i], 9);
  struct l4p_rng *rng = l4p_rng_new(1);
  for (int t = 0; t < 3; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_OK);
    assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
  }
  l4p_rng_free(rng);
  l4p_space_free(s);

  /* "exactly one of three" proposed with all three on, inside a group of
   * 23 linked bools (2^23 combinations: not listed) */
  s = l4p_space_new();
  char chain[512] = "";
  size_t len = 0;
  for (int i = 0; i < 23; i++) {
    char name[8];
    snprintf(name, sizeof name, "b%d", i);
    add(s, opt_bool(name, 0));
    len += (size_t)snprintf(chain + len, sizeof chain - len, "%s%s",
                            i ? " || " : "", name);
  }
  constrain(s, chain);
  constrain(s, "b0 + b1 + b2 == 1");
  double ones[23], fixed_up[23];
  for (int i = 0; i < 23; i++)
    ones[i] = 1;
  memcpy(fixed_up, ones, sizeof ones);
  st = l4p_space_repair(s, fixed_up);
  if (st)
    fail_msg("repair: %s", l4p_last_error());
  assert_int_equal(l4p_space_validate(s, fixed_up), L4P_OK);
  assert_near(l4p_space_distance(s, ones, fixed_up), 2);
  l4p_space_free(s);
}

/* -------------------------------------------------------- enumerate */

static void test_enumerate(void **state)
{
  struct l4p_rng *rng = l4p_rng_new(5);
  for (int round = 0; round < 40; round++) {
    struct l4p_space *s = random_space(rng);
    struct cfglist all;
    brute_force(s, &all);
    double *cfgs = NULL;
    size_t n = 99;
    assert_int_equal(l4p_space_enumerate(s, 100000, &cfgs, &n), L4P_OK);
    assert_int_equal(n, all.n);
    size_t d = all.d;
    struct cfglist got = {n, d, cfgs, n};
    for (size_t k = 0; k < n; k++) {
      assert_int_equal(l4p_space_validate(s, cfgs + k * d), L4P_OK);
      assert_true(find_cfg(&all, cfgs + k * d) >= 0);
      assert_true(find_cfg(&got, cfgs + k * d) == (ptrdiff_t)k);
    }
    if (n > 1) {
      assert_fails(l4p_space_enumerate(s, n - 1, &cfgs, &n), L4P_EUSAGE,
                   "more than the limit");
      assert_int_equal(n, all.n); /* outputs untouched */
      assert_true(cfgs == got.cfg);
    }
    free(got.cfg);
    free(all.cfg);
    l4p_space_free(s);
  }
  l4p_rng_free(rng);
}

static void test_enumerate_order_and_refusals(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 2, 1, 0));
  add(s, opt_enum("m", me_labels, 2, 0));
  double *cfgs;
  size_t n;
  assert_int_equal(l4p_space_enumerate(s, 12, &cfgs, &n), L4P_OK);
  assert_int_equal(n, 12);
  for (size_t k = 0; k < n; k++) {
    assert_same(cfgs[k * 3 + 0], (double)(k / 6));
    assert_same(cfgs[k * 3 + 1], (double)(k / 2 % 3));
    assert_same(cfgs[k * 3 + 2], (double)(k % 2));
  }
  free(cfgs);
  /* fixed options keep their value */
  assert_int_equal(l4p_space_fix(s, 1, 2), L4P_OK);
  assert_int_equal(l4p_space_enumerate(s, 12, &cfgs, &n), L4P_OK);
  assert_int_equal(n, 4);
  for (size_t k = 0; k < n; k++)
    assert_same(cfgs[k * 3 + 1], 2);
  free(cfgs);
  /* unsatisfiable: an empty list */
  constrain(s, "x < 2");
  cfgs = NULL;
  assert_int_equal(l4p_space_enumerate(s, 12, &cfgs, &n), L4P_OK);
  assert_int_equal(n, 0);
  free(cfgs);
  l4p_space_free(s);

  s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_float("f", 0, 1, 0, 0));
  assert_fails(l4p_space_enumerate(s, 1000, &cfgs, &n), L4P_EUSAGE,
               "option 'f' is continuous");
  constrain(s, "a -> f > 0.5");
  assert_int_equal(l4p_space_enumerate(s, 1000, &cfgs, &n), L4P_EUSAGE);
  l4p_space_free(s);

  s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 > 70");
  assert_int_equal(l4p_space_enumerate(s, SIZE_MAX, &cfgs, &n), L4P_EUSAGE);
  l4p_space_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_count_vs_brute_force),
      cmocka_unit_test(test_count_huge),
      cmocka_unit_test(test_count_special),
      cmocka_unit_test(test_count_big_group),
      cmocka_unit_test(test_sample_uniform_chi2),
      cmocka_unit_test(test_sample_rejection_and_continuous),
      cmocka_unit_test(test_sample_unsatisfiable),
      cmocka_unit_test(test_sample_deterministic),
      cmocka_unit_test(test_repair_nearest),
      cmocka_unit_test(test_repair_snap_fixed_unsat),
      cmocka_unit_test(test_repair_greedy),
      cmocka_unit_test(test_enumerate),
      cmocka_unit_test(test_enumerate_order_and_refusals),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
