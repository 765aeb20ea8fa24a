/* Options as a few levels: the unit in which the builtin analyzer counts
 * coverage and fits effects and in which a strategy weighs values. Small
 * domains are their values; large or continuous ones are cut into
 * L4P_AGENT_MAX_LEVELS equal slices (of the value list, or of the range),
 * so weights stay meaningful for an int in [0, 1000] or a float.
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "agent-int.h"
#include "util/banned.h"

#define MAXL L4P_AGENT_MAX_LEVELS

static bool continuous(const struct l4p_option *opt)
{
  return l4p_option_cardinality(opt) == 0;
}

size_t l4p_agent_levels(const struct l4p_option *opt)
{
  size_t c = l4p_option_cardinality(opt);
  if (c == 0)
    return opt->max > opt->min ? MAXL : 1;
  return c <= MAXL ? c : MAXL;
}

/* The value indices [*lo, *hi] of level k of an option with c > MAXL
 * values: those i with floor(i * MAXL / c) == k. */
static void slice(size_t c, size_t k, size_t *lo, size_t *hi)
{
  double per = (double)c / MAXL;
  *lo = (size_t)ceil((double)k * per);
  *hi = (size_t)ceil((double)(k + 1) * per);
  if (*hi > c)
    *hi = c;
  *hi = *hi > *lo ? *hi - 1 : *lo;
}

size_t l4p_agent_level_of(const struct l4p_option *opt, double v)
{
  size_t c = l4p_option_cardinality(opt);
  if (c == 0) {
    if (!(opt->max > opt->min))
      return 0;
    double t = (v - opt->min) / (opt->max - opt->min) * MAXL;
    return t <= 0 ? 0 : t >= MAXL ? MAXL - 1 : (size_t)t;
  }
  size_t i = l4p_option_nearest_index(opt, v);
  if (c <= MAXL)
    return i;
  size_t k = (size_t)((double)i * MAXL / (double)c);
  if (k >= MAXL)
    k = MAXL - 1;
  /* guard the double arithmetic against the slice bounds */
  size_t lo, hi;
  slice(c, k, &lo, &hi);
  if (i < lo && k > 0)
    k--;
  else if (i > hi && k + 1 < MAXL)
    k++;
  return k;
}

double l4p_agent_level_value(const struct l4p_option *opt, size_t k)
{
  size_t c = l4p_option_cardinality(opt);
  if (continuous(opt)) {
    if (!(opt->max > opt->min))
      return opt->min;
    return opt->min + ((double)k + 0.5) * (opt->max - opt->min) / MAXL;
  }
  if (c <= MAXL)
    return l4p_option_value_at(opt, k < c ? k : c - 1);
  size_t lo, hi;
  slice(c, k, &lo, &hi);
  return l4p_option_value_at(opt, lo + (hi - lo) / 2);
}

double l4p_agent_level_draw(const struct l4p_option *opt, size_t k,
                            struct l4p_rng *rng)
{
  size_t c = l4p_option_cardinality(opt);
  if (continuous(opt)) {
    if (!(opt->max > opt->min))
      return opt->min;
    double w = (opt->max - opt->min) / MAXL;
    double v = opt->min + ((double)k + l4p_rng_uniform(rng)) * w;
    return v > opt->max ? opt->max : v;
  }
  if (c <= MAXL)
    return l4p_option_value_at(opt, k < c ? k : c - 1);
  size_t lo, hi;
  slice(c, k, &lo, &hi);
  return l4p_option_value_at(opt, lo + (size_t)l4p_rng_below(rng, hi - lo + 1));
}
