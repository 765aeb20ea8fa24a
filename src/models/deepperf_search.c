/* DeepPerf's hyper-parameter search (METHOD.md, "Performance models"):
 * the sample is split in order, 2/3 to fit and 1/3 to validate. Depths
 * grow from 2 with the net trained without L1 at each learning rate of
 * {1e-4, 1e-3, 1e-2, 1e-1}; a depth keeps the rate with the lowest
 * training error and is judged by its validation error; the walk stops
 * when the validation error rises twice in a row. The final depth is the
 * best depth + 5, and lambda is the log-spaced value with the lowest
 * validation error at that depth and the best depth's rate.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "models/deepperf-int.h"
#include "util/failf.h"
#include "util/banned.h"

#define DEPTH_EXTRA 5 /* final depth = best depth + 5 */

static const double learning_rates[] = {1e-4, 1e-3, 1e-2, 1e-1};

/* A profile's ranges: depths min..max, n_lambda values log-spaced over
 * [lambda_lo, lambda_hi]. */
struct range {
  int depth_min, depth_max, n_lambda;
  double lambda_lo, lambda_hi;
};

static const struct range full_range = {2, 14, 30, 0.01, 1000.0};
static const struct range fast_range = {2, 4, 20, 0.01, 100.0};

/* The sample split in order into a fit part and a validation part. */
struct split {
  const float *X_fit, *y_fit, *X_val, *y_val;
  size_t n_fit, n_val, d;
  uint64_t seed;
  float *pred; /* n_fit + n_val predictions */
};

/* Errors are relative; a zero target counts its absolute error instead,
 * so the mean stays finite. */
double l4p__dp_mre(const float *p, const float *y, size_t n)
{
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(p[i]))
      return INFINITY;
    double e = fabs((double)p[i] - y[i]);
    sum += y[i] != 0.0f ? e / fabs((double)y[i]) : e;
  }
  return n ? sum / (double)n : 0.0;
}

/* Defaults for a sample of one row, which cannot be split: the smallest
 * searched depth + 5, the middle rates of the grids. */
void l4p__dp_default_hyper(struct l4p__dp_hyper *out)
{
  out->layers = full_range.depth_min + DEPTH_EXTRA;
  out->lr = 1e-3;
  out->lambda = 0.01;
}

/* Train a fresh net (seeded as every other) on the fit part; report the
 * training error (when err_fit is not NULL) and the validation error. */
static l4p_status try_net(struct split *s, int layers, double lr, double lambda,
                          double *err_fit, double *err_val)
{
  struct l4p__dp_net net;
  l4p_status st =
      l4p__dp_net_init(&net, s->d, L4P__DP_WIDTH, (size_t)layers, s->seed);
  if (!st)
    st = l4p__dp_train(&net, s->X_fit, s->y_fit, s->n_fit, lr, lambda,
                       L4P__DP_EPOCHS);
  if (!st && err_fit)
    st = l4p__dp_predict(&net, s->X_fit, s->n_fit, s->pred);
  if (!st && err_fit)
    *err_fit = l4p__dp_mre(s->pred, s->y_fit, s->n_fit);
  if (!st)
    st = l4p__dp_predict(&net, s->X_val, s->n_val, s->pred + s->n_fit);
  if (!st)
    *err_val = l4p__dp_mre(s->pred + s->n_fit, s->y_val, s->n_val);
  l4p__dp_net_release(&net);
  return st;
}

/* Walk the depths; on return *depth and *lr are the best depth's. */
static l4p_status search_depth(struct split *s, const struct range *r,
                               int *depth, double *lr)
{
  double best_val = INFINITY, prev_val = INFINITY;
  int rises = 0;
  *depth = r->depth_min;
  *lr = learning_rates[0];
  for (int layers = r->depth_min; layers <= r->depth_max; layers++) {
    double best_fit = INFINITY, val = INFINITY, lr_at = learning_rates[0];
    for (size_t i = 0; i < sizeof learning_rates / sizeof *learning_rates;
         i++) {
      double e_fit, e_val;
      l4p_status st =
          try_net(s, layers, learning_rates[i], 0.0, &e_fit, &e_val);
      if (st)
        return st;
      if (e_fit < best_fit) {
        best_fit = e_fit;
        val = e_val;
        lr_at = learning_rates[i];
      }
    }
    if (val < best_val) {
      best_val = val;
      *depth = layers;
      *lr = lr_at;
    }
    rises = layers > r->depth_min && val > prev_val ? rises + 1 : 0;
    if (rises == 2)
      break;
    prev_val = val;
  }
  return L4P_OK;
}

/* Try each log-spaced lambda at the final depth; keep the best. */
static l4p_status search_lambda(struct split *s, const struct range *r,
                                int layers, double lr, double *lambda)
{
  double best = INFINITY, lo = log10(r->lambda_lo), hi = log10(r->lambda_hi);
  *lambda = r->lambda_lo;
  for (int i = 0; i < r->n_lambda; i++) {
    double lam = pow(10.0, lo + (hi - lo) * i / (r->n_lambda - 1));
    double e_val;
    l4p_status st = try_net(s, layers, lr, lam, NULL, &e_val);
    if (st)
      return st;
    if (e_val < best) {
      best = e_val;
      *lambda = lam;
    }
  }
  return L4P_OK;
}

/* The fit part is the first round(2n/3) rows, the rest validates. */
l4p_status l4p__dp_search(const float *X, const float *y, size_t n, size_t d,
                          enum l4p_model_profile profile, uint64_t seed,
                          struct l4p__dp_hyper *out)
{
  l4p__dp_default_hyper(out);
  size_t n_fit = (2 * n + 1) / 3;
  if (n < 2)
    return L4P_OK;
  struct split s = {
      .X_fit = X,
      .y_fit = y,
      .n_fit = n_fit,
      .X_val = X + n_fit * d,
      .y_val = y + n_fit,
      .n_val = n - n_fit,
      .d = d,
      .seed = seed,
  };
  s.pred = malloc(n * sizeof *s.pred);
  if (!s.pred)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  const struct range *r =
      profile == L4P_PROFILE_FAST ? &fast_range : &full_range;
  int depth;
  double lr, lambda;
  l4p_status st = search_depth(&s, r, &depth, &lr);
  if (!st)
    st = search_lambda(&s, r, depth + DEPTH_EXTRA, lr, &lambda);
  free(s.pred);
  if (st)
    return st;
  out->layers = depth + DEPTH_EXTRA;
  out->lr = lr;
  out->lambda = lambda;
  return L4P_OK;
}
