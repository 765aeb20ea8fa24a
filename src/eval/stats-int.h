/* Internal pieces shared by the rank-based statistics (stats_mwu.c,
 * stats_effect.c): mid-ranks of two samples pooled together, and the
 * exact null distribution of the Mann-Whitney U statistic. */
#ifndef L4P_EVAL_STATS_INT_H
#define L4P_EVAL_STATS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/stats.h"

/* What the rank-based statistics need from the pooled sample x + y. */
struct l4p__ranksum {
  double r1;       /* sum of the mid-ranks (1-based) of x's values */
  double u1;       /* r1 - nx (nx + 1) / 2: the U statistic of x */
  double tie_term; /* sum over runs of t equal values of t^3 - t */
  bool ties;       /* some value occurs more than once in x + y */
};

/* Rank x (nx values) and y (ny values) together, equal values sharing the
 * mean of their ranks, and fill *out. EUSAGE when a sample is empty or
 * holds a NaN, ENOMEM when out of memory. */
l4p_status l4p__stats_ranksum(const double *x, size_t nx, const double *y,
                              size_t ny, struct l4p__ranksum *out);

/* The exact distribution costs about m n k steps (stats_mwu_exact.c);
 * beyond this many (some seconds) AUTO uses the normal approximation and
 * EXACT refuses. SciPy 1.10 keeps a table of m n k entries for the same
 * recurrence, so it cannot go there either. */
#define L4P__MWU_EXACT_WORK 1e10

/* P(U <= k) for the U statistic of m against n values without ties under
 * the null hypothesis (every ordering equally likely), into *cdf. ENOMEM
 * when out of memory. */
l4p_status l4p__mwu_exact_cdf(size_t m, size_t n, size_t k, double *cdf);

#endif
