/* Evaluating one (sample, model) of a study: one model per studied
 * objective is fitted on the measured sample, predicts every row of the
 * system's table, and is scored on the rows not in the sample (RMSE,
 * RMSE / range, MRE %: METHOD.md, "Evaluation protocol"); the predictions
 * of all objectives together give the predicted Pareto front (front.c).
 * Models are seeded with the sample's seed and run on one thread, so a
 * cell is the same whichever worker computes it.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "llm4perf/metrics.h"
#include "study-int.h"
#include "util/failf.h"
#include "util/banned.h"

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Work arrays of one evaluation. */
struct work {
  const struct l4p__study_system *sys;
  bool *taken;   /* table rows in the sample */
  double *F;     /* sample encoded, n x n_features */
  double *X, *y; /* training rows of one objective */
  double *col;   /* predictions of one objective for every table row */
  double *p, *t; /* test rows: predicted and true values */
  double *all;   /* one objective over the whole table (range) */
};

static void work_release(struct work *w)
{
  free(w->taken);
  free(w->F);
  free(w->X);
  free(w->y);
  free(w->col);
  free(w->p);
  free(w->t);
  free(w->all);
}

static l4p_status work_init(struct work *w, const struct l4p__study_system *sys,
                            const struct l4p_sample *sample)
{
  size_t rows = sys->table->n_rows ? sys->table->n_rows : 1;
  size_t n = sample->n ? sample->n : 1, nf = sys->n_features;
  *w = (struct work){sys,
                     calloc(rows, sizeof *w->taken),
                     malloc(n * nf * sizeof(double)),
                     malloc(n * nf * sizeof(double)),
                     malloc(n * sizeof(double)),
                     malloc(rows * sizeof(double)),
                     malloc(rows * sizeof(double)),
                     malloc(rows * sizeof(double)),
                     malloc(rows * sizeof(double))};
  if (!w->taken || !w->F || !w->X || !w->y || !w->col || !w->p || !w->t ||
      !w->all) {
    work_release(w);
    return l4p_failf(L4P_ENOMEM, "out of memory evaluating a sample");
  }
  size_t no = sample->n_options;
  for (size_t k = 0; k < sample->n; k++) {
    long r = l4p_table_find(sys->table, sample->configs + k * no);
    if (r >= 0)
      w->taken[r] = true;
    l4p_space_encode(sys->spec->space, sample->configs + k * no, w->F + k * nf);
  }
  return L4P_OK;
}

/* Fit objective j's model and predict the whole table into w->col. */
static l4p_status fit_predict(struct work *w, const struct l4p_sample *sample,
                              size_t j, const struct l4p__study_model *model,
                              const struct l4p_model_params *params,
                              size_t *train_rows)
{
  size_t nf = w->sys->n_features, used = 0;
  for (size_t k = 0; k < sample->n; k++) {
    double v = sample->values[k * sample->n_objectives + j];
    if (!isfinite(v))
      continue;
    for (size_t f = 0; f < nf; f++)
      w->X[used * nf + f] = w->F[k * nf + f];
    w->y[used++] = v;
  }
  *train_rows = used;
  if (used == 0)
    return l4p_failf(L4P_EMODEL, "no measured value to fit on");
  struct l4p_model *m;
  l4p_status s = l4p_model_new(model->ops, params, nf, &m);
  if (!s)
    s = l4p_model_fit(m, w->X, w->y, used);
  if (!s)
    s = l4p_model_predict(m, w->sys->features, w->sys->table->n_rows, w->col);
  l4p_model_free(m);
  return s;
}

/* Score the predictions in w->col of objective j on the test rows. */
static void score(struct work *w, size_t j, struct l4p__study_cell_row *c)
{
  const struct l4p_table *t = w->sys->table;
  size_t n = 0, nv = t->n_objectives;
  c->test_rows = 0;
  for (size_t r = 0; r < t->n_rows; r++) {
    w->all[r] = t->values[r * nv + j];
    if (w->taken[r])
      continue;
    w->p[n] = w->col[r];
    w->t[n] = w->all[r];
    c->test_rows += !isnan(w->t[n]);
    n++;
  }
  c->rmse = l4p_metrics_rmse(w->p, w->t, n);
  c->nrmse =
      l4p_metrics_nrmse(w->p, w->t, n, l4p_metrics_range(w->all, t->n_rows));
  c->mre = l4p_metrics_mre(w->p, w->t, n, &c->zero_rows);
}

/* The model parameters of a cell: seeded by the sample, one thread, and
 * the scenario's DeepPerf hyper-parameters when there are some. */
static struct l4p_model_params cell_params(const struct l4p__study_run *run,
                                           const struct l4p__study_sample *s,
                                           size_t model, size_t j)
{
  const struct l4p__study_model *m = &run->study->models[model];
  struct l4p_model_params p = {
      .profile = m->profile, .seed = s->seed, .threads = 1, .tune = m->tune};
  const struct l4p__study_hyper *h =
      l4p__study_hyper_find(run, s->system, j, s->budget, model);
  if (h && h->found) {
    p.has_hyper = true;
    p.hyper_layers = h->layers;
    p.hyper_lr = h->lr;
    p.hyper_lambda = h->lambda;
  }
  return p;
}

/* See study-int.h. cells gets one row per studied objective; front_rows
 * (free() it) the predicted front, which front->front points into. */
l4p_status l4p__study_evaluate(const struct l4p__study_run *run, size_t k,
                               size_t model, const struct l4p_sample *sample,
                               struct l4p__study_cell_row *cells,
                               struct l4p__study_front_row *front,
                               size_t **front_rows)
{
  const struct l4p__study_sample *smp = &run->samples[k];
  const struct l4p__study_system *sys = &run->study->systems[smp->system];
  size_t rows = sys->table->n_rows, m = sys->n_obj;
  *front_rows = NULL;
  struct work w;
  l4p_status s = work_init(&w, sys, sample);
  if (s)
    return s;
  double *pred = malloc((rows ? rows : 1) * m * sizeof *pred);
  if (!pred)
    s = l4p_failf(L4P_ENOMEM, "out of memory evaluating a sample");
  for (size_t i = 0; !s && i < m; i++) {
    size_t j = sys->obj[i];
    struct l4p_model_params p = cell_params(run, smp, model, j);
    double t0 = now_s();
    cells[i] = (struct l4p__study_cell_row){j, 0, 0, 0, NAN, NAN, NAN, 0};
    s = fit_predict(&w, sample, j, &run->study->models[model], &p,
                    &cells[i].train_rows);
    if (!s)
      score(&w, j, &cells[i]);
    else
      l4p_error_prefix(sys->spec->objectives[j].name);
    cells[i].seconds = now_s() - t0;
    for (size_t r = 0; !s && r < rows; r++)
      pred[r * m + i] = w.col[r];
  }
  if (!s)
    s = l4p__study_front_ratio(&sys->front, pred, &front->hv_ratio, front_rows,
                               &front->n_front);
  front->front = *front_rows;
  free(pred);
  work_release(&w);
  return s;
}
