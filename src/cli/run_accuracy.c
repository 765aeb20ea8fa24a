/* How good are the models 'llm4perf run' trained? A live system has no
 * table of true values, so accuracy comes from the measurements alone:
 * k-fold cross-validation on the sample, and, when asked for, random
 * configurations measured after sampling and never trained on (a
 * held-out set). One table row per objective and model: MRE % and RMSE.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/crossval.h"
#include "llm4perf/metrics.h"
#include "run.h"
#include "util/cfgset.h"
#include "util/failf.h"
#include "util/banned.h"

/* One table: MRE and RMSE of pred against truth (n rows x n_objectives),
 * a row per objective and model; mre[m * nv + j] keeps the MREs. */
struct table {
  double *mre, *rmse;
};

static void score(const struct l4p_spec *spec, const double *pred,
                  const double *truth, size_t n, size_t m, struct table *t)
{
  size_t nv = spec->n_objectives;
  double *p = malloc((n + 1) * sizeof *p), *y = malloc((n + 1) * sizeof *y);
  for (size_t j = 0; j < nv; j++) {
    double mre = NAN, rmse = NAN;
    if (p && y) {
      for (size_t r = 0; r < n; r++) {
        p[r] = pred[r * nv + j];
        y[r] = truth[r * nv + j];
      }
      mre = l4p_metrics_mre(p, y, n, NULL);
      rmse = l4p_metrics_rmse(p, y, n);
    }
    t->mre[m * nv + j] = mre;
    t->rmse[m * nv + j] = rmse;
  }
  free(p);
  free(y);
}

static void print_table(const struct run_ctx *r, const struct table *t)
{
  size_t nv = r->spec->n_objectives;
  printf("  %-16s %-10s %9s %12s\n", "objective", "model", "MRE %", "RMSE");
  for (size_t j = 0; j < nv; j++)
    for (size_t m = 0; m < r->n_models; m++)
      printf("  %-16s %-10s %9.2f %12.5g\n", r->spec->objectives[j].name,
             r->models[m]->name, t->mre[m * nv + j], t->rmse[m * nv + j]);
}

static struct l4p_model_params params_for(const struct run_ctx *r)
{
  /* the fast profile: a run trains every model k + 1 times; one thread:
   * the nets are small, and a second OpenBLAS thread spins in
   * sched_yield between products, which on a busy machine slowed the
   * demo down several times */
  return (struct l4p_model_params){
      .profile = L4P_PROFILE_FAST, .seed = r->seed, .threads = 1};
}

/* The held-out rows that are not in the sample, into a new n x options
 * array with their values; NULL (n = 0) when out of memory. */
static double *fresh_rows(const struct run_ctx *r, double **values, size_t *n)
{
  const struct l4p_sample *h = r->holdout, *s = r->train;
  size_t no = h->n_options, nv = h->n_objectives;
  double *cfgs = malloc((h->n + 1) * no * sizeof *cfgs);
  *values = malloc((h->n + 1) * nv * sizeof **values);
  *n = 0;
  struct l4px_cfgset seen;
  l4px_cfgset_init(&seen, no);
  bool ok = cfgs && *values;
  for (size_t k = 0; ok && k < s->n; k++)
    ok = l4px_cfgset_add(&seen, s->configs + k * no) >= 0;
  for (size_t k = 0; ok && k < h->n; k++) {
    if (l4px_cfgset_contains(&seen, h->configs + k * no))
      continue;
    memcpy(cfgs + *n * no, h->configs + k * no, no * sizeof *cfgs);
    memcpy(*values + *n * nv, h->values + k * nv, nv * sizeof **values);
    (*n)++;
  }
  l4px_cfgset_release(&seen);
  if (!ok) {
    free(cfgs);
    free(*values);
    *values = NULL;
    *n = 0;
    return NULL;
  }
  return cfgs;
}

/* Cross-validate and fit every model; fill the two tables. */
static l4p_status evaluate(struct run_ctx *r, struct table *cv,
                           struct table *held, const double *h_cfgs,
                           const double *h_values, size_t n_held)
{
  const struct l4p_sample *s = r->train;
  size_t nv = r->spec->n_objectives;
  double *pred = malloc((s->n + n_held + 1) * nv * sizeof *pred);
  if (!pred)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4p_model_params p = params_for(r);
  l4p_status st = L4P_OK;
  for (size_t m = 0; m < r->n_models && !st; m++) {
    st = l4p_crossval(r->spec, r->models[m], &p, s->configs, s->values, s->n,
                      r->folds, r->seed, pred);
    if (!st)
      score(r->spec, pred, s->values, s->n, m, cv);
    if (!st)
      st = l4p_mo_fit(r->spec, r->models[m], &p, s->configs, s->values, s->n,
                      &r->fitted[m]);
    if (!st && n_held &&
        !(st = l4p_mo_predict(r->fitted[m], h_cfgs, n_held, pred)))
      score(r->spec, pred, h_values, n_held, m, held);
  }
  free(pred);
  return st;
}

/* The model with the lowest mean MRE over the objectives. */
static size_t pick_best(const struct run_ctx *r, const struct table *cv)
{
  size_t nv = r->spec->n_objectives, best = 0;
  double best_mre = INFINITY;
  for (size_t m = 0; m < r->n_models; m++) {
    double sum = 0;
    size_t used = 0;
    for (size_t j = 0; j < nv; j++)
      if (isfinite(cv->mre[m * nv + j])) {
        sum += cv->mre[m * nv + j];
        used++;
      }
    if (used && sum / (double)used < best_mre) {
      best_mre = sum / (double)used;
      best = m;
    }
  }
  return best;
}

/* See run.h. */
int run_accuracy(struct run_ctx *r, size_t *best)
{
  size_t nv = r->spec->n_objectives, cells = r->n_models * nv + 1;
  struct table cv = {calloc(cells, sizeof(double)),
                     calloc(cells, sizeof(double))};
  struct table held = {calloc(cells, sizeof(double)),
                       calloc(cells, sizeof(double))};
  double *h_cfgs = NULL, *h_values = NULL;
  size_t n_held = 0;
  l4p_status st = L4P_OK;
  if (!cv.mre || !cv.rmse || !held.mre || !held.rmse)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st && r->holdout && !(h_cfgs = fresh_rows(r, &h_values, &n_held)))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = evaluate(r, &cv, &held, h_cfgs, h_values, n_held);
  if (!st) {
    size_t k = r->folds > r->train->n ? r->train->n : r->folds;
    printf("\naccuracy, %zu-fold cross-validation on the %zu measured "
           "configurations:\n",
           k, r->train->n);
    print_table(r, &cv);
    if (r->holdout) {
      printf("\naccuracy on the %zu held-out configurations not in the "
             "sample (of %zu measured at random):\n",
             n_held, r->holdout->n);
      if (n_held)
        print_table(r, &held);
    }
    *best = pick_best(r, &cv);
  }
  free(cv.mre);
  free(cv.rmse);
  free(held.mre);
  free(held.rmse);
  free(h_cfgs);
  free(h_values);
  return st ? cli_fail(st) : CLI_OK;
}

/* See run.h. */
void run_release(struct run_ctx *r)
{
  for (size_t m = 0; m < r->n_models; m++) {
    l4p_mo_free(r->fitted[m]);
    r->fitted[m] = NULL;
  }
}
