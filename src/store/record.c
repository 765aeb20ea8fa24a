/* Recording a measured batch: each planned configuration becomes measured
 * or failed, with one measurement row per objective and repetition, all in
 * a single transaction so a crash leaves the whole batch or none of it. A
 * table oracle may measure a nearby row instead of the one requested; the
 * row then takes the measured configuration's key and keeps the requested
 * one (see "Mapped configurations" in docs/internals/STORE-SCHEMA.md).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

enum state { NONE, PLANNED, MEASURED, FAILED };

/* The statements one batch uses, prepared once per batch. */
enum stmt_id {
  FIND,       /* row holding a key, or requested under it */
  FIND_EXACT, /* row holding a key */
  INSERT,     /* a configuration that was never planned */
  REMAP,      /* a row takes the key of the configuration measured */
  DROP,       /* a request resolved onto another row */
  CLEAR,      /* measurements of an earlier failed attempt */
  SET_STATE,  /* measured or failed, with the reason */
  ADD_VALUE,  /* one objective's value */
  N_STMTS
};

static const char *const stmt_sql[N_STMTS] = {
    [FIND] = "SELECT id, state, key = ?2 FROM configuration"
             " WHERE campaign = ?1 AND (key = ?2 OR requested_key = ?2)"
             " ORDER BY key = ?2 DESC LIMIT 1",
    [FIND_EXACT] = "SELECT id, state, 1 FROM configuration"
                   " WHERE campaign = ?1 AND key = ?2",
    [INSERT] = "INSERT INTO configuration"
               " (campaign, seq, key, requested_key, config_json)"
               " VALUES (?1, ?2, ?3, ?3, ?4)",
    [REMAP] = "UPDATE configuration SET key = ?2, requested_key = ?3,"
              " config_json = ?4 WHERE id = ?1",
    [DROP] = "DELETE FROM configuration WHERE id = ?1",
    [CLEAR] = "DELETE FROM measurement WHERE configuration = ?1",
    [SET_STATE] = "UPDATE configuration SET state = ?2, error = ?3"
                  " WHERE id = ?1",
    [ADD_VALUE] = "INSERT INTO measurement"
                  " (configuration, objective, repetition, value, status,"
                  " error) VALUES (?1, ?2, ?6, ?3, ?4, ?5)",
};

struct recorder {
  struct l4p_store *store;
  int64_t campaign;
  const struct l4p_spec *spec;
  sqlite3_stmt *stmt[N_STMTS];
};

/* A configuration row as found by FIND or FIND_EXACT. */
struct row {
  int64_t id; /* 0 when not found */
  enum state state;
  bool holds_key; /* its key is the one looked up, not its request */
};

static enum state parse_state(const char *s)
{
  if (!s)
    return NONE;
  if (!strcmp(s, "planned"))
    return PLANNED;
  if (!strcmp(s, "measured"))
    return MEASURED;
  return FAILED;
}

/* Step a statement that returns no rows, then reset it for reuse. */
static l4p_status run(struct recorder *r, enum stmt_id id)
{
  sqlite3_stmt *stmt = r->stmt[id];
  int rc = sqlite3_step(stmt);
  l4p_status st = L4P_OK;
  if (rc != SQLITE_DONE)
    st = l4p__store_fail(r->store, "cannot record the batch");
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return st;
}

/* Find the row for key with FIND or FIND_EXACT. */
static l4p_status find(struct recorder *r, enum stmt_id id, const char *key,
                       struct row *row)
{
  sqlite3_stmt *stmt = r->stmt[id];
  sqlite3_bind_int64(stmt, 1, r->campaign);
  sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
  memset(row, 0, sizeof *row);
  l4p_status st = L4P_OK;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    row->id = sqlite3_column_int64(stmt, 0);
    row->state = parse_state((const char *)sqlite3_column_text(stmt, 1));
    row->holds_key = sqlite3_column_int(stmt, 2) != 0;
  } else if (rc != SQLITE_DONE) {
    st = l4p__store_fail(r->store, "cannot record the batch");
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return st;
}

/* Add a configuration the sampler never planned, at the end of the plan. */
static l4p_status insert(struct recorder *r, const char *key, const double *cfg,
                         struct row *row)
{
  int64_t seq;
  char *json = NULL;
  l4p_status st = l4p__store_next_seq(r->store, r->campaign, &seq);
  if (st == L4P_OK)
    st = l4p__store_config_json(r->spec->space, cfg, &json);
  if (st != L4P_OK)
    return st;
  sqlite3_stmt *stmt = r->stmt[INSERT];
  sqlite3_bind_int64(stmt, 1, r->campaign);
  sqlite3_bind_int64(stmt, 2, seq);
  sqlite3_bind_text(stmt, 3, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 4, json, -1, SQLITE_STATIC);
  st = run(r, INSERT);
  free(json);
  if (st == L4P_OK) {
    row->id = sqlite3_last_insert_rowid(r->store->db);
    row->state = PLANNED;
    row->holds_key = true;
  }
  return st;
}

/* Give row the measured configuration's key, keeping the requested key. */
static l4p_status remap(struct recorder *r, int64_t id, const char *rkey,
                        const char *mkey, const double *measured)
{
  char *json;
  l4p_status st = l4p__store_config_json(r->spec->space, measured, &json);
  if (st != L4P_OK)
    return st;
  sqlite3_stmt *stmt = r->stmt[REMAP];
  sqlite3_bind_int64(stmt, 1, id);
  sqlite3_bind_text(stmt, 2, mkey, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 3, rkey, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 4, json, -1, SQLITE_STATIC);
  st = run(r, REMAP);
  free(json);
  return st;
}

/* Delete a row (its measurements go with it: ON DELETE CASCADE). */
static l4p_status drop(struct recorder *r, int64_t id)
{
  sqlite3_bind_int64(r->stmt[DROP], 1, id);
  return run(r, DROP);
}

/* Insert one measurement row: objective j of repetition rep. */
static l4p_status add_value(struct recorder *r, int64_t id,
                            const struct l4p_measurement *m, size_t j,
                            size_t rep, double v, const char *error,
                            size_t elen)
{
  sqlite3_stmt *stmt = r->stmt[ADD_VALUE];
  sqlite3_bind_int64(stmt, 1, id);
  sqlite3_bind_text(stmt, 2, r->spec->objectives[j].name, -1, SQLITE_STATIC);
  if (isnan(v))
    sqlite3_bind_null(stmt, 3);
  else
    sqlite3_bind_double(stmt, 3, v);
  sqlite3_bind_text(stmt, 4, l4p_status_name(m->status), -1, SQLITE_STATIC);
  if (m->status == L4P_OK)
    sqlite3_bind_null(stmt, 5);
  else
    sqlite3_bind_text(stmt, 5, error, (int)elen, SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 6, (sqlite3_int64)rep);
  return run(r, ADD_VALUE);
}

/* Write m's outcome on row id: its state, then one measurement row per
 * objective and repetition (one repetition, m->values, when the oracle
 * reports no repetitions or the measurement failed), replacing those of an
 * earlier failed attempt. */
static l4p_status write_outcome(struct recorder *r, int64_t id,
                                const struct l4p_measurement *m)
{
  bool ok = m->status == L4P_OK;
  size_t elen = strnlen(m->error, sizeof m->error);
  const char *error = elen ? m->error : l4p_strerror(m->status);
  if (!elen)
    elen = strlen(error);
  sqlite3_bind_int64(r->stmt[CLEAR], 1, id);
  l4p_status st = run(r, CLEAR);
  if (st != L4P_OK)
    return st;
  sqlite3_stmt *stmt = r->stmt[SET_STATE];
  sqlite3_bind_int64(stmt, 1, id);
  sqlite3_bind_text(stmt, 2, ok ? "measured" : "failed", -1, SQLITE_STATIC);
  if (ok)
    sqlite3_bind_null(stmt, 3);
  else
    sqlite3_bind_text(stmt, 3, error, (int)elen, SQLITE_STATIC);
  st = run(r, SET_STATE);
  size_t nv = r->spec->n_objectives;
  bool by_rep = ok && m->n_reps && m->reps;
  size_t reps = by_rep ? m->n_reps : 1;
  for (size_t k = 0; k < reps && st == L4P_OK; k++)
    for (size_t j = 0; j < nv && st == L4P_OK; j++) {
      double v = by_rep ? m->reps[k * nv + j] : m->values ? m->values[j] : NAN;
      st = add_value(r, id, m, j, k, v, error, elen);
    }
  return st;
}

/* Log that the request rkey was measured as mkey. */
static l4p_status log_mapping(struct recorder *r, const char *rkey,
                              const char *mkey, bool already)
{
  size_t size = strlen(rkey) + strlen(mkey) + 64;
  char *msg = malloc(size);
  if (!msg)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  snprintf(msg, size, "requested '%s' measured as '%s'%s", rkey, mkey,
           already ? ", already measured" : "");
  l4p_status st = l4p__store_add_event(r->store, r->campaign, "mapped", msg);
  free(msg);
  return st;
}

/* Resolve where m goes and write it. rkey/mkey are the keys of the
 * requested and measured configurations. A configuration already measured
 * is left as it is: recording a batch twice changes nothing. */
static l4p_status record_keys(struct recorder *r,
                              const struct l4p_measurement *m,
                              const double *measured, const char *rkey,
                              const char *mkey)
{
  struct row row, other;
  l4p_status st = find(r, FIND, rkey, &row);
  if (st == L4P_OK && !row.id)
    st = insert(r, rkey, m->requested, &row);
  if (st != L4P_OK || row.state == MEASURED)
    return st;
  int64_t target = row.id;
  if (strcmp(rkey, mkey) != 0 && row.holds_key) {
    st = find(r, FIND_EXACT, mkey, &other);
    if (st == L4P_OK && other.id && other.id != row.id) {
      /* Measured as a configuration the campaign already holds: that row
       * takes the result and the request is dropped, so the campaign
       * never holds one configuration twice. */
      st = drop(r, row.id);
      if (st == L4P_OK)
        st = log_mapping(r, rkey, mkey, other.state == MEASURED);
      if (st != L4P_OK || other.state == MEASURED)
        return st;
      target = other.id;
    } else if (st == L4P_OK) {
      st = remap(r, row.id, rkey, mkey, measured);
      if (st == L4P_OK)
        st = log_mapping(r, rkey, mkey, false);
    }
  }
  if (st == L4P_OK)
    st = write_outcome(r, target, m);
  return st;
}

/* Record one measurement. A failed one is recorded against the requested
 * configuration, since what the oracle left in m->config is unspecified. */
static l4p_status record_one(struct recorder *r, size_t i,
                             const struct l4p_measurement *m)
{
  bool ok = m->status == L4P_OK;
  if (!m->requested)
    return l4p_failf(L4P_EUSAGE,
                     "store: measurement %zu has no "
                     "requested configuration",
                     i);
  if (ok && !m->values && r->spec->n_objectives)
    return l4p_failf(L4P_EUSAGE, "store: measurement %zu has no values", i);
  const double *measured = ok && m->config ? m->config : m->requested;
  const struct l4p_space *space = r->spec->space;
  char *rkey = l4p_space_config_key(space, m->requested);
  char *mkey = l4p_space_config_key(space, measured);
  l4p_status st;
  if (!rkey || !mkey)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  else
    st = record_keys(r, m, measured, rkey, mkey);
  free(rkey);
  free(mkey);
  return st;
}

/* Prepare the statements, record every measurement, touch the campaign. */
static l4p_status record_all(struct recorder *r,
                             const struct l4p_measurement *batch, size_t n)
{
  l4p_status st = l4p__store_check_campaign(r->store, r->campaign);
  for (int k = 0; k < N_STMTS && st == L4P_OK; k++)
    st = l4p__store_prepare(r->store, stmt_sql[k], &r->stmt[k],
                            "cannot record the batch");
  for (size_t i = 0; i < n && st == L4P_OK; i++)
    st = record_one(r, i, &batch[i]);
  if (st == L4P_OK)
    st = l4p__store_touch(r->store, r->campaign);
  return st;
}

/* Store a measured batch in one BEGIN IMMEDIATE ... COMMIT; any failure
 * rolls the whole batch back and returns its status with the first
 * message. */
l4p_status l4p_store_record(struct l4p_store *store, int64_t campaign,
                            const struct l4p_spec *spec,
                            const struct l4p_measurement *batch, size_t n)
{
  if (!spec || !spec->space || (n && !batch))
    return l4p_failf(L4P_EUSAGE, "store: nothing to record");
  struct recorder r = {.store = store, .campaign = campaign, .spec = spec};
  l4p_status st = l4p__store_begin(store, "cannot record the batch");
  if (st != L4P_OK)
    return st;
  st = record_all(&r, batch, n);
  for (int k = 0; k < N_STMTS; k++)
    sqlite3_finalize(r.stmt[k]);
  if (st != L4P_OK) {
    l4p__store_rollback(store);
    return st;
  }
  return l4p__store_commit(store, "cannot record the batch");
}
