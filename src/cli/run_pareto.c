/* The answer a person running 'llm4perf run' wants last: which
 * configurations does the model predict to be Pareto optimal, that is,
 * not beaten on every objective at once by another one? Candidates are
 * every valid configuration when there are few, else a seeded uniform
 * draw, always with the measured configurations added.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* qsort_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/rng.h"
#include "run.h"
#include "util/cfgset.h"
#include "util/failf.h"
#include "util/banned.h"

/* Spaces up to this size are searched whole; larger ones are sampled. */
#define ENUMERATE_LIMIT 20000
#define DRAWS 5000
#define SHOWN 10

/* Candidate configurations into set (n x n_options in set->items order is
 * not kept: the caller copies them out). *all tells whether they are
 * every valid configuration. */
static l4p_status candidates(const struct run_ctx *r, struct l4px_cfgset *set,
                             bool *all)
{
  struct l4p_space_size size;
  l4p_status st = l4p_space_count(r->space, &size);
  if (st)
    return st;
  *all = !size.infinite && size.exact && size.approx <= ENUMERATE_LIMIT;
  free(size.decimal);
  size_t no = l4p_space_n_options(r->space);
  double *cfgs = NULL;
  size_t n = 0;
  if (*all) {
    st = l4p_space_enumerate(r->space, ENUMERATE_LIMIT, &cfgs, &n);
  } else {
    struct l4p_rng *rng = l4p_rng_new(r->seed);
    cfgs = malloc(DRAWS * no * sizeof *cfgs + 1);
    if (!rng || !cfgs)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    for (; !st && n < DRAWS; n++)
      st = l4p_space_sample_uniform(r->space, rng, cfgs + n * no);
    l4p_rng_free(rng);
  }
  for (size_t k = 0; !st && k < n; k++)
    if (l4px_cfgset_add(set, cfgs + k * no) < 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !st && k < r->train->n; k++)
    if (l4px_cfgset_add(set, r->train->configs + k * no) < 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  free(cfgs);
  return st;
}

/* "name=value" for each option that is free to vary. */
static void print_config(const struct l4p_space *space, const double *cfg)
{
  printf("     ");
  for (size_t i = 0; i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    if (opt->fixed)
      continue;
    char text[128];
    l4p_value_format(space, i, cfg[i], text, sizeof text);
    printf(" %s=%s", opt->name, text);
  }
  printf("\n");
}

static void print_values(const struct l4p_spec *spec, const char *lead,
                         const double *values)
{
  printf("%s", lead);
  for (size_t j = 0; j < spec->n_objectives; j++) {
    const struct l4p_objective *o = &spec->objectives[j];
    printf("%s%s %.4g%s%s", j ? ", " : "", o->name, values[j],
           o->unit ? " " : "", o->unit ? o->unit : "");
  }
  printf("\n");
}

/* Front order: by the predicted objectives, first objective first, each
 * from best to worst, so configurations predicted alike are adjacent. */
struct by_pred {
  const struct l4p_spec *spec;
  const double *pred;
};

static int compare_pred(const void *pa, const void *pb, void *arg)
{
  const struct by_pred *o = arg;
  size_t nv = o->spec->n_objectives;
  const double *a = o->pred + *(const size_t *)pa * nv;
  const double *b = o->pred + *(const size_t *)pb * nv;
  for (size_t j = 0; j < nv; j++) {
    int sign = o->spec->objectives[j].goal == L4P_MAXIMIZE ? -1 : 1;
    if (a[j] != b[j])
      return a[j] < b[j] ? -sign : sign;
  }
  return (*(const size_t *)pa > *(const size_t *)pb) -
         (*(const size_t *)pa < *(const size_t *)pb);
}

/* Index of cfg in the measured sample, or -1. */
static long measured_row(const struct l4p_sample *s, const double *cfg)
{
  for (size_t k = 0; k < s->n; k++)
    if (!memcmp(s->configs + k * s->n_options, cfg, s->n_options * sizeof *cfg))
      return (long)k;
  return -1;
}

static l4p_status show_front(const struct run_ctx *r, size_t best,
                             const double *cfgs, size_t n, bool all)
{
  size_t *idx = NULL, n_idx = 0, no = l4p_space_n_options(r->space);
  size_t nv = r->spec->n_objectives;
  double *pred = malloc((n + 1) * nv * sizeof *pred);
  l4p_status st = pred ? l4p_mo_predict(r->fitted[best], cfgs, n, pred)
                       : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = l4p_mo_pareto(r->fitted[best], cfgs, n, &idx, &n_idx);
  if (!st) {
    struct by_pred order = {r->spec, pred};
    qsort_r(idx, n_idx, sizeof *idx, compare_pred, &order);
    printf("\npredicted Pareto-optimal configurations (%s; %zu of %zu %s"
           "):\n",
           r->models[best]->name, n_idx, n,
           all ? "valid configurations" : "candidates drawn at random");
    size_t shown = 0, k = 0;
    for (; k < n_idx && shown < SHOWN; shown++) {
      /* configurations predicted alike are adjacent: show the first */
      size_t same = 1;
      while (k + same < n_idx &&
             !memcmp(pred + idx[k] * nv, pred + idx[k + same] * nv,
                     nv * sizeof *pred))
        same++;
      const double *cfg = cfgs + idx[k] * no;
      print_values(r->spec, "  predicted: ", pred + idx[k] * nv);
      long row = measured_row(r->train, cfg);
      if (row >= 0)
        print_values(r->spec,
                     "   measured: ", r->train->values + (size_t)row * nv);
      print_config(r->space, cfg);
      if (same > 1)
        printf("      (and %zu other configurations predicted the "
               "same)\n",
               same - 1);
      k += same;
    }
    if (k < n_idx)
      printf("  ... and %zu more\n", n_idx - k);
  }
  free(idx);
  free(pred);
  return st;
}

/* See run.h. */
int run_pareto(const struct run_ctx *r, size_t best)
{
  size_t no = l4p_space_n_options(r->space);
  struct l4px_cfgset set;
  l4px_cfgset_init(&set, no);
  bool all = false;
  l4p_status st = candidates(r, &set, &all);
  double *cfgs = st ? NULL : malloc((set.n + 1) * no * sizeof *cfgs);
  size_t n = 0;
  if (!st && !cfgs)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !st && k < set.cap; k++)
    if (set.used[k])
      memcpy(cfgs + n++ * no, set.items + k * no, no * sizeof *cfgs);
  if (!st)
    st = show_front(r, best, cfgs, n, all);
  free(cfgs);
  l4px_cfgset_release(&set);
  return st ? cli_fail(st) : CLI_OK;
}
