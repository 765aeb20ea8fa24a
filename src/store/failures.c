/* Why measurements failed, grouped by reason, so a person running a live
 * system sees at once that, say, every run timed out or the program is
 * missing, instead of a count.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* See store.h. */
l4p_status l4p_store_failures(struct l4p_store *store, int64_t campaign,
                              struct l4p_failure_count **list, size_t *n)
{
  *list = NULL;
  *n = 0;
  sqlite3_stmt *stmt;
  const char *what = "cannot read the failed configurations";
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT coalesce(error, ''), count(*) FROM configuration "
      "WHERE campaign = ? AND state = 'failed' "
      "GROUP BY error ORDER BY 2 DESC, 1",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 8;
      struct l4p_failure_count *grown = realloc(*list, cap * sizeof *grown);
      if (!grown) {
        st = l4p_failf(L4P_ENOMEM, "out of memory");
        break;
      }
      *list = grown;
    }
    struct l4p_failure_count *f = &(*list)[(*n)++];
    snprintf(f->reason, sizeof f->reason, "%s",
             (const char *)sqlite3_column_text(stmt, 0));
    f->count = (size_t)sqlite3_column_int64(stmt, 1);
  }
  if (st == L4P_OK && rc != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  sqlite3_finalize(stmt);
  if (st != L4P_OK) {
    free(*list);
    *list = NULL;
    *n = 0;
  }
  return st;
}
