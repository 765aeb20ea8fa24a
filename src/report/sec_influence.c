/* Option influence: per system x studied objective, the share of the
 * objective's variance over the whole table that each option explains
 * on its own (eta squared, src/eval/influence.c), as horizontal bars
 * sorted from the most influential down, the options the study's pruning
 * removed in another colour. It shows at a glance whether pruning threw
 * away an option that mattered.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/influence.h"
#include "report-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Palette entries of kept and pruned options. */
#define COLOUR_KEPT 0
#define COLOUR_PRUNED 3

struct ranked {
  double eta2;
  size_t option;
};

/* Most influential first; ties in option order. */
static int by_influence(const void *a, const void *b)
{
  const struct ranked *p = a, *q = b;
  if (p->eta2 != q->eta2)
    return p->eta2 > q->eta2 ? -1 : 1;
  return (p->option > q->option) - (p->option < q->option);
}

static l4p_status bars(const struct l4p__rsystem *sys, size_t j,
                       struct l4p__doc *d)
{
  size_t n = l4p_space_n_options(sys->spec->space);
  double *eta2 = malloc((n ? n : 1) * sizeof *eta2);
  struct ranked *r = malloc((n ? n : 1) * sizeof *r);
  l4p_status st =
      eta2 && r ? l4p_influence_table(sys->spec, sys->table, sys->obj[j], eta2)
                : l4p_failf(L4P_ENOMEM, "out of memory");
  char title[512];
  snprintf(title, sizeof title,
           "%s: %s, variance explained by each "
           "option alone",
           sys->name, sys->objectives[j]);
  struct l4p__plot *p = st ? NULL
                           : l4p__plot_new(L4P__PLOT_BARS, title,
                                           "eta squared (share of the "
                                           "objective's variance)",
                                           NULL);
  const char *parts[] = {"influence", sys->name, sys->objectives[j]};
  if (!st && (!p || !(p->name = l4p__slug(parts, 3)) ||
              l4p__plot_columns(p, "eta2", NULL)))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4p__series *kept = NULL, *pruned = NULL;
  if (!st) {
    p->height = 110 + 18 * (int)n;
    kept = l4p__plot_series(p, "kept", L4P__STYLE_BAR, COLOUR_KEPT);
    pruned = l4p__plot_series(p, "pruned by the study's decisions",
                              L4P__STYLE_BAR, COLOUR_PRUNED);
    kept = pruned ? &p->series[0] : NULL; /* the second one moved it */
    for (size_t i = 0; i < n; i++)
      r[i] = (struct ranked){eta2[i], i};
    qsort(r, n, sizeof *r, by_influence);
  }
  for (size_t k = 0; !st && k < n; k++) {
    const char *name = l4p_space_option(sys->spec->space, r[k].option)->name;
    bool cut = sys->pruned[r[k].option];
    char label[256];
    snprintf(label, sizeof label, "%s%s", name, cut ? " (pruned)" : "");
    l4p__plot_category(p, label);
    l4p__plot_point(p, cut ? pruned : kept, r[k].eta2, (double)k, NAN, -1);
  }
  free(eta2);
  free(r);
  if (st) {
    l4p__plot_free(p);
    return st;
  }
  l4p__doc_plot(d, p);
  return L4P_OK;
}

/* See report-int.h. */
l4p_status l4p__sec_influence(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  l4p__doc_heading(d, 2, "influence", "Option influence");
  l4p__doc_text(d,
                "For each objective, the share of its variance over the "
                "whole table that each option explains on its own: eta "
                "squared, the between-group sum of squares over the total "
                "sum of squares, rows grouped by the option's value "
                "(numeric options with more than %d distinct values in %d "
                "quantile bins). Options the study's pruning decisions "
                "removed are marked (pruned). Options interact, so the "
                "shares need not add up to 1.",
                L4P_INFLUENCE_BINS, L4P_INFLUENCE_BINS);
  l4p_status s = L4P_OK;
  for (size_t k = 0; !s && k < st->n_systems; k++) {
    const struct l4p__rsystem *sys = &st->systems[k];
    l4p__doc_heading(d, 3, NULL, "%s", sys->name);
    for (size_t j = 0; !s && j < sys->n_obj; j++)
      s = bars(sys, j, d);
  }
  return s;
}
