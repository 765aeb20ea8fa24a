/* Sampler variants: for each sampler the study runs under more than one
 * label (LLM4Perf with 1, 3, 5 generators...), one table per model that
 * sets the variants side by side over all the error scenarios: mean MRE,
 * the ratio to the sampler's default variant, the variation across
 * repetitions, "best in X of Y" among the variants alone and the mean
 * hypervolume ratio. The ablation write-up quotes it; the arithmetic is
 * in variants.c, the numbers are summary.json's scenario statistics.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "variants-int.h"
#include "util/failf.h"
#include "util/banned.h"

#define N_COLS 8

/* The unpruned treatments whose sampler is that of treatment t, in the
 * study's order, into out (n_treatments long); their number. */
static size_t variants_of(const struct l4p__rstudy *st, size_t t, size_t *out)
{
  size_t n = 0;
  for (size_t u = 0; u < st->n_treatments; u++)
    if (!st->treatments[u].pruned &&
        !strcmp(st->treatments[u].sampler, st->treatments[t].sampler))
      out[n++] = u;
  return n;
}

/* Is t the first unpruned treatment of its sampler? */
static bool first_of_sampler(const struct l4p__rstudy *st, size_t t)
{
  if (st->treatments[t].pruned)
    return false;
  for (size_t u = 0; u < t; u++)
    if (!st->treatments[u].pruned &&
        !strcmp(st->treatments[u].sampler, st->treatments[t].sampler))
      return false;
  return true;
}

/* The label with params {}, else the first. */
static size_t default_variant(const struct l4p__rstudy *st, const size_t *vt,
                              size_t n)
{
  for (size_t v = 0; v < n; v++)
    if (!strcmp(st->treatments[vt[v]].params, "{}"))
      return v;
  return 0;
}

/* Means and sds of the variants vt (n) in model m's scenarios of one
 * metric (front: hv_ratio), n x *n_sc matrices (NaN: no value). */
static void matrix(const struct l4p__rstudy *st, const size_t *vt, size_t n,
                   size_t m, bool front, double *mean, double *sd, size_t *n_sc)
{
  size_t cols = 0;
  for (size_t k = 0; k < st->n_scenarios; k++)
    cols += st->scenarios[k].model == m && st->scenarios[k].front == front;
  size_t i = 0;
  for (size_t k = 0; k < st->n_scenarios; k++) {
    const struct l4p__rscenario *sc = &st->scenarios[k];
    if (sc->model != m || sc->front != front)
      continue;
    for (size_t v = 0; v < n; v++) {
      const struct l4p__rvalue *x = &sc->values[vt[v]];
      mean[v * cols + i] = x->n ? x->mean : NAN;
      sd[v * cols + i] = x->n ? x->sd : NAN;
    }
    i++;
  }
  *n_sc = cols;
}

static void table(const struct l4p__rstudy *st, struct l4p__doc *d,
                  const size_t *vt, size_t n, size_t def,
                  const struct l4p__variant_row *rows)
{
  static const char *const head[N_COLS] = {
      "variant", "params",  "mean MRE (%)",   "MRE / default",
      "mean sd", "mean CV", "best in X of Y", "mean HV ratio"};
  double low = INFINITY;
  size_t most = 0;
  for (size_t v = 0; v < n; v++) {
    low = isfinite(rows[v].mean) ? fmin(low, rows[v].mean) : low;
    most = rows[v].best > most ? rows[v].best : most;
  }
  l4p__doc_table(d, N_COLS);
  for (size_t c = 0; c < N_COLS; c++)
    l4p__doc_cell(d, 0, false, "%s", head[c]);
  for (size_t v = 0; v < n; v++) {
    const struct l4p__variant_row *r = &rows[v];
    char mean[32], ratio[32], sd[32], cv[32], hv[32];
    l4p__fmt(r->mean, mean, sizeof mean);
    l4p__fmt(r->ratio, ratio, sizeof ratio);
    l4p__fmt(r->sd, sd, sizeof sd);
    l4p__fmt(r->cv, cv, sizeof cv);
    l4p__fmt(r->hv, hv, sizeof hv);
    l4p__doc_cell(d, 0, false, "%s%s", st->treatments[vt[v]].label,
                  v == def ? " (default)" : "");
    l4p__doc_cell(d, 0, false, "%s", st->treatments[vt[v]].params);
    l4p__doc_cell(d, 0, r->mean == low, "%s", mean);
    l4p__doc_cell(d, 0, false, "%s", ratio);
    l4p__doc_cell(d, 0, false, "%s", sd);
    l4p__doc_cell(d, 0, false, "%s", cv);
    l4p__doc_cell(d, 0, most && r->best == most, "%zu of %zu", r->best, r->of);
    l4p__doc_cell(d, 0, false, "%s", hv);
  }
}

/* One table: the variants vt (n) of a sampler under model m. */
static l4p_status one_model(const struct l4p__rstudy *st, struct l4p__doc *d,
                            const size_t *vt, size_t n, size_t m)
{
  size_t cells = n * (st->n_scenarios ? st->n_scenarios : 1);
  double *buf = malloc(4 * cells * sizeof *buf);
  struct l4p__variant_row *rows = calloc(n, sizeof *rows);
  if (!buf || !rows) {
    free(buf);
    free(rows);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  double *mean = buf, *sd = buf + cells, *hv = buf + 2 * cells;
  double *hv_sd = buf + 3 * cells;
  size_t n_sc, n_hv, def = default_variant(st, vt, n);
  matrix(st, vt, n, m, false, mean, sd, &n_sc);
  matrix(st, vt, n, m, true, hv, hv_sd, &n_hv);
  l4p__variants_compute(mean, sd, n, n_sc, def, hv, n_hv, rows);
  l4p__doc_heading(d, 3, NULL, "%s variants, %s", st->treatments[vt[0]].sampler,
                   st->models[m].label);
  table(st, d, vt, n, def, rows);
  free(buf);
  free(rows);
  return L4P_OK;
}

/* See report-int.h. Adds nothing when no sampler has two labels. */
l4p_status l4p__sec_variants(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  size_t *vt = calloc(st->n_treatments, sizeof *vt);
  if (!vt)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status s = L4P_OK;
  bool heading = false;
  for (size_t t = 0; !s && t < st->n_treatments; t++) {
    size_t n = first_of_sampler(st, t) ? variants_of(st, t, vt) : 0;
    if (n < 2)
      continue;
    if (!heading) {
      heading = true;
      l4p__doc_heading(d, 2, "variants", "Sampler variants");
      l4p__doc_text(
          d,
          "Each sampler the study runs under more than one label, its "
          "variants side by side (pruned treatments left out), per model. "
          "Over the %zu repetitions of every error scenario (system x "
          "objective x budget): mean MRE, the mean of the scenario means; "
          "MRE / default, the geometric mean over the scenarios of the "
          "variant's mean over the default variant's (the label without "
          "params, else the first; below 1 is more accurate); mean sd, "
          "the mean of the scenarios' standard deviations across "
          "repetitions (MRE %%), and mean CV, of sd / mean; best in X of "
          "Y, the scenarios in which the variant has the lowest mean among "
          "the variants (ties count for each); mean HV ratio, the mean of "
          "the front scenario means (1 = the true front). The lowest mean "
          "MRE and the largest X are in bold.",
          st->repetitions);
    }
    for (size_t m = 0; !s && m < st->n_models; m++)
      s = one_model(st, d, vt, n, m);
  }
  free(vt);
  return s;
}
