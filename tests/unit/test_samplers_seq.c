/* Unit tests for the distance-based samplers (dds, ddiv), the sequential
 * ones (flash, nsga3) and flash's regression tree: dds's distances are
 * uniform (chi-square), ddiv balances options better than dds, flash and
 * nsga3 find better fronts than random on a synthetic two-objective
 * problem (hypervolume of what they measured, over ten seeds), and every
 * one is valid on a mixed, constrained, pruned space, deterministic for a
 * seed, different across seeds, and a function of seed and history only
 * (what makes a resumed campaign continue as an uninterrupted one).
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

#include "llm4perf/hypervolume.h"
#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "samplers/cart.h"
#include "samplers/distance-int.h"
#include "testutil.h"

static const char *const mine[] = {"dds", "ddiv", "flash", "nsga3"};
#define N_MINE (sizeof mine / sizeof mine[0])

/* ---------------------------------------------------------- builders */

static void add_bool(struct l4p_space *sp, const char *name)
{
  struct l4p_option o = {.name = (char *)name, .type = L4P_OPT_BOOL};
  assert_int_equal(l4p_space_add_option(sp, &o), L4P_OK);
}

static void add_int(struct l4p_space *sp, const char *name, double min,
                    double max)
{
  struct l4p_option o = {.name = (char *)name,
                         .type = L4P_OPT_INT,
                         .min = min,
                         .max = max,
                         .step = 1,
                         .default_value = min};
  assert_int_equal(l4p_space_add_option(sp, &o), L4P_OK);
}

static void add_list(struct l4p_space *sp, const char *name, double *values,
                     size_t n)
{
  struct l4p_option o = {.name = (char *)name,
                         .type = L4P_OPT_INT,
                         .n_values = n,
                         .values = values,
                         .min = values[0],
                         .max = values[n - 1],
                         .default_value = values[0]};
  assert_int_equal(l4p_space_add_option(sp, &o), L4P_OK);
}

static void add_float(struct l4p_space *sp, const char *name)
{
  struct l4p_option o = {.name = (char *)name,
                         .type = L4P_OPT_FLOAT,
                         .min = 0,
                         .max = 1,
                         .step = 0};
  assert_int_equal(l4p_space_add_option(sp, &o), L4P_OK);
}

static void add_enum(struct l4p_space *sp, const char *name, char **labels,
                     size_t n)
{
  struct l4p_option o = {.name = (char *)name,
                         .type = L4P_OPT_ENUM,
                         .n_values = n,
                         .labels = labels};
  assert_int_equal(l4p_space_add_option(sp, &o), L4P_OK);
}

/* A spec with n bools and no constraint; two objectives. */
static struct l4p_spec *bool_spec(size_t n)
{
  struct l4p_spec *spec = l4p_spec_new("bools");
  assert_non_null(spec);
  for (size_t i = 0; i < n; i++) {
    char name[16];
    snprintf(name, sizeof name, "b%zu", i);
    add_bool(spec->space, name);
  }
  assert_int_equal(l4p_spec_add_objective(spec, "a", NULL, L4P_MINIMIZE),
                   L4P_OK);
  return spec;
}

/* The synthetic problem's space: six bools, an int, a value list, a
 * continuous float and an enum, with two constraints. */
static struct l4p_spec *mixed_spec(void)
{
  static double threads[] = {1, 2, 4, 8};
  static char *modes[] = {"a", "b", "c", "d"};
  struct l4p_spec *spec = l4p_spec_new("mixed");
  assert_non_null(spec);
  const char *bools[] = {"b0", "b1", "b2", "b3", "b4", "b5"};
  for (size_t i = 0; i < 6; i++)
    add_bool(spec->space, bools[i]);
  add_int(spec->space, "level", 1, 9);
  add_list(spec->space, "threads", threads, 4);
  add_float(spec->space, "ratio");
  add_enum(spec->space, "mode", modes, 4);
  assert_int_equal(l4p_space_add_constraint(spec->space, "mode == 'd' -> b0"),
                   L4P_OK);
  assert_int_equal(l4p_space_add_constraint(spec->space, "level == 9 -> !b1"),
                   L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "time", "s", L4P_MINIMIZE),
                   L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "quality", NULL, L4P_MAXIMIZE),
                   L4P_OK);
  return spec;
}

/* ZDT1 written over the mixed space: level sets the position along the
 * front, every other option adds to the distance g from it (b0-b2 best
 * off, b3-b5 best on, threads best 2, ratio best 0.3, mode best 'c').
 * Minimised (f1, f2) into f; the spec's values are time = f1 and
 * quality = 10 - f2 (maximised, so a sampler that ignored goals loses). */
static void synthetic(const double *cfg, double *f, double *values)
{
  static const double thread_cost[] = {0.5, 0, 0.5, 1};
  double x0 = (cfg[6] - 1) / 8, dev = 0;
  for (int i = 0; i < 3; i++)
    dev += cfg[i] + (1 - cfg[3 + i]);
  size_t t = cfg[7] == 1 ? 0 : cfg[7] == 2 ? 1 : cfg[7] == 4 ? 2 : 3;
  dev += thread_cost[t] + fabs(cfg[8] - 0.3) / 0.7 + (cfg[9] != 2);
  double g = 1 + 9 * dev / 9;
  f[0] = x0;
  f[1] = g * (1 - sqrt(x0 / g));
  if (values) {
    values[0] = f[0];
    values[1] = 10 - f[1];
  }
}

/* ----------------------------------------------------------- driving */

struct run {
  size_t n, cap, d, m;
  double *configs, *values;
};

static void run_release(struct run *r)
{
  free(r->configs);
  free(r->values);
}

static struct l4p_history history_of(const struct run *r)
{
  return (struct l4p_history){r->n, r->configs, r->values, 0, NULL};
}

/* A campaign in memory: propose in batches, measure with the synthetic
 * oracle (or zeros), until budget configurations are measured. */
static void campaign(const char *name, const struct l4p_spec *spec,
                     uint64_t seed, size_t budget, size_t batch,
                     bool use_synthetic, struct run *r)
{
  const struct l4p_sampler_ops *ops = l4p_sampler_find(name);
  assert_non_null(ops);
  struct l4p_sampler *s;
  assert_int_equal(l4p_sampler_new(ops, spec, spec->space, seed, budget, &s),
                   L4P_OK);
  *r = (struct run){
      0,    budget, l4p_space_n_options(spec->space), spec->n_objectives,
      NULL, NULL};
  r->configs = malloc(budget * r->d * sizeof *r->configs);
  r->values = malloc(budget * r->m * sizeof *r->values);
  while (r->n < budget) {
    size_t want = budget - r->n, got = 0;
    if (ops->sequential && want > batch)
      want = batch;
    struct l4p_history h = history_of(r);
    l4p_status st =
        l4p_sampler_propose(s, &h, want, r->configs + r->n * r->d, &got);
    if (st)
      fail_msg("%s: %s", name, l4p_last_error());
    if (got == 0)
      break;
    for (size_t k = r->n; k < r->n + got; k++) {
      double f[2];
      if (use_synthetic)
        synthetic(r->configs + k * r->d, f, r->values + k * r->m);
      else
        for (size_t j = 0; j < r->m; j++)
          r->values[k * r->m + j] = 0;
    }
    r->n += got;
  }
  l4p_sampler_free(s);
}

/* One propose call with history h, n configurations into a new array. */
static double *propose_once(const char *name, const struct l4p_spec *spec,
                            uint64_t seed, size_t budget,
                            const struct l4p_history *h, size_t n, size_t *got)
{
  struct l4p_sampler *s;
  assert_int_equal(l4p_sampler_new(l4p_sampler_find(name), spec, spec->space,
                                   seed, budget, &s),
                   L4P_OK);
  double *out =
      malloc((n ? n : 1) * l4p_space_n_options(spec->space) * sizeof *out);
  assert_int_equal(l4p_sampler_propose(s, h, n, out, got), L4P_OK);
  l4p_sampler_free(s);
  return out;
}

/* --------------------------------------------------- dds's distances */

/* Chi-square of the distances of n_draws single proposals (one sampler
 * per seed, empty history) against the uniform over 0..n_bools. */
static double distance_chi2(const char *name, size_t n_bools, size_t n_draws)
{
  struct l4p_spec *spec = bool_spec(n_bools);
  size_t *hist = calloc(n_bools + 1, sizeof *hist);
  for (size_t k = 0; k < n_draws; k++) {
    size_t got;
    double *cfg = propose_once(name, spec, 1000 + k, 1, NULL, 1, &got);
    assert_int_equal(got, 1);
    hist[l4p__distance_of(spec->space, cfg)]++;
    free(cfg);
  }
  double expect = (double)n_draws / (double)(n_bools + 1), chi2 = 0;
  for (size_t b = 0; b <= n_bools; b++)
    chi2 += (hist[b] - expect) * (hist[b] - expect) / expect;
  free(hist);
  l4p_spec_free(spec);
  return chi2;
}

static void test_dds_uniform_distances(void **state)
{
  /* listed space (256 configurations): 9 bins, 8 degrees of freedom,
   * 26.1 is the 0.1% critical value */
  double listed = distance_chi2("dds", 8, 900);
  /* 2^20 configurations are built, not listed: 20 degrees of freedom,
   * critical value 45.3 */
  double built = distance_chi2("dds", 20, 1050);
  print_message("dds chi-square: listed %.1f (df 8), built %.1f (df 20)\n",
                listed, built);
  assert_true(listed < 26.1);
  assert_true(built < 45.3);
  /* the check can fail: uniform sampling piles up in the middle */
  assert_true(distance_chi2("random", 20, 420) > 200);
}

/* ------------------------------------------------- ddiv's balance */

/* Mean over seeds of the variance across options of how often each
 * option is on in a sample of the given size. */
static double on_variance(const char *name, size_t n_bools, size_t budget)
{
  struct l4p_spec *spec = bool_spec(n_bools);
  double total = 0;
  for (uint64_t seed = 1; seed <= 10; seed++) {
    struct run r;
    campaign(name, spec, seed, budget, budget, false, &r);
    assert_int_equal(r.n, budget);
    double mean = 0, var = 0;
    for (size_t i = 0; i < n_bools; i++) {
      double c = 0;
      for (size_t k = 0; k < r.n; k++)
        c += r.configs[k * r.d + i];
      mean += c / (double)n_bools;
      var += c * c / (double)n_bools;
    }
    total += var - mean * mean;
    run_release(&r);
  }
  l4p_spec_free(spec);
  return total / 10;
}

static void test_ddiv_balances_options(void **state)
{
  for (size_t n_bools = 10; n_bools <= 20; n_bools += 10) {
    double dds = on_variance("dds", n_bools, 40);
    double ddiv = on_variance("ddiv", n_bools, 40);
    print_message("%zu bools: variance of per-option counts dds %.2f, "
                  "ddiv %.2f\n",
                  n_bools, dds, ddiv);
    assert_true(ddiv < dds);
    assert_true(ddiv < 1.0); /* nearly perfectly balanced */
  }
}

/* ddiv also balances the values an 'on' option takes. */
static void test_ddiv_balances_values(void **state)
{
  struct l4p_spec *spec = mixed_spec();
  struct run r;
  campaign("ddiv", spec, 4, 60, 60, false, &r);
  size_t modes[4] = {0}, on = 0;
  for (size_t k = 0; k < r.n; k++)
    modes[(size_t)r.configs[k * r.d + 9]]++;
  for (size_t v = 1; v < 4; v++)
    on += modes[v];
  for (size_t v = 1; v < 4; v++)
    assert_true(modes[v] * 3 + 3 >= on && modes[v] * 3 <= on + 3);
  run_release(&r);
  l4p_spec_free(spec);
}

/* --------------------------------------- flash and nsga3 vs. random */

static double measured_hv(const struct run *r)
{
  double *f = malloc(r->n * 2 * sizeof *f), ref[2] = {1.1, 11}, hv;
  for (size_t k = 0; k < r->n; k++)
    synthetic(r->configs + k * r->d, f + 2 * k, NULL);
  assert_int_equal(l4p_hypervolume(f, r->n, 2, ref, &hv), L4P_OK);
  free(f);
  return hv;
}

static double mean_hv(const char *name, const struct l4p_spec *spec)
{
  double total = 0;
  for (uint64_t seed = 1; seed <= 10; seed++) {
    struct run r;
    campaign(name, spec, seed, 40, 5, true, &r);
    assert_int_equal(r.n, 40);
    total += measured_hv(&r);
    run_release(&r);
  }
  return total / 10;
}

static void test_sequential_beat_random(void **state)
{
  struct l4p_spec *spec = mixed_spec();
  double rnd = mean_hv("random", spec), flash = mean_hv("flash", spec);
  double nsga3 = mean_hv("nsga3", spec);
  print_message("mean hypervolume over 10 seeds, budget 40: random %.3f, "
                "flash %.3f, nsga3 %.3f\n",
                rnd, flash, nsga3);
  assert_true(flash > rnd);
  assert_true(nsga3 > rnd);
  l4p_spec_free(spec);
}

/* ---------------------------------------- validity and determinism */

/* The mixed space with "ratio" and "b4" fixed (pruned). */
static struct l4p_spec *pruned_spec(void)
{
  struct l4p_spec *spec = mixed_spec();
  assert_int_equal(l4p_space_fix(spec->space, 8, 0.25), L4P_OK);
  assert_int_equal(l4p_space_fix(spec->space, 4, 1), L4P_OK);
  return spec;
}

static void test_valid_unique_pruned(void **state)
{
  struct l4p_spec *spec = pruned_spec();
  for (size_t k = 0; k < N_MINE; k++) {
    struct run r;
    campaign(mine[k], spec, 7, 60, 8, true, &r);
    assert_int_equal(r.n, 60);
    for (size_t a = 0; a < r.n; a++) {
      const double *cfg = r.configs + a * r.d;
      if (l4p_space_validate(spec->space, cfg) != L4P_OK)
        fail_msg("%s: %s", mine[k], l4p_last_error());
      for (size_t b = 0; b < a; b++)
        assert_memory_not_equal(cfg, r.configs + b * r.d, r.d * sizeof *cfg);
    }
    run_release(&r);
  }
  l4p_spec_free(spec);
}

/* A small space runs out: every sampler returns what is left, then 0. */
static void test_exhaustion(void **state)
{
  struct l4p_spec *spec = bool_spec(3);
  for (size_t k = 0; k < N_MINE; k++) {
    struct run r;
    campaign(mine[k], spec, 2, 8, 3, false, &r);
    assert_int_equal(r.n, 8);
    struct l4p_history h = history_of(&r);
    size_t got = 9;
    double *out = propose_once(mine[k], spec, 2, 8, &h, 4, &got);
    assert_int_equal(got, 0);
    free(out);
    run_release(&r);
  }
  l4p_spec_free(spec);
}

/* Same seed and history: same proposals, however the sampler got there;
 * another seed: others. */
static void test_seed_and_history_only(void **state)
{
  struct l4p_spec *spec = mixed_spec();
  size_t d = l4p_space_n_options(spec->space);
  struct run past;
  campaign("random", spec, 99, 24, 24, true, &past);
  struct l4p_history h = history_of(&past);
  for (size_t k = 0; k < N_MINE; k++) {
    size_t got_a, got_b, got_c;
    double *a = propose_once(mine[k], spec, 5, 40, &h, 6, &got_a);
    double *c = propose_once(mine[k], spec, 6, 40, &h, 6, &got_c);
    /* b: a sampler that already proposed for shorter histories, as one
     * that ran since the start of an uninterrupted campaign */
    struct l4p_sampler *s;
    assert_int_equal(l4p_sampler_new(l4p_sampler_find(mine[k]), spec,
                                     spec->space, 5, 40, &s),
                     L4P_OK);
    double *b = malloc(6 * d * sizeof *b);
    for (size_t n = 0; n < 24; n += 8) {
      struct l4p_history part = {n, past.configs, past.values, 0, NULL};
      assert_int_equal(l4p_sampler_propose(s, &part, 6, b, &got_b), L4P_OK);
    }
    assert_int_equal(l4p_sampler_propose(s, &h, 6, b, &got_b), L4P_OK);
    l4p_sampler_free(s);
    assert_int_equal(got_a, 6);
    assert_int_equal(got_b, 6);
    assert_int_equal(got_c, 6);
    assert_memory_equal(a, b, 6 * d * sizeof *a);
    assert_memory_not_equal(a, c, 6 * d * sizeof *a);
    free(a);
    free(b);
    free(c);
  }
  run_release(&past);
  l4p_spec_free(spec);
}

/* Measured values that are missing (NaN) are ignored by the models. */
static void test_missing_values(void **state)
{
  struct l4p_spec *spec = mixed_spec();
  struct run past;
  campaign("random", spec, 3, 30, 30, true, &past);
  for (size_t k = 0; k < past.n; k += 3)
    past.values[k * past.m + 1] = NAN;
  struct l4p_history h = history_of(&past);
  for (size_t k = 2; k < N_MINE; k++) {
    size_t got;
    double *out = propose_once(mine[k], spec, 1, 40, &h, 5, &got);
    assert_int_equal(got, 5);
    free(out);
  }
  run_release(&past);
  l4p_spec_free(spec);
}

/* ----------------------------------------------------------- CART */

static void test_cart(void **state)
{
  /* y = 10 when x0 > 0.5, else 2 + x1 (x1 in {0, 1}) */
  double x[16 * 2], y[16];
  for (size_t k = 0; k < 16; k++) {
    x[2 * k] = (double)k / 15;
    x[2 * k + 1] = (double)(k % 2);
    y[k] = x[2 * k] > 0.5 ? 10 : 2 + x[2 * k + 1];
  }
  struct l4p__cart *t;
  struct l4p__cart_params deep = {1, 10};
  assert_int_equal(l4p__cart_fit(x, y, 16, 2, &deep, &t), L4P_OK);
  assert_int_equal(l4p__cart_leaves(t), 3);
  double q1[] = {0.9, 0}, q2[] = {0.1, 1}, q3[] = {0.1, 0};
  assert_true(l4p__cart_predict(t, q1) == 10);
  assert_true(l4p__cart_predict(t, q2) == 3);
  assert_true(l4p__cart_predict(t, q3) == 2);
  l4p__cart_free(t);
  /* depth 0 is the mean; a big min_leaf forbids splits */
  struct l4p__cart_params root = {1, 0}, wide = {9, 10};
  assert_int_equal(l4p__cart_fit(x, y, 16, 2, &root, &t), L4P_OK);
  double mean = 0;
  for (size_t k = 0; k < 16; k++)
    mean += y[k] / 16;
  assert_true(fabs(l4p__cart_predict(t, q1) - mean) < 1e-12);
  l4p__cart_free(t);
  assert_int_equal(l4p__cart_fit(x, y, 16, 2, &wide, &t), L4P_OK);
  assert_int_equal(l4p__cart_leaves(t), 1);
  l4p__cart_free(t);
  assert_int_equal(l4p__cart_fit(x, y, 0, 2, &wide, &t), L4P_EUSAGE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dds_uniform_distances),
      cmocka_unit_test(test_ddiv_balances_options),
      cmocka_unit_test(test_ddiv_balances_values),
      cmocka_unit_test(test_sequential_beat_random),
      cmocka_unit_test(test_valid_unique_pruned),
      cmocka_unit_test(test_exhaustion),
      cmocka_unit_test(test_seed_and_history_only),
      cmocka_unit_test(test_missing_values),
      cmocka_unit_test(test_cart),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
