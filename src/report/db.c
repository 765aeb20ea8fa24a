/* The report's reads of DIR/study.db (docs/internals/STORE-SCHEMA.md):
 * how many cells an unfinished study has stored, and the predicted
 * Pareto front of one (campaign, model). Opened read-only, so drawing a
 * report can never change a study.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "report-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

static l4p_status db_fail(sqlite3 *db, const char *what)
{
  return l4p_failf(L4P_ESTORE, "study database: %s: %s", what,
                   sqlite3_errmsg(db));
}

/* See report-int.h. */
l4p_status l4p__report_db_open(const char *dir, sqlite3 **db)
{
  char *path = l4px_path_join(dir, "study.db");
  if (!path)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  *db = NULL;
  l4p_status s = L4P_OK;
  if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    s = *db ? l4p_failf(L4P_ESTORE, "cannot open '%s': %s", path,
                        sqlite3_errmsg(*db))
            : l4p_failf(L4P_ENOMEM, "out of memory");
  if (s) {
    sqlite3_close(*db);
    *db = NULL;
  } else {
    sqlite3_busy_timeout(*db, 5000);
  }
  free(path);
  return s;
}

/* See report-int.h. */
l4p_status l4p__report_db_cells(sqlite3 *db, size_t *n)
{
  sqlite3_stmt *q;
  *n = 0;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM study_cell", -1, &q, NULL) !=
      SQLITE_OK)
    return db_fail(db, "cannot count cells");
  l4p_status s = L4P_OK;
  if (sqlite3_step(q) == SQLITE_ROW)
    *n = (size_t)sqlite3_column_int64(q, 0);
  else
    s = db_fail(db, "cannot count cells");
  sqlite3_finalize(q);
  return s;
}

/* The JSON array of row indices text into a new array. */
static l4p_status parse_rows(const char *text, size_t **rows, size_t *n)
{
  json_t *a = json_loads(text, 0, NULL);
  size_t len = json_is_array(a) ? json_array_size(a) : 0;
  l4p_status s = json_is_array(a)
                     ? L4P_OK
                     : l4p_failf(L4P_ESTORE, "study database: a front is "
                                             "not a JSON array");
  if (!s && !(*rows = malloc((len ? len : 1) * sizeof **rows)))
    s = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !s && k < len; k++) {
    json_t *v = json_array_get(a, k);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
      s = l4p_failf(L4P_ESTORE, "study database: a front holds a bad row");
    else
      (*rows)[k] = (size_t)json_integer_value(v);
  }
  if (s && *rows) {
    free(*rows);
    *rows = NULL;
  }
  *n = s ? 0 : len;
  json_decref(a);
  return s;
}

/* See report-int.h. */
l4p_status l4p__report_db_front(sqlite3 *db, long long campaign,
                                const char *model, const char *objectives,
                                size_t **rows, size_t *n)
{
  sqlite3_stmt *q;
  *rows = NULL;
  *n = 0;
  if (sqlite3_prepare_v2(db,
                         "SELECT front FROM study_front WHERE campaign "
                         "= ? AND model = ? AND objectives = ?",
                         -1, &q, NULL) != SQLITE_OK)
    return db_fail(db, "cannot read fronts");
  sqlite3_bind_int64(q, 1, campaign);
  sqlite3_bind_text(q, 2, model, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, objectives, -1, SQLITE_STATIC);
  l4p_status s;
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    s = parse_rows((const char *)sqlite3_column_text(q, 0), rows, n);
  else if (rc == SQLITE_DONE)
    s = l4p_failf(L4P_EIO,
                  "study database: no predicted front of campaign "
                  "%lld for objectives '%s'",
                  campaign, objectives);
  else
    s = db_fail(db, "cannot read fronts");
  sqlite3_finalize(q);
  return s;
}
