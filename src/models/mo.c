/* The multi-objective wrapper of model.h: configurations are encoded as
 * feature vectors (l4p_space_encode) and each objective gets its own
 * model, trained on the rows where that objective was measured. Its
 * predictions give the predicted Pareto front. Saving and loading are in
 * mo_file.c. Callers: 'llm4perf train/predict/evaluate', studies.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* See model-int.h. */
struct l4p_mo_model *l4p__mo_alloc(const struct l4p_spec *spec,
                                   const struct l4p_model_ops *ops,
                                   const struct l4p_model_params *params)
{
  struct l4p_mo_model *mo = calloc(1, sizeof *mo);
  if (!mo)
    return NULL;
  mo->spec = spec;
  mo->ops = ops;
  if (params)
    mo->params = *params;
  mo->n_features = l4p_space_n_features(spec->space);
  mo->n_objectives = spec->n_objectives;
  size_t m = mo->n_objectives ? mo->n_objectives : 1;
  mo->models = calloc(m, sizeof *mo->models);
  mo->n_rows = calloc(m, sizeof *mo->n_rows);
  if (!mo->models || !mo->n_rows) {
    l4p_mo_free(mo);
    return NULL;
  }
  return mo;
}

/* n configurations encoded into a new n x n_features array (free() it);
 * NULL when out of memory. */
static double *encode_all(const struct l4p_mo_model *mo, const double *configs,
                          size_t n)
{
  size_t no = l4p_space_n_options(mo->spec->space), nf = mo->n_features;
  double *F = malloc((n ? n : 1) * nf * sizeof *F);
  if (!F)
    return NULL;
  for (size_t r = 0; r < n; r++)
    l4p_space_encode(mo->spec->space, configs + r * no, F + r * nf);
  return F;
}

/* Fit objective j's model on the rows where it was measured (not NAN).
 * X and y are work arrays of n rows. */
static l4p_status fit_objective(struct l4p_mo_model *mo, size_t j,
                                const double *F, const double *values, size_t n,
                                double *X, double *y)
{
  size_t nf = mo->n_features, nv = mo->n_objectives, used = 0;
  const char *name = mo->spec->objectives[j].name;
  for (size_t r = 0; r < n; r++) {
    double v = values[r * nv + j];
    if (isnan(v))
      continue;
    if (!isfinite(v))
      return l4p_failf(L4P_EMODEL,
                       "objective '%s': row %zu: value %g is "
                       "not finite",
                       name, r, v);
    for (size_t k = 0; k < nf; k++)
      X[used * nf + k] = F[r * nf + k];
    y[used++] = v;
  }
  if (used == 0)
    return l4p_failf(L4P_EMODEL,
                     "objective '%s': no measured values to "
                     "fit on",
                     name);
  l4p_status st = l4p_model_new(mo->ops, &mo->params, nf, &mo->models[j]);
  if (!st)
    st = l4p_model_fit(mo->models[j], X, y, used);
  if (st) {
    char prefix[160];
    snprintf(prefix, sizeof prefix, "objective '%s'", name);
    l4p_error_prefix(prefix);
    return st;
  }
  mo->n_rows[j] = used;
  return L4P_OK;
}

/* Fit one model per objective (see model.h). EMODEL names the objective
 * that failed; *model is NULL on failure. The spec is borrowed and must
 * outlive the model. */
l4p_status l4p_mo_fit(const struct l4p_spec *spec,
                      const struct l4p_model_ops *ops,
                      const struct l4p_model_params *params,
                      const double *configs, const double *values, size_t n,
                      struct l4p_mo_model **model)
{
  *model = NULL;
  if (!ops)
    return l4p_failf(L4P_EUSAGE, "no model kind given");
  if (spec->n_objectives == 0)
    return l4p_failf(L4P_EUSAGE, "spec '%s' has no objectives", spec->name);
  if (n == 0)
    return l4p_failf(L4P_EMODEL, "cannot fit models on 0 configurations");
  struct l4p_mo_model *mo = l4p__mo_alloc(spec, ops, params);
  double *F = mo ? encode_all(mo, configs, n) : NULL;
  double *X = mo ? malloc(n * mo->n_features * sizeof *X) : NULL;
  double *y = malloc(n * sizeof *y);
  l4p_status st = L4P_OK;
  if (!mo || !F || !X || !y)
    st = l4p_failf(L4P_ENOMEM, "out of memory fitting models");
  for (size_t j = 0; !st && j < spec->n_objectives; j++)
    st = fit_objective(mo, j, F, values, n, X, y);
  free(F);
  free(X);
  free(y);
  if (st) {
    l4p_mo_free(mo);
    return st;
  }
  *model = mo;
  return L4P_OK;
}

/* Predict every objective of n configurations into out (n x
 * n_objectives, row-major). EMODEL from the models on failure. */
l4p_status l4p_mo_predict(const struct l4p_mo_model *model,
                          const double *configs, size_t n, double *out)
{
  if (n == 0)
    return L4P_OK;
  size_t nv = model->n_objectives;
  double *F = encode_all(model, configs, n);
  double *col = malloc(n * sizeof *col);
  l4p_status st = L4P_OK;
  if (!F || !col)
    st = l4p_failf(L4P_ENOMEM, "out of memory predicting");
  for (size_t j = 0; !st && j < nv; j++) {
    st = l4p_model_predict(model->models[j], F, n, col);
    for (size_t r = 0; !st && r < n; r++)
      out[r * nv + j] = col[r];
  }
  free(F);
  free(col);
  return st;
}

/* The configurations whose predicted objectives no other one dominates,
 * each objective minimised or maximised as the spec's goal says. *idx
 * (free() it) lists *n_idx row indices in ascending order. */
l4p_status l4p_mo_pareto(const struct l4p_mo_model *model,
                         const double *configs, size_t n, size_t **idx,
                         size_t *n_idx)
{
  *idx = NULL;
  *n_idx = 0;
  size_t nv = model->n_objectives;
  double *pred = malloc((n ? n : 1) * nv * sizeof *pred);
  enum l4p_goal *goals = malloc(nv * sizeof *goals);
  size_t *front = malloc((n ? n : 1) * sizeof *front);
  l4p_status st = L4P_OK;
  if (!pred || !goals || !front)
    st = l4p_failf(L4P_ENOMEM, "out of memory computing a Pareto front");
  for (size_t j = 0; !st && j < nv; j++)
    goals[j] = model->spec->objectives[j].goal;
  if (!st)
    st = l4p_mo_predict(model, configs, n, pred);
  if (!st)
    st = l4p__pareto_front(pred, n, nv, goals, front, n_idx);
  free(pred);
  free(goals);
  if (st) {
    free(front);
    *n_idx = 0;
    return st;
  }
  *idx = front;
  return L4P_OK;
}

/* Free every model and the wrapper (not the spec); NULL is a no-op. */
void l4p_mo_free(struct l4p_mo_model *model)
{
  if (!model)
    return;
  for (size_t j = 0; model->models && j < model->n_objectives; j++)
    l4p_model_free(model->models[j]);
  free(model->models);
  free(model->n_rows);
  free(model);
}
