/* Unit tests for the llm agent (src/agents/llm_*.c) against
 * tests/fake_llm_server.c, each role end to end: what the prompt says,
 * read from the server's log; the schema sent, narrowed to the space;
 * the answer read back, with names and values outside the space reaching
 * the output readers (which count and repair or drop them); long
 * documentation extracted in merged chunks; and user prompt templates.
 * Faults, the key, the cache and concurrency are in
 * test_agents_llm_faults.c; the rig both use is in agents_llm_check.c.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "agents_llm_check.h"
#include "llm4perf/agent.h"
#include "llm4perf/llm.h"
#include "llm4perf/spec.h"
#include "testutil.h"

/* The schema request i sent as response_format (a new reference); every
 * role's schema is sent in its strict form, marked so. */
static json_t *sent_schema(json_t *log, size_t i)
{
  json_t *body = tu_fake_body(log, i);
  json_t *format =
      json_object_get(json_object_get(body, "response_format"), "json_schema");
  assert_true(json_is_true(json_object_get(format, "strict")));
  json_t *s = json_object_get(format, "schema");
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
  /* extract reads unknown programs: its schema is not narrowed, only made
   * strict (every member required, the optional ones nullable) */
  json_t *got = sent_schema(log, 0);
  json_t *option = json_object_get(
      json_object_get(json_object_get(got, "properties"), "options"), "items");
  json_t *want = json_loads("[\"name\",\"type\",\"values\",\"min\",\"max\","
                            "\"default\",\"description\",\"flag\","
                            "\"false_flag\",\"form\"]",
                            0, NULL);
  assert_true(json_equal(json_object_get(option, "required"), want));
  json_decref(want);
  json_t *props = json_object_get(option, "properties");
  want = json_loads("{\"type\":[\"string\",\"null\"]}", 0, NULL);
  assert_true(json_equal(json_object_get(props, "flag"), want));
  json_decref(want);
  want = json_loads("{\"type\":\"string\"}", 0, NULL); /* no minLength */
  assert_true(json_equal(json_object_get(props, "name"), want));
  json_decref(want);
  json_t *forms = json_object_get(json_object_get(props, "form"), "enum");
  assert_true(json_is_null(json_array_get(forms, json_array_size(forms) - 1)));
  json_decref(got);
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
  char *text = json_dumps(names, JSON_COMPACT);
  expect_has(user, text); /* and the prompt quotes the schema */
  free(text);
  expect_has(user, "\"reason\":{\"type\":\"string\",\"minLength\":1}");
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
  /* narrowed, its configurations have a strict form; the free-form
   * objective values of a Pareto row are left out of it */
  json_t *schema = sent_schema(log, 0);
  json_t *row = json_object_get(
      json_object_get(json_object_get(schema, "properties"), "pareto"),
      "items");
  assert_non_null(
      json_object_get(json_object_get(row, "properties"), "config"));
  assert_null(
      json_object_get(json_object_get(row, "properties"), "objectives"));
  json_decref(schema);
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
  json_decref(sent_schema(log, 0));
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

int main(void)
{
  agents_llm_env();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_extract),
      cmocka_unit_test(test_filter),
      cmocka_unit_test(test_analyze),
      cmocka_unit_test(test_design),
      cmocka_unit_test(test_generate),
      cmocka_unit_test(test_extract_chunked),
      cmocka_unit_test(test_user_templates),
      cmocka_unit_test(test_long_value_lists),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
