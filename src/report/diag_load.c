/* DIR/diagnostics.csv, the study's one row per LLM4Perf campaign
 * (src/study/diagnostics.c writes it), summed per system x treatment for
 * the "LLM4Perf diagnostics" section (diag-int.h). Columns are found by
 * name, so their order may change; a study from before the file existed
 * has none, which is not an error (the section says how to get it).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag-int.h"
#include "util/csv.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

const char *const l4p__diag_roles[L4P__DIAG_ROLES] = {"filter", "analyze",
                                                      "design", "generate"};

/* The columns the section reads, before the usage ones: an enum and the
 * names from one list (as status.h's L4P_STATUS_MAP). */
#define COLUMNS(XX)                   \
  XX(SYSTEM, "system")                \
  XX(BUDGET, "budget")                \
  XX(SAMPLER, "sampler")              \
  XX(PRUNED, "pruned")                \
  XX(ITERATIONS, "iterations")        \
  XX(PROPOSALS, "proposals")          \
  XX(INVALID, "invalid")              \
  XX(REPAIRED, "repaired")            \
  XX(DUPLICATES, "duplicates")        \
  XX(AGREEMENT, "mean_agreement")     \
  XX(AGREED, "mean_agreed_share")     \
  XX(DIVERSITY, "mean_diversity")     \
  XX(NOVELTY, "mean_novelty")         \
  XX(STAGNANT, "stagnant_iterations") \
  XX(WARNING, "stagnation_warning")   \
  XX(COVERAGE, "mean_coverage")
enum col {
#define XX(id, name) C_##id,
  COLUMNS(XX)
#undef XX
};
static const char *const names[] = {
#define XX(id, name) name,
    COLUMNS(XX)
#undef XX
};
#define N_COLS (sizeof names / sizeof names[0])
static const char *const uses[L4P__USES] = {"calls", "tokens", "retries",
                                            "latency_s"};

struct reader {
  const struct l4p__rstudy *st;
  const struct l4px_csv *csv;
  int col[N_COLS];
  int use[L4P__DIAG_ROLES][L4P__USES];
};

/* See diag-int.h. */
double l4p__dacc_mean(const struct l4p__dacc *a)
{
  return a->n ? a->sum / (double)a->n : NAN;
}

static void add(struct l4p__dacc *a, double v)
{
  if (isfinite(v)) {
    a->sum += v;
    a->n++;
  }
}

/* The column named name, or EPARSE at the header. */
static l4p_status column(const struct l4px_csv *csv, const char *name, int *out)
{
  *out = l4px_csv_column(csv, name);
  if (*out < 0)
    return l4p_failf(L4P_EPARSE,
                     "%s:1: no column '%s' (a diagnostics.csv "
                     "of another llm4perf version?)",
                     csv->path, name);
  return L4P_OK;
}

static l4p_status columns(struct reader *r)
{
  l4p_status s = L4P_OK;
  for (size_t c = 0; !s && c < N_COLS; c++)
    s = column(r->csv, names[c], &r->col[c]);
  for (size_t k = 0; !s && k < L4P__DIAG_ROLES; k++)
    for (size_t u = 0; !s && u < L4P__USES; u++) {
      char name[64];
      snprintf(name, sizeof name, "%s_%s", l4p__diag_roles[k], uses[u]);
      s = column(r->csv, name, &r->use[k][u]);
    }
  return s;
}

/* The number in column col of row i (empty: NaN); EPARSE otherwise. */
static l4p_status number(const struct reader *r, size_t i, int col, double *out)
{
  const char *text = l4px_csv_cell(r->csv, i, (size_t)col);
  char *end;
  *out = NAN;
  if (!*text)
    return L4P_OK;
  errno = 0;
  *out = strtod(text, &end);
  if (*end || errno == ERANGE)
    return l4p_failf(L4P_EPARSE, "%s:%d: column '%s': '%s' is not a number",
                     r->csv->path, r->csv->line[i], r->csv->header[col], text);
  return L4P_OK;
}

/* The indices of row i's system, budget and treatment; EPARSE naming
 * what the study does not have. */
static l4p_status locate(const struct reader *r, size_t i, size_t *sys,
                         size_t *budget, size_t *tr)
{
  const struct l4p__rstudy *st = r->st;
  const char *name = l4px_csv_cell(r->csv, i, (size_t)r->col[C_SYSTEM]);
  const char *label = l4px_csv_cell(r->csv, i, (size_t)r->col[C_SAMPLER]);
  bool pruned =
      !strcmp(l4px_csv_cell(r->csv, i, (size_t)r->col[C_PRUNED]), "yes");
  double b;
  l4p_status s = number(r, i, r->col[C_BUDGET], &b);
  for (*sys = 0; *sys < st->n_systems && strcmp(st->systems[*sys].name, name);)
    (*sys)++;
  for (*tr = 0;
       *tr < st->n_treatments && (strcmp(st->treatments[*tr].label, label) ||
                                  st->treatments[*tr].pruned != pruned);)
    (*tr)++;
  if (s || *sys == st->n_systems || *tr == st->n_treatments)
    return s ? s
             : l4p_failf(L4P_EPARSE,
                         "%s:%d: system '%s' or treatment '%s%s' is not "
                         "in the study's summary.json",
                         r->csv->path, r->csv->line[i], name, label,
                         pruned ? "+pruned" : "");
  const struct l4p__rsystem *sy = &st->systems[*sys];
  for (*budget = 0; *budget < sy->n_budgets && sy->budgets[*budget] != b;)
    (*budget)++;
  if (*budget == sy->n_budgets)
    return l4p_failf(L4P_EPARSE, "%s:%d: system '%s' has no budget %g",
                     r->csv->path, r->csv->line[i], name, b);
  return L4P_OK;
}

/* Add row i to its system x treatment (and budget). */
static l4p_status row(const struct reader *r, size_t i, struct l4p__rdiag *dg)
{
  size_t sys = 0, budget = 0, tr = 0;
  l4p_status s = locate(r, i, &sys, &budget, &tr);
  double v[N_COLS];
  for (size_t c = C_ITERATIONS; !s && c < N_COLS; c++)
    s = c == C_WARNING ? L4P_OK : number(r, i, r->col[c], &v[c]);
  if (s)
    return s;
  size_t at = sys * r->st->n_treatments + tr;
  struct l4p__dagg *a = &dg->agg[at];
  a->campaigns++;
  a->warnings +=
      !strcmp(l4px_csv_cell(r->csv, i, (size_t)r->col[C_WARNING]), "yes");
  add(&a->iterations, v[C_ITERATIONS]);
  add(&a->proposals, v[C_PROPOSALS]);
  a->invalid += isfinite(v[C_INVALID]) ? v[C_INVALID] : 0;
  a->repaired += isfinite(v[C_REPAIRED]) ? v[C_REPAIRED] : 0;
  a->duplicates += isfinite(v[C_DUPLICATES]) ? v[C_DUPLICATES] : 0;
  add(&a->agreement, v[C_AGREEMENT]);
  add(&a->agreed, v[C_AGREED]);
  add(&a->diversity, v[C_DIVERSITY]);
  add(&a->novelty, v[C_NOVELTY]);
  add(&a->stagnant, v[C_STAGNANT]);
  add(&a->coverage, v[C_COVERAGE]);
  add(&dg->diversity[at * dg->n_budgets + budget], v[C_DIVERSITY]);
  add(&dg->novelty[at * dg->n_budgets + budget], v[C_NOVELTY]);
  for (size_t k = 0; !s && k < L4P__DIAG_ROLES; k++)
    for (size_t u = 0; !s && u < L4P__USES; u++) {
      double x;
      s = number(r, i, r->use[k][u], &x);
      a->usage[k][u] += isfinite(x) ? x : 0;
    }
  return s;
}

/* See diag-int.h. */
l4p_status l4p__rdiag_load(const struct l4p__rstudy *st, struct l4p__rdiag *dg)
{
  memset(dg, 0, sizeof *dg);
  char *path = l4px_path_join(st->dir, "diagnostics.csv");
  if (!path)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct stat sb;
  dg->present = stat(path, &sb) == 0;
  for (size_t k = 0; k < st->n_systems; k++)
    if (st->systems[k].n_budgets > dg->n_budgets)
      dg->n_budgets = st->systems[k].n_budgets;
  size_t cells = st->n_systems * st->n_treatments;
  dg->agg = calloc(cells ? cells : 1, sizeof *dg->agg);
  dg->diversity = calloc(cells * dg->n_budgets + 1, sizeof *dg->diversity);
  dg->novelty = calloc(cells * dg->n_budgets + 1, sizeof *dg->novelty);
  struct l4px_csv csv = {0};
  struct reader r = {st, &csv, {0}, {{0}}};
  l4p_status s = dg->agg && dg->diversity && dg->novelty
                     ? L4P_OK
                     : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!s && dg->present)
    s = l4px_csv_read(&csv, path, ',');
  if (!s && dg->present)
    s = columns(&r);
  for (size_t i = 0; !s && dg->present && i < csv.n_rows; i++)
    s = row(&r, i, dg);
  l4px_csv_release(&csv);
  free(path);
  return s;
}

/* See diag-int.h; a zeroed dg is fine. */
void l4p__rdiag_release(struct l4p__rdiag *dg)
{
  free(dg->agg);
  free(dg->diversity);
  free(dg->novelty);
  memset(dg, 0, sizeof *dg);
}
