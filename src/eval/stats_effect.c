/* Effect sizes that accompany each pairwise rank-sum test in a study:
 * Vargha and Delaney's A12 and Cliff's delta, with the magnitude labels
 * reports print. Both come from the U statistic of the ranks
 * (A12 = U / (nx ny)), so they treat ties exactly as the test does.
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "stats-int.h"
#include "util/banned.h"

/* Names used in reports and JSON. */
const char *l4p_magnitude_name(enum l4p_magnitude mag)
{
  switch (mag) {
  case L4P_MAG_NEGLIGIBLE:
    return "negligible";
  case L4P_MAG_SMALL:
    return "small";
  case L4P_MAG_MEDIUM:
    return "medium";
  case L4P_MAG_LARGE:
    return "large";
  }
  return "unknown";
}

/* Vargha and Delaney (2000), section 6: A = .56, .64, .71 correspond to
 * Cohen's small, medium, large d (.2, .5, .8) under normality; the scale
 * is symmetric about .5 because swapping x and y maps A to 1 - A. The
 * comparisons are on A itself (not |A - .5|) so that a value computed as
 * one division lands on the right side of an exact threshold. */
enum l4p_magnitude l4p_stats_a12_magnitude(double a12)
{
  if (a12 >= 0.71 || a12 <= 0.29)
    return L4P_MAG_LARGE;
  if (a12 >= 0.64 || a12 <= 0.36)
    return L4P_MAG_MEDIUM;
  if (a12 >= 0.56 || a12 <= 0.44)
    return L4P_MAG_SMALL;
  return L4P_MAG_NEGLIGIBLE;
}

/* Romano, Kromrey, Coraggio and Skowronek (2006): thresholds for |delta|
 * translated from Cohen's d under normality. */
enum l4p_magnitude l4p_stats_delta_magnitude(double delta)
{
  double d = fabs(delta);
  if (d < 0.147)
    return L4P_MAG_NEGLIGIBLE;
  if (d < 0.33)
    return L4P_MAG_SMALL;
  if (d < 0.474)
    return L4P_MAG_MEDIUM;
  return L4P_MAG_LARGE;
}

/* U counts the pairs with x > y plus half the ties, so A12 = U / (nx ny)
 * and delta = (2U - nx ny) / (nx ny); 2U is an integer, each is a single
 * rounding. */
l4p_status l4p_stats_effect(const double *x, size_t nx, const double *y,
                            size_t ny, struct l4p_effect *res)
{
  struct l4p__ranksum r;
  l4p_status st = l4p__stats_ranksum(x, nx, y, ny, &r);
  if (st != L4P_OK)
    return st;
  double pairs = (double)nx * (double)ny;
  res->a12 = r.u1 / pairs;
  res->delta = (2 * r.u1 - pairs) / pairs;
  res->a12_mag = l4p_stats_a12_magnitude(res->a12);
  res->delta_mag = l4p_stats_delta_magnitude(res->delta);
  return L4P_OK;
}
