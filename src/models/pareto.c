/* The Pareto filter: which rows of an objective matrix no other row
 * dominates, each objective minimised or maximised as its goal says.
 * Used on predicted values by l4p_mo_pareto (mo.c).
 * SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdlib.h>

#include "model-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* qsort has no context argument: the comparison reads these. */
struct order {
  const double *values;
  size_t m;
  const enum l4p_goal *goals;
};
static _Thread_local const struct order *order_ctx;

/* Objective j of row r as a cost (maximised objectives negated). */
static double cost(const struct order *o, size_t r, size_t j)
{
  double v = o->values[r * o->m + j];
  return o->goals[j] == L4P_MAXIMIZE ? -v : v;
}

/* Lexicographic order of the cost vectors, then row index. */
static int by_cost(const void *pa, const void *pb)
{
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  for (size_t j = 0; j < order_ctx->m; j++) {
    double ca = cost(order_ctx, a, j), cb = cost(order_ctx, b, j);
    if (ca != cb)
      return ca < cb ? -1 : 1;
  }
  return a < b ? -1 : a > b;
}

/* Does row a dominate row b: no worse in every objective, better in one? */
static bool dominates(const struct order *o, size_t a, size_t b)
{
  bool better = false;
  for (size_t j = 0; j < o->m; j++) {
    double ca = cost(o, a, j), cb = cost(o, b, j);
    if (ca > cb)
      return false;
    if (ca < cb)
      better = true;
  }
  return better;
}

static int by_index(const void *pa, const void *pb)
{
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  return a < b ? -1 : a > b;
}

/* See model-int.h. After a lexicographic sort of the costs a row can only
 * be dominated by an earlier one, and if a dominated row dominates it so
 * does a front row (dominance is transitive), so each row is checked
 * against the front found so far: O(n log n + n * front * m). */
l4p_status l4p__pareto_front(const double *values, size_t n, size_t m,
                             const enum l4p_goal *goals, size_t *idx,
                             size_t *n_idx)
{
  *n_idx = 0;
  if (n == 0)
    return L4P_OK;
  size_t *sorted = malloc(n * sizeof *sorted);
  if (!sorted)
    return l4p_failf(L4P_ENOMEM, "out of memory computing a Pareto front");
  struct order o = {values, m, goals};
  for (size_t r = 0; r < n; r++)
    sorted[r] = r;
  order_ctx = &o;
  qsort(sorted, n, sizeof *sorted, by_cost);
  order_ctx = NULL;
  size_t front = 0;
  for (size_t k = 0; k < n; k++) {
    bool dominated = false;
    for (size_t f = 0; !dominated && f < front; f++)
      dominated = dominates(&o, idx[f], sorted[k]);
    if (!dominated)
      idx[front++] = sorted[k];
  }
  qsort(idx, front, sizeof *idx, by_index);
  free(sorted);
  *n_idx = front;
  return L4P_OK;
}
