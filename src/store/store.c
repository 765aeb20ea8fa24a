/* The results store's connection: opening a SQLite database in WAL mode,
 * migrating its schema forward step by step, and the error and transaction
 * helpers every other file of src/store/ uses. The schema is described in
 * docs/internals/STORE-SCHEMA.md; keep the two in step.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* "L4P1": marks a database as llm4perf's, so a SQLite file written by
 * another program is refused instead of being migrated (tag-store-appid). */
#define STORE_APPLICATION_ID 0x4C345031

/* How long a writer waits for another process holding the write lock. */
#define STORE_BUSY_TIMEOUT_MS 5000

#define NOW L4P__STORE_NOW

/* migrations[v] takes a database from schema version v to v + 1. Add a
 * version by appending one step and raising L4P_STORE_SCHEMA_VERSION; never
 * edit a step that has shipped, since databases already carry it. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema. */
    "CREATE TABLE campaign("
    "  id INTEGER PRIMARY KEY,"
    "  system TEXT NOT NULL,"
    "  spec_json TEXT NOT NULL,"
    "  sampler TEXT NOT NULL,"
    "  params TEXT NOT NULL DEFAULT '{}',"
    "  seed INTEGER NOT NULL,"
    "  budget INTEGER NOT NULL CHECK (budget >= 0),"
    "  done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),"
    "  created TEXT NOT NULL DEFAULT " NOW ","
    "  updated TEXT NOT NULL DEFAULT " NOW ","
    "  UNIQUE (system, sampler, params, seed, budget));"
    "CREATE TABLE configuration("
    "  id INTEGER PRIMARY KEY,"
    "  campaign INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  requested_key TEXT NOT NULL,"
    "  config_json TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'planned'"
    "    CHECK (state IN ('planned', 'measured', 'failed')),"
    "  error TEXT,"
    "  UNIQUE (campaign, key));"
    "CREATE INDEX configuration_requested"
    "  ON configuration(campaign, requested_key);"
    "CREATE INDEX configuration_state ON configuration(campaign, state, seq);"
    "CREATE TABLE measurement("
    "  id INTEGER PRIMARY KEY,"
    "  configuration INTEGER NOT NULL"
    "    REFERENCES configuration(id) ON DELETE CASCADE,"
    "  objective TEXT NOT NULL,"
    "  repetition INTEGER NOT NULL DEFAULT 0 CHECK (repetition >= 0),"
    "  value REAL,"
    "  status TEXT NOT NULL,"
    "  error TEXT,"
    "  UNIQUE (configuration, objective, repetition));"
    "CREATE TABLE event("
    "  id INTEGER PRIMARY KEY,"
    "  campaign INTEGER REFERENCES campaign(id) ON DELETE CASCADE,"
    "  time TEXT NOT NULL DEFAULT " NOW ","
    "  kind TEXT NOT NULL,"
    "  message TEXT NOT NULL);"
    "CREATE INDEX event_campaign ON event(campaign, id);",
    /* 1 -> 2: LLM exchanges (docs/internals/LLM-EXCHANGE.md). Rows outlive
   * a deleted campaign, since they also serve as the replay cache. */
    "CREATE TABLE llm_exchange("
    "  id INTEGER PRIMARY KEY,"
    "  campaign INTEGER REFERENCES campaign(id) ON DELETE SET NULL,"
    "  role TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  request_hash TEXT NOT NULL,"
    "  request_json TEXT NOT NULL,"
    "  response_text TEXT,"
    "  reply_json TEXT,"
    "  status TEXT NOT NULL CHECK (status IN ('ok', 'retry', 'error')),"
    "  error TEXT,"
    "  finish_reason TEXT,"
    "  http_status INTEGER,"
    "  prompt_tokens INTEGER,"
    "  completion_tokens INTEGER,"
    "  latency_ms REAL NOT NULL DEFAULT 0,"
    "  attempt INTEGER NOT NULL CHECK (attempt >= 1),"
    "  created TEXT NOT NULL DEFAULT " NOW ");"
    "CREATE INDEX llm_exchange_request ON llm_exchange(request_hash, status);"
    "CREATE INDEX llm_exchange_campaign ON llm_exchange(campaign, role);",
    /* 2 -> 3: the LLM4Perf sampler's intermediate artefacts (pruning
   * decisions, analyses, strategies, proposals, votes, batches), one row
   * per iteration, kind and generator (tag-artifact-key). */
    "CREATE TABLE artifact("
    "  id INTEGER PRIMARY KEY,"
    "  campaign INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,"
    "  iteration INTEGER NOT NULL CHECK (iteration >= 0),"
    "  kind TEXT NOT NULL CHECK (kind IN ('decisions', 'analysis',"
    "    'strategy', 'proposals', 'votes', 'batch', 'diagnostics')),"
    "  generator INTEGER CHECK (generator >= 0),"
    "  json TEXT NOT NULL,"
    "  created TEXT NOT NULL DEFAULT " NOW ");"
    "CREATE UNIQUE INDEX artifact_key"
    "  ON artifact(campaign, iteration, kind, ifnull(generator, -1));",
    /* 3 -> 4: study results (src/study/, docs/STUDY.md): DeepPerf
   * hyper-parameters per scenario, one row per cell and one per
   * predicted front; the UNIQUE keys make a resumed study count nothing
   * twice. */
    "CREATE TABLE study_hyper("
    "  id INTEGER PRIMARY KEY,"
    "  system TEXT NOT NULL,"
    "  objective TEXT NOT NULL,"
    "  budget INTEGER NOT NULL,"
    "  model TEXT NOT NULL,"
    "  seed INTEGER NOT NULL,"
    "  rows INTEGER NOT NULL,"
    "  layers INTEGER NOT NULL,"
    "  lr REAL NOT NULL,"
    "  lambda REAL NOT NULL,"
    "  seconds REAL NOT NULL,"
    "  created TEXT NOT NULL DEFAULT " NOW ","
    "  UNIQUE (system, objective, budget, model, seed));"
    "CREATE TABLE study_cell("
    "  id INTEGER PRIMARY KEY,"
    "  campaign INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,"
    "  model TEXT NOT NULL,"
    "  objective TEXT NOT NULL,"
    "  train_rows INTEGER NOT NULL,"
    "  test_rows INTEGER NOT NULL,"
    "  zero_rows INTEGER NOT NULL,"
    "  rmse REAL,"
    "  nrmse REAL,"
    "  mre REAL,"
    "  seconds REAL NOT NULL,"
    "  created TEXT NOT NULL DEFAULT " NOW ","
    "  UNIQUE (campaign, model, objective));"
    "CREATE TABLE study_front("
    "  id INTEGER PRIMARY KEY,"
    "  campaign INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,"
    "  model TEXT NOT NULL,"
    "  objectives TEXT NOT NULL,"
    "  front_size INTEGER NOT NULL,"
    "  front TEXT NOT NULL,"
    "  hv_ratio REAL,"
    "  created TEXT NOT NULL DEFAULT " NOW ","
    "  UNIQUE (campaign, model, objectives));",
};

_Static_assert(sizeof migrations / sizeof migrations[0] ==
                   L4P_STORE_SCHEMA_VERSION,
               "one migration step per schema version");

/* ESTORE with the path, what failed and SQLite's message. */
l4p_status l4p__store_fail(struct l4p_store *store, const char *what)
{
  return l4p_failf(L4P_ESTORE, "store '%s': %s: %s", store->path, what,
                   sqlite3_errmsg(store->db));
}

/* Prepare one statement; *stmt is NULL on failure. */
l4p_status l4p__store_prepare(struct l4p_store *store, const char *sql,
                              sqlite3_stmt **stmt, const char *what)
{
  if (sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL) != SQLITE_OK) {
    *stmt = NULL;
    return l4p__store_fail(store, what);
  }
  return L4P_OK;
}

/* Run statements that return no rows (sqlite3_exec). */
l4p_status l4p__store_exec(struct l4p_store *store, const char *sql,
                           const char *what)
{
  if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return l4p__store_fail(store, what);
  return L4P_OK;
}

/* Start a write transaction holding the write lock from the start. */
l4p_status l4p__store_begin(struct l4p_store *store, const char *what)
{
  return l4p__store_exec(store, "BEGIN IMMEDIATE", what);
}

/* Commit; on failure roll back and return ESTORE. */
l4p_status l4p__store_commit(struct l4p_store *store, const char *what)
{
  l4p_status st = l4p__store_exec(store, "COMMIT", what);
  if (st != L4P_OK)
    l4p__store_rollback(store);
  return st;
}

/* Roll back the open transaction, if any; the error message stays. */
void l4p__store_rollback(struct l4p_store *store)
{
  if (!sqlite3_get_autocommit(store->db))
    sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Run a query or PRAGMA that returns one integer (user_version...). */
static l4p_status query_int(struct l4p_store *store, const char *sql,
                            int *value)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot read the database header";
  l4p_status st = l4p__store_prepare(store, sql, &stmt, what);
  if (st != L4P_OK)
    return st;
  if (sqlite3_step(stmt) != SQLITE_ROW) {
    st = l4p__store_fail(store, what);
  } else {
    *value = sqlite3_column_int(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return st;
}

/* Switch to WAL, so a batch is committed by one append and readers never
 * block the writer. An in-memory database stays in "memory" mode. */
static l4p_status enable_wal(struct l4p_store *store)
{
  sqlite3_stmt *stmt;
  l4p_status st = l4p__store_prepare(store, "PRAGMA journal_mode=WAL", &stmt,
                                     "cannot enable WAL mode");
  if (st != L4P_OK)
    return st;
  if (sqlite3_step(stmt) != SQLITE_ROW) {
    st = l4p__store_fail(store, "cannot enable WAL mode");
  } else {
    const char *mode = (const char *)sqlite3_column_text(stmt, 0);
    if (!mode || (strcmp(mode, "wal") && strcmp(mode, "memory")))
      st = l4p_failf(L4P_ESTORE,
                     "store '%s': cannot enable WAL mode: journal mode "
                     "stays '%s'",
                     store->path, mode ? mode : "?");
  }
  sqlite3_finalize(stmt);
  return st;
}

/* Refuse a file written by a newer llm4perf: migrating it backwards could
 * drop what the newer schema holds. */
static l4p_status too_new(struct l4p_store *store, int version)
{
  return l4p_failf(L4P_ESTORE,
                   "store '%s': schema version %d is newer than this "
                   "llm4perf supports (%d); upgrade llm4perf",
                   store->path, version, L4P_STORE_SCHEMA_VERSION);
}

/* Bring the schema to L4P_STORE_SCHEMA_VERSION in one transaction. The
 * version is read again under the write lock, since another process may
 * have migrated the file since we first looked. */
static l4p_status migrate(struct l4p_store *store)
{
  l4p_status st = l4p__store_begin(store, "cannot migrate the schema");
  if (st != L4P_OK)
    return st;
  int version = 0;
  st = query_int(store, "PRAGMA user_version", &version);
  if (st == L4P_OK && version > L4P_STORE_SCHEMA_VERSION)
    st = too_new(store, version);
  for (; st == L4P_OK && version < L4P_STORE_SCHEMA_VERSION; version++) {
    char what[64];
    snprintf(what, sizeof what, "cannot migrate the schema to version %d",
             version + 1);
    st = l4p__store_exec(store, migrations[version], what);
  }
  if (st == L4P_OK) {
    char sql[96];
    snprintf(sql, sizeof sql,
             "PRAGMA user_version=%d; PRAGMA application_id=%d",
             L4P_STORE_SCHEMA_VERSION, STORE_APPLICATION_ID);
    st = l4p__store_exec(store, sql, "cannot set the schema version");
  }
  if (st != L4P_OK) {
    l4p__store_rollback(store);
    return st;
  }
  return l4p__store_commit(store, "cannot migrate the schema");
}

/* Check the file is an llm4perf store this build can use: a SQLite
 * database, not another program's, not written by a newer llm4perf. */
static l4p_status check_file(struct l4p_store *store)
{
  int version, app_id;
  /* The first read of page 1: a file that is not SQLite fails here with
   * "file is not a database". */
  l4p_status st = query_int(store, "PRAGMA user_version", &version);
  if (st == L4P_OK)
    st = query_int(store, "PRAGMA application_id", &app_id);
  if (st != L4P_OK)
    return st;
  if (app_id != 0 && app_id != STORE_APPLICATION_ID)
    return l4p_failf(L4P_ESTORE,
                     "store '%s': a SQLite database of another program "
                     "(application_id %d)",
                     store->path, app_id);
  if (version > L4P_STORE_SCHEMA_VERSION)
    return too_new(store, version);
  if (version == 0) {
    /* Unversioned: new, or another program's file we must not add to. */
    int objects;
    st = query_int(store, "SELECT count(*) FROM sqlite_master", &objects);
    if (st != L4P_OK)
      return st;
    if (objects > 0)
      return l4p_failf(L4P_ESTORE,
                       "store '%s': not an llm4perf store (it has tables "
                       "but no schema version)",
                       store->path);
  }
  store->opened_version = version;
  return L4P_OK;
}

/* Open the connection and apply the settings every store relies on. */
static l4p_status store_connect(struct l4p_store *store)
{
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(store->path, &store->db, flags, NULL) != SQLITE_OK) {
    if (!store->db)
      return l4p_failf(L4P_ENOMEM, "store '%s': out of memory", store->path);
    return l4p__store_fail(store, "cannot open");
  }
  sqlite3_extended_result_codes(store->db, 1);
  if (sqlite3_busy_timeout(store->db, STORE_BUSY_TIMEOUT_MS) != SQLITE_OK)
    return l4p__store_fail(store, "cannot set the busy timeout");
  l4p_status st = check_file(store);
  if (st == L4P_OK)
    st = enable_wal(store);
  if (st == L4P_OK)
    /* NORMAL is safe in WAL mode: a crashed process loses nothing that
     * was committed; a power cut may lose the last batches (re-measured
     * on resume) but never corrupts the file. */
    st = l4p__store_exec(store,
                         "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON",
                         "cannot configure the connection");
  if (st == L4P_OK && store->opened_version < L4P_STORE_SCHEMA_VERSION)
    st = migrate(store);
  return st;
}

/* Open or create the store at path and migrate it. On success *store owns
 * the connection (l4p_store_close it); on failure *store is NULL and the
 * status is ESTORE (ENOMEM) with the path and SQLite's reason. */
l4p_status l4p_store_open(const char *path, struct l4p_store **store)
{
  *store = NULL;
  if (!path || !*path)
    return l4p_failf(L4P_EUSAGE, "store: no database path given");
  struct l4p_store *s = calloc(1, sizeof *s);
  if (!s || !(s->path = strdup(path))) {
    free(s);
    return l4p_failf(L4P_ENOMEM, "store '%s': out of memory", path);
  }
  l4p_status st = store_connect(s);
  if (st != L4P_OK) {
    l4p_store_close(s);
    return st;
  }
  *store = s;
  return L4P_OK;
}

/* Close the connection (checkpointing the WAL) and free the handle;
 * NULL is a no-op. */
void l4p_store_close(struct l4p_store *store)
{
  if (!store)
    return;
  if (store->db) {
    l4p__store_rollback(store);
    sqlite3_close_v2(store->db);
  }
  free(store->path);
  free(store);
}

/* The schema version the file had before l4p_store_open migrated it. */
int l4p_store_opened_version(const struct l4p_store *store)
{
  return store->opened_version;
}

/* ESTORE "no campaign N" unless campaign is a row of campaign. */
l4p_status l4p__store_check_campaign(struct l4p_store *store, int64_t campaign)
{
  sqlite3_stmt *stmt;
  l4p_status st =
      l4p__store_prepare(store, "SELECT 1 FROM campaign WHERE id = ?", &stmt,
                         "cannot look up the campaign");
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE)
    st = l4p_failf(L4P_ESTORE, "store '%s': no campaign %lld", store->path,
                   (long long)campaign);
  else if (rc != SQLITE_ROW)
    st = l4p__store_fail(store, "cannot look up the campaign");
  sqlite3_finalize(stmt);
  return st;
}

/* Set the campaign's updated time to now. */
l4p_status l4p__store_touch(struct l4p_store *store, int64_t campaign)
{
  sqlite3_stmt *stmt;
  l4p_status st = l4p__store_prepare(
      store, "UPDATE campaign SET updated = " NOW " WHERE id = ?", &stmt,
      "cannot update the campaign");
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  if (sqlite3_step(stmt) != SQLITE_DONE)
    st = l4p__store_fail(store, "cannot update the campaign");
  sqlite3_finalize(stmt);
  return st;
}
