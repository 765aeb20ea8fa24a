/* The numbers of the "Sampler variants" table (variants-int.h): means,
 * ratios to the default variant, variation across repetitions and
 * "best in X of Y" among the variants, from scenario statistics already
 * in summary.json. Pure functions: no I/O, no allocation.
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "variants-int.h"
#include "util/banned.h"

/* See variants-int.h. */
double l4p__mean_finite(const double *x, size_t n)
{
  double sum = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) {
      sum += x[i];
      k++;
    }
  return k ? sum / (double)k : NAN;
}

/* See variants-int.h. The mean of the logs, then exp: the ratio of a
 * scenario where a variant is twice as bad and one where it is half as
 * bad averages to 1, as it should for a ratio. */
double l4p__geo_mean_ratio(const double *num, const double *den, size_t n)
{
  double sum = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(num[i]) && isfinite(den[i]) && num[i] > 0 && den[i] > 0) {
      sum += log(num[i] / den[i]);
      k++;
    }
  return k ? exp(sum / (double)k) : NAN;
}

/* See variants-int.h. */
double l4p__mean_cv(const double *mean, const double *sd, size_t n)
{
  double sum = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(mean[i]) && isfinite(sd[i]) && mean[i] != 0) {
      sum += sd[i] / mean[i];
      k++;
    }
  return k ? sum / (double)k : NAN;
}

/* See variants-int.h. */
void l4p__best_counts(const double *mean, size_t n_var, size_t n_sc,
                      struct l4p__variant_row *rows)
{
  size_t of = 0;
  for (size_t v = 0; v < n_var; v++)
    rows[v].best = 0;
  for (size_t i = 0; i < n_sc; i++) {
    double low = INFINITY;
    for (size_t v = 0; v < n_var; v++)
      if (isfinite(mean[v * n_sc + i]) && mean[v * n_sc + i] < low)
        low = mean[v * n_sc + i];
    if (!isfinite(low))
      continue;
    of++;
    for (size_t v = 0; v < n_var; v++)
      rows[v].best += mean[v * n_sc + i] == low;
  }
  for (size_t v = 0; v < n_var; v++)
    rows[v].of = of;
}

/* See variants-int.h. */
void l4p__variants_compute(const double *mean, const double *sd, size_t n_var,
                           size_t n_sc, size_t def, const double *hv,
                           size_t n_hv, struct l4p__variant_row *rows)
{
  for (size_t v = 0; v < n_var; v++) {
    const double *m = mean + v * n_sc, *s = sd + v * n_sc;
    struct l4p__variant_row *r = &rows[v];
    r->mean = l4p__mean_finite(m, n_sc);
    r->ratio = l4p__geo_mean_ratio(m, mean + def * n_sc, n_sc);
    r->sd = l4p__mean_finite(s, n_sc);
    r->cv = l4p__mean_cv(m, s, n_sc);
    r->hv = l4p__mean_finite(hv + v * n_hv, n_hv);
  }
  l4p__best_counts(mean, n_var, n_sc, rows);
}
