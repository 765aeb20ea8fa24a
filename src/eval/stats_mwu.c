/* The two-sided Wilcoxon rank-sum (Mann-Whitney U) test with which a
 * study compares two samplers' errors over repetitions. It matches
 * scipy.stats.mannwhitneyu (SciPy 1.10, two-sided, continuity corrected):
 * the exact distribution for small samples without ties, otherwise the
 * normal approximation with the tie-corrected variance. Test vectors:
 * tests/data/stats/vectors.json; definitions: docs/STATISTICS.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "stats-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Normal approximation: U has mean nx ny / 2 and, with runs of t tied
 * values, variance nx ny / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1))).
 * The larger of the two U's is moved 1/2 towards the mean (continuity)
 * and its upper tail doubled. All values equal leaves no variance: p 1. */
static double asymptotic_p(const struct l4p__ranksum *r, size_t nx, size_t ny)
{
  double n1 = (double)nx, n2 = (double)ny, n = n1 + n2;
  double var = n1 * n2 / 12 * ((n + 1) - r->tie_term / (n * (n - 1)));
  if (!(var > 0))
    return 1;
  double u = fmax(r->u1, n1 * n2 - r->u1);
  double z = (u - n1 * n2 / 2 - 0.5) / sqrt(var);
  return fmin(1, 2 * gsl_cdf_ugaussian_Q(z));
}

/* Exact: P(U >= max(U1, U2)) = P(U <= min(U1, U2)) by the symmetry of U's
 * distribution about nx ny / 2, doubled and capped at 1. */
static l4p_status exact_p(size_t nx, size_t ny, size_t umin, double *p)
{
  double cdf;
  l4p_status st = l4p__mwu_exact_cdf(nx, ny, umin, &cdf);
  if (st == L4P_OK)
    *p = fmin(1, 2 * cdf);
  return st;
}

/* Rank, choose the method as SciPy's 'auto' does, compute p. */
l4p_status l4p_stats_mannwhitney(const double *x, size_t nx, const double *y,
                                 size_t ny, enum l4p_mwu_method method,
                                 struct l4p_mwu *res)
{
  if (method != L4P_MWU_AUTO && method != L4P_MWU_EXACT &&
      method != L4P_MWU_ASYMPTOTIC)
    return l4p_failf(L4P_EUSAGE, "rank-sum test: unknown method %d",
                     (int)method);
  struct l4p__ranksum r;
  l4p_status st = l4p__stats_ranksum(x, nx, y, ny, &r);
  if (st != L4P_OK)
    return st;
  double pairs = (double)nx * (double)ny;
  double umin = fmin(r.u1, pairs - r.u1); /* an integer without ties */
  bool small = nx <= L4P_MWU_EXACT_MAX || ny <= L4P_MWU_EXACT_MAX;
  bool feasible = pairs * umin <= L4P__MWU_EXACT_WORK; /* n m k steps */
  bool exact = method == L4P_MWU_EXACT ||
               (method == L4P_MWU_AUTO && small && !r.ties && feasible);
  if (exact && r.ties)
    return l4p_failf(L4P_EUSAGE, "rank-sum test: the exact p-value needs "
                                 "samples without ties");
  if (exact && !feasible)
    return l4p_failf(L4P_EUSAGE,
                     "rank-sum test: samples of %zu and %zu "
                     "are too large for the exact p-value",
                     nx, ny);
  res->u = r.u1;
  res->exact = exact;
  if (!exact) {
    res->p = asymptotic_p(&r, nx, ny);
    return L4P_OK;
  }
  return exact_p(nx, ny, (size_t)umin, &res->p);
}
