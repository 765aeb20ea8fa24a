/* LLM4Perf diagnostics: how the LLM4Perf sampler's campaigns went, from
 * DIR/diagnostics.csv (diag_load.c; definitions in docs/LLM4PERF.md,
 * "Diagnostics"). Per system, a table with a row per LLM4Perf treatment
 * over its campaigns (proposals, their invalid, repaired and duplicate
 * shares, agreement, diversity, novelty, stagnation, coverage), the LLM
 * usage per role when any LLM was asked, and a plot of batch diversity
 * and novelty against the budget. Only studies that run llm4perf get
 * the section; a study older than the file gets a note saying how to
 * write it.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag-int.h"
#include "util/banned.h"

#define N_COLS 14

static bool is_llm4perf(const struct l4p__rtreatment *tr)
{
  return !strcmp(tr->sampler, "llm4perf");
}

/* v as a table cell: l4p__fmt, "–" for NaN. */
static void cell(struct l4p__doc *d, double v)
{
  char buf[32];
  l4p__fmt(v, buf, sizeof buf);
  l4p__doc_cell(d, 0, false, "%s", buf);
}

/* part / whole, NaN when whole is 0. */
static double share(double part, double whole)
{
  return whole > 0 ? part / whole : NAN;
}

static void table(const struct l4p__rstudy *st, const struct l4p__rdiag *dg,
                  size_t s, struct l4p__doc *d)
{
  static const char *const head[N_COLS] = {
      "treatment", "campaigns", "iterations", "proposals", "invalid",
      "repaired",  "duplicate", "agreement",  "agreed",    "diversity",
      "novelty",   "stagnant",  "warned",     "coverage"};
  l4p__doc_table(d, N_COLS);
  for (size_t c = 0; c < N_COLS; c++)
    l4p__doc_cell(d, 0, false, "%s", head[c]);
  for (size_t t = 0; t < st->n_treatments; t++) {
    const struct l4p__dagg *a = &dg->agg[s * st->n_treatments + t];
    if (!is_llm4perf(&st->treatments[t]))
      continue;
    l4p__doc_cell(d, 0, false, "%s", st->treatments[t].name);
    l4p__doc_cell(d, 0, false, "%zu", a->campaigns);
    cell(d, l4p__dacc_mean(&a->iterations));
    cell(d, l4p__dacc_mean(&a->proposals));
    cell(d, share(a->invalid, a->proposals.sum));
    cell(d, share(a->repaired, a->proposals.sum));
    cell(d, share(a->duplicates, a->proposals.sum));
    cell(d, l4p__dacc_mean(&a->agreement));
    cell(d, l4p__dacc_mean(&a->agreed));
    cell(d, l4p__dacc_mean(&a->diversity));
    cell(d, l4p__dacc_mean(&a->novelty));
    cell(d, l4p__dacc_mean(&a->stagnant));
    cell(d, share((double)a->warnings, (double)a->campaigns));
    cell(d, l4p__dacc_mean(&a->coverage));
  }
}

static bool used(const struct l4p__dagg *a, size_t role)
{
  for (size_t u = 0; u < L4P__USES; u++)
    if (a->usage[role][u] != 0)
      return true;
  return false;
}

/* The LLM usage of system s per treatment and role, when any. */
static void usage(const struct l4p__rstudy *st, const struct l4p__rdiag *dg,
                  size_t s, struct l4p__doc *d)
{
  bool any = false;
  for (size_t t = 0; t < st->n_treatments; t++)
    for (size_t k = 0; k < L4P__DIAG_ROLES; k++)
      any |= used(&dg->agg[s * st->n_treatments + t], k);
  if (!any)
    return;
  static const char *const head[] = {"treatment", "role",    "calls",
                                     "tokens",    "retries", "latency (s)",
                                     "s per call"};
  l4p__doc_table(d, 7);
  for (size_t c = 0; c < 7; c++)
    l4p__doc_cell(d, 0, false, "%s", head[c]);
  for (size_t t = 0; t < st->n_treatments; t++)
    for (size_t k = 0; k < L4P__DIAG_ROLES; k++) {
      const double *u = dg->agg[s * st->n_treatments + t].usage[k];
      if (!used(&dg->agg[s * st->n_treatments + t], k))
        continue;
      l4p__doc_cell(d, 0, false, "%s", st->treatments[t].name);
      l4p__doc_cell(d, 0, false, "%s", l4p__diag_roles[k]);
      l4p__doc_cell(d, 0, false, "%.0f", u[L4P__USE_CALLS]);
      l4p__doc_cell(d, 0, false, "%.0f", u[L4P__USE_TOKENS]);
      l4p__doc_cell(d, 0, false, "%.0f", u[L4P__USE_RETRIES]);
      cell(d, u[L4P__USE_LATENCY]);
      cell(d, share(u[L4P__USE_LATENCY], u[L4P__USE_CALLS]));
    }
}

/* Mean diversity (solid) and novelty (dashed) against the budget, a
 * pair of lines per LLM4Perf treatment in its colour; a note instead
 * when no campaign has either. */
static void plot(const struct l4p__rstudy *st, const struct l4p__rdiag *dg,
                 size_t s, struct l4p__doc *d)
{
  const struct l4p__rsystem *sys = &st->systems[s];
  char title[512];
  snprintf(title, sizeof title,
           "%s: LLM4Perf batch diversity (solid) and novelty (dashed)",
           sys->name);
  struct l4p__plot *p =
      l4p__plot_new(L4P__PLOT_LINES, title, "budget (configurations measured)",
                    "mean normalised distance");
  const char *parts[] = {"diagnostics", sys->name};
  if (!p || !(p->name = l4p__slug(parts, 2)) ||
      l4p__plot_columns(p, "budget", "mean_distance")) {
    l4p__plot_free(p);
    d->oom = true;
    return;
  }
  for (size_t t = 0; t < st->n_treatments; t++) {
    const struct l4p__rtreatment *tr = &st->treatments[t];
    if (!is_llm4perf(tr))
      continue;
    size_t at = (s * st->n_treatments + t) * dg->n_budgets;
    for (int nov = 0; nov < 2; nov++) {
      char name[512];
      snprintf(name, sizeof name, "%s: %s", tr->name,
               nov ? "novelty" : "diversity");
      struct l4p__series *ser =
          l4p__plot_series(p, name, L4P__STYLE_LINE, tr->colour);
      if (!ser)
        break;
      ser->dashed = nov;
      ser->no_key = nov; /* one key entry per treatment, its colour */
      for (size_t b = 0; b < sys->n_budgets; b++)
        l4p__plot_point(
            p, ser, (double)sys->budgets[b],
            l4p__dacc_mean(nov ? &dg->novelty[at + b] : &dg->diversity[at + b]),
            NAN, -1);
    }
  }
  /* The key sits outside, on the right: a line per treatment. */
  if (80 + 17 * (int)p->n_series / 2 > p->height)
    p->height = 80 + 17 * (int)p->n_series / 2;
  bool points = false;
  for (size_t k = 0; !p->oom && k < p->n_series; k++)
    for (size_t i = 0; i < p->series[k].n; i++)
      points |= isfinite(p->series[k].y[i]);
  if (!p->oom && !points) {
    l4p__doc_note(d, "%s: no campaign has a diversity or novelty.", title);
    l4p__plot_free(p);
    return;
  }
  l4p__doc_plot(d, p);
}

static void intro(struct l4p__doc *d)
{
  l4p__doc_text(
      d, "How the LLM4Perf campaigns went, from diagnostics.csv (one row per "
         "campaign; definitions in docs/LLM4PERF.md, Diagnostics). Per "
         "system, a row per LLM4Perf treatment over all its campaigns "
         "(every budget and repetition): campaigns; mean iterations (stored "
         "batches, the initial one included); proposals per campaign; "
         "invalid, repaired and duplicate, their sums over the sum of "
         "proposals; agreement (the generators' mean pairwise Jaccard "
         "overlap) and agreed (the share of candidates 2 or more generators "
         "proposed), diversity (mean normalised distance within a batch), "
         "novelty (to the nearest earlier configuration) and coverage (of "
         "the free options' levels), each the mean over the campaigns where "
         "it is defined; stagnant, stagnant iterations per campaign; warned, "
         "the share of campaigns with the stagnation warning (2 or more "
         "stagnant iterations in a row). " L4P__NONE " marks a value no "
         "campaign defines (agreement without voting, novelty of a single "
         "batch). LLM usage per role follows when any LLM was asked. The "
         "plot shows the mean diversity (solid) and novelty (dashed) at "
         "each budget.");
}

/* See report-int.h. */
l4p_status l4p__sec_diagnostics(const struct l4p__rstudy *st,
                                struct l4p__doc *d)
{
  bool any = false;
  for (size_t t = 0; t < st->n_treatments; t++)
    any |= is_llm4perf(&st->treatments[t]);
  if (!any)
    return L4P_OK;
  l4p__doc_heading(d, 2, "diagnostics", "LLM4Perf diagnostics");
  struct l4p__rdiag dg;
  l4p_status s = l4p__rdiag_load(st, &dg);
  if (!s && !dg.present)
    l4p__doc_note(d, "This study has no diagnostics.csv: an older llm4perf "
                     "ran it. Run the same 'llm4perf study' command again "
                     "(the same study file and --out): it recomputes nothing "
                     "and writes the file; then run the report again.");
  if (!s && dg.present) {
    intro(d);
    for (size_t k = 0; k < st->n_systems; k++) {
      l4p__doc_heading(d, 3, NULL, "%s", st->systems[k].name);
      table(st, &dg, k, d);
      usage(st, &dg, k, d);
      plot(st, &dg, k, d);
    }
  }
  l4p__rdiag_release(&dg);
  return s;
}
