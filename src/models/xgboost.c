/* The XGBoost model: gradient-boosted regression trees through
 * libxgboost's C API (METHOD.md, "Performance models"), one booster per
 * objective, with fixed defaults or a grid tuned by cross-validation on
 * the sample. Registered in registry.c; the C API calls themselves are in
 * xgboost_booster.c.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model-int.h"
#include "xgboost-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* tag-xgb-defaults: eta 0.1 with 300 rounds lets the trees' sum settle
 * (the shrinkage leaves 0.9^300 of the first residual) without the noise
 * a larger step fits on a few dozen rows; depth 6 (XGBoost's own default)
 * covers interactions of several options; min_child_weight 1 and no
 * subsampling suit samples of 20-100 rows, where every row counts. */
const struct l4p__xgb_hyper l4p__xgb_default = {6, 0.1, 300};

struct xgb {
  BoosterHandle booster; /* NULL until fitted or loaded */
};

static l4p_status xgb_create(struct l4p_model *m)
{
  m->data = calloc(1, sizeof(struct xgb));
  return m->data ? L4P_OK
                 : l4p_failf(L4P_ENOMEM, "out of memory creating xgboost");
}

static void drop_booster(struct xgb *x)
{
  if (x->booster)
    XGBoosterFree(x->booster);
  x->booster = NULL;
}

/* tag-xgb-base-score: boosting starts from the targets' mean, not
 * XGBoost 1.7's constant 0.5, so objectives in bytes or milliseconds need
 * no rounds to climb to their level (XGBoost 2.0 does the same). */
static l4p_status xgb_fit(struct l4p_model *m, const double *X, const double *y,
                          size_t n)
{
  struct xgb *x = m->data;
  drop_booster(x);
  struct l4p__xgb_hyper h = l4p__xgb_default;
  l4p_status st = L4P_OK;
  if (m->params.tune)
    st = l4p__xgb_tune(X, y, n, m->n_features, &m->params, &h);
  DMatrixHandle dtrain = NULL;
  if (!st)
    st = l4p__xgb_matrix(X, y, NULL, n, m->n_features, &dtrain);
  if (!st)
    st = l4p__xgb_train(dtrain, &m->params, &h, l4p__xgb_mean(y, NULL, n),
                        &x->booster);
  if (dtrain)
    XGDMatrixFree(dtrain);
  return st;
}

static l4p_status xgb_predict(const struct l4p_model *m, const double *X,
                              size_t n, double *out)
{
  const struct xgb *x = m->data;
  DMatrixHandle dmat;
  l4p_status st = l4p__xgb_matrix(X, NULL, NULL, n, m->n_features, &dmat);
  if (st)
    return st;
  st = l4p__xgb_predict(x->booster, dmat, n, 0, out);
  XGDMatrixFree(dmat);
  return st;
}

/* The blob is XGBoost's own JSON model, readable by any XGBoost >= 1.7;
 * the buffer XGBoost returns is its own, so it is copied. */
static l4p_status xgb_save(const struct l4p_model *m, char **blob, size_t *len)
{
  const struct xgb *x = m->data;
  bst_ulong n;
  const char *buf;
  if (XGBoosterSaveModelToBuffer(x->booster, "{\"format\": \"json\"}", &n,
                                 &buf))
    return l4p__xgb_fail("cannot save the model");
  char *copy = malloc((size_t)n + 1);
  if (!copy)
    return l4p_failf(L4P_ENOMEM, "out of memory saving xgboost");
  memcpy(copy, buf, (size_t)n);
  copy[n] = '\0';
  *blob = copy;
  *len = (size_t)n;
  return L4P_OK;
}

/* Only JSON is accepted (what xgb_save writes): XGBoost's older binary
 * reader trusts sizes found in the data, so arbitrary bytes are refused
 * here rather than handed to it. */
static l4p_status xgb_load(struct l4p_model *m, const char *blob, size_t len)
{
  struct xgb *x = m->data;
  drop_booster(x);
  size_t at = 0;
  while (at < len && isspace((unsigned char)blob[at]))
    at++;
  if (at == len || blob[at] != '{')
    return l4p_failf(L4P_EMODEL, "xgboost: saved model is not XGBoost "
                                 "JSON");
  BoosterHandle b;
  if (XGBoosterCreate(NULL, 0, &b))
    return l4p__xgb_fail("cannot create a booster");
  bst_ulong n_features = 0;
  l4p_status st = L4P_OK;
  if (XGBoosterLoadModelFromBuffer(b, blob, (bst_ulong)len))
    st = l4p__xgb_fail("cannot load the saved model");
  else if (XGBoosterGetNumFeature(b, &n_features))
    st = l4p__xgb_fail("cannot read the saved model");
  else if ((size_t)n_features != m->n_features)
    st = l4p_failf(L4P_EMODEL,
                   "xgboost: saved model has %zu features, "
                   "expected %zu",
                   (size_t)n_features, m->n_features);
  else
    st = l4p__xgb_runtime(b, &m->params);
  if (st) {
    XGBoosterFree(b);
    return st;
  }
  x->booster = b;
  return L4P_OK;
}

static void xgb_destroy(struct l4p_model *m)
{
  struct xgb *x = m->data;
  if (x)
    drop_booster(x);
  free(x);
  m->data = NULL;
}

const struct l4p_model_ops l4p_model_xgboost = {
    .name = "xgboost",
    .summary = "gradient-boosted trees (libxgboost, hist, squared error)",
    .create = xgb_create,
    .fit = xgb_fit,
    .predict = xgb_predict,
    .save = xgb_save,
    .load = xgb_load,
    .destroy = xgb_destroy,
};
