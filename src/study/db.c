/* The study's tables in DIR/study.db (study_hyper, study_cell,
 * study_front; docs/internals/STORE-SCHEMA.md, version 4). The store
 * creates them with its other migrations; a study worker reads and writes
 * them through a connection of its own beside its store handle. Writes
 * are single short transactions taking the write lock up front, so
 * workers never deadlock and a kill leaves a unit whole or absent.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Workers wait this long for another worker's write lock: far beyond any
 * study transaction, which writes a few rows. */
#define DB_BUSY_TIMEOUT_MS 60000

/* See study-int.h: ESTORE with SQLite's message. */
l4p_status l4p__study_db_fail(sqlite3 *db, const char *what)
{
  return l4p_failf(L4P_ESTORE, "study database: %s: %s", what,
                   sqlite3_errmsg(db));
}

/* See study-int.h. The store must have created the file (migrations). */
l4p_status l4p__study_db_open(const char *path, sqlite3 **db)
{
  if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    l4p_status s = *db ? l4p__study_db_fail(*db, "cannot open")
                       : l4p_failf(L4P_ENOMEM, "out of memory");
    sqlite3_close(*db);
    *db = NULL;
    return s;
  }
  sqlite3_busy_timeout(*db, DB_BUSY_TIMEOUT_MS);
  if (sqlite3_exec(*db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL",
                   NULL, NULL, NULL) != SQLITE_OK) {
    l4p_status s = l4p__study_db_fail(*db, "cannot configure");
    sqlite3_close(*db);
    *db = NULL;
    return s;
  }
  return L4P_OK;
}

/* See study-int.h; NULL is a no-op. */
void l4p__study_db_close(sqlite3 *db)
{
  sqlite3_close(db);
}

/* Prepare sql into *q, or fail with what and SQLite's message (*q is then
 * NULL, which sqlite3_finalize takes). */
static l4p_status prepare(sqlite3 *db, const char *sql, const char *what,
                          sqlite3_stmt **q)
{
  if (sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK)
    return l4p__study_db_fail(db, what);
  return L4P_OK;
}

/* Run a prepared write to its end and finalize it; what names the
 * failure. */
static l4p_status run_write(sqlite3 *db, sqlite3_stmt *q, const char *what)
{
  l4p_status s =
      sqlite3_step(q) == SQLITE_DONE ? L4P_OK : l4p__study_db_fail(db, what);
  sqlite3_finalize(q);
  return s;
}

/* Bind a unit's key as ?1 campaign and ?2 model, the numbering of every
 * study_cell and study_front statement below. */
static void bind_unit(sqlite3_stmt *q, int64_t campaign, const char *model)
{
  sqlite3_bind_int64(q, 1, campaign);
  sqlite3_bind_text(q, 2, model, -1, SQLITE_STATIC);
}

/* Bind a scenario's key as ?1 system, ?2 objective, ?3 budget, ?4 model
 * and ?5 seed, the numbering of both study_hyper statements. */
static void bind_hyper_key(sqlite3_stmt *q, const char *system,
                           const char *objective, size_t budget,
                           const char *model, uint64_t seed)
{
  sqlite3_bind_text(q, 1, system, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, objective, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, (sqlite3_int64)budget);
  sqlite3_bind_text(q, 4, model, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 5, (sqlite3_int64)seed);
}

/* NaN is stored as NULL. */
static void bind_real(sqlite3_stmt *q, int i, double v)
{
  if (isnan(v))
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_double(q, i, v);
}

static double column_real(sqlite3_stmt *q, int i)
{
  return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN
                                                  : sqlite3_column_double(q, i);
}

/* One INSERT OR IGNORE of a cell. */
static l4p_status put_cell(sqlite3 *db, sqlite3_stmt *q, int64_t campaign,
                           const char *model, const char *objective,
                           const struct l4p__study_cell_row *c)
{
  sqlite3_reset(q);
  bind_unit(q, campaign, model);
  sqlite3_bind_text(q, 3, objective, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 4, (sqlite3_int64)c->train_rows);
  sqlite3_bind_int64(q, 5, (sqlite3_int64)c->test_rows);
  sqlite3_bind_int64(q, 6, (sqlite3_int64)c->zero_rows);
  bind_real(q, 7, c->rmse);
  bind_real(q, 8, c->nrmse);
  bind_real(q, 9, c->mre);
  sqlite3_bind_double(q, 10, c->seconds);
  return sqlite3_step(q) == SQLITE_DONE
             ? L4P_OK
             : l4p__study_db_fail(db, "cannot store a cell");
}

/* The front's row: the table rows as a JSON array. */
static l4p_status put_front(sqlite3 *db, int64_t campaign, const char *model,
                            const struct l4p__study_front_row *f)
{
  struct l4px_sb rows;
  l4px_sb_init(&rows);
  l4px_sb_putc(&rows, '[');
  for (size_t k = 0; k < f->n_front; k++)
    l4px_sb_printf(&rows, "%s%zu", k ? "," : "", f->front[k]);
  l4px_sb_putc(&rows, ']');
  if (l4px_sb_failed(&rows)) {
    l4px_sb_release(&rows);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  const char *what = "cannot store a front";
  sqlite3_stmt *q;
  l4p_status s = prepare(db,
                         "INSERT OR IGNORE INTO study_front(campaign, "
                         "model, objectives, front_size, front, hv_ratio) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         what, &q);
  if (!s) {
    bind_unit(q, campaign, model);
    sqlite3_bind_text(q, 3, f->objectives, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)f->n_front);
    sqlite3_bind_text(q, 5, rows.buf, -1, SQLITE_STATIC);
    bind_real(q, 6, f->hv_ratio);
    s = run_write(db, q, what);
  }
  l4px_sb_release(&rows);
  return s;
}

/* See study-int.h. */
l4p_status l4p__study_db_put_unit(sqlite3 *db, int64_t campaign,
                                  const char *model,
                                  const struct l4p_spec *spec,
                                  const struct l4p__study_cell_row *cells,
                                  size_t n,
                                  const struct l4p__study_front_row *front)
{
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return l4p__study_db_fail(db, "cannot start a transaction");
  sqlite3_stmt *q = NULL;
  l4p_status s = prepare(db,
                         "INSERT OR IGNORE INTO study_cell(campaign, "
                         "model, objective, train_rows, test_rows, "
                         "zero_rows, rmse, nrmse, mre, seconds) VALUES (?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         "cannot store a cell", &q);
  for (size_t k = 0; !s && k < n; k++)
    s = put_cell(db, q, campaign, model,
                 spec->objectives[cells[k].objective].name, &cells[k]);
  sqlite3_finalize(q);
  if (!s)
    s = put_front(db, campaign, model, front);
  if (!s && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    s = l4p__study_db_fail(db, "cannot commit");
  if (s && !sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return s;
}

/* See study-int.h. */
l4p_status l4p__study_db_unit_done(sqlite3 *db, int64_t campaign,
                                   const char *model, const char *objectives,
                                   size_t n_objectives, bool *done)
{
  const char *what = "cannot read cells";
  sqlite3_stmt *q;
  *done = false;
  l4p_status s = prepare(db,
                         "SELECT (SELECT count(*) FROM study_front "
                         "WHERE campaign = ?1 AND model = ?2 AND objectives "
                         "= ?3), (SELECT count(*) FROM study_cell WHERE "
                         "campaign = ?1 AND model = ?2 AND instr(',' || ?3 "
                         "|| ',', ',' || objective || ',') > 0)",
                         what, &q);
  if (s)
    return s;
  bind_unit(q, campaign, model);
  sqlite3_bind_text(q, 3, objectives, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW)
    *done = sqlite3_column_int64(q, 0) == 1 &&
            (size_t)sqlite3_column_int64(q, 1) == n_objectives;
  else
    s = l4p__study_db_fail(db, what);
  sqlite3_finalize(q);
  return s;
}

/* See study-int.h. */
l4p_status l4p__study_db_get_cell(sqlite3 *db, int64_t campaign,
                                  const char *model, const char *objective,
                                  const char *objectives,
                                  struct l4p__study_cell_row *row,
                                  double *hv_ratio, bool *found)
{
  const char *what = "cannot read cells";
  sqlite3_stmt *q;
  *found = false;
  l4p_status s = prepare(db,
                         "SELECT c.train_rows, c.test_rows, "
                         "c.zero_rows, c.rmse, c.nrmse, c.mre, c.seconds, "
                         "f.hv_ratio FROM study_cell c LEFT JOIN study_front "
                         "f ON f.campaign = c.campaign AND f.model = c.model "
                         "AND f.objectives = ?4 WHERE c.campaign = ?1 AND "
                         "c.model = ?2 AND c.objective = ?3",
                         what, &q);
  if (s)
    return s;
  bind_unit(q, campaign, model);
  sqlite3_bind_text(q, 3, objective, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 4, objectives, -1, SQLITE_STATIC);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    row->train_rows = (size_t)sqlite3_column_int64(q, 0);
    row->test_rows = (size_t)sqlite3_column_int64(q, 1);
    row->zero_rows = (size_t)sqlite3_column_int64(q, 2);
    row->rmse = column_real(q, 3);
    row->nrmse = column_real(q, 4);
    row->mre = column_real(q, 5);
    row->seconds = column_real(q, 6);
    *hv_ratio = column_real(q, 7);
    *found = true;
  } else if (rc != SQLITE_DONE) {
    s = l4p__study_db_fail(db, what);
  }
  sqlite3_finalize(q);
  return s;
}

/* See study-int.h. */
l4p_status l4p__study_db_get_hyper(sqlite3 *db, const char *system,
                                   const char *objective, size_t budget,
                                   const char *model, uint64_t seed,
                                   struct l4p__study_hyper *h)
{
  const char *what = "cannot read hyper-parameters";
  sqlite3_stmt *q;
  l4p_status s = prepare(db,
                         "SELECT layers, lr, lambda FROM study_hyper "
                         "WHERE system = ? AND objective = ? AND budget = ? "
                         "AND model = ? AND seed = ?",
                         what, &q);
  if (s)
    return s;
  bind_hyper_key(q, system, objective, budget, model, seed);
  int rc = sqlite3_step(q);
  h->found = rc == SQLITE_ROW;
  if (h->found) {
    h->layers = sqlite3_column_int(q, 0);
    h->lr = sqlite3_column_double(q, 1);
    h->lambda = sqlite3_column_double(q, 2);
  } else if (rc != SQLITE_DONE) {
    s = l4p__study_db_fail(db, what);
  }
  sqlite3_finalize(q);
  return s;
}

/* See study-int.h (autocommit: one statement). */
l4p_status l4p__study_db_put_hyper(sqlite3 *db, const char *system,
                                   const char *objective, size_t budget,
                                   const char *model, uint64_t seed,
                                   size_t rows, double seconds,
                                   const struct l4p__study_hyper *h)
{
  const char *what = "cannot store hyper-parameters";
  sqlite3_stmt *q;
  l4p_status s = prepare(db,
                         "INSERT OR IGNORE INTO study_hyper(system, "
                         "objective, budget, model, seed, rows, layers, lr, "
                         "lambda, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                         "?, ?)",
                         what, &q);
  if (s)
    return s;
  bind_hyper_key(q, system, objective, budget, model, seed);
  sqlite3_bind_int64(q, 6, (sqlite3_int64)rows);
  sqlite3_bind_int(q, 7, h->layers);
  sqlite3_bind_double(q, 8, h->lr);
  sqlite3_bind_double(q, 9, h->lambda);
  sqlite3_bind_double(q, 10, seconds);
  return run_write(db, q, what);
}
