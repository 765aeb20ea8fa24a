/* Unit tests for the agents' documents (src/agents: schemas, inputs,
 * outputs): every schema within the subset the LLM client checks; role
 * inputs built from specs and histories; answers read safely against a
 * space (unknown options, values outside domains and constraint
 * violations detected and counted); decisions, strategies, levels; the
 * docs matching and merge; agents by name; run-time schema checks.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/agent.h"
#include "llm4perf/llm.h"
#include "llm4perf/spec.h"
#include "testutil.h"
#include "util/fileio.h"

/* |a - b| <= eps, with both numbers in the message otherwise. */
#define assert_near(a, b, eps) near((a), (b), (eps), #a, __LINE__)
static void near(double a, double b, double eps, const char *what, int line)
{
  if (!(fabs(a - b) <= eps))
    fail_msg("line %d: %s is %.17g, expected %.17g", line, what, a, b);
}

static struct l4p_spec *load(const char *rel)
{
  struct l4p_spec *spec;
  if (l4p_spec_load(tu_src(rel), &spec) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  return spec;
}

static void check_schema_text(const char *text)
{
  json_error_t err;
  json_t *schema = json_loads(text, 0, &err);
  if (!schema)
    fail_msg("schema not JSON: %s: %s", err.text, text);
  if (l4p_llm_schema_check(schema) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  json_decref(schema);
}

static void test_schemas_in_subset(void **state)
{
  (void)state;
  struct l4p_spec *spec = load("tests/data/toy/toy.json");
  for (int r = 0; r < L4P_ROLE_COUNT; r++) {
    assert_int_equal(l4p_role_find(l4p_role_name((enum l4p_role)r)), r);
    check_schema_text(l4p_agent_schema((enum l4p_role)r, L4P_AGENT_INPUT));
    check_schema_text(l4p_agent_schema((enum l4p_role)r, L4P_AGENT_OUTPUT));
    char *narrow;
    if (l4p_agent_schema_for((enum l4p_role)r, spec->space, &narrow))
      fail_msg("%s", l4p_last_error());
    check_schema_text(narrow);
    free(narrow);
  }
  assert_int_equal(l4p_role_find("nosuch"), -1);
  assert_null(l4p_agent_schema(L4P_ROLE_COUNT, L4P_AGENT_INPUT));
  /* the narrowed generate schema names exactly the free options */
  char *narrow;
  assert_int_equal(
      l4p_agent_schema_for(L4P_ROLE_GENERATE, spec->space, &narrow), L4P_OK);
  json_t *schema = json_loads(narrow, 0, NULL);
  json_t *good = json_loads("{\"configs\":[{\"checksum\":true,\"verbose\":"
                            "false,\"level\":3,\"mode\":\"slow\","
                            "\"threads\":4}]}",
                            0, NULL);
  json_t *bad = json_loads("{\"configs\":[{\"checksum\":true,\"verbose\":"
                           "false,\"level\":3,\"mode\":\"turbo\","
                           "\"threads\":4}]}",
                           0, NULL);
  assert_int_equal(l4p_llm_schema_validate(schema, good), L4P_OK);
  assert_int_equal(l4p_llm_schema_validate(schema, bad), L4P_ELLM);
  assert_non_null(strstr(l4p_last_error(), "$.configs[0].mode"));
  json_decref(schema);
  json_decref(good);
  json_decref(bad);
  free(narrow);
  l4p_spec_free(spec);
}

static void test_agents_by_name_and_checks(void **state)
{
  (void)state;
  const char *summary = NULL;
  assert_string_equal(l4p_agent_known(0, &summary), "builtin");
  assert_non_null(summary);
  struct l4p_agent *agent;
  assert_int_equal(l4p_agent_new("oracle-of-delphi", NULL, &agent), L4P_EUSAGE);
  assert_null(agent);
  assert_non_null(strstr(l4p_last_error(), "unknown agent "
                                           "'oracle-of-delphi' (known: "
                                           "builtin"));
  assert_int_equal(l4p_agent_new("builtin", NULL, &agent), L4P_OK);
  struct l4p_agent_ctx ctx = {0};
  char *out = (char *)1;
  assert_int_equal(l4p_agent_run(agent, L4P_ROLE_EXTRACT, &ctx, "{nope", &out),
                   L4P_EUSAGE);
  assert_null(out);
  assert_int_equal(
      l4p_agent_run(agent, L4P_ROLE_EXTRACT, &ctx, "{\"system\":\"x\"}", &out),
      L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), "extract input"));
  assert_non_null(strstr(l4p_last_error(), "'text'"));
  assert_int_equal(l4p_agent_run(agent, L4P_ROLE_FILTER, &ctx,
                                 "{\"system\":\"x\",\"objectives\":[],"
                                 "\"options\":[{\"name\":\"a\"}]}",
                                 &out),
                   L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), "$.options[0]"));
  /* the roles needing a space say so */
  assert_int_equal(l4p_agent_run(agent, L4P_ROLE_GENERATE, &ctx,
                                 "{\"system\":\"x\",\"strategy\":{},"
                                 "\"options\":[],\"measured\":[],\"n\":1}",
                                 &out),
                   L4P_EUSAGE);
  assert_int_equal(l4p_agent_check(L4P_ROLE_DESIGN, L4P_AGENT_OUTPUT,
                                   "{\"explore\":2,\"focus\":[],\"avoid\":"
                                   "[],\"rationale\":\"\"}"),
                   L4P_ELLM);
  assert_non_null(strstr(l4p_last_error(), "$.explore"));
  assert_int_equal(l4p_agent_check(L4P_ROLE_DESIGN, L4P_AGENT_OUTPUT, "["),
                   L4P_EPARSE);
  l4p_agent_free(agent);
  l4p_agent_free(NULL);
}

static void test_inputs(void **state)
{
  (void)state;
  struct l4p_spec *spec = load("tests/data/toy/toy.json");
  char *in;
  const char *size[] = {"size"};
  assert_int_equal(l4p_agent_filter_input(spec, size, 1, &in), L4P_OK);
  json_t *j = json_loads(in, 0, NULL);
  assert_int_equal(json_array_size(json_object_get(j, "objectives")), 1);
  json_t *opts = json_object_get(j, "options");
  assert_int_equal(json_array_size(opts), 5);
  json_t *level = json_array_get(opts, 2);
  assert_string_equal(json_string_value(json_object_get(level, "name")),
                      "level");
  assert_int_equal(json_integer_value(json_object_get(level, "min")), 1);
  assert_int_equal(json_integer_value(json_object_get(level, "default")), 5);
  assert_string_equal(json_string_value(json_object_get(level, "flag")), "-L");
  json_t *mode = json_array_get(opts, 3);
  assert_string_equal(
      json_string_value(json_array_get(json_object_get(mode, "values"), 2)),
      "best");
  json_decref(j);
  free(in);
  const char *nosuch[] = {"energy"};
  assert_int_equal(l4p_agent_filter_input(spec, nosuch, 1, &in), L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), "unknown objective 'energy'"));
  /* history with a missing value; a pruned space lists free options */
  struct l4p_space *space = l4p_space_clone(spec->space);
  assert_int_equal(l4p_space_fix(space, 1, 0), L4P_OK);
  double cfgs[] = {0, 0, 5, 0, 1, 1, 0, 9, 2, 4};
  double vals[] = {1.5, 100, NAN, 90};
  struct l4p_history h = {2, cfgs, vals, 0, NULL};
  assert_int_equal(l4p_agent_analyze_input(spec, space, &h, &in), L4P_OK);
  j = json_loads(in, 0, NULL);
  assert_int_equal(json_array_size(json_object_get(j, "options")), 4);
  json_t *row = json_array_get(json_object_get(j, "history"), 1);
  assert_true(json_is_null(
      json_object_get(json_object_get(row, "objectives"), "time")));
  json_t *cfg = json_object_get(row, "config");
  assert_null(json_object_get(cfg, "verbose"));
  assert_string_equal(json_string_value(json_object_get(cfg, "mode")), "best");
  assert_true(json_is_true(json_object_get(cfg, "checksum")));
  json_decref(j);
  free(in);
  assert_int_equal(l4p_agent_design_input(spec, space, "not json", 1, 10, &in),
                   L4P_EPARSE);
  assert_int_equal(l4p_agent_generate_input(spec, space, "{}", &h, 3, &in),
                   L4P_OK);
  j = json_loads(in, 0, NULL);
  assert_int_equal(json_array_size(json_object_get(j, "measured")), 2);
  assert_int_equal(json_integer_value(json_object_get(j, "n")), 3);
  json_decref(j);
  free(in);
  l4p_space_free(space);
  l4p_spec_free(spec);
}

static void test_read_configs(void **state)
{
  (void)state;
  struct l4p_spec *spec = load("tests/data/toy/toy.json");
  struct l4p_space *space = l4p_space_clone(spec->space);
  assert_int_equal(l4p_space_fix(space, 1, 0), L4P_OK); /* verbose */
  const char *list =
      "[{\"checksum\":true,\"level\":3,\"mode\":\"slow\",\"threads\":2},"
      " {\"checksum\":true,\"level\":12,\"mode\":\"slow\",\"threads\":2},"
      " {\"checksum\":true,\"level\":3,\"mode\":\"slow\",\"threads\":2,"
      "  \"nosuch\":1},"
      " {\"checksum\":true,\"level\":3,\"mode\":\"turbo\",\"threads\":2},"
      " {\"checksum\":true,\"level\":1,\"mode\":\"best\",\"threads\":2},"
      " {\"level\":4},"
      " {\"checksum\":true,\"level\":\"abc\",\"mode\":\"slow\",\"threads\":2},"
      " \"not an object\","
      " {\"checksum\":\"yes\",\"level\":\"7\",\"mode\":\"SLOW\",\"threads\":3},"
      " {\"checksum\":0,\"level\":3,\"mode\":\"fast\",\"threads\":1,"
      "  \"verbose\":true}]";
  struct l4p_agent_configs c;
  assert_int_equal(l4p_agent_read_configs(space, list, &c), L4P_OK);
  static const enum l4p_agent_config_status want[] = {
      L4P_CONFIG_OK,      L4P_CONFIG_REPAIRED, L4P_CONFIG_INVALID,
      L4P_CONFIG_INVALID, L4P_CONFIG_REPAIRED, L4P_CONFIG_REPAIRED,
      L4P_CONFIG_INVALID, L4P_CONFIG_INVALID,  L4P_CONFIG_REPAIRED,
      L4P_CONFIG_REPAIRED};
  assert_int_equal(c.n, 10);
  for (size_t r = 0; r < c.n; r++) {
    if (c.status[r] != want[r])
      fail_msg("configuration %zu: status %d, expected %d (%s)", r,
               (int)c.status[r], (int)want[r],
               c.notes[r] ? c.notes[r] : "no note");
    if (c.status[r] != L4P_CONFIG_OK)
      assert_non_null(c.notes[r]);
    if (c.status[r] != L4P_CONFIG_INVALID)
      assert_int_equal(l4p_space_validate(space, c.configs + r * 5), L4P_OK);
  }
  assert_int_equal(c.unknown_options, 1);
  assert_int_equal(c.type_errors, 2);   /* "abc", not an object */
  assert_int_equal(c.out_of_domain, 4); /* 12, turbo, SLOW, 3 */
  assert_int_equal(c.missing, 3);       /* checksum, mode, threads */
  assert_int_equal(c.fixed_changed, 1);
  assert_int_equal(c.constraint_violations, 1);
  assert_int_equal(c.n_ok, 1);
  assert_int_equal(c.n_repaired, 5);
  assert_int_equal(c.n_invalid, 4);
  assert_non_null(strstr(c.notes[2], "unknown option 'nosuch'"));
  assert_near(c.configs[1 * 5 + 2], 9, 0); /* 12 snapped */
  assert_near(c.configs[8 * 5 + 2], 7, 0); /* "7" read */
  assert_near(c.configs[8 * 5 + 3], 1, 0); /* SLOW */
  l4p_agent_configs_release(&c);
  assert_int_equal(l4p_agent_read_configs(space, "{\"a\":1}", &c), L4P_ELLM);
  assert_int_equal(l4p_agent_read_generated(space, "{\"configs\":3}", &c),
                   L4P_ELLM);
  l4p_agent_configs_release(&c);
  l4p_space_free(space);
  l4p_spec_free(spec);
}

static void test_read_decisions(void **state)
{
  (void)state;
  struct l4p_spec *spec = load("tests/data/toy/toy.json");
  struct l4p_prune p;
  l4p_prune_init(&p);
  struct l4p_agent_decision_stats s;
  const char *answer =
      "{\"decisions\":["
      "{\"option\":\"verbose\",\"keep\":false,\"reason\":\"logging\"},"
      "{\"option\":\"verbose\",\"keep\":true,\"reason\":\"again\"},"
      "{\"option\":\"turbo\",\"keep\":false,\"reason\":\"invented\"},"
      "{\"option\":\"level\",\"keep\":true,\"reason\":\"effort\"},"
      "{\"option\":\"mode\",\"keep\":true,\"reason\":\"algorithm\"},"
      "{\"option\":\"threads\",\"keep\":false,\"reason\":\"one machine\"}]}";
  const char *objs[] = {"time"};
  assert_int_equal(
      l4p_agent_read_decisions(spec, answer, "builtin", objs, 1, &p, &s),
      L4P_OK);
  assert_int_equal(s.unknown, 1);
  assert_int_equal(s.repeated, 1);
  assert_int_equal(s.missing, 1); /* checksum */
  assert_int_equal(s.restored, 0);
  assert_int_equal(p.n_decisions, 5);
  assert_string_equal(p.decisions[0].option, "checksum");
  assert_true(p.decisions[0].keep);
  assert_false(p.decisions[1].keep);
  assert_string_equal(p.decisions[1].reason, "logging");
  assert_false(p.decisions[4].keep);
  assert_string_equal(p.agent, "builtin");
  assert_string_equal(p.system, "toy");
  assert_string_equal(p.objectives[0], "time");
  char *json;
  assert_int_equal(l4p_prune_to_json(&p, spec, &json), L4P_OK);
  struct l4p_prune back;
  assert_int_equal(l4p_prune_parse(json, "back.json", spec, &back), L4P_OK);
  assert_int_equal(back.n_decisions, 5);
  l4p_prune_release(&back);
  free(json);
  l4p_prune_release(&p);
  assert_int_equal(l4p_agent_read_decisions(spec, "{\"decisions\":[{}]}", "x",
                                            NULL, 0, &p, NULL),
                   L4P_ELLM);
  l4p_prune_release(&p);
  l4p_spec_free(spec);
  /* pruning both at their defaults would leave no valid configuration */
  const char *text =
      "{\"name\":\"either\",\"options\":["
      "{\"name\":\"x\",\"type\":\"bool\"},{\"name\":\"y\",\"type\":\"bool\"},"
      "{\"name\":\"z\",\"type\":\"bool\"}],"
      "\"constraints\":[\"x || y\"],"
      "\"objectives\":[{\"name\":\"t\"}]}";
  assert_int_equal(l4p_spec_parse(text, "either.json", &spec), L4P_OK);
  l4p_prune_init(&p);
  assert_int_equal(l4p_agent_read_decisions(
                       spec,
                       "{\"decisions\":["
                       "{\"option\":\"x\",\"keep\":false,\"reason\":\"a\"},"
                       "{\"option\":\"y\",\"keep\":false,\"reason\":\"b\"},"
                       "{\"option\":\"z\",\"keep\":false,\"reason\":\"c\"}]}",
                       "builtin", NULL, 0, &p, &s),
                   L4P_OK);
  assert_int_equal(s.restored, 1);
  assert_true(p.decisions[0].keep);
  assert_non_null(strstr(p.decisions[0].reason, "no valid configuration"));
  assert_false(p.decisions[1].keep);
  assert_false(p.decisions[2].keep);
  struct l4p_space *pruned;
  assert_int_equal(l4p_prune_apply(&p, spec, &pruned), L4P_OK);
  l4p_space_free(pruned);
  l4p_prune_release(&p);
  l4p_spec_free(spec);
}

static void test_levels(void **state)
{
  (void)state;
  struct l4p_option wide = {
      .name = "w", .type = L4P_OPT_INT, .min = 0, .max = 1000, .step = 1};
  struct l4p_option cont = {
      .name = "f", .type = L4P_OPT_FLOAT, .min = 0, .max = 1, .step = 0};
  struct l4p_space *space = l4p_space_new();
  assert_int_equal(l4p_space_add_option(space, &wide), L4P_OK);
  assert_int_equal(l4p_space_add_option(space, &cont), L4P_OK);
  const struct l4p_option *w = l4p_space_option(space, 0);
  const struct l4p_option *f = l4p_space_option(space, 1);
  assert_int_equal(l4p_agent_levels(w), L4P_AGENT_MAX_LEVELS);
  assert_int_equal(l4p_agent_levels(f), L4P_AGENT_MAX_LEVELS);
  assert_int_equal(l4p_agent_level_of(w, 0), 0);
  assert_int_equal(l4p_agent_level_of(w, 1000), L4P_AGENT_MAX_LEVELS - 1);
  assert_int_equal(l4p_agent_level_of(f, 0.99), L4P_AGENT_MAX_LEVELS - 1);
  struct l4p_rng *rng = l4p_rng_new(3);
  for (size_t k = 0; k < L4P_AGENT_MAX_LEVELS; k++) {
    double v = l4p_agent_level_value(w, k);
    assert_true(l4p_option_contains(w, v));
    assert_int_equal(l4p_agent_level_of(w, v), k);
    for (int t = 0; t < 20; t++) {
      double x = l4p_agent_level_draw(w, k, rng);
      assert_true(l4p_option_contains(w, x));
      assert_int_equal(l4p_agent_level_of(w, x), k);
      double y = l4p_agent_level_draw(f, k, rng);
      assert_int_equal(l4p_agent_level_of(f, y), k);
    }
  }
  l4p_rng_free(rng);
  l4p_space_free(space);
}

static void test_read_strategy(void **state)
{
  (void)state;
  struct l4p_spec *spec = load("tests/data/toy/toy.json");
  struct l4p_agent_strategy s;
  const char *answer =
      "{\"explore\":0.5,\"rationale\":\"r\","
      "\"focus\":[{\"option\":\"level\",\"values\":[1],\"weight\":1},"
      "{\"option\":\"threads\",\"values\":[4,3],\"weight\":0.5},"
      "{\"option\":\"nosuch\",\"values\":[1],\"weight\":1}],"
      "\"avoid\":[{\"option\":\"mode\",\"values\":[\"best\"]},"
      "{\"option\":\"checksum\",\"values\":[true,false]}]}";
  assert_int_equal(l4p_agent_read_strategy(spec->space, answer, &s), L4P_OK);
  assert_near(s.explore, 0.5, 1e-12);
  assert_int_equal(s.unknown, 1);
  assert_int_equal(s.bad_values, 1); /* threads 3 */
  assert_near(s.weights[2][0], 0.5 / 9 + 0.5, 1e-12);
  assert_near(s.weights[2][5], 0.5 / 9, 1e-12);
  /* threads: 0.5 u + 0.5 (0.5 u + 0.5 at 4) */
  assert_near(s.weights[4][2], 0.5 / 3 + 0.5 * (0.5 / 3 + 0.5), 1e-12);
  assert_near(s.weights[3][2], 0, 0); /* mode best avoided */
  assert_near(s.weights[3][0], 0.5, 1e-12);
  /* avoiding every value is ignored */
  assert_near(s.weights[0][0], 0.5, 1e-12);
  struct l4p_rng *rng = l4p_rng_new(5);
  double cfg[5];
  size_t low = 0;
  for (int t = 0; t < 1000; t++) {
    l4p_agent_strategy_draw(&s, spec->space, rng, cfg);
    assert_true(cfg[3] != 2);
    low += cfg[2] == 1;
  }
  assert_true(low > 450 && low < 660);
  l4p_rng_free(rng);
  l4p_agent_strategy_release(&s);
  assert_int_equal(l4p_agent_strategy_uniform(spec->space, &s), L4P_OK);
  assert_near(s.weights[2][3], 1.0 / 9, 1e-12);
  l4p_agent_strategy_release(&s);
  assert_int_equal(
      l4p_agent_read_strategy(spec->space, "{\"explore\":0.5}", &s), L4P_ELLM);
  l4p_agent_strategy_release(&s);
  l4p_spec_free(spec);
}

/* Extract frob.txt with the builtin agent into docs. */
static void frob_docs(struct l4p_agent_docs *docs)
{
  char *text, *in, *out;
  size_t len;
  assert_int_equal(
      l4px_read_file(tu_src("tests/data/help/frob.txt"), &text, &len), L4P_OK);
  assert_int_equal(l4p_agent_extract_input("frob", text, &in), L4P_OK);
  struct l4p_agent *agent = l4p_agent_builtin_new();
  struct l4p_agent_ctx ctx = {0};
  assert_int_equal(l4p_agent_run(agent, L4P_ROLE_EXTRACT, &ctx, in, &out),
                   L4P_OK);
  if (l4p_agent_read_docs(out, docs) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  l4p_agent_free(agent);
  free(text);
  free(in);
  free(out);
}

static void test_docs_match_and_merge(void **state)
{
  (void)state;
  struct l4p_agent_docs docs;
  frob_docs(&docs);
  assert_int_equal(docs.n, 24);
  const struct l4p_agent_docopt *mode = &docs.options[5];
  assert_string_equal(mode->name, "mode");
  assert_int_equal(mode->n_values, 3);
  assert_string_equal(mode->default_text, "fast");
  assert_string_equal(mode->form, "equals");
  struct l4p_spec *spec = load("tests/data/help/frob.json");
  int doc_of[8];
  enum l4p_agent_match how[8];
  l4p_agent_docs_match(spec, &docs, doc_of, how);
  static const enum l4p_agent_match want[] = {
      L4P_MATCH_NAME, L4P_MATCH_NAME,    L4P_MATCH_FLAG, L4P_MATCH_NAME,
      L4P_MATCH_NAME, L4P_MATCH_NEGATED, L4P_MATCH_NAME, L4P_MATCH_NONE};
  for (size_t i = 0; i < 8; i++)
    assert_int_equal(how[i], want[i]);
  assert_string_equal(docs.options[doc_of[4]].name, "cache-mb");
  assert_string_equal(docs.options[doc_of[5]].name, "no-hints");
  assert_int_equal(doc_of[7], -1);
  char *text, *merged;
  size_t len;
  assert_int_equal(l4px_read_file(spec->path, &text, &len), L4P_OK);
  assert_int_equal(l4p_agent_docs_merge(text, spec->path, &docs, doc_of, how,
                                        false, &merged),
                   L4P_OK);
  struct l4p_spec *after;
  if (l4p_spec_parse(merged, "merged.json", &after) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  const struct l4p_option *o = l4p_space_option(after->space, 0);
  assert_string_equal(o->doc, "frobnication effort, between 1 and 9 [5]");
  assert_string_equal(o->cli.flag, "--level");
  assert_int_equal(o->cli.form, L4P_CLI_VALUE);
  o = l4p_space_option(after->space, 1);
  assert_int_equal(o->cli.form, L4P_CLI_EQUALS);
  o = l4p_space_option(after->space, 3); /* checksum */
  assert_int_equal(o->cli.form, L4P_CLI_SWITCH);
  assert_string_equal(o->cli.false_flag, "--no-checksum");
  o = l4p_space_option(after->space, 5); /* hints: true is no flag */
  assert_null(o->cli.flag);
  assert_string_equal(o->cli.false_flag, "--no-hints");
  assert_non_null(strstr(o->doc, "Opposite of --no-hints"));
  o = l4p_space_option(after->space, 6); /* verbose: hand doc kept */
  assert_string_equal(o->doc, "Written by hand: kept unless --overwrite.");
  o = l4p_space_option(after->space, 7);
  assert_null(o->doc);
  assert_int_equal(o->cli.form, L4P_CLI_NONE);
  assert_int_equal(l4p_space_n_constraints(after->space), 1);
  l4p_spec_free(after);
  free(merged);
  assert_int_equal(
      l4p_agent_docs_merge(text, spec->path, &docs, doc_of, how, true, &merged),
      L4P_OK);
  assert_null(strstr(merged, "Written by hand"));
  assert_non_null(strstr(merged, "print progress messages"));
  free(merged);
  free(text);
  l4p_spec_free(spec);
  l4p_agent_docs_release(&docs);
  assert_int_equal(
      l4p_agent_read_docs("{\"options\":[{\"name\":\"x\"}]}", &docs), L4P_ELLM);
  l4p_agent_docs_release(&docs);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_schemas_in_subset),
      cmocka_unit_test(test_agents_by_name_and_checks),
      cmocka_unit_test(test_inputs),
      cmocka_unit_test(test_read_configs),
      cmocka_unit_test(test_read_decisions),
      cmocka_unit_test(test_levels),
      cmocka_unit_test(test_read_strategy),
      cmocka_unit_test(test_docs_match_and_merge),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
