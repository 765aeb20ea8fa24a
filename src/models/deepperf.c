/* deepperf: the DeepPerf model (Ha & Zhang, ICSE'19) behind l4p_model_ops,
 * reimplemented from METHOD.md's recipe on OpenBLAS. Fitting scales the
 * data, finds hyper-parameters (or reuses those in the params, as studies
 * do after l4p_deepperf_search) and trains one network on the whole
 * sample; predictions are scaled back to the objective's units.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include <cblas.h>

#include "models/deepperf-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Deepest network accepted from given hyper-parameters. */
#define MAX_LAYERS 64

struct deepperf {
  struct l4p__dp_scale scale;
  struct l4p__dp_hyper hyper;
  struct l4p__dp_net net;
  bool fitted;
};

/* OpenBLAS's thread count is process-wide: the params only set it when
 * they ask for a number, so a caller's own setting survives threads = 0.
 * Results are reproducible for a given count (model.h's invariant). */
void l4p__dp_set_threads(const struct l4p_model_params *p)
{
  if (p && p->threads > 0)
    openblas_set_num_threads(p->threads);
}

/* Scaled float copies of a sample; both NULL on failure. */
static l4p_status scaled_copies(const struct l4p__dp_scale *s, const double *X,
                                const double *y, size_t n, float **Xf,
                                float **yf)
{
  *Xf = l4p__dp_scale_x(s, X, n);
  *yf = l4p__dp_scale_y(s, y, n);
  if (*Xf && *yf)
    return L4P_OK;
  free(*Xf);
  free(*yf);
  *Xf = *yf = NULL;
  return l4p_failf(L4P_ENOMEM, "out of memory");
}

/* Given hyper-parameters must describe a trainable net. */
static l4p_status check_hyper(const struct l4p__dp_hyper *h)
{
  if (h->layers < 1 || h->layers > MAX_LAYERS)
    return l4p_failf(L4P_EMODEL, "deepperf: layers %d is outside [1, %d]",
                     h->layers, MAX_LAYERS);
  if (!(h->lr > 0.0) || !isfinite(h->lr))
    return l4p_failf(L4P_EMODEL, "deepperf: learning rate %g is not > 0",
                     h->lr);
  if (!(h->lambda >= 0.0) || !isfinite(h->lambda))
    return l4p_failf(L4P_EMODEL, "deepperf: lambda %g is not >= 0", h->lambda);
  return L4P_OK;
}

/* Search the recipe's hyper-parameters on a raw sample; see model.h. */
l4p_status l4p_deepperf_search(const double *X, const double *y, size_t n,
                               size_t d, const struct l4p_model_params *p,
                               int *layers, double *lr, double *lambda)
{
  if (!X || !y || !p || !layers || !lr || !lambda)
    return l4p_failf(L4P_EUSAGE, "deepperf: search needs every argument");
  struct l4p__dp_scale s;
  l4p_status st = l4p__dp_scale_fit(&s, X, y, n, d);
  if (st)
    return st;
  float *Xf, *yf;
  st = scaled_copies(&s, X, y, n, &Xf, &yf);
  struct l4p__dp_hyper h;
  l4p__dp_set_threads(p);
  if (!st)
    st = l4p__dp_search(Xf, yf, n, d, p->profile, p->seed, &h);
  free(Xf);
  free(yf);
  l4p__dp_scale_release(&s);
  if (st)
    return st;
  *layers = h.layers;
  *lr = h.lr;
  *lambda = h.lambda;
  return L4P_OK;
}

static l4p_status deepperf_create(struct l4p_model *m)
{
  m->data = calloc(1, sizeof(struct deepperf));
  return m->data ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}

/* Forget a previous fit. */
static void reset(struct deepperf *dp)
{
  l4p__dp_net_release(&dp->net);
  l4p__dp_scale_release(&dp->scale);
  dp->fitted = false;
}

static l4p_status deepperf_fit(struct l4p_model *m, const double *X,
                               const double *y, size_t n)
{
  struct deepperf *dp = m->data;
  const struct l4p_model_params *p = &m->params;
  reset(dp);
  m->fitted = false;
  l4p_status st = l4p__dp_scale_fit(&dp->scale, X, y, n, m->n_features);
  if (st)
    return st;
  float *Xf, *yf;
  if ((st = scaled_copies(&dp->scale, X, y, n, &Xf, &yf))) {
    reset(dp);
    return st;
  }
  l4p__dp_set_threads(p);
  if (p->has_hyper) {
    dp->hyper.layers = p->hyper_layers;
    dp->hyper.lr = p->hyper_lr;
    dp->hyper.lambda = p->hyper_lambda;
    st = check_hyper(&dp->hyper);
  } else {
    st = l4p__dp_search(Xf, yf, n, m->n_features, p->profile, p->seed,
                        &dp->hyper);
  }
  if (!st)
    st = l4p__dp_net_init(&dp->net, m->n_features, L4P__DP_WIDTH,
                          (size_t)dp->hyper.layers, p->seed);
  if (!st)
    st = l4p__dp_train(&dp->net, Xf, yf, n, dp->hyper.lr, dp->hyper.lambda,
                       L4P__DP_EPOCHS);
  free(Xf);
  free(yf);
  if (st) {
    reset(dp);
    return st;
  }
  dp->fitted = m->fitted = true;
  return L4P_OK;
}

static l4p_status deepperf_predict(const struct l4p_model *m, const double *X,
                                   size_t n, double *out)
{
  const struct deepperf *dp = m->data;
  if (!dp->fitted)
    return l4p_failf(L4P_EMODEL, "deepperf: model is not fitted");
  for (size_t i = 0; i < n * m->n_features; i++)
    if (!isfinite(X[i]))
      return l4p_failf(L4P_EMODEL,
                       "deepperf: row %zu: feature %zu is not finite",
                       i / m->n_features, i % m->n_features);
  float *Xf = l4p__dp_scale_x(&dp->scale, X, n);
  float *pf = malloc((n ? n : 1) * sizeof *pf);
  l4p_status st = L4P_OK;
  if (!Xf || !pf)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  l4p__dp_set_threads(&m->params);
  if (!st)
    st = l4p__dp_predict(&dp->net, Xf, n, pf);
  for (size_t i = 0; !st && i < n; i++)
    out[i] = l4p__dp_unscale_y(&dp->scale, pf[i]);
  free(Xf);
  free(pf);
  return st;
}

static l4p_status deepperf_save(const struct l4p_model *m, char **blob,
                                size_t *len)
{
  const struct deepperf *dp = m->data;
  if (!dp->fitted)
    return l4p_failf(L4P_EMODEL, "deepperf: model is not fitted");
  return l4p__dp_blob_save(&dp->scale, &dp->hyper, &dp->net, blob, len);
}

static l4p_status deepperf_load(struct l4p_model *m, const char *blob,
                                size_t len)
{
  struct deepperf *dp = m->data;
  reset(dp);
  m->fitted = false;
  l4p_status st = l4p__dp_blob_load(&dp->scale, &dp->hyper, &dp->net,
                                    m->n_features, blob, len);
  if (st)
    return st;
  dp->fitted = m->fitted = true;
  return L4P_OK;
}

static void deepperf_destroy(struct l4p_model *m)
{
  struct deepperf *dp = m->data;
  if (!dp)
    return;
  reset(dp);
  free(dp);
  m->data = NULL;
}

const struct l4p_model_ops l4p_model_deepperf = {
    .name = "deepperf",
    .summary = "DeepPerf: sparse deep feed-forward network (BLAS)",
    .create = deepperf_create,
    .fit = deepperf_fit,
    .predict = deepperf_predict,
    .save = deepperf_save,
    .load = deepperf_load,
    .destroy = deepperf_destroy,
};
