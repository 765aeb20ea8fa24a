/* Unit tests for per-role agents and campaign LLM settings of the
 * llm4perf sampler (src/samplers/llm4perf_roles.c, llm4perf_agent.c,
 * src/agents/per_role.c): the "roles" and "llm" parameters read,
 * checked and written canonically, the identity of campaigns without
 * them unchanged, the composite agent naming each role's player, and a
 * whole campaign whose analyze and design roles ask the fake server
 * (tests/fake_llm_server.c) with the models its parameters name while
 * the builtin agent filters and generates.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "llm4perf/agent.h"
#include "llm4perf/campaign.h"
#include "llm4perf/llm4perf_sampler.h"
#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "llm4perf/store.h"
#include "testutil.h"

static void expect_has(const char *text, const char *part)
{
  if (!text || !strstr(text, part))
    fail_msg("expected '%s' in '%s'", part, text ? text : "(null)");
}

/* The canonical JSON of params for a budget of 200. */
static char *canonical(const char *params)
{
  struct l4p_llm4perf_params p;
  if (l4p_llm4perf_params_parse(params, &p))
    fail_msg("parse %s: %s", params, l4p_last_error());
  char *json;
  assert_int_equal(l4p_llm4perf_params_json(&p, 200, NULL, &json), L4P_OK);
  l4p_llm4perf_params_release(&p);
  return json;
}

/* -------------------------------------------------------- parameters */

/* Campaigns stored before "roles" and "llm" existed keep their identity:
 * the literal strings are what l4p_llm4perf_params_json wrote then. A
 * role given the agent that plays everything anyway says nothing. */
static void test_identity_unchanged(void **state)
{
  (void)state;
  static const char builtin[] =
      "{\"agent\":\"builtin\",\"candidates\":7,\"feedback\":true,"
      "\"generators\":3,\"initial\":20,\"prune\":true,"
      "\"voting\":\"agreement+distance\"}";
  static const char llm[] =
      "{\"agent\":\"llm\",\"candidates\":7,\"feedback\":true,"
      "\"generators\":3,\"initial\":20,\"prune\":true,"
      "\"voting\":\"agreement+distance\"}";
  const char *same_as_builtin[] = {NULL,
                                   "{}",
                                   "{\"agent\":\"builtin\"}",
                                   "{\"roles\":{\"filter\":\"builtin\"}}",
                                   "{\"roles\":{}}",
                                   "{\"llm\":{}}"};
  for (size_t k = 0; k < sizeof same_as_builtin / sizeof *same_as_builtin;
       k++) {
    char *json = canonical(same_as_builtin[k]);
    assert_string_equal(json, builtin);
    free(json);
  }
  char *json = canonical("{\"agent\":\"llm\",\"roles\":{\"analyze\":\"llm\","
                         "\"generate\":\"llm\"}}");
  assert_string_equal(json, llm);
  free(json);
}

/* Roles and settings read, written canonically and read back the same. */
static void test_roles_and_llm_round_trip(void **state)
{
  (void)state;
  struct l4p_llm4perf_params p;
  assert_int_equal(
      l4p_llm4perf_params_parse(
          "{\"roles\":{\"filter\":\"builtin\",\"analyze\":\"llm\","
          "\"design\":\"llm\",\"generate\":\"builtin\"},"
          "\"llm\":{\"model\":\"light\",\"analyze.model\":\"strong\","
          "\"base_url\":\"http://127.0.0.1:9/v1\",\"design.temperature\":"
          "0.9,\"max_retries\":0,\"api_key_env\":\"MY_KEY\"}}",
          &p),
      L4P_OK);
  const char *names[L4P_ROLE_COUNT];
  l4p_llm4perf_agent_names(&p, names);
  assert_string_equal(names[L4P_ROLE_FILTER], "builtin");
  assert_string_equal(names[L4P_ROLE_ANALYZE], "llm");
  assert_string_equal(names[L4P_ROLE_DESIGN], "llm");
  assert_string_equal(names[L4P_ROLE_GENERATE], "builtin");
  assert_string_equal(names[L4P_ROLE_EXTRACT], "builtin");
  assert_true(l4p_llm4perf_uses_agent(&p, "llm"));
  assert_int_equal(p.n_llm, 6);
  assert_string_equal(p.llm[0].name, "llm.analyze.model"); /* sorted */
  char *json;
  assert_int_equal(l4p_llm4perf_params_json(&p, 40, NULL, &json), L4P_OK);
  l4p_llm4perf_params_release(&p);
  assert_null(p.llm);
  assert_string_equal(
      json, "{\"agent\":\"builtin\",\"candidates\":7,\"feedback\":true,"
            "\"generators\":3,\"initial\":7,\"llm\":{\"analyze.model\":"
            "\"strong\",\"api_key_env\":\"MY_KEY\",\"base_url\":"
            "\"http://127.0.0.1:9/v1\",\"design.temperature\":\"0.9\","
            "\"max_retries\":\"0\",\"model\":\"light\"},\"prune\":true,"
            "\"roles\":{\"analyze\":\"llm\",\"design\":\"llm\"},"
            "\"voting\":\"agreement+distance\"}");
  char *again = canonical(json);
  assert_string_equal(again, json);
  free(again);
  free(json);
  /* llm for everything but the filter: "roles" names only the filter */
  json = canonical("{\"agent\":\"llm\",\"roles\":{\"filter\":\"builtin\","
                   "\"design\":\"llm\"},\"llm\":{\"design.model\":\"m\"}}");
  expect_has(json, "\"roles\":{\"filter\":\"builtin\"}");
  expect_has(json, "\"llm\":{\"design.model\":\"m\"}");
  free(json);
}

/* Each bad key fails with EUSAGE naming it; p is left with nothing to
 * release. */
static void test_errors(void **state)
{
  (void)state;
  static const struct {
    const char *params, *message;
  } cases[] = {
      {"{\"roles\":{\"analyze\":\"lmm\"}}",
       "llm4perf parameters: roles.analyze: unknown agent 'lmm' (known: "
       "builtin, llm)"},
      {"{\"roles\":{\"analyse\":\"llm\"}}",
       "llm4perf parameters: roles.analyse: unknown role (known: filter, "
       "analyze, design, generate)"},
      {"{\"roles\":{\"extract\":\"llm\"}}", "roles.extract: unknown role"},
      {"{\"roles\":{\"analyze\":3}}", "roles.analyze: expected an agent"},
      {"{\"roles\":[\"llm\"]}", "roles: expected an object"},
      {"{\"agent\":\"llm\",\"llm\":{\"generate.modle\":\"m\"}}",
       "llm4perf parameters: llm.generate.modle: unknown setting"},
      {"{\"agent\":\"llm\",\"llm\":{\"generate.temperature\":\"3\"}}",
       "setting 'llm.generate.temperature': value '3' is outside [0, 2]"},
      {"{\"agent\":\"llm\",\"llm\":{\"timeout_s\":\"soon\"}}",
       "setting 'llm.timeout_s': 'soon' is not a number"},
      {"{\"agent\":\"llm\",\"llm\":{\"analyse.model\":\"m\"}}",
       "llm.analyse.model: unknown role 'analyse' (known: filter, analyze, "
       "design, generate)"},
      {"{\"agent\":\"llm\",\"llm\":{\"model\":[1]}}",
       "llm.model: expected a string or a number"},
      {"{\"agent\":\"llm\",\"llm\":{\"cache\":\"record\"}}",
       "llm.cache: not a campaign parameter"},
      {"{\"agent\":\"llm\",\"llm\":{\"analyze.prompts_dir\":\"x\"}}",
       "cannot be set per role"},
      {"{\"llm\":{\"model\":\"m\"}}",
       "llm: settings given, but no role is played by the llm agent"},
      {"{\"roles\":{\"analyze\":\"llm\"},\"llm\":{\"generate.model\":\"m\"}}",
       "llm.generate.model: role 'generate' is played by the builtin agent"},
      {"{\"agent\":\"llm\",\"llm\":7}", "llm: expected an object"},
  };
  struct l4p_llm4perf_params p;
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    if (l4p_llm4perf_params_parse(cases[k].params, &p) != L4P_EUSAGE)
      fail_msg("%s: expected EUSAGE", cases[k].params);
    expect_has(l4p_last_error(), cases[k].message);
    assert_int_equal(p.n_llm, 0);
    assert_null(p.llm);
  }
}

/* A secret is refused with a message that never quotes it; only the
 * name of the variable holding the key may be given. */
static void test_secrets_refused(void **state)
{
  (void)state;
  static const struct {
    const char *params, *name;
  } cases[] = {
      {"{\"agent\":\"llm\",\"llm\":{\"api_key\":\"sk-SECRET-1\"}}",
       "llm.api_key"},
      {"{\"agent\":\"llm\",\"llm\":{\"analyze.api_key\":\"sk-SECRET-1\"}}",
       "llm.analyze.api_key"},
      {"{\"agent\":\"llm\",\"llm\":{\"token\":\"sk-SECRET-1\"}}", "llm.token"},
      {"{\"agent\":\"llm\",\"llm\":{\"base_url\":"
       "\"https://me:sk-SECRET-1@example.org/v1\"}}",
       "llm.base_url"},
      {"{\"agent\":\"llm\",\"llm\":{\"generate.base_url\":"
       "\"https://example.org/v1?key=sk-SECRET-1\"}}",
       "llm.generate.base_url"},
  };
  struct l4p_llm4perf_params p;
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    assert_int_equal(l4p_llm4perf_params_parse(cases[k].params, &p),
                     L4P_EUSAGE);
    expect_has(l4p_last_error(), cases[k].name);
    expect_has(l4p_last_error(), "api_key_env");
    if (strstr(l4p_last_error(), "SECRET"))
      fail_msg("the message quotes the secret: %s", l4p_last_error());
  }
  assert_int_equal(
      l4p_llm4perf_params_parse("{\"agent\":\"llm\",\"llm\":{\"api_key_env\":"
                                "\"MY_KEY\",\"max_tokens\":100}}",
                                &p),
      L4P_OK);
  l4p_llm4perf_params_release(&p);
}

/* ------------------------------------------------------------ agents */

static void test_per_role_agent(void **state)
{
  (void)state;
  const char *mixed[L4P_ROLE_COUNT] = {"builtin", "builtin", "llm", "llm",
                                       "builtin"};
  struct l4p_agent *agent;
  assert_int_equal(l4p_agent_new_per_role(mixed, NULL, &agent), L4P_OK);
  assert_string_equal(agent->ops->name, "mixed");
  for (int r = 0; r < L4P_ROLE_COUNT; r++)
    assert_string_equal(l4p_agent_player(agent, (enum l4p_role)r), mixed[r]);
  /* a role runs through its player: the builtin filter decides */
  struct l4p_spec *spec;
  assert_int_equal(l4p_spec_load(tu_src("tests/data/toy/toy.json"), &spec),
                   L4P_OK);
  char *input, *output;
  struct l4p_agent_ctx ctx = {spec, spec->space, 1, 0};
  assert_int_equal(l4p_agent_filter_input(spec, NULL, 0, &input), L4P_OK);
  assert_int_equal(l4p_agent_run(agent, L4P_ROLE_FILTER, &ctx, input, &output),
                   L4P_OK);
  expect_has(output, "\"decisions\"");
  free(output);
  free(input);
  l4p_agent_free(agent);
  /* one agent for every role: that agent, no composite */
  const char *same[L4P_ROLE_COUNT] = {"builtin", "builtin", "builtin",
                                      "builtin", "builtin"};
  assert_int_equal(l4p_agent_new_per_role(same, NULL, &agent), L4P_OK);
  assert_string_equal(agent->ops->name, "builtin");
  assert_string_equal(l4p_agent_player(agent, L4P_ROLE_DESIGN), "builtin");
  l4p_agent_free(agent);
  const char *bad[L4P_ROLE_COUNT] = {"builtin", "builtin", "lmm", "llm",
                                     "builtin"};
  assert_int_equal(l4p_agent_new_per_role(bad, NULL, &agent), L4P_EUSAGE);
  assert_null(agent);
  assert_string_equal(l4p_last_error(),
                      "unknown agent 'lmm' (known: builtin, llm)");
  l4p_spec_free(spec);
}

/* An agent given to the sampler must play each role as the parameters
 * say; it cannot take the parameters' LLM settings. */
static void test_given_agent_checked(void **state)
{
  (void)state;
  struct l4p_spec *spec;
  assert_int_equal(l4p_spec_load(tu_src("tests/data/toy/toy.json"), &spec),
                   L4P_OK);
  const char *names[L4P_ROLE_COUNT] = {"builtin", "builtin", "llm", "llm",
                                       "builtin"};
  struct l4p_agent *agent;
  assert_int_equal(l4p_agent_new_per_role(names, NULL, &agent), L4P_OK);
  struct l4p_sampler_env env = {
      "{\"roles\":{\"analyze\":\"llm\",\"design\":\"llm\"}}", NULL, 0, agent};
  struct l4p_sampler *s;
  assert_int_equal(l4p_sampler_new_env(l4p_sampler_find("llm4perf"), spec,
                                       spec->space, 1, 20, &env, &s),
                   L4P_OK);
  l4p_sampler_free(s);
  env.params = "{\"roles\":{\"analyze\":\"llm\"}}";
  assert_int_equal(l4p_sampler_new_env(l4p_sampler_find("llm4perf"), spec,
                                       spec->space, 1, 20, &env, &s),
                   L4P_EUSAGE);
  assert_string_equal(l4p_last_error(),
                      "llm4perf: agent 'llm' given for role 'design', but "
                      "the parameters name 'builtin'");
  env.params = "{\"roles\":{\"analyze\":\"llm\",\"design\":\"llm\"},"
               "\"llm\":{\"model\":\"m\"}}";
  assert_int_equal(l4p_sampler_new_env(l4p_sampler_find("llm4perf"), spec,
                                       spec->space, 1, 20, &env, &s),
                   L4P_EUSAGE);
  expect_has(l4p_last_error(), "llm settings");
  l4p_agent_free(agent);
  l4p_spec_free(spec);
}

/* ------------------------------------------- a campaign, fake server */

static const char script[] =
    "[{\"match\": \"X-LLM4Perf-Role: analyze\", \"repeat\": true, "
    "\"content\": \"{\\\"objectives\\\":[{\\\"name\\\":\\\"time\\\","
    "\\\"influences\\\":[{\\\"option\\\":\\\"level\\\",\\\"direction\\\":"
    "\\\"increase\\\",\\\"strength\\\":0.8,\\\"best\\\":1}]}],"
    "\\\"interactions\\\":[],\\\"correlations\\\":[],\\\"pareto\\\":[],"
    "\\\"gaps\\\":[],\\\"summary\\\":\\\"level drives time\\\"}\"},"
    " {\"match\": \"X-LLM4Perf-Role: design\", \"repeat\": true, "
    "\"content\": \"{\\\"explore\\\":0.5,\\\"focus\\\":[{\\\"option\\\":"
    "\\\"level\\\",\\\"values\\\":[1,2],\\\"weight\\\":0.6}],\\\"avoid\\\":"
    "[],\\\"rationale\\\":\\\"low levels are fast\\\"}\"}]";

/* The document of the campaign's first artefact of kind. */
static json_t *artifact(struct l4p_store *store, int64_t id, const char *kind)
{
  struct l4p_artifact *list;
  size_t n;
  assert_int_equal(l4p_store_artifacts(store, id, kind, &list, &n), L4P_OK);
  assert_true(n > 0);
  json_t *doc = json_loads(list[n - 1].json, 0, NULL);
  l4p_store_artifacts_free(list, n);
  assert_non_null(doc);
  return doc;
}

/* analyze and design by the llm agent (analyze with its own model),
 * filter and generate builtin: the server hears only analyze and design,
 * each with its model; the parameters' settings win over the
 * environment's (which point at a dead port and another model). */
static void test_campaign_mixed(void **state)
{
  (void)state;
  struct tu_fake fake;
  tu_fake_start(&fake, script, 0);
  setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", 1);
  setenv("L4P_LLM_MODEL", "from-environment", 1);
  char params[512];
  snprintf(params, sizeof params,
           "{\"roles\":{\"analyze\":\"llm\",\"design\":\"llm\"},"
           "\"llm\":{\"base_url\":\"%s\",\"model\":\"light\","
           "\"analyze.model\":\"strong\",\"max_retries\":0}}",
           fake.url);
  struct l4p_spec *spec;
  assert_int_equal(l4p_spec_load(tu_src("tests/data/toy/toy.json"), &spec),
                   L4P_OK);
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(tu_tmp("mixed.db"), &store), L4P_OK);
  struct l4p_campaign_opts opts = {.sampler = "llm4perf",
                                   .params = params,
                                   .budget = 24,
                                   .batch = 7,
                                   .seed = 3};
  int64_t id = 0;
  if (l4p_campaign_run(spec, store, &opts, &id))
    fail_msg("campaign: %s", l4p_last_error());
  unsetenv("OPENAI_BASE_URL");
  unsetenv("L4P_LLM_MODEL");
  tu_fake_stop(&fake);
  json_t *log = tu_fake_log(&fake);
  size_t analyze = 0, design = 0, k;
  json_t *line;
  json_array_foreach (log, k, line) {
    const char *role = json_string_value(json_object_get(line, "role"));
    if (!role)
      continue; /* the summary line */
    json_t *body = tu_fake_body(log, k);
    const char *model = json_string_value(json_object_get(body, "model"));
    if (strcmp(role, "analyze") == 0) {
      analyze++;
      assert_string_equal(model, "strong");
    } else if (strcmp(role, "design") == 0) {
      design++;
      assert_string_equal(model, "light");
    } else {
      fail_msg("the server was asked for role '%s'", role);
    }
    json_decref(body);
  }
  json_decref(log);
  /* 24 = 7 initial + 3 iterations (the last one short) */
  assert_int_equal(analyze, 3);
  assert_int_equal(design, 3);
  /* the artefacts say who played what */
  json_t *doc = artifact(store, id, "decisions");
  assert_string_equal(json_string_value(json_object_get(doc, "agent")),
                      "builtin");
  json_decref(doc);
  doc = artifact(store, id, "diagnostics");
  json_t *agents = json_object_get(doc, "agents");
  assert_string_equal(json_string_value(json_object_get(agents, "analyze")),
                      "llm");
  assert_string_equal(json_string_value(json_object_get(agents, "design")),
                      "llm");
  assert_string_equal(json_string_value(json_object_get(agents, "generate")),
                      "builtin");
  assert_null(json_object_get(doc, "fallbacks")); /* every answer used */
  json_decref(doc);
  doc = artifact(store, id, "analysis");
  expect_has(json_string_value(json_object_get(doc, "summary")),
             "level drives time");
  json_decref(doc);
  l4p_store_close(store);
  l4p_spec_free(spec);
}

int main(void)
{
  /* The process's own LLM settings must not leak in. */
  tu_fake_no_proxy();
  const char *unset[] = {"L4P_PROMPTS_DIR", "L4P_LLM_CACHE", "L4P_LLM_CONFIG",
                         "OPENAI_BASE_URL", "L4P_LLM_MODEL"};
  for (size_t i = 0; i < sizeof unset / sizeof unset[0]; i++)
    unsetenv(unset[i]);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_identity_unchanged),
      cmocka_unit_test(test_roles_and_llm_round_trip),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_secrets_refused),
      cmocka_unit_test(test_per_role_agent),
      cmocka_unit_test(test_given_agent_checked),
      cmocka_unit_test(test_campaign_mixed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
