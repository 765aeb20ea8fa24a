/* Error and front quality against the budget: per system x objective x
 * model, the mean MRE of each treatment at each budget (one line per
 * treatment, pruned ones dashed in their sampler's colour, a band of one
 * standard deviation when few enough lines to read it); per system x
 * model of a multi-objective system, the mean hypervolume ratio the same
 * way. The numbers are summary.json's scenario statistics.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "report-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Bands help with a few lines and hide everything under many. */
#define MAX_BANDS 8

/* One line per treatment over the budgets of system s; the plot's name
 * comes from parts. Adds a note instead when nothing has a value. */
static void budget_plot(const struct l4p__rstudy *st, struct l4p__doc *d,
                        size_t s, const char *objective, size_t model,
                        const char *title, const char *ylabel,
                        const char *column, const char *const *parts,
                        size_t n_parts)
{
  const struct l4p__rsystem *sys = &st->systems[s];
  bool front = objective == NULL;
  struct l4p__plot *p = l4p__plot_new(
      L4P__PLOT_LINES, title, "budget (configurations measured)", ylabel);
  if (!p || !(p->name = l4p__slug(parts, n_parts)) ||
      l4p__plot_columns(p, "budget", column)) {
    l4p__plot_free(p);
    d->oom = true;
    return;
  }
  p->band = st->n_treatments <= MAX_BANDS;
  p->y_from_zero = true;
  for (size_t t = 0; t < st->n_treatments; t++) {
    const struct l4p__rtreatment *tr = &st->treatments[t];
    struct l4p__series *ser =
        l4p__plot_series(p, tr->name, L4P__STYLE_LINE, tr->colour);
    if (!ser)
      break;
    ser->dashed = tr->pruned;
    for (size_t b = 0; b < sys->n_budgets; b++) {
      const struct l4p__rscenario *sc =
          l4p__rstudy_scenario(st, front, s, objective, sys->budgets[b], model);
      if (sc && sc->values[t].n)
        l4p__plot_point(p, ser, (double)sys->budgets[b], sc->values[t].mean,
                        sc->values[t].sd, -1);
    }
  }
  if (!p->oom && l4p__plot_points(p) == 0) {
    l4p__doc_note(d, "%s: no values.", title);
    l4p__plot_free(p);
    return;
  }
  l4p__doc_plot(d, p);
}

/* See report-int.h. */
l4p_status l4p__sec_errors(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  l4p__doc_heading(d, 2, "errors", "Error versus budget");
  l4p__doc_text(d,
                "Mean MRE (%%) over the %zu repetitions at each budget, "
                "one line per treatment; a pruned treatment is dashed in "
                "its sampler's colour.%s For systems with two or more "
                "objectives, the mean hypervolume ratio of the predicted "
                "Pareto fronts follows (1 = the true front).",
                st->repetitions,
                st->n_treatments <= MAX_BANDS
                    ? " The shaded band is one standard deviation either "
                      "side of the mean."
                    : "");
  char title[512];
  for (size_t s = 0; s < st->n_systems; s++) {
    const struct l4p__rsystem *sys = &st->systems[s];
    l4p__doc_heading(d, 3, NULL, "%s", sys->name);
    for (size_t j = 0; j < sys->n_obj; j++)
      for (size_t m = 0; m < st->n_models; m++) {
        const char *parts[] = {"error", sys->name, sys->objectives[j],
                               st->models[m].label};
        snprintf(title, sizeof title, "%s: %s, %s", sys->name,
                 sys->objectives[j], st->models[m].label);
        budget_plot(st, d, s, sys->objectives[j], m, title, "mean MRE (%)",
                    "mean_mre_percent", parts, 4);
      }
    for (size_t m = 0; sys->n_obj >= 2 && m < st->n_models; m++) {
      const char *parts[] = {"hv", sys->name, st->models[m].label};
      snprintf(title, sizeof title, "%s: Pareto front, %s", sys->name,
               st->models[m].label);
      budget_plot(st, d, s, NULL, m, title, "mean hypervolume ratio",
                  "mean_hv_ratio", parts, 3);
    }
  }
  return L4P_OK;
}
