/* Planning: the configurations a sampler proposed are written before they
 * are measured, so a campaign killed mid-batch resumes by measuring what
 * it had planned (l4p_store_pending) instead of drawing a new batch, and
 * a resumed sampler with the same seed proposes nothing twice.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* One past the campaign's largest seq (1 for an empty campaign). */
l4p_status l4p__store_next_seq(struct l4p_store *store, int64_t campaign,
                               int64_t *seq)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot number the configurations";
  l4p_status st =
      l4p__store_prepare(store,
                         "SELECT coalesce(max(seq), 0) + 1 FROM configuration "
                         "WHERE campaign = ?",
                         &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  if (sqlite3_step(stmt) == SQLITE_ROW)
    *seq = sqlite3_column_int64(stmt, 0);
  else
    st = l4p__store_fail(store, what);
  sqlite3_finalize(stmt);
  return st;
}

/* Insert each configuration not yet in the campaign, under its own key or
 * as the request of a mapped one (so a configuration the oracle mapped
 * elsewhere is not planned again). Everything runs in one transaction. */
static l4p_status plan_all(struct l4p_store *store, int64_t campaign,
                           const struct l4p_space *space, const double *cfgs,
                           size_t n, size_t *added)
{
  int64_t seq = 0;
  l4p_status st = l4p__store_check_campaign(store, campaign);
  if (st == L4P_OK)
    st = l4p__store_next_seq(store, campaign, &seq);
  if (st != L4P_OK)
    return st;
  sqlite3_stmt *stmt;
  const char *what = "cannot plan configurations";
  st = l4p__store_prepare(
      store,
      "INSERT OR IGNORE INTO configuration"
      " (campaign, seq, key, requested_key, config_json) "
      "SELECT ?1, ?2, ?3, ?3, ?4 WHERE NOT EXISTS"
      " (SELECT 1 FROM configuration"
      "   WHERE campaign = ?1 AND (key = ?3 OR requested_key = ?3))",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  size_t width = l4p_space_n_options(space);
  for (size_t i = 0; i < n && st == L4P_OK; i++) {
    const double *cfg = cfgs + i * width;
    char *key = l4p_space_config_key(space, cfg), *json = NULL;
    if (!key)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    else
      st = l4p__store_config_json(space, cfg, &json);
    if (st == L4P_OK) {
      sqlite3_bind_int64(stmt, 1, campaign);
      sqlite3_bind_int64(stmt, 2, seq);
      sqlite3_bind_text(stmt, 3, key, -1, SQLITE_STATIC);
      sqlite3_bind_text(stmt, 4, json, -1, SQLITE_STATIC);
      if (sqlite3_step(stmt) != SQLITE_DONE)
        st = l4p__store_fail(store, what);
      else if (sqlite3_changes(store->db) > 0) {
        seq++;
        (*added)++;
      }
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
    free(key);
    free(json);
  }
  sqlite3_finalize(stmt);
  if (st == L4P_OK && *added)
    st = l4p__store_touch(store, campaign);
  return st;
}

/* Record the n proposed configurations cfgs (n x n_options) of campaign,
 * skipping those it already holds; *added (may be NULL) counts new rows.
 * On failure nothing is written. */
l4p_status l4p_store_plan(struct l4p_store *store, int64_t campaign,
                          const struct l4p_space *space, const double *cfgs,
                          size_t n, size_t *added)
{
  size_t count = 0;
  if (added)
    *added = 0;
  if (!space || (n && !cfgs))
    return l4p_failf(L4P_EUSAGE, "store: nothing to plan");
  l4p_status st = l4p__store_begin(store, "cannot plan configurations");
  if (st != L4P_OK)
    return st;
  st = plan_all(store, campaign, space, cfgs, n, &count);
  if (st != L4P_OK) {
    l4p__store_rollback(store);
    return st;
  }
  st = l4p__store_commit(store, "cannot plan configurations");
  if (st == L4P_OK && added)
    *added = count;
  return st;
}

/* The campaign's planned, unmeasured configurations in plan order, into a
 * new n x n_options array (free() it; NULL when none). */
l4p_status l4p_store_pending(struct l4p_store *store, int64_t campaign,
                             const struct l4p_space *space, double **cfgs,
                             size_t *n)
{
  *cfgs = NULL;
  *n = 0;
  l4p_status st = l4p__store_check_campaign(store, campaign);
  if (st != L4P_OK)
    return st;
  sqlite3_stmt *stmt;
  st = l4p__store_prepare(
      store,
      "SELECT id, config_json FROM configuration "
      "WHERE campaign = ? AND state = 'planned' ORDER BY seq",
      &stmt, "cannot read pending configurations");
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  st = l4p__store_fetch_configs(store, stmt, space, cfgs, n);
  sqlite3_finalize(stmt);
  return st;
}
