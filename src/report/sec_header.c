/* The report's first section: what the study was (its file, repetitions
 * and seeds, systems with their objectives, tables, budgets and pruned
 * options, treatments and models), and how DeepPerf's hyper-parameters
 * were chosen when DeepPerf is one of the models.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* "20, 40" */
static void budgets(struct l4px_sb *sb, const struct l4p__rsystem *sys)
{
  for (size_t b = 0; b < sys->n_budgets; b++)
    l4px_sb_printf(sb, "%s%zu", b ? ", " : "", sys->budgets[b]);
}

/* "1 of 23: threads" or "0 of 7" */
static void pruned(struct l4px_sb *sb, const struct l4p__rsystem *sys)
{
  size_t n = l4p_space_n_options(sys->spec->space), k = 0;
  for (size_t i = 0; i < n; i++)
    k += sys->pruned[i];
  l4px_sb_printf(sb, "%zu of %zu", k, n);
  for (size_t i = 0, shown = 0; i < n; i++)
    if (sys->pruned[i])
      l4px_sb_printf(sb, "%s%s", shown++ ? ", " : ": ",
                     l4p_space_option(sys->spec->space, i)->name);
}

static void systems_table(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  l4p__doc_table(d, 5);
  const char *head[] = {"system", "objectives", "table rows", "budgets",
                        "pruned options"};
  for (size_t c = 0; c < 5; c++)
    l4p__doc_cell(d, 0, false, "%s", head[c]);
  for (size_t k = 0; k < st->n_systems; k++) {
    const struct l4p__rsystem *sys = &st->systems[k];
    struct l4px_sb objs, b, p;
    l4px_sb_init(&objs);
    l4px_sb_init(&b);
    l4px_sb_init(&p);
    for (size_t j = 0; j < sys->n_obj; j++) {
      const struct l4p_objective *o = &sys->spec->objectives[sys->obj[j]];
      l4px_sb_printf(&objs, "%s%s (%s)", j ? ", " : "", o->name,
                     o->goal == L4P_MAXIMIZE ? "max" : "min");
    }
    budgets(&b, sys);
    pruned(&p, sys);
    d->oom |= l4px_sb_failed(&objs) || l4px_sb_failed(&b) || l4px_sb_failed(&p);
    l4p__doc_cell(d, 0, false, "%s", sys->name);
    l4p__doc_cell(d, 0, false, "%s", objs.buf);
    l4p__doc_cell(d, 0, false, "%zu", sys->table_rows);
    l4p__doc_cell(d, 0, false, "%s", b.buf);
    l4p__doc_cell(d, 0, false, "%s", p.buf);
    l4px_sb_release(&objs);
    l4px_sb_release(&b);
    l4px_sb_release(&p);
  }
}

/* See report-int.h. */
l4p_status l4p__sec_header(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  l4p__doc_heading(d, 1, "study", "Study %s", st->name);
  l4p__doc_text(d,
                "Study file %s; %zu repetitions, seeds %zu to %zu "
                "(repetition r samples with seed %zu + r - 1); baseline %s. "
                "Grid: %zu samples (%zu campaigns), %zu cells.",
                st->path, st->repetitions, st->seed,
                st->seed + st->repetitions - 1, st->seed, st->baseline,
                st->grid_samples, st->grid_campaigns, st->grid_cells);
  systems_table(st, d);
  struct l4px_sb t, m;
  l4px_sb_init(&t);
  l4px_sb_init(&m);
  for (size_t k = 0; k < st->n_treatments; k++)
    l4px_sb_printf(&t, "%s%s", k ? ", " : "", st->treatments[k].name);
  for (size_t k = 0; k < st->n_models; k++)
    l4px_sb_printf(&m, "%s%s (%s)", k ? ", " : "", st->models[k].label,
                   st->models[k].settings);
  d->oom |= l4px_sb_failed(&t) || l4px_sb_failed(&m);
  l4p__doc_text(d,
                "Treatments: %s. A treatment named +pruned samples the "
                "space left by the study's pruning decisions.",
                t.buf);
  l4p__doc_text(d,
                "Models: %s. The plots and fronts below use the first "
                "model where one model is chosen.",
                m.buf);
  l4px_sb_release(&t);
  l4px_sb_release(&m);
  if (st->deepperf && st->deepperf_searches)
    l4p__doc_note(d,
                  "DeepPerf: its hyper-parameters were searched %s; the "
                  "shared searches (%zu) ran on samples drawn with seed %zu "
                  "for the search alone, so the samplers sharing them are "
                  "compared under the same model.",
                  st->deepperf_search, st->deepperf_searches,
                  st->deepperf_seed);
  else if (st->deepperf)
    l4p__doc_note(d, "DeepPerf: its hyper-parameters were searched %s.",
                  st->deepperf_search);
  return L4P_OK;
}
