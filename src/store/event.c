/* The event log: a campaign's notable moments in time order (resumed,
 * a configuration mapped to the table row measured instead, warnings), so
 * a run can be audited from its database alone.
 * SPDX-License-Identifier: MIT */
#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Insert an event row inside the caller's transaction, if any. */
l4p_status l4p__store_add_event(struct l4p_store *store, int64_t campaign,
                                const char *kind, const char *message)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot log an event";
  l4p_status st = l4p__store_prepare(
      store, "INSERT INTO event(campaign, kind, message) VALUES (?, ?, ?)",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  if (campaign > 0)
    sqlite3_bind_int64(stmt, 1, campaign);
  else
    sqlite3_bind_null(stmt, 1);
  sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 3, message ? message : "", -1, SQLITE_STATIC);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  sqlite3_finalize(stmt);
  return st;
}

/* Append an event to a campaign's log in its own transaction. EUSAGE
 * without a kind; ESTORE when the campaign does not exist. */
l4p_status l4p_store_event(struct l4p_store *store, int64_t campaign,
                           const char *kind, const char *message)
{
  if (!kind || !*kind)
    return l4p_failf(L4P_EUSAGE, "store: an event needs a kind");
  if (campaign > 0) {
    l4p_status st = l4p__store_check_campaign(store, campaign);
    if (st != L4P_OK)
      return st;
  }
  return l4p__store_add_event(store, campaign, kind, message);
}
