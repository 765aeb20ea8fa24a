/* DeepPerf in a study: its hyper-parameters (depth, learning rate, L1
 * weight) are searched ONCE per scenario (system x objective x budget),
 * on a random sample of the table drawn for that purpose (seed: the
 * study's + L4P__STUDY_HYPER_SEED_OFFSET, tag-study-seeds), never on a
 * sampler's sample, and reused for every sampler and repetition, so the
 * samplers are compared under one model and the search is paid once. A
 * model entry with "search": "sample" has no shared search: each fit
 * searches on its own training sample (DeepPerf's protocol).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm4perf/rng.h"
#include "study-int.h"
#include "util/failf.h"
#include "util/banned.h"

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* See study-int.h. */
const struct l4p__study_hyper *
l4p__study_hyper_find(const struct l4p__study_run *run, size_t system,
                      size_t objective, size_t budget, size_t model)
{
  for (size_t k = 0; k < run->n_hyper; k++) {
    const struct l4p__study_hyper *h = &run->hyper[k];
    if (h->system == system && h->objective == objective &&
        h->budget == budget && h->model == model)
      return h;
  }
  return NULL;
}

/* Draw up to n table rows whose value of objective j is finite, uniformly
 * without replacement, into X (features) and y; *got says how many. */
static l4p_status draw(const struct l4p__study_system *sys, size_t j,
                       uint64_t seed, size_t n, double *X, double *y,
                       size_t *got)
{
  const struct l4p_table *t = sys->table;
  size_t *idx = malloc((t->n_rows ? t->n_rows : 1) * sizeof *idx), m = 0;
  struct l4p_rng *rng = l4p_rng_new(seed);
  if (!idx || !rng) {
    free(idx);
    l4p_rng_free(rng);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t r = 0; r < t->n_rows; r++)
    if (isfinite(t->values[r * t->n_objectives + j]))
      idx[m++] = r;
  l4p_rng_shuffle(rng, idx, m);
  *got = n < m ? n : m;
  for (size_t k = 0; k < *got; k++) {
    for (size_t f = 0; f < sys->n_features; f++)
      X[k * sys->n_features + f] = sys->features[idx[k] * sys->n_features + f];
    y[k] = t->values[idx[k] * t->n_objectives + j];
  }
  free(idx);
  l4p_rng_free(rng);
  return L4P_OK;
}

/* See study-int.h. */
l4p_status l4p__study_hyper_task(struct l4p__study_run *run, size_t h,
                                 sqlite3 *db)
{
  const struct l4p_study *st = run->study;
  struct l4p__study_hyper *hy = &run->hyper[h];
  const struct l4p__study_system *sys = &st->systems[hy->system];
  const struct l4p__study_model *model = &st->models[hy->model];
  const char *objective = sys->spec->objectives[hy->objective].name;
  size_t budget = sys->budgets[hy->budget];
  uint64_t seed = st->seed + L4P__STUDY_HYPER_SEED_OFFSET;
  char current[256];
  snprintf(current, sizeof current, "%s %s n=%zu %s search", sys->spec->name,
           objective, budget, model->label);
  l4p__study_progress_add(run, 0, current);
  double *X = malloc(budget * sys->n_features * sizeof *X);
  double *y = malloc(budget * sizeof *y);
  size_t n = 0;
  l4p_status s = X && y ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!s)
    s = draw(sys, hy->objective, seed, budget, X, y, &n);
  struct l4p_model_params p = {
      .profile = model->profile, .seed = seed, .threads = 1};
  double t0 = now_s();
  if (!s)
    s = l4p_deepperf_search(X, y, n, sys->n_features, &p, &hy->layers, &hy->lr,
                            &hy->lambda);
  if (!s)
    s = l4p__study_db_put_hyper(db, sys->spec->name, objective, budget,
                                model->key, seed, n, now_s() - t0, hy);
  /* another process may have stored the scenario first: use its row */
  if (!s)
    s = l4p__study_db_get_hyper(db, sys->spec->name, objective, budget,
                                model->key, seed, hy);
  if (s)
    l4p_error_prefix(current);
  free(X);
  free(y);
  if (!s)
    l4p__study_progress_add(run, 1, NULL);
  return s;
}

/* See study-int.h. */
const char *l4p__study_deepperf_search(const struct l4p_study *st)
{
  bool shared = false, own = false;
  for (size_t m = 0; m < st->n_models; m++)
    if (strcmp(st->models[m].name, "deepperf") == 0) {
      own |= st->models[m].search_per_sample;
      shared |= !st->models[m].search_per_sample;
    }
  if (own && shared)
    return "once per scenario (system x objective x budget) on a separate "
           "random sample and reused for every sampler and repetition, "
           "except for the models with \"search\": \"sample\", which "
           "search on each training sample";
  if (own)
    return "on each training sample (DeepPerf's own protocol)";
  return "once per scenario (system x objective x budget) on a separate "
         "random sample, reused for every sampler and repetition";
}
