/* Scott-Knott ESD: the ranking of samplers per scenario in a study
 * (METHOD.md, "Evaluation protocol"). Version 1 of Tantithamthavorn et al.
 * (TSE 2017): optionally log(1 + x) against skew, then the original
 * Scott-Knott (1974) clustering of the treatment means, then adjacent
 * groups whose Cohen's d is negligible merged. docs/STATISTICS.md has the
 * formulas.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>

#include "llm4perf/stats.h"
#include "util/failf.h"
#include "util/banned.h"

struct treatment {
  double mean;
  size_t id;
};

struct sk {
  const double *t; /* transformed values, treatment after treatment */
  const size_t *counts;
  const size_t *start;  /* start[id]: offset of treatment id in t */
  struct treatment *tr; /* sorted by mean, best first */
  double s2, nu;        /* variance of a treatment mean and its df */
  double alpha;
  size_t *first; /* first[g]: position in tr where group g starts */
  size_t n_groups;
};

/* Ascending mean, ties in the order given: the result never depends on
 * the sort algorithm. */
static int by_mean(const void *a, const void *b)
{
  const struct treatment *x = a, *y = b;
  if (x->mean != y->mean)
    return x->mean < y->mean ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Scott and Knott's test on tr[lo, hi) (k = hi - lo means ybar_i): the
 * cut maximising B = k1 (mean1 - ybar)^2 + k2 (mean2 - ybar)^2, first one
 * on ties; sigma0^2 = (sum (ybar_i - ybar)^2 + nu s2) / (k + nu) pools the
 * spread of these means with the error of a mean; lambda = pi / (2 (pi -
 * 2)) B / sigma0^2 is about chi-square with k / (pi - 2) df when all the
 * means are equal. Splits where p < alpha, recursively, left first, so
 * groups come out in order. */
static void split(struct sk *s, size_t lo, size_t hi)
{
  size_t k = hi - lo, best = 0;
  double total = 0, b0 = 0, spread = 0;
  for (size_t i = lo; i < hi; i++)
    total += s->tr[i].mean;
  double ybar = total / (double)k, left = 0;
  for (size_t i = lo; i < hi; i++)
    spread += (s->tr[i].mean - ybar) * (s->tr[i].mean - ybar);
  for (size_t c = lo + 1; c < hi; c++) {
    left += s->tr[c - 1].mean;
    double k1 = (double)(c - lo), k2 = (double)(hi - c);
    double m1 = left / k1 - ybar, m2 = (total - left) / k2 - ybar;
    double b = k1 * m1 * m1 + k2 * m2 * m2;
    if (b > b0) {
      b0 = b;
      best = c;
    }
  }
  double sigma2 = (spread + s->nu * s->s2) / ((double)k + s->nu);
  if (best && sigma2 > 0) {
    double lambda = M_PI / (2 * (M_PI - 2)) * b0 / sigma2;
    if (gsl_cdf_chisq_Q(lambda, (double)k / (M_PI - 2)) < s->alpha) {
      split(s, lo, best);
      split(s, best, hi);
      return;
    }
  }
  s->first[s->n_groups++] = lo;
}

/* Count, mean and sum of squared deviations of the observations of the
 * treatments tr[lo, hi) pooled. */
static void pooled(const struct sk *s, size_t lo, size_t hi, double *n,
                   double *mean, double *ss)
{
  double sum = 0, cnt = 0, dev = 0;
  for (size_t i = lo; i < hi; i++) {
    size_t id = s->tr[i].id;
    for (size_t j = 0; j < s->counts[id]; j++)
      sum += s->t[s->start[id] + j];
    cnt += (double)s->counts[id];
  }
  for (size_t i = lo; i < hi; i++) {
    size_t id = s->tr[i].id;
    for (size_t j = 0; j < s->counts[id]; j++) {
      double d = s->t[s->start[id] + j] - sum / cnt;
      dev += d * d;
    }
  }
  *n = cnt;
  *mean = sum / cnt;
  *ss = dev;
}

/* Cohen's d of tr[a, b) against tr[b, c): difference of the pooled means
 * over the pooled standard deviation sqrt((ss_a + ss_b) / (n_a + n_b -
 * 2)). No spread at all gives 0 for equal means, infinity otherwise. */
static double cohen_d(const struct sk *s, size_t a, size_t b, size_t c)
{
  double na, ma, sa, nb, mb, sb;
  pooled(s, a, b, &na, &ma, &sa);
  pooled(s, b, c, &nb, &mb, &sb);
  double diff = fabs(ma - mb);
  double sd = na + nb > 2 ? sqrt((sa + sb) / (na + nb - 2)) : 0;
  if (sd > 0)
    return diff / sd;
  return diff > 0 ? INFINITY : 0;
}

/* Walk the groups best first; a group whose d against the current group
 * (grown by earlier merges) is negligible joins it. Returns the number of
 * groups left; first[] is compacted. */
static size_t merge(struct sk *s, double negligible_d)
{
  size_t kept = 1, k = s->first[s->n_groups]; /* first[n_groups] = k */
  for (size_t g = 1; g < s->n_groups; g++) {
    size_t end = g + 1 < s->n_groups ? s->first[g + 1] : k;
    if (!(cohen_d(s, s->first[kept - 1], s->first[g], end) < negligible_d))
      s->first[kept++] = s->first[g];
  }
  s->first[kept] = k;
  return kept;
}

/* rank[id] = 1 + the group holding id. */
static void write_ranks(const struct sk *s, size_t n_groups, int *rank)
{
  for (size_t g = 0; g < n_groups; g++)
    for (size_t i = s->first[g]; i < s->first[g + 1]; i++)
      rank[s->tr[i].id] = (int)g + 1;
}

/* Check and transform the values into t: log(1 + x) first, negation when
 * higher is better, so the rest always ranks the lowest mean first. */
static l4p_status transform(const double *values, size_t n,
                            const struct l4p_skesd_opts *o, double *t)
{
  for (size_t i = 0; i < n; i++) {
    double v = values[i];
    if (!isfinite(v))
      return l4p_failf(L4P_EUSAGE, "scott-knott: value %zu is %g", i, v);
    if (o->log_transform && !(v > -1))
      return l4p_failf(L4P_EDOMAIN,
                       "scott-knott: value %zu is %g, but "
                       "log(1 + x) needs x > -1",
                       i, v);
    v = o->log_transform ? log1p(v) : v;
    t[i] = o->higher_is_better ? -v : v;
  }
  return L4P_OK;
}

/* The error of one treatment mean: the within-treatment mean square (the
 * ANOVA error, nu = N - k df) times the mean of 1 / counts[t], i.e. MSE
 * over the harmonic mean of the repetitions (MSE / r when all have r).
 * Without replication (nu = 0) only the spread of the means is left. */
static void error_term(struct sk *s, size_t k, size_t total)
{
  double ss = 0, inv = 0;
  for (size_t id = 0; id < k; id++) {
    const double *v = s->t + s->start[id];
    double mean = 0;
    for (size_t j = 0; j < s->counts[id]; j++)
      mean += v[j];
    mean /= (double)s->counts[id];
    for (size_t j = 0; j < s->counts[id]; j++)
      ss += (v[j] - mean) * (v[j] - mean);
    s->tr[id] = (struct treatment){.mean = mean, .id = id};
    inv += 1 / (double)s->counts[id];
  }
  s->nu = (double)(total - k);
  s->s2 = s->nu > 0 ? ss / s->nu * inv / (double)k : 0;
}

/* Fill o with the documented defaults. */
void l4p_stats_skesd_defaults(struct l4p_skesd_opts *o)
{
  *o = (struct l4p_skesd_opts){.alpha = 0.05,
                               .negligible_d = 0.2,
                               .log_transform = true,
                               .higher_is_better = false};
}

/* EUSAGE for no treatments, an empty one or options out of range; the
 * number of observations into *total. */
static l4p_status check_args(const size_t *counts, size_t k,
                             const struct l4p_skesd_opts *o, size_t *total)
{
  if (k == 0)
    return l4p_failf(L4P_EUSAGE, "scott-knott: no treatments");
  if (!(o->alpha > 0 && o->alpha < 1))
    return l4p_failf(L4P_EUSAGE, "scott-knott: alpha %g is not in (0, 1)",
                     o->alpha);
  if (!(o->negligible_d >= 0 && isfinite(o->negligible_d)))
    return l4p_failf(L4P_EUSAGE,
                     "scott-knott: negligible d %g is not a "
                     "finite value >= 0",
                     o->negligible_d);
  *total = 0;
  for (size_t id = 0; id < k; id++) {
    if (counts[id] == 0)
      return l4p_failf(L4P_EUSAGE,
                       "scott-knott: treatment %zu has no "
                       "observations",
                       id);
    *total += counts[id];
  }
  return L4P_OK;
}

/* Check, transform, sort by mean, split, merge, number the groups. All
 * scratch memory is freed before returning. */
l4p_status l4p_stats_skesd(const double *values, const size_t *counts, size_t k,
                           const struct l4p_skesd_opts *opts, int *rank,
                           int *sk_rank)
{
  struct l4p_skesd_opts o;
  if (opts)
    o = *opts;
  else
    l4p_stats_skesd_defaults(&o);
  struct sk s = {.alpha = o.alpha};
  size_t total = 0;
  l4p_status st = check_args(counts, k, &o, &total);
  if (st != L4P_OK)
    return st;
  double *t = malloc(total * sizeof *t);
  size_t *start = malloc(k * sizeof *start);
  size_t *first = malloc((k + 1) * sizeof *first);
  struct treatment *tr = malloc(k * sizeof *tr);
  if (!t || !start || !first || !tr) {
    st = l4p_failf(L4P_ENOMEM, "scott-knott: %zu values: out of memory", total);
    goto out;
  }
  st = transform(values, total, &o, t);
  if (st != L4P_OK)
    goto out;
  for (size_t id = 0, at = 0; id < k; at += counts[id++])
    start[id] = at;
  s.t = t;
  s.counts = counts;
  s.start = start;
  s.tr = tr;
  s.first = first;
  error_term(&s, k, total);
  qsort(tr, k, sizeof *tr, by_mean);
  split(&s, 0, k);
  first[s.n_groups] = k;
  if (sk_rank)
    write_ranks(&s, s.n_groups, sk_rank);
  write_ranks(&s, merge(&s, o.negligible_d), rank);
out:
  free(t);
  free(start);
  free(first);
  free(tr);
  return st;
}
