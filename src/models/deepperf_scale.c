/* DeepPerf's data scaling (METHOD.md): every feature column is divided by
 * its max over the training sample (a max of 0 by 1), and the targets so
 * that their max is 100; predictions are scaled back. Also the input
 * checks every DeepPerf entry point shares (rows present, values finite).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "models/deepperf-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Reject an empty sample and non-finite values (naming the row), then
 * record the column maxima and y's divisor. */
l4p_status l4p__dp_scale_fit(struct l4p__dp_scale *s, const double *X,
                             const double *y, size_t n, size_t d)
{
  s->d = 0;
  s->x_div = NULL;
  s->y_div = 1.0;
  if (n == 0)
    return l4p_failf(L4P_EMODEL, "deepperf: no training rows");
  if (d == 0)
    return l4p_failf(L4P_EMODEL, "deepperf: no features");
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(y[i]))
      return l4p_failf(L4P_EMODEL, "deepperf: row %zu: target is not finite",
                       i);
    for (size_t j = 0; j < d; j++)
      if (!isfinite(X[i * d + j]))
        return l4p_failf(L4P_EMODEL,
                         "deepperf: row %zu: feature %zu is not finite", i, j);
  }
  s->x_div = malloc(d * sizeof *s->x_div);
  if (!s->x_div)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  s->d = d;
  for (size_t j = 0; j < d; j++) {
    double mx = X[j];
    for (size_t i = 1; i < n; i++)
      mx = X[i * d + j] > mx ? X[i * d + j] : mx;
    s->x_div[j] = mx != 0.0 ? mx : 1.0;
  }
  double ymax = y[0];
  for (size_t i = 1; i < n; i++)
    ymax = y[i] > ymax ? y[i] : ymax;
  s->y_div = ymax != 0.0 ? ymax / L4P__DP_Y_MAX : 1.0;
  return L4P_OK;
}

/* Free the divisors. */
void l4p__dp_scale_release(struct l4p__dp_scale *s)
{
  free(s->x_div);
  s->x_div = NULL;
  s->d = 0;
}

/* A new float copy of X with each column divided by its divisor. */
float *l4p__dp_scale_x(const struct l4p__dp_scale *s, const double *X, size_t n)
{
  float *out = malloc((n ? n : 1) * s->d * sizeof *out);
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < s->d; j++)
      out[i * s->d + j] = (float)(X[i * s->d + j] / s->x_div[j]);
  return out;
}

/* A new float copy of y divided by y_div. */
float *l4p__dp_scale_y(const struct l4p__dp_scale *s, const double *y, size_t n)
{
  float *out = malloc((n ? n : 1) * sizeof *out);
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i++)
    out[i] = (float)(y[i] / s->y_div);
  return out;
}

/* Back to y's units. */
double l4p__dp_unscale_y(const struct l4p__dp_scale *s, float p)
{
  return (double)p * s->y_div;
}
