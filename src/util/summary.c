/* Median and relative standard deviation of repetitions (summary.h). The
 * median, not the mean, stands for a repeated measurement: one run slowed
 * by another process on the machine must not move it.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "summary.h"
#include "banned.h"

static int compare(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* See summary.h. */
double l4px_median(double *v, size_t n)
{
  if (n == 0)
    return NAN;
  qsort(v, n, sizeof *v, compare);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* See summary.h. Two passes, so large equal values give exactly 0. */
double l4px_rsd(const double *v, size_t n)
{
  if (n == 0)
    return NAN;
  double mean = 0;
  for (size_t k = 0; k < n; k++)
    mean += v[k];
  mean /= (double)n;
  if (mean == 0)
    return NAN;
  if (n == 1)
    return 0;
  double ss = 0;
  for (size_t k = 0; k < n; k++)
    ss += (v[k] - mean) * (v[k] - mean);
  return sqrt(ss / (double)(n - 1)) / fabs(mean);
}
