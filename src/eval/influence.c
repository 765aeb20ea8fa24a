/* Eta squared per option (include/llm4perf/influence.h): the share of an
 * objective's variance over a table that grouping the rows by one
 * option's value explains. A one-way ANOVA's effect size, used by the
 * report to show which options matter before anyone prunes them; wide
 * numeric domains are binned by quantiles so that a continuous option is
 * not credited with explaining everything by giving each row its own
 * group.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/influence.h"
#include "util/failf.h"
#include "util/banned.h"

struct pair {
  double key, y;
};

static int by_key(const void *a, const void *b)
{
  double x = ((const struct pair *)a)->key, y = ((const struct pair *)b)->key;
  return (x > y) - (x < y);
}

static int by_value(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Replace each key by its quantile bin when the keys hold more than
 * L4P_INFLUENCE_BINS distinct values (see influence.h for the edges). */
static l4p_status bin_keys(struct pair *p, size_t n)
{
  double *xs = malloc(n * sizeof *xs);
  if (!xs)
    return l4p_failf(L4P_ENOMEM, "out of memory computing influence");
  for (size_t k = 0; k < n; k++)
    xs[k] = p[k].key;
  qsort(xs, n, sizeof *xs, by_value);
  size_t distinct = 1;
  for (size_t k = 1; k < n; k++)
    distinct += xs[k] != xs[k - 1];
  if (distinct > L4P_INFLUENCE_BINS) {
    double edge[L4P_INFLUENCE_BINS - 1];
    for (size_t b = 1; b < L4P_INFLUENCE_BINS; b++)
      edge[b - 1] = xs[n * b / L4P_INFLUENCE_BINS];
    for (size_t k = 0; k < n; k++) {
      size_t bin = 0;
      while (bin < L4P_INFLUENCE_BINS - 1 && p[k].key >= edge[bin])
        bin++;
      p[k].key = (double)bin;
    }
  }
  free(xs);
  return L4P_OK;
}

/* Between-group over total sum of squares of pairs sorted by key. */
static double ratio(const struct pair *p, size_t n)
{
  double mean = 0, total = 0, between = 0;
  for (size_t k = 0; k < n; k++)
    mean += p[k].y;
  mean /= (double)n;
  for (size_t k = 0; k < n; k++)
    total += (p[k].y - mean) * (p[k].y - mean);
  for (size_t start = 0, end; start < n; start = end) {
    double sum = 0;
    for (end = start; end < n && p[end].key == p[start].key; end++)
      sum += p[end].y;
    double g = sum / (double)(end - start) - mean;
    between += (double)(end - start) * g * g;
  }
  if (!(total > 0))
    return 0;
  double r = between / total;
  return r < 0 ? 0 : r > 1 ? 1 : r;
}

/* See influence.h. */
l4p_status l4p_influence_eta2(const double *x, const double *y, size_t n,
                              bool numeric, double *eta2)
{
  *eta2 = 0;
  struct pair *p = malloc((n ? n : 1) * sizeof *p);
  if (!p)
    return l4p_failf(L4P_ENOMEM, "out of memory computing influence");
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (isfinite(x[k]) && isfinite(y[k]))
      p[m++] = (struct pair){x[k], y[k]};
  l4p_status s = L4P_OK;
  if (m >= 2 && numeric)
    s = bin_keys(p, m);
  if (!s && m >= 2) {
    qsort(p, m, sizeof *p, by_key);
    *eta2 = ratio(p, m);
  }
  free(p);
  return s;
}

/* See influence.h. */
l4p_status l4p_influence_table(const struct l4p_spec *spec,
                               const struct l4p_table *table, size_t objective,
                               double *eta2)
{
  if (objective >= table->n_objectives || objective >= spec->n_objectives)
    return l4p_failf(L4P_EUSAGE, "influence: objective %zu out of range",
                     objective);
  size_t n = table->n_rows, n_opt = table->n_options;
  double *x = malloc((n ? n : 1) * sizeof *x);
  double *y = malloc((n ? n : 1) * sizeof *y);
  l4p_status s = x && y ? L4P_OK
                        : l4p_failf(L4P_ENOMEM, "out of memory computing "
                                                "influence");
  for (size_t r = 0; !s && r < n; r++)
    y[r] = table->values[r * table->n_objectives + objective];
  for (size_t i = 0; !s && i < n_opt; i++) {
    const struct l4p_option *o = l4p_space_option(spec->space, i);
    for (size_t r = 0; r < n; r++)
      x[r] = table->configs[r * n_opt + i];
    s = l4p_influence_eta2(
        x, y, n, o->type == L4P_OPT_INT || o->type == L4P_OPT_FLOAT, &eta2[i]);
  }
  free(x);
  free(y);
  return s;
}
