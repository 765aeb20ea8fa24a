/* The numbers of the llm4perf diagnostics (docs/LLM4PERF.md
 * "Diagnostics"): normalised distances, a batch's diversity and novelty,
 * the generators' agreement in a vote, an option's coverage and the
 * stagnation rule. Pure functions of their arguments, no store and no
 * artefact: llm4perf_diag.c feeds them, the unit tests check them on
 * hand-made data.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf_diag-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* ------------------------------------------------------- distances */

/* b with its non-free values taken from a, so only free options count. */
double l4p__diag_distance(struct l4p__diag_metric *m, const double *a,
                          const double *b)
{
  if (m->n_free == 0)
    return NAN;
  size_t d = l4p_space_n_options(m->space);
  for (size_t i = 0; i < d; i++)
    m->tmp[i] = m->free[i] ? b[i] : a[i];
  return l4p_space_distance(m->space, a, m->tmp) / (double)m->n_free;
}

/* Mean over the pairs (llm4perf_diag-int.h). */
double l4p__diag_diversity(struct l4p__diag_metric *m, const double *cfgs,
                           size_t n)
{
  if (n < 2)
    return NAN;
  size_t d = l4p_space_n_options(m->space);
  double sum = 0;
  for (size_t a = 0; a < n; a++)
    for (size_t b = a + 1; b < n; b++)
      sum += l4p__diag_distance(m, cfgs + a * d, cfgs + b * d);
  return sum / ((double)n * (double)(n - 1) / 2);
}

/* Nearest of rows (n_rows) to cfg, skipping row skip (n_rows: none). */
static double nearest(struct l4p__diag_metric *m, const double *cfg,
                      const double *rows, size_t n_rows, size_t skip)
{
  size_t d = l4p_space_n_options(m->space);
  double best = INFINITY;
  for (size_t k = 0; k < n_rows; k++)
    if (k != skip)
      best = fmin(best, l4p__diag_distance(m, cfg, rows + k * d));
  return best;
}

/* The mean over cfgs (n) of the distance to the nearest of rows
 * (n_rows), row k excluded for cfgs[k] when rows are cfgs themselves. */
static double mean_nearest(struct l4p__diag_metric *m, const double *cfgs,
                           size_t n, const double *rows, size_t n_rows,
                           bool self)
{
  size_t d = l4p_space_n_options(m->space);
  double sum = 0;
  for (size_t k = 0; k < n; k++)
    sum += nearest(m, cfgs + k * d, rows, n_rows, self ? k : n_rows);
  return sum / (double)n;
}

/* Mean distance to the nearest earlier one (llm4perf_diag-int.h). */
double l4p__diag_novelty(struct l4p__diag_metric *m, const double *cfgs,
                         size_t n, const double *earlier, size_t n_earlier)
{
  if (n == 0 || n_earlier == 0 || m->n_free == 0)
    return NAN;
  return mean_nearest(m, cfgs, n, earlier, n_earlier, false);
}

/* Mean distance to the nearest other one (llm4perf_diag-int.h). */
double l4p__diag_nearest_within(struct l4p__diag_metric *m, const double *cfgs,
                                size_t n)
{
  if (n < 2 || m->n_free == 0)
    return NAN;
  return mean_nearest(m, cfgs, n, cfgs, n, true);
}

/* ------------------------------------------------------- agreement */

static size_t bits(uint32_t x)
{
  size_t n = 0;
  for (; x; x &= x - 1)
    n++;
  return n;
}

/* Shares of agreed candidates and the generators' mean Jaccard overlap
 * (llm4perf_diag-int.h). */
void l4p__diag_agreement(const uint32_t *voters, size_t n, size_t n_gen,
                         size_t *agreed, double *share, double *jaccard)
{
  *agreed = 0;
  for (size_t k = 0; k < n; k++)
    *agreed += bits(voters[k]) >= 2;
  *share = *jaccard = NAN;
  if (n_gen < 2)
    return;
  if (n)
    *share = (double)*agreed / (double)n;
  double sum = 0;
  size_t pairs = 0;
  for (size_t g = 0; g < n_gen && g < 32; g++)
    for (size_t h = g + 1; h < n_gen && h < 32; h++) {
      size_t both = 0, either = 0;
      for (size_t k = 0; k < n; k++) {
        bool in_g = voters[k] >> g & 1, in_h = voters[k] >> h & 1;
        both += in_g && in_h;
        either += in_g || in_h;
      }
      if (either) {
        sum += (double)both / (double)either;
        pairs++;
      }
    }
  if (pairs)
    *jaccard = sum / (double)pairs;
}

/* -------------------------------------------------------- coverage */

/* Whether opt's levels are bins, and how many slots they take. */
static size_t slots(const struct l4p_option *opt, bool *binned)
{
  size_t card = l4p_option_cardinality(opt);
  *binned = false;
  if (opt->type == L4P_OPT_BOOL || opt->type == L4P_OPT_ENUM)
    return card;
  if (card > 0 && card <= L4P_LLM4PERF_DIAG_BINS)
    return card;
  *binned = true;
  return opt->max > opt->min ? L4P_LLM4PERF_DIAG_BINS : 1;
}

/* The slot of value v. */
static size_t slot_of(const struct l4p_option *opt, bool binned, size_t n,
                      double v)
{
  if (opt->type == L4P_OPT_BOOL)
    return v != 0;
  if (opt->type == L4P_OPT_ENUM)
    return v >= 0 && v < (double)n ? (size_t)v : 0;
  if (!binned)
    return l4p_option_nearest_index(opt, v);
  double t = (v - opt->min) / (opt->max - opt->min);
  if (!(t > 0)) /* below the range, or a range of one value */
    return 0;
  return t >= 1 ? n - 1 : (size_t)(t * (double)n);
}

/* Levels reached of those available (llm4perf_diag-int.h). */
l4p_status l4p__diag_coverage(const struct l4p_option *opt,
                              const double *values, size_t n, size_t stride,
                              struct l4p_llm4perf_diag_option *out)
{
  bool binned;
  size_t n_slots = slots(opt, &binned);
  /* per slot: 1 available, 2 available and seen */
  unsigned char *mark = calloc(n_slots + 1, 1);
  if (!mark)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (binned && opt->n_values > 0) /* a sparse list: some bins empty */
    for (size_t k = 0; k < opt->n_values; k++)
      mark[slot_of(opt, true, n_slots, opt->values[k])] = 1;
  else
    memset(mark, 1, n_slots);
  for (size_t k = 0; k < n; k++)
    mark[slot_of(opt, binned, n_slots, values[k * stride])] = 2;
  out->binned = binned;
  out->levels = out->seen = 0;
  for (size_t s = 0; s < n_slots; s++) {
    out->levels += mark[s] != 0;
    out->seen += mark[s] == 2;
  }
  out->coverage = out->levels ? (double)out->seen / (double)out->levels : NAN;
  free(mark);
  return L4P_OK;
}

/* ------------------------------------------------------- stagnation */

/* tag-diag-stagnation: after the first batch, an iteration is stagnant
 * when its novelty is below the fraction of the first batch's mean
 * nearest-neighbour distance; a run of L4P_LLM4PERF_DIAG_STAGNATION_RUN
 * consecutive stagnant iterations warns, naming the iterations of every
 * such run. */
l4p_status l4p__diag_stagnation(struct l4p_llm4perf_diag *d)
{
  d->threshold = d->reference * L4P_LLM4PERF_DIAG_STAGNATION_FRACTION;
  d->n_stagnant = 0;
  d->stagnation_warning = false;
  free(d->warning);
  d->warning = NULL;
  for (size_t k = 0; k < d->n_iterations; k++) {
    struct l4p_llm4perf_diag_iter *it = &d->iterations[k];
    it->stagnant = k > 0 && it->novelty < d->threshold; /* false on NAN */
    d->n_stagnant += it->stagnant;
  }
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  size_t named = 0;
  for (size_t k = 0; k < d->n_iterations;) {
    size_t end = k;
    while (end < d->n_iterations && d->iterations[end].stagnant)
      end++;
    if (end == k) {
      k++;
      continue;
    }
    if (end - k >= L4P_LLM4PERF_DIAG_STAGNATION_RUN)
      for (size_t j = k; j < end; j++)
        l4px_sb_printf(&sb, "%s%ld", named++ ? ", " : "iterations ",
                       d->iterations[j].iteration);
    k = end;
  }
  if (named) {
    d->stagnation_warning = true;
    l4px_sb_printf(&sb,
                   " are stagnant (novelty below %.3f, %.2f of the "
                   "initial batch's nearest-neighbour distance %.3f): "
                   "batches keep landing in the same region",
                   d->threshold, L4P_LLM4PERF_DIAG_STAGNATION_FRACTION,
                   d->reference);
    if (!(d->warning = l4px_sb_detach(&sb)))
      return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  l4px_sb_release(&sb);
  return L4P_OK;
}
