/* A study's tidy tables, written from the database: cells.csv (one row
 * per cell of the grid, keys and metrics), samples.csv (one row per
 * sample) and diagnostics.csv (diagnostics.c: one row per llm4perf
 * campaign). Rows follow the grid, numbers are the shortest text that
 * reads back exactly and timings are left out (but the LLM latency
 * recorded in study.db), so the same study gives the same files byte for
 * byte, interrupted or not (docs/STUDY.md).
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/numfmt.h"
#include "util/banned.h"

/* See study-int.h. */
void l4p__study_fmt(double v, char *buf, size_t size)
{
  if (isnan(v)) {
    snprintf(buf, size, "%s", "");
    return;
  }
  l4px_fmt_exact(v, 15, buf, size);
}

/* See study-int.h. */
l4p_status l4p__study_write_table(struct l4px_sb *sb, const char *path,
                                  l4p_status s)
{
  if (!s && l4px_sb_failed(sb))
    s = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!s)
    s = l4px_write_file_atomic(path, sb->buf, sb->len);
  l4px_sb_release(sb);
  return s;
}

static void put_num(struct l4px_sb *sb, double v)
{
  char buf[40];
  l4p__study_fmt(v, buf, sizeof buf);
  l4px_sb_printf(sb, ",%s", buf);
}

/* Index of the sample (system s, budget b, treatment t, repetition r). */
static size_t sample_index(const struct l4p__study_run *run, size_t s, size_t b,
                           size_t t, size_t r)
{
  size_t k = 0, reps = run->study->repetitions;
  for (size_t i = 0; i < s; i++)
    k += run->study->systems[i].n_budgets * run->n_treatments * reps;
  return k + (b * run->n_treatments + t) * reps + r;
}

/* One row of cells.csv, and the cell for the summaries. */
static l4p_status cell_row(const struct l4p__study_run *run, sqlite3 *db,
                           size_t k, size_t j, size_t m, const char *objs,
                           struct l4px_sb *sb, struct l4p_study_cell *cell)
{
  const struct l4p_study *st = run->study;
  const struct l4p__study_sample *smp = &run->samples[k];
  const struct l4p__study_system *sys = &st->systems[smp->system];
  const struct l4p__study_treatment *tr = &run->treatments[smp->treatment];
  const char *objective = sys->spec->objectives[j].name;
  struct l4p__study_cell_row c;
  double hv;
  bool found;
  l4p_status s = l4p__study_db_get_cell(db, smp->campaign, st->models[m].key,
                                        objective, objs, &c, &hv, &found);
  if (s)
    return s;
  if (!found)
    return l4p_failf(L4P_ESTORE,
                     "study database: no cell for campaign "
                     "%" PRId64 ", model %s, objective %s",
                     smp->campaign, st->models[m].label, objective);
  *cell = (struct l4p_study_cell){sys->spec->name,
                                  sys->n_obj,
                                  objective,
                                  sys->budgets[smp->budget],
                                  st->samplers[tr->sampler].label,
                                  tr->pruned,
                                  smp->repetition + 1,
                                  st->models[m].label,
                                  c.rmse,
                                  c.nrmse,
                                  c.mre,
                                  hv};
  l4px_sb_csv_field(sb, cell->system, ',');
  l4px_sb_printf(sb, ",%zu,", cell->n_objectives);
  l4px_sb_csv_field(sb, objective, ',');
  l4px_sb_printf(sb, ",%zu,%s,%s,%zu,%s,%" PRIu64 ",%" PRId64 ",%zu,%zu,%zu",
                 cell->budget, cell->sampler, tr->pruned ? "yes" : "no",
                 cell->repetition, cell->model, smp->seed, smp->campaign,
                 c.train_rows, c.test_rows, c.zero_rows);
  put_num(sb, c.rmse);
  put_num(sb, c.nrmse);
  put_num(sb, c.mre);
  put_num(sb, hv);
  l4px_sb_putc(sb, '\n');
  return L4P_OK;
}

/* cells.csv: system, objective, budget, model, treatment, repetition. */
static l4p_status write_cells(const struct l4p__study_run *run, sqlite3 *db,
                              const char *path, struct l4p__study_cells *out)
{
  const struct l4p_study *st = run->study;
  size_t total = 0;
  for (size_t s = 0; s < st->n_systems; s++)
    total += st->systems[s].n_budgets * st->systems[s].n_obj;
  total *= st->n_models * run->n_treatments * st->repetitions;
  if (!(out->cells = calloc(total ? total : 1, sizeof *out->cells)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_puts(&sb, "system,n_objectives,objective,budget,sampler,pruned,"
                    "repetition,model,seed,campaign,train_rows,test_rows,"
                    "zero_rows,rmse,nrmse,mre,hv_ratio\n");
  l4p_status s = L4P_OK;
  for (size_t sy = 0; !s && sy < st->n_systems; sy++) {
    const struct l4p__study_system *sys = &st->systems[sy];
    char *objs = l4p__study_objective_list(st, sy);
    if (!objs)
      s = l4p_failf(L4P_ENOMEM, "out of memory");
    for (size_t j = 0; !s && j < sys->n_obj; j++)
      for (size_t b = 0; !s && b < sys->n_budgets; b++)
        for (size_t m = 0; !s && m < st->n_models; m++)
          for (size_t t = 0; !s && t < run->n_treatments; t++)
            for (size_t r = 0; !s && r < st->repetitions; r++)
              s = cell_row(run, db, sample_index(run, sy, b, t, r), sys->obj[j],
                           m, objs, &sb, &out->cells[out->n++]);
    free(objs);
  }
  return l4p__study_write_table(&sb, path, s);
}

/* Measured, failed and planned configurations of a campaign. */
static l4p_status counts(sqlite3 *db, int64_t campaign, size_t n[3])
{
  static const char *const states[] = {"measured", "failed", "planned"};
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db,
                         "SELECT state, count(*) FROM configuration "
                         "WHERE campaign = ? GROUP BY state",
                         -1, &q, NULL))
    return l4p__study_db_fail(db, "cannot count configurations");
  sqlite3_bind_int64(q, 1, campaign);
  n[0] = n[1] = n[2] = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    for (size_t k = 0; k < 3; k++)
      if (!strcmp((const char *)sqlite3_column_text(q, 0), states[k]))
        n[k] = (size_t)sqlite3_column_int64(q, 1);
  sqlite3_finalize(q);
  return rc == SQLITE_DONE ? L4P_OK
                           : l4p__study_db_fail(db, "cannot count "
                                                    "configurations");
}

/* samples.csv, in grid order. */
static l4p_status write_samples(const struct l4p__study_run *run, sqlite3 *db,
                                const char *path)
{
  const struct l4p_study *st = run->study;
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_puts(&sb, "system,budget,sampler,sampler_name,pruned,repetition,"
                    "seed,campaign,shared,free_options,measured,failed,"
                    "params\n");
  l4p_status s = L4P_OK;
  for (size_t k = 0; !s && k < run->n_samples; k++) {
    const struct l4p__study_sample *smp = &run->samples[k];
    const struct l4p__study_system *sys = &st->systems[smp->system];
    const struct l4p__study_treatment *tr = &run->treatments[smp->treatment];
    const struct l4p__study_sampler *sa = &st->samplers[tr->sampler];
    const struct l4p_space *space =
        tr->pruned && sys->pruned ? sys->pruned : sys->spec->space;
    size_t n[3];
    if ((s = counts(db, smp->campaign, n)))
      break;
    l4px_sb_csv_field(&sb, sys->spec->name, ',');
    l4px_sb_printf(&sb,
                   ",%zu,%s,%s,%s,%zu,%" PRIu64 ",%" PRId64 ",%s,%zu,%zu,%zu,",
                   sys->budgets[smp->budget], sa->label, sa->name,
                   tr->pruned ? "yes" : "no", smp->repetition + 1, smp->seed,
                   smp->campaign, smp->first ? "no" : "yes",
                   l4p_space_n_free(space), n[0], n[1]);
    l4px_sb_csv_field(&sb, smp->params, ',');
    l4px_sb_putc(&sb, '\n');
  }
  return l4p__study_write_table(&sb, path, s);
}

/* See study-int.h. */
l4p_status l4p__study_export(struct l4p__study_run *run, sqlite3 *db,
                             const char *out_dir,
                             struct l4p__study_cells *cells)
{
  char *cp = l4px_path_join(out_dir, "cells.csv");
  char *sp = l4px_path_join(out_dir, "samples.csv");
  char *dp = l4px_path_join(out_dir, "diagnostics.csv");
  l4p_status s =
      cp && sp && dp ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!s)
    s = write_cells(run, db, cp, cells);
  if (!s)
    s = write_samples(run, db, sp);
  if (!s)
    s = l4p__study_write_diagnostics(run, dp);
  free(cp);
  free(sp);
  free(dp);
  return s;
}

/* See study-int.h. */
void l4p__study_cells_release(struct l4p__study_cells *c)
{
  free(c->cells);
  c->cells = NULL;
  c->n = 0;
}
