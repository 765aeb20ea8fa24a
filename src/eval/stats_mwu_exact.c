/* The exact null distribution of the Mann-Whitney U statistic, for the
 * rank-sum test on small samples without ties (stats_mwu.c). Under the
 * null hypothesis every interleaving of the m + n values is equally
 * likely; U counts the pairs in which the x value is the larger one.
 *
 * Recurrence (Mann and Whitney 1947; Di Bucchianico 1999, Theorem 2.5),
 * written with probabilities instead of counts so that nothing overflows
 * for large samples and every step adds two non-negative terms: look at
 * the largest of the m + n values. With probability m / (m + n) it is an
 * x, which beats all n y values; otherwise it is a y, which beats none:
 *   p(m, n, k) = m/(m+n) p(m-1, n, k-n) + n/(m+n) p(m, n-1, k)
 *   p(0, n, k) = p(m, 0, k) = [k == 0].
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>

#include "stats-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Only P(U <= k) is needed, so rows are cut at k: row j holds p(j, c, .)
 * for the current column c = 0..n, updated in place from row j - 1 (which
 * is already at column c) and its own previous column. U's distribution
 * is the same for (m, n) and (n, m), so m is made the smaller: memory
 * (m + 1)(k + 1) doubles, time about m n k. */
l4p_status l4p__mwu_exact_cdf(size_t m, size_t n, size_t k, double *cdf)
{
  if (m > n) {
    size_t t = m;
    m = n;
    n = t;
  }
  if (m == 0 || k >= m * n) {
    *cdf = 1;
    return L4P_OK;
  }
  size_t w = k + 1;
  if (m + 1 > SIZE_MAX / sizeof(double) / w)
    return l4p_failf(L4P_ENOMEM,
                     "exact U distribution for %zu x %zu "
                     "values: too large",
                     m, n);
  double *p = calloc((m + 1) * w, sizeof *p);
  if (!p)
    return l4p_failf(L4P_ENOMEM,
                     "exact U distribution for %zu x %zu "
                     "values: out of memory",
                     m, n);
  for (size_t j = 0; j <= m; j++)
    p[j * w] = 1; /* column 0: no y value, U is 0 */
  for (size_t c = 1; c <= n; c++)
    for (size_t j = 1; j <= m; j++) {
      double wx = (double)j / (double)(j + c), wy = (double)c / (double)(j + c);
      double *row = p + j * w;
      const double *below = p + (j - 1) * w;
      size_t top = j * c < k ? j * c : k; /* U <= j c */
      for (size_t u = 0; u <= top; u++)
        row[u] = wy * row[u] + (u >= c ? wx * below[u - c] : 0);
    }
  double sum = 0;
  for (size_t u = 0; u <= k; u++)
    sum += p[m * w + u];
  free(p);
  *cdf = sum < 1 ? sum : 1;
  return L4P_OK;
}
