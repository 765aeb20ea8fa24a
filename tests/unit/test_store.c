/* Unit tests for the SQLite results store (src/store/): schema creation and
 * migration guards, campaign resume, planning, atomic batch recording,
 * mapped configurations, sample and pending order, CSV export, and the
 * LLM4Perf artefacts (stored once per key).
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "llm4perf/store.h"
#include "testutil.h"

/* Options: fast (bool), level (int 0..9), mode (enum a | b c | d,e),
 * ratio (continuous float 0..1); objectives: time (min), size (max). */
enum { N_OPT = 4, N_OBJ = 2 };

static struct l4p_spec *make_spec(const char *name)
{
  struct l4p_spec *spec = l4p_spec_new(name);
  assert_non_null(spec);
  char *labels[] = {"a", "b c", "d,e"};
  struct l4p_option opts[N_OPT] = {
      {.name = "fast", .type = L4P_OPT_BOOL, .max = 1},
      {.name = "level",
       .type = L4P_OPT_INT,
       .max = 9,
       .step = 1,
       .default_value = 3},
      {.name = "mode",
       .type = L4P_OPT_ENUM,
       .n_values = 3,
       .labels = labels,
       .max = 2},
      {.name = "ratio", .type = L4P_OPT_FLOAT, .max = 1, .default_value = 0.5},
  };
  for (int i = 0; i < N_OPT; i++)
    assert_int_equal(l4p_space_add_option(spec->space, &opts[i]), L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "time", "s", L4P_MINIMIZE),
                   L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "size", NULL, L4P_MAXIMIZE),
                   L4P_OK);
  return spec;
}

/* Everything one test needs: a fresh database, a spec and its campaign. */
struct fixture {
  char path[512];
  struct l4p_spec *spec;
  char *spec_json;
  struct l4p_campaign_key key;
  struct l4p_store *store;
  int64_t campaign;
};

static int setup(void **state)
{
  static int counter;
  struct fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  char name[32];
  snprintf(name, sizeof name, "store-%d.db", counter++);
  snprintf(f->path, sizeof f->path, "%s", tu_tmp(name));
  f->spec = make_spec("toy");
  assert_int_equal(l4p_spec_to_json(f->spec, &f->spec_json), L4P_OK);
  f->key = (struct l4p_campaign_key){.system = "toy",
                                     .spec_json = f->spec_json,
                                     .sampler = "random",
                                     .params = "{}",
                                     .seed = 42,
                                     .budget = 10};
  assert_int_equal(l4p_store_open(f->path, &f->store), L4P_OK);
  bool resumed = true;
  assert_int_equal(
      l4p_store_campaign(f->store, &f->key, &f->campaign, &resumed), L4P_OK);
  assert_false(resumed);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  l4p_store_close(f->store);
  l4p_spec_free(f->spec);
  free(f->spec_json);
  free(f);
  return 0;
}

/* Configurations used across tests. */
static const double CA[N_OPT] = {0, 3, 0, 0.5};
static const double CB[N_OPT] = {1, 9, 1, 0.25};
static const double CC[N_OPT] = {0, 0, 2, 1};
static const double CD[N_OPT] = {1, 1, 2, 0.125};

/* Run sql on a second connection and return the first column of the first
 * row as an integer (the store must see it the same way). */
static long long query_int(const char *path, const char *sql)
{
  sqlite3 *db;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                   SQLITE_OK);
  sqlite3_stmt *stmt;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
  long long v = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW)
    v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return v;
}

/* The same, returning text (a static copy) or "" when there is no row. */
static const char *query_text(const char *path, const char *sql)
{
  static char out[1024];
  sqlite3 *db;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                   SQLITE_OK);
  sqlite3_stmt *stmt;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
  out[0] = '\0';
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
    snprintf(out, sizeof out, "%s", sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

/* Run statements on a second connection. */
static void exec_sql(const char *path, const char *sql)
{
  sqlite3 *db;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                   SQLITE_OK);
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  if (rc != SQLITE_OK)
    fail_msg("%s: %s", sql, err ? err : "?");
  sqlite3_close(db);
}

/* Make the file look written at an older schema version: drop every
 * table not named in keep (a comma-separated list with commas around),
 * whatever later versions added, and set user_version. */
static void downgrade(const char *path, const char *keep, int version)
{
  sqlite3 *db;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                   SQLITE_OK);
  sqlite3_stmt *stmt;
  assert_int_equal(sqlite3_prepare_v2(db,
                                      "SELECT name FROM sqlite_master "
                                      "WHERE type = 'table'",
                                      -1, &stmt, NULL),
                   SQLITE_OK);
  char drops[2048] = "";
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    char name[128], quoted[132];
    snprintf(name, sizeof name, "%s", sqlite3_column_text(stmt, 0));
    snprintf(quoted, sizeof quoted, ",%s,", name);
    if (!strstr(keep, quoted))
      snprintf(drops + strlen(drops), sizeof drops - strlen(drops),
               "DROP TABLE %s;", name);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  snprintf(drops + strlen(drops), sizeof drops - strlen(drops),
           "PRAGMA user_version = %d", version);
  exec_sql(path, drops);
}

static void plan(struct fixture *f, const double *const *cfgs, size_t n,
                 size_t expect_added)
{
  double buf[8 * N_OPT];
  assert_true(n <= 8);
  for (size_t i = 0; i < n; i++)
    memcpy(buf + i * N_OPT, cfgs[i], sizeof(double) * N_OPT);
  size_t added = 99;
  assert_int_equal(
      l4p_store_plan(f->store, f->campaign, f->spec->space, buf, n, &added),
      L4P_OK);
  assert_int_equal(added, expect_added);
}

/* A successful measurement of cfg (as itself) with values time, size. */
static struct l4p_measurement ok_m(const double *cfg, double *out_cfg,
                                   double *values)
{
  struct l4p_measurement m = {.requested = cfg,
                              .config = out_cfg,
                              .values = values,
                              .status = L4P_OK,
                              .row = -1};
  memcpy(out_cfg, cfg, sizeof(double) * N_OPT);
  return m;
}

static void assert_cfg(const double *got, const double *want)
{
  for (int i = 0; i < N_OPT; i++)
    assert_same(got[i], want[i]);
}

static void test_create_and_reopen(void **state)
{
  struct fixture *f = *state;
  assert_int_equal(l4p_store_opened_version(f->store), 0);
  plan(f, (const double *const[]){CA, CB}, 2, 2);
  l4p_store_close(f->store);
  f->store = NULL;

  assert_int_equal(query_int(f->path, "PRAGMA user_version"),
                   L4P_STORE_SCHEMA_VERSION);
  assert_string_equal(query_text(f->path, "PRAGMA journal_mode"), "wal");

  assert_int_equal(l4p_store_open(f->path, &f->store), L4P_OK);
  assert_int_equal(l4p_store_opened_version(f->store),
                   L4P_STORE_SCHEMA_VERSION);
  int64_t id = 0;
  bool resumed = false;
  assert_int_equal(l4p_store_campaign(f->store, &f->key, &id, &resumed),
                   L4P_OK);
  assert_true(resumed);
  assert_int_equal(id, f->campaign);

  double *cfgs;
  size_t n;
  assert_int_equal(l4p_store_pending(f->store, id, f->spec->space, &cfgs, &n),
                   L4P_OK);
  assert_int_equal(n, 2);
  assert_cfg(cfgs, CA);
  assert_cfg(cfgs + N_OPT, CB);
  free(cfgs);

  /* A different seed is a different campaign. */
  struct l4p_campaign_key other = f->key;
  other.seed = UINT64_MAX; /* the whole 64-bit range round-trips */
  int64_t id2;
  assert_int_equal(l4p_store_campaign(f->store, &other, &id2, &resumed),
                   L4P_OK);
  assert_false(resumed);
  assert_int_not_equal(id2, id);
  struct l4p_campaign_info *list;
  assert_int_equal(l4p_store_list(f->store, &list, &n), L4P_OK);
  assert_int_equal(n, 2);
  assert_int_equal(list[0].id, id);
  assert_string_equal(list[0].system, "toy");
  assert_string_equal(list[0].sampler, "random");
  assert_int_equal(list[0].planned, 2);
  assert_int_equal(list[0].budget, 10);
  assert_true(list[1].seed == UINT64_MAX);
  free(list);
}

static void test_two_handles_share_campaign(void **state)
{
  /* Study workers each open the store; they must agree on campaigns and
   * see each other's committed batches. */
  struct fixture *f = *state;
  struct l4p_store *other;
  assert_int_equal(l4p_store_open(f->path, &other), L4P_OK);
  int64_t id;
  bool resumed;
  assert_int_equal(l4p_store_campaign(other, &f->key, &id, &resumed), L4P_OK);
  assert_true(resumed);
  assert_int_equal(id, f->campaign);
  size_t added;
  assert_int_equal(l4p_store_plan(other, id, f->spec->space, CB, 1, &added),
                   L4P_OK);
  assert_int_equal(added, 1);
  plan(f, (const double *const[]){CB, CA}, 2, 1);
  double *cfgs;
  size_t n;
  assert_int_equal(l4p_store_pending(other, id, f->spec->space, &cfgs, &n),
                   L4P_OK);
  assert_int_equal(n, 2);
  assert_cfg(cfgs, CB);
  assert_cfg(cfgs + N_OPT, CA);
  free(cfgs);
  l4p_store_close(other);
}

static void test_resume_with_changed_spec(void **state)
{
  struct fixture *f = *state;
  struct l4p_campaign_key key = f->key;
  key.spec_json = "{\"name\": \"toy\", \"changed\": true}";
  int64_t id;
  bool resumed;
  assert_int_equal(l4p_store_campaign(f->store, &key, &id, &resumed), L4P_OK);
  assert_true(resumed);
  assert_int_equal(id, f->campaign);
  assert_int_equal(
      query_int(f->path, "SELECT count(*) FROM event WHERE kind='warning'"), 1);
  /* The stored spec is still the first one. */
  struct l4p_spec *spec;
  assert_int_equal(l4p_store_campaign_spec(f->store, id, &spec), L4P_OK);
  assert_string_equal(spec->name, "toy");
  assert_int_equal(l4p_space_n_options(spec->space), N_OPT);
  assert_int_equal(spec->n_objectives, N_OBJ);
  l4p_spec_free(spec);
}

static void test_plan_deduplicates(void **state)
{
  struct fixture *f = *state;
  plan(f, (const double *const[]){CA, CB, CA}, 3, 2);
  plan(f, (const double *const[]){CB, CC}, 2, 1);
  plan(f, NULL, 0, 0);
  double *cfgs;
  size_t n;
  assert_int_equal(
      l4p_store_pending(f->store, f->campaign, f->spec->space, &cfgs, &n),
      L4P_OK);
  assert_int_equal(n, 3);
  assert_cfg(cfgs, CA);
  assert_cfg(cfgs + N_OPT, CB);
  assert_cfg(cfgs + 2 * N_OPT, CC);
  free(cfgs);
  assert_string_equal(
      query_text(f->path, "SELECT group_concat(seq) FROM "
                          "(SELECT seq FROM configuration ORDER BY seq)"),
      "1,2,3");
}

static void test_record_and_sample(void **state)
{
  struct fixture *f = *state;
  plan(f, (const double *const[]){CA, CB, CC}, 3, 3);
  double cfg[3][N_OPT], val[3][N_OBJ] = {{1.5, 10}, {NAN, NAN}, {2.5, 30}};
  struct l4p_measurement batch[2] = {ok_m(CA, cfg[0], val[0]),
                                     ok_m(CB, cfg[1], val[1])};
  batch[1].status = L4P_EORACLE;
  snprintf(batch[1].error, sizeof batch[1].error, "exit status 3");
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, batch, 2),
                   L4P_OK);
  /* Recording the same batch again changes nothing. */
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, batch, 2),
                   L4P_OK);
  /* A configuration that was never planned is added and measured. */
  struct l4p_measurement extra = ok_m(CD, cfg[2], val[2]);
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, &extra, 1),
                   L4P_OK);

  struct l4p_sample s;
  assert_int_equal(l4p_store_sample(f->store, f->campaign, f->spec, &s),
                   L4P_OK);
  assert_int_equal(s.n, 2);
  assert_int_equal(s.n_options, N_OPT);
  assert_int_equal(s.n_objectives, N_OBJ);
  assert_cfg(s.configs, CA);
  assert_cfg(s.configs + N_OPT, CD);
  assert_same(s.values[0], 1.5);
  assert_same(s.values[1], 10);
  assert_same(s.values[2], 2.5);
  assert_same(s.values[3], 30);
  assert_int_equal(s.n_failed, 1);
  assert_cfg(s.failed, CB);
  l4p_sample_release(&s);
  l4p_sample_release(&s); /* released twice is harmless */

  double *cfgs;
  size_t n;
  assert_int_equal(
      l4p_store_pending(f->store, f->campaign, f->spec->space, &cfgs, &n),
      L4P_OK);
  assert_int_equal(n, 1);
  assert_cfg(cfgs, CC);
  free(cfgs);

  assert_int_equal(query_int(f->path, "SELECT count(*) FROM configuration"), 4);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM measurement"),
                   3 * N_OBJ);
  assert_string_equal(query_text(f->path, "SELECT error FROM configuration "
                                          "WHERE state = 'failed'"),
                      "exit status 3");
  assert_string_equal(query_text(f->path,
                                 "SELECT group_concat(status) FROM measurement "
                                 "WHERE value IS NULL"),
                      "L4P_EORACLE,L4P_EORACLE");

  struct l4p_campaign_info *list;
  assert_int_equal(l4p_store_list(f->store, &list, &n), L4P_OK);
  assert_int_equal(n, 1);
  assert_int_equal(list[0].measured, 2);
  assert_int_equal(list[0].failed, 1);
  assert_int_equal(list[0].planned, 1);
  assert_false(list[0].done);
  free(list);

  bool done = true;
  assert_int_equal(l4p_store_campaign_done(f->store, f->campaign, &done),
                   L4P_OK);
  assert_false(done);
  assert_int_equal(l4p_store_campaign_finish(f->store, f->campaign), L4P_OK);
  assert_int_equal(l4p_store_campaign_done(f->store, f->campaign, &done),
                   L4P_OK);
  assert_true(done);
}

static void test_failed_then_measured(void **state)
{
  struct fixture *f = *state;
  plan(f, (const double *const[]){CA}, 1, 1);
  double cfg[N_OPT], val[N_OBJ] = {NAN, NAN};
  struct l4p_measurement m = ok_m(CA, cfg, val);
  m.status = L4P_EORACLE;
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, &m, 1),
                   L4P_OK);
  assert_string_equal(
      query_text(f->path, "SELECT error FROM configuration"),
      "measurement failed"); /* no reason given: the status's text */
  m.status = L4P_OK;
  val[0] = 4;
  val[1] = 5;
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, &m, 1),
                   L4P_OK);
  assert_string_equal(query_text(f->path, "SELECT state FROM configuration"),
                      "measured");
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM measurement"),
                   N_OBJ);
}

static void test_record_mapped(void **state)
{
  struct fixture *f = *state;
  plan(f, (const double *const[]){CA, CB, CC}, 3, 3);
  double cfg[2][N_OPT], val[2][N_OBJ] = {{7, 8}, {9, 10}};
  /* CA measured as CD (not in the campaign): the row takes CD's key. */
  struct l4p_measurement batch[2] = {ok_m(CA, cfg[0], val[0]),
                                     ok_m(CB, cfg[1], val[1])};
  memcpy(cfg[0], CD, sizeof cfg[0]);
  batch[0].mapped = true;
  batch[0].row = 17;
  /* CB measured as CC, which is already planned: CC takes the result and
   * CB's row goes, so no configuration appears twice. */
  memcpy(cfg[1], CC, sizeof cfg[1]);
  batch[1].mapped = true;
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, batch, 2),
                   L4P_OK);

  char *ka = l4p_space_config_key(f->spec->space, CA);
  char *kd = l4p_space_config_key(f->spec->space, CD);
  char sql[512], want[512];
  snprintf(sql, sizeof sql,
           "SELECT requested_key FROM configuration WHERE key = '%s'", kd);
  assert_string_equal(query_text(f->path, sql), ka);
  assert_int_equal(
      query_int(f->path, "SELECT count(*) FROM event WHERE kind = 'mapped'"),
      2);
  snprintf(want, sizeof want, "requested '%s' measured as '%s'", ka, kd);
  assert_string_equal(query_text(f->path, "SELECT message FROM event "
                                          "WHERE kind = 'mapped' ORDER BY id"),
                      want);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM configuration"), 2);

  struct l4p_sample s;
  assert_int_equal(l4p_store_sample(f->store, f->campaign, f->spec, &s),
                   L4P_OK);
  assert_int_equal(s.n, 2);
  assert_cfg(s.configs, CD);
  assert_cfg(s.configs + N_OPT, CC);
  assert_same(s.values[0], 7);
  assert_same(s.values[2], 9);
  l4p_sample_release(&s);

  /* Neither the request nor the measured configuration is planned again,
   * and recording the batch again adds nothing. */
  plan(f, (const double *const[]){CA, CD, CC}, 3, 0);
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, batch, 1),
                   L4P_OK);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM configuration"), 2);
  assert_int_equal(
      query_int(f->path, "SELECT count(*) FROM event WHERE kind = 'mapped'"),
      2);
  free(ka);
  free(kd);
}

static void test_record_is_atomic(void **state)
{
  struct fixture *f = *state;
  plan(f, (const double *const[]){CA, CB, CC}, 3, 3);
  long long events = query_int(f->path, "SELECT count(*) FROM event");
  /* Fail the fourth measurement row: the second configuration's second
   * objective, after the first configuration was fully written. */
  exec_sql(f->path, "CREATE TRIGGER fail_midway BEFORE INSERT ON measurement "
                    "WHEN (SELECT count(*) FROM measurement) >= 3 "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  double cfg[3][N_OPT], val[3][N_OBJ] = {{1, 2}, {3, 4}, {5, 6}};
  struct l4p_measurement batch[3] = {ok_m(CA, cfg[0], val[0]),
                                     ok_m(CB, cfg[1], val[1]),
                                     ok_m(CC, cfg[2], val[2])};
  memcpy(cfg[0], CD, sizeof cfg[0]); /* a mapping, with its event */
  batch[0].mapped = true;
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, batch, 3),
                   L4P_ESTORE);
  assert_non_null(strstr(l4p_last_error(), "injected failure"));
  assert_non_null(strstr(l4p_last_error(), f->path));

  assert_int_equal(query_int(f->path, "SELECT count(*) FROM measurement"), 0);
  assert_int_equal(query_int(f->path,
                             "SELECT count(*) FROM configuration "
                             "WHERE state = 'planned' AND key = requested_key"),
                   3);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM event"), events);

  /* A bad measurement in the middle of a batch: nothing either. */
  exec_sql(f->path, "DROP TRIGGER fail_midway");
  batch[1].requested = NULL;
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, batch, 3),
                   L4P_EUSAGE);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM measurement"), 0);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM event"), events);

  /* The store is still usable: the same batch then goes through whole. */
  batch[1].requested = CB;
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, batch, 3),
                   L4P_OK);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM measurement"),
                   3 * N_OBJ);
}

static void test_export_csv(void **state)
{
  struct fixture *f = *state;
  plan(f, (const double *const[]){CA, CB, CC}, 3, 3);
  double cfg[3][N_OPT], val[3][N_OBJ] = {{0.1, 1e6}, {NAN, NAN}, {2, 3}};
  struct l4p_measurement batch[3] = {ok_m(CA, cfg[0], val[0]),
                                     ok_m(CB, cfg[1], val[1]),
                                     ok_m(CC, cfg[2], val[2])};
  batch[1].status = L4P_EORACLE;
  assert_int_equal(l4p_store_record(f->store, f->campaign, f->spec, batch, 3),
                   L4P_OK);
  const char *csv = tu_tmp("export.csv");
  FILE *out = fopen(csv, "w");
  assert_non_null(out);
  assert_int_equal(l4p_store_export_csv(f->store, f->campaign, out), L4P_OK);
  fclose(out);
  char text[1024] = "";
  FILE *in = fopen(csv, "r");
  assert_non_null(in);
  size_t len = fread(text, 1, sizeof text - 1, in);
  fclose(in);
  text[len] = '\0';
  assert_string_equal(text, "fast,level,mode,ratio,time,size\n"
                            "0,3,a,0.5,0.1,1000000\n"
                            "0,0,\"d,e\",1,2,3\n");
}

static void test_unknown_campaign(void **state)
{
  struct fixture *f = *state;
  bool done;
  double *cfgs;
  size_t n;
  struct l4p_sample s;
  assert_int_equal(l4p_store_campaign_done(f->store, 999, &done), L4P_ESTORE);
  assert_non_null(strstr(l4p_last_error(), "no campaign 999"));
  assert_int_equal(l4p_store_campaign_finish(f->store, 999), L4P_ESTORE);
  assert_int_equal(l4p_store_pending(f->store, 999, f->spec->space, &cfgs, &n),
                   L4P_ESTORE);
  assert_int_equal(l4p_store_sample(f->store, 999, f->spec, &s), L4P_ESTORE);
  assert_int_equal(l4p_store_event(f->store, 999, "warning", "x"), L4P_ESTORE);
  size_t added;
  assert_int_equal(l4p_store_plan(f->store, 999, f->spec->space, CA, 1, &added),
                   L4P_ESTORE);
  assert_int_equal(l4p_store_event(f->store, f->campaign, "resume", "again"),
                   L4P_OK);
  assert_string_equal(
      query_text(f->path, "SELECT kind || ':' || message FROM event"),
      "resume:again");
}

/* A version 1 file (no llm_exchange, no artifact table) is migrated to
 * the current version on open, keeping its campaigns. */
static void test_migrate_from_v1(void **state)
{
  struct fixture *f = *state;
  l4p_store_close(f->store);
  f->store = NULL;
  downgrade(f->path, ",campaign,configuration,measurement,event,", 1);
  assert_int_equal(l4p_store_open(f->path, &f->store), L4P_OK);
  assert_int_equal(l4p_store_opened_version(f->store), 1);
  assert_int_equal(query_int(f->path, "PRAGMA user_version"),
                   L4P_STORE_SCHEMA_VERSION);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM llm_exchange"), 0);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM artifact"), 0);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM campaign"), 1);
}

/* A version 2 file gains the artifact table (version 3) and whatever
 * later versions add. */
static void test_migrate_from_v2(void **state)
{
  struct fixture *f = *state;
  l4p_store_close(f->store);
  f->store = NULL;
  downgrade(f->path,
            ",campaign,configuration,measurement,event,"
            "llm_exchange,",
            2);
  assert_int_equal(l4p_store_open(f->path, &f->store), L4P_OK);
  assert_int_equal(l4p_store_opened_version(f->store), 2);
  assert_int_equal(query_int(f->path, "PRAGMA user_version"),
                   L4P_STORE_SCHEMA_VERSION);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM artifact"), 0);
  assert_int_equal(query_int(f->path, "SELECT count(*) FROM campaign"), 1);
}

/* Artefacts: stored once per (iteration, kind, generator), listed in
 * iteration and kind order, filtered by kind, checked on the way in. */
static void test_artifacts(void **state)
{
  struct fixture *f = *state;
  bool added;
  assert_int_equal(l4p_store_artifact_add(f->store, f->campaign, 1, "batch", -1,
                                          "{\"n\":1}", &added),
                   L4P_OK);
  assert_true(added);
  /* the same key again: nothing changes, the first document stays */
  assert_int_equal(l4p_store_artifact_add(f->store, f->campaign, 1, "batch", -1,
                                          "{\"n\":2}", &added),
                   L4P_OK);
  assert_false(added);
  assert_int_equal(l4p_store_artifact_add(f->store, f->campaign, 1, "proposals",
                                          1, "{\"g\":1}", &added),
                   L4P_OK);
  assert_true(added);
  assert_int_equal(l4p_store_artifact_add(f->store, f->campaign, 1, "proposals",
                                          0, "{\"g\":0}", NULL),
                   L4P_OK);
  assert_int_equal(l4p_store_artifact_add(f->store, f->campaign, 0, "decisions",
                                          -1, "{}", NULL),
                   L4P_OK);
  assert_int_equal(
      l4p_store_artifact_add(f->store, f->campaign, 0, "nope", -1, "{}", NULL),
      L4P_EUSAGE);
  assert_int_equal(l4p_store_artifact_add(f->store, f->campaign, -1, "batch",
                                          -1, "{}", NULL),
                   L4P_EUSAGE);
  assert_int_equal(l4p_store_artifact_add(f->store, f->campaign + 7, 0, "batch",
                                          -1, "{}", NULL),
                   L4P_ESTORE);
  struct l4p_artifact *list;
  size_t n;
  assert_int_equal(l4p_store_artifacts(f->store, f->campaign, NULL, &list, &n),
                   L4P_OK);
  assert_int_equal(n, 4);
  assert_string_equal(list[0].kind, "decisions");
  assert_int_equal(list[0].iteration, 0);
  assert_int_equal(list[0].generator, -1);
  assert_string_equal(list[1].json, "{\"g\":0}");
  assert_int_equal(list[2].generator, 1);
  assert_string_equal(list[3].kind, "batch");
  assert_string_equal(list[3].json, "{\"n\":1}");
  assert_true(strlen(list[3].created) > 20);
  l4p_store_artifacts_free(list, n);
  assert_int_equal(
      l4p_store_artifacts(f->store, f->campaign, "proposals", &list, &n),
      L4P_OK);
  assert_int_equal(n, 2);
  l4p_store_artifacts_free(list, n);
  assert_int_equal(
      l4p_store_artifacts(f->store, f->campaign, "votes", &list, &n), L4P_OK);
  assert_int_equal(n, 0);
  assert_null(list);
}

/* LLM exchanges: rows, the replay lookup (newest accepted answer) and
 * usage totals per role and campaign. */
static void test_llm_exchange(void **state)
{
  struct fixture *f = *state;
  struct l4p_llm_exchange ex = {.campaign = f->campaign,
                                .role = "prune",
                                .model = "m",
                                .request_hash = "h1",
                                .request_json = "{}",
                                .status = "retry",
                                .error = "HTTP 500: boom",
                                .http_status = 500,
                                .prompt_tokens = -1,
                                .completion_tokens = -1,
                                .latency_ms = 250,
                                .attempt = 1};
  int64_t id;
  assert_int_equal(l4p_store_exchange_add(f->store, &ex, &id), L4P_OK);
  struct l4p_llm_recorded rec;
  bool found = true;
  assert_int_equal(l4p_store_exchange_find(f->store, "h1", &rec, &found),
                   L4P_OK);
  assert_false(found);
  ex.status = "ok";
  ex.error = NULL;
  ex.attempt = 2;
  ex.response_text = "{\"n\": 1}";
  ex.reply_json = "{\"n\":1}";
  ex.finish_reason = "stop";
  ex.prompt_tokens = 12;
  ex.completion_tokens = 3;
  assert_int_equal(l4p_store_exchange_add(f->store, &ex, &id), L4P_OK);
  ex.campaign = 0;
  ex.role = "generate";
  ex.request_hash = "h2";
  ex.attempt = 1;
  assert_int_equal(l4p_store_exchange_add(f->store, &ex, NULL), L4P_OK);
  assert_int_equal(l4p_store_exchange_find(f->store, "h1", &rec, &found),
                   L4P_OK);
  assert_true(found);
  assert_int_equal(rec.id, id);
  assert_string_equal(rec.reply_json, "{\"n\":1}");
  assert_string_equal(rec.finish_reason, "stop");
  l4p_llm_recorded_release(&rec);

  struct l4p_llm_usage *u;
  size_t n;
  assert_int_equal(l4p_store_llm_usage(f->store, f->campaign, &u, &n), L4P_OK);
  assert_int_equal(n, 1);
  assert_string_equal(u[0].role, "prune");
  assert_int_equal(u[0].calls, 1);
  assert_int_equal(u[0].attempts, 2);
  assert_int_equal(u[0].retries, 1);
  assert_int_equal(u[0].prompt_tokens, 12);
  assert_true(u[0].latency_s == 0.5);
  free(u);
  assert_int_equal(l4p_store_llm_usage(f->store, 0, &u, &n), L4P_OK);
  assert_int_equal(n, 2);
  free(u);

  ex.status = "maybe";
  assert_int_equal(l4p_store_exchange_add(f->store, &ex, NULL), L4P_EUSAGE);
  ex.status = "ok";
  ex.request_json = NULL;
  assert_int_equal(l4p_store_exchange_add(f->store, &ex, NULL), L4P_EUSAGE);
}

static void test_newer_schema_refused(void **state)
{
  struct fixture *f = *state;
  l4p_store_close(f->store);
  f->store = NULL;
  exec_sql(f->path, "PRAGMA user_version = 99");
  struct l4p_store *store = (struct l4p_store *)1;
  assert_int_equal(l4p_store_open(f->path, &store), L4P_ESTORE);
  assert_null(store);
  assert_non_null(strstr(l4p_last_error(), "schema version 99 is newer"));
  assert_non_null(strstr(l4p_last_error(), f->path));
  /* The file is left as it was. */
  assert_int_equal(query_int(f->path, "PRAGMA user_version"), 99);
}

static void test_foreign_database_refused(void **state)
{
  (void)state;
  const char *path = tu_tmp("foreign.db");
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db,
                                "PRAGMA application_id = 1234;"
                                "CREATE TABLE t(x)",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(db);
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(path, &store), L4P_ESTORE);
  assert_null(store);
  assert_non_null(strstr(l4p_last_error(), "another program"));

  /* Tables but no schema version: not ours either, and left untouched. */
  const char *plain = tu_tmp("plain.db");
  assert_int_equal(sqlite3_open(plain, &db), SQLITE_OK);
  assert_int_equal(
      sqlite3_exec(db, "CREATE TABLE campaign(x)", NULL, NULL, NULL),
      SQLITE_OK);
  sqlite3_close(db);
  assert_int_equal(l4p_store_open(plain, &store), L4P_ESTORE);
  assert_non_null(strstr(l4p_last_error(), "not an llm4perf store"));
  assert_int_equal(query_int(plain, "SELECT count(*) FROM sqlite_master"), 1);
}

static void test_corrupt_file(void **state)
{
  (void)state;
  const char *path = tu_tmp("corrupt.db");
  char junk[4096];
  for (size_t i = 0; i < sizeof junk - 1; i++)
    junk[i] = "not a database\n"[i % 15];
  junk[sizeof junk - 1] = '\0';
  tu_write(path, junk);
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(path, &store), L4P_ESTORE);
  assert_null(store);
  assert_non_null(strstr(l4p_last_error(), "file is not a database"));
  assert_non_null(strstr(l4p_last_error(), path));

  assert_int_equal(l4p_store_open("", &store), L4P_EUSAGE);
  assert_int_equal(l4p_store_open(tu_tmp("no/such/dir/x.db"), &store),
                   L4P_ESTORE);
  assert_non_null(strstr(l4p_last_error(), "cannot open"));
  l4p_store_close(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_create_and_reopen, setup, teardown),
      cmocka_unit_test_setup_teardown(test_two_handles_share_campaign, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_resume_with_changed_spec, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_plan_deduplicates, setup, teardown),
      cmocka_unit_test_setup_teardown(test_record_and_sample, setup, teardown),
      cmocka_unit_test_setup_teardown(test_failed_then_measured, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_record_mapped, setup, teardown),
      cmocka_unit_test_setup_teardown(test_record_is_atomic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_export_csv, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_campaign, setup, teardown),
      cmocka_unit_test_setup_teardown(test_migrate_from_v1, setup, teardown),
      cmocka_unit_test_setup_teardown(test_migrate_from_v2, setup, teardown),
      cmocka_unit_test_setup_teardown(test_artifacts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_llm_exchange, setup, teardown),
      cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup,
                                      teardown),
      cmocka_unit_test(test_foreign_database_refused),
      cmocka_unit_test(test_corrupt_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
