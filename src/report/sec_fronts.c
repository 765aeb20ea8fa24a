/* Predicted versus true Pareto fronts: for each system with two or more
 * studied objectives, at its largest budget, with the study's first model
 * and repetition 1, the whole table as a grey cloud (at most MAX_CLOUD
 * rows, taken at a fixed stride), the table's true front, and the rows
 * the model predicted to be Pareto optimal (study_front) at their TRUE
 * values, for the LLM4Perf treatment and for the treatment with the best
 * mean hypervolume ratio. Three objectives are shown projected on the
 * first two.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/hypervolume.h"
#include "report-int.h"
#include "util/csv.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/banned.h"

#define MAX_CLOUD 3000
/* An axis whose values span more than this many times is logarithmic
 * (some configurations run hundreds of times longer than others). */
#define LOG_SPAN 100.0

struct fronts {
  const struct l4p__rstudy *st;
  struct l4px_csv samples; /* DIR/samples.csv */
  int col[6];              /* system, budget, sampler, pruned, rep, id */
  sqlite3 *db;
};

/* True value of studied objective j of sys at table row r. */
static double value(const struct l4p__rsystem *sys, size_t r, size_t j)
{
  return sys->table->values[r * sys->table->n_objectives + sys->obj[j]];
}

/* The campaign of repetition 1 of treatment t at budget on system s. */
static l4p_status campaign(const struct fronts *f, size_t s, size_t budget,
                           size_t t, long long *id)
{
  const struct l4p__rtreatment *tr = &f->st->treatments[t];
  char b[32];
  snprintf(b, sizeof b, "%zu", budget);
  const char *want[5] = {f->st->systems[s].name, b, tr->label,
                         tr->pruned ? "yes" : "no", "1"};
  for (size_t r = 0; r < f->samples.n_rows; r++) {
    size_t k = 0;
    while (k < 5 &&
           !strcmp(l4px_csv_cell(&f->samples, r, (size_t)f->col[k]), want[k]))
      k++;
    if (k == 5 &&
        l4px_parse_llong(l4px_csv_cell(&f->samples, r, (size_t)f->col[5]), id))
      return L4P_OK;
  }
  return l4p_failf(L4P_EIO,
                   "%s/samples.csv: no sample of %s at budget %zu "
                   "for %s, repetition 1",
                   f->st->dir, tr->name, budget, f->st->systems[s].name);
}

/* "a,b,c": the studied objectives, as study_front keys them. */
static char *objective_key(const struct l4p__rsystem *sys)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t j = 0; j < sys->n_obj; j++)
    l4px_sb_printf(&sb, "%s%s", j ? "," : "", sys->objectives[j]);
  return l4px_sb_detach(&sb);
}

/* Add the predicted front of treatment t as a series. */
static l4p_status predicted(const struct fronts *f, struct l4p__plot *p,
                            size_t s, size_t budget, size_t t, bool best,
                            bool second)
{
  const struct l4p__rsystem *sys = &f->st->systems[s];
  long long id;
  size_t *rows = NULL, n = 0;
  char *key = objective_key(sys);
  l4p_status st = key ? campaign(f, s, budget, t, &id)
                      : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = l4p__report_db_front(f->db, id, f->st->models[0].settings, key, &rows,
                              &n);
  char title[512];
  snprintf(title, sizeof title, "%s%s: predicted front (%zu)",
           f->st->treatments[t].name, best ? " (best mean HV ratio)" : "", n);
  struct l4p__series *ser = st ? NULL
                               : l4p__plot_series(p, title, L4P__STYLE_MARKS,
                                                  f->st->treatments[t].colour);
  if (ser)
    ser->dashed = second;
  for (size_t k = 0; ser && k < n; k++) {
    if (rows[k] >= sys->table->n_rows) {
      st = l4p_failf(L4P_ESTORE,
                     "study database: front row %zu of campaign "
                     "%lld is not a row of the table of '%s'",
                     rows[k], id, sys->name);
      break;
    }
    l4p__plot_point(p, ser, value(sys, rows[k], 0), value(sys, rows[k], 1), NAN,
                    (long)rows[k]);
  }
  free(rows);
  free(key);
  return st;
}

struct at_x {
  double x;
  size_t row;
};

static int by_x(const void *a, const void *b)
{
  const struct at_x *p = a, *q = b;
  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  return (p->row > q->row) - (p->row < q->row);
}

/* Sort the n rows of idx by their first objective (a 2-D front is then a
 * line from one end to the other). */
static l4p_status sort_by_x(const struct l4p__rsystem *sys, size_t *idx,
                            size_t n)
{
  struct at_x *a = malloc((n ? n : 1) * sizeof *a);
  if (!a)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < n; k++)
    a[k] = (struct at_x){value(sys, idx[k], 0), idx[k]};
  qsort(a, n, sizeof *a, by_x);
  for (size_t k = 0; k < n; k++)
    idx[k] = a[k].row;
  free(a);
  return L4P_OK;
}

/* The table as a cloud: every row, or MAX_CLOUD rows at a fixed stride. */
static void cloud(const struct l4p__rsystem *sys, struct l4p__plot *p)
{
  size_t n = sys->table->n_rows, shown = n > MAX_CLOUD ? MAX_CLOUD : n;
  char title[128];
  snprintf(title, sizeof title, "all configurations (%zu%s)", shown,
           n > MAX_CLOUD ? " shown" : "");
  struct l4p__series *ser = l4p__plot_series(p, title, L4P__STYLE_CLOUD, -1);
  for (size_t k = 0; ser && k < shown; k++) {
    size_t r = n > MAX_CLOUD ? k * n / MAX_CLOUD : k;
    l4p__plot_point(p, ser, value(sys, r, 0), value(sys, r, 1), NAN, (long)r);
  }
}

/* The table's true front over the studied objectives (drawn last, on
 * top of the predicted ones). */
static l4p_status true_front(const struct l4p__rsystem *sys,
                             struct l4p__plot *p)
{
  size_t n = sys->table->n_rows, m = sys->n_obj;
  double *costs = malloc((n ? n : 1) * m * sizeof *costs);
  size_t *idx = malloc((n ? n : 1) * sizeof *idx);
  if (!costs || !idx) {
    free(costs);
    free(idx);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t r = 0; r < n; r++)
    for (size_t j = 0; j < m; j++) {
      bool max = sys->spec->objectives[sys->obj[j]].goal == L4P_MAXIMIZE;
      costs[r * m + j] = max ? -value(sys, r, j) : value(sys, r, j);
    }
  size_t n_front = l4p_pareto_front(costs, n, m, idx);
  l4p_status st = m == 2 ? sort_by_x(sys, idx, n_front) : L4P_OK;
  char title[128];
  snprintf(title, sizeof title, "true Pareto front (%zu)", n_front);
  struct l4p__series *front = l4p__plot_series(p, title, L4P__STYLE_FRONT, -1);
  if (front)
    front->joined = m == 2;
  for (size_t k = 0; !st && front && k < n_front; k++)
    l4p__plot_point(p, front, value(sys, idx[k], 0), value(sys, idx[k], 1), NAN,
                    (long)idx[k]);
  free(costs);
  free(idx);
  return st;
}

/* Log axes where the values span more than LOG_SPAN times, all positive. */
static void log_axes(struct l4p__plot *p)
{
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (size_t k = 0; k < p->n_series; k++)
    for (size_t i = 0; i < p->series[k].n; i++) {
      double v[2] = {p->series[k].x[i], p->series[k].y[i]};
      for (int a = 0; a < 2; a++)
        if (isfinite(v[a])) {
          lo[a] = fmin(lo[a], v[a]);
          hi[a] = fmax(hi[a], v[a]);
        }
    }
  p->log_x = lo[0] > 0 && hi[0] / lo[0] > LOG_SPAN;
  p->log_y = lo[1] > 0 && hi[1] / lo[1] > LOG_SPAN;
}

/* "name [unit] (min)" of studied objective j. */
static void axis(const struct l4p__rsystem *sys, size_t j, char *buf,
                 size_t size)
{
  const struct l4p_objective *o = &sys->spec->objectives[sys->obj[j]];
  snprintf(buf, size, "%s%s%s%s (%s)", o->name, o->unit ? " [" : "",
           o->unit ? o->unit : "", o->unit ? "]" : "",
           o->goal == L4P_MAXIMIZE ? "max" : "min");
}

/* The treatments to show: LLM4Perf's (or SIZE_MAX) and the best mean
 * hypervolume ratio's (or SIZE_MAX). */
static void choose(const struct l4p__rstudy *st, size_t s, size_t budget,
                   size_t *llm, size_t *best)
{
  *llm = *best = SIZE_MAX;
  for (size_t t = 0; t < st->n_treatments; t++)
    if (!strcmp(st->treatments[t].sampler, "llm4perf") &&
        (*llm == SIZE_MAX ||
         (st->treatments[*llm].pruned && !st->treatments[t].pruned)))
      *llm = t;
  const struct l4p__rscenario *sc =
      l4p__rstudy_scenario(st, true, s, NULL, budget, 0);
  for (size_t t = 0; sc && t < st->n_treatments; t++)
    if (sc->values[t].n &&
        (*best == SIZE_MAX || sc->values[t].mean > sc->values[*best].mean))
      *best = t;
}

static l4p_status system_front(const struct fronts *f, struct l4p__doc *d,
                               size_t s)
{
  const struct l4p__rstudy *st = f->st;
  const struct l4p__rsystem *sys = &st->systems[s];
  size_t budget = 0, llm, best;
  for (size_t b = 0; b < sys->n_budgets; b++)
    budget = sys->budgets[b] > budget ? sys->budgets[b] : budget;
  choose(st, s, budget, &llm, &best);
  char x[256], y[256], title[512];
  axis(sys, 0, x, sizeof x);
  axis(sys, 1, y, sizeof y);
  snprintf(title, sizeof title, "%s: fronts at n=%zu, %s, repetition 1",
           sys->name, budget, st->models[0].label);
  struct l4p__plot *p = l4p__plot_new(L4P__PLOT_SCATTER, title, x, y);
  const char *parts[] = {"front", sys->name};
  if (!p || !(p->name = l4p__slug(parts, 2)) ||
      l4p__plot_columns(p, sys->objectives[0], sys->objectives[1])) {
    l4p__plot_free(p);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  p->width = 720;
  p->height = 560;
  cloud(sys, p);
  l4p_status rc = L4P_OK;
  if (llm != SIZE_MAX)
    rc = predicted(f, p, s, budget, llm, llm == best, false);
  if (!rc && best != SIZE_MAX && best != llm)
    rc = predicted(f, p, s, budget, best, true, true);
  if (!rc)
    rc = true_front(sys, p);
  log_axes(p);
  if (rc) {
    l4p__plot_free(p);
    return rc;
  }
  l4p__doc_heading(d, 3, NULL, "%s", sys->name);
  l4p__doc_plot(d, p);
  if (sys->n_obj > 2)
    l4p__doc_note(d,
                  "%s has %zu objectives: the plot is the projection on "
                  "the first two (%s, %s); the fronts are computed over all "
                  "%zu, so some of their points look dominated here.",
                  sys->name, sys->n_obj, sys->objectives[0], sys->objectives[1],
                  sys->n_obj);
  if (llm == SIZE_MAX)
    l4p__doc_note(d, "The study has no LLM4Perf treatment.");
  return L4P_OK;
}

/* See report-int.h. */
l4p_status l4p__sec_fronts(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  size_t multi = 0;
  for (size_t s = 0; s < st->n_systems; s++)
    multi += st->systems[s].n_obj >= 2;
  l4p__doc_heading(d, 2, "fronts", "Predicted versus true Pareto fronts");
  if (!multi) {
    l4p__doc_note(d, "No system has two or more objectives.");
    return L4P_OK;
  }
  l4p__doc_text(d,
                "At each multi-objective system's largest budget, with "
                "the model %s and the sample of repetition 1: every "
                "configuration of the table in grey (at most %d, taken at "
                "a fixed stride), the table's true Pareto front in black, "
                "and the configurations the model predicted to be Pareto "
                "optimal, drawn at their true measured values, for the "
                "LLM4Perf treatment (filled squares) and for the treatment "
                "with the best mean hypervolume ratio at that budget "
                "(filled triangles). An axis whose values span more than "
                "%g times is logarithmic.",
                st->models[0].label, MAX_CLOUD, LOG_SPAN);
  struct fronts f = {st, {0}, {0}, NULL};
  char *path = l4px_path_join(st->dir, "samples.csv");
  l4p_status s = path ? l4px_csv_read(&f.samples, path, ',')
                      : l4p_failf(L4P_ENOMEM, "out of memory");
  const char *names[6] = {"system", "budget",     "sampler",
                          "pruned", "repetition", "campaign"};
  for (size_t k = 0; !s && k < 6; k++)
    if ((f.col[k] = l4px_csv_column(&f.samples, names[k])) < 0)
      s = l4p_failf(L4P_EPARSE, "%s: no column '%s'", path, names[k]);
  if (!s)
    s = l4p__report_db_open(st->dir, &f.db);
  for (size_t k = 0; !s && k < st->n_systems; k++)
    if (st->systems[k].n_obj >= 2)
      s = system_front(&f, d, k);
  sqlite3_close(f.db);
  l4px_csv_release(&f.samples);
  free(path);
  return s;
}
