/* Is DIR a finished study? The report needs what 'llm4perf study' writes
 * last (summary.json, after every cell is stored), so a study still
 * running or interrupted is refused with the number of cells it has
 * stored so far, and a cells.csv short of the cells summary.json counts
 * is refused with the number missing (docs/REPORT.md, "Bad input").
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report-int.h"
#include "util/csv.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Does dir/name exist? ENOMEM aside, *exists tells. */
static l4p_status has_file(const char *dir, const char *name, bool *exists)
{
  char *path = l4px_path_join(dir, name);
  if (!path)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct stat sb;
  *exists = stat(path, &sb) == 0;
  free(path);
  return L4P_OK;
}

/* See report-int.h. */
l4p_status l4p__report_check_dir(const char *dir)
{
  struct stat sb;
  if (stat(dir, &sb) != 0)
    return l4p_failf(L4P_EIO, "cannot open study directory '%s': %s", dir,
                     strerror(errno));
  if (!S_ISDIR(sb.st_mode))
    return l4p_failf(L4P_EIO,
                     "'%s' is not a directory (expected the "
                     "output directory of 'llm4perf study')",
                     dir);
  bool db = false, summary = false;
  l4p_status s = has_file(dir, "study.db", &db);
  if (!s)
    s = has_file(dir, "summary.json", &summary);
  if (s)
    return s;
  if (!db)
    return l4p_failf(L4P_EIO,
                     "'%s' holds no study.db: not the output "
                     "directory of 'llm4perf study'",
                     dir);
  if (summary)
    return L4P_OK;
  sqlite3 *conn;
  size_t cells = 0;
  if ((s = l4p__report_db_open(dir, &conn)))
    return s;
  s = l4p__report_db_cells(conn, &cells);
  sqlite3_close(conn);
  if (s)
    return s;
  return l4p_failf(L4P_EIO,
                   "the study in '%s' has not finished: study.db "
                   "holds %zu cells and there is no summary.json yet (run "
                   "'llm4perf study' with the same --out again to finish "
                   "it)",
                   dir, cells);
}

/* See report-int.h. */
l4p_status l4p__report_check_cells(const struct l4p__rstudy *st)
{
  char *path = l4px_path_join(st->dir, "cells.csv");
  if (!path)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct stat sb;
  struct l4px_csv csv = {0};
  l4p_status s = L4P_OK;
  size_t rows = 0;
  if (stat(path, &sb) == 0) {
    s = l4px_csv_read(&csv, path, ',');
    rows = csv.n_rows;
  }
  l4px_csv_release(&csv);
  free(path);
  if (!s && rows < st->grid_cells)
    s = l4p_failf(L4P_EIO,
                  "the study in '%s' is unfinished: cells.csv "
                  "holds %zu of the %zu cells summary.json counts (%zu "
                  "missing; run 'llm4perf study' with the same --out again)",
                  st->dir, rows, st->grid_cells, st->grid_cells - rows);
  return s;
}
