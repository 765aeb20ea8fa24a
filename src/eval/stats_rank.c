/* Mid-ranks of two pooled samples: the common ground of the Wilcoxon
 * rank-sum test and of A12 / Cliff's delta (which are U / (nx ny)
 * rescaled), so both agree on how ties count.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>

#include "stats-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* EUSAGE unless the sample has values and none is NaN. */
static l4p_status check_sample(const double *v, size_t n, const char *name)
{
  if (n == 0)
    return l4p_failf(L4P_EUSAGE, "sample '%s' is empty", name);
  for (size_t i = 0; i < n; i++)
    if (isnan(v[i]))
      return l4p_failf(L4P_EUSAGE, "sample '%s': value %zu is NaN", name, i);
  return L4P_OK;
}

/* Sort the pooled values, then walk runs of equal values: a run covering
 * sorted positions [a, b) shares the rank (a + 1 + b) / 2, exact in
 * doubles since it is a multiple of 1/2. */
l4p_status l4p__stats_ranksum(const double *x, size_t nx, const double *y,
                              size_t ny, struct l4p__ranksum *out)
{
  l4p_status st = check_sample(x, nx, "x");
  if (st == L4P_OK)
    st = check_sample(y, ny, "y");
  if (st != L4P_OK)
    return st;
  size_t n = nx + ny;
  double *v = malloc(n * sizeof *v);
  size_t *idx = malloc(n * sizeof *idx);
  if (!v || !idx) {
    free(v);
    free(idx);
    return l4p_failf(L4P_ENOMEM, "ranking %zu values: out of memory", n);
  }
  for (size_t i = 0; i < nx; i++)
    v[i] = x[i];
  for (size_t i = 0; i < ny; i++)
    v[nx + i] = y[i];
  gsl_sort_index(idx, v, 1, n);
  out->r1 = 0;
  out->tie_term = 0;
  out->ties = false;
  for (size_t a = 0, b; a < n; a = b) {
    for (b = a + 1; b < n && v[idx[b]] == v[idx[a]]; b++)
      ;
    double rank = (double)(a + 1 + b) / 2, t = (double)(b - a);
    for (size_t i = a; i < b; i++)
      if (idx[i] < nx)
        out->r1 += rank;
    if (b - a > 1) {
      out->ties = true;
      out->tie_term += t * t * t - t;
    }
  }
  out->u1 = out->r1 - (double)nx * (double)(nx + 1) / 2;
  free(v);
  free(idx);
  return L4P_OK;
}
