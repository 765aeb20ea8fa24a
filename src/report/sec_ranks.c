/* Scott-Knott ESD ranks as tables: per system x objective x model, a row
 * per treatment and a column per budget, each cell the rank (1 best) and
 * the mean MRE, coloured by rank, the scenario's best in bold; then the
 * same for the hypervolume ratio of each multi-objective system x model.
 * The ranks are summary.json's (docs/STATISTICS.md).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "report-int.h"
#include "util/banned.h"

static void rank_table(const struct l4p__rstudy *st, struct l4p__doc *d,
                       size_t s, const char *objective, size_t model)
{
  const struct l4p__rsystem *sys = &st->systems[s];
  l4p__doc_table(d, sys->n_budgets + 1);
  l4p__doc_cell(d, 0, false, "treatment");
  for (size_t b = 0; b < sys->n_budgets; b++)
    l4p__doc_cell(d, 0, false, "n=%zu", sys->budgets[b]);
  for (size_t t = 0; t < st->n_treatments; t++) {
    l4p__doc_cell(d, 0, false, "%s", st->treatments[t].name);
    for (size_t b = 0; b < sys->n_budgets; b++) {
      const struct l4p__rscenario *sc = l4p__rstudy_scenario(
          st, objective == NULL, s, objective, sys->budgets[b], model);
      const struct l4p__rvalue *v = sc ? &sc->values[t] : NULL;
      char mean[32];
      if (!v || !v->n || v->rank < 1) {
        l4p__doc_cell(d, 0, false, L4P__NONE);
        continue;
      }
      l4p__fmt(v->mean, mean, sizeof mean);
      l4p__doc_cell(d, v->rank, v->best, "%d (%s)", v->rank, mean);
    }
  }
}

/* See report-int.h. */
l4p_status l4p__sec_ranks(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  l4p__doc_heading(d, 2, "ranks", "Scott-Knott ESD ranks");
  l4p__doc_text(d, "Each cell: the treatment's Scott-Knott ESD rank in the "
                   "scenario (1 = best group; ranks are computed on log(1 + "
                   "x)) and, in brackets, its mean over the repetitions. The "
                   "scenario's best treatment is in bold.");
  for (size_t s = 0; s < st->n_systems; s++) {
    const struct l4p__rsystem *sys = &st->systems[s];
    for (size_t j = 0; j < sys->n_obj; j++)
      for (size_t m = 0; m < st->n_models; m++) {
        l4p__doc_heading(d, 3, NULL, "%s: %s, %s (mean MRE %%)", sys->name,
                         sys->objectives[j], st->models[m].label);
        rank_table(st, d, s, sys->objectives[j], m);
      }
    for (size_t m = 0; sys->n_obj >= 2 && m < st->n_models; m++) {
      l4p__doc_heading(d, 3, NULL,
                       "%s: Pareto front, %s (mean "
                       "hypervolume ratio; higher is better)",
                       sys->name, st->models[m].label);
      rank_table(st, d, s, NULL, m);
    }
  }
  return L4P_OK;
}
