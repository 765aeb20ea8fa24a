/* The predicted-Pareto-front score of a study cell (docs/STUDY.md,
 * "Hypervolume ratio"): the configurations the models predict to be
 * Pareto optimal, judged by their TRUE objective values. Objectives become
 * costs (maximised ones negated) normalised by the table's best and worst
 * values, so the reference point is the table's worst value of each
 * objective plus 10% of its range, the same for every cell of a system.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/hypervolume.h"
#include "study-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* The reference point in normalised units: worst = 1, plus 10%, so that a
 * configuration holding the table's worst value of one objective still
 * adds its share along the others. */
#define FRONT_REF 1.1

/* Normalised cost of value v of studied objective j. NaN stays NaN. */
static double norm_cost(const struct l4p__study_front *f, size_t j, double v)
{
  double c = f->maximize[j] ? -v : v;
  return (c - f->best[j]) * f->scale[j];
}

/* Hypervolume of the rows listed in rows (n of them) by true values. */
static l4p_status true_volume(const struct l4p__study_front *f,
                              const size_t *rows, size_t n, double *hv)
{
  double *pts = malloc((n ? n : 1) * f->m * sizeof *pts);
  if (!pts)
    return l4p_failf(L4P_ENOMEM, "out of memory scoring a front");
  for (size_t k = 0; k < n; k++)
    for (size_t j = 0; j < f->m; j++)
      pts[k * f->m + j] =
          norm_cost(f, j, f->values[rows[k] * f->n_all + f->obj[j]]);
  l4p_status s = l4p_hypervolume(pts, n, f->m, f->ref, hv);
  free(pts);
  return s;
}

/* The Pareto rows of the normalised costs costs (n_rows x m) into a new
 * array *rows of *n. */
static l4p_status pareto_rows(const struct l4p__study_front *f,
                              const double *costs, size_t **rows, size_t *n)
{
  *rows = malloc((f->n_rows ? f->n_rows : 1) * sizeof **rows);
  if (!*rows)
    return l4p_failf(L4P_ENOMEM, "out of memory scoring a front");
  *n = l4p_pareto_front(costs, f->n_rows, f->m, *rows);
  return L4P_OK;
}

/* See study-int.h. obj is borrowed and must outlive f. */
l4p_status l4p__study_front_init(struct l4p__study_front *f,
                                 const struct l4p_spec *spec,
                                 const struct l4p_table *table,
                                 const size_t *obj, size_t m)
{
  memset(f, 0, sizeof *f);
  f->n_rows = table->n_rows;
  f->m = m;
  f->values = table->values;
  f->n_all = table->n_objectives;
  f->obj = obj;
  f->maximize = calloc(m, sizeof *f->maximize);
  f->best = calloc(m, sizeof *f->best);
  f->scale = calloc(m, sizeof *f->scale);
  f->ref = calloc(m, sizeof *f->ref);
  double *costs = malloc((f->n_rows ? f->n_rows : 1) * m * sizeof *costs);
  if (!f->maximize || !f->best || !f->scale || !f->ref || !costs) {
    free(costs);
    l4p__study_front_release(f);
    return l4p_failf(L4P_ENOMEM, "out of memory scoring a front");
  }
  for (size_t j = 0; j < m; j++) {
    f->maximize[j] = spec->objectives[obj[j]].goal == L4P_MAXIMIZE;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < f->n_rows; r++) {
      double v = f->values[r * f->n_all + obj[j]];
      double c = f->maximize[j] ? -v : v;
      if (isfinite(c)) {
        lo = fmin(lo, c);
        hi = fmax(hi, c);
      }
    }
    f->best[j] = isfinite(lo) ? lo : 0;
    f->scale[j] = isfinite(lo) && hi > lo ? 1 / (hi - lo) : 1;
    f->ref[j] = FRONT_REF;
  }
  for (size_t r = 0; r < f->n_rows; r++)
    for (size_t j = 0; j < m; j++)
      costs[r * m + j] = norm_cost(f, j, f->values[r * f->n_all + obj[j]]);
  size_t *rows = NULL, n = 0;
  l4p_status s = pareto_rows(f, costs, &rows, &n);
  if (!s)
    s = true_volume(f, rows, n, &f->hv_true);
  if (!s)
    free(rows);
  free(costs);
  if (s)
    l4p__study_front_release(f);
  return s;
}

/* Free what front_init allocated; a zeroed front is fine. */
void l4p__study_front_release(struct l4p__study_front *f)
{
  free(f->maximize);
  free(f->best);
  free(f->scale);
  free(f->ref);
  f->maximize = NULL;
  f->best = f->scale = f->ref = NULL;
}

/* See study-int.h. */
l4p_status l4p__study_front_ratio(const struct l4p__study_front *f,
                                  const double *pred, double *ratio,
                                  size_t **front, size_t *n_front)
{
  *ratio = NAN;
  if (front)
    *front = NULL;
  *n_front = 0;
  double *costs = malloc((f->n_rows ? f->n_rows : 1) * f->m * sizeof *costs);
  if (!costs)
    return l4p_failf(L4P_ENOMEM, "out of memory scoring a front");
  for (size_t r = 0; r < f->n_rows; r++)
    for (size_t j = 0; j < f->m; j++)
      costs[r * f->m + j] = norm_cost(f, j, pred[r * f->m + j]);
  size_t *rows = NULL, n = 0;
  double hv = 0;
  l4p_status s = pareto_rows(f, costs, &rows, &n);
  free(costs);
  if (s)
    return s;
  if ((s = true_volume(f, rows, n, &hv))) {
    free(rows);
    return s;
  }
  if (f->hv_true > 0)
    *ratio = hv / f->hv_true;
  *n_front = n;
  if (front)
    *front = rows;
  else
    free(rows);
  return L4P_OK;
}
