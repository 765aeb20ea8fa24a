/* Unit tests for the samplers (src/samplers/). Contract tests loop over
 * every registered sampler on a mixed, constrained space: exactly the
 * budget of distinct valid configurations, the history and failures never
 * proposed again, fixed options untouched, the same seed giving the same
 * proposals and another seed others. Sequential samplers are driven in
 * batches against a synthetic oracle. Then each design's own promise:
 * twise covers every coverable value pair (checked exhaustively), lhs puts
 * one point per stratum, sobol is balanced at powers of two, and pbd's
 * designs are orthogonal. L4P_SAMPLERS="lhs,pbd" limits the contract
 * tests to the samplers named (for debugging one).
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

#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "samplers/design-int.h"
#include "testutil.h"

/* ---------------------------------------------------------- builders */

static void add(struct l4p_spec *spec, struct l4p_option opt)
{
  assert_int_equal(l4p_space_add_option(spec->space, &opt), L4P_OK);
}

static struct l4p_option opt_bool(const char *name)
{
  return (struct l4p_option){
      .name = (char *)name, .type = L4P_OPT_BOOL, .max = 1};
}

static struct l4p_option opt_range(const char *name, double min, double max)
{
  return (struct l4p_option){.name = (char *)name,
                             .type = L4P_OPT_INT,
                             .min = min,
                             .max = max,
                             .step = 1,
                             .default_value = min};
}

static struct l4p_option opt_float(const char *name, double min, double max)
{
  return (struct l4p_option){.name = (char *)name,
                             .type = L4P_OPT_FLOAT,
                             .min = min,
                             .max = max,
                             .default_value = min};
}

static struct l4p_option opt_enum(const char *name, char **labels, size_t n)
{
  return (struct l4p_option){.name = (char *)name,
                             .type = L4P_OPT_ENUM,
                             .labels = labels,
                             .n_values = n,
                             .max = (double)n - 1};
}

static struct l4p_spec *new_spec(const char *name)
{
  struct l4p_spec *spec = l4p_spec_new(name);
  assert_non_null(spec);
  assert_int_equal(l4p_spec_add_objective(spec, "time", "s", L4P_MINIMIZE),
                   L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "size", NULL, L4P_MINIMIZE),
                   L4P_OK);
  return spec;
}

/* The contract space: every option type, a value list, a continuous
 * float, a fixed option and three constraints. */
enum { A, B, LVL, THR, RATIO, MODE, VERBOSE, N_MIXED };

static struct l4p_spec *mixed_spec(void)
{
  static char *modes[] = {"x", "y", "z"};
  static double threads[] = {1, 2, 4, 8};
  struct l4p_spec *spec = new_spec("mixed");
  add(spec, opt_bool("a"));
  add(spec, opt_bool("b"));
  add(spec, opt_range("lvl", 0, 20));
  add(spec, (struct l4p_option){.name = "thr",
                                .type = L4P_OPT_INT,
                                .values = threads,
                                .n_values = 4,
                                .default_value = 1});
  add(spec, opt_float("ratio", 0, 1));
  add(spec, opt_enum("mode", modes, 3));
  struct l4p_option verbose = opt_bool("verbose");
  verbose.fixed = true;
  verbose.fixed_value = 1;
  add(spec, verbose);
  const char *constraints[] = {"b -> lvl >= 5", "mode == 'z' -> !a",
                               "ratio < 0.9 || thr <= 2"};
  for (size_t k = 0; k < 3; k++)
    assert_int_equal(l4p_space_add_constraint(spec->space, constraints[k]),
                     L4P_OK);
  return spec;
}

/* ------------------------------------------------------------ driving */

/* A made-up system behind the sequential samplers. */
static void oracle(const double *cfg, size_t d, double *values)
{
  double sum = 0;
  for (size_t i = 0; i < d; i++)
    sum += cfg[i];
  values[0] = 1 + sum + 3 * cfg[0] * cfg[1];
  values[1] = 100 - cfg[2] + cfg[4];
}

/* Everything one run produced. */
struct run {
  size_t n;
  double *cfgs; /* n x d proposals, in order */
};

/* Run ops on spec's space from history (n_hist measured, n_failed failed
 * configurations) until budget proposals or three empty calls. One-shot
 * samplers get one call. */
static struct run drive(const struct l4p_sampler_ops *ops,
                        const struct l4p_spec *spec,
                        const struct l4p_space *space, uint64_t seed,
                        size_t budget, const double *hist, size_t n_hist,
                        const double *failed, size_t n_failed)
{
  size_t d = l4p_space_n_options(space), m = spec->n_objectives;
  struct l4p_sampler *s;
  if (l4p_sampler_new(ops, spec, space, seed, budget, &s) != L4P_OK)
    fail_msg("%s: create failed: %s", ops->name, l4p_last_error());
  size_t cap = n_hist + budget;
  double *configs = malloc(cap * d * sizeof *configs + 1);
  double *values = malloc(cap * m * sizeof *values + 1);
  struct run r = {0, malloc(budget * d * sizeof *r.cfgs + 1)};
  assert_true(configs && values && r.cfgs);
  for (size_t k = 0; k < n_hist; k++) {
    memcpy(configs + k * d, hist + k * d, d * sizeof *configs);
    oracle(hist + k * d, d, values + k * m);
  }
  size_t have = n_hist, empty = 0;
  while (r.n < budget && empty < 3) {
    size_t want = budget - r.n;
    if (ops->sequential && want > 5)
      want = 5;
    struct l4p_history h = {have, configs, values, n_failed, failed};
    size_t got = 0;
    l4p_status st = l4p_sampler_propose(s, &h, want, r.cfgs + r.n * d, &got);
    if (st)
      fail_msg("%s: propose failed: %s", ops->name, l4p_last_error());
    assert_true(got <= want);
    for (size_t k = 0; k < got; k++) {
      memcpy(configs + have * d, r.cfgs + (r.n + k) * d, d * sizeof *configs);
      oracle(configs + have * d, d, values + have * m);
      have++;
    }
    r.n += got;
    empty = got ? 0 : empty + 1;
    if (!ops->sequential)
      break;
  }
  free(configs);
  free(values);
  l4p_sampler_free(s);
  return r;
}

static bool same_cfg(const double *a, const double *b, size_t d)
{
  for (size_t i = 0; i < d; i++)
    if (a[i] != b[i])
      return false;
  return true;
}

/* ----------------------------------------------------------- contract */

/* Is the sampler among those the contract tests cover this run? */
static bool selected(const struct l4p_sampler_ops *ops)
{
  const char *only = getenv("L4P_SAMPLERS");
  if (!only || !*only)
    return true;
  size_t len = strlen(ops->name);
  for (const char *p = only; (p = strstr(p, ops->name)); p += len)
    if ((p == only || p[-1] == ',') && (p[len] == ',' || !p[len]))
      return true;
  return false;
}

static void test_registry(void **state)
{
  (void)state;
  const char *mine[] = {"random", "lhs", "sobol", "twise", "pbd"};
  for (size_t k = 0; k < sizeof mine / sizeof mine[0]; k++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_find(mine[k]);
    assert_non_null(ops);
    assert_non_null(ops->summary);
    assert_non_null(ops->numeric_help);
  }
  assert_null(l4p_sampler_find("nosuch"));
  for (size_t k = 0; k < l4p_sampler_count(); k++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_at(k);
    assert_ptr_equal(l4p_sampler_find(ops->name), ops);
    for (size_t j = 0; j < k; j++)
      assert_true(strcmp(l4p_sampler_at(j)->name, ops->name) != 0);
  }
}

static void test_contract(void **state)
{
  (void)state;
  struct l4p_spec *spec = mixed_spec();
  const struct l4p_space *space = spec->space;
  size_t d = l4p_space_n_options(space), budget = 25;
  assert_int_equal(d, N_MIXED);
  /* a history of 6 measured and 2 failed configurations */
  struct l4p_rng *rng = l4p_rng_new(99);
  double hist[6 * N_MIXED], failed[2 * N_MIXED];
  for (size_t k = 0; k < 6; k++)
    assert_int_equal(l4p_space_sample_uniform(space, rng, hist + k * d),
                     L4P_OK);
  for (size_t k = 0; k < 2; k++)
    assert_int_equal(l4p_space_sample_uniform(space, rng, failed + k * d),
                     L4P_OK);
  l4p_rng_free(rng);
  for (size_t s = 0; s < l4p_sampler_count(); s++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_at(s);
    if (!selected(ops))
      continue;
    for (int with_history = 0; with_history < 2; with_history++) {
      size_t nh = with_history ? 6 : 0, nf = with_history ? 2 : 0;
      struct run r = drive(ops, spec, space, 7, budget, hist, nh, failed, nf);
      if (r.n != budget)
        fail_msg("%s: %zu proposals, expected %zu", ops->name, r.n, budget);
      for (size_t k = 0; k < r.n; k++) {
        const double *cfg = r.cfgs + k * d;
        if (l4p_space_validate(space, cfg) != L4P_OK)
          fail_msg("%s: invalid proposal %zu: %s", ops->name, k,
                   l4p_last_error());
        if (cfg[VERBOSE] != 1)
          fail_msg("%s: fixed option changed", ops->name);
        for (size_t j = 0; j < k; j++)
          if (same_cfg(cfg, r.cfgs + j * d, d))
            fail_msg("%s: proposals %zu and %zu are equal", ops->name, j, k);
        for (size_t j = 0; j < nh; j++)
          if (same_cfg(cfg, hist + j * d, d))
            fail_msg("%s: proposal %zu repeats the history", ops->name, k);
        for (size_t j = 0; j < nf; j++)
          if (same_cfg(cfg, failed + j * d, d))
            fail_msg("%s: proposal %zu repeats a failure", ops->name, k);
      }
      /* deterministic for a seed, different across seeds */
      struct run again =
          drive(ops, spec, space, 7, budget, hist, nh, failed, nf);
      assert_int_equal(again.n, r.n);
      if (memcmp(again.cfgs, r.cfgs, r.n * d * sizeof *r.cfgs) != 0)
        fail_msg("%s: same seed, different proposals", ops->name);
      struct run other =
          drive(ops, spec, space, 8, budget, hist, nh, failed, nf);
      assert_int_equal(other.n, r.n);
      if (memcmp(other.cfgs, r.cfgs, r.n * d * sizeof *r.cfgs) == 0)
        fail_msg("%s: seeds 7 and 8 gave the same proposals", ops->name);
      free(r.cfgs);
      free(again.cfgs);
      free(other.cfgs);
    }
  }
  l4p_spec_free(spec);
}

/* A space smaller than the budget: every sampler proposes all of it and
 * stops, without inventing configurations or looping. */
static void test_exhausted_space(void **state)
{
  (void)state;
  static char *modes[] = {"x", "y", "z"};
  struct l4p_spec *spec = new_spec("tiny");
  add(spec, opt_bool("a"));
  add(spec, opt_enum("mode", modes, 3));
  assert_int_equal(l4p_space_add_constraint(spec->space, "mode == 'z' -> a"),
                   L4P_OK);
  for (size_t s = 0; s < l4p_sampler_count(); s++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_at(s);
    if (!selected(ops))
      continue;
    struct run r = drive(ops, spec, spec->space, 3, 10, NULL, 0, NULL, 0);
    if (r.n != 5)
      fail_msg("%s: %zu proposals from a space of 5", ops->name, r.n);
    free(r.cfgs);
  }
  l4p_spec_free(spec);
}

/* Every option fixed: the one configuration there is, once. */
static void test_all_fixed(void **state)
{
  (void)state;
  struct l4p_spec *spec = new_spec("fixed");
  struct l4p_option a = opt_bool("a"), lvl = opt_range("lvl", 0, 9);
  a.fixed = lvl.fixed = true;
  a.fixed_value = 1;
  lvl.fixed_value = 4;
  add(spec, a);
  add(spec, lvl);
  for (size_t s = 0; s < l4p_sampler_count(); s++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_at(s);
    if (!selected(ops))
      continue;
    struct run r = drive(ops, spec, spec->space, 3, 4, NULL, 0, NULL, 0);
    if (r.n != 1 || r.cfgs[0] != 1 || r.cfgs[1] != 4)
      fail_msg("%s: %zu proposals from a single configuration", ops->name, r.n);
    free(r.cfgs);
  }
  l4p_spec_free(spec);
}

/* --------------------------------------------------------------- twise */

/* Proposals of one one-shot sampler, and its notes. */
static struct run one_shot(const char *name, const struct l4p_spec *spec,
                           uint64_t seed, size_t budget, char *note,
                           size_t note_size)
{
  const struct l4p_sampler_ops *ops = l4p_sampler_find(name);
  assert_non_null(ops);
  struct l4p_sampler *s;
  assert_int_equal(l4p_sampler_new(ops, spec, spec->space, seed, budget, &s),
                   L4P_OK);
  size_t d = l4p_space_n_options(spec->space);
  struct run r = {0, malloc(budget * d * sizeof(double) + 1)};
  assert_non_null(r.cfgs);
  if (l4p_sampler_propose(s, NULL, budget, r.cfgs, &r.n) != L4P_OK)
    fail_msg("%s: %s", name, l4p_last_error());
  if (note) {
    const char *text = ops->notes ? ops->notes(s) : NULL;
    snprintf(note, note_size, "%s", text ? text : "");
  }
  l4p_sampler_free(s);
  return r;
}

/* Value pairs: index of value v of option i (all options discrete). */
static size_t value_index(const struct l4p_space *space, size_t i, double v)
{
  return l4p_option_nearest_index(l4p_space_option(space, i), v);
}

/* Which (i, vi, j, vj) pairs rows hold, as flags in a d x 8 x d x 8 cube
 * (every option here has at most 8 values). */
static void held_pairs(const struct l4p_space *space, const double *rows,
                       size_t n, unsigned char *held)
{
  size_t d = l4p_space_n_options(space);
  for (size_t r = 0; r < n; r++)
    for (size_t i = 0; i < d; i++)
      for (size_t j = i + 1; j < d; j++) {
        size_t vi = value_index(space, i, rows[r * d + i]);
        size_t vj = value_index(space, j, rows[r * d + j]);
        held[((i * 8 + vi) * d + j) * 8 + vj] = 1;
      }
}

static void test_twise_covers_pairs(void **state)
{
  (void)state;
  static char *modes[] = {"x", "y", "z"};
  struct l4p_spec *spec = new_spec("pairs");
  add(spec, opt_bool("a"));
  add(spec, opt_bool("b"));
  add(spec, opt_bool("c"));
  add(spec, opt_enum("m", modes, 3));
  add(spec, opt_range("n", 0, 3));
  const char *constraints[] = {"m == 'z' -> !a", "n >= 2 -> b",
                               "!(a && c && n == 3)"};
  for (size_t k = 0; k < 3; k++)
    assert_int_equal(l4p_space_add_constraint(spec->space, constraints[k]),
                     L4P_OK);
  const struct l4p_space *space = spec->space;
  size_t d = l4p_space_n_options(space), cube = d * 8 * d * 8;
  /* coverable pairs: those some valid configuration holds */
  double *all;
  size_t n_all;
  assert_int_equal(l4p_space_enumerate(space, 1000, &all, &n_all), L4P_OK);
  unsigned char *coverable = calloc(cube, 1), *covered = calloc(cube, 1);
  assert_true(coverable && covered);
  held_pairs(space, all, n_all, coverable);
  size_t n_coverable = 0, n_pairs = 0;
  for (size_t x = 0; x < cube; x++)
    n_coverable += coverable[x];
  for (size_t i = 0; i < d; i++)
    for (size_t j = i + 1; j < d; j++)
      n_pairs += l4p_option_cardinality(l4p_space_option(space, i)) *
                 l4p_option_cardinality(l4p_space_option(space, j));
  assert_true(n_coverable < n_pairs); /* the constraints exclude some */
  for (uint64_t seed = 1; seed <= 5; seed++) {
    char note[512];
    struct run r = one_shot("twise", spec, seed, 30, note, sizeof note);
    assert_int_equal(r.n, 30);
    size_t rows, got, of;
    if (sscanf(note, "twise: %zu rows cover %zu of %zu", &rows, &got, &of) != 3)
      fail_msg("unexpected note '%s'", note);
    assert_int_equal(of, n_coverable);
    assert_int_equal(got, n_coverable);
    char excluded[64];
    snprintf(excluded, sizeof excluded, "; %zu pairs excluded",
             n_pairs - n_coverable);
    assert_non_null(strstr(note, excluded));
    assert_true(rows >= 12 && rows < 30); /* 3 x 4 values need 12 rows */
    /* the first rows alone hold every coverable pair */
    memset(covered, 0, cube);
    held_pairs(space, r.cfgs, rows, covered);
    for (size_t x = 0; x < cube; x++)
      if (coverable[x] && !covered[x])
        fail_msg("seed %d: a coverable pair is not covered", (int)seed);
    free(r.cfgs);
  }
  /* a budget below the array's size takes its first rows */
  char note[512];
  struct run r = one_shot("twise", spec, 1, 6, note, sizeof note);
  assert_int_equal(r.n, 6);
  assert_non_null(strstr(note, "the budget left"));
  free(r.cfgs);
  free(all);
  free(coverable);
  free(covered);
  l4p_spec_free(spec);
}

/* A discretised space too big to list: coverable pairs are found pair by
 * pair. x0 + x1 <= 12 excludes 6 of the 25 level pairs of x0 and x1
 * (levels 0, 2, 5, 7, 9). */
static void test_twise_big_space(void **state)
{
  (void)state;
  struct l4p_spec *spec = new_spec("big");
  char names[10][8];
  for (int i = 0; i < 10; i++) {
    snprintf(names[i], sizeof names[i], "x%d", i);
    add(spec, opt_range(names[i], 0, 9));
  }
  add(spec, opt_bool("flag"));
  add(spec, opt_float("ratio", 0, 1));
  assert_int_equal(l4p_space_add_constraint(spec->space, "x0 + x1 <= 12"),
                   L4P_OK);
  char note[512];
  struct run r = one_shot("twise", spec, 4, 200, note, sizeof note);
  assert_int_equal(r.n, 200);
  size_t rows, got, of;
  assert_int_equal(
      sscanf(note, "twise: %zu rows cover %zu of %zu", &rows, &got, &of), 3);
  /* 11 five-level options and a bool: 55 * 25 + 11 * 10 level pairs */
  assert_int_equal(of, 55 * 25 + 11 * 10 - 6);
  assert_int_equal(got, of);
  assert_non_null(strstr(note, "; 6 pairs excluded"));
  size_t d = l4p_space_n_options(spec->space);
  for (size_t k = 0; k < r.n; k++)
    assert_int_equal(l4p_space_validate(spec->space, r.cfgs + k * d), L4P_OK);
  free(r.cfgs);
  l4p_spec_free(spec);
}

/* ----------------------------------------------------------------- lhs */

static void test_lhs_strata(void **state)
{
  (void)state;
  static char *labels[] = {"a", "b", "c", "d", "e"};
  static double list[] = {1, 2, 4, 8, 16};
  struct l4p_spec *spec = new_spec("strata");
  add(spec, opt_bool("p"));
  add(spec, opt_range("q", 0, 99));
  add(spec, opt_float("r", 0, 10));
  add(spec, opt_enum("e", labels, 5));
  add(spec, (struct l4p_option){.name = "s",
                                .type = L4P_OPT_INT,
                                .values = list,
                                .n_values = 5,
                                .default_value = 1});
  for (size_t n = 10; n <= 20; n += 10) {
    struct run r = one_shot("lhs", spec, n, n, NULL, 0);
    assert_int_equal(r.n, n);
    size_t count[5][100] = {{0}};
    for (size_t k = 0; k < n; k++) {
      const double *cfg = r.cfgs + k * 5;
      count[0][(size_t)cfg[0]]++; /* 2 values */
      count[1][(size_t)floor(cfg[1] * (double)n / 100)]++;
      count[2][(size_t)floor(cfg[2] * (double)n / 10)]++;
      count[3][(size_t)cfg[3]]++;                      /* 5 labels */
      count[4][value_index(spec->space, 4, cfg[4])]++; /* 5 values */
    }
    for (size_t j = 0; j < n; j++) {
      assert_int_equal(count[1][j], 1); /* one point per stratum */
      assert_int_equal(count[2][j], 1);
    }
    for (size_t v = 0; v < 2; v++)
      assert_int_equal(count[0][v], n / 2);
    for (size_t v = 0; v < 5; v++) {
      assert_int_equal(count[3][v], n / 5);
      assert_int_equal(count[4][v], n / 5);
    }
    free(r.cfgs);
  }
  l4p_spec_free(spec);
}

/* --------------------------------------------------------------- sobol */

static void test_sobol_balance(void **state)
{
  (void)state;
  static char *labels[] = {"a", "b", "c", "d"};
  struct l4p_spec *spec = new_spec("balance");
  add(spec, opt_bool("p"));
  add(spec, opt_bool("q"));
  add(spec, opt_bool("r"));
  add(spec, opt_enum("e", labels, 4));
  add(spec, opt_float("f", 0, 1));
  for (uint64_t seed = 1; seed <= 3; seed++)
    for (size_t n = 2; n <= 64; n *= 2) {
      struct run r = one_shot("sobol", spec, seed, n, NULL, 0);
      assert_int_equal(r.n, n);
      size_t ones[3] = {0}, labels_seen[4] = {0};
      unsigned char *stratum = calloc(n, 1);
      assert_non_null(stratum);
      for (size_t k = 0; k < n; k++) {
        const double *cfg = r.cfgs + k * 5;
        for (int b = 0; b < 3; b++)
          ones[b] += cfg[b] == 1;
        labels_seen[(size_t)cfg[3]]++;
        stratum[(size_t)floor(cfg[4] * (double)n)]++;
      }
      for (int b = 0; b < 3; b++)
        assert_int_equal(ones[b], n / 2);
      for (size_t v = 0; n >= 4 && v < 4; v++)
        assert_int_equal(labels_seen[v], n / 4);
      for (size_t k = 0; k < n; k++)
        assert_int_equal(stratum[k], 1);
      free(stratum);
      free(r.cfgs);
    }
  l4p_spec_free(spec);
}

/* Past GSL's 40 Sobol dimensions: reverse Halton points (and random
 * coordinates past 1229), still valid, distinct and reproducible. */
static void test_sobol_many_options(void **state)
{
  (void)state;
  const size_t sizes[] = {45, 1300};
  for (size_t c = 0; c < 2; c++) {
    struct l4p_spec *spec = new_spec("wide");
    char name[16];
    for (size_t i = 0; i < sizes[c]; i++) {
      snprintf(name, sizeof name, "o%zu", i);
      add(spec, opt_bool(name));
    }
    assert_int_equal(l4p_space_add_constraint(spec->space, "o0 -> o1"), L4P_OK);
    size_t d = sizes[c], n = 40;
    struct run r = one_shot("sobol", spec, 2, n, NULL, 0);
    struct run again = one_shot("sobol", spec, 2, n, NULL, 0);
    assert_int_equal(r.n, n);
    assert_int_equal(again.n, n);
    assert_memory_equal(r.cfgs, again.cfgs, n * d * sizeof *r.cfgs);
    size_t ones = 0;
    for (size_t k = 0; k < n; k++) {
      assert_int_equal(l4p_space_validate(spec->space, r.cfgs + k * d), L4P_OK);
      for (size_t j = 0; j < k; j++)
        assert_false(same_cfg(r.cfgs + k * d, r.cfgs + j * d, d));
      ones += r.cfgs[k * d + d - 1] == 1;
    }
    assert_true(ones > 5 && ones < 35); /* the last option varies */
    free(r.cfgs);
    free(again.cfgs);
    l4p_spec_free(spec);
  }
}

/* ----------------------------------------------------------------- pbd */

/* Every pair of columns of levels (n_rows x k, the first n2 two-level,
 * the rest four-level) shows each level pair equally often. */
static void assert_orthogonal(const unsigned char *levels, size_t n_rows,
                              size_t n2, size_t k)
{
  for (size_t a = 0; a < k; a++) {
    size_t la = a < n2 ? 2 : 4, seen[4] = {0};
    for (size_t r = 0; r < n_rows; r++)
      seen[levels[r * k + a]]++;
    for (size_t v = 0; v < la; v++)
      if (seen[v] * la != n_rows)
        fail_msg("column %zu is unbalanced", a);
    for (size_t b = a + 1; b < k; b++) {
      size_t lb = b < n2 ? 2 : 4, pairs[16] = {0};
      for (size_t r = 0; r < n_rows; r++)
        pairs[levels[r * k + a] * 4 + levels[r * k + b]]++;
      for (size_t x = 0; x < la; x++)
        for (size_t y = 0; y < lb; y++)
          if (pairs[x * 4 + y] * la * lb != n_rows)
            fail_msg("columns %zu and %zu: levels (%zu, %zu) appear %zu "
                     "times in %zu runs",
                     a, b, x, y, pairs[x * 4 + y], n_rows);
    }
  }
}

static void test_pbd_orthogonal(void **state)
{
  (void)state;
  /* two-level only: the smallest Plackett-Burman size */
  const size_t cases[][3] = {{1, 0, 2},   {3, 0, 4},   {5, 0, 8},   {7, 0, 8},
                             {9, 0, 12},  {11, 0, 12}, {15, 0, 16}, {19, 0, 20},
                             {23, 0, 24}, {27, 0, 32}, {40, 0, 44}, {2, 3, 16},
                             {5, 1, 16},  {0, 4, 16},  {0, 1, 4}};
  struct l4p_rng *rng = l4p_rng_new(5);
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    unsigned char *levels;
    size_t runs;
    assert_int_equal(
        l4p__pbd_design(cases[c][0], cases[c][1], rng, &levels, &runs), L4P_OK);
    if (cases[c][1] == 0 || cases[c][2] == 16)
      assert_int_equal(runs, cases[c][2]);
    assert_orthogonal(levels, runs, cases[c][0], cases[c][0] + cases[c][1]);
    free(levels);
  }
  l4p_rng_free(rng);
  /* through the sampler: 11 bools give the 12-run design, then its
   * foldover; both halves are orthogonal and unrepaired here */
  struct l4p_spec *spec = new_spec("screen");
  char names[11][8];
  for (int i = 0; i < 11; i++) {
    snprintf(names[i], sizeof names[i], "b%d", i);
    add(spec, opt_bool(names[i]));
  }
  struct run r = one_shot("pbd", spec, 9, 24, NULL, 0);
  assert_int_equal(r.n, 24);
  unsigned char levels[24 * 11];
  for (size_t x = 0; x < 24 * 11; x++)
    levels[x] = (unsigned char)r.cfgs[x];
  assert_orthogonal(levels, 12, 11, 11);
  assert_orthogonal(levels + 12 * 11, 12, 11, 11);
  free(r.cfgs);
  l4p_spec_free(spec);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_registry),
      cmocka_unit_test(test_contract),
      cmocka_unit_test(test_exhausted_space),
      cmocka_unit_test(test_all_fixed),
      cmocka_unit_test(test_twise_covers_pairs),
      cmocka_unit_test(test_twise_big_space),
      cmocka_unit_test(test_lhs_strata),
      cmocka_unit_test(test_sobol_balance),
      cmocka_unit_test(test_sobol_many_options),
      cmocka_unit_test(test_pbd_orthogonal),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
