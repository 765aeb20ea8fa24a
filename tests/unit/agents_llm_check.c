/* The rig and checks declared in agents_llm_check.h, shared by the llm
 * agent's unit tests; they fail the running test (cmocka) on anything
 * unexpected.
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

#include <jansson.h>

#include "agents_llm_check.h"
#include "llm4perf/agent.h"
#include "llm4perf/llm.h"
#include "llm4perf/spec.h"
#include "testutil.h"

/* ----------------------------------------------------------- answers */

const char *const ok_answer[L4P_ROLE_COUNT] = {
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
json_t *step(const char *match, const char *content)
{
  json_t *s = json_object();
  if (match)
    json_object_set_new(s, "match", json_string(match));
  if (content)
    json_object_set_new(s, "content", json_string(content));
  return s;
}

/* ---------------------------------------------------------------- rig */

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
void rig_start(struct rig *r, json_t *script, const char *db,
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
void rig_stop(struct rig *r)
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
char *input_for(const struct rig *r, enum l4p_role role)
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
l4p_status run_role(struct rig *r, enum l4p_role role, char **out)
{
  char *in = input_for(r, role);
  struct l4p_agent_ctx ctx = {r->spec, r->spec->space, 1, 0};
  l4p_status st = l4p_agent_run(r->agent, role, &ctx, in, out);
  free(in);
  return st;
}

/* Run role and expect success. */
char *run_ok(struct rig *r, enum l4p_role role)
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
char *message(json_t *log, size_t i, size_t k)
{
  return message_of(log, i, k ? "user" : "system");
}

/* Fail unless text holds want. */
void expect_has(const char *text, const char *want)
{
  if (!strstr(text, want))
    fail_msg("'%s' is not in:\n%s", want, text);
}

/* How many requests the server logged (summary line aside). */
size_t n_requests(json_t *log)
{
  size_t n = 0, i;
  json_t *line;
  json_array_foreach (log, i, line)
    n += json_object_get(line, "summary") == NULL;
  return n;
}

/* Environment for the tests: no proxy, the key, no user overrides. */
void agents_llm_env(void)
{
  tu_fake_no_proxy();
  setenv("L4P_TEST_KEY", KEY, 1);
  unsetenv("L4P_PROMPTS_DIR");
  unsetenv("L4P_LLM_CACHE");
}
