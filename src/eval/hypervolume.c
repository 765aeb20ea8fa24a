/* Hypervolume of a set of minimised objective vectors and Pareto-front
 * extraction: how studies and tests score the configurations a sampler
 * measured. Exact by slicing: the last objective cuts the dominated region
 * into slabs, each the (m-1)-dimensional hypervolume of the points below
 * it, down to a sweep in two dimensions. Only points that are not
 * dominated within a slab are kept, which keeps slabs small in practice.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/hypervolume.h"
#include "util/failf.h"
#include "util/banned.h"

/* Stable merge sort of row pointers by coordinate key, ascending. */
static void sort_rows(const double **rows, const double **tmp, size_t n,
                      size_t key)
{
  if (n < 2)
    return;
  size_t half = n / 2;
  sort_rows(rows, tmp, half, key);
  sort_rows(rows + half, tmp, n - half, key);
  size_t a = 0, b = half, k = 0;
  while (a < half && b < n)
    tmp[k++] = rows[b][key] < rows[a][key] ? rows[b++] : rows[a++];
  while (a < half)
    tmp[k++] = rows[a++];
  while (b < n)
    tmp[k++] = rows[b++];
  memcpy(rows, tmp, n * sizeof *rows);
}

/* Does a weakly dominate b in the first m objectives? */
static bool covers(const double *a, const double *b, size_t m)
{
  for (size_t j = 0; j < m; j++)
    if (a[j] > b[j])
      return false;
  return true;
}

/* Two objectives: sweep by the first, the second's best so far bounds
 * each new rectangle. rows is reordered. */
static double sweep2(const double **rows, const double **tmp, size_t n,
                     const double *ref)
{
  sort_rows(rows, tmp, n, 0);
  double vol = 0, best = ref[1];
  for (size_t k = 0; k < n; k++)
    if (rows[k][1] < best) {
      vol += (ref[0] - rows[k][0]) * (best - rows[k][1]);
      best = rows[k][1];
    }
  return vol;
}

static l4p_status slice(const double **rows, size_t n, size_t m,
                        const double *ref, double *volume);

/* m >= 3: slabs along objective m-1 between consecutive points. */
static l4p_status slabs(const double **rows, const double **tmp, size_t n,
                        size_t m, const double *ref, double *volume)
{
  const double **active = malloc(n * sizeof *active);
  if (!active)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  sort_rows(rows, tmp, n, m - 1);
  size_t n_active = 0;
  double vol = 0;
  l4p_status st = L4P_OK;
  for (size_t k = 0; k < n && !st; k++) {
    const double *p = rows[k];
    bool useless = false;
    for (size_t a = 0; a < n_active && !useless; a++)
      useless = covers(active[a], p, m - 1);
    if (!useless) {
      size_t kept = 0;
      for (size_t a = 0; a < n_active; a++)
        if (!covers(p, active[a], m - 1))
          active[kept++] = active[a];
      active[kept++] = p;
      n_active = kept;
    }
    double top = k + 1 < n ? rows[k + 1][m - 1] : ref[m - 1];
    double depth = top - p[m - 1];
    if (depth > 0) {
      double area;
      memcpy(tmp, active, n_active * sizeof *active);
      if (!(st = slice(tmp, n_active, m - 1, ref, &area)))
        vol += depth * area;
    }
  }
  free(active);
  *volume = vol;
  return st;
}

/* Hypervolume of rows (all strictly inside ref) in the first m objectives.
 * rows is reordered. */
static l4p_status slice(const double **rows, size_t n, size_t m,
                        const double *ref, double *volume)
{
  *volume = 0;
  if (n == 0)
    return L4P_OK;
  if (m == 1) {
    double best = rows[0][0];
    for (size_t k = 1; k < n; k++)
      best = fmin(best, rows[k][0]);
    *volume = ref[0] - best;
    return L4P_OK;
  }
  const double **tmp = malloc(n * sizeof *tmp);
  if (!tmp)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  if (m == 2)
    *volume = sweep2(rows, tmp, n, ref);
  else
    st = slabs(rows, tmp, n, m, ref, volume);
  free(tmp);
  return st;
}

l4p_status l4p_hypervolume(const double *points, size_t n, size_t m,
                           const double *ref, double *volume)
{
  *volume = 0;
  if (m == 0)
    return l4p_failf(L4P_EUSAGE, "hypervolume needs at least one objective");
  for (size_t j = 0; j < m; j++)
    if (!isfinite(ref[j]))
      return l4p_failf(L4P_EUSAGE,
                       "hypervolume: reference point "
                       "coordinate %zu is not finite",
                       j);
  const double **rows = malloc((n ? n : 1) * sizeof *rows);
  if (!rows)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t used = 0;
  for (size_t k = 0; k < n; k++) {
    const double *p = points + k * m;
    bool inside = true;
    for (size_t j = 0; j < m && inside; j++)
      inside = p[j] < ref[j]; /* false for NaN */
    if (inside)
      rows[used++] = p;
  }
  l4p_status st = slice(rows, used, m, ref, volume);
  free(rows);
  return st;
}

size_t l4p_pareto_front(const double *points, size_t n, size_t m, size_t *idx)
{
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    const double *p = points + i * m;
    bool keep = true;
    for (size_t j = 0; j < m && keep; j++)
      keep = !isnan(p[j]);
    for (size_t k = 0; k < n && keep; k++) {
      const double *q = points + k * m;
      if (k == i)
        continue;
      bool no_worse = true, better = false, has_nan = false;
      for (size_t j = 0; j < m; j++) {
        has_nan |= isnan(q[j]);
        no_worse &= q[j] <= p[j];
        better |= q[j] < p[j];
      }
      keep = has_nan || !(no_worse && better);
    }
    if (keep)
      idx[count++] = i;
  }
  return count;
}
