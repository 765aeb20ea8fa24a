/* libxgboost's C API behind small checked helpers: building DMatrix
 * objects from doubles, configuring and training a booster, predicting.
 * Used by the XGBoost model (xgboost.c) and its tuning (xgboost_tune.c).
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xgboost-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Only the first line: XGBoost appends a multi-line stack trace, and our
 * errors are one line (STYLE.md). */
l4p_status l4p__xgb_fail(const char *what)
{
  const char *detail = XGBGetLastError();
  if (!detail || !*detail)
    detail = "unknown error";
  size_t len = strcspn(detail, "\r\n");
  return l4p_failf(L4P_EMODEL, "xgboost: %s: %.*s", what, (int)len, detail);
}

/* See xgboost-int.h. */
l4p_status l4p__xgb_matrix(const double *X, const double *y, const size_t *rows,
                           size_t n, size_t d, DMatrixHandle *out)
{
  *out = NULL;
  size_t cells = n * d;
  float *data = malloc((cells ? cells : 1) * sizeof *data);
  float *label = y ? malloc((n ? n : 1) * sizeof *label) : NULL;
  if (!data || (y && !label)) {
    free(data);
    free(label);
    return l4p_failf(L4P_ENOMEM, "out of memory building a data matrix");
  }
  for (size_t r = 0; r < n; r++) {
    size_t src = rows ? rows[r] : r;
    for (size_t j = 0; j < d; j++)
      data[r * d + j] = (float)X[src * d + j];
    if (y)
      label[r] = (float)y[src];
  }
  l4p_status st = L4P_OK;
  /* NAN marks missing cells; the model layer has already rejected them */
  if (XGDMatrixCreateFromMat(data, (bst_ulong)n, (bst_ulong)d, NAN, out))
    st = l4p__xgb_fail("cannot create a data matrix");
  else if (y && XGDMatrixSetFloatInfo(*out, "label", label, (bst_ulong)n))
    st = l4p__xgb_fail("cannot set the labels");
  if (st && *out) {
    XGDMatrixFree(*out);
    *out = NULL;
  }
  free(data);
  free(label);
  return st;
}

/* Set one parameter; EMODEL naming it and its value when XGBoost refuses
 * it. */
static l4p_status set_param(BoosterHandle b, const char *name,
                            const char *value)
{
  if (XGBoosterSetParam(b, name, value) == 0)
    return L4P_OK;
  char what[96];
  snprintf(what, sizeof what, "cannot set '%s' to '%s'", name, value);
  return l4p__xgb_fail(what);
}

/* See xgboost-int.h. Fixed parameters (tag-xgb-defaults): squared error,
 * histogram trees, a leaf may hold a single row (min_child_weight 1, as
 * small samples need), no row or column subsampling (so a fit does not
 * depend on random draws beyond the seed). XGBoost's seed is a signed
 * integer: the low 31 bits of ours are passed. */
l4p_status l4p__xgb_configure(BoosterHandle b, const struct l4p_model_params *p,
                              const struct l4p__xgb_hyper *h)
{
  char seed[32], depth[32], eta[32];
  snprintf(seed, sizeof seed, "%" PRIu64, p->seed & 0x7fffffffu);
  snprintf(depth, sizeof depth, "%d", h->max_depth);
  snprintf(eta, sizeof eta, "%.17g", h->eta);
  const char *params[][2] = {
      {"objective", "reg:squarederror"},
      {"tree_method", "hist"},
      {"min_child_weight", "1"},
      {"subsample", "1"},
      {"colsample_bytree", "1"},
      {"seed", seed},
      {"max_depth", depth},
      {"eta", eta},
  };
  l4p_status st = L4P_OK;
  for (size_t k = 0; !st && k < sizeof params / sizeof params[0]; k++)
    st = set_param(b, params[k][0], params[k][1]);
  return st ? st : l4p__xgb_runtime(b, p);
}

/* See xgboost-int.h. threads 0 means one thread, not XGBoost's default of
 * every core: samples here are tens to thousands of rows, where OpenMP's
 * start-up and spinning cost more than they save: on a busy 2-core
 * machine, two threads made a 60-row 'llm4perf train' 7x slower than one
 * (5.2 s against 0.75 s). Studies run models side by side instead. */
l4p_status l4p__xgb_runtime(BoosterHandle b, const struct l4p_model_params *p)
{
  char threads[32];
  snprintf(threads, sizeof threads, "%d", p->threads > 0 ? p->threads : 1);
  l4p_status st = set_param(b, "verbosity", "0");
  return st ? st : set_param(b, "nthread", threads);
}

/* See xgboost-int.h. */
l4p_status l4p__xgb_train(DMatrixHandle dtrain,
                          const struct l4p_model_params *p,
                          const struct l4p__xgb_hyper *h, double base_score,
                          BoosterHandle *out)
{
  *out = NULL;
  BoosterHandle b;
  if (XGBoosterCreate(&dtrain, 1, &b))
    return l4p__xgb_fail("cannot create a booster");
  char base[32];
  snprintf(base, sizeof base, "%.9g", base_score);
  l4p_status st = l4p__xgb_configure(b, p, h);
  if (!st)
    st = set_param(b, "base_score", base);
  for (int it = 0; !st && it < h->rounds; it++)
    if (XGBoosterUpdateOneIter(b, it, dtrain))
      st = l4p__xgb_fail("training failed");
  if (st) {
    XGBoosterFree(b);
    return st;
  }
  *out = b;
  return L4P_OK;
}

/* See xgboost-int.h. The result buffer belongs to the booster, so it is
 * copied out at once. */
l4p_status l4p__xgb_predict(BoosterHandle b, DMatrixHandle dmat, size_t n,
                            int rounds, double *out)
{
  char config[160];
  snprintf(config, sizeof config,
           "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
           "\"iteration_end\": %d, \"strict_shape\": false}",
           rounds);
  const bst_ulong *shape;
  bst_ulong dim;
  const float *result;
  if (XGBoosterPredictFromDMatrix(b, dmat, config, &shape, &dim, &result))
    return l4p__xgb_fail("prediction failed");
  if (dim != 1 || shape[0] != (bst_ulong)n)
    return l4p_failf(L4P_EMODEL,
                     "xgboost: expected %zu predictions, got "
                     "an array of %" PRIu64 " dimensions",
                     n, (uint64_t)dim);
  for (size_t r = 0; r < n; r++)
    out[r] = result[r];
  return L4P_OK;
}

/* See xgboost-int.h. */
double l4p__xgb_mean(const double *y, const size_t *rows, size_t n)
{
  double sum = 0;
  for (size_t r = 0; r < n; r++)
    sum += y[rows ? rows[r] : r];
  return n ? sum / (double)n : 0;
}
