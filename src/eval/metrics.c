/* Error metrics used by 'llm4perf evaluate' and the study runner to score
 * a model's predictions on the configurations it was not trained on.
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "llm4perf/metrics.h"
#include "util/banned.h"

/* Square root of the mean squared difference over rows with a known true
 * value; NAN when there are none. */
double l4p_metrics_rmse(const double *pred, const double *truth, size_t n)
{
  double sum = 0;
  size_t used = 0;
  for (size_t r = 0; r < n; r++) {
    if (isnan(truth[r]))
      continue;
    double d = pred[r] - truth[r];
    sum += d * d;
    used++;
  }
  return used ? sqrt(sum / (double)used) : NAN;
}

/* RMSE scaled by the objective's range, so objectives in seconds and in
 * bytes can be compared. */
double l4p_metrics_nrmse(const double *pred, const double *truth, size_t n,
                         double range)
{
  if (!(range > 0))
    return NAN;
  return l4p_metrics_rmse(pred, truth, n) / range;
}

/* Rows with a true value of 0 have no relative error: they are counted in
 * *n_zero and skipped rather than dividing by zero. */
double l4p_metrics_mre(const double *pred, const double *truth, size_t n,
                       size_t *n_zero)
{
  double sum = 0;
  size_t used = 0, zero = 0;
  for (size_t r = 0; r < n; r++) {
    if (isnan(truth[r]))
      continue;
    if (truth[r] == 0) {
      zero++;
      continue;
    }
    sum += fabs(pred[r] - truth[r]) / fabs(truth[r]);
    used++;
  }
  if (n_zero)
    *n_zero = zero;
  return used ? 100 * sum / (double)used : NAN;
}

/* Spread of the known values: the denominator of the normalised RMSE. */
double l4p_metrics_range(const double *values, size_t n)
{
  double lo = INFINITY, hi = -INFINITY;
  for (size_t r = 0; r < n; r++) {
    if (isnan(values[r]))
      continue;
    lo = fmin(lo, values[r]);
    hi = fmax(hi, values[r]);
  }
  return lo <= hi ? hi - lo : NAN;
}
