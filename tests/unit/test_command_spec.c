/* The command oracle's description, without running anything: options
 * written in each cli form (enum texts from "cli.values", saved and
 * loaded back), placeholders, the objective formulas, and errors in the
 * oracle object reported at their place in the spec file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/oracle.h"
#include "oracle/command-int.h"
#include "testutil.h"
#include "util/spawn.h"

static const char *const options_json =
    "{\"name\": \"t\", \"options\": [\n"
    " {\"name\": \"cabac\", \"type\": \"bool\", \"default\": true,"
    "  \"cli\": {\"flag\": \"--cabac\", \"false_flag\": \"--no-cabac\"}},\n"
    " {\"name\": \"threads\", \"type\": \"int\", \"values\": [1, 4],"
    "  \"cli\": {\"flag\": \"--threads\", \"form\": \"equals\"}},\n"
    " {\"name\": \"level\", \"type\": \"int\", \"min\": 1, \"max\": 9,"
    "  \"default\": 7, \"cli\": {\"flag\": \"-L\", \"form\": \"attached\","
    "  \"omit_default\": true}},\n"
    " {\"name\": \"backend\", \"type\": \"enum\", \"values\": [\"lzma\","
    "  \"bzip2\", \"plain\"], \"cli\": {\"flag\": \"\", \"form\":"
    "  \"attached\", \"values\": {\"lzma\": \"--lzma\", \"bzip2\": \"-b\"}}},\n"
    " {\"name\": \"ratio\", \"type\": \"float\", \"values\": [0.5, 1.25],"
    "  \"cli\": {\"flag\": \"-r\", \"form\": \"value\"}},\n"
    " {\"name\": \"mode\", \"type\": \"enum\", \"values\": [\"wal\","
    "  \"delete\"]}],\n"
    " \"objectives\": [{\"name\": \"wall_s\"}]}\n";

static struct l4p_spec *load(const char *text)
{
  struct l4p_spec *spec;
  if (l4p_spec_parse(text, NULL, &spec))
    fail_msg("%s", l4p_last_error());
  return spec;
}

/* The argv of tmpl for cfg, joined with '|'. */
static const char *render(const struct l4p_spec *spec, char *const *tmpl,
                          const double *cfg)
{
  static char joined[1024];
  struct cmd_vars v = {"/w", "/i", "/s", "/bin/llm4perf", spec->space, cfg};
  char **argv;
  joined[0] = '\0';
  if (l4p__cmd_argv(tmpl, &v, &argv))
    return l4p_last_error();
  for (size_t k = 0; argv[k]; k++) {
    size_t len = strlen(joined);
    snprintf(joined + len, sizeof joined - len, "%s%s", k ? "|" : "", argv[k]);
  }
  l4px_argv_free(argv);
  return joined;
}

static void test_cli_forms(void **state)
{
  struct l4p_spec *spec = load(options_json);
  char *tmpl[] = {"prog", "{options}", "{workdir}/out", NULL};
  double defaults[6];
  l4p_space_default_config(spec->space, defaults);
  assert_string_equal(render(spec, tmpl, defaults),
                      "prog|--cabac|--threads=1|--lzma|-r|0.5|/w/out");
  double other[6] = {0, 4, 9, 2, 1.25, 1};
  assert_string_equal(render(spec, tmpl, other),
                      "prog|--no-cabac|--threads=4|-L9|plain|-r|1.25|/w/out");
  other[3] = 1;
  assert_string_equal(render(spec, tmpl, other),
                      "prog|--no-cabac|--threads=4|-L9|-b|-r|1.25|/w/out");
  l4p_spec_free(spec);
}

static void test_placeholders(void **state)
{
  struct l4p_spec *spec = load(options_json);
  double cfg[6] = {1, 4, 3, 1, 0.5, 1};
  char *tmpl[] = {"{llm4perf}",
                  "PRAGMA journal_mode={mode}",
                  "{inputdir}/in {specdir}",
                  "{{literal}",
                  "-j{threads}",
                  "{backend}",
                  NULL};
  assert_string_equal(render(spec, tmpl, cfg),
                      "/bin/llm4perf|PRAGMA journal_mode=delete|/i/in /s|"
                      "{literal}|-j4|-b");
  char *unknown[] = {"x", "{nosuch}", NULL};
  assert_string_equal(render(spec, unknown, cfg),
                      "unknown placeholder {nosuch}");
  char *open[] = {"x", "a{workdir", NULL};
  assert_string_equal(render(spec, open, cfg),
                      "'{' without '}' in 'a{workdir'");
  char *inside[] = {"x", "--opts={options}", NULL};
  assert_string_equal(render(spec, inside, cfg),
                      "{options} must be a whole argument");
  /* setup commands know no configuration and no run directory */
  struct cmd_vars setup = {NULL, "/i", "/s", "llm4perf", spec->space, NULL};
  char *out;
  assert_int_equal(l4p__cmd_expand("{threads}", &setup, &out), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(), "option {threads} is not available "
                                        "in setup commands");
  assert_int_equal(l4p__cmd_expand("{workdir}", &setup, &out), L4P_EUSAGE);
  l4p_spec_free(spec);
}

static void test_cli_values_saved_and_loaded(void **state)
{
  struct l4p_spec *spec = load(options_json);
  char *text;
  assert_int_equal(l4p_spec_to_json(spec, &text), L4P_OK);
  struct l4p_spec *again = load(text);
  const struct l4p_option *o = l4p_space_option(again->space, 3);
  assert_non_null(o->cli.values);
  assert_string_equal(o->cli.values[0], "--lzma");
  assert_string_equal(o->cli.values[1], "-b");
  assert_null(o->cli.values[2]);
  assert_string_equal(o->cli.flag, "");
  /* a copy of the space keeps them too */
  struct l4p_space *copy = l4p_space_clone(again->space);
  assert_string_equal(l4p_space_option(copy, 3)->cli.values[1], "-b");
  l4p_space_free(copy);
  free(text);
  l4p_spec_free(again);
  l4p_spec_free(spec);
  struct l4p_spec *bad;
  assert_int_equal(
      l4p_spec_parse("{\"name\": \"t\", \"options\": [{\"name\": \"m\", "
                     "\"type\": \"enum\", \"values\": [\"a\"], \"cli\": "
                     "{\"flag\": \"-m\", \"values\": {\"b\": \"x\"}}}], "
                     "\"objectives\": [{\"name\": \"y\"}]}",
                     "s.json", &bad),
      L4P_EPARSE);
  assert_string_equal(l4p_last_error(), "s.json:1:107: 'b' is not a value "
                                        "of option 'm'");
  assert_int_equal(
      l4p_spec_parse("{\"name\": \"t\", \"options\": [{\"name\": \"n\", "
                     "\"type\": \"int\", \"values\": [1], \"cli\": {\"flag\": "
                     "\"-n\", \"values\": {\"1\": \"one\"}}}], \"objectives\": "
                     "[{\"name\": \"y\"}]}",
                     "s.json", &bad),
      L4P_EPARSE);
  assert_non_null(strstr(l4p_last_error(), "'values' maps an enum option's "
                                           "labels"));
}

/* A cmd_def with metrics a, b (after the built-ins). */
static void two_metrics(struct cmd_def *def, struct cmd_metric *m)
{
  memset(def, 0, sizeof *def);
  memset(m, 0, (CMD_N_BUILTINS + 2) * sizeof *m);
  static char *names[] = {"wall_s",     "user_s", "sys_s", "cpu_s",
                          "max_rss_kb", "a",      "b"};
  for (size_t k = 0; k < CMD_N_BUILTINS + 2; k++)
    m[k].name = names[k];
  def->metrics = m;
  def->n_metrics = CMD_N_BUILTINS + 2;
}

static double eval(const char *text, double a, double b)
{
  struct cmd_def def;
  struct cmd_metric m[CMD_N_BUILTINS + 2];
  two_metrics(&def, m);
  struct cmd_expr e;
  if (l4p__cmd_expr_compile(text, &def, &e))
    fail_msg("'%s': %s", text, l4p_last_error());
  double values[CMD_N_BUILTINS + 2] = {1, 2, 3, 5, 1024, a, b};
  double v = l4p__cmd_expr_eval(&e, values);
  l4p__cmd_expr_release(&e);
  return v;
}

static const char *compile_error(const char *text)
{
  struct cmd_def def;
  struct cmd_metric m[CMD_N_BUILTINS + 2];
  two_metrics(&def, m);
  struct cmd_expr e;
  assert_int_equal(l4p__cmd_expr_compile(text, &def, &e), L4P_EPARSE);
  return l4p_last_error();
}

static void test_formulas(void **state)
{
  assert_true(eval("a / b", 6, 4) == 1.5);
  assert_true(eval("max_rss_kb / 1024", 0, 0) == 1);
  assert_true(eval("1 + 2 * 3", 0, 0) == 7);
  assert_true(eval("(1 + 2) * 3", 0, 0) == 9);
  assert_true(eval("-(a + 2) * 3 - -b", 1, 4) == -5);
  assert_true(eval("a - b - 1", 10, 3) == 6); /* left to right */
  assert_true(eval("a/b/2", 8, 2) == 2);
  assert_true(eval("cpu_s", 0, 0) == 5);
  assert_true(eval(" 2.5e1 ", 0, 0) == 25);
  assert_true(isnan(eval("a / b", 1, 0)));
  assert_string_equal(compile_error("a +"),
                      "column 4: the formula ends too early");
  assert_string_equal(compile_error("a / nope"),
                      "column 5: unknown metric 'nope'");
  assert_string_equal(compile_error("a b"), "column 3: unexpected 'b'");
  assert_string_equal(compile_error("(a"), "column 3: expected ')'");
  assert_string_equal(compile_error(""),
                      "column 1: the formula ends too early");
  char deep[200] = "";
  for (int k = 0; k < 40; k++)
    strncat(deep, "(", sizeof deep - strlen(deep) - 1);
  assert_non_null(strstr(compile_error(deep), "nested too deeply"));
}

/* Open the oracle of a spec file holding oracle; its error message. */
static const char *open_error(const char *oracle)
{
  char text[2048];
  snprintf(text, sizeof text,
           "{\"name\": \"e\",\n \"options\": [{\"name\": \"n\", \"type\": "
           "\"int\", \"values\": [1, 2]}],\n \"objectives\": [{\"name\": "
           "\"time\"}, {\"name\": \"score\"}],\n \"oracle\": %s}\n",
           oracle);
  const char *path = tu_tmp("e.json");
  tu_write(path, text);
  struct l4p_spec *spec;
  if (l4p_spec_load(path, &spec))
    fail_msg("%s", l4p_last_error());
  struct l4p_oracle_opts opts = {.work_dir = tu_tmp("e")};
  struct l4p_oracle *oracle_h;
  static char msg[512];
  l4p_status st = l4p_oracle_open_with(spec, &opts, &oracle_h);
  snprintf(msg, sizeof msg, "%s", st ? l4p_last_error() : "opened");
  if (!st)
    l4p_oracle_free(oracle_h);
  l4p_spec_free(spec);
  /* the file name differs between runs: keep what follows it */
  const char *rest = strstr(msg, "e.json:");
  return rest ? rest : msg;
}

static void test_errors_point_into_the_spec(void **state)
{
  assert_string_equal(
      open_error("{\"type\": \"command\", \"command\": [\"true\"],\n"
                 "  \"timeout\": 5}"),
      "e.json:5:3: unknown key 'timeout'");
  assert_string_equal(
      open_error("{\"type\": \"command\", \"command\": [\"true\"],\n"
                 "  \"metrics\": [{\"name\": \"score\", \"stdout\": \"(\"}],\n"
                 "  \"objectives\": {\"time\": \"wall_s\"}}"),
      "e.json:5:43: bad regular expression /(/: Unmatched ( or \\(");
  assert_string_equal(
      open_error("{\"type\": \"command\", \"command\": [\"true\"],\n"
                 "  \"objectives\": {\"time\": \"wall_s * 2\"}}"),
      "e.json:5:17: objective 'score' has no formula and is not a metric");
  assert_string_equal(
      open_error("{\"type\": \"command\", \"command\": [\"true\"],\n"
                 "  \"objectives\": {\"time\": \"wall\", \"score\": "
                 "\"1\"}}"),
      "e.json:5:26: objective 'time': column 1: unknown metric 'wall'");
  assert_string_equal(
      open_error("{\"type\": \"command\",\n  \"command\": [\"true\", "
                 "\"{nosuch}\"], \"objectives\": {\"time\": \"wall_s\", "
                 "\"score\": \"1\"}}"),
      "e.json:5:14: unknown placeholder {nosuch}");
  assert_string_equal(
      open_error("{\"type\": \"command\", \"command\": [\"true\"],\n"
                 "  \"repetitions\": 3, \"max_repetitions\": 2,"
                 " \"objectives\": {\"time\": \"wall_s\", \"score\": \"1\"}}"),
      "e.json:5:40: 'max_repetitions' must be a whole number in [3, 1000]");
  assert_string_equal(
      open_error("{\"type\": \"command\", \"command\": [],"
                 " \"objectives\": {\"time\": \"wall_s\", \"score\": \"1\"}}"),
      "e.json:4:43: 'command' must be a non-empty array of strings");
  assert_string_equal(
      open_error("{\"type\": \"command\", \"command\": [\"true\"],\n"
                 "  \"metrics\": [{\"name\": \"wall_s\", \"file\": \"x\"}],"
                 " \"objectives\": {\"time\": \"wall_s\", \"score\": \"1\"}}"),
      "e.json:5:15: metric 'wall_s' is defined twice (it is built in)");
  assert_string_equal(
      open_error("{\"type\": \"command\", \"command\": [\"true\"],"
                 " \"objectives\": {\"time\": \"wall_s\", \"score\": \"1\"}}"),
      "opened");
}

/* The example specs load, and their oracles check out without running
 * anything (the programs need not be installed). */
static void test_examples_are_valid(void **state)
{
  static const char *const names[] = {"zstd", "lrzip", "x264", "sqlite3"};
  for (size_t k = 0; k < 4; k++) {
    char rel[64];
    snprintf(rel, sizeof rel, "examples/%s.json", names[k]);
    struct l4p_spec *spec;
    if (l4p_spec_load(tu_src(rel), &spec))
      fail_msg("%s", l4p_last_error());
    assert_string_equal(spec->oracle_type, "command");
    struct cmd_def def;
    if (l4p__cmd_load(spec, &def))
      fail_msg("%s", l4p_last_error());
    assert_int_equal(def.n_setup, 1);
    assert_true(def.repetitions >= 3);
    assert_non_null(spec->docs_command);
    for (size_t i = 0; i < l4p_space_n_options(spec->space); i++)
      assert_non_null(l4p_space_option(spec->space, i)->doc);
    l4p__cmd_release(&def);
    l4p_spec_free(spec);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cli_forms),
      cmocka_unit_test(test_placeholders),
      cmocka_unit_test(test_cli_values_saved_and_loaded),
      cmocka_unit_test(test_formulas),
      cmocka_unit_test(test_errors_point_into_the_spec),
      cmocka_unit_test(test_examples_are_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
