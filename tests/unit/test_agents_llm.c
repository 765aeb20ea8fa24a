/* Unit tests for the llm agent (src/agents/llm_*.c) against
 * tests/fake_llm_server.c: each role end to end (what the prompt says,
 * read from the server's log; the schema sent, narrowed to the space;
 * the answer read back), every fault of the LLM-EXCHANGE table per role,
 * names and values outside the space reaching the output readers (which
 * count and repair or drop them), the key kept out of messages and the
 * database, record then replay with the server gone, long documentation
 * extracted in merged chunks, concurrent generators, per-call campaigns,
 * and user prompt templates.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "llm4perf/agent.h"
#include "llm4perf/llm.h"
#include "llm4perf/spec.h"
#include "llm4perf/store.h"
#include "testutil.h"

#define KEY "sk-agent-SECRET-7171"

/* ----------------------------------------------------------- answers */

static const char *const ok_answer[L4P_ROLE_COUNT] = {
    [L4P_ROLE_EXTRACT] =
        "{\"options\":[{\"name\":\"level\",\"type\":\"int\",\"min\":1,"
        "\"max\":9,\"default\":5,\"description\":\"Compression level.\","
        "\"flag\":\"--level\",\"form\":\"value\"}]}",
    [L4P_ROLE_FILTER] =
        "{\"decisions\":["
        "{\"option\":\"checksum\",\"keep\":true,\"reason\":\"adds work\"},"
        "{\"option\":\"verbose\",\"keep\":false,\"reason\":\"logging\"},"
        "{\"option\":\"level\",\"keep\":true,\"reason\":\"effort\"},"
        "{\"option\":\"mode\",\"keep\":true,\"reason\":\"algorithm\"},"
        "{\"option\":\"threads\",\"keep\":true,\"reason\":\"parallel\"}]}",
    [L4P_ROLE_ANALYZE] =
        "{\"objectives\":[{\"name\":\"time\",\"influences\":[{\"option\":"
        "\"level\",\"direction\":\"increase\",\"strength\":0.8,\"best\":1}]}],"
        "\"interactions\":[],\"correlations\":[{\"a\":\"time\",\"b\":\"size\","
        "\"r\":-0.5}],\"pareto\":[],\"gaps\":[{\"option\":\"threads\","
        "\"values\":[4]}],\"summary\":\"level drives time\"}",
    [L4P_ROLE_DESIGN] =
        "{\"explore\":0.5,\"focus\":[{\"option\":\"level\",\"values\":[1,2],"
        "\"weight\":0.6}],\"avoid\":[],\"rationale\":\"low levels\"}",
    [L4P_ROLE_GENERATE] =
        "{\"configs\":[{\"checksum\":false,\"verbose\":false,\"level\":2,"
        "\"mode\":\"fast\",\"threads\":2}]}",
};

static const char help_text[] =
    "Usage: frob [OPTIONS] FILE\n"
    "  --level N     compression level (1-9, default 5)\n"
    "  --verbose     print progress\n";

/* ------------------------------------------------------------- scripts */

/* A script step answering content (when not NULL) to requests holding
 * match (when not NULL). */
static json_t *step(const char *match, const char *content)
{
  json_t *s = json_object();
  if (match)
    json_object_set_new(s, "match", json_string(match));
  if (content)
    json_object_set_new(s, "content", json_string(content));
  return s;
}

/* The match text of role's requests. */
static const char *role_match(enum l4p_role role)
{
  static char buf[L4P_ROLE_COUNT][48];
  snprintf(buf[role], sizeof buf[0], "X-LLM4Perf-Role: %s",
           l4p_role_name(role));
  return buf[role];
}

/* ---------------------------------------------------------------- rig */

struct rig {
  struct tu_fake fake;
  struct l4p_llm_settings *settings;
  struct l4p_agent *agent;
  struct l4p_spec *spec;
};

/* Settings for the fake server at url: fast retries, short timeouts. */
static struct l4p_llm_settings *settings_for(const char *url)
{
  struct l4p_llm_settings *s = l4p_llm_settings_new();
  const char *sets[] = {"llm.model=fake-model", "llm.backoff_s=0.05",
                        "llm.timeout_s=5",      "llm.max_retries=2",
                        "llm.max_tokens=100",   "llm.api_key_env=L4P_TEST_KEY"};
  assert_int_equal(l4p_llm_settings_set(s, "llm.base_url", url), L4P_OK);
  for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
    assert_int_equal(l4p_llm_settings_assign(s, sets[k]), L4P_OK);
  return s;
}

/* Make r's agent from its settings; db (may be NULL) for the cache. */
static void rig_agent(struct rig *r, const char *db)
{
  struct l4p_agent_options o = {.llm = r->settings, .store_path = db};
  if (l4p_agent_new("llm", &o, &r->agent) != L4P_OK)
    fail_msg("llm agent: %s", l4p_last_error());
}

/* Start a server playing script (stolen), settings (plus sets, a NULL
 * ended list of NAME=VALUE) and an agent. */
static void rig_start(struct rig *r, json_t *script, const char *db,
                      const char *const *sets)
{
  memset(r, 0, sizeof *r);
  char *text = json_dumps(script, 0);
  json_decref(script);
  tu_fake_start(&r->fake, text, 0);
  free(text);
  r->settings = settings_for(r->fake.url);
  for (size_t k = 0; sets && sets[k]; k++)
    assert_int_equal(l4p_llm_settings_assign(r->settings, sets[k]), L4P_OK);
  rig_agent(r, db);
  assert_int_equal(l4p_spec_load(tu_src("tests/data/toy/toy.json"), &r->spec),
                   L4P_OK);
}

/* Stop the server (when running) and free everything. */
static void rig_stop(struct rig *r)
{
  if (r->fake.pid)
    tu_fake_stop(&r->fake);
  r->fake.pid = 0;
  l4p_agent_free(r->agent);
  l4p_llm_settings_free(r->settings);
  l4p_spec_free(r->spec);
}

/* Measured history over the toy space: 3 rows, one value missing. */
static const double hist_cfgs[] = {0, 0, 5, 0, 1, 1, 0, 9, 2, 4, 0, 1, 1, 1, 2};
static const double hist_vals[] = {1.5, 100, NAN, 90, 0.25, 180};

/* role's input document for the toy spec. */
static char *input_for(const struct rig *r, enum l4p_role role)
{
  struct l4p_history h = {3, hist_cfgs, hist_vals, 0, NULL};
  char *in = NULL;
  l4p_status st = L4P_EUSAGE;
  switch (role) {
  case L4P_ROLE_EXTRACT:
    st = l4p_agent_extract_input("frob", help_text, &in);
    break;
  case L4P_ROLE_FILTER:
    st = l4p_agent_filter_input(r->spec, NULL, 0, &in);
    break;
  case L4P_ROLE_ANALYZE:
    st = l4p_agent_analyze_input(r->spec, r->spec->space, &h, &in);
    break;
  case L4P_ROLE_DESIGN:
    st = l4p_agent_design_input(r->spec, r->spec->space,
                                ok_answer[L4P_ROLE_ANALYZE], 4, 20, &in);
    break;
  case L4P_ROLE_GENERATE:
    st = l4p_agent_generate_input(r->spec, r->spec->space,
                                  ok_answer[L4P_ROLE_DESIGN], &h, 3, &in);
    break;
  default:
    break;
  }
  if (st)
    fail_msg("input: %s", l4p_last_error());
  return in;
}

/* Run role through r's agent (campaign 0); the status, *out set. */
static l4p_status run_role(struct rig *r, enum l4p_role role, char **out)
{
  char *in = input_for(r, role);
  struct l4p_agent_ctx ctx = {r->spec, r->spec->space, 1, 0};
  l4p_status st = l4p_agent_run(r->agent, role, &ctx, in, out);
  free(in);
  return st;
}

/* Run role and expect success. */
static char *run_ok(struct rig *r, enum l4p_role role)
{
  char *out = NULL;
  if (run_role(r, role, &out) != L4P_OK)
    fail_msg("%s: %s", l4p_role_name(role), l4p_last_error());
  return out;
}

/* The first message of logged request i from role ("system", "user");
 * fails when there is none. */
static char *message_of(json_t *log, size_t i, const char *role)
{
  json_t *body = tu_fake_body(log, i), *m;
  size_t k;
  char *text = NULL;
  json_array_foreach (json_object_get(body, "messages"), k, m) {
    const char *who = json_string_value(json_object_get(m, "role"));
    if (!text && who && !strcmp(who, role))
      text = strdup(json_string_value(json_object_get(m, "content")));
  }
  json_decref(body);
  if (!text)
    fail_msg("request %zu has no %s message", i, role);
  return text;
}

/* The user (k 1) or system (k 0) message of logged request i. */
static char *message(json_t *log, size_t i, size_t k)
{
  return message_of(log, i, k ? "user" : "system");
}

/* Fail unless text holds want. */
static void expect_has(const char *text, const char *want)
{
  if (!strstr(text, want))
    fail_msg("'%s' is not in:\n%s", want, text);
}

/* How many requests the server logged (summary line aside). */
static size_t n_requests(json_t *log)
{
  size_t n = 0, i;
  json_t *line;
  json_array_foreach (log, i, line)
    n += json_object_get(line, "summary") == NULL;
  return n;
}

/* The schema request i sent as response_format (a new reference). */
static json_t *sent_schema(json_t *log, size_t i)
{
  json_t *body = tu_fake_body(log, i);
  json_t *s = json_object_get(
      json_object_get(json_object_get(body, "response_format"), "json_schema"),
      "schema");
  json_incref(s);
  json_decref(body);
  return s;
}

/* ------------------------------------------------- roles end to end */

static void test_extract(void **state)
{
  struct rig r;
  json_t *script = json_array();
  json_array_append_new(script, step(NULL, ok_answer[L4P_ROLE_EXTRACT]));
  rig_start(&r, script, NULL, NULL);
  char *out = run_ok(&r, L4P_ROLE_EXTRACT);
  struct l4p_agent_docs docs;
  assert_int_equal(l4p_agent_read_docs(out, &docs), L4P_OK);
  assert_int_equal(docs.n, 1);
  assert_string_equal(docs.options[0].name, "level");
  assert_string_equal(docs.options[0].flag, "--level");
  l4p_agent_docs_release(&docs);
  free(out);
  rig_stop(&r);

  json_t *log = tu_fake_log(&r.fake);
  assert_int_equal(n_requests(log), 1);
  assert_string_equal(
      json_string_value(json_object_get(tu_fake_line(log, 1), "role")),
      "extract");
  char *sys = message(log, 0, 0), *user = message(log, 0, 1);
  expect_has(sys, "single JSON object");
  expect_has(user, "part 1 of 1 of the documentation of the program\n"
                   "\"frob\"");
  expect_has(user, "----- begin documentation -----\n"
                   "Usage: frob");
  expect_has(user, "  --level N     compression level (1-9, default 5)");
  expect_has(user, "\"form\": how a value is passed");
  expect_has(user, l4p_agent_schema(L4P_ROLE_EXTRACT, L4P_AGENT_OUTPUT));
  assert_null(strstr(user, "{{"));
  /* extract reads unknown programs: its schema is not narrowed */
  json_t *want =
      json_loads(l4p_agent_schema(L4P_ROLE_EXTRACT, L4P_AGENT_OUTPUT), 0, NULL);
  json_t *got = sent_schema(log, 0);
  assert_true(json_equal(got, want));
  json_decref(got);
  json_decref(want);
  free(sys);
  free(user);
  json_decref(log);
}

static void test_filter(void **state)
{
  /* fenced and chatty; one invented option, one left out */
  struct rig r;
  json_t *script = json_array();
  json_array_append_new(
      script,
      step(NULL, "Here is my judgement:\n```json\n{\"decisions\":["
                 "{\"option\":\"verbose\",\"keep\":false,\"reason\":\"log\"},"
                 "{\"option\":\"turbo\",\"keep\":false,\"reason\":\"?\"},"
                 "{\"option\":\"level\",\"keep\":true,\"reason\":\"effort\"},"
                 "{\"option\":\"mode\",\"keep\":true,\"reason\":\"algo\"},"
                 "{\"option\":\"threads\",\"keep\":true,\"reason\":\"cpu\"}"
                 "]}\n```\nI hope this helps."));
  rig_start(&r, script, NULL, NULL);
  char *out = run_ok(&r, L4P_ROLE_FILTER);
  struct l4p_prune p;
  l4p_prune_init(&p);
  struct l4p_agent_decision_stats stats;
  assert_int_equal(
      l4p_agent_read_decisions(r.spec, out, "llm", NULL, 0, &p, &stats),
      L4P_OK);
  assert_int_equal(stats.unknown, 1); /* turbo */
  assert_int_equal(stats.missing, 1); /* checksum: kept */
  assert_int_equal(p.n_decisions, 5);
  assert_true(p.decisions[0].keep);
  assert_false(p.decisions[1].keep);
  assert_string_equal(p.decisions[1].reason, "log");
  l4p_prune_release(&p);
  free(out);
  rig_stop(&r);

  json_t *log = tu_fake_log(&r.fake);
  assert_int_equal(n_requests(log), 1);
  char *user = message(log, 0, 1);
  expect_has(user, "Program: toy\n");
  expect_has(user, "- time: minimise, in s.\n- size: minimise, in bytes.\n");
  expect_has(user, "Options (5):\n- checksum: bool; default false. Verify "
                   "each block after writing it.\n");
  expect_has(user, "- level: int in [1, 9] step 1; default 5; flag -L. "
                   "Compression effort; higher is slower and smaller.\n");
  expect_has(user, "- mode: enum, one of fast, slow, best; default fast; "
                   "flag --mode. Match finder strategy.\n");
  expect_has(user, "- threads: int, one of 1, 2, 4; default 1; flag "
                   "--threads. Worker threads.\n");
  /* the schema sent names the spec's options only */
  json_t *schema = sent_schema(log, 0);
  json_t *names = json_object_get(
      json_object_get(
          json_object_get(
              json_object_get(
                  json_object_get(json_object_get(schema, "properties"),
                                  "decisions"),
                  "items"),
              "properties"),
          "option"),
      "enum");
  assert_int_equal(json_array_size(names), 5);
  assert_string_equal(json_string_value(json_array_get(names, 4)), "threads");
  char *text = json_dumps(schema, JSON_COMPACT);
  expect_has(user, text); /* and the prompt quotes it */
  free(text);
  json_decref(schema);
  free(user);
  json_decref(log);
}

static void test_analyze(void **state)
{
  struct rig r;
  json_t *script = json_array();
  json_array_append_new(script, step(NULL, ok_answer[L4P_ROLE_ANALYZE]));
  rig_start(&r, script, NULL, NULL);
  char *out = run_ok(&r, L4P_ROLE_ANALYZE);
  json_t *j = json_loads(out, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(j, "summary")),
                      "level drives time");
  json_decref(j);
  free(out);
  rig_stop(&r);
  json_t *log = tu_fake_log(&r.fake);
  char *user = message(log, 0, 1);
  expect_has(user, "Measurements so far (3 rows;");
  expect_has(user, "checksum,verbose,level,mode,threads,time,size\n"
                   "false,false,5,fast,1,1.5,100\n"
                   "true,false,9,best,4,NA,90\n"
                   "false,true,1,slow,2,0.25,180\n");
  expect_has(user, "Options that vary (5):");
  free(user);
  json_decref(log);
}

static void test_design(void **state)
{
  struct rig r;
  json_t *script = json_array();
  json_array_append_new(script, step(NULL, ok_answer[L4P_ROLE_DESIGN]));
  rig_start(&r, script, NULL, NULL);
  char *out = run_ok(&r, L4P_ROLE_DESIGN);
  struct l4p_agent_strategy s;
  assert_int_equal(l4p_agent_read_strategy(r.spec->space, out, &s), L4P_OK);
  assert_true(s.explore == 0.5);
  assert_int_equal(s.unknown, 0);
  l4p_agent_strategy_release(&s);
  free(out);
  rig_stop(&r);
  json_t *log = tu_fake_log(&r.fake);
  char *user = message(log, 0, 1);
  expect_has(user, "Budget: 4 of 20 configurations measured, 16\nleft.");
  expect_has(user, "\"summary\":\"level drives time\"");
  free(user);
  json_decref(log);
}

static void test_generate(void **state)
{
  /* every kind of bad proposal; none fails the answer */
  struct rig r;
  json_t *script = json_array();
  json_array_append_new(
      script, step(NULL, "{\"configs\":["
                         "{\"checksum\":false,\"verbose\":false,\"level\":2,"
                         "\"mode\":\"fast\",\"threads\":2},"
                         "{\"checksum\":false,\"verbose\":false,\"level\":2,"
                         "\"mode\":\"fast\",\"threads\":2,\"turbo\":1},"
                         "{\"checksum\":true,\"verbose\":false,\"level\":12,"
                         "\"mode\":\"slow\",\"threads\":4},"
                         "{\"checksum\":true,\"verbose\":false,\"level\":1,"
                         "\"mode\":\"best\",\"threads\":4},"
                         "{\"checksum\":true,\"verbose\":false,\"level\":3,"
                         "\"mode\":\"ultra\",\"threads\":1}]}"));
  rig_start(&r, script, NULL, NULL);
  char *out = run_ok(&r, L4P_ROLE_GENERATE);
  struct l4p_agent_configs c;
  assert_int_equal(l4p_agent_read_generated(r.spec->space, out, &c), L4P_OK);
  assert_int_equal(c.n, 5);
  assert_int_equal(c.unknown_options, 1);       /* turbo */
  assert_int_equal(c.out_of_domain, 2);         /* 12, ultra */
  assert_int_equal(c.constraint_violations, 1); /* best needs level >= 3 */
  assert_int_equal(c.n_ok, 1);
  assert_int_equal(c.n_repaired, 2);
  assert_int_equal(c.n_invalid, 2);
  assert_int_equal(c.status[1], L4P_CONFIG_INVALID);
  assert_int_equal(c.status[2], L4P_CONFIG_REPAIRED);
  assert_true(c.configs[2 * 5 + 2] == 9); /* snapped */
  assert_int_equal(c.status[3], L4P_CONFIG_REPAIRED);
  assert_int_equal(l4p_space_validate(r.spec->space, c.configs + 3 * 5),
                   L4P_OK);
  assert_int_equal(c.status[4], L4P_CONFIG_INVALID);
  l4p_agent_configs_release(&c);
  free(out);
  rig_stop(&r);
  json_t *log = tu_fake_log(&r.fake);
  assert_int_equal(n_requests(log), 1); /* accepted as it came */
  char *user = message(log, 0, 1);
  expect_has(user, "Propose 3 new configurations.");
  expect_has(user, "Already measured or failed (3; CSV");
  expect_has(user, "checksum,verbose,level,mode,threads\n"
                   "false,false,5,fast,1\n");
  expect_has(user, "\"rationale\":\"low levels\"");
  /* the schema sent pins every configuration to the space */
  json_t *schema = sent_schema(log, 0);
  json_t *cfg = json_object_get(
      json_object_get(json_object_get(schema, "properties"), "configs"),
      "items");
  assert_true(json_is_false(json_object_get(cfg, "additionalProperties")));
  assert_int_equal(json_array_size(json_object_get(cfg, "required")), 5);
  json_decref(schema);
  free(user);
  json_decref(log);
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

/* Whether the file at path contains needle (binary-safe). */
static bool file_contains(const char *path, const char *needle)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return false;
  size_t n = strlen(needle), len = 0, cap = 1 << 16, got;
  char *buf = malloc(cap);
  while ((got = fread(buf + len, 1, cap - len, f)) > 0)
    if ((len += got) == cap)
      buf = realloc(buf, cap *= 2);
  fclose(f);
  bool found = false;
  for (size_t i = 0; i + n <= len && !found; i++)
    found = !memcmp(buf + i, needle, n);
  free(buf);
  return found;
}

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
  assert_true(file_contains(db, "Program: toy")); /* prompts were stored */
  assert_false(file_contains(db, "SECRET"));
  assert_false(file_contains(wal, "SECRET"));
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

/* ------------------------------------------------------ chunking */

static void test_extract_chunked(void **state)
{
  /* 60 options, about 4 KB: four chunks of at most 1200 bytes */
  char text[8192];
  size_t len = 0;
  for (int k = 0; k < 60; k++)
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "  --opt%02d N    sets knob %d of the engine "
                            "(default %d)\n",
                            k, k, k);
  struct l4p_llm_chunks chunks;
  assert_int_equal(l4p_llm_chunk_text(text, 1200, 150, &chunks), L4P_OK);
  size_t parts = chunks.n;
  assert_true(parts >= 2);
  l4p_llm_chunks_release(&chunks);

  json_t *script = json_array();
  json_array_append_new(
      script,
      step("part 1 of",
           "{\"options\":[{\"name\":\"opt00\",\"type\":\"int\","
           "\"description\":\"\",\"flag\":\"--opt00\"},"
           "{\"name\":\"mode\",\"type\":\"enum\",\"values\":[\"a\",\"b\"],"
           "\"description\":\"first\"}]}"));
  json_array_append_new(
      script,
      step("part 2 of",
           "{\"options\":[{\"name\":\"OPT-00\",\"type\":\"string\","
           "\"description\":\"sets knob 0\",\"default\":0,\"min\":0},"
           "{\"name\":\"mode\",\"type\":\"enum\",\"values\":[\"b\",\"c\"],"
           "\"description\":\"second\"},"
           "{\"name\":\"opt59\",\"type\":\"int\",\"description\":\"knob\"}"
           "]}"));
  json_t *rest = step(NULL, "{\"options\":[]}");
  json_object_set_new(rest, "repeat", json_true());
  json_array_append_new(script, rest);
  const char *const sets[] = {"llm.extract.chunk_chars=1200", NULL};
  struct rig r;
  rig_start(&r, script, NULL, sets);
  char *in, *out;
  assert_int_equal(l4p_agent_extract_input("engine", text, &in), L4P_OK);
  struct l4p_agent_ctx ctx = {0};
  if (l4p_agent_run(r.agent, L4P_ROLE_EXTRACT, &ctx, in, &out) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  free(in);
  rig_stop(&r);

  json_t *log = tu_fake_log(&r.fake);
  assert_int_equal(n_requests(log), parts);
  for (size_t i = 0; i < parts; i++) {
    char *user = message(log, i, 1), want[64];
    snprintf(want, sizeof want, "part %zu of %zu", i + 1, parts);
    expect_has(user, want);
    assert_true(strlen(user) < 1200 + 3000); /* one chunk, not all */
    free(user);
  }
  json_decref(log);
  /* merged: one entry per option, the first answer's fields first */
  json_t *j = json_loads(out, 0, NULL);
  json_t *opts = json_object_get(j, "options");
  assert_int_equal(json_array_size(opts), 3);
  json_t *o = json_array_get(opts, 0);
  assert_string_equal(json_string_value(json_object_get(o, "name")), "opt00");
  assert_string_equal(json_string_value(json_object_get(o, "type")), "int");
  assert_string_equal(json_string_value(json_object_get(o, "description")),
                      "sets knob 0");
  assert_int_equal(json_integer_value(json_object_get(o, "default")), 0);
  json_t *mode = json_array_get(opts, 1);
  assert_string_equal(json_string_value(json_object_get(mode, "description")),
                      "first");
  assert_int_equal(json_array_size(json_object_get(mode, "values")), 3);
  assert_string_equal(
      json_string_value(json_object_get(json_array_get(opts, 2), "name")),
      "opt59");
  json_decref(j);
  free(out);
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

/* ------------------------------------------------------- templates */

/* Write the five templates into dir, filter's being filter_text. */
static void write_templates(const char *dir, const char *filter_text)
{
  mkdir(dir, 0755);
  for (int role = 0; role < L4P_ROLE_COUNT; role++) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s.txt", dir, l4p_role_name(role));
    tu_write(path, role == L4P_ROLE_FILTER
                       ? filter_text
                       : "=== system ===\n=== user ===\n{{system}} {{seed}}\n");
  }
}

/* The status of making the llm agent with llm.prompts_dir = dir. */
static l4p_status make_with_dir(const char *dir, struct l4p_agent **agent)
{
  struct l4p_llm_settings *s = l4p_llm_settings_new();
  assert_int_equal(l4p_llm_settings_set(s, "llm.prompts_dir", dir), L4P_OK);
  struct l4p_agent_options o = {.llm = s};
  l4p_status st = l4p_agent_new("llm", &o, agent);
  l4p_llm_settings_free(s);
  return st;
}

static void test_user_templates(void **state)
{
  const char *dir = tu_tmp("prompts");
  write_templates(dir, "Notes for people: {{not_sent}}\n"
                       "=== system ===\n"
                       "\n  Judge {{n_options}} options.  \n\n"
                       "=== user ===\n"
                       "{{input}}|{{ nope }}|{x}|{{}}|{{system}}\n");
  json_t *script = json_array();
  json_array_append_new(script, step(NULL, ok_answer[L4P_ROLE_FILTER]));
  const char *sets[] = {NULL, NULL};
  char set[700];
  snprintf(set, sizeof set, "llm.prompts_dir=%s", dir);
  sets[0] = set;
  struct rig r;
  rig_start(&r, script, NULL, sets);
  char *out = run_ok(&r, L4P_ROLE_FILTER);
  free(out);
  char *in = input_for(&r, L4P_ROLE_FILTER);
  rig_stop(&r);
  json_t *log = tu_fake_log(&r.fake);
  char *sys = message(log, 0, 0), *user = message(log, 0, 1), want[8192];
  assert_string_equal(sys, "  Judge 5 options.");
  snprintf(want, sizeof want, "%s|{{ nope }}|{x}|{{}}|toy", in);
  assert_string_equal(user, want);
  free(sys);
  free(user);
  free(in);
  json_decref(log);

  /* broken templates are refused when the agent is made */
  struct l4p_agent *agent;
  write_templates(dir, "=== system ===\nok\n=== user ===\n\n{{history}}\n");
  assert_int_equal(make_with_dir(dir, &agent), L4P_EPARSE);
  expect_has(l4p_last_error(), "filter.txt:5: unknown placeholder "
                               "'{{history}}' (filter knows: system, ");
  assert_null(agent);
  write_templates(dir, "no markers\n");
  assert_int_equal(make_with_dir(dir, &agent), L4P_EPARSE);
  expect_has(l4p_last_error(), "filter.txt: needs a line '=== system ===' "
                               "and, after it, a line '=== user ==='");
  write_templates(dir, "=== system ===\n=== user ===\n  \n");
  assert_int_equal(make_with_dir(dir, &agent), L4P_EPARSE);
  expect_has(l4p_last_error(), "the user part is empty");
  char path[600];
  snprintf(path, sizeof path, "%s/generate.txt", dir);
  write_templates(dir, "=== system ===\n=== user ===\nok\n");
  tu_write(path, "=== system ===\n=== user ===\n{{n}} configurations\n");
  assert_int_equal(make_with_dir(dir, &agent), L4P_EPARSE);
  expect_has(l4p_last_error(), "generate.txt: needs {{seed}}");
  assert_int_equal(make_with_dir(tu_tmp("nosuch"), &agent), L4P_EIO);
  expect_has(l4p_last_error(), "no such directory");
  /* every shipped template loads */
  assert_int_equal(make_with_dir(tu_src("prompts"), &agent), L4P_OK);
  l4p_agent_free(agent);
}

static void test_long_value_lists(void **state)
{
  const char *dir = tu_tmp("prompts-long");
  write_templates(dir, "=== system ===\n=== user ===\n{{options}}");
  char set[700];
  snprintf(set, sizeof set, "llm.prompts_dir=%s", dir);
  const char *sets[] = {set, NULL};
  json_t *script = json_array();
  json_array_append_new(script, step(NULL, "{\"decisions\":[]}"));
  struct rig r;
  rig_start(&r, script, NULL, sets);
  struct l4p_spec *wide;
  char text[2048];
  size_t len = (size_t)snprintf(text, sizeof text,
                                "{\"name\":\"w\",\"objectives\":"
                                "[{\"name\":\"t\"}],\"options\":[{"
                                "\"name\":\"k\",\"type\":\"int\","
                                "\"default\":0,\"values\":[0");
  for (int v = 1; v < 100; v++)
    len += (size_t)snprintf(text + len, sizeof text - len, ",%d", v);
  snprintf(text + len, sizeof text - len, "]}]}");
  assert_int_equal(l4p_spec_parse(text, "w.json", &wide), L4P_OK);
  char *in, *out;
  assert_int_equal(l4p_agent_filter_input(wide, NULL, 0, &in), L4P_OK);
  struct l4p_agent_ctx ctx = {wide, wide->space, 1, 0};
  assert_int_equal(l4p_agent_run(r.agent, L4P_ROLE_FILTER, &ctx, in, &out),
                   L4P_OK);
  free(in);
  free(out);
  l4p_spec_free(wide);
  rig_stop(&r);
  json_t *log = tu_fake_log(&r.fake);
  char *user = message(log, 0, 1);
  assert_string_equal(user, "- k: int, one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, "
                            "10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, "
                            "22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, "
                            "34, 35, 36, 37, 38, 39, ... (56 more), 96, 97, "
                            "98, 99; default 0.");
  free(user);
  json_decref(log);
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
  /* The fake server is local: no proxy may stand in between. */
  const char *proxies[] = {"http_proxy",  "HTTP_PROXY", "https_proxy",
                           "HTTPS_PROXY", "all_proxy",  "ALL_PROXY"};
  for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
    unsetenv(proxies[i]);
  setenv("no_proxy", "*", 1);
  setenv("L4P_TEST_KEY", KEY, 1);
  unsetenv("L4P_PROMPTS_DIR");
  unsetenv("L4P_LLM_CACHE");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_extract),
      cmocka_unit_test(test_filter),
      cmocka_unit_test(test_analyze),
      cmocka_unit_test(test_design),
      cmocka_unit_test(test_generate),
      cmocka_unit_test(test_faults_per_role),
      cmocka_unit_test(test_failures_name_the_role),
      cmocka_unit_test(test_key_never_leaks),
      cmocka_unit_test(test_record_then_replay),
      cmocka_unit_test(test_extract_chunked),
      cmocka_unit_test(test_concurrent_generators),
      cmocka_unit_test(test_campaign_per_call),
      cmocka_unit_test(test_user_templates),
      cmocka_unit_test(test_long_value_lists),
      cmocka_unit_test(test_options),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
