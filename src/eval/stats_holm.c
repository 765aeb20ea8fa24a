/* Holm's (1979) step-down correction, applied by a study to the family of
 * pairwise rank-sum p-values of one scenario so that the chance of any
 * false "significant" stays below the level (docs/STATISTICS.md).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>

#include "llm4perf/stats.h"
#include "util/failf.h"
#include "util/banned.h"

/* With p sorted ascending, the i-th (0-based) is multiplied by n - i; a
 * running maximum makes the result monotone, and 1 caps it. Equal
 * p-values end equal whatever their order: the larger multiplier comes
 * first and the maximum carries it. adj may alias p: each position is
 * read once, just before it is written. */
l4p_status l4p_stats_holm(const double *p, size_t n, double *adj)
{
  for (size_t i = 0; i < n; i++)
    if (!(p[i] >= 0 && p[i] <= 1))
      return l4p_failf(L4P_EUSAGE,
                       "holm: p-value %zu is %g, not in "
                       "[0, 1]",
                       i, p[i]);
  if (n == 0)
    return L4P_OK;
  size_t *idx = malloc(n * sizeof *idx);
  if (!idx)
    return l4p_failf(L4P_ENOMEM, "holm: %zu p-values: out of memory", n);
  gsl_sort_index(idx, p, 1, n);
  double run = 0;
  for (size_t i = 0; i < n; i++) {
    run = fmax(run, fmin(1, (double)(n - i) * p[idx[i]]));
    adj[idx[i]] = run;
  }
  free(idx);
  return L4P_OK;
}
