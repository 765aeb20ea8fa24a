/* Sampling time of every registered sampler on a 60-option constrained
 * mixed space built here (40 bools, 10 ints, 5 continuous floats, 5 enums,
 * 10 constraints), for budgets 50, 100, 200 and 500. One-shot samplers are
 * asked for the whole budget; sequential ones are driven in batches by a
 * synthetic two-objective oracle, as a campaign would drive them. Prints
 * one row per sampler: milliseconds per budget (mean over the repetitions)
 * and, when short, how many configurations came back.
 * Usage: bench_samplers [--reps R] [--batch B] [--budgets N,N..]
 *                       [--only NAME]
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "util/banned.h"

#define MAX_BUDGETS 16

static const char *const constraints[] = {
    "b0 -> b1",         "!(b2 && b3)",
    "b4 || b5",         "b20 + b21 + b22 == 1",
    "i0 > 2 -> b6",     "b7 -> i1 <= 5",
    "e0 == 'v1' -> b8", "f0 > 0.5 -> !b9",
    "i2 + i3 <= 12",    "b10 -> e1 != 'v0'",
};

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int add(struct l4p_space *sp, struct l4p_option *o)
{
  if (l4p_space_add_option(sp, o) == L4P_OK)
    return 0;
  fprintf(stderr, "bench_samplers: %s\n", l4p_last_error());
  return -1;
}

/* The benchmark's spec: options, constraints, two objectives. */
static struct l4p_spec *build_spec(void)
{
  static char *labels[] = {"v0", "v1", "v2", "v3", "v4"};
  struct l4p_spec *spec = l4p_spec_new("bench60");
  if (!spec)
    return NULL;
  char name[16];
  int bad = 0;
  for (int i = 0; i < 40 && !bad; i++) {
    snprintf(name, sizeof name, "b%d", i);
    struct l4p_option o = {.name = name, .type = L4P_OPT_BOOL};
    bad = add(spec->space, &o);
  }
  for (int i = 0; i < 10 && !bad; i++) {
    snprintf(name, sizeof name, "i%d", i);
    struct l4p_option o = {.name = name,
                           .type = L4P_OPT_INT,
                           .min = 0,
                           .max = 8 + 4 * (i % 3),
                           .step = 1};
    bad = add(spec->space, &o);
  }
  for (int i = 0; i < 5 && !bad; i++) {
    snprintf(name, sizeof name, "f%d", i);
    struct l4p_option o = {
        .name = name, .type = L4P_OPT_FLOAT, .min = 0, .max = 1};
    bad = add(spec->space, &o);
  }
  for (int i = 0; i < 5 && !bad; i++) {
    snprintf(name, sizeof name, "e%d", i);
    struct l4p_option o = {.name = name,
                           .type = L4P_OPT_ENUM,
                           .n_values = 3 + (size_t)(i % 3),
                           .labels = labels};
    bad = add(spec->space, &o);
  }
  for (size_t c = 0; c < sizeof constraints / sizeof *constraints && !bad; c++)
    bad = l4p_space_add_constraint(spec->space, constraints[c]) != L4P_OK;
  if (bad || l4p_spec_add_objective(spec, "time", "s", L4P_MINIMIZE) ||
      l4p_spec_add_objective(spec, "size", "B", L4P_MINIMIZE)) {
    fprintf(stderr, "bench_samplers: %s\n", l4p_last_error());
    l4p_spec_free(spec);
    return NULL;
  }
  return spec;
}

/* A synthetic oracle with conflicting objectives: "effort" options make
 * it slower and smaller, a few interactions on top. */
static void oracle(const double *cfg, size_t d, double *values)
{
  double effort = 0, waste = 0;
  for (size_t i = 0; i < 40; i++)
    *(i % 2 ? &effort : &waste) += cfg[i] * (1 + (double)(i % 5) / 4);
  for (size_t i = 40; i < 50; i++)
    effort += cfg[i] / 4;
  for (size_t i = 50; i < 55; i++)
    waste += fabs(cfg[i] - 0.3);
  for (size_t i = 55; i < d; i++)
    waste += cfg[i] == 1;
  effort += cfg[0] * cfg[1] * 3 - cfg[40] * cfg[41] / 10;
  values[0] = 1 + effort + waste;
  values[1] = 100 / (1 + effort) + waste;
}

/* Run one sampler to the budget; returns seconds, *got how many came. */
static double run(const struct l4p_sampler_ops *ops,
                  const struct l4p_spec *spec, size_t budget, size_t batch,
                  uint64_t seed, size_t *got, int *failed)
{
  size_t d = l4p_space_n_options(spec->space), n = 0;
  double *cfgs = malloc(budget * d * sizeof *cfgs);
  double *vals = malloc(budget * 2 * sizeof *vals);
  struct l4p_sampler *s = NULL;
  double t0 = now();
  *failed = !cfgs || !vals ||
            l4p_sampler_new(ops, spec, spec->space, seed, budget, &s);
  while (!*failed && n < budget) {
    size_t want = budget - n, k = 0;
    if (ops->sequential && want > batch)
      want = batch;
    struct l4p_history h = {n, cfgs, vals, 0, NULL};
    if (l4p_sampler_propose(s, &h, want, cfgs + n * d, &k) != L4P_OK) {
      fprintf(stderr, "bench_samplers: %s: %s\n", ops->name, l4p_last_error());
      *failed = 1;
    }
    for (size_t j = n; j < n + k; j++)
      oracle(cfgs + j * d, d, vals + j * 2);
    n += k;
    if (k == 0)
      break;
  }
  double secs = now() - t0;
  l4p_sampler_free(s);
  free(cfgs);
  free(vals);
  *got = n;
  return secs;
}

static int parse_budgets(const char *text, size_t *budgets, size_t *n)
{
  *n = 0;
  char *end;
  while (*text && *n < MAX_BUDGETS) {
    unsigned long v = strtoul(text, &end, 10);
    if (end == text || v == 0)
      return -1;
    budgets[(*n)++] = v;
    text = *end == ',' ? end + 1 : end;
  }
  return *n ? 0 : -1;
}

int main(int argc, char **argv)
{
  size_t budgets[MAX_BUDGETS] = {50, 100, 200, 500}, n_budgets = 4;
  size_t batch = 10;
  int reps = 1;
  const char *only = NULL;
  for (int a = 1; a < argc; a++) {
    if (!strcmp(argv[a], "--reps") && a + 1 < argc)
      reps = (int)strtol(argv[++a], NULL, 10);
    else if (!strcmp(argv[a], "--batch") && a + 1 < argc)
      batch = strtoul(argv[++a], NULL, 10);
    else if (!strcmp(argv[a], "--only") && a + 1 < argc)
      only = argv[++a];
    else if (!strcmp(argv[a], "--budgets") && a + 1 < argc &&
             parse_budgets(argv[++a], budgets, &n_budgets) == 0)
      continue;
    else {
      fprintf(stderr, "usage: bench_samplers [--reps R] [--batch B] "
                      "[--budgets N,N..] [--only NAME]\n");
      return 2;
    }
  }
  if (reps < 1 || batch < 1) {
    fprintf(stderr, "bench_samplers: --reps and --batch must be positive\n");
    return 2;
  }
  struct l4p_spec *spec = build_spec();
  if (!spec)
    return 1;
  printf("60 options (40 bool, 10 int, 5 float, 5 enum), %zu constraints; "
         "sequential batch %zu; ms, mean of %d\n",
         sizeof constraints / sizeof *constraints, batch, reps);
  printf("%-8s", "sampler");
  for (size_t b = 0; b < n_budgets; b++)
    printf(" %12zu", budgets[b]);
  printf("\n");
  int status = 0;
  for (size_t k = 0; k < l4p_sampler_count(); k++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_at(k);
    if (only && strcmp(only, ops->name) != 0)
      continue;
    printf("%-8s", ops->name);
    for (size_t b = 0; b < n_budgets; b++) {
      double total = 0;
      size_t got = 0;
      int failed = 0;
      for (int r = 0; r < reps && !failed; r++)
        total +=
            run(ops, spec, budgets[b], batch, (uint64_t)r + 1, &got, &failed);
      char cell[32];
      if (failed)
        snprintf(cell, sizeof cell, "failed");
      else if (got < budgets[b])
        snprintf(cell, sizeof cell, "%.1f (%zu)", 1e3 * total / reps, got);
      else
        snprintf(cell, sizeof cell, "%.1f", 1e3 * total / reps);
      printf(" %12s", cell);
      status |= failed;
      fflush(stdout);
    }
    printf("\n");
  }
  l4p_spec_free(spec);
  return status;
}
