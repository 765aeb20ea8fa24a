/* Unit tests for pruning decisions (include/llm4perf/prune.h): loading
 * and validating a decisions file against the toy spec, errors with their
 * file:line:col, writing and reading back, applying the decisions to a
 * space, the canonical identity kept with a campaign, and the effect on
 * every registered sampler.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/prune.h"
#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "testutil.h"

/* Toy options: checksum, verbose (bool), level (int 1..9), mode (enum
 * fast | slow | best), threads (int 1, 2, 4); mode best needs level 3+. */
static struct l4p_spec *toy(void)
{
  struct l4p_spec *spec;
  if (l4p_spec_load(tu_src("tests/data/toy/toy.json"), &spec) != L4P_OK)
    fail_msg("toy spec: %s", l4p_last_error());
  return spec;
}

static const char good[] =
    "{\n"
    "  \"system\": \"toy\",\n"
    "  \"agent\": \"manual\",\n"
    "  \"objectives\": [\"time\", \"size\"],\n"
    "  \"decisions\": [\n"
    "    {\"option\": \"verbose\", \"keep\": false,\n"
    "     \"reason\": \"only prints progress messages\"},\n"
    "    {\"option\": \"threads\", \"keep\": false, \"value\": 4,\n"
    "     \"reason\": \"measured on one machine\"},\n"
    "    {\"option\": \"mode\", \"keep\": false, \"value\": \"slow\"},\n"
    "    {\"option\": \"level\", \"keep\": true, \"reason\": \"effort\"}\n"
    "  ]\n"
    "}\n";

static void test_load(void **state)
{
  (void)state;
  struct l4p_spec *spec = toy();
  struct l4p_prune p;
  const char *path = tu_tmp("good.json");
  tu_write(path, good);
  if (l4p_prune_load(path, spec, &p) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  assert_string_equal(p.system, "toy");
  assert_string_equal(p.agent, "manual");
  assert_int_equal(p.n_objectives, 2);
  assert_string_equal(p.objectives[1], "size");
  assert_int_equal(p.n_decisions, 4);
  const struct l4p_prune_decision *d = p.decisions;
  assert_string_equal(d[0].option, "verbose");
  assert_false(d[0].keep);
  assert_false(d[0].has_value);
  assert_true(d[0].value == 0); /* the default */
  assert_string_equal(d[0].reason, "only prints progress messages");
  assert_true(d[1].has_value && d[1].value == 4);
  assert_true(d[2].has_value && d[2].value == 1); /* label index */
  assert_null(d[2].reason);
  assert_true(d[3].keep);
  l4p_prune_release(&p);
  /* a value may also be given in its text form */
  const char *text = "{\"decisions\": [{\"option\": \"checksum\", \"keep\": "
                     "false, \"value\": \"true\"}]}";
  assert_int_equal(l4p_prune_parse(text, "t.json", spec, &p), L4P_OK);
  assert_true(p.decisions[0].value == 1);
  assert_null(p.system);
  l4p_prune_release(&p);
  l4p_spec_free(spec);
}

/* Line and column (1-based) of the first occurrence of mark in text. */
static void where(const char *text, const char *mark, int *line, int *col)
{
  const char *at = strstr(text, mark);
  assert_non_null(at);
  *line = 1;
  const char *start = text;
  for (const char *p = text; p < at; p++)
    if (*p == '\n') {
      (*line)++;
      start = p + 1;
    }
  *col = (int)(at - start) + 1;
}

/* Parsing text fails with status want, at the place of mark, and a
 * message containing msg. */
static void expect_error(const struct l4p_spec *spec, const char *text,
                         l4p_status want, const char *mark, const char *msg)
{
  struct l4p_prune p;
  l4p_status st = l4p_prune_parse(text, "d.json", spec, &p);
  if (st != want)
    fail_msg("'%s' gave %s (%s), expected %s", mark, l4p_status_name(st),
             l4p_last_error(), l4p_status_name(want));
  assert_int_equal(p.n_decisions, 0); /* left empty */
  int line, col;
  where(text, mark, &line, &col);
  char prefix[64];
  snprintf(prefix, sizeof prefix, "d.json:%d:%d: ", line, col);
  if (strncmp(l4p_last_error(), prefix, strlen(prefix)) != 0 ||
      !strstr(l4p_last_error(), msg))
    fail_msg("message '%s', expected '%s...%s'", l4p_last_error(), prefix, msg);
}

static void test_errors(void **state)
{
  (void)state;
  struct l4p_spec *spec = toy();
  expect_error(spec,
               "{\"decisions\": [\n"
               "  {\"option\": \"verbose\", \"keep\": false},\n"
               "  {\"option\": \"nosuch\", \"keep\": false}\n"
               "]}",
               L4P_EUSAGE, "\"nosuch\"", "unknown option 'nosuch'");
  expect_error(spec,
               "{\"decisions\": [\n"
               "  {\"option\": \"level\", \"keep\": false, \"value\": 12}]}",
               L4P_EDOMAIN, "12", "option 'level': value 12 is outside");
  expect_error(spec,
               "{\"decisions\": [\n"
               "  {\"option\": \"level\", \"keep\": false, \"value\": 2.5}]}",
               L4P_EDOMAIN, "2.5", "outside its domain");
  expect_error(spec,
               "{\"decisions\": [\n"
               "  {\"option\": \"mode\", \"keep\": false, \"value\": "
               "\"turbo\"}]}",
               L4P_EDOMAIN, "\"turbo\"", "value 'turbo' is outside");
  expect_error(spec,
               "{\"decisions\": [\n"
               "  {\"option\": \"mode\", \"keep\": false, \"value\": 1}]}",
               L4P_EDOMAIN, "1}", "one of its labels");
  expect_error(spec,
               "{\"decisions\": [\n"
               "  {\"option\": \"verbose\", \"keep\": false, \"why\": 1}]}",
               L4P_EPARSE, "\"why\"", "unknown key 'why'");
  expect_error(spec, "{\"system\": \"x264\", \"decisions\": []}", L4P_EUSAGE,
               "\"x264\"", "decisions are for system 'x264'");
  expect_error(spec, "{\"agent\": \"my oracle!\", \"decisions\": []}",
               L4P_EPARSE, "\"my oracle!\"", "'agent' must be");
  expect_error(spec, "{\"agent\": 7, \"decisions\": []}", L4P_EPARSE, "7,",
               "'agent' must be");
  expect_error(spec,
               "{\"objectives\": [\"time\", \"energy\"], "
               "\"decisions\": []}",
               L4P_EUSAGE, "\"energy\"", "unknown objective 'energy'");
  expect_error(spec,
               "{\"decisions\": [\n"
               "  {\"option\": \"level\", \"keep\": true, \"value\": 3}]}",
               L4P_EUSAGE, "3}", "is kept");
  expect_error(spec,
               "{\"decisions\": [\n"
               "  {\"option\": \"level\", \"keep\": true},\n"
               "  {\"option\": \"level\", \"keep\": false}]}",
               L4P_EUSAGE, "\"level\", \"keep\": false",
               "option 'level' has two decisions");
  expect_error(spec, "{\"decisions\": [{\"option\": \"level\"}]}", L4P_EPARSE,
               "{\"option\"", "needs 'keep'");
  expect_error(spec, "{\"decisions\": {}}", L4P_EPARSE, "{}",
               "needs a 'decisions' array");
  expect_error(spec, "{\"decisions\": [],\n \"oops\" 1}", L4P_EPARSE, "1}", "");
  struct l4p_prune p;
  assert_int_equal(l4p_prune_load(tu_tmp("missing.json"), spec, &p), L4P_EIO);
  l4p_spec_free(spec);
}

static void assert_same_decisions(const struct l4p_prune *a,
                                  const struct l4p_prune *b)
{
  assert_string_equal(a->system, b->system);
  assert_string_equal(a->agent, b->agent);
  assert_int_equal(a->n_objectives, b->n_objectives);
  for (size_t k = 0; k < a->n_objectives; k++)
    assert_string_equal(a->objectives[k], b->objectives[k]);
  assert_int_equal(a->n_decisions, b->n_decisions);
  for (size_t k = 0; k < a->n_decisions; k++) {
    const struct l4p_prune_decision *x = &a->decisions[k],
                                    *y = &b->decisions[k];
    assert_string_equal(x->option, y->option);
    assert_int_equal(x->keep, y->keep);
    assert_int_equal(x->has_value, y->has_value);
    assert_true(x->value == y->value);
    assert_true((!x->reason && !y->reason) ||
                (x->reason && y->reason && !strcmp(x->reason, y->reason)));
  }
}

static void test_round_trip(void **state)
{
  (void)state;
  struct l4p_spec *spec = toy();
  struct l4p_prune p, back;
  assert_int_equal(l4p_prune_parse(good, "good.json", spec, &p), L4P_OK);
  const char *path = tu_tmp("saved.json");
  assert_int_equal(l4p_prune_save(&p, spec, path), L4P_OK);
  if (l4p_prune_load(path, spec, &back) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  assert_same_decisions(&p, &back);
  l4p_prune_release(&back);
  l4p_prune_release(&p);
  /* a writer building decisions in memory */
  l4p_prune_init(&p);
  double level = 7;
  assert_int_equal(
      l4p_prune_decide(&p, spec, "level", false, &level, "tuned \"elsewhere\""),
      L4P_OK);
  assert_int_equal(l4p_prune_decide(&p, spec, "verbose", false, NULL, NULL),
                   L4P_OK);
  assert_int_equal(l4p_prune_decide(&p, spec, "checksum", true, NULL, NULL),
                   L4P_OK);
  assert_int_equal(l4p_prune_decide(&p, spec, "nosuch", true, NULL, NULL),
                   L4P_EUSAGE);
  assert_int_equal(l4p_prune_decide(&p, spec, "level", true, NULL, NULL),
                   L4P_EUSAGE);
  level = 10;
  assert_int_equal(l4p_prune_decide(&p, spec, "threads", false, &level, NULL),
                   L4P_EDOMAIN);
  p.system = strdup("toy");
  p.agent = strdup("builtin");
  char *text;
  assert_int_equal(l4p_prune_to_json(&p, spec, &text), L4P_OK);
  assert_int_equal(l4p_prune_parse(text, "mem", spec, &back), L4P_OK);
  assert_same_decisions(&p, &back);
  free(text);
  l4p_prune_release(&back);
  l4p_prune_release(&p);
  l4p_spec_free(spec);
}

static void test_apply(void **state)
{
  (void)state;
  struct l4p_spec *spec = toy();
  struct l4p_prune p;
  assert_int_equal(l4p_prune_parse(good, "good.json", spec, &p), L4P_OK);
  struct l4p_space *pruned;
  assert_int_equal(l4p_prune_apply(&p, spec, &pruned), L4P_OK);
  assert_int_equal(l4p_space_n_free(pruned), 2);
  assert_int_equal(l4p_space_n_free(spec->space), 5); /* untouched */
  const struct l4p_option *threads =
      l4p_space_option(pruned, (size_t)l4p_space_find(pruned, "threads"));
  assert_true(threads->fixed && threads->fixed_value == 4);
  l4p_space_free(pruned);
  l4p_prune_release(&p);
  /* mode best needs level >= 3: pruning both the wrong way is refused */
  const char *text = "{\"decisions\": [\n"
                     "  {\"option\": \"mode\", \"keep\": false, \"value\": "
                     "\"best\"},\n"
                     "  {\"option\": \"level\", \"keep\": false, \"value\": "
                     "1}]}";
  assert_int_equal(l4p_prune_parse(text, "bad.json", spec, &p), L4P_OK);
  pruned = NULL;
  assert_int_equal(l4p_prune_apply(&p, spec, &pruned), L4P_ECONSTR);
  assert_null(pruned);
  assert_non_null(strstr(l4p_last_error(), "mode=best, level=1"));
  assert_non_null(strstr(l4p_last_error(), "mode == 'best' -> level >= 3"));
  l4p_prune_release(&p);
  l4p_spec_free(spec);
}

static void test_identity(void **state)
{
  (void)state;
  struct l4p_spec *spec = toy();
  struct l4p_prune p;
  char *id, *other;
  assert_int_equal(l4p_prune_parse(good, "good.json", spec, &p), L4P_OK);
  assert_int_equal(l4p_prune_identity(&p, spec, &id), L4P_OK);
  assert_string_equal(id, "{\"prune\":{\"mode\":\"slow\",\"threads\":\"4\","
                          "\"verbose\":\"0\"}}");
  l4p_prune_release(&p);
  /* the same pruning in another order, from another agent, with other
   * reasons: the same identity */
  const char *same = "{\"agent\": \"llm\", \"decisions\": [\n"
                     " {\"option\": \"mode\", \"keep\": false, \"value\": "
                     "\"slow\"},\n"
                     " {\"option\": \"verbose\", \"keep\": false, \"value\": "
                     "false, \"reason\": \"noise\"},\n"
                     " {\"option\": \"threads\", \"keep\": false, \"value\": "
                     "\"4\"}]}";
  assert_int_equal(l4p_prune_parse(same, "same.json", spec, &p), L4P_OK);
  assert_int_equal(l4p_prune_identity(&p, spec, &other), L4P_OK);
  assert_string_equal(id, other);
  free(other);
  l4p_prune_release(&p);
  /* keeping everything is still a (different) pruning */
  assert_int_equal(l4p_prune_parse("{\"decisions\": []}", "e.json", spec, &p),
                   L4P_OK);
  assert_int_equal(l4p_prune_identity(&p, spec, &other), L4P_OK);
  assert_string_equal(other, "{\"prune\":{}}");
  free(other);
  free(id);
  l4p_prune_release(&p);
  l4p_spec_free(spec);
}

/* Every sampler on the pruned space keeps the pruned options fixed. */
static void test_samplers_on_pruned_space(void **state)
{
  (void)state;
  struct l4p_spec *spec = toy();
  struct l4p_prune p;
  const char *text = "{\"decisions\": [\n"
                     " {\"option\": \"verbose\", \"keep\": false},\n"
                     " {\"option\": \"threads\", \"keep\": false, \"value\": "
                     "2}]}";
  assert_int_equal(l4p_prune_parse(text, "p.json", spec, &p), L4P_OK);
  struct l4p_space *pruned;
  assert_int_equal(l4p_prune_apply(&p, spec, &pruned), L4P_OK);
  size_t d = l4p_space_n_options(pruned), budget = 12;
  int verbose = l4p_space_find(pruned, "verbose");
  int threads = l4p_space_find(pruned, "threads");
  double *out = malloc(budget * d * sizeof *out);
  double values[2 * 12];
  assert_non_null(out);
  for (size_t s = 0; s < l4p_sampler_count(); s++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_at(s);
    struct l4p_sampler *smp;
    assert_int_equal(l4p_sampler_new(ops, spec, pruned, 5, budget, &smp),
                     L4P_OK);
    size_t have = 0;
    for (int calls = 0; have < budget && calls < 20; calls++) {
      struct l4p_history h = {have, out, values, 0, NULL};
      size_t got = 0, want = budget - have;
      if (ops->sequential && want > 4)
        want = 4;
      if (l4p_sampler_propose(smp, &h, want, out + have * d, &got) != L4P_OK)
        fail_msg("%s: %s", ops->name, l4p_last_error());
      for (size_t k = have; k < have + got; k++) {
        values[2 * k] = out[k * d + 2];
        values[2 * k + 1] = 10 - out[k * d + 2];
      }
      have += got;
    }
    if (have != budget)
      fail_msg("%s: %zu of %zu proposals", ops->name, have, budget);
    for (size_t k = 0; k < have; k++) {
      assert_true(out[k * d + (size_t)verbose] == 0);
      assert_true(out[k * d + (size_t)threads] == 2);
      assert_int_equal(l4p_space_validate(spec->space, out + k * d), L4P_OK);
    }
    l4p_sampler_free(smp);
  }
  free(out);
  l4p_space_free(pruned);
  l4p_prune_release(&p);
  l4p_spec_free(spec);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_apply),
      cmocka_unit_test(test_identity),
      cmocka_unit_test(test_samplers_on_pruned_space),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
