/* summary.md: a study's results for people. The facts of the grid (what
 * was compared, how DeepPerf was tuned, which options were pruned), the
 * headline counts, then one table per scenario with the Scott-Knott
 * ranks and the comparison with the baseline sampler.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/banned.h"

static void treatment(struct l4px_sb *sb, const char *sampler, bool pruned)
{
  l4px_sb_printf(sb, "%s%s", sampler, pruned ? "+pruned" : "");
}

/* What the study compared: systems, treatments, models, the grid. */
static void facts(struct l4px_sb *sb, const struct l4p__study_run *run)
{
  const struct l4p_study *st = run->study;
  size_t campaigns = 0, dp = 0;
  for (size_t k = 0; k < run->n_samples; k++)
    campaigns += run->samples[k].first;
  struct l4p_study_size size;
  l4p_study_size(st, &size);
  l4px_sb_printf(
      sb,
      "# Study %s\n\nStudy file `%s`; %zu repetitions, "
      "seeds %llu to %llu (sample seed = study seed + repetition "
      "- 1); baseline `%s`.\n\n",
      st->name, st->path, st->repetitions, (unsigned long long)st->seed,
      (unsigned long long)(st->seed + st->repetitions - 1), st->baseline);
  l4px_sb_puts(sb, "| system | objectives | table rows | budgets | "
                   "pruned options |\n|---|---|---|---|---|\n");
  for (size_t s = 0; s < st->n_systems; s++) {
    const struct l4p__study_system *sys = &st->systems[s];
    l4px_sb_printf(sb, "| %s | ", sys->spec->name);
    for (size_t j = 0; j < sys->n_obj; j++)
      l4px_sb_printf(sb, "%s%s", j ? ", " : "",
                     sys->spec->objectives[sys->obj[j]].name);
    l4px_sb_printf(sb, " | %zu | ", sys->table->n_rows);
    for (size_t b = 0; b < sys->n_budgets; b++)
      l4px_sb_printf(sb, "%s%zu", b ? ", " : "", sys->budgets[b]);
    if (sys->decisions_used)
      l4px_sb_printf(sb, " | %zu of %zu (`%s`) |\n", sys->n_pruned,
                     l4p_space_n_options(sys->spec->space),
                     sys->decisions_used);
    else
      l4px_sb_puts(sb, " | - |\n");
  }
  l4px_sb_puts(sb, "\nTreatments: ");
  for (size_t t = 0; t < run->n_treatments; t++) {
    char name[160];
    l4p__study_treatment_name(run, t, name, sizeof name);
    l4px_sb_printf(sb, "%s`%s`", t ? ", " : "", name);
  }
  l4px_sb_puts(sb, ". Models: ");
  for (size_t m = 0; m < st->n_models; m++) {
    l4px_sb_printf(sb, "%s`%s` (%s)", m ? ", " : "", st->models[m].label,
                   st->models[m].key);
    dp += strcmp(st->models[m].name, "deepperf") == 0;
  }
  l4px_sb_printf(sb,
                 ".\n\nGrid: %zu samples (%zu campaigns: a pruned "
                 "treatment whose decisions prune nothing shares the "
                 "unpruned campaign), %zu cells.\n",
                 size.samples, campaigns, size.cells);
  if (dp)
    l4px_sb_printf(
        sb,
        "\nDeepPerf: hyper-parameters searched %s (%zu shared searches, "
        "seed %llu).\n",
        l4p__study_deepperf_search(st), size.hyper,
        (unsigned long long)(st->seed + L4P__STUDY_HYPER_SEED_OFFSET));
}

/* A headline table: one row per entry with k == 0, columns per k. */
static void counts(struct l4px_sb *sb, const struct l4p_study_count *c,
                   size_t n, const char *title, bool pruning)
{
  size_t ks[16], nk = 0;
  for (size_t i = 0; i < n && nk < 16; i++) {
    bool seen = false;
    for (size_t q = 0; q < nk; q++)
      seen |= ks[q] == c[i].n_objectives;
    if (!seen)
      ks[nk++] = c[i].n_objectives;
  }
  l4px_sb_printf(sb, "\n### %s\n\n| %s |", title,
                 pruning ? "sampler" : "treatment");
  for (size_t q = 0; q < nk; q++)
    if (ks[q])
      l4px_sb_printf(sb, " %zu objectives |", ks[q]);
    else
      l4px_sb_puts(sb, " all systems |");
  l4px_sb_puts(sb, "\n|---|");
  for (size_t q = 0; q < nk; q++)
    l4px_sb_puts(sb, "---|");
  l4px_sb_putc(sb, '\n');
  /* pruning's total ("all") comes last */
  for (size_t pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
      bool all = pruning && strcmp(c[i].sampler, "all") == 0;
      if (c[i].n_objectives != 0 || all != (pass == 1))
        continue;
      l4px_sb_puts(sb, "| ");
      if (!pruning)
        treatment(sb, c[i].sampler, c[i].pruned);
      else
        l4px_sb_puts(sb, all ? "all samplers" : c[i].sampler);
      l4px_sb_puts(sb, " |");
      for (size_t q = 0; q < nk; q++) {
        const struct l4p_study_count *e =
            l4p_study_count_find(c, n, c[i].sampler, c[i].pruned, ks[q]);
        if (!e)
          l4px_sb_puts(sb, " - |");
        else if (e->ties)
          l4px_sb_printf(sb, " %zu of %zu (%zu ties) |", e->x, e->y, e->ties);
        else
          l4px_sb_printf(sb, " %zu of %zu |", e->x, e->y);
      }
      l4px_sb_putc(sb, '\n');
    }
}

static void num(struct l4px_sb *sb, double v, const char *fmt)
{
  if (isnan(v))
    l4px_sb_puts(sb, " - |");
  else
    l4px_sb_printf(sb, fmt, v);
}

/* One scenario's table. */
static void scenario(struct l4px_sb *sb, const struct l4p_study_scenario *sc,
                     const char *baseline)
{
  bool mre = strcmp(sc->metric, "mre") == 0;
  l4px_sb_printf(sb, "\n### %s%s%s, budget %zu, %s\n\n", sc->system,
                 mre ? " / " : "", mre ? sc->objective : "", sc->budget,
                 sc->model);
  l4px_sb_printf(sb,
                 "| treatment | n | mean %s | median | sd | rank | "
                 "p vs %s (Holm) | A12 | Cliff's delta |\n"
                 "|---|---|---|---|---|---|---|---|---|\n",
                 mre ? "MRE %" : "HV ratio", baseline);
  const char *f = mre ? " %.2f |" : " %.4f |";
  for (size_t t = 0; t < sc->n_ranks; t++) {
    const struct l4p_study_rank *r = &sc->ranks[t];
    l4px_sb_puts(sb, r->best ? "| **" : "| ");
    treatment(sb, r->sampler, r->pruned);
    l4px_sb_printf(sb, "%s | %zu |", r->best ? "**" : "", r->n);
    num(sb, r->mean, f);
    num(sb, r->median, f);
    num(sb, r->sd, f);
    if (r->n)
      l4px_sb_printf(sb, " %d |", r->rank);
    else
      l4px_sb_puts(sb, " - |");
    if (r->has_test)
      l4px_sb_printf(sb, " %.3g (%.3g) | %.2f %s | %.2f %s |\n", r->p,
                     r->p_holm, r->a12, r->a12_mag, r->delta, r->delta_mag);
    else
      l4px_sb_puts(sb, " | | |\n");
  }
  if (sc->lowest_not_first)
    l4px_sb_puts(sb, "\nThe lowest mean is not in rank 1 here (ranks are "
                     "computed on log(1 + x)).\n");
}

/* See study-int.h. run may be NULL (no facts section). */
l4p_status l4p__study_write_md(const struct l4p_study_summary *s,
                               const struct l4p__study_run *run,
                               const char *path)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  if (run)
    facts(&sb, run);
  else
    l4px_sb_puts(&sb, "# Study summary\n");
  l4px_sb_printf(&sb,
                 "\n## Headlines\n\nBest = the lowest mean among the "
                 "treatments Scott-Knott ESD ranks first; %zu error "
                 "scenarios (system x objective x budget x model, MRE %%) "
                 "and %zu front scenarios (system x budget x model, "
                 "hypervolume ratio).\n",
                 s->n_error_scenarios, s->n_scenarios - s->n_error_scenarios);
  counts(&sb, s->best, s->n_best, "Best in X of Y scenarios (MRE)", false);
  if (s->n_pruning) {
    counts(&sb, s->pruning, s->n_pruning,
           "Pruning improved the sampler "
           "in X of Y scenarios (mean MRE with pruning < without)",
           true);
    l4px_sb_puts(&sb, "\nTies: equal means with and without pruning, as "
                      "where the decisions prune nothing and both treatments "
                      "share their samples.\n");
  }
  counts(&sb, s->best_front, s->n_best_front,
         "Best predicted Pareto front "
         "in X of Y scenarios (hypervolume ratio)",
         false);
  l4px_sb_printf(&sb,
                 "\n## Scenarios: MRE %%\n\nRank: Scott-Knott ESD "
                 "group (1 = lowest errors); p: two-sided rank-sum test "
                 "against `%s`, Holm-adjusted within the scenario; A12 and "
                 "Cliff's delta of the treatment against `%s` (below 0.5 "
                 "and 0: lower errors). Bold: best.\n",
                 s->baseline, s->baseline);
  for (size_t i = 0; i < s->n_error_scenarios; i++)
    scenario(&sb, &s->scenarios[i], s->baseline);
  l4px_sb_puts(&sb,
               "\n## Scenarios: predicted Pareto front\n\nHypervolume "
               "of the true values of the configurations predicted to be "
               "Pareto optimal, over the true front's (1 is perfect); rank 1 "
               "= highest.\n");
  for (size_t i = s->n_error_scenarios; i < s->n_scenarios; i++)
    scenario(&sb, &s->scenarios[i], s->baseline);
  l4p_status st = l4px_sb_failed(&sb)
                      ? l4p_failf(L4P_ENOMEM, "out of memory")
                      : l4px_write_file_atomic(path, sb.buf, sb.len);
  l4px_sb_release(&sb);
  return st;
}
