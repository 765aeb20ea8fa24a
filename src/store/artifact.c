/* The LLM4Perf sampler's artefacts in the results store (schema v3): each
 * intermediate document of an iteration (pruning decisions, analysis,
 * strategy, one generator's proposals, votes, the batch, diagnostics)
 * stored once, so a run can be audited ("llm4perf show") and a resumed
 * campaign finds what it already decided. Layout: STORE-SCHEMA.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* The kinds, in the order listings use (tag-artifact-key). */
static const char *const kinds[] = {"decisions",  "analysis", "strategy",
                                    "proposals",  "votes",    "batch",
                                    "diagnostics"};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static bool known_kind(const char *kind)
{
  for (size_t k = 0; kind && k < N_KINDS; k++)
    if (strcmp(kinds[k], kind) == 0)
      return true;
  return false;
}

/* Insert one artefact unless its key is taken (INSERT OR IGNORE). */
l4p_status l4p_store_artifact_add(struct l4p_store *store, int64_t campaign,
                                  long iteration, const char *kind,
                                  int generator, const char *json, bool *added)
{
  if (added)
    *added = false;
  if (!known_kind(kind))
    return l4p_failf(L4P_EUSAGE, "store: unknown artefact kind '%s'",
                     kind ? kind : "");
  if (iteration < 0 || !json || !*json)
    return l4p_failf(L4P_EUSAGE, "store: an artefact needs an iteration "
                                 ">= 0 and a document");
  l4p_status st = l4p__store_check_campaign(store, campaign);
  if (st != L4P_OK)
    return st;
  sqlite3_stmt *stmt;
  const char *what = "cannot store an artefact";
  st = l4p__store_prepare(
      store,
      "INSERT OR IGNORE INTO artifact(campaign, iteration, kind, generator,"
      " json) VALUES (?, ?, ?, ?, ?)",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  sqlite3_bind_int64(stmt, 2, iteration);
  sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
  if (generator >= 0)
    sqlite3_bind_int(stmt, 4, generator);
  else
    sqlite3_bind_null(stmt, 4);
  sqlite3_bind_text(stmt, 5, json, -1, SQLITE_STATIC);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  else if (added)
    *added = sqlite3_changes(store->db) > 0;
  sqlite3_finalize(stmt);
  return st;
}

/* Free a list from l4p_store_artifacts; NULL is a no-op. */
void l4p_store_artifacts_free(struct l4p_artifact *list, size_t n)
{
  for (size_t k = 0; list && k < n; k++)
    free(list[k].json);
  free(list);
}

/* Copy the current row of stmt into a. */
static l4p_status read_row(struct l4p_store *store, sqlite3_stmt *stmt,
                           struct l4p_artifact *a)
{
  memset(a, 0, sizeof *a);
  a->id = sqlite3_column_int64(stmt, 0);
  a->iteration = (long)sqlite3_column_int64(stmt, 1);
  const char *kind = (const char *)sqlite3_column_text(stmt, 2);
  snprintf(a->kind, sizeof a->kind, "%s", kind ? kind : "");
  a->generator = sqlite3_column_type(stmt, 3) == SQLITE_NULL
                     ? -1
                     : sqlite3_column_int(stmt, 3);
  const char *json = (const char *)sqlite3_column_text(stmt, 4);
  const char *created = (const char *)sqlite3_column_text(stmt, 5);
  snprintf(a->created, sizeof a->created, "%s", created ? created : "");
  if (!(a->json = strdup(json ? json : "")))
    return l4p_failf(L4P_ENOMEM, "store '%s': out of memory", store->path);
  return L4P_OK;
}

/* A campaign's artefacts in iteration, kind, generator order. */
l4p_status l4p_store_artifacts(struct l4p_store *store, int64_t campaign,
                               const char *kind, struct l4p_artifact **list,
                               size_t *n)
{
  *list = NULL;
  *n = 0;
  sqlite3_stmt *stmt;
  const char *what = "cannot read artefacts";
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT id, iteration, kind, generator, json, created FROM artifact"
      " WHERE campaign = ?1 AND (?2 IS NULL OR kind = ?2)"
      " ORDER BY iteration, CASE kind WHEN 'decisions' THEN 0"
      "  WHEN 'analysis' THEN 1 WHEN 'strategy' THEN 2"
      "  WHEN 'proposals' THEN 3 WHEN 'votes' THEN 4 WHEN 'batch' THEN 5"
      "  ELSE 6 END, ifnull(generator, -1), id",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  if (kind)
    sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(stmt, 2);
  struct l4p_artifact *rows = NULL;
  size_t count = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    struct l4p_artifact *grown = realloc(rows, (count + 1) * sizeof *rows);
    if (!grown) {
      st = l4p_failf(L4P_ENOMEM, "store '%s': out of memory", store->path);
      break;
    }
    rows = grown;
    if ((st = read_row(store, stmt, &rows[count])) != L4P_OK)
      break;
    count++;
  }
  if (st == L4P_OK && rc != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  sqlite3_finalize(stmt);
  if (st != L4P_OK) {
    l4p_store_artifacts_free(rows, count);
    return st;
  }
  *list = rows;
  *n = count;
  return L4P_OK;
}
