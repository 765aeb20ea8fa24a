/* Campaigns: one sampler run on one system with one seed and budget. Its
 * key (system, sampler, params, seed, budget) is what makes a rerun resume
 * where the last one stopped instead of starting over (see "Resume" in
 * docs/internals/STORE-SCHEMA.md).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Bind a campaign key as ?1 system, ?2 sampler, ?3 params, ?4 seed,
 * ?5 budget and ?6 spec, the numbering both statements below use. */
static void bind_key(sqlite3_stmt *stmt, const struct l4p_campaign_key *key,
                     const char *params)
{
  sqlite3_bind_text(stmt, 1, key->system, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, key->sampler, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 3, params, -1, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 4, (sqlite3_int64)key->seed);
  sqlite3_bind_int64(stmt, 5, (sqlite3_int64)key->budget);
  sqlite3_bind_text(stmt, 6, key->spec_json, -1, SQLITE_STATIC);
}

/* Look up the campaign with this key: *id = 0 when there is none. When one
 * is found and its spec differs from key->spec_json, a warning event is
 * logged: the campaign goes on with the spec it began with, since its
 * configurations are written in that spec's space. */
static l4p_status find_campaign(struct l4p_store *store,
                                const struct l4p_campaign_key *key,
                                const char *params, int64_t *id)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot look up the campaign";
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT id, spec_json = ?6 FROM campaign WHERE system = ?1 AND "
      "sampler = ?2 AND params = ?3 AND seed = ?4 AND budget = ?5",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  bind_key(stmt, key, params);
  *id = 0;
  bool same_spec = true;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(stmt, 0);
    same_spec = sqlite3_column_int(stmt, 1) != 0;
  } else if (rc != SQLITE_DONE) {
    st = l4p__store_fail(store, what);
  }
  sqlite3_finalize(stmt);
  if (st == L4P_OK && *id && !same_spec)
    st = l4p__store_add_event(store, *id, "warning",
                              "the spec changed since the campaign began; "
                              "resuming with the stored spec");
  return st;
}

/* Insert a new campaign row and return its id. */
static l4p_status create_campaign(struct l4p_store *store,
                                  const struct l4p_campaign_key *key,
                                  const char *params, int64_t *id)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot create the campaign";
  l4p_status st = l4p__store_prepare(
      store,
      "INSERT INTO campaign(system, sampler, params, seed, budget, "
      "spec_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  bind_key(stmt, key, params);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  else
    *id = sqlite3_last_insert_rowid(store->db);
  sqlite3_finalize(stmt);
  return st;
}

/* Find or create the campaign for key, under the write lock so two
 * processes starting the same campaign agree on one row. The seed is kept
 * as its 64-bit pattern in a signed INTEGER column. */
l4p_status l4p_store_campaign(struct l4p_store *store,
                              const struct l4p_campaign_key *key, int64_t *id,
                              bool *resumed)
{
  if (!key || !key->system || !key->spec_json || !key->sampler)
    return l4p_failf(L4P_EUSAGE,
                     "store: campaign key needs a system, spec and sampler");
  if (key->budget > (size_t)INT64_MAX)
    return l4p_failf(L4P_EUSAGE, "store: budget %zu is too large", key->budget);
  const char *params = key->params ? key->params : "{}";
  l4p_status st = l4p__store_begin(store, "cannot start the campaign");
  if (st != L4P_OK)
    return st;
  int64_t found = 0;
  st = find_campaign(store, key, params, &found);
  if (st == L4P_OK && !found)
    st = create_campaign(store, key, params, id);
  if (st != L4P_OK) {
    l4p__store_rollback(store);
    return st;
  }
  st = l4p__store_commit(store, "cannot start the campaign");
  if (st == L4P_OK) {
    if (found)
      *id = found;
    if (resumed)
      *resumed = found != 0;
  }
  return st;
}

/* Prepare sql, a query with one parameter, the campaign id, and step to
 * its first row. On L4P_OK *stmt stands on that row and the caller
 * finalizes it; otherwise *stmt is finalized, and the error is ESTORE
 * "no campaign" when there is no row. */
static l4p_status campaign_row(struct l4p_store *store, const char *sql,
                               int64_t campaign, const char *what,
                               sqlite3_stmt **stmt)
{
  l4p_status st = l4p__store_prepare(store, sql, stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(*stmt, 1, campaign);
  int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_ROW)
    return L4P_OK;
  if (rc == SQLITE_DONE)
    st = l4p_failf(L4P_ESTORE, "store '%s': no campaign %lld", store->path,
                   (long long)campaign);
  else
    st = l4p__store_fail(store, what);
  sqlite3_finalize(*stmt);
  *stmt = NULL;
  return st;
}

/* Parse the spec stored with a campaign. The label given to the parser is
 * the database path, so messages point at the store and relative paths in
 * the spec resolve from the database's directory. */
l4p_status l4p_store_campaign_spec(struct l4p_store *store, int64_t campaign,
                                   struct l4p_spec **spec)
{
  *spec = NULL;
  sqlite3_stmt *stmt;
  l4p_status st =
      campaign_row(store, "SELECT spec_json FROM campaign WHERE id = ?",
                   campaign, "cannot read the campaign's spec", &stmt);
  if (st != L4P_OK)
    return st;
  const char *text = (const char *)sqlite3_column_text(stmt, 0);
  st = l4p_spec_parse(text ? text : "", store->path, spec);
  if (st != L4P_OK) {
    char prefix[64];
    snprintf(prefix, sizeof prefix, "spec of campaign %lld",
             (long long)campaign);
    l4p_error_prefix(prefix);
  }
  sqlite3_finalize(stmt);
  return st;
}

/* The campaign's parameters as stored (heap string). ESTORE when there is
 * no such campaign. */
l4p_status l4p_store_campaign_params(struct l4p_store *store, int64_t campaign,
                                     char **params)
{
  *params = NULL;
  sqlite3_stmt *stmt;
  l4p_status st =
      campaign_row(store, "SELECT params FROM campaign WHERE id = ?", campaign,
                   "cannot read the campaign's parameters", &stmt);
  if (st != L4P_OK)
    return st;
  const char *text = (const char *)sqlite3_column_text(stmt, 0);
  if (!(*params = strdup(text ? text : "{}")))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  sqlite3_finalize(stmt);
  return st;
}

/* Set done = 1 (the campaign reached its budget). ESTORE when there is no
 * such campaign. */
l4p_status l4p_store_campaign_finish(struct l4p_store *store, int64_t campaign)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot finish the campaign";
  l4p_status st = l4p__store_prepare(
      store,
      "UPDATE campaign SET done = 1, updated = " L4P__STORE_NOW " WHERE id = ?",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  else if (sqlite3_changes(store->db) == 0)
    st = l4p_failf(L4P_ESTORE, "store '%s': no campaign %lld", store->path,
                   (long long)campaign);
  sqlite3_finalize(stmt);
  return st;
}

/* Read the done flag; ESTORE when there is no such campaign. */
l4p_status l4p_store_campaign_done(struct l4p_store *store, int64_t campaign,
                                   bool *done)
{
  sqlite3_stmt *stmt;
  l4p_status st = campaign_row(store, "SELECT done FROM campaign WHERE id = ?",
                               campaign, "cannot read the campaign", &stmt);
  if (st != L4P_OK)
    return st;
  *done = sqlite3_column_int(stmt, 0) != 0;
  sqlite3_finalize(stmt);
  return L4P_OK;
}

/* Copy the text of column col into dst, truncating to fit. */
static void copy_text(sqlite3_stmt *stmt, int col, char *dst, size_t size)
{
  const char *text = (const char *)sqlite3_column_text(stmt, col);
  snprintf(dst, size, "%s", text ? text : "");
}

/* Every campaign with its counts of configurations by state ("planned"
 * counts those still waiting to be measured). *list is a new array
 * (free() it), NULL when there are none. */
l4p_status l4p_store_list(struct l4p_store *store,
                          struct l4p_campaign_info **list, size_t *n)
{
  *list = NULL;
  *n = 0;
  sqlite3_stmt *stmt;
  const char *what = "cannot list the campaigns";
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT c.id, c.system, c.sampler, c.seed, c.budget, c.done,"
      " (SELECT count(*) FROM configuration"
      "   WHERE campaign = c.id AND state = 'measured'),"
      " (SELECT count(*) FROM configuration"
      "   WHERE campaign = c.id AND state = 'failed'),"
      " (SELECT count(*) FROM configuration"
      "   WHERE campaign = c.id AND state = 'planned') "
      "FROM campaign c ORDER BY c.id",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  struct l4p_campaign_info *rows = NULL;
  size_t len = 0, cap = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? 2 * cap : 8;
      void *grown = realloc(rows, ncap * sizeof *rows);
      if (!grown) {
        st = l4p_failf(L4P_ENOMEM, "out of memory");
        break;
      }
      rows = grown;
      cap = ncap;
    }
    struct l4p_campaign_info *info = &rows[len++];
    memset(info, 0, sizeof *info);
    info->id = sqlite3_column_int64(stmt, 0);
    copy_text(stmt, 1, info->system, sizeof info->system);
    copy_text(stmt, 2, info->sampler, sizeof info->sampler);
    info->seed = (uint64_t)sqlite3_column_int64(stmt, 3);
    info->budget = (size_t)sqlite3_column_int64(stmt, 4);
    info->done = sqlite3_column_int(stmt, 5) != 0;
    info->measured = (size_t)sqlite3_column_int64(stmt, 6);
    info->failed = (size_t)sqlite3_column_int64(stmt, 7);
    info->planned = (size_t)sqlite3_column_int64(stmt, 8);
  }
  if (st == L4P_OK && rc != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  sqlite3_finalize(stmt);
  if (st != L4P_OK) {
    free(rows);
    return st;
  }
  *list = rows;
  *n = len;
  return L4P_OK;
}
