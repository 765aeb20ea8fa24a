/* Unit tests for the llm agent (src/agents/llm_*.c) against
 * tests/fake_llm_server.c when things go wrong or are kept: every fault
 * of the LLM-EXCHANGE table per role, failures naming the role, the key
 * kept out of messages and the database, record then replay with the
 * server gone, concurrent generators, per-call campaigns, and the
 * agent's options. What each role sends and reads back is in
 * test_agents_llm_roles.c; the rig both use is in agents_llm_check.c.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agents_llm_check.h"
#include "llm4perf/agent.h"
#include "llm4perf/llm.h"
#include "llm4perf/store.h"
#include "testutil.h"

/* The match text of role's requests. */
static const char *role_match(enum l4p_role role)
{
  static char buf[L4P_ROLE_COUNT][48];
  snprintf(buf[role], sizeof buf[0], "X-LLM4Perf-Role: %s",
           l4p_role_name(role));
  return buf[role];
}

/* -------------------------------------------------- faults per role */

/* A fault the first answer has; the second is good. */
struct fault {
  const char *name;
  const char *step; /* JSON of the faulty step ("%s": the good answer,
                         JSON-escaped) */
  size_t requests;  /* the server sees this many */
};

static const struct fault faults[] = {
    {"fenced", "{\"content\": \"```json\\n%s\\n```\"}", 1},
    {"prose", "{\"content\": \"Sure. Here it is: %s Anything else?\"}", 1},
    {"truncated", "{\"content\": \"{\\\"a\", \"finish_reason\": \"length\"}",
     2},
    {"empty choices", "{\"raw_body\": \"{\\\"choices\\\": []}\"}", 2},
    {"429",
     "{\"status\": 429, \"headers\": {\"Retry-After\": \"1\"}, "
     "\"error\": \"slow down\"}",
     2},
    {"500", "{\"status\": 500, \"error\": \"boom\"}", 2},
    {"slow", "{\"delay_ms\": 2500, \"content\": \"{}\"}", 2},
    {"not json", "{\"raw_body\": \"<html>bad gateway</html>\"}", 2},
    {"wrong shape", "{\"content\": \"{\\\"answer\\\": 42}\"}", 2},
};

/* The good answer as the inside of a JSON string. */
static char *escaped(const char *text)
{
  json_t *s = json_string(text);
  char *dumped = json_dumps(s, JSON_ENCODE_ANY);
  json_decref(s);
  dumped[strlen(dumped) - 1] = '\0';
  memmove(dumped, dumped + 1, strlen(dumped));
  return dumped;
}

static void test_faults_per_role(void **state)
{
  const char *const sets[] = {"llm.timeout_s=0.8", NULL};
  for (int role = 0; role < L4P_ROLE_COUNT; role++) {
    char *good = escaped(ok_answer[role]);
    for (size_t f = 0; f < sizeof faults / sizeof faults[0]; f++) {
      char text[4096];
      snprintf(text, sizeof text, faults[f].step, good);
      json_t *bad = json_loads(text, 0, NULL), *script = json_array();
      assert_non_null(bad);
      json_array_append_new(script, bad);
      json_array_append_new(script, step(NULL, ok_answer[role]));
      struct rig r;
      rig_start(&r, script, NULL, sets);
      char *out = NULL;
      if (run_role(&r, role, &out) != L4P_OK)
        fail_msg("%s, %s: %s", l4p_role_name(role), faults[f].name,
                 l4p_last_error());
      json_t *got = json_loads(out, 0, NULL);
      json_t *want = json_loads(ok_answer[role], 0, NULL);
      if (!json_equal(got, want))
        fail_msg("%s, %s: answer %s", l4p_role_name(role), faults[f].name, out);
      json_decref(got);
      json_decref(want);
      free(out);
      rig_stop(&r);
      json_t *log = tu_fake_log(&r.fake);
      if (n_requests(log) != faults[f].requests)
        fail_msg("%s, %s: %zu requests", l4p_role_name(role), faults[f].name,
                 n_requests(log));
      json_decref(log);
    }
    free(good);
  }
}

static void test_failures_name_the_role(void **state)
{
  struct rig r;
  json_t *script = json_array(), *bad = step(NULL, NULL);
  json_object_set_new(bad, "raw_body", json_string("not json at all"));
  json_object_set_new(bad, "repeat", json_true());
  json_array_append_new(script, bad);
  rig_start(&r, script, NULL, NULL);
  char *out = (char *)"untouched";
  assert_int_equal(run_role(&r, L4P_ROLE_DESIGN, &out), L4P_ELLM);
  assert_null(out);
  expect_has(l4p_last_error(), "role 'design': gave up after 3 attempts: "
                               "response body is not JSON");
  rig_stop(&r);
  /* nobody listening */
  rig_start(&r, json_array(), NULL, NULL);
  tu_fake_stop(&r.fake);
  r.fake.pid = 0;
  assert_int_equal(run_role(&r, L4P_ROLE_FILTER, &out), L4P_ELLM);
  expect_has(l4p_last_error(), "role 'filter': gave up after 3 attempts: "
                               "cannot reach http://127.0.0.1:");
  rig_stop(&r);
}

/* ---------------------------------------------- key, record, replay */

static void test_key_never_leaks(void **state)
{
  char db[512];
  snprintf(db, sizeof db, "%s", tu_tmp("key.db"));
  const char *const sets[] = {"llm.cache=record", NULL};
  struct rig r;
  json_t *script = json_array(), *echo = step(NULL, NULL);
  json_object_set_new(echo, "status", json_integer(401));
  json_object_set_new(echo, "error", json_string("bad key " KEY));
  json_array_append_new(script, echo);
  json_t *echo500 = step(NULL, NULL);
  json_object_set_new(echo500, "status", json_integer(500));
  json_object_set_new(echo500, "raw_body", json_string("echo " KEY));
  json_array_append_new(script, echo500);
  json_array_append_new(script, step(NULL, ok_answer[L4P_ROLE_FILTER]));
  rig_start(&r, script, db, sets);
  char *out;
  assert_int_equal(run_role(&r, L4P_ROLE_FILTER, &out), L4P_ELLM);
  expect_has(l4p_last_error(), "HTTP 401 (check the API key): bad key "
                               "[redacted]");
  assert_null(strstr(l4p_last_error(), "SECRET"));
  out = run_ok(&r, L4P_ROLE_FILTER);
  free(out);
  rig_stop(&r);
  json_t *log = tu_fake_log(&r.fake);
  assert_string_equal(
      json_string_value(json_object_get(tu_fake_line(log, 1), "authorization")),
      "Bearer " KEY);
  for (int n = 1; n <= 3; n++)
    assert_null(
        strstr(json_string_value(json_object_get(tu_fake_line(log, n), "body")),
               "SECRET"));
  json_decref(log);
  char wal[600];
  snprintf(wal, sizeof wal, "%s-wal", db);
  assert_true(tu_file_contains(db, "Program: toy")); /* prompts were stored */
  assert_false(tu_file_contains(db, "SECRET"));
  assert_false(tu_file_contains(wal, "SECRET"));
}

static void test_record_then_replay(void **state)
{
  char db[512];
  snprintf(db, sizeof db, "%s", tu_tmp("replay.db"));
  const char *const record[] = {"llm.cache=record", "llm.temperature=0", NULL};
  struct rig r;
  json_t *script = json_array(),
         *busy = step(role_match(L4P_ROLE_ANALYZE), NULL);
  json_object_set_new(busy, "status", json_integer(503));
  json_array_append_new(script, busy);
  for (int role = 0; role < L4P_ROLE_COUNT; role++)
    json_array_append_new(script, step(role_match(role), ok_answer[role]));
  rig_start(&r, script, db, record);
  char *live[L4P_ROLE_COUNT];
  for (int role = 0; role < L4P_ROLE_COUNT; role++)
    live[role] = run_ok(&r, role);
  rig_stop(&r); /* from here on there is no server */

  const char *const replay[] = {"llm.cache=replay", "llm.temperature=0", NULL};
  rig_start(&r, json_array(), db, replay);
  tu_fake_stop(&r.fake);
  r.fake.pid = 0;
  for (int role = L4P_ROLE_COUNT - 1; role >= 0; role--) {
    char *again = run_ok(&r, role);
    assert_string_equal(again, live[role]);
    free(again);
    free(live[role]);
  }
  /* another question was never recorded */
  char *in, *out;
  assert_int_equal(l4p_agent_extract_input("other", "--x  a switch", &in),
                   L4P_OK);
  struct l4p_agent_ctx ctx = {0};
  assert_int_equal(l4p_agent_run(r.agent, L4P_ROLE_EXTRACT, &ctx, in, &out),
                   L4P_ELLM);
  expect_has(l4p_last_error(), "no recorded answer for role 'extract'");
  free(in);
  rig_stop(&r);

  /* usage per role, read back from the store */
  struct l4p_store *store;
  if (l4p_store_open(db, &store) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  struct l4p_llm_usage *usage;
  size_t n;
  assert_int_equal(l4p_store_llm_usage(store, 0, &usage, &n), L4P_OK);
  assert_int_equal(n, 5);
  assert_string_equal(usage[0].role, "analyze");
  assert_int_equal(usage[0].calls, 1);
  assert_int_equal(usage[0].attempts, 2);
  free(usage);
  l4p_store_close(store);
}

/* -------------------------------------------------- concurrency */

enum { N_GENERATORS = 3 };

struct generator {
  struct rig *rig;
  uint64_t seed;
  l4p_status status;
  char *out;
};

static void *generate(void *arg)
{
  struct generator *g = arg;
  char *in = input_for(g->rig, L4P_ROLE_GENERATE);
  struct l4p_agent_ctx ctx = {g->rig->spec, g->rig->spec->space, g->seed, 0};
  g->status =
      l4p_agent_run(g->rig->agent, L4P_ROLE_GENERATE, &ctx, in, &g->out);
  free(in);
  return NULL;
}

static void test_concurrent_generators(void **state)
{
  char db[512];
  snprintf(db, sizeof db, "%s", tu_tmp("threads.db"));
  const char *const sets[] = {"llm.cache=record", NULL};
  json_t *script = json_array(),
         *slow = step(NULL, ok_answer[L4P_ROLE_GENERATE]);
  json_object_set_new(slow, "delay_ms", json_integer(1000));
  json_object_set_new(slow, "repeat", json_true());
  json_array_append_new(script, slow);
  struct rig r;
  rig_start(&r, script, db, sets);
  pthread_t threads[N_GENERATORS];
  struct generator gens[N_GENERATORS];
  for (int i = 0; i < N_GENERATORS; i++) {
    gens[i] = (struct generator){.rig = &r, .seed = (uint64_t)i + 1};
    assert_int_equal(pthread_create(&threads[i], NULL, generate, &gens[i]), 0);
  }
  for (int i = 0; i < N_GENERATORS; i++) {
    pthread_join(threads[i], NULL);
    if (gens[i].status != L4P_OK)
      fail_msg("generator %d: %s", i, l4p_last_error());
    assert_string_equal(gens[i].out, ok_answer[L4P_ROLE_GENERATE]);
    free(gens[i].out);
  }
  rig_stop(&r);
  json_t *log = tu_fake_log(&r.fake);
  json_t *summary = json_array_get(log, json_array_size(log) - 1);
  assert_int_equal(json_integer_value(json_object_get(summary, "max_open")),
                   N_GENERATORS);
  /* each generator asked its own question (tag-generator-seed) */
  bool seen[N_GENERATORS] = {false};
  for (size_t i = 0; i < N_GENERATORS; i++) {
    char *user = message(log, i, 1);
    for (int g = 0; g < N_GENERATORS; g++) {
      char want[64];
      snprintf(want, sizeof want, "Proposal set: %d.", g + 1);
      seen[g] = seen[g] || strstr(user, want);
    }
    free(user);
  }
  for (int g = 0; g < N_GENERATORS; g++)
    assert_true(seen[g]);
  json_decref(log);
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(db, &store), L4P_OK);
  struct l4p_llm_usage *usage;
  size_t n;
  assert_int_equal(l4p_store_llm_usage(store, 0, &usage, &n), L4P_OK);
  assert_int_equal(n, 1);
  assert_int_equal(usage[0].calls, N_GENERATORS);
  free(usage);
  l4p_store_close(store);
}

static void test_campaign_per_call(void **state)
{
  char db[512];
  snprintf(db, sizeof db, "%s", tu_tmp("campaign.db"));
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(db, &store), L4P_OK);
  struct l4p_campaign_key key = {"toy", "{}", "llm4perf", "{}", 1, 10};
  int64_t id;
  bool resumed;
  assert_int_equal(l4p_store_campaign(store, &key, &id, &resumed), L4P_OK);
  const char *const sets[] = {"llm.cache=record", NULL};
  json_t *script = json_array();
  for (int k = 0; k < 2; k++)
    json_array_append_new(script, step(NULL, ok_answer[L4P_ROLE_FILTER]));
  struct rig r;
  rig_start(&r, script, db, sets);
  char *in = input_for(&r, L4P_ROLE_FILTER), *out;
  struct l4p_agent_ctx ctx = {r.spec, r.spec->space, 1, id};
  assert_int_equal(l4p_agent_run(r.agent, L4P_ROLE_FILTER, &ctx, in, &out),
                   L4P_OK);
  free(out);
  /* the agent's default campaign (none); another question, as the same
   * one would be answered from the store (tag-llm-recall) */
  free(in);
  const char *time_only[] = {"time"};
  assert_int_equal(l4p_agent_filter_input(r.spec, time_only, 1, &in), L4P_OK);
  ctx.campaign = 0;
  assert_int_equal(l4p_agent_run(r.agent, L4P_ROLE_FILTER, &ctx, in, &out),
                   L4P_OK);
  free(out);
  free(in);
  rig_stop(&r);
  struct l4p_llm_usage *usage;
  size_t n;
  assert_int_equal(l4p_store_llm_usage(store, id, &usage, &n), L4P_OK);
  assert_int_equal(n, 1);
  assert_int_equal(usage[0].calls, 1);
  free(usage);
  assert_int_equal(l4p_store_llm_usage(store, 0, &usage, &n), L4P_OK);
  assert_int_equal(usage[0].calls, 2);
  free(usage);
  l4p_store_close(store);
}

static void test_options(void **state)
{
  const char *known, *summary = NULL;
  bool llm = false;
  for (size_t k = 0; (known = l4p_agent_known(k, &summary)); k++)
    llm = llm || !strcmp(known, "llm");
  assert_true(llm);
  struct l4p_llm_settings *s = l4p_llm_settings_new();
  assert_int_equal(l4p_llm_settings_set(s, "llm.cache", "replay"), L4P_OK);
  struct l4p_agent_options o = {.llm = s};
  struct l4p_agent *agent;
  assert_int_equal(l4p_agent_new("llm", &o, &agent), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(), "llm agent: llm.cache 'replay' "
                                        "needs a results database");
  o.store_path = tu_tmp("never-recorded.db");
  assert_int_equal(l4p_agent_new("llm", &o, &agent), L4P_EIO);
  expect_has(l4p_last_error(), "cannot replay from");
  l4p_llm_settings_free(s);
  assert_int_equal(l4p_agent_new("nosuch", NULL, &agent), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(),
                      "unknown agent 'nosuch' (known: builtin, llm)");
}

int main(void)
{
  agents_llm_env();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_faults_per_role),
      cmocka_unit_test(test_failures_name_the_role),
      cmocka_unit_test(test_key_never_leaks),
      cmocka_unit_test(test_record_then_replay),
      cmocka_unit_test(test_concurrent_generators),
      cmocka_unit_test(test_campaign_per_call),
      cmocka_unit_test(test_options),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
