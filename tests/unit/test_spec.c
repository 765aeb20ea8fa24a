/* Unit tests for system specs (src/space/spec*.c): loading a spec that uses
 * every option kind, cli form and constraint form; saving it and loading
 * it back unchanged; and every error path reporting "file:line:col:" at
 * the place of the problem.
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

#include "llm4perf/spec.h"
#include "testutil.h"

/* Line by line, so the places in the error tests below are easy to see. */
static const char full_spec[] =
    "{\n"                                        /* 1 */
    "  \"name\": \"x264\",\n"                    /* 2 */
    "  \"description\": \"A video encoder.\",\n" /* 3 */
    "  \"provenance\": \"made up for tests\",\n" /* 4 */
    "  \"comment\": \"ignored anywhere\",\n"     /* 5 */
    "  \"docs\": {\"command\": \"x264 --fullhelp\", "
    "\"file\": \"help.txt\"},\n" /* 6 */
    "  \"options\": [\n"         /* 7 */
    "    {\"name\": \"cabac\", \"type\": \"bool\", \"default\": true,"
    " \"doc\": \"Entropy coder.\",\n" /* 8 */
    "     \"cli\": {\"flag\": \"--cabac\", \"false_flag\": "
    "\"--no-cabac\", \"form\": \"switch\"}},\n" /* 9 */
    "    {\"name\": \"mixed_refs\", \"type\": \"bool\", \"cli\": "
    "{\"flag\": \"--mixed-refs\"}},\n" /* 10 */
    "    {\"name\": \"weightb\", \"type\": \"bool\", \"default\": 1,"
    " \"comment\": \"0/1 is fine\"},\n" /* 11 */
    "    {\"name\": \"crf\", \"type\": \"int\", \"min\": 0, "
    "\"max\": 51, \"default\": 23,\n" /* 12 */
    "     \"cli\": {\"flag\": \"--crf\", \"form\": \"value\", "
    "\"omit_default\": true}},\n" /* 13 */
    "    {\"name\": \"ref\", \"type\": \"int\", \"min\": 1, \"max\": 16,"
    " \"step\": 3, \"default\": 4,\n"                                  /* 14 */
    "     \"cli\": {\"flag\": \"--ref=\", \"form\": \"attached\"}},\n" /* 15 */
    "    {\"name\": \"threads\", \"type\": \"int\", \"values\": "
    "[4, 1, 2],\n"                                                      /* 16 */
    "     \"cli\": {\"flag\": \"--threads\", \"form\": \"equals\"}},\n" /* 17 */
    "    {\"name\": \"qcomp\", \"type\": \"float\", \"min\": 0, "
    "\"max\": 1, \"step\": 0.1, \"default\": 0.6},\n" /* 18 */
    "    {\"name\": \"psy\", \"type\": \"float\", \"min\": 0, "
    "\"max\": 2.5},\n" /* 19 */
    "    {\"name\": \"ipratio\", \"type\": \"float\", \"values\": "
    "[1.4, 1.25], \"default\": 1.4},\n" /* 20 */
    "    {\"name\": \"me\", \"type\": \"enum\", \"values\": [\"dia\", "
    "\"hex\", \"umh\"], \"default\": \"hex\",\n" /* 21 */
    "     \"cli\": {\"flag\": \"--me\", \"form\": \"value\"}, "
    "\"doc\": \"Motion search.\"},\n" /* 22 */
    "    {\"name\": \"aq-mode\", \"type\": \"enum\", \"values\": [\"0\","
    " \"1\", \"2\"], \"fixed\": \"1\"},\n" /* 23 */
    "    {\"name\": \"trellis\", \"type\": \"bool\", \"cli\": "
    "{\"form\": \"none\"}},\n" /* 24 */
    "    {\"name\": \"lzma\", \"type\": \"bool\"}, {\"name\": \"bzip2\","
    " \"type\": \"bool\"},\n"                                           /* 25 */
    "    {\"name\": \"gzip\", \"type\": \"bool\", \"default\": true}\n" /* 26 */
    "  ],\n"                                                            /* 27 */
    "  \"constraints\": [\n"                                            /* 28 */
    "    \"me == 'umh' -> ref >= 4\",\n"                                /* 29 */
    "    {\"requires\": [\"mixed_refs\", \"cabac\"]},\n"                /* 30 */
    "    {\"excludes\": [\"trellis\", \"weightb\"]},\n"                 /* 31 */
    "    {\"alternative\": [\"lzma\", \"bzip2\", \"gzip\"]},\n"         /* 32 */
    "    {\"comment\": \"at least one\", \"or\": [\"cabac\", "
    "\"trellis\"]},\n"                                    /* 33 */
    "    {\"expr\": \"{aq-mode} != '2' || crf < 30\"},\n" /* 34 */
    "    \"crf * qcomp <= 40\"\n"                         /* 35 */
    "  ],\n"                                              /* 36 */
    "  \"objectives\": [\n"                               /* 37 */
    "    {\"name\": \"time\", \"unit\": \"s\", \"goal\": \"min\", "
    "\"doc\": \"Wall-clock.\"},\n"                   /* 38 */
    "    {\"name\": \"ssim\", \"goal\": \"max\"},\n" /* 39 */
    "    {\"name\": \"size\"}\n"                     /* 40 */
    "  ],\n"                                         /* 41 */
    "  \"oracle\": {\"type\": \"table\", \"path\": \"x264.csv\", "
    "\"extra\": {\"k\": [1, 2]}}\n" /* 42 */
    "}\n";

static const struct l4p_option *option(const struct l4p_spec *spec,
                                       const char *name)
{
  int i = l4p_space_find(spec->space, name);
  if (i < 0)
    fail_msg("no option '%s'", name);
  return l4p_space_option(spec->space, (size_t)i);
}

/* Everything full_spec says, checked on a loaded (or reloaded) spec. */
static void check_full(const struct l4p_spec *spec)
{
  assert_string_equal(spec->name, "x264");
  assert_string_equal(spec->description, "A video encoder.");
  assert_string_equal(spec->provenance, "made up for tests");
  assert_string_equal(spec->docs_command, "x264 --fullhelp");
  assert_string_equal(spec->docs_file, "help.txt");
  const struct l4p_space *s = spec->space;
  assert_int_equal(l4p_space_n_options(s), 15);
  assert_int_equal(l4p_space_n_free(s), 14);
  /* bool, all cli forms */
  const struct l4p_option *o = option(spec, "cabac");
  assert_int_equal(o->type, L4P_OPT_BOOL);
  assert_same(o->default_value, 1);
  assert_string_equal(o->doc, "Entropy coder.");
  assert_int_equal(o->cli.form, L4P_CLI_SWITCH);
  assert_string_equal(o->cli.flag, "--cabac");
  assert_string_equal(o->cli.false_flag, "--no-cabac");
  assert_false(o->cli.omit_default);
  o = option(spec, "mixed_refs");
  assert_int_equal(o->cli.form, L4P_CLI_SWITCH); /* a bool's default form */
  assert_null(o->cli.false_flag);
  assert_same(o->default_value, 0);
  assert_null(o->doc);
  assert_same(option(spec, "weightb")->default_value, 1);
  o = option(spec, "trellis");
  assert_int_equal(o->cli.form, L4P_CLI_NONE);
  assert_null(o->cli.flag);
  assert_int_equal(option(spec, "lzma")->cli.form, L4P_CLI_NONE);
  /* int range, stepped range, value list */
  o = option(spec, "crf");
  assert_int_equal(o->type, L4P_OPT_INT);
  assert_same(o->min, 0);
  assert_same(o->max, 51);
  assert_same(o->step, 1);
  assert_same(o->default_value, 23);
  assert_int_equal(o->cli.form, L4P_CLI_VALUE);
  assert_string_equal(o->cli.flag, "--crf");
  assert_true(o->cli.omit_default);
  o = option(spec, "ref");
  assert_same(o->step, 3);
  assert_int_equal(l4p_option_cardinality(o), 6);
  assert_int_equal(o->cli.form, L4P_CLI_ATTACHED);
  assert_string_equal(o->cli.flag, "--ref=");
  o = option(spec, "threads");
  assert_int_equal(o->n_values, 3);
  assert_same(o->values[0], 1);
  assert_same(o->values[2], 4);
  assert_same(o->default_value, 1); /* the smallest value */
  assert_int_equal(o->cli.form, L4P_CLI_EQUALS);
  /* float stepped, continuous, value list */
  o = option(spec, "qcomp");
  assert_int_equal(o->type, L4P_OPT_FLOAT);
  assert_same(o->step, 0.1);
  assert_int_equal(l4p_option_cardinality(o), 11);
  /* the grid's own double for 0.6, as a sampled value would be */
  assert_same(o->default_value, l4p_option_value_at(o, 6));
  o = option(spec, "psy");
  assert_same(o->step, 0);
  assert_same(o->max, 2.5);
  assert_int_equal(l4p_option_cardinality(o), 0);
  assert_same(o->default_value, 0);
  o = option(spec, "ipratio");
  assert_same(o->values[0], 1.25);
  assert_same(o->default_value, 1.4);
  /* enums, one fixed */
  o = option(spec, "me");
  assert_int_equal(o->type, L4P_OPT_ENUM);
  assert_int_equal(o->n_values, 3);
  assert_string_equal(o->labels[2], "umh");
  assert_same(o->default_value, 1);
  assert_string_equal(o->doc, "Motion search.");
  o = option(spec, "aq-mode");
  assert_true(o->fixed);
  assert_same(o->fixed_value, 1);
  assert_same(o->default_value, 0);
  /* constraints, shorthands written out as expressions */
  assert_int_equal(l4p_space_n_constraints(s), 7);
  const char *texts[] = {
      "me == 'umh' -> ref >= 4", "mixed_refs -> cabac",
      "!(trellis && weightb)",   "lzma + bzip2 + gzip == 1",
      "cabac || trellis",        "{aq-mode} != '2' || crf < 30",
      "crf * qcomp <= 40"};
  for (size_t c = 0; c < 7; c++)
    assert_string_equal(l4p_space_constraint_text(s, c), texts[c]);
  /* objectives */
  assert_int_equal(spec->n_objectives, 3);
  assert_string_equal(spec->objectives[0].name, "time");
  assert_string_equal(spec->objectives[0].unit, "s");
  assert_string_equal(spec->objectives[0].doc, "Wall-clock.");
  assert_int_equal(spec->objectives[0].goal, L4P_MINIMIZE);
  assert_int_equal(spec->objectives[1].goal, L4P_MAXIMIZE);
  assert_null(spec->objectives[1].unit);
  assert_int_equal(spec->objectives[2].goal, L4P_MINIMIZE);
  assert_int_equal(l4p_spec_find_objective(spec, "ssim"), 1);
  assert_int_equal(l4p_spec_find_objective(spec, "crf"), -1);
  /* oracle, kept whole */
  assert_string_equal(spec->oracle_type, "table");
  assert_string_equal(spec->oracle_json,
                      "{\"extra\":{\"k\":[1,2]},\"path\":\"x264.csv\","
                      "\"type\":\"table\"}");
}

static void test_load_full(void **state)
{
  const char *path = tu_tmp("x264.json");
  tu_write(path, full_spec);
  struct l4p_spec *spec = NULL;
  l4p_status st = l4p_spec_load(path, &spec);
  if (st)
    fail_msg("%s", l4p_last_error());
  check_full(spec);
  assert_string_equal(spec->path, path);
  assert_string_equal(spec->dir, tu_tmpdir());
  char *resolved = l4p_spec_resolve(spec, "x264.csv");
  char want[600];
  snprintf(want, sizeof want, "%s/x264.csv", tu_tmpdir());
  assert_string_equal(resolved, want);
  free(resolved);
  resolved = l4p_spec_resolve(spec, "/abs/t.csv");
  assert_string_equal(resolved, "/abs/t.csv");
  free(resolved);

  /* the loaded space works: defaults valid, count exact */
  double cfg[15];
  l4p_space_default_config(spec->space, cfg);
  assert_same(cfg[l4p_space_find(spec->space, "aq-mode")], 1);
  assert_int_equal(l4p_space_validate(spec->space, cfg), L4P_OK);
  l4p_spec_free(spec);

  /* from memory: no path, no directory */
  assert_int_equal(l4p_spec_parse(full_spec, NULL, &spec), L4P_OK);
  check_full(spec);
  assert_null(spec->path);
  assert_null(spec->dir);
  l4p_spec_free(spec);
  l4p_spec_free(NULL);
}

static void test_save_load_round_trip(void **state)
{
  struct l4p_spec *spec;
  assert_int_equal(l4p_spec_parse(full_spec, "mem.json", &spec), L4P_OK);
  char *text1;
  assert_int_equal(l4p_spec_to_json(spec, &text1), L4P_OK);
  const char *path = tu_tmp("saved.json");
  assert_int_equal(l4p_spec_save(spec, path), L4P_OK);
  struct l4p_spec *back;
  l4p_status st = l4p_spec_load(path, &back);
  if (st)
    fail_msg("reloading:\n%s\n%s", text1, l4p_last_error());
  check_full(back);
  char *text2;
  assert_int_equal(l4p_spec_to_json(back, &text2), L4P_OK);
  assert_string_equal(text1, text2);
  /* numbers read as written: 15 digits suffice for this spec */
  assert_non_null(strstr(text1, "\"step\": 0.1,"));
  assert_non_null(strstr(text1, "\"default\": 0.6\n"));
  assert_non_null(strstr(text1, "\"default\": 1.4\n"));
  assert_null(strstr(text1, "0000000"));
  /* the file is the text plus a final newline */
  FILE *f = fopen(path, "r");
  char buf[16384];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  assert_int_equal(n, strlen(text1) + 1);
  assert_int_equal(buf[n - 1], '\n');
  assert_memory_equal(buf, text1, n - 1);

  /* the same space: same count */
  struct l4p_space_size a, b;
  assert_int_equal(l4p_space_count(spec->space, &a), L4P_OK);
  assert_int_equal(l4p_space_count(back->space, &b), L4P_OK);
  assert_string_equal(a.decimal, b.decimal);
  free(a.decimal);
  free(b.decimal);
  free(text1);
  free(text2);
  l4p_spec_free(back);
  l4p_spec_free(spec);
}

/* A spec built in code saves and loads back too (incl. odd floats). */
static void test_round_trip_built(void **state)
{
  struct l4p_spec *spec = l4p_spec_new("built");
  assert_non_null(spec);
  assert_string_equal(spec->name, "built");
  char *labels[] = {"a b", "c,d", "\"q\""};
  double vals[] = {0.1, 0.2, 0.30000000000000004, 1e-7};
  struct l4p_option opts[] = {
      {.name = "e",
       .type = L4P_OPT_ENUM,
       .n_values = 3,
       .labels = labels,
       .default_value = 2},
      {.name = "v",
       .type = L4P_OPT_FLOAT,
       .n_values = 4,
       .values = vals,
       .default_value = 0.2},
      {.name = "c",
       .type = L4P_OPT_FLOAT,
       .min = -1.5,
       .max = 1e6,
       .default_value = 0.125},
      {.name = "big",
       .type = L4P_OPT_INT,
       .min = -1000000,
       .max = 4000000000,
       .step = 7,
       .default_value = -1000000 + 7 * 3,
       .fixed = true,
       .fixed_value = -1000000 + 7 * 5},
  };
  for (size_t i = 0; i < 4; i++)
    assert_int_equal(l4p_space_add_option(spec->space, &opts[i]), L4P_OK);
  assert_int_equal(
      l4p_space_add_constraint(spec->space, "e != '\"q\"' || v > 0.15"),
      L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "t", NULL, L4P_MAXIMIZE),
                   L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "t", "s", L4P_MINIMIZE),
                   L4P_EUSAGE);
  assert_int_equal(l4p_spec_add_objective(spec, "v", "s", L4P_MINIMIZE),
                   L4P_EUSAGE);
  assert_int_equal(l4p_spec_add_objective(spec, "", "s", L4P_MINIMIZE),
                   L4P_EUSAGE);
  char *text;
  assert_int_equal(l4p_spec_to_json(spec, &text), L4P_OK);
  struct l4p_spec *back;
  l4p_status st = l4p_spec_parse(text, "built.json", &back);
  if (st)
    fail_msg("%s\n%s", text, l4p_last_error());
  const struct l4p_space *s = spec->space, *t = back->space;
  assert_int_equal(l4p_space_n_options(t), 4);
  for (size_t i = 0; i < 4; i++) {
    const struct l4p_option *p = l4p_space_option(s, i);
    const struct l4p_option *q = l4p_space_option(t, i);
    assert_string_equal(p->name, q->name);
    assert_int_equal(p->type, q->type);
    assert_int_equal(p->n_values, q->n_values);
    for (size_t k = 0; k < p->n_values; k++)
      if (p->type == L4P_OPT_ENUM)
        assert_string_equal(p->labels[k], q->labels[k]);
      else
        assert_same(p->values[k], q->values[k]);
    assert_same(p->min, q->min);
    assert_same(p->max, q->max);
    assert_same(p->step, q->step);
    assert_same(p->default_value, q->default_value);
    assert_int_equal(p->fixed, q->fixed);
    assert_same(p->fixed_value, q->fixed_value);
  }
  assert_string_equal(l4p_space_constraint_text(t, 0),
                      "e != '\"q\"' || v > 0.15");
  assert_int_equal(back->objectives[0].goal, L4P_MAXIMIZE);
  assert_null(back->oracle_json);
  assert_null(back->docs_command);
  free(text);
  l4p_spec_free(back);
  l4p_spec_free(spec);
}

/* Shorthand constraints over names the expression language would read
 * as a number or a keyword. */
static void test_shorthand_odd_names(void **state)
{
  const char *text =
      "{\"name\": \"x\", \"options\": [\n"
      "  {\"name\": \"8x8dct\", \"type\": \"bool\"},\n"
      "  {\"name\": \"cabac\", \"type\": \"bool\"},\n"
      "  {\"name\": \"not\", \"type\": \"bool\"},\n"
      "  {\"name\": \"true\", \"type\": \"bool\"}],\n"
      " \"constraints\": [{\"requires\": [\"8x8dct\", \"cabac\"]},\n"
      "   {\"or\": [\"not\", \"true\"]}],\n"
      " \"objectives\": [{\"name\": \"t\"}]}";
  struct l4p_spec *spec;
  l4p_status st = l4p_spec_parse(text, "odd.json", &spec);
  if (st)
    fail_msg("%s", l4p_last_error());
  assert_string_equal(l4p_space_constraint_text(spec->space, 0),
                      "{8x8dct} -> cabac");
  assert_string_equal(l4p_space_constraint_text(spec->space, 1),
                      "{not} || {true}");
  struct l4p_space_size size;
  assert_int_equal(l4p_space_count(spec->space, &size), L4P_OK);
  assert_string_equal(size.decimal, "9");
  free(size.decimal);
  l4p_spec_free(spec);
}

/* ------------------------------------------------------------ errors */

/* Line and column (1-based) of the only occurrence of needle in text. */
static void place_of(const char *text, const char *needle, int *line, int *col)
{
  const char *at = NULL;
  size_t len = strlen(needle), hits = 0;
  for (const char *p = text; *p; p++)
    if (strncmp(p, needle, len) == 0 && !hits++)
      at = p;
  if (hits != 1)
    fail_msg("'%s' occurs %zu times in the test text", needle, hits);
  *line = 1;
  *col = 1;
  for (const char *p = text; p < at; p++) {
    if (*p == '\n')
      (*line)++, *col = 1;
    else
      (*col)++;
  }
}

/* Loading text fails with want, and the message is exactly
 * "path:LINE:COL: msg" where LINE is line (checked against the text) and
 * COL the column where needle starts. */
static void load_fails(const char *text, l4p_status want, int line,
                       const char *needle, const char *msg)
{
  const char *path = tu_tmp("bad.json");
  tu_write(path, text);
  int l, c;
  place_of(text, needle, &l, &c);
  if (l != line)
    fail_msg("test text: '%s' is on line %d, not %d", needle, l, line);
  struct l4p_spec *spec = (struct l4p_spec *)0x1;
  l4p_status st = l4p_spec_load(path, &spec);
  if (st != want)
    fail_msg("got %s (%s), expected %s", l4p_status_name(st), l4p_last_error(),
             l4p_status_name(want));
  assert_true(spec == (struct l4p_spec *)0x1); /* untouched */
  char expect[1024];
  snprintf(expect, sizeof expect, "%s:%d:%d: %s", path, l, c, msg);
  assert_string_equal(l4p_last_error(), expect);
}

static void test_error_json_syntax(void **state)
{
  const char *path = tu_tmp("bad.json");
  char prefix[600];
  struct l4p_spec *spec;
  /* malformed: jansson's own place and words */
  tu_write(path, "{\"name\": \"x\",\n"
                 " \"options\": [}\n");
  assert_int_equal(l4p_spec_load(path, &spec), L4P_EPARSE);
  snprintf(prefix, sizeof prefix, "%s:2:14: ", path);
  if (strncmp(l4p_last_error(), prefix, strlen(prefix)) != 0)
    fail_msg("'%s' does not start with '%s'", l4p_last_error(), prefix);

  tu_write(path, "{\"name\": \"x\",\n\n   \"options\" []}");
  assert_int_equal(l4p_spec_load(path, &spec), L4P_EPARSE);
  snprintf(prefix, sizeof prefix, "%s:3:", path);
  assert_true(strncmp(l4p_last_error(), prefix, strlen(prefix)) == 0);

  /* a bad token is placed where it starts, not where it ends */
  tu_write(path, "{\"name\": \"x\",\n"
                 "   \"options\": tru}\n");
  assert_int_equal(l4p_spec_load(path, &spec), L4P_EPARSE);
  snprintf(prefix, sizeof prefix, "%s:2:15: invalid token near 'tru'", path);
  assert_string_equal(l4p_last_error(), prefix);
  tu_write(path, "{\"name\": \"x\", \"doc\": \"\u00e9t\u00e9\",\n"
                 "   \"r\u00e9sum\u00e9\": 1e999}\n");
  assert_int_equal(l4p_spec_load(path, &spec), L4P_EPARSE);
  snprintf(prefix, sizeof prefix, "%s:2:14: real number overflow", path);
  assert_true(strncmp(l4p_last_error(), prefix, strlen(prefix)) == 0);

  /* duplicate keys are rejected, at the second one */
  tu_write(path, "{\"name\": \"x\",\n"
                 " \"options\": [{\"name\": \"a\", \"type\": \"bool\",\n"
                 "   \"type\": \"int\"}],\n"
                 " \"objectives\": [{\"name\": \"t\"}]}\n");
  assert_int_equal(l4p_spec_load(path, &spec), L4P_EPARSE);
  snprintf(prefix, sizeof prefix, "%s:3:", path);
  if (strncmp(l4p_last_error(), prefix, strlen(prefix)) != 0)
    fail_msg("'%s' does not start with '%s'", l4p_last_error(), prefix);
  assert_non_null(strstr(l4p_last_error(), "duplicate"));
  snprintf(prefix, sizeof prefix,
           "%s:3:4: duplicate object key near "
           "'\"type\"'",
           path);
  assert_string_equal(l4p_last_error(), prefix);

  tu_write(path, "");
  assert_int_equal(l4p_spec_load(path, &spec), L4P_EPARSE);
  snprintf(prefix, sizeof prefix, "%s:1:1: ", path); /* never column 0 */
  assert_true(strncmp(l4p_last_error(), prefix, strlen(prefix)) == 0);

  /* a NUL byte would hide the rest of the file from the parser */
  FILE *f = fopen(path, "wb");
  fwrite("{\"name\": \"x\"}\0junk", 1, 18, f);
  fclose(f);
  assert_int_equal(l4p_spec_load(path, &spec), L4P_EPARSE);
  snprintf(prefix, sizeof prefix, "%s: contains a NUL byte", path);
  assert_string_equal(l4p_last_error(), prefix);

  assert_int_equal(l4p_spec_load(tu_tmp("none.json"), &spec), L4P_EIO);
  assert_non_null(strstr(l4p_last_error(), "none.json"));
}

static void test_error_structure(void **state)
{
  load_fails("[1, 2]", L4P_EPARSE, 1, "[1", "a spec must be a JSON object");
  load_fails("{\"name\": \"x\",\n"
             " \"optoins\": []}",
             L4P_EPARSE, 2, "\"optoins\"", "unknown key 'optoins'");
  load_fails("{\"options\": [{\"name\": \"a\", \"type\": \"bool\"}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 1, "{\"options\"", "a spec needs a 'name'");
  load_fails("{\"name\": \"x\",\n"
             "  \"description\": 7,\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 2, "7", "'description' must be a string");
  load_fails("{\"name\": \"x\",\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 1, "{\"name\": \"x\"",
             "a spec needs a non-empty 'options' array");
  load_fails("{\"name\": \"x\",\n"
             " \"options\": {},\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 2, "{}", "a spec needs a non-empty 'options' array");
  load_fails("{\"name\": \"x\",\n"
             " \"docs\": {\"command\": \"x --help\",\n"
             "          \"url\": \"http://x\"},\n"
             " \"options\": [{\"name\": \"a\", \"type\": \"bool\"}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "\"url\"", "unknown key 'url'");
  load_fails("{\"name\": \"x\",\n"
             " \"options\": [{\"name\": \"a\", \"type\": \"bool\"}],\n"
             " \"objectives\": [{\"name\": \"t\"}],\n"
             " \"oracle\": {\"path\": \"t.csv\"}}",
             L4P_EPARSE, 4, "{\"path\"",
             "'oracle' must be an object with a string 'type'");
}

static void test_error_options(void **state)
{
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"a\", \"type\": \"bool\"},\n"
             "  {\"name\": \"crf\", \"type\": \"int\", \"min\": 0,\n"
             "   \"defualt\": 3, \"max\": 51}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 4, "\"defualt\"", "unknown key 'defualt'");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"integer\", \"min\": 0}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 2, "\"integer\"",
             "option 'crf': type must be bool, int, float or enum");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"a\", \"type\": \"bool\"},\n"
             "  {\"name\": \"crf\", \"min\": 0}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "{\"name\": \"crf\"",
             "option 'crf': type must be bool, int, float or enum");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"a\", \"type\": 3}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 2, "3}", "'type' must be a string");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"type\": \"bool\"}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 2, "{\"type\"", "option without a 'name'");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  7],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 2, "7", "an option must be an object");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"a b\", \"type\": \"bool\"}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EUSAGE, 2, "{\"name\": \"a b\"",
             "option name 'a b' must be letters, digits and _.:+-");
  /* domains */
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"default\": 60}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EDOMAIN, 3, "60",
             "option 'crf': default 60 is outside its domain");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"fixed\": 20,\n"
             "   \"default\": 2.5}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EDOMAIN, 4, "2.5",
             "option 'crf': default 2.5 is outside its domain");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"default\": 20,\n"
             "   \"fixed\": 70}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EDOMAIN, 4, "70",
             "option 'crf': fixed value 70 is outside its domain");
  /* a domain error in an option whose name says "default" is still the
   * option's, not its default's */
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"default-level\", \"type\": \"int\", \"min\": 5,\n"
             "   \"max\": 1, \"default\": 3}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EDOMAIN, 2, "{\"name\": \"default-level\"",
             "option 'default-level': empty range [5, 1]");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"me\", \"type\": \"enum\", \"values\": "
             "[\"dia\", \"hex\"],\n"
             "   \"default\": \"umh\"}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EDOMAIN, 3, "\"umh\"",
             "option 'me': value 'umh' is not one of its values");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"me\", \"type\": \"enum\", \"values\": "
             "[\"dia\", \"hex\"],\n"
             "   \"default\": 0}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EDOMAIN, 3, "0}",
             "option 'me': value (not a string) is not one of its values");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"me\", \"type\": \"enum\", \"values\": [\"dia\",\n"
             "                                               2]}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "2]",
             "enum values must be strings (quote numbers: \"2\")");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"me\", \"type\": \"enum\", \"values\": [\n"
             "   true, \"x\"]}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "true", "enum values must be strings");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"me\", \"type\": \"enum\"}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 2, "{\"name\": \"me\"",
             "enum option 'me' needs 'values'");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"me\", \"type\": \"enum\", \"values\": "
             "[\"a\", \"a\"]}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EDOMAIN, 2, "{\"name\": \"me\"",
             "option 'me': value 'a' listed twice");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"t\", \"type\": \"int\", \"values\": []}],\n"
             " \"objectives\": [{\"name\": \"y\"}]}",
             L4P_EPARSE, 2, "[]", "'values' must be a non-empty array");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"t\", \"type\": \"int\", \"values\": [1,\n"
             "    \"2\"]}],\n"
             " \"objectives\": [{\"name\": \"y\"}]}",
             L4P_EPARSE, 3, "\"2\"", "values of option 't' must be numbers");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"t\", \"type\": \"int\", \"max\": 3}],\n"
             " \"objectives\": [{\"name\": \"y\"}]}",
             L4P_EPARSE, 2, "{\"name\": \"t\"",
             "numeric option 't' needs 'values' or 'min' and 'max'");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"t\", \"type\": \"int\", \"max\": 3,\n"
             "   \"min\": \"0\"}],\n"
             " \"objectives\": [{\"name\": \"y\"}]}",
             L4P_EPARSE, 3, "\"0\"", "'min' must be a number");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"b\", \"type\": \"bool\", \"max\": 3}],\n"
             " \"objectives\": [{\"name\": \"y\"}]}",
             L4P_EPARSE, 2, "{\"name\": \"b\"",
             "bool option 'b' takes no domain");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"b\", \"type\": \"bool\",\n"
             "   \"default\": \"yes\"}],\n"
             " \"objectives\": [{\"name\": \"y\"}]}",
             L4P_EDOMAIN, 3, "\"yes\"", "option 'b': expected true or false");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"f\", \"type\": \"float\", \"min\": 0, "
             "\"max\": 1,\n"
             "   \"default\": \"0.5\"}],\n"
             " \"objectives\": [{\"name\": \"y\"}]}",
             L4P_EDOMAIN, 3, "\"0.5\"", "option 'f': expected a number");
  /* duplicate names: the second definition is the culprit */
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"a\", \"type\": \"bool\"},\n"
             "  {\"name\": \"b\", \"type\": \"bool\"},\n"
             "  {\"name\": \"a\", \"type\": \"int\", \"min\": 0, "
             "\"max\": 1}],\n"
             " \"objectives\": [{\"name\": \"y\"}]}",
             L4P_EUSAGE, 4, "{\"name\": \"a\", \"type\": \"int\"",
             "option 'a' is defined twice");
}

static void test_error_cli(void **state)
{
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"cli\": {\"flag\": \"--crf\", \"form\": \"switch\"}}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "{\"flag\"",
             "cli form 'switch' is for bool options only");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"cli\": {\"form\": \"value\"}}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "{\"form\"", "cli form 'value' needs a 'flag'");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"cli\": {\"flag\": \"-c\", \"form\": \"glued\"}}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "{\"flag\"",
             "unknown cli form 'glued' (none, switch, value, equals, "
             "attached)");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"cli\": {\"flag\": \"-c\", \"omit_default\": 1}}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "{\"flag\"",
             "'omit_default' must be true or false");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"cli\": {\"flag\": \"-c\",\n"
             "           \"flgs\": 1}}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 4, "\"flgs\"", "unknown key 'flgs'");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"cli\": \"--crf\"}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "\"--crf\"", "'cli' must be an object");
  load_fails("{\"name\": \"x\", \"options\": [\n"
             "  {\"name\": \"crf\", \"type\": \"int\", "
             "\"min\": 0, \"max\": 51,\n"
             "   \"cli\": {\"flag\": [\"--crf\"]}}],\n"
             " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 3, "[\"--crf\"]", "'flag' must be a string");
}

#define OPTS                                   \
  "{\"name\": \"x\", \"options\": [\n"         \
  "  {\"name\": \"a\", \"type\": \"bool\"},\n" \
  "  {\"name\": \"b\", \"type\": \"bool\"},\n" \
  "  {\"name\": \"level\", \"type\": \"int\", \"min\": 1, \"max\": 9}],\n"

static void test_error_constraints(void **state)
{
  /* line 5 onwards follow the three options of OPTS */
  load_fails(OPTS " \"constraints\": [\"a\",\n"
                  "   \"a -> c\"],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EUSAGE, 6, "\"a -> c\"",
             "constraint 'a -> c': column 6: unknown option 'c'");
  load_fails(OPTS " \"constraints\": [\n"
                  "   \"level > 3 &&\"],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "\"level > 3 &&\"",
             "constraint 'level > 3 &&': column 13: unexpected end of "
             "expression");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"expr\": \"level = 'x'\"}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "{\"expr\"",
             "constraint 'level = 'x'': column 9: a quoted label can only "
             "be compared with an enum option");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"requires\": [\"a\", \"level\"]}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EUSAGE, 6, "\"level\"]", "'level' is not a bool option");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"excludes\": [\"a\", \"b\", \"a\"]}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "[\"a\", \"b\", \"a\"]",
             "'excludes' takes two option names");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"or\": [\"a\"]}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "[\"a\"]",
             "'or' takes a list of at least two option names");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"alternative\": [\"a\", 3]}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "3]", "expected an option name");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"or\": [\"a\", \"b\"], \"requires\": [\"a\", "
                  "\"b\"]}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "{\"or\"",
             "a constraint object has exactly one of requires, excludes, "
             "alternative, or, expr");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"needs\": [\"a\", \"b\"]}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "\"needs\"", "unknown key 'needs'");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"expr\": true}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "true", "'expr' must be a string");
  load_fails(OPTS " \"constraints\": [\n"
                  "   {\"comment\": \"nothing else\"}],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "{\"comment\"",
             "a constraint object has exactly one of requires, excludes, "
             "alternative, or, expr");
  load_fails(OPTS " \"constraints\": [\n"
                  "   42],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 6, "42", "a constraint is a string or an object");
  load_fails(OPTS " \"constraints\": \"a\",\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_EPARSE, 5, "\"a\",\n \"obj", "'constraints' must be an array");
  /* contradictions are found at load time, naming a constraint */
  load_fails(OPTS " \"constraints\": [\"a || b\",\n"
                  "   \"level > 3\",\n"
                  "   \"level < 2\"],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_ECONSTR, 7, "\"level < 2\"",
             "constraints cannot all hold together: 'level < 2' "
             "contradicts 1 other on the same options");
  load_fails(OPTS " \"constraints\": [\n"
                  "   \"a && !a\"],\n"
                  " \"objectives\": [{\"name\": \"t\"}]}",
             L4P_ECONSTR, 6, "\"a && !a\"",
             "constraint 'a && !a' can never hold");
}

static void test_error_objectives(void **state)
{
  load_fails(OPTS " \"constraints\": []}", L4P_EPARSE, 1, "{\"name\": \"x\"",
             "a spec needs a non-empty 'objectives' array");
  load_fails(OPTS " \"objectives\": []}", L4P_EPARSE, 5, "[]}",
             "a spec needs a non-empty 'objectives' array");
  load_fails(OPTS " \"objectives\": [{\"name\": \"t\"},\n"
                  "   {\"name\": \"u\", \"goal\": \"minimize\"}]}",
             L4P_EPARSE, 6, "\"minimize\"", "goal must be 'min' or 'max'");
  load_fails(OPTS " \"objectives\": [{\"name\": \"t\"},\n"
                  "   {\"name\": \"t\", \"goal\": \"max\"}]}",
             L4P_EUSAGE, 6, "{\"name\": \"t\", \"goal\"",
             "objective 't' is defined twice");
  load_fails(OPTS " \"objectives\": [\n"
                  "   {\"name\": \"level\"}]}",
             L4P_EUSAGE, 6, "{\"name\": \"level\"}",
             "'level' is both an option and an objective");
  load_fails(OPTS " \"objectives\": [\n"
                  "   {\"unit\": \"s\"}]}",
             L4P_EUSAGE, 6, "{\"unit\"", "an objective needs a name");
  load_fails(OPTS " \"objectives\": [\n"
                  "   {\"name\": \"t\", \"units\": \"s\"}]}",
             L4P_EPARSE, 6, "\"units\"", "unknown key 'units'");
  load_fails(OPTS " \"objectives\": [\n"
                  "   \"t\"]}",
             L4P_EPARSE, 6, "\"t\"]", "an objective must be an object");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load_full),
      cmocka_unit_test(test_save_load_round_trip),
      cmocka_unit_test(test_round_trip_built),
      cmocka_unit_test(test_shorthand_odd_names),
      cmocka_unit_test(test_error_json_syntax),
      cmocka_unit_test(test_error_structure),
      cmocka_unit_test(test_error_options),
      cmocka_unit_test(test_error_cli),
      cmocka_unit_test(test_error_constraints),
      cmocka_unit_test(test_error_objectives),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
