/* LLM exchanges in the results store: one row per HTTP attempt of an LLM
 * call (request body, answer, status, usage), the lookup that lets a
 * client replay an accepted answer offline, and usage totals per role for
 * reports. The client in src/llm/ writes and reads these rows; the table
 * is described in docs/internals/STORE-SCHEMA.md (version 2).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Bind text or NULL. SQLITE_TRANSIENT: the caller's strings may be
 * reused as soon as we return. */
static void bind_text(sqlite3_stmt *stmt, int i, const char *text)
{
  if (text)
    sqlite3_bind_text(stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(stmt, i);
}

/* Bind a count reported by the server, NULL when unknown (< 0). */
static void bind_count(sqlite3_stmt *stmt, int i, long value)
{
  if (value >= 0)
    sqlite3_bind_int64(stmt, i, value);
  else
    sqlite3_bind_null(stmt, i);
}

/* EUSAGE unless the row has what the table requires. */
static l4p_status check_exchange(const struct l4p_llm_exchange *ex)
{
  if (!ex->role || !*ex->role || !ex->model || !ex->request_hash ||
      !ex->request_json || !ex->status)
    return l4p_failf(L4P_EUSAGE, "store: an LLM exchange needs a role, model, "
                                 "request hash, request and status");
  if (strcmp(ex->status, "ok") && strcmp(ex->status, "retry") &&
      strcmp(ex->status, "error"))
    return l4p_failf(L4P_EUSAGE,
                     "store: LLM exchange status '%s' is not "
                     "ok, retry or error",
                     ex->status);
  if (ex->attempt < 1)
    return l4p_failf(L4P_EUSAGE, "store: LLM exchange attempt %d < 1",
                     ex->attempt);
  return L4P_OK;
}

/* Insert one exchange row in its own (autocommit) statement. */
l4p_status l4p_store_exchange_add(struct l4p_store *store,
                                  const struct l4p_llm_exchange *ex,
                                  int64_t *id)
{
  l4p_status st = check_exchange(ex);
  if (st != L4P_OK)
    return st;
  sqlite3_stmt *stmt;
  const char *what = "cannot record an LLM exchange";
  st = l4p__store_prepare(
      store,
      "INSERT INTO llm_exchange(campaign, role, model, request_hash,"
      " request_json, response_text, reply_json, status, error,"
      " finish_reason, http_status, prompt_tokens, completion_tokens,"
      " latency_ms, attempt)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  if (ex->campaign > 0)
    sqlite3_bind_int64(stmt, 1, ex->campaign);
  else
    sqlite3_bind_null(stmt, 1);
  bind_text(stmt, 2, ex->role);
  bind_text(stmt, 3, ex->model);
  bind_text(stmt, 4, ex->request_hash);
  bind_text(stmt, 5, ex->request_json);
  bind_text(stmt, 6, ex->response_text);
  bind_text(stmt, 7, ex->reply_json);
  bind_text(stmt, 8, ex->status);
  bind_text(stmt, 9, ex->error);
  bind_text(stmt, 10, ex->finish_reason);
  if (ex->http_status > 0)
    sqlite3_bind_int64(stmt, 11, ex->http_status);
  else
    sqlite3_bind_null(stmt, 11);
  bind_count(stmt, 12, ex->prompt_tokens);
  bind_count(stmt, 13, ex->completion_tokens);
  sqlite3_bind_double(stmt, 14, ex->latency_ms);
  sqlite3_bind_int(stmt, 15, ex->attempt);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  else if (id)
    *id = sqlite3_last_insert_rowid(store->db);
  sqlite3_finalize(stmt);
  return st;
}

/* Heap copy of a text column, NULL for SQL NULL; *oom on failure. */
static char *column_dup(sqlite3_stmt *stmt, int i, bool *oom)
{
  const char *text = (const char *)sqlite3_column_text(stmt, i);
  if (!text)
    return NULL;
  char *copy = strdup(text);
  if (!copy)
    *oom = true;
  return copy;
}

/* Look up the newest accepted answer to request_hash. */
l4p_status l4p_store_exchange_find(struct l4p_store *store,
                                   const char *request_hash,
                                   struct l4p_llm_recorded *answer, bool *found)
{
  *found = false;
  memset(answer, 0, sizeof *answer);
  sqlite3_stmt *stmt;
  const char *what = "cannot look up an LLM exchange";
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT id, response_text, reply_json, finish_reason"
      " FROM llm_exchange WHERE request_hash = ? AND status = 'ok'"
      " ORDER BY id DESC LIMIT 1",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_text(stmt, 1, request_hash, -1, SQLITE_STATIC);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    bool oom = false;
    answer->id = sqlite3_column_int64(stmt, 0);
    answer->response_text = column_dup(stmt, 1, &oom);
    answer->reply_json = column_dup(stmt, 2, &oom);
    answer->finish_reason = column_dup(stmt, 3, &oom);
    if (oom) {
      l4p_llm_recorded_release(answer);
      st = l4p_failf(L4P_ENOMEM, "store '%s': out of memory", store->path);
    } else {
      *found = true;
    }
  } else if (rc != SQLITE_DONE) {
    st = l4p__store_fail(store, what);
  }
  sqlite3_finalize(stmt);
  return st;
}

/* Free the strings of a found answer and zero it. */
void l4p_llm_recorded_release(struct l4p_llm_recorded *answer)
{
  free(answer->response_text);
  free(answer->reply_json);
  free(answer->finish_reason);
  memset(answer, 0, sizeof *answer);
}

/* Sum the exchange rows per role. */
l4p_status l4p_store_llm_usage(struct l4p_store *store, int64_t campaign,
                               struct l4p_llm_usage **usage, size_t *n)
{
  *usage = NULL;
  *n = 0;
  sqlite3_stmt *stmt;
  const char *what = "cannot read LLM usage";
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT role, sum(attempt = 1), count(*), sum(attempt > 1),"
      " sum(status = 'error'), total(prompt_tokens),"
      " total(completion_tokens), total(latency_ms)"
      " FROM llm_exchange WHERE ?1 <= 0 OR campaign = ?1"
      " GROUP BY role ORDER BY role",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  struct l4p_llm_usage *rows = NULL;
  size_t count = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    struct l4p_llm_usage *grown = realloc(rows, (count + 1) * sizeof *rows);
    if (!grown) {
      st = l4p_failf(L4P_ENOMEM, "store '%s': out of memory", store->path);
      break;
    }
    rows = grown;
    struct l4p_llm_usage *u = &rows[count++];
    memset(u, 0, sizeof *u);
    const char *role = (const char *)sqlite3_column_text(stmt, 0);
    snprintf(u->role, sizeof u->role, "%s", role ? role : "");
    u->calls = (long)sqlite3_column_int64(stmt, 1);
    u->attempts = (long)sqlite3_column_int64(stmt, 2);
    u->retries = (long)sqlite3_column_int64(stmt, 3);
    u->failed = (long)sqlite3_column_int64(stmt, 4);
    u->prompt_tokens = (long)sqlite3_column_double(stmt, 5);
    u->completion_tokens = (long)sqlite3_column_double(stmt, 6);
    u->latency_s = sqlite3_column_double(stmt, 7) / 1000.0;
  }
  if (st == L4P_OK && rc != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  sqlite3_finalize(stmt);
  if (st != L4P_OK) {
    free(rows);
    return st;
  }
  *usage = rows;
  *n = count;
  return L4P_OK;
}
