/* Unit tests for the study runner (src/study/): study files and their
 * errors with file:line:col, the grid (one campaign per sample: systems x
 * budgets x treatments x repetitions, never x objectives x models, with
 * every cell stored once and a rerun computing nothing), the hypervolume
 * ratio of a predicted front on a hand-made table, and the summary's
 * ranks and headline counts on hand-made cells.
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
#include "llm4perf/study.h"
#include "study/study-int.h"
#include "testutil.h"

/* Write a study file referring to the toy fixture, with extra members
 * (JSON text after the systems, budgets and samplers). */
static const char *write_study(const char *name, const char *samplers,
                               const char *extra)
{
  static char text[4096];
  snprintf(text, sizeof text,
           "{\n"
           "  \"systems\": [{\"spec\": \"%s\"}],\n"
           "  \"budgets\": [10, 15],\n"
           "  \"samplers\": %s%s%s\n"
           "}\n",
           tu_src("tests/data/toy/toy.json"), samplers, *extra ? ",\n  " : "",
           extra);
  const char *path = tu_tmp(name);
  tu_write(path, text);
  return path;
}

static long query(const char *db, const char *sql)
{
  sqlite3 *h;
  sqlite3_stmt *q;
  assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(q), SQLITE_ROW);
  long v = (long)sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(h);
  return v;
}

static size_t lines(const char *path)
{
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  size_t n = 0;
  int c;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n;
}

/* A decisions file pruning 'verbose' (the toy's only prunable option). */
static const char *decisions(void)
{
  const char *path = tu_tmp("toy-prune.json");
  tu_write(path, "{\"system\": \"toy\", \"decisions\": [{\"option\": "
                 "\"verbose\", \"keep\": false}]}\n");
  return path;
}

/* 1 system x 2 budgets x (random, random+pruned, lhs) x 2 repetitions =
 * 12 samples, each one campaign shared by 2 objectives and 2 model
 * entries. The entries have the same settings (cheap under sanitizers),
 * so they share their cells too: 24 stored, 48 in cells.csv. */
static void test_grid_shares_samples(void **state)
{
  char extra[512];
  snprintf(extra, sizeof extra,
           "\"pruning\": {\"samplers\": [\"random\"]},\n"
           "  \"models\": [\"xgboost\", {\"name\": \"xgboost\", \"label\": "
           "\"xgb-again\"}],\n  \"repetitions\": 2");
  const char *path = tu_tmp("grid.json");
  char text[4096];
  snprintf(text, sizeof text,
           "{\"systems\": [{\"spec\": \"%s\", \"decisions\": \"%s\"}],\n"
           " \"budgets\": [10, 15], \"samplers\": [\"random\", \"lhs\"],\n"
           " %s}\n",
           tu_src("tests/data/toy/toy.json"), decisions(), extra);
  tu_write(path, text);
  struct l4p_study *study;
  if (l4p_study_load(path, &study) != L4P_OK)
    fail_msg("load: %s", l4p_last_error());
  struct l4p_study_size size;
  l4p_study_size(study, &size);
  assert_int_equal(size.systems, 1);
  assert_int_equal(size.treatments, 3);
  assert_int_equal(size.samples, 12);
  assert_int_equal(size.cells, 12 * 2 * 2);
  assert_int_equal(size.hyper, 0);
  const char *out = tu_tmp("grid-out");
  struct l4p_study_opts opts = {out, 2, NULL, NULL};
  if (l4p_study_run(study, &opts) != L4P_OK)
    fail_msg("study: %s", l4p_last_error());
  char db[600], csv[600];
  snprintf(db, sizeof db, "%s/study.db", out);
  snprintf(csv, sizeof csv, "%s/cells.csv", out);
  assert_int_equal(query(db, "SELECT count(*) FROM campaign"), 12);
  assert_int_equal(query(db, "SELECT count(*) FROM campaign WHERE done"), 12);
  assert_int_equal(query(db, "SELECT count(*) FROM study_cell"), 24);
  assert_int_equal(query(db, "SELECT count(*) FROM study_front"), 12);
  /* every campaign measured its budget: (10 + 15) x 3 x 2 rows */
  assert_int_equal(query(db, "SELECT count(*) FROM configuration WHERE "
                             "state = 'measured'"),
                   150);
  /* every cell of a campaign was trained on the whole sample */
  assert_int_equal(query(db, "SELECT count(*) FROM study_cell c JOIN "
                             "campaign k ON k.id = c.campaign WHERE "
                             "c.train_rows != k.budget"),
                   0);
  /* pruned samples hold verbose at its default */
  assert_int_equal(query(db, "SELECT count(*) FROM configuration c JOIN "
                             "campaign k ON k.id = c.campaign WHERE "
                             "k.params LIKE '%prune%' AND "
                             "json_extract(c.config_json, '$.verbose') != "
                             "0"),
                   0);
  assert_int_equal(lines(csv), 1 + 48);
  /* a rerun finds everything stored and adds nothing */
  assert_int_equal(l4p_study_run(study, &opts), L4P_OK);
  assert_int_equal(query(db, "SELECT count(*) FROM campaign"), 12);
  assert_int_equal(query(db, "SELECT count(*) FROM study_cell"), 24);
  assert_int_equal(lines(csv), 1 + 48);
  l4p_study_free(study);
}

/* A pruning that prunes nothing gives the unpruned sample: the pruned
 * treatment shares its campaigns and cells. */
static void test_empty_pruning_shares(void **state)
{
  const char *none = tu_tmp("none.json");
  tu_write(none, "{\"system\": \"toy\", \"decisions\": []}\n");
  char text[2048];
  snprintf(text, sizeof text,
           "{\"systems\": [{\"spec\": \"%s\", \"decisions\": \"%s\"}],\n"
           " \"budgets\": [10], \"samplers\": [\"random\"],\n"
           " \"pruning\": {}, \"repetitions\": 2}\n",
           tu_src("tests/data/toy/toy.json"), none);
  const char *path = tu_tmp("share.json");
  tu_write(path, text);
  struct l4p_study *study;
  if (l4p_study_load(path, &study) != L4P_OK)
    fail_msg("load: %s", l4p_last_error());
  const char *out = tu_tmp("share-out");
  struct l4p_study_opts opts = {out, 1, NULL, NULL};
  if (l4p_study_run(study, &opts) != L4P_OK)
    fail_msg("study: %s", l4p_last_error());
  char db[600], csv[600];
  snprintf(db, sizeof db, "%s/study.db", out);
  snprintf(csv, sizeof csv, "%s/cells.csv", out);
  assert_int_equal(query(db, "SELECT count(*) FROM campaign"), 2);
  assert_int_equal(query(db, "SELECT count(*) FROM study_cell"), 4);
  assert_int_equal(lines(csv), 1 + 8);
  l4p_study_free(study);
}

/* Load errors name the place in the study file. */
static void expect_error(const char *name, const char *samplers,
                         const char *extra, l4p_status want, const char *where,
                         const char *what)
{
  struct l4p_study *study = (void *)1;
  const char *path = write_study(name, samplers, extra);
  assert_int_equal(l4p_study_load(path, &study), want);
  assert_null(study);
  char prefix[600];
  snprintf(prefix, sizeof prefix, "%s:%s: ", path, where);
  if (strncmp(l4p_last_error(), prefix, strlen(prefix)) != 0 ||
      !strstr(l4p_last_error(), what))
    fail_msg("got '%s', expected '%s...%s'", l4p_last_error(), prefix, what);
}

static void test_errors(void **state)
{
  expect_error("e1.json", "[\"random\", \"nosuch\"]", "", L4P_EUSAGE, "4:26",
               "unknown sampler 'nosuch' (known: random");
  expect_error("e2.json", "[{\"name\": \"lhs\", \"labl\": 1}]", "", L4P_EPARSE,
               "4:32", "unknown key 'labl'");
  expect_error("e3.json", "[\"random\", {\"name\": \"random\"}]", "",
               L4P_EUSAGE, "4:26", "label 'random' is used twice");
  expect_error("e4.json", "[\"random\"]", "\"models\": [\"forest\"]",
               L4P_EUSAGE, "5:14", "unknown model 'forest'");
  expect_error("e5.json", "[\"random\"]", "\"pruning\": {}", L4P_EUSAGE, "5:14",
               "system 'toy' has no \"decisions\" file");
  expect_error("e6.json", "[\"random\"]", "\"repetitions\": 0", L4P_EPARSE,
               "5:18", "expected an integer from 1");
  /* a budget the table cannot hold (300 rows) */
  const char *path = tu_tmp("e7.json");
  char text[1024];
  snprintf(text, sizeof text,
           "{\"systems\": [\"%s\"],\n \"budgets\": [10, 300],\n"
           " \"samplers\": [\"random\"]}\n",
           tu_src("tests/data/toy/toy.json"));
  tu_write(path, text);
  struct l4p_study *study;
  assert_int_equal(l4p_study_load(path, &study), L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), ":2:18: budget 300 is not "
                                           "smaller than the table"));
  /* a missing system file */
  tu_write(path, "{\"systems\": [{\"spec\": \"nope/none.json\"}],\n"
                 " \"budgets\": [10], \"samplers\": [\"random\"]}\n");
  assert_int_equal(l4p_study_load(path, &study), L4P_EIO);
  assert_non_null(strstr(l4p_last_error(), ":1:23: cannot read system "
                                           "file"));
  /* --models with a label the study lacks */
  assert_int_equal(
      l4p_study_load(write_study("ok.json", "[\"random\"]", ""), &study),
      L4P_OK);
  const char *bad[] = {"deepperf"};
  assert_int_equal(l4p_study_keep_models(study, bad, 1), L4P_EUSAGE);
  l4p_study_free(study);
}

/* A table of five rows, a minimised and b maximised:
 *   row (a, b)  normalised cost (a/4, (4-b)/4)
 *   0   (0, 0)  (0, 1)        front
 *   1   (1, 2)  (0.25, 0.5)   front
 *   2   (2, 4)  (0.5, 0)      front
 *   3   (4, 4)  (1, 0)        dominated by row 2
 *   4   (4, 0)  (1, 1)        dominated
 * Reference (1.1, 1.1): the true front's volume is 0.025 + 0.15 + 0.66 =
 * 0.835. */
static void test_front_ratio(void **state)
{
  struct l4p_spec *spec = l4p_spec_new("hv");
  struct l4p_option x = {
      .name = "x", .type = L4P_OPT_INT, .min = 0, .max = 4, .step = 1};
  assert_int_equal(l4p_space_add_option(spec->space, &x), L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "a", NULL, L4P_MINIMIZE),
                   L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "b", NULL, L4P_MAXIMIZE),
                   L4P_OK);
  struct l4p_table *t = l4p_table_new(spec);
  double truth[] = {0, 0, 1, 2, 2, 4, 4, 4, 4, 0};
  for (size_t r = 0; r < 5; r++) {
    double cfg = (double)r;
    assert_int_equal(l4p_table_add(t, spec, &cfg, truth + 2 * r), L4P_OK);
  }
  size_t obj[] = {0, 1};
  struct l4p__study_front f;
  assert_int_equal(l4p__study_front_init(&f, spec, t, obj, 2), L4P_OK);
  assert_true(fabs(f.hv_true - 0.835) < 1e-12);
  double ratio;
  size_t *rows, n;
  /* perfect predictions find the true front */
  assert_int_equal(l4p__study_front_ratio(&f, truth, &ratio, &rows, &n),
                   L4P_OK);
  assert_true(fabs(ratio - 1) < 1e-12);
  assert_int_equal(n, 3);
  assert_int_equal(rows[0], 0);
  assert_int_equal(rows[2], 2);
  free(rows);
  /* predictions that make rows 1 and 3 the front: true values (0.25,
   * 0.5) and (1, 0) cover 0.75 * 0.6 + 0.1 * 1.1 = 0.56 */
  double pred[] = {3, 0, 1, 3, 3, 1, 0, 2, 4, 0};
  assert_int_equal(l4p__study_front_ratio(&f, pred, &ratio, &rows, &n), L4P_OK);
  assert_int_equal(n, 2);
  assert_int_equal(rows[0], 1);
  assert_int_equal(rows[1], 3);
  assert_true(fabs(ratio - 0.56 / 0.835) < 1e-12);
  free(rows);
  /* a front predicted on the worst rows only scores low, never < 0 */
  double worst[] = {9, -9, 9, -9, 9, -9, 0, 0, 9, -9};
  assert_int_equal(l4p__study_front_ratio(&f, worst, &ratio, NULL, &n), L4P_OK);
  assert_int_equal(n, 1);
  assert_true(fabs(ratio - 0.1 * 1.1 / 0.835) < 1e-12);
  l4p__study_front_release(&f);
  l4p_table_free(t);
  l4p_spec_free(spec);
}

/* Five repetitions per treatment: base + 0..4. */
static size_t add_cells(struct l4p_study_cell *c, size_t n, const char *system,
                        size_t k, const char *sampler, bool pruned, double base,
                        double hv)
{
  for (size_t r = 1; r <= 5; r++)
    c[n++] = (struct l4p_study_cell){system,
                                     k,
                                     k == 2 ? "a" : "x",
                                     20,
                                     sampler,
                                     pruned,
                                     r,
                                     "xgboost",
                                     NAN,
                                     NAN,
                                     base + (double)r,
                                     hv + 0.01 * r};
  return n;
}

static void test_summary_counts(void **state)
{
  struct l4p_study_cell c[32];
  size_t n = 0;
  /* s2: lhs clearly best; pruning helps random (10 < 12) */
  n = add_cells(c, n, "s2", 2, "random", false, 11, 0.5);
  n = add_cells(c, n, "s2", 2, "random", true, 7, 0.6);
  n = add_cells(c, n, "s2", 2, "lhs", false, 0, 0.9);
  /* s3: random clearly best; pruning hurts it */
  n = add_cells(c, n, "s3", 3, "random", false, 0, 0.9);
  n = add_cells(c, n, "s3", 3, "random", true, 29, 0.2);
  n = add_cells(c, n, "s3", 3, "lhs", false, 19, 0.3);
  struct l4p_study_summary s;
  assert_int_equal(l4p_study_summarize(c, n, "random", &s), L4P_OK);
  assert_int_equal(s.n_error_scenarios, 2);
  assert_int_equal(s.n_scenarios, 4);
  const struct l4p_study_scenario *s2 = &s.scenarios[0];
  assert_string_equal(s2->system, "s2");
  assert_string_equal(s2->metric, "mre");
  assert_int_equal(s2->n_ranks, 3);
  /* exactly one treatment in rank 1, the best */
  assert_int_equal(s2->ranks[2].rank, 1);
  assert_true(s2->ranks[2].best);
  assert_true(s2->ranks[0].rank > 1 && s2->ranks[1].rank > 1);
  assert_false(s2->ranks[0].best || s2->ranks[1].best);
  assert_true(fabs(s2->ranks[2].mean - 3) < 1e-12);
  assert_true(fabs(s2->ranks[2].median - 3) < 1e-12);
  /* lhs against random: separated samples of 5, exact p = 2 / 252, Holm
   * over the two tests of the scenario */
  assert_false(s2->ranks[0].has_test);
  assert_true(s2->ranks[2].has_test);
  assert_true(fabs(s2->ranks[2].p - 2.0 / 252) < 1e-12);
  assert_true(fabs(s2->ranks[2].p_holm - 4.0 / 252) < 1e-12);
  assert_true(s2->ranks[2].a12 == 0 && s2->ranks[2].delta == -1);
  assert_string_equal(s2->ranks[2].a12_mag, "large");
  /* best in x of y: overall and per objective count */
  const struct l4p_study_count *e;
  e = l4p_study_count_find(s.best, s.n_best, "lhs", false, 0);
  assert_true(e && e->x == 1 && e->y == 2);
  e = l4p_study_count_find(s.best, s.n_best, "random", false, 0);
  assert_true(e && e->x == 1 && e->y == 2);
  e = l4p_study_count_find(s.best, s.n_best, "random", true, 0);
  assert_true(e && e->x == 0 && e->y == 2);
  e = l4p_study_count_find(s.best, s.n_best, "lhs", false, 2);
  assert_true(e && e->x == 1 && e->y == 1);
  e = l4p_study_count_find(s.best, s.n_best, "random", false, 3);
  assert_true(e && e->x == 1 && e->y == 1);
  size_t total = 0;
  for (size_t i = 0; i < s.n_best; i++)
    total += s.best[i].n_objectives == 0 ? s.best[i].x : 0;
  assert_true(total >= s.n_error_scenarios);
  /* pruning improved random in 1 of 2, in the 2-objective system only */
  e = l4p_study_count_find(s.pruning, s.n_pruning, "random", true, 0);
  assert_true(e && e->x == 1 && e->y == 2);
  e = l4p_study_count_find(s.pruning, s.n_pruning, "all", true, 2);
  assert_true(e && e->x == 1 && e->y == 1);
  e = l4p_study_count_find(s.pruning, s.n_pruning, "random", true, 3);
  assert_true(e && e->x == 0 && e->y == 1);
  /* fronts: higher is better; lhs in s2, random in s3 */
  assert_string_equal(s.scenarios[2].metric, "hv_ratio");
  assert_string_equal(s.scenarios[2].objective, "all");
  assert_int_equal(s.scenarios[2].ranks[0].n, 5);
  e = l4p_study_count_find(s.best_front, s.n_best_front, "lhs", false, 0);
  assert_true(e && e->x == 1 && e->y == 2);
  e = l4p_study_count_find(s.best_front, s.n_best_front, "random", false, 3);
  assert_true(e && e->x == 1 && e->y == 1);
  /* the writers accept a summary without a study */
  assert_int_equal(l4p__study_write_md(&s, NULL, tu_tmp("s.md")), L4P_OK);
  assert_int_equal(l4p__study_write_json(&s, NULL, tu_tmp("s.json")), L4P_OK);
  assert_int_equal(l4p__study_write_sk_csv(&s, tu_tmp("sk.csv")), L4P_OK);
  assert_int_equal(lines(tu_tmp("sk.csv")), 1 + 4 * 3);
  l4p_study_summary_release(&s);
}

/* A NaN metric is left out; a treatment with no value is not ranked. */
static void test_summary_nan(void **state)
{
  struct l4p_study_cell c[16];
  size_t n = add_cells(c, 0, "s", 2, "random", false, 1, 0.5);
  n = add_cells(c, n, "s", 2, "lhs", false, 1, 0.5);
  for (size_t k = 5; k < 10; k++)
    c[k].mre = NAN;
  c[0].mre = NAN;
  struct l4p_study_summary s;
  assert_int_equal(l4p_study_summarize(c, n, "random", &s), L4P_OK);
  assert_int_equal(s.scenarios[0].ranks[0].n, 4);
  assert_int_equal(s.scenarios[0].ranks[1].n, 0);
  assert_true(s.scenarios[0].ranks[0].best);
  assert_false(s.scenarios[0].ranks[1].best);
  assert_false(s.scenarios[0].ranks[1].has_test);
  l4p_study_summary_release(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_front_ratio),
      cmocka_unit_test(test_summary_counts),
      cmocka_unit_test(test_summary_nan),
      cmocka_unit_test(test_empty_pruning_shares),
      cmocka_unit_test(test_grid_shares_samples),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
