/* The model layer every regressor sits behind: argument checks done once
 * here (feature count, fitted before predict, finite inputs) so each
 * implementation in this folder only fits and predicts. Callers are the
 * multi-objective wrapper (mo.c), the CLI and the study runner.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "model-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Create an unfitted model of kind ops for rows of n_features values;
 * params NULL means all defaults (profile full, seed 0, threads 0, no
 * tuning). *model is NULL on failure; l4p_model_free it. */
l4p_status l4p_model_new(const struct l4p_model_ops *ops,
                         const struct l4p_model_params *params,
                         size_t n_features, struct l4p_model **model)
{
  *model = NULL;
  if (!ops)
    return l4p_failf(L4P_EUSAGE, "no model kind given");
  if (n_features == 0)
    return l4p_failf(L4P_EUSAGE, "%s: a model needs at least one feature",
                     ops->name);
  struct l4p_model *m = calloc(1, sizeof *m);
  if (!m)
    return l4p_failf(L4P_ENOMEM, "out of memory creating a model");
  m->ops = ops;
  if (params)
    m->params = *params;
  m->n_features = n_features;
  l4p_status st = ops->create(m);
  if (st) {
    free(m);
    return st;
  }
  *model = m;
  return L4P_OK;
}

/* EMODEL naming the first non-finite value of rows x d matrix X (row and
 * column are 0-based indices into X), else L4P_OK. */
static l4p_status check_finite(const char *who, const double *X, size_t n,
                               size_t d, const char *what)
{
  for (size_t r = 0; r < n; r++)
    for (size_t j = 0; j < d; j++)
      if (!isfinite(X[r * d + j]))
        return l4p_failf(L4P_EMODEL,
                         "%s: row %zu: %s %zu is %g, not a "
                         "finite number",
                         who, r, what, j, X[r * d + j]);
  return L4P_OK;
}

/* Fit on n rows of X (n x n_features, row-major) and targets y. EMODEL
 * for no rows or a NAN/inf value (the message names the row). A failed
 * fit leaves the model unfitted. */
l4p_status l4p_model_fit(struct l4p_model *m, const double *X, const double *y,
                         size_t n)
{
  const char *who = m->ops->name;
  m->fitted = false;
  if (n == 0)
    return l4p_failf(L4P_EMODEL, "%s: cannot fit a model on 0 rows", who);
  l4p_status st = check_finite(who, X, n, m->n_features, "feature");
  if (!st)
    st = check_finite(who, y, n, 1, "target");
  if (!st)
    st = m->ops->fit(m, X, y, n);
  if (!st)
    m->fitted = true;
  return st;
}

/* Predict n rows of X into out (n values). EMODEL when the model was
 * never fitted or X holds a NAN/inf value. */
l4p_status l4p_model_predict(const struct l4p_model *m, const double *X,
                             size_t n, double *out)
{
  const char *who = m->ops->name;
  if (!m->fitted)
    return l4p_failf(L4P_EMODEL, "%s: predict called before fit", who);
  if (n == 0)
    return L4P_OK;
  l4p_status st = check_finite(who, X, n, m->n_features, "feature");
  return st ? st : m->ops->predict(m, X, n, out);
}

/* See model-int.h. */
l4p_status l4p__model_save(const struct l4p_model *m, char **blob, size_t *len)
{
  *blob = NULL;
  *len = 0;
  if (!m->fitted)
    return l4p_failf(L4P_EMODEL,
                     "%s: cannot save a model that was never "
                     "fitted",
                     m->ops->name);
  return m->ops->save(m, blob, len);
}

/* See model-int.h. */
l4p_status l4p__model_load(struct l4p_model *m, const char *blob, size_t len)
{
  m->fitted = false;
  l4p_status st = m->ops->load(m, blob, len);
  if (!st)
    m->fitted = true;
  return st;
}

/* Release the implementation's state and the model; NULL is a no-op. */
void l4p_model_free(struct l4p_model *m)
{
  if (!m)
    return;
  if (m->ops->destroy)
    m->ops->destroy(m);
  free(m);
}
